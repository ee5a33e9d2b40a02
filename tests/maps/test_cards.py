"""Cards in the cells of the canvas: add, edit, delete, reorder, move, evidence."""

import json
import uuid

import pytest
from django.urls import reverse

from maps.models import Activity, Card, LaneKind, map_create_from_template, record
from research.demo import seed_research
from research.models import Finding
from tests.helpers import NOTIFY

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def stages(trip):
    return list(trip.stages.all())


def _lane(journey_map, kind):
    return journey_map.lanes.filter(kind=kind).first()


@pytest.fixture
def text_lane(trip):
    return _lane(trip, LaneKind.TEXT)


@pytest.fixture
def touch_lane(trip):
    return _lane(trip, LaneKind.TOUCHPOINTS)


@pytest.fixture
def pains_lane(trip):
    return _lane(trip, LaneKind.PAINS)


def _card(journey_map, stage, lane, text="A card", **fields):
    position = Card.objects.filter(stage=stage, lane=lane).count()
    return Card.objects.create(
        map=journey_map, stage=stage, lane=lane, text=text, position=position, **fields
    )


def _url(name, org, *args):
    return reverse(name, args=[org.slug, *args])


def _activity(journey_map, verb):
    return Activity.objects.get(map=journey_map, object_kind="card", verb=verb)


def _texts(stage, lane):
    return list(
        Card.objects.filter(stage=stage, lane=lane)
        .order_by("position")
        .values_list("text", flat=True)
    )


# ---- Add -------------------------------------------------------------------


