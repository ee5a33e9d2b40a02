"""The map's history panel: GET …/maps/<id>/history/, page and htmx fragment."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from journeymap.models import Membership
from maps.activity import change, describe
from maps.history import PAGE_SIZE
from maps.models import (
    Action,
    Activity,
    Card,
    Stage,
    map_create_from_template,
    record,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def journey_map(org, alice):
    return map_create_from_template(org, alice, "Podotherapeut", "seven_phases")


def _url(journey_map, query=""):
    return f"/o/demo/maps/{journey_map.pk}/history/{query}"


def _rename(journey_map, user, before, after):
    stage = Stage.objects.filter(map=journey_map).first()
    renamed = [change("title", before, after)]
    return record(journey_map, user, "update", stage, changes=renamed)


def _sentence(name, text):
    """A history sentence as the panel shows it, the actor marked up."""
    return f'<span class="history-who">{name}</span> {text}'


def test_it_lists_changes_newest_first_with_before_and_after(
    alice_client, journey_map, alice, dave
):
    _rename(journey_map, alice, "first-name", "second-name")
    _rename(journey_map, dave, "second-name", "third-name")
    body = alice_client.get(_url(journey_map)).content.decode()
    assert body.index("third-name") < body.index("first-name")
    renamed = "renamed the stage “second-name” to “third-name”"
    assert _sentence("dave", renamed) in body
    assert _sentence("alice", "created the map") in body
    assert '<time datetime="' in body


def test_htmx_gets_the_panel_fragment_over_the_canvas(alice_client, journey_map, alice):
    response = alice_client.get(
        _url(journey_map),
        HTTP_HX_CURRENT_URL=f"http://testserver/o/demo/maps/{journey_map.pk}/",
        **HTMX,
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<aside id="history-panel"')
    assert "is-overlay" in body
    assert "<html" not in body


def _told(verb, kind, label="", changes=()):
    activity = Activity(
        verb=verb, object_kind=kind, object_label=label, changes=list(changes)
    )
    with translation.override("en"):
        return describe(activity, "ann")


def test_describe_has_a_sentence_for_known_pairs_and_a_fallback():
    assert _told("move", "card", "Calls") == "ann moved the card “Calls”"
    title = [change("title", "Need", "Behoefte")]
    assert _told("update", "stage", "Behoefte", title) == (
        "ann renamed the stage “Need” to “Behoefte”"
    )
    described = [change("description", "a", "b")]
    assert _told("update", "stage", "Need", described) == (
        "ann changed the stage “Need”"
    )
    lane = [change("title", "Pains", "Pijnpunten")]
    assert _told("update", "lane", "Pijnpunten", lane) == (
        "ann renamed the lane “Pains” to “Pijnpunten”"
    )
    assert _told("status", "action", "Call") == (
        "ann changed the status of the action “Call”"
    )
    assert _told("set", "emotion", "Intake · Anna") == (
        "ann set the feeling in “Intake · Anna”"
    )
    assert _told("create", "") == "ann created the map"
    assert _told("frobnicate", "card", "Calls") == "ann made a change"
    assert _told("frobnicate", "widget") == "ann made a change"


def test_it_filters_by_person(alice_client, journey_map, alice, dave):
    _rename(journey_map, alice, "alice-was", "alice-became")
    _rename(journey_map, dave, "dave-was", "dave-became")
    body = alice_client.get(_url(journey_map, f"?person={dave.pk}")).content.decode()
    assert "dave-became" in body
    assert "alice-became" not in body
    assert f'<option value="{dave.pk}" selected>' in body


def test_it_filters_since_a_moment(alice_client, journey_map, alice):
    old = _rename(journey_map, alice, "Old1", "Old2")
    Activity.objects.filter(pk=old.pk).update(
        created=timezone.now() - timedelta(days=10)
    )
    _rename(journey_map, alice, "New1", "New2")
    since = timezone.localtime() - timedelta(days=7)
    query = "?since=" + since.strftime("%Y-%m-%dT%H:%M")
    body = alice_client.get(_url(journey_map, query)).content.decode()
    assert "New2" in body
    assert "Old2" not in body


def test_since_my_last_change_shows_what_others_did_after_it(
    alice_client, journey_map, alice, dave
):
    _rename(journey_map, dave, "Before1", "Before2")
    mine = _rename(journey_map, alice, "Mine1", "Mine2")
    _rename(journey_map, dave, "After1", "After2")
    body = alice_client.get(_url(journey_map)).content.decode()
    assert f"?after={mine.revision}" in body  # the quick choice
    body = alice_client.get(_url(journey_map, f"?after={mine.revision}")).content
    assert b"After2" in body
    assert b"Mine2" not in body
    assert b"Before2" not in body


@pytest.mark.parametrize(
    "query",
    [
        "?person=abc",
        "?person=999999",
        "?since=yesterday",
        "?since=0001-01-01T00:00",
        "?after=-3",
        "?older=x",
        "?since=2026-13-45T99:99&person=%3Cb%3E",
    ],
)
def test_invalid_filters_are_ignored_with_a_message(
    alice_client, journey_map, alice, query
):
    _rename(journey_map, alice, "Kept1", "Kept2")
    response = alice_client.get(_url(journey_map, query))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kept2" in body
    if "older" not in query:
        assert "Ignored the filter" in body


def test_before_and_after_are_escaped_and_long_texts_truncated(
    alice_client, journey_map, alice
):
    long = "lang " * 60 + "EINDE"
    stage = journey_map.stages.first()
    described = [change("description", "<script>alert(1)</script>", long)]
    record(journey_map, alice, "update", stage, changes=described)
    body = alice_client.get(_url(journey_map)).content.decode()
    assert "<script>alert(1)" not in body
    assert "Description: &lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<details>" in body
    assert "EINDE" in body  # the full text is there, behind "show all"


def test_people_who_left_are_named_so(alice_client, journey_map, alice, dave, org):
    _rename(journey_map, dave, "x", "by dave")
    record(journey_map, None, "create", journey_map)
    Membership.objects.filter(organisation=org, user=dave).delete()
    body = alice_client.get(_url(journey_map)).content.decode()
    assert body.count("Someone who has left") == 2
    assert f'value="{dave.pk}"' not in body  # not offered as a filter


def test_it_shows_a_page_at_a_time(alice_client, journey_map, alice):
    for i in range(PAGE_SIZE + 10):
        _rename(journey_map, alice, f"v{i}", f"w{i}.")
    body = alice_client.get(_url(journey_map)).content.decode()
    assert f"w{PAGE_SIZE + 9}." in body
    assert "w5." not in body
    assert "Show older changes" in body
    oldest_shown = Activity.objects.order_by("-id")[PAGE_SIZE - 1]
    more = alice_client.get(
        _url(journey_map, f"?older={oldest_shown.pk}"), **HTMX
    ).content.decode()
    assert "w5." in body or "w5." in more
    assert "<aside" not in more
    assert "Show older changes" not in more


def test_the_query_count_does_not_grow_with_the_history(
    alice_client, journey_map, alice, dave, django_assert_num_queries
):
    stage = journey_map.stages.first()
    lane = journey_map.lanes.first()
    card = Card.objects.create(map=journey_map, stage=stage, lane=lane, text="Kaart")
    action = Action.objects.create(map=journey_map, stage=stage, title="Bellen")
    objects = [stage, lane, card, action]

    def edit(i):
        user = dave if i % 2 else alice
        status = [change("status", f"b{i}", f"a{i}")]
        record(journey_map, user, "status", objects[i % 4], changes=status)

    def count():
        # session, user, membership, map, people, checkpoints, entries, and
        # alice's latest change (a status: nothing to undo): what the entries
        # are about is named in the rows themselves.
        with django_assert_num_queries(8):
            alice_client.get(_url(journey_map), **HTMX)

    alice_client.get(_url(journey_map))  # the session remembers the organisation
    for i in range(4):
        edit(i)
    count()
    for i in range(80):
        edit(i)
    count()


def test_entries_name_what_they_are_about(alice_client, journey_map, alice):
    stage = journey_map.stages.first()
    action = Action.objects.create(map=journey_map, stage=stage, title="Bellen")
    status = [change("status", "open", "done")]
    record(journey_map, alice, "status", action, changes=status)
    body = alice_client.get(_url(journey_map)).content.decode()
    told = "changed the status of the action “Bellen”"
    assert _sentence("alice", told) in body
    assert "Status: Open" in body and "Status: Done" in body


def test_an_empty_filter_result_says_so(alice_client, journey_map, dave):
    _rename(journey_map, dave, "x", "y")
    query = f"?person={dave.pk}&since=2999-01-01T00:00"
    body = alice_client.get(_url(journey_map, query)).content
    assert b"No changes match this filter." in body


def test_viewers_may_read_it(bob_client, journey_map):
    assert bob_client.get(_url(journey_map)).status_code == 200


def test_outsiders_get_404(carol_client, journey_map):
    assert carol_client.get(_url(journey_map)).status_code == 404
    assert carol_client.get(_url(journey_map), **HTMX).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, journey_map):
    response = client.get(_url(journey_map))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_it_only_answers_get(alice_client, journey_map):
    assert alice_client.post(_url(journey_map)).status_code == 405
