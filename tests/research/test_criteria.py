"""Decision criteria: add, weigh 1 to 5, remove."""

import pytest
from django.db import IntegrityError

from research.models import DecisionCriterion
from tests.research.helpers import HX, url


def test_it_adds_a_criterion(frank, alice_client):
    response = alice_client.post(
        url("criterion_add", frank.organisation, frank.pk),
        {"kind": "custom", "custom_label": "Duurzaamheid", "weight": "5"},
        **HX,
    )
    assert response.status_code == 200
    assert b"Duurzaamheid" in response.content
    assert frank.criteria.filter(custom_label="Duurzaamheid", weight=5).exists()


def test_criteria_are_shown_heaviest_first(frank, alice_client):
    alice_client.post(
        url("criterion_add", frank.organisation, frank.pk),
        {"kind": "brand", "weight": "1"},
        **HX,
    )
    labels = [c.label for c in frank.criteria.all()]
    assert labels[0] == "Service"
    assert labels[-1] == "Brand awareness"


@pytest.mark.parametrize("weight", ["0", "6", "-1", "abc", ""])
def test_weights_outside_one_to_five_are_refused(frank, alice_client, weight):
    before = frank.criteria.count()
    response = alice_client.post(
        url("criterion_add", frank.organisation, frank.pk),
        {"kind": "price", "weight": weight},
        **HX,
    )
    assert response.status_code == 422
    assert b"Choose a weight from 1 to 5." in response.content or b"required" in (
        response.content
    )
    assert frank.criteria.count() == before


def test_an_own_criterion_needs_a_name(frank, alice_client):
    response = alice_client.post(
        url("criterion_add", frank.organisation, frank.pk),
        {"kind": "custom", "custom_label": "", "weight": "3"},
        **HX,
    )
    assert response.status_code == 422
    assert b"Name your own criterion." in response.content


def test_the_database_refuses_weights_outside_one_to_five(frank):
    with pytest.raises(IntegrityError):
        DecisionCriterion.objects.create(persona=frank, kind="price", weight=9)


def test_it_changes_a_weight(frank, alice_client):
    criterion = frank.criteria.get(kind="reviews")
    alice_client.post(
        url("criterion_weight", frank.organisation, criterion.pk),
        {"weight": "5", "version": criterion.version},
        **HX,
    )
    criterion.refresh_from_db()
    assert criterion.weight == 5


def test_a_stale_weight_change_keeps_theirs(frank, alice_client):
    criterion = frank.criteria.get(kind="reviews")
    DecisionCriterion.objects.filter(pk=criterion.pk).update(weight=4, version=2)
    response = alice_client.post(
        url("criterion_weight", frank.organisation, criterion.pk),
        {"weight": "1", "version": 1},
        **HX,
    )
    criterion.refresh_from_db()
    assert response.status_code == 409
    assert b"Someone else changed the weight of Reviews" in response.content
    assert criterion.weight == 4


def test_it_removes_a_criterion(frank, alice_client):
    criterion = frank.criteria.get(kind="reviews")
    alice_client.post(url("criterion_delete", frank.organisation, criterion.pk), **HX)
    assert not DecisionCriterion.objects.filter(pk=criterion.pk).exists()
