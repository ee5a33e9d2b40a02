"""Follow-up actions: the actions lane on the canvas and the actions board."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maps.models import (
    Action,
    Activity,
    Card,
    JourneyMap,
    LaneKind,
    MapStatus,
    map_create_from_template,
)
from tests.helpers import NOTIFY, make_user

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def stage(trip):
    return trip.stages.first()


def _url(name, org, *args):
    return reverse(name, args=[org.slug, *args])


def make_action(journey_map, stage=None, **fields):
    stage = stage or journey_map.stages.first()
    return Action.objects.create(
        map=journey_map, stage=stage, **{"title": "Call back", **fields}
    )


def today():
    return timezone.localdate()


# ---- The lane on the canvas ------------------------------------------------------


def test_canvas_shows_actions_in_their_stage_cell(alice_client, trip, stage, dave):
    make_action(trip, stage, title="Shorter booking form", owner=dave)
    response = alice_client.get(trip.get_absolute_url())
    content = response.content.decode()
    assert f'id="actions-{stage.pk}"' in content
    assert "Shorter booking form" in content
    assert ">dave<" in content


def test_add_opens_the_quick_form_in_the_cell(alice_client, org, trip, stage):
    url = _url("action_add", org, trip.pk, stage.pk)
    response = alice_client.get(url, **HX)
    assert response.status_code == 200
    assert f'id="actions-{stage.pk}"'.encode() in response.content
    assert b'name="title"' in response.content
    assert b"<option" in response.content  # the owner select


def test_add_an_action_with_owner_and_due_date(alice_client, org, trip, stage, dave):
    url = _url("action_add", org, trip.pk, stage.pk)
    due = today() + datetime.timedelta(days=14)
    response = alice_client.post(
        url, {"title": "Call back within a day", "owner": dave.pk, "due": due}, **HX
    )
    assert response.status_code == 200
    action = Action.objects.get()
    assert (action.title, action.owner, action.due) == (
        "Call back within a day",
        dave,
        due,
    )
    assert action.stage == stage
    assert action.created_by.username == "alice"
    assert b"Call back within a day" in response.content
    assert b"autofocus" in response.content  # ready for the next one
    activity = trip.activities.first()
    assert (activity.verb, activity.object_id, activity.object_label) == (
        "create",
        action.pk,
        "Call back within a day",
    )
    assert activity.changes == []  # the label names what was added


def test_add_without_htmx_redirects_to_the_action(alice_client, org, trip, stage):
    url = _url("action_add", org, trip.pk, stage.pk)
    assert alice_client.get(url).status_code == 200  # a page with the form
    response = alice_client.post(url, {"title": "Plain form"})
    action = Action.objects.get()
    assert response["Location"] == f"{trip.get_absolute_url()}#action-{action.pk}"


def test_new_actions_go_last_in_their_cell(alice_client, org, trip, stage):
    make_action(trip, stage, title="First", position=0)
    url = _url("action_add", org, trip.pk, stage.pk)
    alice_client.post(url, {"title": "Second"}, **HX)
    titles = list(Action.objects.filter(stage=stage).values_list("title", flat=True))
    assert titles == ["First", "Second"]


def test_empty_title_is_refused(alice_client, org, trip, stage):
    url = _url("action_add", org, trip.pk, stage.pk)
    response = alice_client.post(url, {"title": "   "}, **HX)
    assert response.status_code == 422
    assert b"Give the action a title." in response.content
    assert not Action.objects.exists()


def test_owner_outside_the_organisation_is_refused(
    alice_client, org, trip, stage, carol, other_org
):
    url = _url("action_add", org, trip.pk, stage.pk)
    response = alice_client.post(url, {"title": "Sneaky", "owner": carol.pk}, **HX)
    assert response.status_code == 422
    assert b"The owner must be a member of this organisation." in response.content
    assert not Action.objects.exists()


@pytest.mark.parametrize("due", ["2026-02-30", "31-31-2026", "0001-01-01", "not"])
def test_unreal_dates_are_refused(alice_client, org, trip, stage, due):
    url = _url("action_add", org, trip.pk, stage.pk)
    response = alice_client.post(url, {"title": "Dated", "due": due}, **HX)
    assert response.status_code == 422
    assert b"date" in response.content
    assert not Action.objects.exists()


def test_html_is_escaped(alice_client, org, trip, stage):
    url = _url("action_add", org, trip.pk, stage.pk)
    alice_client.post(url, {"title": "<script>alert(1)</script>"}, **HX)
    content = alice_client.get(trip.get_absolute_url()).content
    assert b"<script>alert(1)</script>" not in content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in content
    board = alice_client.get(_url("action_board", org)).content
    assert b"<script>alert(1)</script>" not in board


def test_a_stage_of_another_map_is_not_found(alice_client, org, alice, trip):
    other = map_create_from_template(org, alice, "Other map", "aida")
    url = _url("action_add", org, trip.pk, other.stages.first().pk)
    assert alice_client.post(url, {"title": "Wrong"}, **HX).status_code == 404
    assert not Action.objects.exists()


def test_edit_form_opens_in_the_card(alice_client, org, trip, stage):
    action = make_action(trip, stage)
    response = alice_client.get(_url("action_edit", org, trip.pk, action.pk), **HX)
    assert response.status_code == 200
    assert f'id="action-{action.pk}"'.encode() in response.content
    assert b'name="evaluation"' in response.content


def _edit_data(action, **changes):
    data = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id or "",
        "due": action.due or "",
        "status": action.status,
        "stage": action.stage_id or "",
        "card": action.card_id or "",
        "evaluation": action.evaluation,
        "version": action.version,
    }
    data.update(changes)
    return data


def test_edit_saves_every_field_and_logs_before_and_after(
    alice_client, org, trip, stage, dave
):
    action = make_action(trip, stage)
    card = Card.objects.create(
        map=trip, stage=stage, lane=trip.lanes.first(), text="Booking page"
    )
    url = _url("action_edit", org, trip.pk, action.pk)
    data = _edit_data(
        action,
        title="Call back the same day",
        description="Within four hours",
        owner=dave.pk,
        due="2026-12-31",
        status="done",
        card=card.pk,
        evaluation="Fewer no-shows",
    )
    response = alice_client.post(url, data, **HX)
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.title == "Call back the same day"
    assert (action.owner, action.card, action.status) == (dave, card, "done")
    assert action.due == datetime.date(2026, 12, 31)
    assert action.evaluation == "Fewer no-shows"
    assert action.version == 2
    assert b"Fewer no-shows" in response.content
    activity = trip.activities.first()
    assert (activity.verb, activity.object_label) == ("update", "Call back")
    assert activity.changes == [
        {"field": "title", "before": "Call back", "after": "Call back the same day"},
        {"field": "description", "before": "", "after": "Within four hours"},
        {"field": "owner", "before": None, "after": "dave"},
        {"field": "due", "before": None, "after": "2026-12-31"},
        {"field": "status", "before": "open", "after": "done"},
        {"field": "card", "before": None, "after": "Booking page"},
        {"field": "evaluation", "before": "", "after": "Fewer no-shows"},
    ]


def test_a_card_of_another_stage_or_map_is_refused(alice_client, org, alice, trip):
    first, second = list(trip.stages.all())[:2]
    action = make_action(trip, first)
    lane = trip.lanes.first()
    elsewhere = Card.objects.create(map=trip, stage=second, lane=lane, text="There")
    other = map_create_from_template(org, alice, "Other map", "aida")
    foreign = Card.objects.create(
        map=other, stage=other.stages.first(), lane=other.lanes.first(), text="X"
    )
    url = _url("action_edit", org, trip.pk, action.pk)
    for card in (elsewhere, foreign):
        response = alice_client.post(url, _edit_data(action, card=card.pk), **HX)
        assert response.status_code == 422
    foreign_stage = other.stages.first()
    response = alice_client.post(url, _edit_data(action, stage=foreign_stage.pk), **HX)
    assert response.status_code == 422
    action.refresh_from_db()
    assert (action.card, action.stage, action.version) == (None, first, 1)


def test_moving_to_another_stage_redraws_both_cells(alice_client, org, trip):
    first, second = list(trip.stages.all())[:2]
    action = make_action(trip, first)
    url = _url("action_edit", org, trip.pk, action.pk)
    response = alice_client.post(url, _edit_data(action, stage=second.pk), **HX)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="actions-{first.pk}" hx-swap-oob="true"' in content
    assert f'id="actions-{second.pk}" hx-swap-oob="true"' in content
    action.refresh_from_db()
    assert action.stage == second


def test_stale_edit_shows_a_conflict(alice_client, dave_client, org, trip, stage):
    action = make_action(trip, stage, title="Original")
    url = _url("action_edit", org, trip.pk, action.pk)
    dave_client.post(url, _edit_data(action, title="Dave's"), **HX)
    response = alice_client.post(url, _edit_data(action, title="Alice's"), **HX)
    assert response.status_code == 409
    assert b"Dave&#x27;s" in response.content
    assert b"Alice&#x27;s" in response.content
    assert b"Overwrite with mine" in response.content
    action.refresh_from_db()
    assert action.title == "Dave's"


def test_editing_an_action_deleted_meanwhile_says_so(alice_client, org, trip, stage):
    action = make_action(trip, stage)
    url = _url("action_edit", org, trip.pk, action.pk)
    data = _edit_data(action, title="Too late")
    action.delete()
    response = alice_client.post(url, data, **HX)
    assert response.status_code == 409
    assert b"Someone else deleted this" in response.content
    assert b"Too late" in response.content


def test_quick_status_change(alice_client, org, trip, stage):
    action = make_action(trip, stage)
    url = _url("action_status", org, trip.pk, action.pk)
    response = alice_client.post(url, {"status": "in_progress", "version": 1}, **HX)
    assert response.status_code == 200
    action.refresh_from_db()
    assert (action.status, action.version) == ("in_progress", 2)
    activity = trip.activities.first()
    assert activity.verb == "status"
    assert activity.changes == [
        {"field": "status", "before": "open", "after": "in_progress"}
    ]


def test_done_asks_for_an_evaluation(alice_client, org, trip, stage):
    action = make_action(trip, stage)
    url = _url("action_status", org, trip.pk, action.pk)
    response = alice_client.post(url, {"status": "done", "version": 1}, **HX)
    assert b"Add an evaluation" in response.content


def test_stale_status_change_shows_the_current_state(alice_client, org, trip, stage):
    action = make_action(trip, stage)
    Action.objects.filter(pk=action.pk).update(status="dropped", version=2)
    url = _url("action_status", org, trip.pk, action.pk)
    response = alice_client.post(url, {"status": "done", "version": 1}, **HX)
    assert response.status_code == 409
    assert b"Someone changed this action meanwhile" in response.content
    action.refresh_from_db()
    assert action.status == "dropped"


def test_unknown_status_is_refused(alice_client, org, trip, stage):
    action = make_action(trip, stage)
    url = _url("action_status", org, trip.pk, action.pk)
    response = alice_client.post(url, {"status": "finished", "version": 1}, **HX)
    assert response.status_code == 422
    action.refresh_from_db()
    assert action.status == "open"


def test_delete_asks_then_deletes(alice_client, org, trip, stage):
    action = make_action(trip, stage, title="Go away")
    url = _url("action_delete", org, trip.pk, action.pk)
    response = alice_client.get(url, **HX)
    assert b"Delete this action?" in response.content
    assert Action.objects.exists()
    response = alice_client.post(url, {"version": 1}, **HX)
    assert response.status_code == 200
    assert not Action.objects.exists()
    activity = trip.activities.first()
    assert (activity.verb, activity.object_id) == ("delete", action.pk)
    assert (activity.object_label, activity.changes) == ("Go away", [])


def test_delete_of_a_changed_action_asks_again(alice_client, org, trip, stage):
    action = make_action(trip, stage, title="Old")
    Action.objects.filter(pk=action.pk).update(title="New", version=2)
    url = _url("action_delete", org, trip.pk, action.pk)
    response = alice_client.post(url, {"version": 1}, **HX)
    assert response.status_code == 409
    assert b"New" in response.content
    assert Action.objects.exists()


def test_reorder_within_a_cell_and_across(alice_client, org, trip):
    first, second = list(trip.stages.all())[:2]
    a = make_action(trip, first, title="A", position=0)
    b = make_action(trip, first, title="B", position=1)
    c = make_action(trip, second, title="C", position=0)
    url = _url("action_reorder", org, trip.pk, first.pk)
    response = alice_client.post(url, {"order": f"{b.pk},{a.pk}"}, **HX)
    assert response.status_code == 200
    assert list(first.actions.values_list("title", flat=True)) == ["B", "A"]
    response = alice_client.post(url, {"order": f"{b.pk},{c.pk},{a.pk}"}, **HX)
    assert response.status_code == 200
    assert list(first.actions.values_list("title", flat=True)) == ["B", "C", "A"]
    assert f'id="actions-{second.pk}" hx-swap-oob="true"'.encode() in response.content


def test_move_down_with_the_keyboard_button(alice_client, org, trip, stage):
    a = make_action(trip, stage, title="A", position=0)
    make_action(trip, stage, title="B", position=1)
    url = _url("action_move", org, trip.pk, a.pk)
    alice_client.post(url, {"direction": "down"}, **HX)
    assert list(stage.actions.values_list("title", flat=True)) == ["B", "A"]


def test_cell_fragment_query_count(
    alice_client, org, trip, stage, dave, django_assert_num_queries
):
    url = _url("action_cell", org, trip.pk, stage.pk)
    make_action(trip, stage, owner=dave)
    alice_client.get(url, **HX)
    # session, user, membership, map, stage, actions
    with django_assert_num_queries(6):
        alice_client.get(url, **HX)
    for i in range(10):
        make_action(trip, stage, title=f"a{i}", owner=dave)
    with django_assert_num_queries(6):
        response = alice_client.get(url, **HX)
    assert response.content.count(b'class="action-card') == 11


def test_canvas_query_count_does_not_grow_with_actions(
    alice_client, trip, dave, django_assert_num_queries
):
    stages = list(trip.stages.all())
    make_action(trip, stages[0], owner=dave)
    url = trip.get_absolute_url()
    alice_client.get(url)
    with django_assert_num_queries(11):
        alice_client.get(url)
    for i in range(20):
        make_action(trip, stages[i % 5], title=f"a{i}", owner=dave)
    with django_assert_num_queries(11):
        response = alice_client.get(url)
    assert response.content.count(b'class="action-card') == 21


# ---- Access ---------------------------------------------------------------------


def _endpoints(org, trip, stage, action):
    return [
        ("get", _url("action_cell", org, trip.pk, stage.pk), {}),
        ("get", _url("action_card", org, trip.pk, action.pk), {}),
        ("get", _url("action_edit", org, trip.pk, action.pk), {}),
        ("get", _url("action_delete", org, trip.pk, action.pk), {}),
        ("post", _url("action_add", org, trip.pk, stage.pk), {"title": "X"}),
        ("post", _url("action_edit", org, trip.pk, action.pk), {"title": "X"}),
        (
            "post",
            _url("action_status", org, trip.pk, action.pk),
            {"status": "done", "version": 1},
        ),
        ("post", _url("action_move", org, trip.pk, action.pk), {"direction": "up"}),
        ("post", _url("action_reorder", org, trip.pk, stage.pk), {"order": ""}),
        ("post", _url("action_delete", org, trip.pk, action.pk), {"version": 1}),
        (
            "post",
            _url("action_board_status", org, action.pk),
            {"status": "done", "version": 1},
        ),
    ]


def test_outsiders_get_404_everywhere(carol_client, org, trip, stage):
    action = make_action(trip, stage)
    for method, url, data in _endpoints(org, trip, stage, action):
        response = getattr(carol_client, method)(url, data, **HX)
        assert response.status_code == 404, url
    assert carol_client.get(_url("action_board", org)).status_code == 404
    action.refresh_from_db()
    assert (action.status, action.version) == ("open", 1)


def test_viewers_get_403_on_writes(bob_client, org, trip, stage):
    action = make_action(trip, stage)
    writes = [
        (m, u, d)
        for m, u, d in _endpoints(org, trip, stage, action)
        if m == "post" or "edit" in u or "delete" in u
    ]
    for method, url, data in writes:
        response = getattr(bob_client, method)(url, data, **HX)
        assert response.status_code == 403, url
    action.refresh_from_db()
    assert (action.status, action.version) == ("open", 1)


def test_viewer_sees_actions_without_controls(bob_client, org, trip, stage):
    make_action(trip, stage, title="Look only")
    content = bob_client.get(trip.get_absolute_url()).content.decode()
    assert "Look only" in content
    assert _url("action_add", org, trip.pk, stage.pk) not in content
    board = bob_client.get(_url("action_board", org)).content.decode()
    assert "Look only" in board
    assert "board-status-" not in board


def test_an_action_of_another_organisation_is_not_found(
    alice_client, org, trip, carol, other_org
):
    theirs = map_create_from_template(other_org, carol, "Theirs", "aida")
    action = make_action(theirs)
    # Through our map's URL, and through the board.
    url = _url("action_edit", org, trip.pk, action.pk)
    assert alice_client.get(url).status_code == 404
    url = _url("action_board_status", org, action.pk)
    assert alice_client.post(url, {"status": "done", "version": 1}).status_code == 404
    action.refresh_from_db()
    assert action.status == "open"


# ---- The board ------------------------------------------------------------------


def _titles(client, org, **params):
    response = client.get(_url("action_board", org), params)
    assert response.status_code == 200
    return [a.title for a in response.context["actions"]]


@pytest.fixture
def board(org, alice, dave, trip):
    other = map_create_from_template(org, alice, "Office chairs", "seven_phases")
    old = map_create_from_template(org, alice, "Old map", "aida")
    JourneyMap.objects.filter(pk=old.pk).update(status=MapStatus.ARCHIVED)
    past = today() - datetime.timedelta(days=3)
    soon = today() + datetime.timedelta(days=3)
    later = today() + datetime.timedelta(days=30)
    make_action(trip, title="Later", owner=dave, due=later)
    make_action(trip, title="Late", owner=alice, due=past)
    make_action(other, title="Soon", owner=alice, due=soon, status="in_progress")
    make_action(other, title="Finished", owner=dave, due=past, status="done")
    make_action(trip, title="Undated", owner=None)
    make_action(old, title="Archived one", owner=alice)
    return {"trip": trip, "other": other, "old": old}


def test_board_sorts_overdue_first_then_by_due_date(alice_client, org, board):
    assert _titles(alice_client, org) == [
        "Late",
        "Soon",
        "Later",
        "Undated",
        "Finished",
    ]


def test_board_highlights_overdue_with_a_label(alice_client, org, board):
    content = alice_client.get(_url("action_board", org)).content.decode()
    late = Action.objects.get(title="Late")
    finished = Action.objects.get(title="Finished")
    assert (
        f'id="board-action-{late.pk}" class="board-row action-open is-overdue"'
        in content
    )
    assert f'id="board-action-{finished.pk}" class="board-row action-done"' in content
    assert "Overdue" in content
    assert "1 overdue" in content


def test_board_filters_by_owner_status_and_map(alice_client, org, board, dave):
    assert _titles(alice_client, org, owner=dave.pk) == ["Later", "Finished"]
    assert _titles(alice_client, org, owner="none") == ["Undated"]
    assert _titles(alice_client, org, status="done") == ["Finished"]
    assert _titles(alice_client, org, status="unfinished") == [
        "Late",
        "Soon",
        "Later",
        "Undated",
    ]
    assert _titles(alice_client, org, map=board["other"].pk) == ["Soon", "Finished"]
    assert _titles(alice_client, org, map=board["old"].pk) == ["Archived one"]
    assert "Archived one" in _titles(alice_client, org, archived="on")


def test_my_actions(alice_client, dave_client, org, board):
    assert _titles(alice_client, org, owner="me") == ["Late", "Soon"]
    assert _titles(dave_client, org, owner="me") == ["Later", "Finished"]
    content = alice_client.get(_url("action_board", org), {"owner": "me"}).content
    assert b'?owner=me" aria-current="page"' in content


def test_board_filter_with_htmx_returns_the_results_only(alice_client, org, board):
    response = alice_client.get(_url("action_board", org), {"status": "done"}, **HX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="board-results"')
    assert "Finished" in content
    assert "<html" not in content
    assert 'id="board-tabs" class="board-tabs"' in content  # out of band


def test_board_links_to_the_action_on_its_map(alice_client, org, board):
    late = Action.objects.get(title="Late")
    content = alice_client.get(_url("action_board", org)).content.decode()
    assert f'href="{board["trip"].get_absolute_url()}#action-{late.pk}"' in content


def test_board_status_change(alice_client, org, board):
    late = Action.objects.get(title="Late")
    url = _url("action_board_status", org, late.pk)
    response = alice_client.post(url, {"status": "done", "version": 1}, **HX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<tr id="board-action-{late.pk}"')
    assert "is-overdue" not in content
    late.refresh_from_db()
    assert late.status == "done"
    activity = board["trip"].activities.first()
    assert (activity.verb, activity.object_label) == ("status", "Late")
    assert activity.changes == [{"field": "status", "before": "open", "after": "done"}]


def test_board_status_change_without_js_goes_back_to_the_filter(
    alice_client, org, board
):
    late = Action.objects.get(title="Late")
    url = _url("action_board_status", org, late.pk)
    back = _url("action_board", org) + "?owner=me"
    response = alice_client.post(url, {"status": "done", "version": 1, "next": back})
    assert response["Location"] == back
    response = alice_client.post(
        url, {"status": "open", "version": 2, "next": "https://evil.example/"}
    )
    assert response["Location"] == _url("action_board", org)


def test_stale_board_status_change_is_a_conflict(alice_client, org, board):
    late = Action.objects.get(title="Late")
    Action.objects.filter(pk=late.pk).update(status="dropped", version=2)
    url = _url("action_board_status", org, late.pk)
    response = alice_client.post(url, {"status": "done", "version": 1}, **HX)
    assert response.status_code == 409
    assert b"Someone changed this action meanwhile" in response.content
    late.refresh_from_db()
    assert late.status == "dropped"


def test_board_shows_no_other_organisations_actions(
    alice_client, carol_client, org, board, carol, other_org
):
    theirs = map_create_from_template(other_org, carol, "Theirs", "aida")
    make_action(theirs, title="Carol's secret")
    assert "Carol's secret" not in _titles(alice_client, org, archived="on")
    assert _titles(carol_client, other_org) == ["Carol's secret"]
    # A map id of another organisation filters nothing in.
    response = alice_client.get(_url("action_board", org), {"map": theirs.pk})
    assert "Carol's secret" not in response.content.decode()


def test_board_query_count_does_not_grow_with_actions(
    alice_client, org, board, dave, django_assert_num_queries
):
    url = _url("action_board", org)
    alice_client.get(url)
    # session, user, membership, members, maps, actions, switcher
    with django_assert_num_queries(7):
        alice_client.get(url)
    for i in range(15):
        make_action(board["other"], title=f"a{i}", owner=dave)
    with django_assert_num_queries(7):
        response = alice_client.get(url)
    assert len(response.context["actions"]) == 20


def test_board_empty_states_say_what_to_do(alice_client, org, trip):
    content = alice_client.get(_url("action_board", org)).content.decode()
    assert "No follow-up actions yet." in content
    assert "Follow-up actions lane" in content
    content = alice_client.get(_url("action_board", org), {"owner": "me"}).content
    assert b"No actions of yours match this filter." in content


def test_board_is_in_the_main_nav(alice_client, org):
    content = alice_client.get(_url("action_board", org)).content.decode()
    url = _url("action_board", org)
    assert f'<li><a href="{url}" aria-current="page">Actions</a></li>' in content


def test_map_delete_mentions_its_actions(alice_client, org, board):
    response = alice_client.get(_url("map_delete", org, board["trip"].pk))
    assert b"3 follow-up actions are deleted with it." in response.content


def test_maps_list_shows_open_actions(alice_client, org, board):
    content = alice_client.get(_url("map_list", org)).content.decode()
    assert "3 open" in content  # the trip: Later, Late, Undated
    assert "1 open" in content  # the office chairs: Soon


def test_member_who_left_still_shows_but_cannot_be_picked(
    alice_client, org, trip, stage
):
    former = make_user("erin")
    action = make_action(trip, stage, owner=former)
    url = _url("action_edit", org, trip.pk, action.pk)
    response = alice_client.post(url, _edit_data(action, owner=former.pk), **HX)
    assert response.status_code == 422
    assert b"The owner must be a member of this organisation." in response.content
    assert Activity.objects.filter(verb="update").count() == 0


def test_lane_kind_exists_on_templates(trip):
    assert trip.lanes.filter(kind=LaneKind.ACTIONS).exists()


def test_edit_and_delete_work_as_pages_without_js(alice_client, org, trip, stage):
    action = make_action(trip, stage, title="Paged")
    url = _url("action_edit", org, trip.pk, action.pk)
    response = alice_client.get(url)
    assert response.status_code == 200
    assert b"<html" in response.content
    response = alice_client.post(url, _edit_data(action, title="Paged and saved"))
    assert response["Location"] == f"{trip.get_absolute_url()}#action-{action.pk}"
    url = _url("action_delete", org, trip.pk, action.pk)
    assert b"Delete this action?" in alice_client.get(url).content
    response = alice_client.post(url, {"version": 2})
    assert response["Location"] == f"{trip.get_absolute_url()}#actions-{stage.pk}"
    assert not Action.objects.exists()


def test_the_action_page_has_the_tools_a_card_gets_from_js(
    alice_client, org, trip, stage
):
    action = make_action(trip, stage, title="Paged")
    page = alice_client.get(_url("action_edit", org, trip.pk, action.pk)).content
    move = _url("action_move", org, trip.pk, action.pk)
    assert f'action="{move}"'.encode() in page
    assert b'value="up"' in page and b'value="down"' in page
    assert f'href="{_url("action_delete", org, trip.pk, action.pk)}"'.encode() in page


def test_canvas_action_cards_send_only_their_edit_link(alice_client, org, trip, stage):
    action = make_action(trip, stage, title="Light")
    content = alice_client.get(trip.get_absolute_url()).content.decode()
    card = content[content.index(f'<li id="action-{action.pk}"') :]
    card = card[: card.index("</li>")]
    assert _url("action_edit", org, trip.pk, action.pk) in card
    assert "move/" not in card and "delete/" not in card
    assert content.count('<template id="action-tools">') == 1


def test_actions_whose_stage_was_deleted_still_show(alice_client, org, trip, stage):
    action = make_action(trip, stage, title="Homeless")
    stage.delete()
    action.refresh_from_db()
    assert action.stage is None
    content = alice_client.get(trip.get_absolute_url()).content.decode()
    assert "Actions without a stage" in content
    assert f'id="action-{action.pk}"' in content


def test_card_and_status_fragments_query_counts(
    alice_client, org, trip, stage, dave, django_assert_num_queries
):
    action = make_action(trip, stage, owner=dave)
    card_url = _url("action_card", org, trip.pk, action.pk)
    alice_client.get(card_url, **HX)
    # session, user, membership, map, action
    with django_assert_num_queries(5):
        alice_client.get(card_url, **HX)
    url = _url("action_status", org, trip.pk, action.pk)
    # ... + savepoint, update, map revision, reload map, activity, release, reload
    with django_assert_num_queries(12 + NOTIFY):
        response = alice_client.post(url, {"status": "done", "version": 1}, **HX)
    assert response.status_code == 200


def test_edit_form_shows_the_cards_of_the_actions_stage(alice_client, org, trip):
    first, second = list(trip.stages.all())[:2]
    lane = trip.lanes.first()
    here = Card.objects.create(map=trip, stage=first, lane=lane, text="Here")
    there = Card.objects.create(map=trip, stage=second, lane=lane, text="There")
    action = make_action(trip, first)
    response = alice_client.get(_url("action_edit", org, trip.pk, action.pk), **HX)
    content = response.content.decode()
    assert f'value="{here.pk}" data-stage="{first.pk}">' in content
    assert f'value="{there.pk}" data-stage="{second.pk}" hidden>' in content
    assert f'id="action-{action.pk}-title"' in content


def test_a_too_long_title_is_refused(alice_client, org, trip, stage):
    url = _url("action_add", org, trip.pk, stage.pk)
    response = alice_client.post(url, {"title": "x" * 151}, **HX)
    assert response.status_code == 422
    assert b"Keep the title to 150 characters." in response.content
    assert not Action.objects.exists()
