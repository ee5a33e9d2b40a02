"""
The activity log as data (maps.activity): rows hold values, not sentences; the
history reads them in the reader's language; the migration that turned the old
text rows into data; the Changes published once a write commits; an Access as
the actor.
"""

import dataclasses
import importlib
import json
import types
import uuid

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.text import capfirst

from journeymap.access import Access
from journeymap.models import Membership
from maps.activity import (
    Change,
    change,
    change_lines,
    describe,
    off_change,
    on_change,
    who_markup,
)
from maps.models import (
    Action,
    Activity,
    Card,
    Emotion,
    LaneKind,
    map_create_from_template,
    record,
)

HX = {"HTTP_HX_REQUEST": "true"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
MIGRATION = importlib.import_module("maps.migrations.0003_activity_as_data")
BEFORE, AFTER = ("maps", "0002_emotions_actions"), ("maps", "0003_activity_as_data")
LATEST = ("maps", "0005_history_undo_checkpoints")  # what the Activity model reads now


@pytest.fixture(autouse=True)
def _keep_the_language():
    # A request activates its language in this thread and leaves it there.
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def stage(trip):
    return trip.stages.get(title="Purchase")


def _url(name, journey_map, *args):
    return reverse(name, args=[journey_map.organisation.slug, journey_map.pk, *args])


def _history(client, journey_map, **headers):
    return client.get(_url("map_history", journey_map), **headers).content.decode()


def _lane(journey_map, kind):
    return journey_map.lanes.filter(kind=kind).first()


def _card(journey_map, stage, lane, text="A card"):
    return Card.objects.create(map=journey_map, stage=stage, lane=lane, text=text)


def _in(language, source, **values):
    """`source` as the catalogue of `language` has it, values filled in, escaped."""
    with translation.override(language):
        sentence = conditional_escape(translation.gettext(source))
    escaped = {key: conditional_escape(value) for key, value in values.items()}
    return sentence % escaped


def _line(language, label, value):
    with translation.override(language):
        return f"{capfirst(translation.gettext(label))}: {translation.gettext(value)}"


# ---- The reader's language ---------------------------------------------------

STATUS_CHANGED = "%(who)s changed the status of the action “%(object)s”"


@pytest.fixture
def status_done(dave_client, trip, stage):
    """dave, who reads English, marks an action done through the canvas."""
    action = Action.objects.create(map=trip, stage=stage, title="Call back")
    url = _url("action_status", trip, action.pk)
    response = dave_client.post(url, {"status": "done", "version": 1}, **HX, **EN)
    assert response.status_code == 200
    return trip.activities.get(verb="status")


def test_the_row_holds_values_and_no_sentence(status_done, dave):
    row = status_done
    assert (row.verb, row.object_kind, row.object_label) == (
        "status",
        "action",
        "Call back",
    )
    assert (row.user, row.actor_name) == (dave, "dave")
    assert row.changes == [{"field": "status", "before": "open", "after": "done"}]
    stored = json.dumps([row.verb, row.object_label, row.actor_name, row.changes])
    assert "changed" not in stored and "Done" not in stored


def test_an_english_reader_reads_english(alice_client, trip, status_done):
    body = _history(alice_client, trip, **EN)
    who = who_markup("dave", False)
    assert _in("en", STATUS_CHANGED, who=who, object="Call back") in body
    assert "Status: Open" in body and "Status: Done" in body


def test_a_dutch_reader_reads_the_english_writers_change_in_dutch(
    bob_client, trip, status_done
):
    body = _history(bob_client, trip, **NL)
    assert '<html lang="nl">' in body
    who = who_markup("dave", False)
    assert _in("nl", STATUS_CHANGED, who=who, object="Call back") in body
    # The status is translated already; the writer's English is nowhere.
    assert _line("nl", "status", "Done") == "Status: Klaar"
    assert "Status: Klaar" in body and "Status: Open" in body
    assert "Status: Done" not in body


def test_describe_renders_the_stored_row_in_the_active_language(status_done):
    who = who_markup("dave", False)
    with translation.override("nl"):
        told = describe(status_done, who)
    assert told == _in("nl", STATUS_CHANGED, who=who, object="Call back")
    with translation.override("en"):
        assert describe(status_done, who) == (
            '<span class="history-who">dave</span> changed the status of the '
            "action “Call back”"
        )


def test_an_emotion_score_reads_in_the_readers_language(
    dave_client, bob_client, trip, stage
):
    url = _url("map_emotion_set", trip, stage.pk)
    data = {"score": "-2", "lane": _lane(trip, LaneKind.EMOTION).pk}
    assert dave_client.post(url, data, **HX, **EN).status_code == 200
    row = trip.activities.get(object_kind="emotion")
    assert row.changes == [{"field": "score", "before": None, "after": -2}]
    bob_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    body = _history(bob_client, trip)
    assert _line("nl", "emotion", "Very negative") == "Emotie: Zeer negatief"
    assert "Emotie: Zeer negatief" in body
    assert _line("nl", "emotion", "not set") in body
    assert "Very negative" not in body
    del bob_client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert "Emotion: Very negative" in _history(bob_client, trip, **EN)


def test_a_card_channel_reads_in_the_readers_language(
    dave_client, bob_client, trip, stage
):
    card = _card(trip, stage, _lane(trip, LaneKind.TOUCHPOINTS), "Calls the practice")
    data = {"text": card.text, "version": 1, "details": "1", "channel": "phone"}
    url = reverse("card_edit", args=[trip.organisation.slug, card.pk])
    assert dave_client.post(url, data, **HX, **EN).status_code == 200
    row = trip.activities.get(verb="update", object_kind="card")
    assert row.changes == [{"field": "channel", "before": "", "after": "phone"}]
    dutch = _history(bob_client, trip, **NL)
    assert _line("nl", "channel", "Phone") == "Kanaal: Telefoon"
    assert "Kanaal: Telefoon" in dutch and "Phone" not in dutch
    assert "Channel: Phone" in _history(bob_client, trip, **EN)


# ---- Sentences and escaping --------------------------------------------------


def test_a_rename_reads_renamed_the_stage_a_to_b(alice_client, trip, stage):
    url = _url("stage_edit", trip, stage.pk)
    data = {"title": "Booking", "customer_goal": "", "description": "", "version": 1}
    assert alice_client.post(url, data, **HX).status_code == 200
    body = _history(alice_client, trip, **EN)
    renamed = "renamed the stage “Purchase” to “Booking”"
    assert f'<span class="history-who">alice</span> {renamed}' in body
    # The sentence says it all: no before/after block under it.
    assert 'class="history-change"' not in body


def test_html_in_labels_values_and_names_is_escaped(alice_client, trip, stage, org):
    lane = _lane(trip, LaneKind.TEXT)
    card = _card(trip, stage, lane, "<b>bold</b>")
    record(trip, None, "create", card)
    renamed = [change("title", "<i>old</i>", "<img src=x onerror=alert(1)>")]
    record(trip, None, "update", stage, changes=renamed)
    described = [change("description", "<script>a()</script>", "<u>b</u>")]
    record(trip, None, "update", stage, changes=described, label="<em>Stage</em>")
    body = _history(alice_client, trip, **EN)
    for raw in ("<b>bold", "<i>old", "<img src", "<script>a()", "<u>b", "<em>Stage"):
        assert raw not in body
    assert "added the card “&lt;b&gt;bold&lt;/b&gt;”" in body
    assert (
        "renamed the stage “&lt;i&gt;old&lt;/i&gt;” to "
        "“&lt;img src=x onerror=alert(1)&gt;”"
    ) in body
    assert "changed the stage “&lt;em&gt;Stage&lt;/em&gt;”" in body
    assert "Description: &lt;script&gt;a()&lt;/script&gt;" in body
    assert "Description: &lt;u&gt;b&lt;/u&gt;" in body


def test_a_members_name_with_markup_is_escaped(alice_client, trip, org, carol):
    carol.first_name = "<b>Carol</b>"
    carol.save()
    Membership.objects.create(organisation=org, user=carol, role="editor")
    record(trip, carol, "update", trip, changes=[change("scope", "", "All")])
    body = _history(alice_client, trip, **EN)
    assert "<b>Carol</b>" not in body
    assert '<span class="history-who">&lt;b&gt;Carol&lt;/b&gt;</span>' in body


# ---- The migration: old text rows become data --------------------------------


@pytest.fixture(scope="module")
def labels():
    state = MigrationLoader(None, ignore_no_migrations=True).project_state(BEFORE)
    return MIGRATION._labels(state.apps)


def _old(kind, verb, before="", after=""):
    return types.SimpleNamespace(
        object_kind=kind, verb=verb, before=before, after=after
    )


def test_a_dutch_title_line_becomes_the_title_field(labels):
    row = _old("stage", "update", "Titel: Intake", "Titel: Afspraak")
    assert MIGRATION._changes(row, labels) == [
        {"field": "title", "before": "Intake", "after": "Afspraak"}
    ]


def test_english_lines_become_one_change_each(labels):
    row = _old(
        "stage",
        "update",
        "Title: Intake\nCustomer's goal: \nDescription: Old",
        "Title: Visit\nCustomer's goal: Be seen\nDescription: New",
    )
    assert MIGRATION._changes(row, labels) == [
        {"field": "title", "before": "Intake", "after": "Visit"},
        {"field": "customer_goal", "before": "", "after": "Be seen"},
        {"field": "description", "before": "Old", "after": "New"},
    ]


def test_a_line_that_names_no_field_keeps_its_label(labels):
    row = _old(
        "map", "update", "Colour: \nStatus: Draft", "Colour: Red\nStatus: Active"
    )
    assert MIGRATION._changes(row, labels) == [
        {"field": "", "label": "Colour", "before": "", "after": "Red"},
        {"field": "status", "before": "draft", "after": "active"},
    ]


def test_a_card_text_becomes_the_text_field(labels):
    row = _old("card", "update", "Old", "New\nline")
    assert MIGRATION._changes(row, labels) == [
        {"field": "text", "before": "Old", "after": "New\nline"}
    ]


def test_an_emotion_note_loses_its_place(labels):
    row = _old("emotion", "update", "The customer, Intake: Long wait", "Waited")
    assert MIGRATION._changes(row, labels) == [
        {"field": "note", "before": "Long wait", "after": "Waited"}
    ]


@pytest.mark.parametrize(
    "verb, before, after",
    [("create", "", "Hello"), ("delete", "Bye", ""), ("duplicate", "A", "A (copy)")],
)
def test_a_name_alone_is_no_change(labels, verb, before, after):
    assert MIGRATION._changes(_old("card", verb, before, after), labels) == []


def test_an_empty_row_is_no_change(labels):
    assert MIGRATION._changes(_old("stage", "update"), labels) == []


def test_an_old_action_status_row_becomes_the_status_field(labels):
    row = _old("action", "status", "status: open", "status: in_progress")
    assert MIGRATION._changes(row, labels) == [
        {"field": "status", "before": "open", "after": "in_progress"}
    ]


@pytest.mark.parametrize(
    "before, after, scores, label",
    [
        ("Anna, Intake: negative", "very negative", (-1, -2), "Intake · Anna"),
        ("The customer, Intake: positive", "not set", (1, None), "Intake"),
        (
            "De klant, Afspraak maken: niet ingevuld",
            "zeer positief",
            (None, 2),
            "Afspraak maken",
        ),
        (
            "Bram, Wachten, bellen: zeer negatief",
            "neutraal",
            (-2, 0),
            "Wachten, bellen · Bram",
        ),
    ],
)
def test_a_feeling_set_becomes_the_score_and_its_place(
    labels, before, after, scores, label
):
    row = MIGRATION._read(_old("emotion", "set", before, after), labels)
    assert row.changes == [{"field": "score", "before": scores[0], "after": scores[1]}]
    assert row.label == label


def test_a_feeling_nobody_can_read_keeps_its_text(labels):
    row = MIGRATION._read(_old("emotion", "set", "Anna, Intake: meh", "blij"), labels)
    assert row.changes == [{"field": "score", "before": "meh", "after": "blij"}]


@pytest.mark.parametrize("verb", ["archive", "restore"])
def test_an_archive_or_restore_becomes_the_status_field(labels, verb):
    before, after = (
        ("active", "archived") if verb == "archive" else ("archived", "active")
    )
    assert MIGRATION._changes(_old("map", verb, before, after), labels) == [
        {"field": "status", "before": before, "after": after}
    ]


@pytest.mark.parametrize(
    "before, after",
    [
        ("Stage: Intake\nLane: Pains", "Stage: Visit\nLane: Gains"),
        ("Fase: Intake\nBaan: Pains", "Fase: Visit\nBaan: Gains"),
    ],
)
def test_a_card_moved_becomes_one_cell_change(labels, before, after):
    assert MIGRATION._changes(_old("card", "move", before, after), labels) == [
        {"field": "cell", "before": "Intake · Pains", "after": "Visit · Gains"}
    ]


@pytest.mark.parametrize("label", ["Personas", "Persona's"])
def test_the_maps_personas_become_lists_of_names(labels, label):
    row = _old("map", "update", f"{label}: ", f"{label}: Anna, Bram")
    assert MIGRATION._changes(row, labels) == [
        {"field": "personas", "before": [], "after": ["Anna", "Bram"]}
    ]


@pytest.mark.parametrize("kind", ["stage", "lane"])
def test_a_reorder_becomes_the_order_as_lists(labels, kind):
    row = MIGRATION._read(_old(kind, "reorder", "A, B, C", "B, A, C"), labels)
    assert row.changes == [
        {"field": "order", "before": ["A", "B", "C"], "after": ["B", "A", "C"]}
    ]
    assert row.label == ""


@pytest.mark.parametrize(
    "kind, before, after, field, values",
    [
        ("map", "Status: Draft", "Status: Active", "status", ("draft", "active")),
        (
            "map",
            "Status: Concept",
            "Status: Gearchiveerd",
            "status",
            ("draft", "archived"),
        ),
        (
            "map",
            "Type: Current state",
            "Type: Day in the life",
            "type",
            ("current", "day"),
        ),
        (
            "map",
            "Soort: Huidige situatie",
            "Soort: Gewenste situatie",
            "type",
            ("current", "future"),
        ),
        ("map", "Status: Someday", "Status: Draft", "status", ("Someday", "draft")),
        (
            "card",
            "Channel: Phone",
            "Channel: Something else",
            "channel",
            ("phone", "custom"),
        ),
        ("card", "Kanaal: Telefoon", "Kanaal: ", "channel", ("phone", "")),
        ("card", "Impact: Hoog", "Impact: Low", "impact", ("high", "low")),
    ],
)
def test_a_choice_written_as_its_label_becomes_its_value(
    labels, kind, before, after, field, values
):
    assert MIGRATION._changes(_old(kind, "update", before, after), labels) == [
        {"field": field, "before": values[0], "after": values[1]}
    ]


def test_a_lane_rename_becomes_the_title_field(labels):
    row = _old("lane", "update", "Pains", "Pain points: ours")
    assert MIGRATION._changes(row, labels) == [
        {"field": "title", "before": "Pains", "after": "Pain points: ours"}
    ]


def test_a_card_text_that_looks_like_a_line_stays_the_text(labels):
    row = _old("card", "update", "Note: call back", "Note: call back at ten")
    assert MIGRATION._changes(row, labels) == [
        {
            "field": "text",
            "before": "Note: call back",
            "after": "Note: call back at ten",
        }
    ]


def test_cited_findings_become_lists(labels):
    row = _old("card", "cite", "", "Four in ten: no answer\nThe phone rings out")
    assert MIGRATION._changes(row, labels) == [
        {
            "field": "findings",
            "before": [],
            "after": ["Four in ten: no answer", "The phone rings out"],
        }
    ]


def test_an_actions_nothing_and_a_cards_booleans_become_values(labels):
    action = _old(
        "action",
        "update",
        "owner: alice\ndue: 2026-01-02\ndescription: Call",
        "owner: —\ndue: —\ndescription: —",
    )
    assert MIGRATION._changes(action, labels) == [
        {"field": "owner", "before": "alice", "after": None},
        {"field": "due", "before": "2026-01-02", "after": None},
        {"field": "description", "before": "Call", "after": ""},
    ]
    card = _old("card", "update", "Online: False", "Online: True")
    assert MIGRATION._changes(card, labels) == [
        {"field": "online", "before": False, "after": True}
    ]
    settings_ = _old("map", "update", "DMU: —", "DMU: Buyers")
    assert MIGRATION._changes(settings_, labels) == [
        {"field": "dmu", "before": None, "after": "Buyers"}
    ]


@pytest.mark.parametrize(
    "verb, before, after, label",
    [
        (
            "duplicate",
            "Podiatrist visit",
            "Future state of Podiatrist visit",
            "Podiatrist visit",
        ),
        ("create", "", "Podiatrist visit", "Podiatrist visit"),
    ],
)
def test_a_copy_is_named_after_its_source(labels, verb, before, after, label):
    row = MIGRATION._read(_old("map", verb, before, after), labels)
    assert (row.changes, row.label) == ([], label)


def test_actions_dragged_read_as_the_actions_of_their_stage(labels):
    for verb in ("reorder", "move"):
        row = MIGRATION._read(_old("map", verb, "", "Intake"), labels)
        assert (row.verb, row.kind, row.label, row.changes) == (
            "reorder",
            "action",
            "Intake",
            [],
        )


def test_cards_reordered_in_an_unknown_order_are_named_by_their_cell(labels):
    row = MIGRATION._read(
        _old("map", "reorder", "", "Fase: Intake\nBaan: Pains"), labels
    )
    assert (row.kind, row.label, row.changes) == ("map", "Intake · Pains", [])


def test_dutch_rows_read_without_a_compiled_catalogue(monkeypatch):
    # Where migrate runs before compilemessages, gettext answers the msgid.
    monkeypatch.setattr(translation, "gettext", lambda text: text)
    state = MigrationLoader(None, ignore_no_migrations=True).project_state(BEFORE)
    words = MIGRATION._labels(state.apps)
    rows = [
        _old("map", "update", "Soort: Huidige situatie", "Soort: Gewenste situatie"),
        _old("card", "move", "Fase: A\nBaan: B", "Fase: C\nBaan: B"),
        _old("emotion", "set", "De klant, A: niet ingevuld", "zeer negatief"),
    ]
    assert [MIGRATION._changes(row, words) for row in rows] == [
        [{"field": "type", "before": "current", "after": "future"}],
        [{"field": "cell", "before": "A · B", "after": "C · B"}],
        [{"field": "score", "before": None, "after": -2}],
    ]


@pytest.fixture
def migrate():
    """Migrate to a node; whatever happens, the schema ends at the latest."""
    executor = MigrationExecutor(connection)

    def to(node):
        executor.loader.build_graph()
        executor.migrate([node])
        return executor.loader.project_state([node]).apps

    yield to
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_forwards_reads_old_rows_into_fields(migrate, org, alice, dave):
    dave.first_name, dave.last_name = "Dave", "Dekker"
    dave.save()
    trip = map_create_from_template(org, alice, "Podiatrist visit", "five_phases")
    stage = trip.stages.get(title="Purchase")
    stage.title = "Booking"
    stage.save()
    card = _card(trip, stage, _lane(trip, LaneKind.TEXT), "New")
    emotion = Emotion.objects.create(map=trip, stage=stage, score=-1, note="Waited")
    gone = uuid.uuid4()

    old = migrate(BEFORE).get_model("maps", "Activity")
    rows = {
        "rename": (stage, "stage", "update", "Titel: Purchase", "Titel: Booking"),
        "card": (card, "card", "update", "Old", "New"),
        "added": (card, "card", "create", "", "New"),
        "deleted": (gone, "stage", "delete", "Gone", ""),
        "note": (emotion, "emotion", "update", "The customer, Booking: ", "Waited"),
    }
    ids = {}
    for revision, (key, (obj, kind, verb, before, after)) in enumerate(rows.items()):
        ids[key] = old.objects.create(
            map_id=trip.pk,
            user_id=dave.pk,
            verb=verb,
            object_kind=kind,
            object_id=getattr(obj, "pk", obj),
            before=before,
            after=after,
            revision=100 + revision,
        ).pk
    migrate(AFTER)
    migrate(LATEST)

    got = {key: Activity.objects.get(pk=pk) for key, pk in ids.items()}
    fields = {key: (a.object_label, a.changes) for key, a in got.items()}
    assert fields == {
        "rename": (
            "Booking",
            [{"field": "title", "before": "Purchase", "after": "Booking"}],
        ),
        "card": ("New", [{"field": "text", "before": "Old", "after": "New"}]),
        "added": ("New", []),
        "deleted": ("Gone", []),
        "note": ("Booking", [{"field": "note", "before": "", "after": "Waited"}]),
    }
    assert {a.actor_name for a in got.values()} == {"Dave Dekker"}


def _insert_old_rows(old, journey_map, user, rows) -> dict:
    """Old-style rows (before/after text), oldest first; their ids by key."""
    ids = {}
    for revision, (key, (obj, kind, verb, before, after)) in enumerate(rows.items()):
        ids[key] = old.objects.create(
            map_id=journey_map.pk,
            user_id=user.pk,
            verb=verb,
            object_kind=kind,
            object_id=getattr(obj, "pk", obj),
            before=before,
            after=after,
            revision=200 + revision,
        ).pk
    return ids


@pytest.mark.django_db(transaction=True)
def test_forwards_names_each_row_as_its_object_was_called_then(migrate, org, alice):
    trip = map_create_from_template(org, alice, "Podiatrist visit", "five_phases")
    kept = trip.stages.get(title="Purchase")
    kept.title = "Booking"
    kept.save()
    gone_stage, gone_card = uuid.uuid4(), uuid.uuid4()

    old = migrate(BEFORE).get_model("maps", "Activity")
    rows = {
        "kept-created": (kept, "stage", "create", "", "Purchase"),
        "kept-described": (kept, "stage", "update", "Description: ", "Description: x"),
        "kept-renamed": (kept, "stage", "update", "Title: Purchase", "Title: Booking"),
        "kept-described-again": (
            kept,
            "stage",
            "update",
            "Description: x",
            "Description: y",
        ),
        "gone-created": (gone_stage, "stage", "create", "", "A"),
        "gone-renamed": (gone_stage, "stage", "update", "Titel: A", "Titel: B"),
        "gone-described": (
            gone_stage,
            "stage",
            "update",
            "Beschrijving: ",
            "Beschrijving: x",
        ),
        "gone-deleted": (gone_stage, "stage", "delete", "B", ""),
        # A card that went with its stage: no row says it was deleted.
        "card-moved": (
            gone_card,
            "card",
            "move",
            "Fase: A\nBaan: Pains",
            "Fase: B\nBaan: Pains",
        ),
        "card-edited": (gone_card, "card", "update", "Old", "New"),
        "card-channel": (
            gone_card,
            "card",
            "update",
            "Kanaal: Telefoon",
            "Kanaal: E-mail",
        ),
    }
    ids = _insert_old_rows(old, trip, alice, rows)
    migrate(AFTER)
    migrate(LATEST)

    got = {key: Activity.objects.get(pk=pk).object_label for key, pk in ids.items()}
    assert got == {
        "kept-created": "Purchase",
        "kept-described": "Purchase",
        "kept-renamed": "Booking",
        "kept-described-again": "Booking",
        "gone-created": "A",
        "gone-renamed": "B",
        "gone-described": "B",
        "gone-deleted": "B",
        "card-moved": "Old",
        "card-edited": "New",
        "card-channel": "",
    }
    with translation.override("en"):
        changed = describe(Activity.objects.get(pk=ids["gone-described"]), "Alice")
    assert changed == _in(
        "en", "%(who)s changed the stage “%(object)s”", who="Alice", object="B"
    )


@pytest.mark.django_db(transaction=True)
def test_forwards_reads_drags_feelings_and_statuses(migrate, org, alice):
    trip = map_create_from_template(org, alice, "Podiatrist visit", "five_phases")
    stage = trip.stages.get(title="Purchase")
    anna = org.personas.create(name="Anna, RN")
    feeling = Emotion.objects.create(map=trip, stage=stage, persona=anna, score=-1)
    stages = ", ".join(s.title for s in trip.stages.all())
    lanes = [lane.title for lane in trip.lanes.all()]
    swapped = ", ".join([lanes[1], lanes[0], *lanes[2:]])

    old = migrate(BEFORE).get_model("maps", "Activity")
    rows = {
        "stages": (trip, "map", "reorder", stages, stages[::-1]),
        "lanes": (trip, "map", "reorder", ", ".join(lanes), swapped),
        "actions": (trip, "map", "move", "", "Purchase"),
        "feeling": (
            feeling,
            "emotion",
            "set",
            "Anna, RN, Purchase: negatief",
            "zeer negatief",
        ),
        "archived": (trip, "map", "archive", "active", "archived"),
    }
    ids = _insert_old_rows(old, trip, alice, rows)
    migrate(AFTER)
    migrate(LATEST)

    got = {key: Activity.objects.get(pk=pk) for key, pk in ids.items()}
    kinds = {key: (a.verb, a.object_kind, a.object_label) for key, a in got.items()}
    assert kinds == {
        "stages": ("reorder", "stage", ""),
        "lanes": ("reorder", "lane", ""),
        "actions": ("reorder", "action", "Purchase"),
        "feeling": ("set", "emotion", "Purchase · Anna, RN"),
        "archived": ("archive", "map", ""),
    }
    assert got["lanes"].changes == [
        {"field": "order", "before": lanes, "after": swapped.split(", ")}
    ]
    assert got["feeling"].changes == [{"field": "score", "before": -1, "after": -2}]
    assert got["archived"].changes == [
        {"field": "status", "before": "active", "after": "archived"}
    ]
    with translation.override("nl"):
        feeling_read = (
            describe(got["feeling"], "Alice"),
            change_lines(got["feeling"]),
        )
        status_read = change_lines(got["archived"])
    assert feeling_read == (
        _in(
            "nl",
            "%(who)s set the feeling in “%(object)s”",
            who="Alice",
            object="Purchase · Anna, RN",
        ),
        (_line("nl", "emotion", "Negative"), _line("nl", "emotion", "Very negative")),
    )
    assert status_read == (
        _line("nl", "status", "Active"),
        _line("nl", "status", "Archived"),
    )


# ---- What a committed change touched (on_change) --------------------------------


@pytest.fixture
def published():
    changes = []
    on_change(changes.append)
    yield changes
    off_change(changes.append)


@pytest.fixture
def card(trip, stage):
    return _card(trip, stage, _lane(trip, LaneKind.TEXT), "Calls the practice")


def _post(client, url, data, capture):
    with capture(execute=True):
        return client.post(url, data, **HX)


def _card_url(name, card):
    return reverse(name, args=[card.map.organisation.slug, card.pk])


def test_a_card_edit_publishes_the_card_and_its_cell(
    alice_client, trip, card, published, django_capture_on_commit_callbacks
):
    data = {"text": "Rings the practice", "version": 1}
    response = _post(
        alice_client,
        _card_url("card_edit", card),
        data,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    trip.refresh_from_db()
    assert published == [
        Change(
            map_id=trip.pk,
            revision=trip.revision,
            verb="update",
            kind="card",
            object_id=card.pk,
            fragments=(f"card:{card.pk}", f"cell:{card.lane_id}:{card.stage_id}"),
        )
    ]


def test_a_card_moved_in_its_edit_form_publishes_both_cells(
    alice_client, trip, card, published, django_capture_on_commit_callbacks
):
    target = trip.stages.get(title="Loyalty and advocacy")
    pains = _lane(trip, LaneKind.PAINS)
    data = {
        "text": card.text,
        "version": 1,
        "move_stage": target.pk,
        "move_lane": pains.pk,
    }
    response = _post(
        alice_client,
        _card_url("card_edit", card),
        data,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    [moved] = published
    assert (moved.verb, moved.object_id) == ("move", card.pk)
    assert moved.fragments == (
        f"card:{card.pk}",
        f"cell:{card.lane_id}:{card.stage_id}",
        f"cell:{pains.pk}:{target.pk}",
        "evidence",  # another stage: both stages' shares change
    )


def test_a_card_moved_with_the_keyboard_publishes_both_cells(
    alice_client, trip, card, published, django_capture_on_commit_callbacks
):
    response = _post(
        alice_client,
        _card_url("card_move", card),
        {"direction": "right"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    following = trip.stages.get(title="Use and experience")
    [moved] = published
    assert set(moved.fragments) == {
        f"card:{card.pk}",
        f"cell:{card.lane_id}:{card.stage_id}",
        f"cell:{card.lane_id}:{following.pk}",
        "evidence",
    }


def test_a_card_moved_within_its_stage_leaves_the_evidence_row(
    alice_client, trip, card, published, django_capture_on_commit_callbacks
):
    pains = _lane(trip, LaneKind.PAINS)
    data = {"text": card.text, "version": 1, "move_lane": pains.pk}
    _post(
        alice_client,
        _card_url("card_edit", card),
        data,
        django_capture_on_commit_callbacks,
    )
    [moved] = published
    assert "evidence" not in moved.fragments


def test_a_stage_rename_publishes_the_stage(
    alice_client, trip, stage, published, django_capture_on_commit_callbacks
):
    data = {"title": "Booking", "customer_goal": "", "description": "", "version": 1}
    url = _url("stage_edit", trip, stage.pk)
    assert (
        _post(alice_client, url, data, django_capture_on_commit_callbacks).status_code
        == 200
    )
    assert [(c.kind, c.object_id, c.fragments) for c in published] == [
        ("stage", stage.pk, (f"stage:{stage.pk}",))
    ]


def test_a_new_stage_publishes_the_grid(
    alice_client, trip, published, django_capture_on_commit_callbacks
):
    url = _url("stage_add", trip)
    response = _post(
        alice_client, url, {"title": "Booking"}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    new = trip.stages.get(title="Booking")
    assert [(c.verb, c.object_id, c.fragments) for c in published] == [
        ("create", new.pk, ("grid",))
    ]


def _drag(client, journey_map, kind, capture):
    rows = journey_map.stages if kind == "stage" else journey_map.lanes
    ids = [str(pk) for pk in rows.filter().values_list("pk", flat=True)][::-1]
    url = _url(f"{kind}_reorder", journey_map)
    response = _post(client, url, {"order": ",".join(ids)}, capture)
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["stage", "lane"])
def test_dragging_stages_or_lanes_reads_reordered_and_publishes_the_grid(
    alice_client, trip, kind, published, django_capture_on_commit_callbacks
):
    _drag(alice_client, trip, kind, django_capture_on_commit_callbacks)
    body = _history(alice_client, trip, **EN)
    assert f"alice</span> reordered the {kind}s" in body
    assert [(c.kind, c.fragments) for c in published] == [(kind, ("grid",))]


def test_an_emotion_publishes_the_emotions(
    alice_client, trip, stage, published, django_capture_on_commit_callbacks
):
    url = _url("map_emotion_set", trip, stage.pk)
    data = {"score": "1", "lane": _lane(trip, LaneKind.EMOTION).pk}
    assert (
        _post(alice_client, url, data, django_capture_on_commit_callbacks).status_code
        == 200
    )
    assert [(c.kind, c.fragments) for c in published] == [("emotion", ("emotions",))]


def _action_data(action, **changes):
    return {
        "title": action.title,
        "description": "",
        "owner": "",
        "due": "",
        "status": action.status,
        "stage": action.stage_id or "",
        "card": "",
        "evaluation": "",
        "version": action.version,
        **changes,
    }


def test_an_action_edit_publishes_the_action_and_its_cell(
    alice_client, trip, stage, published, django_capture_on_commit_callbacks
):
    action = Action.objects.create(map=trip, stage=stage, title="Call back")
    url = _url("action_edit", trip, action.pk)
    data = _action_data(action, title="Call back today")
    assert (
        _post(alice_client, url, data, django_capture_on_commit_callbacks).status_code
        == 200
    )
    assert [(c.kind, c.object_id, c.fragments) for c in published] == [
        ("action", action.pk, (f"action:{action.pk}", f"actions:{stage.pk}"))
    ]


def test_an_action_moved_to_another_stage_publishes_both_cells(
    alice_client, trip, stage, published, django_capture_on_commit_callbacks
):
    action = Action.objects.create(map=trip, stage=stage, title="Call back")
    other = trip.stages.get(title="Use and experience")
    url = _url("action_edit", trip, action.pk)
    data = _action_data(action, stage=other.pk)
    assert (
        _post(alice_client, url, data, django_capture_on_commit_callbacks).status_code
        == 200
    )
    [moved] = published
    assert {f"actions:{stage.pk}", f"actions:{other.pk}"} <= set(moved.fragments)


def test_a_stale_write_publishes_nothing(
    alice_client, trip, card, published, django_capture_on_commit_callbacks
):
    Card.objects.filter(pk=card.pk).update(text="Theirs", version=2)
    data = {"text": "Mine", "version": 1}
    response = _post(
        alice_client,
        _card_url("card_edit", card),
        data,
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 409
    assert published == []
    assert not trip.activities.filter(verb="update").exists()


def test_a_rolled_back_write_publishes_nothing(
    trip, stage, alice, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            record(trip, alice, "delete", stage)
            raise RuntimeError("the write failed after record()")
        record(trip, alice, "create", stage)
    assert [c.verb for c in published] == ["create"]


def test_every_listener_hears_and_a_removed_one_does_not(
    trip, stage, alice, published, django_capture_on_commit_callbacks
):
    heard = []
    on_change(heard.append)
    on_change(heard.append)  # registering twice still hears once
    with django_capture_on_commit_callbacks(execute=True):
        record(trip, alice, "update", stage)
    off_change(heard.append)
    with django_capture_on_commit_callbacks(execute=True):
        record(trip, alice, "update", stage)
    assert len(heard) == 1
    assert len(published) == 2


# ---- An Access as the actor ---------------------------------------------------


def test_record_takes_an_access_and_stores_its_user_and_name(org, trip, dave, stage):
    dave.first_name, dave.last_name = "Dave", "Dekker"
    dave.save()
    access = Access.of_member(Membership.objects.get(organisation=org, user=dave))
    row = record(trip, access, "update", stage, changes=[change("title", "a", "b")])
    row.refresh_from_db()
    assert (row.user, row.actor_name) == (dave, "Dave Dekker")


def test_the_name_comes_from_the_access_not_the_user(org, trip, dave, stage):
    member = Access.of_member(Membership.objects.get(organisation=org, user=dave))
    access = dataclasses.replace(member, name="Dave at the workshop")
    row = record(trip, access, "update", stage)
    row.refresh_from_db()
    assert (row.user, row.actor_name) == (dave, "Dave at the workshop")


def test_an_access_without_a_user_is_named_but_not_linked(org, trip, stage):
    guest = Access(organisation=org, abilities=frozenset(), name="Gwen (guest)")
    row = record(trip, guest, "update", stage)
    row.refresh_from_db()
    assert (row.user, row.actor_name) == (None, "Gwen (guest)")
