"""Checkpoints: named marks in a map's history, and "since a checkpoint"."""

import pytest
from django.urls import reverse
from django.utils import translation

from maps.activity import change, describe
from maps.models import Checkpoint, map_create_from_template, record

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


def _u(name, trip, *args):
    return reverse(name, args=[trip.organisation.slug, trip.pk, *args])


def _mark(client, trip, title, **extra):
    return client.post(_u("checkpoint_add", trip), {"title": title}, **extra)


def _rename(trip, user, after):
    stage = trip.stages.first()
    renamed = [change("title", stage.title, after)]
    stage.title = after
    stage.save()
    return record(trip, user, "update", stage, changes=renamed)


def test_an_editor_marks_a_checkpoint_at_the_current_revision(dave_client, trip, dave):
    _rename(trip, dave, "Before the workshop")
    response = _mark(dave_client, trip, "  Workshop 12 March ", **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Checkpoint “Workshop 12 March” marked at revision 3." in body
    checkpoint = Checkpoint.objects.get()
    trip.refresh_from_db()
    assert (checkpoint.title, checkpoint.revision) == ("Workshop 12 March", 3)
    assert trip.revision == 3
    entry = trip.activities.order_by("-id").first()
    assert (entry.object_kind, entry.verb, entry.fragments) == (
        "checkpoint",
        "create",
        [],
    )
    with translation.override("en"):
        told = describe(entry, "dave")
    assert told == "dave marked the checkpoint “Workshop 12 March”"


def test_the_history_filters_since_a_checkpoint(alice_client, trip, alice):
    _rename(trip, alice, "Old-name")
    _mark(alice_client, trip, "Workshop")
    _rename(trip, alice, "New-name")
    checkpoint = Checkpoint.objects.get()
    query = f"?checkpoint={checkpoint.pk}"
    body = alice_client.get(_u("map_history", trip) + query).content.decode()
    assert "to “New-name”" in body
    assert "to “Old-name”" not in body
    assert "marked the checkpoint" not in body
    assert "Showing changes since the checkpoint “Workshop” (revision 3)." in body
    assert f'<option value="{checkpoint.pk}" selected>Workshop</option>' in body
    # And a quick choice names it.
    everything = alice_client.get(_u("map_history", trip)).content.decode()
    assert "Since “Workshop”" in everything


def test_an_unknown_checkpoint_filter_is_ignored_with_a_message(alice_client, trip):
    url = _u("map_history", trip) + "?checkpoint=nonsense"
    response = alice_client.get(url)
    assert response.status_code == 200
    assert "Ignored the filter “Since checkpoint”" in response.content.decode()


def test_a_name_is_required_and_short(alice_client, trip):
    response = _mark(alice_client, trip, "   ", **HX)
    assert response.status_code == 422
    assert "Give the checkpoint a name." in response.content.decode()
    response = _mark(alice_client, trip, "x" * 101, **HX)
    assert response.status_code == 422
    assert "at most 100 characters" in response.content.decode()
    assert not Checkpoint.objects.exists()


def test_without_htmx_it_goes_back_to_the_history_with_a_message(alice_client, trip):
    response = _mark(alice_client, trip, "Review", follow=True)
    assert "Checkpoint “Review” marked" in response.content.decode()
    assert response.redirect_chain[-1][0] == _u("map_history", trip)


def test_viewers_see_checkpoints_but_cannot_mark_or_delete_them(
    bob_client, alice_client, trip
):
    _mark(alice_client, trip, "Seen by all")
    checkpoint = Checkpoint.objects.get()
    body = bob_client.get(_u("map_history", trip)).content.decode()
    assert "Seen by all" in body
    assert "Mark a checkpoint" not in body
    assert _u("checkpoint_delete", trip, checkpoint.pk) not in body
    assert _mark(bob_client, trip, "Nope").status_code == 403
    url = _u("checkpoint_delete", trip, checkpoint.pk)
    assert bob_client.post(url).status_code == 403
    assert Checkpoint.objects.count() == 1


def test_outsiders_get_404(carol_client, alice_client, trip):
    _mark(alice_client, trip, "Ours")
    checkpoint = Checkpoint.objects.get()
    assert _mark(carol_client, trip, "Theirs").status_code == 404
    url = _u("checkpoint_delete", trip, checkpoint.pk)
    assert carol_client.get(url).status_code == 404
    assert carol_client.post(url).status_code == 404
    assert Checkpoint.objects.count() == 1


def test_delete_asks_first_then_deletes_and_records_it(alice_client, trip):
    _mark(alice_client, trip, "Old mark")
    checkpoint = Checkpoint.objects.get()
    url = _u("checkpoint_delete", trip, checkpoint.pk)
    question = alice_client.get(url, **HX).content.decode()
    assert "Delete the checkpoint “Old mark”?" in question
    assert f'id="checkpoint-{checkpoint.pk}"' in question
    assert "Delete the checkpoint" in alice_client.get(url).content.decode()
    assert Checkpoint.objects.exists()
    response = alice_client.post(url, **HX)
    assert "Checkpoint “Old mark” deleted." in response.content.decode()
    assert not Checkpoint.objects.exists()
    entry = trip.activities.order_by("-id").first()
    assert (entry.verb, entry.object_kind, entry.object_label) == (
        "delete",
        "checkpoint",
        "Old mark",
    )
    again = alice_client.post(url, **HX)
    assert again.status_code == 409
    assert "That checkpoint was deleted already." in again.content.decode()


def test_a_checkpoint_of_another_map_is_404(alice_client, org, alice, trip):
    _mark(alice_client, trip, "On trip")
    other = map_create_from_template(org, alice, "Other", "aida")
    url = _u("checkpoint_delete", other, Checkpoint.objects.get().pk)
    assert alice_client.post(url).status_code == 404
    assert Checkpoint.objects.count() == 1


def test_the_demo_map_has_a_checkpoint_between_its_changes(org, alice):
    from maps.demo import PODIATRIST, seed_maps
    from research.demo import seed_research

    seed_research(org)
    seed_maps(org, alice)
    seed_maps(org, alice)  # idempotent: still one
    podiatrist = org.journey_maps.get(title=PODIATRIST)
    checkpoint = podiatrist.checkpoints.get()
    assert checkpoint.title == "Workshop met de balie"
    later = podiatrist.activities.filter(revision__gt=checkpoint.revision)
    assert [a.verb for a in later] == ["status"]
