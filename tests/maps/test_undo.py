"""
Reversing changes from the history (maps.undo through maps.history): Restore a
deleted card, stage or lane; Undo one's own latest change.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from maps.activity import Activity, change, describe
from maps.models import (
    Action,
    Card,
    Emotion,
    map_create_from_template,
    record,
)
from research.models import Finding, Study
from tests.helpers import NOTIFY

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def stage(trip):
    return trip.stages.get(title="Consideration")


@pytest.fixture
def lane(trip):
    return trip.lanes.get(title="Actions")


def _card(trip, stage, lane, text):
    position = Card.objects.filter(stage=stage, lane=lane).count()
    return Card.objects.create(
        map=trip, stage=stage, lane=lane, text=text, position=position
    )


def _u(name, trip, *args):
    return reverse(name, args=[trip.organisation.slug, *args])


def _history(trip):
    return _u("map_history", trip, trip.pk)


def _restore_url(trip, entry):
    return _u("history_restore", trip, trip.pk, entry.pk)


def _undo(client, trip, entry, **extra):
    return client.post(_u("history_undo", trip, trip.pk), {"entry": entry.pk}, **extra)


def _last(trip, verb=None) -> Activity:
    entries = trip.activities.order_by("-id")
    return (entries.filter(verb=verb) if verb else entries).first()


def _delete_card(client, trip, card):
    url = _u("card_delete", trip, card.pk)
    return client.post(url, {"version": card.version}, **HX)


def _delete_stage(client, trip, stage):
    url = _u("stage_delete", trip, trip.pk, stage.pk)
    return client.post(url, {"version": stage.version}, **HX)


def _edit_card(client, trip, card, text):
    url = _u("card_edit", trip, card.pk)
    return client.post(url, {"text": text, "version": card.version}, **HX)


def _texts(stage, lane):
    return list(
        Card.objects.filter(stage=stage, lane=lane).values_list("text", flat=True)
    )


# ---- Restore -----------------------------------------------------------------


def test_a_deleted_card_comes_back_where_it_was_with_its_evidence(
    alice_client, org, trip, stage, lane
):
    first = _card(trip, stage, lane, "First")
    middle = _card(trip, stage, lane, "Middle")
    _card(trip, stage, lane, "Last")
    study = Study.objects.create(organisation=org, title="Calls", method="interview")
    finding = Finding.objects.create(study=study, statement="They compare")
    middle.findings.add(finding)
    action = Action.objects.create(map=trip, stage=stage, card=middle, title="Fix")
    _delete_card(alice_client, trip, middle)
    assert _texts(stage, lane) == ["First", "Last"]

    response = alice_client.post(_restore_url(trip, _last(trip, "delete")), **HX)
    assert response.status_code == 200
    assert "The card “Middle” is back." in response.content.decode()
    assert _texts(stage, lane) == ["First", "Middle", "Last"]
    back = Card.objects.get(pk=middle.pk)
    assert list(back.findings.all()) == [finding]
    assert Action.objects.get(pk=action.pk).card == back
    assert first.pk != back.pk
    entry = _last(trip)
    assert (entry.verb, entry.object_id, entry.reverts) == (
        "restore",
        middle.pk,
        _last(trip, "delete"),
    )
    assert f"cell:{lane.pk}:{stage.pk}" in entry.fragments


def test_restoring_twice_is_refused_with_a_message(alice_client, trip, stage, lane):
    card = _card(trip, stage, lane, "Once")
    _delete_card(alice_client, trip, card)
    deleted = _last(trip, "delete")
    alice_client.post(_restore_url(trip, deleted), **HX)
    revision = trip.activities.count()
    response = alice_client.post(_restore_url(trip, deleted), **HX)
    assert response.status_code == 409
    assert "This card is back already." in response.content.decode()
    assert Card.objects.filter(text="Once").count() == 1
    assert trip.activities.count() == revision


def test_a_card_whose_stage_is_gone_is_refused_until_the_stage_is_back(
    alice_client, trip, stage, lane
):
    card = _card(trip, stage, lane, "Orphan")
    other = _card(trip, stage, lane, "Sibling")
    _delete_card(alice_client, trip, card)
    card_deleted = _last(trip, "delete")
    stage.refresh_from_db()
    _delete_stage(alice_client, trip, stage)
    stage_deleted = _last(trip, "delete")

    response = alice_client.post(_restore_url(trip, card_deleted), **HX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Its stage “Consideration” is gone too: restore the stage first." in body
    assert not Card.objects.filter(text="Orphan").exists()

    alice_client.post(_restore_url(trip, stage_deleted), **HX)
    assert list(trip.stages.values_list("title", flat=True))[1] == "Consideration"
    assert Card.objects.get(pk=other.pk).stage_id == stage.pk
    alice_client.post(_restore_url(trip, card_deleted), **HX)
    assert _texts(stage, lane) == ["Orphan", "Sibling"]


def test_a_deleted_stage_comes_back_in_its_place_with_cards_emotions_and_actions(
    alice_client, trip, stage, lane
):
    _card(trip, stage, lane, "Reads reviews")
    Emotion.objects.create(map=trip, stage=stage, score=-1, note="Unsure")
    action = Action.objects.create(map=trip, stage=stage, title="Survey")
    _delete_stage(alice_client, trip, stage)
    assert "Consideration" not in trip.stages.values_list("title", flat=True)
    assert Action.objects.get(pk=action.pk).stage is None

    response = alice_client.post(_restore_url(trip, _last(trip, "delete")))
    assert response.status_code == 302
    titles = list(trip.stages.values_list("title", flat=True))
    assert titles[:3] == ["Awareness", "Consideration", "Purchase"]
    assert _texts(stage, lane) == ["Reads reviews"]
    assert Emotion.objects.get(stage=stage).note == "Unsure"
    assert Action.objects.get(pk=action.pk).stage_id == stage.pk
    assert _last(trip).fragments == ["grid"]


def test_a_deleted_lane_comes_back_without_cards_of_stages_gone_since(
    alice_client, trip, stage, lane
):
    _card(trip, stage, lane, "Stays")
    gone_stage = trip.stages.get(title="Purchase")
    _card(trip, gone_stage, lane, "Goes")
    url = _u("lane_delete", trip, trip.pk, lane.pk)
    alice_client.post(url, {"version": lane.version}, **HX)
    lane_deleted = _last(trip, "delete")
    alice_client.post(
        _u("stage_delete", trip, trip.pk, gone_stage.pk),
        {"version": gone_stage.version},
        **HX,
    )
    response = alice_client.post(_restore_url(trip, lane_deleted), **HX)
    body = response.content.decode()
    assert "The lane “Actions” is back. 1 card stayed out" in body
    assert list(trip.lanes.values_list("title", flat=True))[1] == "Actions"
    assert _texts(stage, lane) == ["Stays"]


def test_old_deletes_without_a_snapshot_have_no_restore_button(
    alice_client, dave_client, trip, stage, lane
):
    card = _card(trip, stage, lane, "Legacy")
    card.delete()
    old = record(trip, None, "delete", card)  # as recorded before snapshots
    _delete_card(dave_client, trip, _card(trip, stage, lane, "Kept"))
    body = alice_client.get(_history(trip)).content.decode()
    assert body.count(">Restore<") == 1
    assert _restore_url(trip, old) not in body
    response = alice_client.post(_restore_url(trip, old), **HX)
    assert response.status_code == 409
    assert "cannot be restored" in response.content.decode()


def test_restore_is_for_editors_of_this_organisation(
    bob_client, carol_client, dave_client, alice_client, trip, stage, lane
):
    _delete_card(alice_client, trip, _card(trip, stage, lane, "X"))
    deleted = _last(trip, "delete")
    assert bob_client.post(_restore_url(trip, deleted)).status_code == 403
    assert carol_client.post(_restore_url(trip, deleted)).status_code == 404
    assert dave_client.get(_restore_url(trip, deleted)).status_code == 405
    assert not Card.objects.exists()
    assert ">Restore<" not in bob_client.get(_history(trip)).content.decode()
    assert dave_client.post(_restore_url(trip, deleted)).status_code == 302
    assert Card.objects.get().text == "X"


def test_restore_of_an_entry_of_another_map_is_refused(
    alice_client, org, alice, trip, stage, lane
):
    _delete_card(alice_client, trip, _card(trip, stage, lane, "Elsewhere"))
    other = map_create_from_template(org, alice, "Other trip", "aida")
    url = _u("history_restore", trip, other.pk, _last(trip, "delete").pk)
    response = alice_client.post(url, **HX)
    assert response.status_code == 409
    assert "There is no deletion to restore there." in response.content.decode()
    assert not Card.objects.exists()


# ---- Undo --------------------------------------------------------------------


def test_undo_of_a_card_edit_puts_the_text_back(alice_client, trip, stage, lane):
    card = _card(trip, stage, lane, "Before")
    _edit_card(alice_client, trip, card, "After")
    edited = _last(trip)
    body = alice_client.get(_history(trip)).content.decode()
    assert ">Undo<" in body
    response = _undo(alice_client, trip, edited, **HX)
    assert response.status_code == 200
    assert Card.objects.get(pk=card.pk).text == "Before"
    entry = _last(trip)
    assert (entry.verb, entry.reverts) == ("undo", edited)
    assert entry.changes == [change("text", "After", "Before")]
    with translation.override("en"):
        told = describe(entry, "alice")
    assert told == "alice undid: alice edited the card “Before”"
    assert "alice undid: alice edited the card" in response.content.decode()


def test_undo_is_refused_when_someone_else_changed_it_since(
    alice_client, dave_client, trip, stage, lane
):
    card = _card(trip, stage, lane, "Mine")
    _edit_card(alice_client, trip, card, "Mine, edited")
    card.refresh_from_db()
    mine = _last(trip)
    _edit_card(dave_client, trip, card, "Dave's")
    body = alice_client.get(_history(trip)).content.decode()
    assert "Cannot undo: dave changed this card since." in body
    assert ">Undo<" not in body
    response = _undo(alice_client, trip, mine, **HX)
    assert response.status_code == 409
    assert "dave changed this card since." in response.content.decode()
    assert Card.objects.get(pk=card.pk).text == "Dave's"


def test_undo_offers_only_my_latest_change(alice_client, trip, stage, lane):
    card = _card(trip, stage, lane, "One")
    _edit_card(alice_client, trip, card, "Two")
    older = _last(trip)
    card.refresh_from_db()
    _edit_card(alice_client, trip, card, "Three")
    response = _undo(alice_client, trip, older, **HX)
    assert response.status_code == 409
    assert "no longer your latest change" in response.content.decode()
    assert Card.objects.get(pk=card.pk).text == "Three"
    # Undo the latest, then the one before it.
    _undo(alice_client, trip, _last(trip, "update"), **HX)
    _undo(alice_client, trip, older, **HX)
    assert Card.objects.get(pk=card.pk).text == "One"


def test_undo_of_adding_a_card_deletes_it(alice_client, trip, stage, lane):
    url = _u("card_add", trip, trip.pk)
    alice_client.post(url, {"stage": stage.pk, "lane": lane.pk, "text": "Oops"}, **HX)
    _undo(alice_client, trip, _last(trip), **HX)
    assert not Card.objects.exists()
    assert _last(trip).snapshot["undid"] == "create"


def test_undo_of_deleting_a_card_restores_it(alice_client, trip, stage, lane):
    card = _card(trip, stage, lane, "Back")
    _delete_card(alice_client, trip, card)
    body = alice_client.get(_history(trip)).content.decode()
    assert ">Undo<" in body
    assert ">Restore<" not in body  # Undo does the same: one button
    _undo(alice_client, trip, _last(trip), **HX)
    assert Card.objects.get(pk=card.pk).text == "Back"
    # The delete is reversed: no Restore for it any more.
    assert ">Restore<" not in alice_client.get(_history(trip)).content.decode()


def test_undo_of_a_card_move_puts_it_back_in_its_cell_and_place(
    alice_client, trip, stage, lane
):
    _card(trip, stage, lane, "a")
    moving = _card(trip, stage, lane, "b")
    _card(trip, stage, lane, "c")
    url = _u("card_move", trip, moving.pk)
    alice_client.post(url, {"direction": "right"}, **HX)
    purchase = trip.stages.get(title="Purchase")
    assert _texts(purchase, lane) == ["b"]
    _undo(alice_client, trip, _last(trip), **HX)
    assert _texts(stage, lane) == ["a", "b", "c"]
    assert not _texts(purchase, lane)


def test_undo_of_a_stage_rename_and_of_a_stage_move(alice_client, trip, stage):
    url = _u("stage_edit", trip, trip.pk, stage.pk)
    alice_client.post(url, {"title": "Weighing", "version": stage.version}, **HX)
    _undo(alice_client, trip, _last(trip), **HX)
    stage.refresh_from_db()
    assert stage.title == "Consideration"

    before = list(trip.stages.values_list("title", flat=True))
    url = _u("stage_move", trip, trip.pk, stage.pk)
    alice_client.post(url, {"direction": "right"}, **HX)
    assert list(trip.stages.values_list("title", flat=True)) != before
    _undo(alice_client, trip, _last(trip), **HX)
    assert list(trip.stages.values_list("title", flat=True)) == before
    assert _last(trip).fragments == ["grid"]


def test_undo_of_adding_a_stage_refuses_once_it_has_cards(alice_client, trip, lane):
    alice_client.post(_u("stage_add", trip, trip.pk), {"title": "Extra"}, **HX)
    added = _last(trip)
    extra = trip.stages.get(title="Extra")
    _card(trip, extra, lane, "Something")
    response = _undo(alice_client, trip, added, **HX)
    assert response.status_code == 409
    assert "Cards were added to this stage since." in response.content.decode()
    assert trip.stages.filter(title="Extra").exists()
    extra.cards.all().delete()
    _undo(alice_client, trip, added, **HX)
    assert not trip.stages.filter(title="Extra").exists()


def test_undo_of_a_lane_delete_restores_it(alice_client, trip, lane, stage):
    _card(trip, stage, lane, "In the lane")
    url = _u("lane_delete", trip, trip.pk, lane.pk)
    alice_client.post(url, {"version": lane.version}, **HX)
    _undo(alice_client, trip, _last(trip), **HX)
    assert _texts(stage, lane) == ["In the lane"]


def test_no_undo_for_kinds_it_does_not_handle(alice_client, trip, stage):
    record(trip, _alice(trip), "set", stage, kind="emotion", label="x")
    assert ">Undo<" not in alice_client.get(_history(trip)).content.decode()


def _alice(trip):
    return trip.created_by


def test_undo_is_for_editors(bob_client, carol_client, alice_client, trip, stage, lane):
    card = _card(trip, stage, lane, "Kept")
    _edit_card(alice_client, trip, card, "Kept!")
    edited = _last(trip)
    assert _undo(bob_client, trip, edited).status_code == 403
    assert _undo(carol_client, trip, edited).status_code == 404
    assert alice_client.get(_u("history_undo", trip, trip.pk)).status_code == 405
    assert Card.objects.get(pk=card.pk).text == "Kept!"


def test_undo_without_an_entry_says_what_to_do(alice_client, trip):
    response = alice_client.post(_u("history_undo", trip, trip.pk), {}, **HX)
    assert response.status_code == 409
    assert "Say which change to undo" in response.content.decode()


def test_undo_publishes_like_any_change(alice_client, trip, stage, lane):
    card = _card(trip, stage, lane, "Live")
    _edit_card(alice_client, trip, card, "Live!")
    revision = _last(trip).revision
    _undo(alice_client, trip, _last(trip), **HX)
    trip.refresh_from_db()
    assert trip.revision == revision + 1
    assert f"card:{card.pk}" in _last(trip).fragments


def test_the_panel_with_an_undo_is_a_fixed_number_of_queries(
    alice_client, trip, stage, lane, django_assert_num_queries
):
    card = _card(trip, stage, lane, "Counted")
    alice_client.get(_history(trip))
    for i in range(5):
        card.refresh_from_db()
        _edit_card(alice_client, trip, card, f"Counted {i}")
    # session, user, membership, map, people, checkpoints, entries; the undo:
    # my latest change, the card as it is now, later changes by others.
    with django_assert_num_queries(10):
        alice_client.get(_history(trip), **HX)


def test_an_undo_writes_in_a_fixed_number_of_queries(
    alice_client, trip, stage, lane, django_assert_num_queries
):
    card = _card(trip, stage, lane, "Counted")
    _edit_card(alice_client, trip, card, "Counted!")
    entry = _last(trip)
    # session, user, membership, map; in the transaction (and its savepoint):
    # the map's lock, my latest change, the card, later changes by others, the
    # update, and record()'s three.
    with django_assert_num_queries(14 + NOTIFY):
        response = _undo(alice_client, trip, entry)
    assert response.status_code == 302
