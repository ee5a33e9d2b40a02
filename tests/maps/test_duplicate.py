"""
Duplicating a map (maps.files.json_format.map_duplicate): export and import in
the same organisation, so the copy keeps everything and reuses its research.

The comparisons read the database directly, not through export_map, so a field
the format forgot would show up here as a difference.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maps.demo import OFFICE, PODIATRIST, seed_maps
from maps.files.json_format import (
    ImportRejected,
    export_map,
    import_map,
    map_duplicate,
)
from maps.models import (
    Action,
    ActionStatus,
    Card,
    Channel,
    Emotion,
    JourneyMap,
    MapStatus,
    MapType,
    map_create_from_template,
)
from research.demo import seed_research
from research.models import DMU, Finding, Persona, Study

DEMO_MAPS = [PODIATRIST, OFFICE]


@pytest.fixture
def demo(org, alice):
    """The demo maps, with what the demo data leaves blank filled in."""
    seed_research(org)
    seed_maps(org, alice)
    # Active, so that a copy being a draft is the copy's doing.
    org.journey_maps.update(status=MapStatus.ACTIVE)
    for journey_map in org.journey_maps.all():
        for i, stage in enumerate(journey_map.stages.all()):
            stage.description = f"What happens in {stage.title}"
            stage.customer_goal = f"Goal {i}: get through {stage.title}"
            stage.save()
        # Hidden lanes, and a touchpoint with its own channel.
        journey_map.lanes.filter(kind="text").update(hidden=True)
        card = journey_map.cards.filter(lane__kind="touchpoints").first()
        card.channel, card.custom_channel = Channel.CUSTOM, "Buurtapp"
        card.department, card.experience, card.impact = "Balie", "negative", "high"
        card.moment_of_truth = True
        card.save()
    return org


@pytest.fixture
def elsewhere(other_org, carol):
    """Carol's organisation, with its own copy of the demo."""
    seed_research(other_org)
    seed_maps(other_org, carol)
    return other_org


def _map(org, title) -> JourneyMap:
    return org.journey_maps.get(title=title)


def _content(journey_map: JourneyMap) -> dict:
    """Everything on the map, by title and order instead of ids (research by id)."""
    stages = list(journey_map.stages.all())
    lanes = list(journey_map.lanes.all())
    stage_order = {s.pk: i for i, s in enumerate(stages)}
    lane_order = {lane.pk: i for i, lane in enumerate(lanes)}
    cards = sorted(
        journey_map.cards.prefetch_related("findings"),
        key=lambda c: (
            stage_order[c.stage_id],
            lane_order[c.lane_id],
            c.position,
            c.created,
            c.pk,
        ),
    )
    in_cell: dict = {}
    card_rows = []
    for card in cards:
        cell = (card.stage_id, card.lane_id)
        in_cell[cell] = in_cell.get(cell, -1) + 1
        card_rows.append(
            {
                "stage": (stage_order[card.stage_id], card.stage.title),
                "lane": (lane_order[card.lane_id], card.lane.title),
                "order_in_cell": in_cell[cell],
                **{name: getattr(card, name) for name in Card.CONTENT_FIELDS},
                "findings": sorted(f.pk for f in card.findings.all()),
            }
        )
    actions = sorted(
        journey_map.actions.select_related("stage", "card", "owner"),
        key=lambda a: (
            stage_order[a.stage_id] if a.stage_id else len(stages),
            a.position,
            a.created,
            a.pk,
        ),
    )
    return {
        "scope": journey_map.scope,
        "objective": journey_map.objective,
        "dmu": journey_map.dmu_id,
        "personas": sorted(journey_map.personas.values_list("pk", flat=True)),
        "stages": [
            (i, s.title, s.description, s.customer_goal) for i, s in enumerate(stages)
        ],
        "lanes": [
            (i, lane.title, lane.kind, lane.hidden) for i, lane in enumerate(lanes)
        ],
        "cards": card_rows,
        "emotions": sorted(
            (
                (stage_order[e.stage_id], e.stage.title, e.persona_id, e.score, e.note)
                for e in journey_map.emotions.select_related("stage")
            ),
            key=str,
        ),
        "actions": [
            (
                a.title,
                a.description,
                a.owner,
                a.due,
                a.status,
                a.evaluation,
                a.stage.title if a.stage else None,
                a.card.text if a.card else None,
            )
            for a in actions
        ],
    }


def _research_rows() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Persona, Finding, Study, DMU)
    }


