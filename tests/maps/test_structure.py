"""The canvas's frame through HTTP: stages, lanes and the map's settings."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from maps.models import (
    Activity,
    Card,
    Emotion,
    JourneyMap,
    Lane,
    LaneKind,
    Stage,
    map_create_from_template,
)
from research.demo import seed_research
from tests.helpers import NOTIFY

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


def _url(name, journey_map, *args):
    return reverse(name, args=[journey_map.organisation.slug, journey_map.pk, *args])


def _stages(journey_map) -> list[str]:
    return list(journey_map.stages.values_list("title", flat=True))


def _lanes(journey_map) -> list[str]:
    return list(journey_map.lanes.values_list("title", flat=True))


def _stage(journey_map, title) -> Stage:
    return journey_map.stages.get(title=title)


def _lane(journey_map, title) -> Lane:
    return journey_map.lanes.get(title=title)


def _last(journey_map) -> Activity:
    return journey_map.activities.order_by("-revision").first()


# ---- Adding and inserting stages ---------------------------------------------


def test_it_adds_a_stage_at_the_end_and_opens_it_for_editing(alice_client, trip):
    response = alice_client.post(_url("stage_add", trip), **HX)
    assert response.status_code == 200
    assert _stages(trip)[-1] == "New stage"
    new = _stage(trip, "New stage")
    assert f'id="stage-body-{new.pk}"' in response.content.decode()
    assert b'name="title"' in response.content  # the new header is a form
    assert list(trip.stages.values_list("position", flat=True)) == [0, 1, 2, 3, 4, 5]
    assert _last(trip).verb == "create"


def test_it_inserts_a_stage_between_two(alice_client, trip):
    purchase = _stage(trip, "Purchase")
    response = alice_client.post(
        _url("stage_add", trip), {"after": purchase.pk, "title": "Booking"}, **HX
    )
    assert response.status_code == 200
    assert _stages(trip) == [
        "Awareness",
        "Consideration",
        "Purchase",
        "Booking",
        "Use and experience",
        "Loyalty and advocacy",
    ]
    assert list(trip.stages.values_list("position", flat=True)) == [0, 1, 2, 3, 4, 5]


def test_it_inserts_a_stage_before_the_first(alice_client, trip):
    first = _stage(trip, "Awareness")
    alice_client.post(_url("stage_add", trip), {"before": first.pk, "title": "Need"})
    assert _stages(trip)[:2] == ["Need", "Awareness"]


def test_without_htmx_adding_goes_to_the_stage_form(alice_client, trip):
    response = alice_client.post(_url("stage_add", trip))
    new = _stage(trip, "New stage")
    assert response.status_code == 302
    assert response["Location"] == _url("stage_edit", trip, new.pk)
    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    assert "Customer's goal" in page.content.decode()


def test_inserting_next_to_a_stage_of_another_map_is_404(alice_client, trip, alice):
    other = map_create_from_template(trip.organisation, alice, "Other", "aida")
    response = alice_client.post(
        _url("stage_add", trip), {"after": other.stages.first().pk}, **HX
    )
    assert response.status_code == 404
    assert trip.stages.count() == 5


def test_inserting_next_to_a_deleted_stage_says_so(alice_client, trip):
    gone = _stage(trip, "Purchase")
    gone_id = gone.pk
    gone.delete()
    response = alice_client.post(_url("stage_add", trip), {"after": gone_id}, **HX)
    assert response.status_code == 409
    assert "deleted by someone else" in response.content.decode()
    assert trip.stages.count() == 4


# ---- Editing stages ----------------------------------------------------------


def test_it_renames_and_describes_a_stage(alice_client, trip):
    stage = _stage(trip, "Purchase")
    form = alice_client.get(_url("stage_edit", trip, stage.pk), **HX)
    assert form.status_code == 200
    assert b"autofocus" in form.content
    response = alice_client.post(
        _url("stage_edit", trip, stage.pk),
        {
            "title": "Booking",
            "customer_goal": "Get an appointment soon",
            "description": "Online or by phone",
            "version": stage.version,
        },
        **HX,
    )
    assert response.status_code == 200
    stage.refresh_from_db()
    assert (stage.title, stage.customer_goal) == ("Booking", "Get an appointment soon")
    assert stage.version == 2
    assert b"Get an appointment soon" in response.content
    activity = _last(trip)
    # Named as it was called when it changed, like cards and actions.
    assert (activity.verb, activity.object_label) == ("update", "Purchase")
    assert activity.changes == [
        {"field": "title", "before": "Purchase", "after": "Booking"},
        {"field": "customer_goal", "before": "", "after": "Get an appointment soon"},
        {"field": "description", "before": "", "after": "Online or by phone"},
    ]


def test_an_empty_title_is_refused_with_a_message(alice_client, trip):
    stage = _stage(trip, "Purchase")
    response = alice_client.post(
        _url("stage_edit", trip, stage.pk), {"title": "  ", "version": 1}, **HX
    )
    assert response.status_code == 422
    assert "Give the stage a title." in response.content.decode()
    stage.refresh_from_db()
    assert stage.title == "Purchase"


def test_over_long_text_is_refused_and_nothing_half_saves(alice_client, trip):
    stage = _stage(trip, "Purchase")
    response = alice_client.post(
        _url("stage_edit", trip, stage.pk),
        {"title": "Fine", "customer_goal": "x" * 2001, "version": 1},
        **HX,
    )
    assert response.status_code == 422
    assert "at most 2000 characters" in response.content.decode()
    stage.refresh_from_db()
    assert (stage.title, stage.customer_goal) == ("Purchase", "")
    long_title = alice_client.post(
        _url("stage_edit", trip, stage.pk), {"title": "x" * 101, "version": 1}, **HX
    )
    assert long_title.status_code == 422
    assert "at most 100 characters" in long_title.content.decode()


def test_html_in_stage_fields_is_shown_escaped(alice_client, trip):
    stage = _stage(trip, "Purchase")
    script = "<script>alert(1)</script>"
    alice_client.post(
        _url("stage_edit", trip, stage.pk),
        {"title": script, "customer_goal": script, "description": script, "version": 1},
    )
    page = alice_client.get(trip.get_absolute_url()).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_stale_stage_edit_shows_the_conflict(alice_client, dave_client, trip):
    stage = _stage(trip, "Purchase")
    url = _url("stage_edit", trip, stage.pk)
    dave_client.post(url, {"title": "Dave's", "version": 1}, **HX)
    response = alice_client.post(url, {"title": "Alice's", "version": 1}, **HX)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Dave&#x27;s" in content and "Alice&#x27;s" in content
    assert f'id="stage-body-{stage.pk}"' in content
    stage.refresh_from_db()
    assert stage.title == "Dave's"
    # "Overwrite with mine" sends the current version.
    assert 'name="version" value="2"' in content


def test_editing_a_stage_deleted_in_another_tab_says_so(alice_client, trip):
    stage = _stage(trip, "Purchase")
    url = _url("stage_edit", trip, stage.pk)
    stage.delete()
    response = alice_client.post(url, {"title": "Too late", "version": 1}, **HX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#canvas"
    assert "That stage was deleted by someone else" in response.content.decode()
    assert not Stage.objects.filter(title="Too late").exists()
    # Without htmx: back to the map with a message.
    page = alice_client.post(url, {"title": "Too late", "version": 1}, follow=True)
    assert "That stage was deleted by someone else" in page.content.decode()


def test_a_stage_of_another_map_or_organisation_is_404(
    alice_client, carol_client, trip, other_org, carol
):
    theirs = map_create_from_template(other_org, carol, "Theirs", "aida")
    foreign = theirs.stages.first()
    url = reverse("stage_edit", args=[trip.organisation.slug, trip.pk, foreign.pk])
    assert alice_client.get(url, **HX).status_code == 404
    assert alice_client.post(url, {"title": "x", "version": 1}).status_code == 404
    assert (
        carol_client.get(_url("stage_edit", trip, trip.stages.first().pk)).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.title != "x"


def test_viewers_cannot_change_stages(bob_client, trip):
    stage = _stage(trip, "Purchase")
    assert bob_client.post(_url("stage_add", trip)).status_code == 403
    response = bob_client.post(
        _url("stage_edit", trip, stage.pk), {"title": "x", "version": 1}
    )
    assert response.status_code == 403
    assert bob_client.post(_url("stage_delete", trip, stage.pk)).status_code == 403
    assert trip.stages.count() == 5


def test_viewers_see_no_editing_controls(bob_client, trip):
    page = bob_client.get(trip.get_absolute_url()).content.decode()
    assert _url("stage_add", trip) not in page
    assert "data-drag-handle" not in page
    assert "Add a lane" not in page


# ---- Reordering stages -------------------------------------------------------


def test_it_moves_a_stage_with_the_keyboard_buttons(alice_client, trip):
    stage = _stage(trip, "Purchase")
    response = alice_client.post(
        _url("stage_move", trip, stage.pk), {"direction": "left"}, **HX
    )
    assert response.status_code == 200
    assert _stages(trip)[1:3] == ["Purchase", "Consideration"]
    activity = _last(trip)
    assert activity.verb == "reorder"
    [order] = activity.changes
    assert order["field"] == "order"
    assert order["before"][:3] == ["Awareness", "Consideration", "Purchase"]
    assert order["after"][:3] == ["Awareness", "Purchase", "Consideration"]
    alice_client.post(_url("stage_move", trip, stage.pk), {"direction": "right"}, **HX)
    assert _stages(trip)[1:3] == ["Consideration", "Purchase"]


def test_moving_the_first_stage_left_changes_nothing(alice_client, trip):
    first = _stage(trip, "Awareness")
    revision = JourneyMap.objects.get(pk=trip.pk).revision
    alice_client.post(_url("stage_move", trip, first.pk), {"direction": "left"}, **HX)
    assert _stages(trip)[0] == "Awareness"
    assert JourneyMap.objects.get(pk=trip.pk).revision == revision


def test_it_reorders_stages_dragged(alice_client, trip):
    ids = [str(pk) for pk in trip.stages.values_list("pk", flat=True)]
    ids.reverse()
    response = alice_client.post(
        _url("stage_reorder", trip), {"order": ",".join(ids)}, **HX
    )
    assert response.status_code == 200
    assert _stages(trip)[0] == "Loyalty and advocacy"
    assert _last(trip).verb == "reorder"


def test_a_stale_stage_order_is_refused_with_the_current_grid(alice_client, trip):
    ids = [str(pk) for pk in trip.stages.values_list("pk", flat=True)][1:]
    response = alice_client.post(
        _url("stage_reorder", trip), {"order": ",".join(ids)}, **HX
    )
    assert response.status_code == 409
    assert "the new order was not saved" in response.content.decode()
    assert _stages(trip)[0] == "Awareness"


# ---- Deleting stages ---------------------------------------------------------


def test_deleting_a_stage_asks_first_with_what_goes(alice_client, trip):
    stage = _stage(trip, "Purchase")
    lane = trip.lanes.filter(kind=LaneKind.TOUCHPOINTS).first()
    Card.objects.create(map=trip, stage=stage, lane=lane, text="Web shop")
    Card.objects.create(map=trip, stage=stage, lane=lane, text="Till")
    Emotion.objects.create(map=trip, stage=stage, score=1)
    response = alice_client.get(_url("stage_delete", trip, stage.pk), **HX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "2 cards are deleted with it." in content
    assert "1 emotion score is deleted with it." in content
    assert trip.stages.count() == 5


def test_it_deletes_a_stage_with_its_cards(alice_client, trip):
    stage = _stage(trip, "Purchase")
    lane = trip.lanes.first()
    Card.objects.create(map=trip, stage=stage, lane=lane, text="Web shop")
    response = alice_client.post(
        _url("stage_delete", trip, stage.pk), {"version": stage.version}, **HX
    )
    assert response.status_code == 200
    assert "evidence-changed" in json.loads(response["HX-Trigger"])
    assert "Purchase" not in _stages(trip)
    assert not Card.objects.filter(map=trip).exists()
    activity = _last(trip)
    assert (activity.verb, activity.object_id) == ("delete", stage.pk)
    assert (activity.object_label, activity.changes) == ("Purchase", [])


def test_deleting_a_stage_changed_meanwhile_asks_again(alice_client, dave_client, trip):
    stage = _stage(trip, "Purchase")
    dave_client.post(
        _url("stage_edit", trip, stage.pk), {"title": "Buying", "version": 1}
    )
    response = alice_client.post(
        _url("stage_delete", trip, stage.pk), {"version": 1}, **HX
    )
    assert response.status_code == 409
    assert "It now reads:" in response.content.decode()
    assert trip.stages.filter(title="Buying").exists()


def test_deleting_a_stage_deleted_meanwhile_is_fine(alice_client, trip):
    stage = _stage(trip, "Purchase")
    url = _url("stage_delete", trip, stage.pk)
    stage.delete()
    response = alice_client.post(url, {"version": 1}, **HX)
    assert response.status_code == 409
    assert "deleted by someone else" in response.content.decode()


# ---- Lanes -------------------------------------------------------------------


def test_it_adds_lanes_of_every_kind(alice_client, trip):
    before = trip.lanes.count()
    response = alice_client.post(
        _url("lane_add", trip), {"kind": "text", "title": "Thoughts"}, **HX
    )
    assert response.status_code == 200
    alice_client.post(_url("lane_add", trip), {"kind": "pains", "title": ""}, **HX)
    assert _lanes(trip)[-2:] == ["Thoughts", "Pain points"]
    assert trip.lanes.count() == before + 2
    assert trip.lanes.last().kind == LaneKind.PAINS
    assert _last(trip).verb == "create"


def test_a_text_lane_needs_a_title(alice_client, trip):
    response = alice_client.post(
        _url("lane_add", trip), {"kind": "text", "title": " "}, **HX
    )
    assert response.status_code == 422
    assert "Give a text lane a title." in response.content.decode()
    bad_kind = alice_client.post(_url("lane_add", trip), {"kind": "nope"}, **HX)
    assert bad_kind.status_code == 422


def test_it_renames_a_lane(alice_client, trip):
    lane = trip.lanes.first()
    old = lane.title
    response = alice_client.post(
        _url("lane_edit", trip, lane.pk), {"title": "What they do", "version": 1}, **HX
    )
    assert response.status_code == 200
    lane.refresh_from_db()
    assert lane.title == "What they do"
    activity = _last(trip)
    assert (activity.verb, activity.object_label) == ("update", old)
    assert activity.changes == [
        {"field": "title", "before": old, "after": "What they do"}
    ]


def test_a_stale_lane_rename_shows_the_conflict(alice_client, dave_client, trip):
    lane = trip.lanes.first()
    url = _url("lane_edit", trip, lane.pk)
    dave_client.post(url, {"title": "Dave's", "version": 1}, **HX)
    response = alice_client.post(url, {"title": "Alice's", "version": 1}, **HX)
    assert response.status_code == 409
    assert f'id="lane-body-{lane.pk}"' in response.content.decode()
    lane.refresh_from_db()
    assert lane.title == "Dave's"


def test_it_moves_lanes_and_hidden_lanes_stay_put(alice_client, trip):
    first, second, third = list(trip.lanes.all())[:3]
    alice_client.post(_url("lane_hide", trip, second.pk), **HX)
    # Down from the first visible lane jumps over the hidden one.
    alice_client.post(_url("lane_move", trip, first.pk), {"direction": "down"}, **HX)
    titles = _lanes(trip)
    assert titles[:3] == [third.title, second.title, first.title]
    assert _last(trip).verb == "reorder"


def test_it_reorders_visible_lanes_dragged(alice_client, trip):
    lanes = list(trip.lanes.all())
    alice_client.post(_url("lane_hide", trip, lanes[0].pk), **HX)
    visible = [str(lane.pk) for lane in lanes[1:]]
    visible.reverse()
    response = alice_client.post(
        _url("lane_reorder", trip), {"order": ",".join(visible)}, **HX
    )
    assert response.status_code == 200
    assert _lanes(trip) == [lanes[0].title] + [lane.title for lane in lanes[1:]][::-1]
    stale = alice_client.post(
        _url("lane_reorder", trip), {"order": ",".join(visible[1:])}, **HX
    )
    assert stale.status_code == 409


def test_it_hides_and_shows_a_lane(alice_client, trip):
    lane = trip.lanes.first()
    response = alice_client.post(_url("lane_hide", trip, lane.pk), **HX)
    assert response.status_code == 200
    lane.refresh_from_db()
    assert lane.hidden
    assert "Hidden lanes:" in response.content.decode()
    assert _url("lane_show", trip, lane.pk) in response.content.decode()
    assert _last(trip).verb == "hide"
    alice_client.post(_url("lane_show", trip, lane.pk), **HX)
    lane.refresh_from_db()
    assert not lane.hidden
    assert _last(trip).verb == "show"


def test_deleting_a_lane_asks_with_the_number_of_cards(alice_client, trip):
    lane = trip.lanes.filter(kind=LaneKind.TOUCHPOINTS).first()
    for stage in trip.stages.all()[:3]:
        Card.objects.create(map=trip, stage=stage, lane=lane, text="Ad")
    question = alice_client.get(_url("lane_delete", trip, lane.pk), **HX)
    assert "3 cards are deleted with it." in question.content.decode()
    response = alice_client.post(
        _url("lane_delete", trip, lane.pk), {"version": lane.version}, **HX
    )
    assert response.status_code == 200
    assert not Lane.objects.filter(pk=lane.pk).exists()
    assert not Card.objects.filter(map=trip).exists()
    assert _last(trip).verb == "delete"


def test_a_lane_of_another_map_is_404(alice_client, trip, alice):
    other = map_create_from_template(trip.organisation, alice, "Other", "aida")
    foreign = other.lanes.first()
    url = reverse("lane_hide", args=[trip.organisation.slug, trip.pk, foreign.pk])
    assert alice_client.post(url, **HX).status_code == 404
    foreign.refresh_from_db()
    assert not foreign.hidden


def test_a_lane_deleted_in_another_tab_says_so(alice_client, trip):
    lane = trip.lanes.first()
    url = _url("lane_edit", trip, lane.pk)
    lane.delete()
    response = alice_client.post(url, {"title": "x", "version": 1}, **HX)
    assert response.status_code == 409
    assert "That lane was deleted by someone else" in response.content.decode()


def test_html_in_lane_titles_is_escaped(alice_client, trip):
    alice_client.post(
        _url("lane_add", trip), {"kind": "text", "title": "<b>bold</b>"}, **HX
    )
    lane = _lane(trip, "<b>bold</b>")
    alice_client.post(_url("lane_hide", trip, lane.pk), **HX)
    page = alice_client.get(trip.get_absolute_url()).content.decode()
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


# ---- Empty states ------------------------------------------------------------


def test_a_map_without_stages_or_lanes_says_how_to_start(alice_client, org, alice):
    blank = map_create_from_template(org, alice, "Blank", "blank")
    blank.stages.all().delete()
    blank.lanes.all().delete()
    page = alice_client.get(blank.get_absolute_url()).content.decode()
    assert "This map has no stages yet." in page
    assert "Add the first stage" in page
    assert "This map has no lanes yet." in page
    assert "Add a lane" in page


# ---- Map settings ------------------------------------------------------------


def _settings(journey_map, **changes) -> dict:
    data = {
        "title": journey_map.title,
        "type": journey_map.type,
        "status": journey_map.status,
        "scope": journey_map.scope,
        "objective": journey_map.objective,
        "dmu": "",
        "version": journey_map.version,
    }
    data.update(changes)
    return data


def test_it_edits_the_map_settings(alice_client, org, trip):
    seed_research(org)
    persona = org.personas.first()
    dmu = org.dmus.first()
    url = _url("map_settings", trip)
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(
        url,
        _settings(
            trip,
            title="Visit 2",
            type="future",
            status="active",
            scope="From pain to insoles",
            personas=[persona.pk],
            dmu=dmu.pk,
        ),
    )
    assert response.status_code == 302
    trip.refresh_from_db()
    assert (trip.title, trip.type, trip.status) == ("Visit 2", "future", "active")
    assert list(trip.personas.all()) == [persona]
    assert trip.dmu == dmu
    activity = _last(trip)
    assert (activity.verb, activity.object_kind) == ("update", "map")
    changes = {c["field"]: (c["before"], c["after"]) for c in activity.changes}
    assert changes["title"] == ("Podiatrist visit", "Visit 2")
    assert changes["status"] == ("draft", "active")  # the stored value, not a label
    assert changes["dmu"] == (None, str(dmu))
    assert changes["personas"] == ([], [str(persona)])


def test_settings_refuse_personas_of_another_organisation(
    alice_client, trip, other_org
):
    seed_research(other_org)
    foreign = other_org.personas.first()
    response = alice_client.post(
        _url("map_settings", trip), _settings(trip, personas=[foreign.pk])
    )
    assert response.status_code == 422
    assert not trip.personas.exists()


def test_settings_refuse_an_empty_title(alice_client, trip):
    response = alice_client.post(_url("map_settings", trip), _settings(trip, title=""))
    assert response.status_code == 422
    assert "Give the map a title." in response.content.decode()


def test_stale_settings_show_both_versions(alice_client, dave_client, trip):
    url = _url("map_settings", trip)
    dave_client.post(url, _settings(trip, title="Dave's title"))
    response = alice_client.post(url, _settings(trip, title="Alice's title"))
    assert response.status_code == 409
    content = response.content.decode()
    assert "Dave&#x27;s title" in content and "Alice&#x27;s title" in content
    trip.refresh_from_db()
    assert trip.title == "Dave's title"
    # Sending again overwrites.
    again = alice_client.post(
        url, _settings(trip, title="Alice's title", version=trip.version)
    )
    assert again.status_code == 302
    trip.refresh_from_db()
    assert trip.title == "Alice's title"


def test_viewers_cannot_open_settings(bob_client, carol_client, trip):
    assert bob_client.get(_url("map_settings", trip)).status_code == 403
    assert (
        bob_client.post(_url("map_settings", trip), _settings(trip)).status_code == 403
    )
    assert carol_client.get(_url("map_settings", trip)).status_code == 404


def test_writes_refuse_get(alice_client, trip):
    stage = trip.stages.first()
    lane = trip.lanes.first()
    for url in (
        _url("stage_add", trip),
        _url("stage_reorder", trip),
        _url("stage_move", trip, stage.pk),
        _url("lane_add", trip),
        _url("lane_hide", trip, lane.pk),
        _url("lane_show", trip, lane.pk),
        _url("lane_move", trip, lane.pk),
    ):
        assert alice_client.get(url).status_code == 405, url


# ---- Query counts ------------------------------------------------------------


def test_header_fragments_take_a_fixed_number_of_queries(
    alice_client, trip, django_assert_num_queries
):
    stage = trip.stages.first()
    lane = trip.lanes.first()
    alice_client.get(trip.get_absolute_url())  # the session remembers the org
    with django_assert_num_queries(5):
        alice_client.get(_url("stage_detail", trip, stage.pk), **HX)
    with django_assert_num_queries(5):
        alice_client.get(_url("stage_edit", trip, stage.pk), **HX)
    # session, user, membership, map, stage, the update and record's three
    # (one transaction, no SAVEPOINTs)
    with django_assert_num_queries(9 + NOTIFY):
        alice_client.post(
            _url("stage_edit", trip, stage.pk), {"title": "New", "version": 1}, **HX
        )
    with django_assert_num_queries(9 + NOTIFY):
        alice_client.post(
            _url("lane_edit", trip, lane.pk), {"title": "New", "version": 1}, **HX
        )


def test_grid_answers_take_a_fixed_number_of_queries(alice_client, trip):
    """
    Grid answers load the canvas (maps.canvas.grid, which other parts extend), so
    pin that they do not grow with the cards, and how many the write adds.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stage = trip.stages.first()
    lane = trip.lanes.first()
    alice_client.get(trip.get_absolute_url())  # the session remembers the org

    def count(url, data=None) -> int:
        with CaptureQueriesContext(connection) as queries:
            alice_client.post(url, data or {}, **HX)
        return len(queries)

    def page() -> int:
        with CaptureQueriesContext(connection) as queries:
            alice_client.get(trip.get_absolute_url())
        return len(queries)

    move = _url("stage_move", trip, stage.pk)
    hide, show = _url("lane_hide", trip, lane.pk), _url("lane_show", trip, lane.pk)
    few = (count(move, {"direction": "right"}), count(hide), count(show))
    for stage_ in trip.stages.all():
        for _i in range(5):
            Card.objects.create(map=trip, stage=stage_, lane=lane, text="a")
    many = (count(move, {"direction": "left"}), count(hide), count(show))
    assert few == many
    canvas = page()
    # The canvas's queries, plus the stage, the lock, the list, the renumbering
    # and record() (three), with two savepoints and their releases.
    assert many[0] == canvas + 11 + NOTIFY


# ---- Kept headers (maps.canvas.kept) -------------------------------------------------


def test_kept_headers_follow_a_rename_and_carry_each_readers_token(alice, dave, trip):
    url = trip.get_absolute_url()
    stage, lane = _stage(trip, "Purchase"), trip.lanes.first()
    browsers = []
    for user in (alice, dave):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        browsers.append(browser)
    alice_page = browsers[0].get(url).content.decode()
    Stage.objects.filter(pk=stage.pk).update(title="Checkout")
    dave_page = browsers[1].get(url).content.decode()
    assert ">Checkout<" in dave_page and ">Purchase<" not in dave_page

    def lane_move_token(page):
        form = page[page.index(_url("lane_move", trip, lane.pk)) :]
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]

    dave_token = lane_move_token(dave_page)
    assert dave_token != lane_move_token(alice_page)
    assert "csrf-token-goes-here" not in dave_page
    # Without JavaScript the form posts with the page's token.
    response = browsers[1].post(
        _url("lane_move", trip, lane.pk),
        {"csrfmiddlewaretoken": dave_token, "direction": "down"},
    )
    assert response.status_code == 302
    assert _lanes(trip)[1] == lane.title
