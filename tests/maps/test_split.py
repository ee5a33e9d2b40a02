"""Splitting a stage in two: GET/POST …/stages/<id>/split/ (maps.canvas.structure)."""

import pytest
from django.urls import reverse
from django.utils import translation

from maps.activity import describe
from maps.models import (
    Action,
    Card,
    Emotion,
    map_create_from_template,
)
from research.models import Finding, Study

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def stage(trip):
    return trip.stages.get(title="Consideration")


def _card(trip, stage, lane_title, text):
    lane = trip.lanes.get(title=lane_title)
    position = Card.objects.filter(stage=stage, lane=lane).count()
    return Card.objects.create(
        map=trip, stage=stage, lane=lane, text=text, position=position
    )


@pytest.fixture
def cards(trip, stage):
    return {
        "reviews": _card(trip, stage, "Actions", "Reads reviews"),
        "compare": _card(trip, stage, "Actions", "Compares prices"),
        "call": _card(trip, stage, "Touchpoints", "Calls the practice"),
        "site": _card(trip, stage, "Touchpoints", "Website"),
    }


def _url(trip, stage):
    return reverse("stage_split", args=[trip.organisation.slug, trip.pk, stage.pk])


def _post(client, trip, stage, title, chosen, version=None, **extra):
    data = {
        "title": title,
        "cards": [str(c.pk) for c in chosen],
        "version": stage.version if version is None else version,
    }
    return client.post(_url(trip, stage), data, **extra)


def _stages(trip):
    return list(trip.stages.values_list("title", flat=True))


def test_the_form_names_the_new_stage_and_lists_the_cards_per_lane(
    alice_client, trip, stage, cards
):
    body = alice_client.get(_url(trip, stage)).content.decode()
    assert 'value="Consideration (2)"' in body
    assert body.index("Reads reviews") < body.index("Calls the practice")
    assert "<legend>Touchpoints</legend>" in body
    assert body.count('type="checkbox" name="cards"') == 4


def test_it_splits_the_stage_moving_the_chosen_cards(alice_client, trip, stage, cards):
    chosen = [cards["compare"], cards["site"]]
    response = _post(alice_client, trip, stage, "Comparison", chosen)
    assert response.status_code == 302
    assert _stages(trip) == [
        "Awareness",
        "Consideration",
        "Comparison",
        "Purchase",
        "Use and experience",
        "Loyalty and advocacy",
    ]
    right = trip.stages.get(title="Comparison")
    assert set(right.cards.values_list("text", flat=True)) == {
        "Compares prices",
        "Website",
    }
    assert set(stage.cards.values_list("text", flat=True)) == {
        "Reads reviews",
        "Calls the practice",
    }
    # Moved cards keep their lane.
    assert Card.objects.get(pk=cards["site"].pk).lane.title == "Touchpoints"


def test_it_is_one_change_in_the_history(alice_client, trip, stage, cards):
    before = trip.revision
    _post(alice_client, trip, stage, "Comparison", [cards["compare"], cards["site"]])
    trip.refresh_from_db()
    assert trip.revision == before + 1
    entry = trip.activities.order_by("-revision").first()
    assert entry.verb == "split"
    assert entry.fragments == ["grid", "evidence", "emotions"]
    with translation.override("en"):
        told = describe(entry, "alice")
    assert told == (
        "alice split the stage “Consideration” into “Consideration” and "
        "“Comparison”, 2 cards moved"
    )


def test_with_no_cards_chosen_all_stay_left(alice_client, trip, stage, cards):
    _post(alice_client, trip, stage, "Later", [])
    assert not trip.stages.get(title="Later").cards.exists()
    assert stage.cards.count() == 4


def test_actions_and_evidence_follow_their_card_and_emotions_stay_left(
    alice_client, trip, stage, cards, org
):
    moved = cards["compare"]
    about_card = Action.objects.create(
        map=trip, stage=stage, card=moved, title="Publish prices"
    )
    about_stage = Action.objects.create(map=trip, stage=stage, title="Survey")
    study = Study.objects.create(organisation=org, title="Interviews", method="survey")
    finding = Finding.objects.create(study=study, statement="People compare")
    moved.findings.add(finding)
    Emotion.objects.create(map=trip, stage=stage, score=-1, note="Unsure")

    _post(alice_client, trip, stage, "Comparison", [moved])
    right = trip.stages.get(title="Comparison")
    assert Action.objects.get(pk=about_card.pk).stage == right
    assert Action.objects.get(pk=about_stage.pk).stage == stage
    assert list(Card.objects.get(pk=moved.pk).findings.all()) == [finding]
    assert Emotion.objects.get(stage=stage).note == "Unsure"
    assert not Emotion.objects.filter(stage=right).exists()


def test_htmx_answers_with_the_whole_grid(alice_client, trip, stage, cards):
    response = _post(alice_client, trip, stage, "Comparison", [cards["call"]], **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="canvas"' in body
    assert "Comparison" in body
    assert response["HX-Retarget"] == "#canvas"


def test_a_stage_changed_meanwhile_answers_409_and_changes_nothing(
    alice_client, trip, stage, cards
):
    stale = stage.version
    stage.title = "Weighing"
    stage.version += 1
    stage.save()
    response = _post(
        alice_client, trip, stage, "Comparison", [cards["call"]], version=stale
    )
    assert response.status_code == 409
    assert "Someone changed this stage meanwhile" in response.content.decode()
    assert "Comparison" not in _stages(trip)
    assert Card.objects.get(pk=cards["call"].pk).stage == stage
    htmx = _post(
        alice_client, trip, stage, "Comparison", [cards["call"]], version=stale, **HX
    )
    assert htmx.status_code == 409
    assert "Someone changed this stage meanwhile" in htmx.content.decode()


def test_a_card_of_another_stage_is_refused(alice_client, trip, stage, cards):
    elsewhere = _card(trip, trip.stages.get(title="Purchase"), "Actions", "Pays")
    response = _post(alice_client, trip, stage, "Comparison", [elsewhere])
    assert response.status_code == 422
    assert "no longer in this stage" in response.content.decode()
    assert "Comparison" not in _stages(trip)
    assert Card.objects.get(pk=elsewhere.pk).stage.title == "Purchase"


def test_a_blank_title_is_refused(alice_client, trip, stage, cards):
    response = _post(alice_client, trip, stage, "   ", [cards["call"]])
    assert response.status_code == 422
    assert "Give the new stage a title." in response.content.decode()
    assert len(_stages(trip)) == 5


def test_a_deleted_stage_says_so(alice_client, trip, stage, cards):
    url = _url(trip, stage)
    stage.delete()
    response = alice_client.post(url, {"title": "X", "version": 1}, **HX)
    assert response.status_code == 409
    assert "deleted by someone else" in response.content.decode()


def test_the_stage_page_links_to_it(alice_client, trip, stage):
    url = reverse("stage_edit", args=[trip.organisation.slug, trip.pk, stage.pk])
    assert _url(trip, stage) in alice_client.get(url).content.decode()


def test_viewers_get_403_and_outsiders_404(bob_client, carol_client, trip, stage):
    assert bob_client.get(_url(trip, stage)).status_code == 403
    assert _post(bob_client, trip, stage, "X", []).status_code == 403
    assert carol_client.get(_url(trip, stage)).status_code == 404
    assert _post(carol_client, trip, stage, "X", []).status_code == 404
    assert len(_stages(trip)) == 5


def test_it_takes_no_other_method(alice_client, trip, stage):
    assert alice_client.put(_url(trip, stage)).status_code == 405