# ---- What the copy keeps -----------------------------------------------------


@pytest.mark.parametrize("title", DEMO_MAPS)
def test_the_copy_keeps_everything_on_the_map(demo, alice, title):
    source = _map(demo, title)
    content = _content(source)

    copy = map_duplicate(source, alice, "Copy")

    assert _content(copy) == content


@pytest.mark.parametrize("title", DEMO_MAPS)
def test_the_comparison_is_not_empty(demo, title):
    # So that test_the_copy_keeps_everything_on_the_map compares real content.
    content = _content(_map(demo, title))
    assert any(lane[3] for lane in content["lanes"])
    assert all(stage[2] and stage[3] for stage in content["stages"])
    assert any(card["findings"] for card in content["cards"])
    assert any(card["custom_channel"] for card in content["cards"])
    assert any(note for *_, note in content["emotions"])
    assert {a[2] for a in content["actions"]} - {None}
    assert {a[3] for a in content["actions"]} - {None}
    assert {a[4] for a in content["actions"]} >= {ActionStatus.DONE}
    assert any(a[5] for a in content["actions"])
    assert any(a[7] for a in content["actions"])


def test_the_office_map_copy_points_at_the_same_research(demo, alice):
    source = _map(demo, OFFICE)
    personas = list(source.personas.order_by("pk"))
    assert personas and source.dmu is not None

    copy = map_duplicate(source, alice, "Copy")

    assert list(copy.personas.order_by("pk")) == personas
    assert copy.dmu == source.dmu
    assert {e.persona for e in copy.emotions.all()} == set(personas)
    cited = Card.findings.through.objects.filter(card__map=copy)
    assert {row.finding_id for row in cited} == set(
        Card.findings.through.objects.filter(card__map=source).values_list(
            "finding_id", flat=True
        )
    )


def test_a_persona_only_on_an_emotion_is_the_same_persona(demo, alice):
    source = _map(demo, OFFICE)
    dropped = source.personas.order_by("name").first()
    source.personas.remove(dropped)
    assert source.emotions.filter(persona=dropped).exists()

    copy = map_duplicate(source, alice, "Copy")

    assert not copy.personas.filter(pk=dropped.pk).exists()
    assert copy.emotions.filter(persona=dropped).count() == (
        source.emotions.filter(persona=dropped).count()
    )


@pytest.mark.parametrize("title", DEMO_MAPS)
def test_nothing_is_added_to_the_research(demo, alice, title):
    before = _research_rows()
    map_duplicate(_map(demo, title), alice, "Copy")
    assert _research_rows() == before


# ---- The copy itself ---------------------------------------------------------


@pytest.mark.parametrize("title", DEMO_MAPS)
def test_the_copy_is_a_new_draft_with_the_new_title(demo, alice, title):
    source = _map(demo, title)
    assert source.status == MapStatus.ACTIVE

    copy = map_duplicate(source, alice, "Toekomst")

    copy = JourneyMap.objects.get(pk=copy.pk)
    assert copy.pk != source.pk
    assert (copy.title, copy.status, copy.type) == ("Toekomst", "draft", source.type)
    assert (copy.organisation, copy.created_by) == (demo, alice)


def test_the_copy_can_be_of_another_type(demo, alice):
    source = _map(demo, PODIATRIST)
    assert source.type == MapType.CURRENT

    copy = map_duplicate(source, alice, "Toekomst", map_type=MapType.FUTURE)

    assert JourneyMap.objects.get(pk=copy.pk).type == "future"


def test_an_unknown_type_copies_nothing(demo, alice):
    before = JourneyMap.objects.count()
    with pytest.raises(ImportRejected):
        map_duplicate(_map(demo, PODIATRIST), alice, "Copy", map_type="someday")
    assert JourneyMap.objects.count() == before


def test_the_copy_has_new_rows_of_its_own(demo, alice):
    source = _map(demo, PODIATRIST)
    copy = map_duplicate(source, alice, "Copy")
    for model in (Card, Emotion, Action):
        theirs = set(model.objects.filter(map=source).values_list("pk", flat=True))
        ours = set(model.objects.filter(map=copy).values_list("pk", flat=True))
        assert ours and not ours & theirs
    assert not copy.cards.exclude(stage__map=copy).exists()
    assert not copy.actions.exclude(card__map=copy).exclude(card=None).exists()
    assert not copy.actions.exclude(stage__map=copy).exclude(stage=None).exists()