def test_add_returns_the_cell_with_the_form_open(
    dave_client, org, trip, stages, text_lane
):
    response = dave_client.post(
        _url("card_add", org, trip.pk),
        {"stage": stages[1].pk, "lane": text_lane.pk, "text": "Looks for a podiatrist"},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="cell-{text_lane.pk}-{stages[1].pk}"' in body
    assert "Looks for a podiatrist" in body
    assert "autofocus" in body  # the add form stays open for the next card
    assert "evidence-changed" in json.loads(response["HX-Trigger"])
    assert _texts(stages[1], text_lane) == ["Looks for a podiatrist"]
    activity = Activity.objects.get(map=trip, object_kind="card", verb="create")
    assert (activity.object_label, activity.changes) == ("Looks for a podiatrist", [])


def test_add_a_touchpoint_with_its_channel(dave_client, org, trip, stages, touch_lane):
    response = dave_client.post(
        _url("card_add", org, trip.pk),
        {
            "stage": stages[0].pk,
            "lane": touch_lane.pk,
            "text": "Google",
            "channel": "search",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert b"ch-search" in response.content
    assert Card.objects.get().channel == "search"


def test_add_refuses_empty_text_with_a_message(
    dave_client, org, trip, stages, text_lane
):
    response = dave_client.post(
        _url("card_add", org, trip.pk),
        {"stage": stages[0].pk, "lane": text_lane.pk, "text": "   "},
        **HTMX,
    )
    assert response.status_code == 422
    assert b"Write something on the card." in response.content
    assert not Card.objects.exists()


def test_add_refuses_too_long_text(dave_client, org, trip, stages, text_lane):
    response = dave_client.post(
        _url("card_add", org, trip.pk),
        {
            "stage": stages[0].pk,
            "lane": text_lane.pk,
            "text": "x" * (Card.TEXT_MAX + 1),
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert b"Keep a card to 500 characters" in response.content
    assert not Card.objects.exists()


def test_add_refuses_an_unknown_channel_or_impact(
    dave_client, org, trip, stages, touch_lane, pains_lane
):
    url = _url("card_add", org, trip.pk)
    bad_channel = {
        "stage": stages[0].pk,
        "lane": touch_lane.pk,
        "text": "x",
        "channel": "fax",
    }
    response = dave_client.post(url, bad_channel, **HTMX)
    assert response.status_code == 422
    assert b"Choose a channel from the list." in response.content
    bad_impact = {
        "stage": stages[0].pk,
        "lane": pains_lane.pk,
        "text": "x",
        "impact": "huge",
    }
    response = dave_client.post(url, bad_impact, **HTMX)
    assert response.status_code == 422
    assert b"Choose low, medium or high impact." in response.content
    assert not Card.objects.exists()


def test_add_to_a_stage_of_another_map_is_refused(
    dave_client, org, alice, trip, text_lane
):
    other = map_create_from_template(org, alice, "Other", "aida")
    response = dave_client.post(
        _url("card_add", org, trip.pk),
        {"stage": other.stages.first().pk, "lane": text_lane.pk, "text": "x"},
        **HTMX,
    )
    assert response.status_code == 404
    assert not Card.objects.exists()


def test_add_to_the_emotion_lane_is_refused(dave_client, org, trip, stages):
    emotion = _lane(trip, LaneKind.EMOTION)
    response = dave_client.post(
        _url("card_add", org, trip.pk),
        {"stage": stages[0].pk, "lane": emotion.pk, "text": "x"},
        **HTMX,
    )
    assert response.status_code == 404


def test_card_text_is_escaped(dave_client, org, trip, stages, text_lane):
    script = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    dave_client.post(
        _url("card_add", org, trip.pk),
        {"stage": stages[0].pk, "lane": text_lane.pk, "text": script},
        **HTMX,
    )
    page = dave_client.get(trip.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_add_without_htmx_redirects_to_the_map(
    dave_client, org, trip, stages, text_lane
):
    response = dave_client.post(
        _url("card_add", org, trip.pk),
        {"stage": stages[0].pk, "lane": text_lane.pk, "text": "Plain"},
    )
    assert response.status_code == 302
    assert response["Location"] == trip.get_absolute_url()


def test_viewer_cannot_add(bob_client, org, trip, stages, text_lane):
    response = bob_client.post(
        _url("card_add", org, trip.pk),
        {"stage": stages[0].pk, "lane": text_lane.pk, "text": "x"},
    )
    assert response.status_code == 403


# ---- Canvas ----------------------------------------------------------------


def test_canvas_shows_touchpoint_details_and_impact(
    alice_client, trip, stages, touch_lane, pains_lane
):
    _card(
        trip,
        stages[0],
        touch_lane,
        "Reminder mail",
        channel="email",
        online=True,
        branded=False,
        department="Marketing",
        experience="negative",
        moment_of_truth=True,
    )
    _card(trip, stages[0], pains_lane, "Long wait", impact="high")
    page = alice_client.get(trip.get_absolute_url()).content.decode()
    assert "ch-email" in page and "xp-negative" in page
    assert "Moment of truth" in page and "Not branded" in page
    assert "Online" in page and "Marketing" in page
    assert "impact-high" in page and "Impact: High" in page
    assert "is-assumption" in page
    assert 'data-card-message="404"' in page  # cards.js failure messages


def test_viewer_sees_cards_without_tools(bob_client, trip, stages, text_lane):
    _card(trip, stages[0], text_lane, "Read only")
    page = bob_client.get(trip.get_absolute_url()).content.decode()
    assert "Read only" in page
    assert "data-sortable" not in page
    assert "data-card-edit" not in page


# ---- Edit ------------------------------------------------------------------


def test_edit_form_shows_the_fields_of_the_lane_kind(
    dave_client, org, trip, stages, touch_lane, pains_lane, text_lane
):
    tp = _card(trip, stages[0], touch_lane)
    pain = _card(trip, stages[0], pains_lane)
    text = _card(trip, stages[0], text_lane)
    body = dave_client.get(_url("card_edit", org, tp.pk), **HTMX).content.decode()
    assert 'name="channel"' in body and 'name="impact"' not in body
    body = dave_client.get(_url("card_edit", org, pain.pk), **HTMX).content.decode()
    assert 'name="impact"' in body and 'name="channel"' not in body
    body = dave_client.get(_url("card_edit", org, text.pk), **HTMX).content.decode()
    assert 'name="impact"' not in body and 'name="channel"' not in body
    assert 'name="move_stage"' in body


def test_edit_saves_text_and_records_it(dave_client, org, trip, stages, text_lane):
    card = _card(trip, stages[0], text_lane, "Old")
    response = dave_client.post(
        _url("card_edit", org, card.pk), {"text": "New\nline", "version": 1}, **HTMX
    )
    assert response.status_code == 200
    assert f'id="card-{card.pk}"'.encode() in response.content
    card.refresh_from_db()
    assert (card.text, card.version) == ("New\nline", 2)
    activity = Activity.objects.get(map=trip, object_kind="card", verb="update")
    assert activity.object_label == "Old"  # what it was called when edited
    assert activity.changes == [
        {"field": "text", "before": "Old", "after": "New\nline"}
    ]


def test_edit_saves_touchpoint_fields(dave_client, org, trip, stages, touch_lane):
    card = _card(trip, stages[0], touch_lane, "Shop visit")
    response = dave_client.post(
        _url("card_edit", org, card.pk),
        {
            "text": "Shop visit",
            "version": 1,
            "details": "1",
            "channel": "custom",
            "custom_channel": "Fair stand",
            "online": "0",
            "branded": "1",
            "department": "Sales",
            "experience": "positive",
            "moment_of_truth": "1",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert b"Fair stand" in response.content
    card.refresh_from_db()
    assert (card.channel, card.custom_channel, card.online, card.branded) == (
        "custom",
        "Fair stand",
        False,
        True,
    )
    assert card.moment_of_truth and card.experience == "positive"
    activity = Activity.objects.get(map=trip, object_kind="card", verb="update")
    assert activity.changes == [
        {"field": "channel", "before": "", "after": "custom"},
        {"field": "custom_channel", "before": "", "after": "Fair stand"},
        {"field": "online", "before": None, "after": False},
        {"field": "branded", "before": None, "after": True},
        {"field": "department", "before": "", "after": "Sales"},
        {"field": "experience", "before": "", "after": "positive"},
        {"field": "moment_of_truth", "before": False, "after": True},
    ]


def test_a_bare_text_edit_keeps_the_touchpoint_fields(
    dave_client, org, trip, stages, touch_lane
):
    card = _card(
        trip, stages[0], touch_lane, "Mail", channel="email", moment_of_truth=True
    )
    dave_client.post(
        _url("card_edit", org, card.pk), {"text": "Mail!", "version": 1}, **HTMX
    )
    card.refresh_from_db()
    assert (card.text, card.channel, card.moment_of_truth) == ("Mail!", "email", True)


def test_custom_channel_needs_a_name(dave_client, org, trip, stages, touch_lane):
    card = _card(trip, stages[0], touch_lane, "x")
    response = dave_client.post(
        _url("card_edit", org, card.pk),
        {"text": "y", "version": 1, "details": "1", "channel": "custom"},
        **HTMX,
    )
    assert response.status_code == 422
    assert b"Name the channel." in response.content
    card.refresh_from_db()
    assert (card.text, card.channel) == ("x", "")  # nothing half-saved


def test_edit_refuses_empty_text_and_bad_impact(
    dave_client, org, trip, stages, pains_lane
):
    card = _card(trip, stages[0], pains_lane, "Wait")
    url = _url("card_edit", org, card.pk)
    response = dave_client.post(url, {"text": "", "version": 1}, **HTMX)
    assert response.status_code == 422
    assert b"Write something on the card." in response.content
    response = dave_client.post(
        url, {"text": "Wait", "version": 1, "details": "1", "impact": "9"}, **HTMX
    )
    assert response.status_code == 422
    card.refresh_from_db()
    assert (card.text, card.impact, card.version) == ("Wait", "", 1)


def test_stale_edit_gets_a_conflict_with_both_texts(
    dave_client, alice_client, org, trip, stages, text_lane
):
    card = _card(trip, stages[0], text_lane, "Original")
    url = _url("card_edit", org, card.pk)
    alice_client.post(url, {"text": "Alice's version", "version": 1}, **HTMX)
    response = dave_client.post(url, {"text": "Dave's version", "version": 1}, **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Alice&#x27;s version" in body and "Dave&#x27;s version" in body
    assert _url("card_detail", org, card.pk) in body  # keep theirs
    assert 'name="version" value="2"' in body  # overwrite with mine
    card.refresh_from_db()
    assert card.text == "Alice's version"
    # Overwrite with mine
    response = dave_client.post(url, {"text": "Dave's version", "version": 2}, **HTMX)
    assert response.status_code == 200
    card.refresh_from_db()
    assert card.text == "Dave's version"


def test_edit_of_a_card_deleted_meanwhile_keeps_the_text(
    dave_client, org, trip, stages, text_lane
):
    card = _card(trip, stages[1], text_lane, "Doomed")
    card_id = card.pk
    record(trip, None, "delete", card)  # as the delete view does
    card.delete()
    response = dave_client.post(
        _url("card_edit", org, card_id),
        {
            "text": "My careful words",
            "version": 1,
            "map": trip.pk,
            "stage": stages[1].pk,
            "lane": text_lane.pk,
        },
        **HTMX,
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "deleted this card" in body
    assert "My careful words" in body
    assert _url("card_add", org, trip.pk) in body  # add it again


def test_edit_of_a_card_that_never_was_on_this_organisations_maps_is_404(
    dave_client, org, trip, stages, text_lane
):
    response = dave_client.post(
        _url("card_edit", org, uuid.uuid4()),
        {"text": "Probe", "version": 1},
        **HTMX,
    )
    assert response.status_code == 404


def test_edit_moves_a_card_with_move_to(
    dave_client, org, trip, stages, text_lane, pains_lane
):
    card = _card(trip, stages[0], text_lane, "Wanders")
    response = dave_client.post(
        _url("card_edit", org, card.pk),
        {
            "text": "Wanders",
            "version": 1,
            "move_stage": stages[2].pk,
            "move_lane": pains_lane.pk,
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#cell-{text_lane.pk}-{stages[0].pk}"
    assert b'hx-swap-oob="true"' in response.content
    card.refresh_from_db()
    assert (card.stage_id, card.lane_id) == (stages[2].pk, pains_lane.pk)
    assert Activity.objects.filter(map=trip, object_kind="card", verb="move").exists()


def test_edit_cannot_move_to_a_stage_of_another_map(
    dave_client, org, alice, trip, stages, text_lane
):
    other = map_create_from_template(org, alice, "Other", "aida")
    card = _card(trip, stages[0], text_lane, "Stays")
    response = dave_client.post(
        _url("card_edit", org, card.pk),
        {"text": "Stays", "version": 1, "move_stage": other.stages.first().pk},
        **HTMX,
    )
    assert response.status_code == 422
    card.refresh_from_db()
    assert (card.stage_id, card.version) == (stages[0].pk, 1)


def test_edit_post_query_count(
    dave_client, org, trip, stages, text_lane, django_assert_num_queries
):
    card = _card(trip, stages[0], text_lane, "Fast")
    url = _url("card_edit", org, card.pk)
    dave_client.get(url, **HTMX)  # warm the session
    # session, user, membership, card (with map, lane, n_findings), update,
    # record: map revision, its refresh, the activity row (and pg_notify)
    with django_assert_num_queries(8 + NOTIFY):
        response = dave_client.post(url, {"text": "Faster", "version": 1}, **HTMX)
    assert response.status_code == 200


def test_outsider_and_viewer_cannot_edit(
    carol_client, bob_client, org, trip, stages, text_lane
):
    card = _card(trip, stages[0], text_lane, "Mine")
    url = _url("card_edit", org, card.pk)
    assert carol_client.post(url, {"text": "x", "version": 1}).status_code == 404
    assert bob_client.post(url, {"text": "x", "version": 1}).status_code == 403
    card.refresh_from_db()
    assert card.text == "Mine"


# ---- Delete ----------------------------------------------------------------


def test_delete_asks_then_deletes(dave_client, org, trip, stages, text_lane):
    card = _card(trip, stages[0], text_lane, "Bye")
    url = _url("card_delete", org, card.pk)
    response = dave_client.get(url, **HTMX)
    assert b"Delete this card?" in response.content
    response = dave_client.post(
        url,
        {"version": 1, "map": trip.pk, "stage": stages[0].pk, "lane": text_lane.pk},
        **HTMX,
    )
    assert response.status_code == 200
    assert f'id="cell-{text_lane.pk}-{stages[0].pk}"'.encode() in response.content
    assert "evidence-changed" in json.loads(response["HX-Trigger"])
    assert not Card.objects.exists()
    activity = _activity(trip, "delete")
    assert (activity.object_id, activity.object_label) == (card.pk, "Bye")


def test_delete_of_a_changed_card_asks_again(
    dave_client, alice_client, org, trip, stages, text_lane
):
    card = _card(trip, stages[0], text_lane, "Before")
    alice_client.post(
        _url("card_edit", org, card.pk), {"text": "After", "version": 1}, **HTMX
    )
    response = dave_client.post(
        _url("card_delete", org, card.pk), {"version": 1}, **HTMX
    )
    assert response.status_code == 409
    assert b"Someone changed this card meanwhile" in response.content
    assert b"After" in response.content
    assert Card.objects.filter(pk=card.pk).exists()


def test_delete_of_a_card_deleted_meanwhile_shows_the_cell(
    dave_client, org, trip, stages, text_lane
):
    card = _card(trip, stages[0], text_lane, "Gone")
    card_id = card.pk
    card.delete()
    response = dave_client.post(
        _url("card_delete", org, card_id),
        {"version": 1, "map": trip.pk, "stage": stages[0].pk, "lane": text_lane.pk},
        **HTMX,
    )
    assert response.status_code == 200
    assert f'id="cell-{text_lane.pk}-{stages[0].pk}"'.encode() in response.content


# ---- Reorder and move ------------------------------------------------------


def test_reorder_within_a_cell(dave_client, org, trip, stages, text_lane):
    a, b, c = (_card(trip, stages[0], text_lane, t) for t in "abc")
    response = dave_client.post(
        _url("card_reorder", org, trip.pk),
        {"stage": stages[0].pk, "lane": text_lane.pk, "order": f"{b.pk},{c.pk},{a.pk}"},
        **HTMX,
    )
    assert response.status_code == 200
    assert _texts(stages[0], text_lane) == ["b", "c", "a"]
    activity = Activity.objects.get(map=trip, object_kind="card", verb="reorder")
    assert activity.object_id == a.pk


def test_drag_to_another_stage_moves_the_card(
    dave_client, org, trip, stages, text_lane, pains_lane
):
    a = _card(trip, stages[0], text_lane, "a")
    b = _card(trip, stages[2], pains_lane, "b")
    response = dave_client.post(
        _url("card_reorder", org, trip.pk),
        {"stage": stages[2].pk, "lane": pains_lane.pk, "order": f"{a.pk},{b.pk}"},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="cell-{pains_lane.pk}-{stages[2].pk}"' in body
    assert f'id="cell-{text_lane.pk}-{stages[0].pk}" ' in body  # source, out of band
    assert "evidence-changed" in json.loads(response["HX-Trigger"])
    assert _texts(stages[2], pains_lane) == ["a", "b"]
    assert _texts(stages[0], text_lane) == []
    activity = Activity.objects.get(map=trip, object_kind="card", verb="move")
    assert (activity.object_id, activity.object_label) == (a.pk, "a")
    assert activity.changes == [
        {
            "field": "cell",
            "before": f"{stages[0].title} · {text_lane.title}",
            "after": f"{stages[2].title} · {pains_lane.title}",
        }
    ]


def test_a_card_of_another_map_cannot_be_dragged_in(
    dave_client, org, alice, trip, stages, text_lane
):
    other = map_create_from_template(org, alice, "Other", "aida")
    stranger = _card(
        other, other.stages.first(), other.lanes.filter(kind="text").first(), "Stranger"
    )
    mine = _card(trip, stages[0], text_lane, "Mine")
    response = dave_client.post(
        _url("card_reorder", org, trip.pk),
        {
            "stage": stages[0].pk,
            "lane": text_lane.pk,
            "order": f"{stranger.pk},{mine.pk}",
        },
        **HTMX,
    )
    assert response.status_code == 409
    stranger.refresh_from_db()
    assert stranger.map_id == other.pk


def test_reorder_into_a_stage_of_another_map_is_refused(
    dave_client, org, alice, trip, stages, text_lane
):
    other = map_create_from_template(org, alice, "Other", "aida")
    mine = _card(trip, stages[0], text_lane, "Mine")
    response = dave_client.post(
        _url("card_reorder", org, trip.pk),
        {"stage": other.stages.first().pk, "lane": text_lane.pk, "order": f"{mine.pk}"},
        **HTMX,
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.stage_id == stages[0].pk


def test_stale_reorder_gets_the_cell_as_it_is(
    dave_client, org, trip, stages, text_lane
):
    a, b = (_card(trip, stages[0], text_lane, t) for t in "ab")
    response = dave_client.post(
        _url("card_reorder", org, trip.pk),
        {
            "stage": stages[0].pk,
            "lane": text_lane.pk,
            "order": f"{b.pk},{uuid.uuid4()}",
        },
        **HTMX,
    )
    assert response.status_code == 409
    assert _texts(stages[0], text_lane) == ["a", "b"]


def test_keyboard_moves_up_down_left_right(dave_client, org, trip, stages, text_lane):
    a, b = (_card(trip, stages[1], text_lane, t) for t in "ab")
    url = _url("card_move", org, b.pk)
    assert dave_client.post(url, {"direction": "up"}, **HTMX).status_code == 200
    assert _texts(stages[1], text_lane) == ["b", "a"]
    response = dave_client.post(url, {"direction": "right"}, **HTMX)
    assert response.status_code == 200
    assert b'hx-swap-oob="true"' in response.content
    assert _texts(stages[2], text_lane) == ["b"]
    dave_client.post(url, {"direction": "left"}, **HTMX)
    dave_client.post(url, {"direction": "left"}, **HTMX)
    assert _texts(stages[0], text_lane) == ["b"]
    # At the first stage already: nothing moves.
    assert dave_client.post(url, {"direction": "left"}, **HTMX).status_code == 200
    assert _texts(stages[0], text_lane) == ["b"]
    assert Activity.objects.filter(map=trip, verb="move").count() == 3


# ---- Evidence --------------------------------------------------------------


def test_cite_a_finding_turns_the_card_validated(
    dave_client, org, trip, stages, text_lane
):
    seed_research(org)
    finding = Finding.objects.filter(study__organisation=org).first()
    card = _card(trip, stages[0], text_lane, "Guess")
    url = _url("card_evidence", org, card.pk)
    assert finding.statement.encode() in dave_client.get(url, **HTMX).content
    response = dave_client.post(url, {"version": 1, "findings": [finding.pk]}, **HTMX)
    assert response.status_code == 200
    assert b"is-validated" in response.content
    assert "evidence-changed" in json.loads(response["HX-Trigger"])
    assert list(card.findings.all()) == [finding]
    cited = _activity(trip, "cite").changes
    assert cited == [{"field": "findings", "before": [], "after": [finding.statement]}]
    # And uncite.
    response = dave_client.post(url, {"version": 2}, **HTMX)
    assert b"is-assumption" in response.content
    assert not card.findings.exists()


def test_cannot_cite_a_finding_of_another_organisation(
    dave_client, org, other_org, trip, stages, text_lane
):
    seed_research(other_org)
    foreign = Finding.objects.filter(study__organisation=other_org).first()
    card = _card(trip, stages[0], text_lane, "Guess")
    response = dave_client.post(
        _url("card_evidence", org, card.pk),
        {"version": 1, "findings": [foreign.pk]},
        **HTMX,
    )
    assert response.status_code == 422
    assert not card.findings.exists()


def test_stale_citation_gets_a_conflict(dave_client, org, trip, stages, text_lane):
    seed_research(org)
    finding = Finding.objects.filter(study__organisation=org).first()
    card = _card(trip, stages[0], text_lane, "Guess")
    Card.objects.filter(pk=card.pk).update(version=2)
    response = dave_client.post(
        _url("card_evidence", org, card.pk),
        {"version": 1, "findings": [finding.pk]},
        **HTMX,
    )
    assert response.status_code == 409
    assert not card.findings.exists()
    assert not Activity.objects.filter(verb="cite").exists()


def test_detail_fragment_shows_the_card(alice_client, org, trip, stages, text_lane):
    card = _card(trip, stages[0], text_lane, "Look")
    response = alice_client.get(_url("card_detail", org, card.pk), **HTMX)
    assert response.status_code == 200
    assert f'id="card-{card.pk}"'.encode() in response.content


def test_cell_fragment_opens_the_add_form(dave_client, org, trip, stages, touch_lane):
    url = _url("card_cell", org, trip.pk, stages[0].pk, touch_lane.pk)
    closed = dave_client.get(url, **HTMX).content.decode()
    assert 'name="text"' not in closed and "data-cell-add-open" in closed
    opened = dave_client.get(url + "?add", **HTMX).content.decode()
    assert 'name="text"' in opened and 'name="channel"' in opened


def test_pages_without_javascript(dave_client, org, trip, stages, text_lane):
    card = _card(trip, stages[0], text_lane, "Plain")
    response = dave_client.get(_url("card_edit", org, card.pk))
    assert response.status_code == 200
    assert b'name="text"' in response.content
    response = dave_client.get(_url("card_delete", org, card.pk))
    assert b"Delete this card?" in response.content
    response = dave_client.post(
        _url("card_edit", org, card.pk), {"text": "Saved plainly", "version": 1}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.text == "Saved plainly"


def test_kept_card_html_follows_the_card_and_the_reader(
    alice_client, bob_client, trip, stages, text_lane
):
    card = _card(trip, stages[0], text_lane, "First words")
    url = trip.get_absolute_url()
    assert "First words" in alice_client.get(url).content.decode()
    # Even a change that does not bump the version shows at once.
    Card.objects.filter(pk=card.pk).update(text="Second words")
    page = alice_client.get(url).content.decode()
    assert "Second words" in page and "First words" not in page
    assert f"cards/{card.pk}/edit/" in page
    # A viewer never gets the editor's card (with its tools).
    assert f"cards/{card.pk}/edit/" not in bob_client.get(url).content.decode()


def test_kept_cells_follow_cards_arriving_and_leaving(
    alice_client, bob_client, trip, stages, text_lane
):
    first = _card(trip, stages[0], text_lane, "Stays here")
    url = trip.get_absolute_url()
    alice_client.get(url)  # the cells are kept now
    _card(trip, stages[0], text_lane, "Joins later")
    page = alice_client.get(url).content.decode()
    assert page.index("Stays here") < page.index("Joins later")
    Card.objects.filter(pk=first.pk).update(stage=stages[1])
    page = alice_client.get(url).content.decode()
    cell = page[page.index(f'id="cell-{text_lane.pk}-{stages[0].pk}"') :]
    cell = cell[: cell.index("</td>")]
    assert "Joins later" in cell and "Stays here" not in cell
    # The viewer's cells have no drag-and-drop hooks; the editor's have (their
    # reorder URL on #canvas, for canvas-cards.js to give each list).
    assert 'class="cell-cards" data-sortable>' in page
    assert "data-card-reorder-url" in page
    viewer = bob_client.get(url).content.decode()
    assert "data-sortable" not in viewer and "data-card-reorder-url" not in viewer
