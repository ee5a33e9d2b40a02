"""The organisation's overview: recent maps, my actions, changes since my previous
visit, open research questions; the how-to for an organisation without maps."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from journeymap.models import VISIT_GAP, Membership, membership_visit
from maps.activity import Activity
from maps.models import (
    Action,
    ActionStatus,
    Card,
    JourneyMap,
    MapStatus,
    map_create_from_template,
    record,
)
from research.models import Finding, QuestionStatus, ResearchQuestion, Study

OVERVIEW = "/o/demo/"


def _map(org, user, title="Podiatrist visit"):
    return map_create_from_template(org, user, title, "five_phases")


def _card(journey_map, text="Books online", finding=None):
    card = Card.objects.create(
        map=journey_map,
        stage=journey_map.stages.first(),
        lane=journey_map.lanes.first(),
        text=text,
    )
    if finding is not None:
        card.findings.add(finding)
    return card


def _finding(org):
    study = Study.objects.create(
        organisation=org, title="Survey", method="questionnaire", kind="quant"
    )
    return Finding.objects.create(study=study, statement="Most book online")


def _action(journey_map, owner, title, **fields):
    return Action.objects.create(
        map=journey_map,
        stage=journey_map.stages.first(),
        title=title,
        owner=owner,
        **fields,
    )


def _body(client, url=OVERVIEW) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _section(body: str, heading_id: str) -> str:
    """The HTML of one overview section, from its heading to the next section."""
    start = body.index(f'aria-labelledby="{heading_id}"')
    end = body.find("<section", start)
    return body[start : end if end != -1 else None]


def _backdate_visits(user, org, by: timedelta) -> None:
    membership = Membership.objects.get(user=user, organisation=org)
    Membership.objects.filter(pk=membership.pk).update(
        last_visit=membership.last_visit - by
    )


# ---- An organisation without maps -------------------------------------------


def test_an_empty_organisation_shows_the_how_to_and_what_to_do(alice_client):
    body = _body(alice_client)
    assert body.index('id="method-title"') < body.index('id="maps-title"')
    assert "overview-method" not in body  # the how-to is open, not folded away
    assert "No journey maps yet." in body
    assert 'href="/o/demo/maps/new/"' in body
    assert "Nothing on your plate." in body
    assert "No open questions." in body
    assert 'href="/o/demo/research/questions/new/"' in body


def test_with_maps_the_how_to_folds_away_below(alice_client, org, alice):
    _map(org, alice)
    body = _body(alice_client)
    assert body.index('id="maps-title"') < body.index('id="method-title"')
    assert '<details class="overview-method">' in body


def test_viewers_see_the_overview_without_creating_buttons(bob_client):
    body = _body(bob_client)
    assert "An editor of this organisation can create one." in body
    assert 'href="/o/demo/maps/new/"' not in body
    assert 'href="/o/demo/research/questions/new/"' not in body


# ---- Recent maps --------------------------------------------------------------


def test_recent_maps_show_evidence_share_and_who_changed_them_last(
    alice_client, org, alice, dave
):
    journey_map = _map(org, alice)
    finding = _finding(org)
    _card(journey_map, "Validated", finding)
    for text in ("Assumed 1", "Assumed 2", "Assumed 3"):
        _card(journey_map, text)
    record(journey_map, dave, "update")
    section = _section(_body(alice_client), "maps-title")
    assert f'href="/o/demo/maps/{journey_map.pk}/"' in section
    assert "<strong>25%</strong> validated · 1 of 4 cards" in section
    assert "Last changed: dave, " in section


def test_recent_maps_are_bounded_newest_first_without_archived(
    alice_client, org, alice
):
    maps = [_map(org, alice, f"Map {i}") for i in range(8)]
    JourneyMap.objects.filter(pk=maps[7].pk).update(status=MapStatus.ARCHIVED)
    section = _section(_body(alice_client), "maps-title")
    shown = [m.title for m in maps if f"/maps/{m.pk}/" in section]
    assert shown == ["Map 1", "Map 2", "Map 3", "Map 4", "Map 5", "Map 6"]
    assert section.index("Map 6") < section.index("Map 1")
    assert 'href="/o/demo/maps/">See all 7 maps' in section


# ---- My actions ---------------------------------------------------------------


def test_my_open_actions_come_overdue_first_and_only_mine(
    alice_client, org, alice, dave
):
    journey_map = _map(org, alice)
    today = timezone.localdate()
    _action(journey_map, alice, "Later", due=today + timedelta(days=9))
    _action(journey_map, alice, "Late one", due=today - timedelta(days=2))
    _action(journey_map, alice, "Going", status=ActionStatus.IN_PROGRESS)
    _action(journey_map, alice, "Finished", status=ActionStatus.DONE)
    _action(journey_map, dave, "Dave's")
    _action(journey_map, None, "Nobody's")
    section = _section(_body(alice_client), "actions-title")
    assert section.index("Late one") < section.index("Later")
    assert "Going" in section
    assert "Overdue" in section and "1 overdue" in section
    for absent in ("Finished", "Dave&#x27;s", "Nobody&#x27;s"):
        assert absent not in section
    assert 'href="/o/demo/actions/?owner=me&amp;status=unfinished"' in section
    assert "See all 3 of mine" in section


def test_my_actions_say_what_to_do_when_there_are_none(dave_client, org, alice):
    _action(_map(org, alice), alice, "Alice's")
    section = _section(_body(dave_client), "actions-title")
    assert "Nothing on your plate." in section
    assert "Alice" not in section


# ---- Changes since my previous visit -------------------------------------------


def test_a_first_visit_shows_recent_changes_by_others(alice_client, org, alice, dave):
    journey_map = _map(org, alice)  # alice's own "created the map"
    record(journey_map, dave, "create", _card(journey_map, "Phones at nine"))
    section = _section(_body(alice_client), "changes-title")
    assert "Recent changes" in section
    assert "dave</span> added the card “Phones at nine”" in section
    assert "created the map" not in section  # her own change


def test_changes_since_the_previous_visit_only(alice_client, org, alice, dave):
    journey_map = _map(org, alice)
    record(journey_map, dave, "create", _card(journey_map, "Before"))
    alice_client.get(OVERVIEW)  # a visit; the next one starts VISIT_GAP later
    _backdate_visits(alice, org, VISIT_GAP)
    Activity.objects.update(created=timezone.now() - VISIT_GAP - timedelta(minutes=1))
    record(journey_map, dave, "create", _card(journey_map, "After"))
    section = _section(_body(alice_client), "changes-title")
    assert "Since your last visit" in section
    assert "“After”" in section
    assert "“Before”" not in section
    assert "1 change in all, on:" in section
    history = f"/o/demo/maps/{journey_map.pk}/history/?since="
    assert history in section


def test_a_refresh_keeps_the_changes_of_this_visit(alice_client, org, alice, dave):
    journey_map = _map(org, alice)
    alice_client.get(OVERVIEW)
    _backdate_visits(alice, org, VISIT_GAP)
    record(journey_map, dave, "create", _card(journey_map, "News"))
    assert "“News”" in _section(_body(alice_client), "changes-title")
    # Reading the list, then refreshing: it is still there.
    assert "“News”" in _section(_body(alice_client), "changes-title")


def test_nothing_new_says_so(alice_client, org, alice):
    _map(org, alice)
    alice_client.get(OVERVIEW)
    _backdate_visits(alice, org, VISIT_GAP)
    section = _section(_body(alice_client), "changes-title")
    assert "Nobody else changed a map since your last visit." in section


def test_a_visit_begins_after_the_gap_and_keeps_its_moment_within_it(alice, org):
    membership = Membership.objects.get(user=alice, organisation=org)
    start = timezone.now()
    assert membership_visit(membership, start) is None  # first visit ever
    within = start + VISIT_GAP - timedelta(seconds=1)
    assert membership_visit(membership, within) is None
    later = start + VISIT_GAP
    assert membership_visit(membership, later) == start
    membership.refresh_from_db()
    assert (membership.previous_visit, membership.last_visit) == (start, later)
    assert membership_visit(membership, later + timedelta(minutes=5)) == start


def test_two_tabs_opening_at_once_advance_the_mark_once(alice, org):
    start = timezone.now() - VISIT_GAP
    Membership.objects.filter(user=alice).update(last_visit=start)
    tab_one = Membership.objects.get(user=alice, organisation=org)
    tab_two = Membership.objects.get(user=alice, organisation=org)
    now = timezone.now()
    assert membership_visit(tab_one, now) == start
    assert membership_visit(tab_two, now + timedelta(seconds=1)) == start
    tab_two.refresh_from_db()
    assert tab_two.last_visit == now


def test_each_member_has_their_own_visits(alice_client, bob_client, alice, bob, org):
    alice_client.get(OVERVIEW)
    assert Membership.objects.get(user=alice).last_visit is not None
    assert Membership.objects.get(user=bob).last_visit is None
    bob_client.get(OVERVIEW)  # viewers visit too
    assert Membership.objects.get(user=bob).last_visit is not None


# ---- Open research questions -----------------------------------------------


def test_open_questions_are_listed_answered_ones_not(alice_client, org):
    ResearchQuestion.objects.create(organisation=org, text="When does it hurt?")
    ResearchQuestion.objects.create(
        organisation=org, text="Done already?", status=QuestionStatus.ANSWERED
    )
    section = _section(_body(alice_client), "questions-title")
    assert "When does it hurt?" in section
    assert "No study yet" in section
    assert "Done already?" not in section
    assert 'href="/o/demo/research/">See the question' in section


def test_open_questions_are_bounded(alice_client, org):
    for i in range(7):
        ResearchQuestion.objects.create(organisation=org, text=f"Question {i}?")
    section = _section(_body(alice_client), "questions-title")
    assert "Question 4?" in section and "Question 5?" not in section
    assert "See all 7 open" in section


# ---- Nobody sees another organisation's data ---------------------------------


def test_nothing_of_another_organisation_shows(
    alice_client, carol_client, org, other_org, carol, alice
):
    theirs = _map(other_org, carol, "Carol's map")
    record(theirs, carol, "create", _card(theirs, "Carol's card"))
    _action(theirs, alice, "Carol's action for alice")  # even owned by alice
    ResearchQuestion.objects.create(organisation=other_org, text="Carol's question?")
    body = _body(alice_client)
    assert "Carol" not in body
    assert carol_client.get(OVERVIEW).status_code == 404


# ---- Queries -------------------------------------------------------------------


def _fill(org, alice, dave, n: int) -> None:
    finding = _finding(org) if not Finding.objects.exists() else Finding.objects.get()
    for i in range(n):
        journey_map = _map(org, alice, f"Map {i}")
        card = _card(journey_map, f"Card {i}", finding)
        record(journey_map, dave, "create", card)
        _action(journey_map, alice, f"Action {i}", due=datetime.date(2020, 1, 1))
        ResearchQuestion.objects.create(organisation=org, text=f"Question {i}?")


@pytest.mark.parametrize("n", [1, 9])
def test_the_overview_is_a_fixed_number_of_queries(
    n, alice_client, org, alice, dave, django_assert_num_queries
):
    _fill(org, alice, dave, n)
    alice_client.get(OVERVIEW)  # the visit begins (and is written) here
    # session, user, membership, member counts, invitations, maps, number of
    # maps, my actions and their counts, changes and changes per map, open
    # questions and their number, the organisation switcher
    with django_assert_num_queries(14):
        assert alice_client.get(OVERVIEW).status_code == 200


def test_a_new_visit_costs_one_write(alice_client, org, django_assert_num_queries):
    alice_client.get(OVERVIEW)
    Membership.objects.update(last_visit=timezone.now() - VISIT_GAP)
    with django_assert_num_queries(15):
        alice_client.get(OVERVIEW)


def test_a_live_refresh_of_a_section_is_not_a_visit(alice_client, org, alice):
    alice_client.get(OVERVIEW)
    _backdate_visits(alice, org, VISIT_GAP)
    before = Membership.objects.get(user=alice).last_visit
    response = alice_client.get(OVERVIEW, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Membership.objects.get(user=alice).last_visit == before


def test_the_overview_follows_the_maps_live(alice_client, org, alice):
    _map(org, alice)
    body = _body(alice_client)
    assert 'data-live-url="/o/demo/maps/events/"' in body
    assert 'data-live-refresh="#overview-maps, #overview-changes"' in body


def test_changes_come_newest_first_by_when_they_happened(
    alice_client, org, alice, dave
):
    journey_map = _map(org, alice)
    first = record(journey_map, dave, "create", _card(journey_map, "Later"))
    # Imported or seeded history need not be written in the order it happened.
    second = record(journey_map, dave, "create", _card(journey_map, "Earlier"))
    Activity.objects.filter(pk=second.pk).update(
        created=first.created - timedelta(days=1)
    )
    section = _section(_body(alice_client), "changes-title")
    assert section.index("“Later”") < section.index("“Earlier”")


def test_changes_name_the_person_as_the_history_does(alice_client, org, alice, dave):
    journey_map = _map(org, alice)
    change = record(journey_map, dave, "create", _card(journey_map, "Phones at nine"))
    # Seeded history keeps no name with the change; the person is named from
    # the account, like the history panel does.
    Activity.objects.filter(pk=change.pk).update(actor_name="")
    dave.first_name, dave.last_name = "Dave", "Visser"
    dave.save()
    section = _section(_body(alice_client), "changes-title")
    assert "Dave Visser</span> added the card “Phones at nine”" in section
    assert "Someone" not in section