def test_the_history_of_the_copy_is_one_duplicate_entry(demo, alice):
    source = _map(demo, PODIATRIST)

    copy = map_duplicate(source, alice, "Toekomst")

    assert [
        (a.verb, a.object_kind, a.object_id, a.user, a.object_label)
        for a in copy.activities.all()
    ] == [("duplicate", "map", copy.pk, alice, PODIATRIST)]
    assert JourneyMap.objects.get(pk=copy.pk).revision == 1


def test_a_plain_import_still_reads_as_an_import(demo, alice):
    # import_map's history keywords default to what an import always said
    # (no label: like "create", the entry is about the map itself).
    result = import_map(export_map(_map(demo, PODIATRIST)), demo, alice)
    assert [
        (a.verb, a.object_id, a.user, a.object_label)
        for a in result.map.activities.all()
    ] == [("import", result.map.pk, alice, "")]


def test_an_owner_who_left_the_organisation_is_not_carried_over(demo, alice, bob):
    # The import's rule: an action's owner is a member of the map's organisation.
    source = _map(demo, PODIATRIST)
    assert source.actions.filter(owner=bob).exists()
    demo.memberships.filter(user=bob).delete()

    copy = map_duplicate(source, alice, "Copy")

    assert not copy.actions.filter(owner=bob).exists()
    assert copy.actions.count() == source.actions.count()
    assert copy.actions.filter(owner=alice).count() == (
        source.actions.filter(owner=alice).count()
    )


# ---- What stays as it was ------------------------------------------------------


@pytest.mark.parametrize("title", DEMO_MAPS)
def test_the_source_is_unchanged(demo, alice, title):
    source = _map(demo, title)
    content = _content(source)
    details = (source.title, source.type, source.status, source.revision)
    history = list(source.activities.values_list("pk", flat=True))

    map_duplicate(source, alice, "Copy", map_type=MapType.FUTURE)

    source = JourneyMap.objects.get(pk=source.pk)
    assert _content(source) == content
    assert (source.title, source.type, source.status, source.revision) == details
    assert list(source.activities.values_list("pk", flat=True)) == history


def test_another_organisations_maps_are_untouched(demo, elsewhere, alice):
    theirs = _map(elsewhere, PODIATRIST)
    content, maps = _content(theirs), list(elsewhere.journey_maps.order_by("pk"))

    copy = map_duplicate(_map(demo, PODIATRIST), alice, "Copy")

    assert copy.organisation == demo
    assert _content(_map(elsewhere, PODIATRIST)) == content
    assert list(elsewhere.journey_maps.order_by("pk")) == maps


def test_a_copy_of_a_copy_is_the_same_map_again(demo, alice):
    source = _map(demo, OFFICE)
    copy = map_duplicate(map_duplicate(source, alice, "One"), alice, "Two")
    assert _content(copy) == _content(source)


# ---- Queries -------------------------------------------------------------------


def test_queries_do_not_grow_with_cards(org, alice):
    seed_research(org)
    finding = Finding.objects.filter(study__organisation=org).first()
    persona = org.personas.first()
    due = datetime.date(2030, 1, 1)

    def make(n):
        journey_map = map_create_from_template(
            org, alice, f"{n} cards", "aida", personas=[persona]
        )
        stage, lane = journey_map.stages.first(), journey_map.lanes.first()
        for i in range(n):
            card = Card.objects.create(
                map=journey_map, stage=stage, lane=lane, text=f"Card {i}", position=i
            )
            card.findings.add(finding)
            Action.objects.create(
                map=journey_map, stage=stage, card=card, title=f"Do {i}", owner=alice
            )
        Emotion.objects.create(
            map=journey_map, stage=stage, persona=persona, score=1, note="Fine"
        )
        journey_map.actions.update(due=due)
        return JourneyMap.objects.get(pk=journey_map.pk)

    small, big = make(2), make(30)
    with CaptureQueriesContext(connection) as few:
        map_duplicate(small, alice, "Small copy")
    with CaptureQueriesContext(connection) as many:
        copy = map_duplicate(big, alice, "Big copy")
    assert copy.cards.count() == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_export_of_the_copy_matches_the_source(demo, alice):
    # The same check through the format: only the title, status and ids differ.
    source = _map(demo, OFFICE)
    copy = map_duplicate(source, alice, "Copy")
    first, second = export_map(source), export_map(copy)
    for document in (first, second):
        del document["exported_at"]
        document["map"].pop("id")
        document["map"].pop("title")
        document["map"].pop("status")
    assert second == first
