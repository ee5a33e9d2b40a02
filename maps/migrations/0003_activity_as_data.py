"""
Activity rows become data: the field changes as a list, what the object was
called, and the actor's name. The old rows kept sentences' pieces as text in the
writer's language ("Title: Intake"); they are read back into fields where the
label names a field of the object (in English or Dutch), and kept under their
label otherwise. Values are read back too: a choice's label ("Concept") becomes
its value ("draft"), a feeling ("zeer negatief") its score, a list ("Anna,
Bram") a list, and where a card sat ("Stage: Intake\nLane: Pains") its cell.

What each old call site wrote, and what it becomes:

- stage, map settings, card details, action edits: "Label: value" lines (an
  action's labels were its field names, "—" for nothing) → one change a line;
- a lane's or a card's text edit: the old and the new text → "title" / "text";
- a card moved: "Stage: X\nLane: Y" both sides → one "cell" change, "X · Y";
- stages or lanes reordered: the titles, comma-separated → an "order" change
  of lists (dragged ones were logged against the map: the map's stage and lane
  titles tell which they were);
- a feeling set: "<persona or The customer>, <stage>: <feeling>" and the new
  feeling → a "score" change, labelled "Stage · Persona" (or just "Stage");
- a note on a feeling: "<who>, <stage>: <old note>" and the new note → "note";
- archive, restore: the old and the new status → "status";
- evidence cited: the findings' statements, one a line → "findings" lists;
- actions dragged (within or into a stage), logged against the map with the
  stage's title → the actions' reorder in that stage;
- create, delete, hide, show, duplicate, import: only the object's name.

What an object was called comes from the row where it can (a create's name, a
rename's new title, a delete's last name); otherwise it is walked back from the
object's name now through its later renames, or from its deletion.
"""

import re
from types import SimpleNamespace

from django.db import migrations, models
from django.utils import translation

LINE = re.compile(r"^([^:\n]{1,60}): (.*)$")
# Verbs whose before/after text was only the object's name.
NAMED = {"create", "delete", "duplicate", "import", "hide", "show"}
KIND_MODELS = {
    "map": "JourneyMap",
    "stage": "Stage",
    "lane": "Lane",
    "card": "Card",
    "emotion": "Emotion",
    "action": "Action",
}
# The field that names an object of a kind (what object_label holds).
NAME_FIELDS = {"stage": "title", "lane": "title", "card": "text", "action": "title"}
# The Dutch the old rows were written in (the catalogue of then), for the words
# read here: the labels of the fields that were logged, their choices, and the
# few words that name no field. The catalogue is asked as well; this keeps
# Dutch rows readable where it is not compiled, or says something else since.
DUTCH = {
    # The map's settings
    "title": "titel",
    "type": "soort",
    "status": "status",
    "decision-making unit": "DMU",
    "scope": "afbakening",
    "objective": "doel",
    "Personas": "Persona's",
    "Current state": "Huidige situatie",
    "Future state": "Gewenste situatie",
    "Day in the life": "Een dag uit het leven",
    "Draft": "Concept",
    "Active": "Actief",
    "Archived": "Gearchiveerd",
    # A stage
    "customer's goal": "doel van de klant",
    "description": "beschrijving",
    # A card, and where it sat
    "text": "tekst",
    "channel": "kanaal",
    "own channel": "eigen kanaal",
    "branded": "met merk",
    "owning department": "verantwoordelijke afdeling",
    "how the customer experiences it": "hoe de klant het ervaart",
    "Search": "Zoeken",
    "Email": "E-mail",
    "Phone": "Telefoon",
    "Shop": "Winkel",
    "Event": "Evenement",
    "Sales call": "Verkoopgesprek",
    "Delivery": "Levering",
    "Invoice": "Factuur",
    "Something else": "Iets anders",
    "Positive": "Positief",
    "Neutral": "Neutraal",
    "Negative": "Negatief",
    "Low": "Laag",
    "Medium": "Gemiddeld",
    "High": "Hoog",
    "Stage": "Fase",
    "Lane": "Baan",
    # A feeling
    "emotion": "emotie",
    "note": "notitie",
    "Very negative": "Zeer negatief",
    "Very positive": "Zeer positief",
    "not set": "niet ingevuld",
    "The customer": "De klant",
    # An action's status
    "In progress": "Bezig",
    "Done": "Klaar",
    "Dropped": "Geschrapt",
}
NOTHING = "—"  # what the actions' log wrote for an empty value


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _said(text: str) -> set:
    """`text` in English and in Dutch (the catalogue's, and the frozen one)."""
    said = {text}
    if text in DUTCH:
        said.add(DUTCH[text])
    for language in ("en", "nl"):
        with translation.override(language):
            said.add(translation.gettext(text))
    return {s for s in said if s}


def _labels(apps) -> SimpleNamespace:
    """
    What the old texts may say, in English and Dutch: the fields' labels per
    kind ("Titel" → "title"), the choices' labels per kind and field ("Concept"
    → "draft"), the boolean fields, the feelings ("negatief" → -1), the words
    for "the customer".
    """
    fields, choices, booleans, texts = {}, {}, {}, {}
    for kind, name in KIND_MODELS.items():
        model = apps.get_model("maps", name)
        labels, kind_choices = {}, {}
        for field in model._meta.concrete_fields:
            verbose = str(getattr(field, "verbose_name", "") or "")
            # The old log capitalised the label: "Title" (its own msgid) or "Titel".
            said = _said(verbose) | _said(_capfirst(verbose)) if verbose else set()
            for label in said:
                labels[_capfirst(label)] = field.name
            # The actions' log named its fields as they are named in code.
            labels[field.name] = field.name
            if field.choices:
                table = {}
                for value, label in field.flatchoices:
                    for text in _said(str(label)):
                        table.setdefault(text.casefold(), value)
                values = {str(value) for value, _label in field.flatchoices}
                kind_choices[field.name] = (values, table)
            if isinstance(field, models.BooleanField):
                booleans.setdefault(kind, set()).add(field.name)
            if isinstance(field, models.CharField | models.TextField):
                texts.setdefault(kind, set()).add(field.name)
        for word, field_name in (("Stage", "stage"), ("Lane", "lane")):
            for label in _said(word):
                labels.setdefault(label, field_name)
        if kind == "map":
            for label in _said("Personas"):
                labels[label] = "personas"
        fields[kind] = labels
        choices[kind] = kind_choices
    score = apps.get_model("maps", "Emotion")._meta.get_field("score")
    scores = {text.casefold(): None for text in _said("not set")}
    for value, label in score.flatchoices:
        for text in _said(str(label)):
            scores[text.casefold()] = value
    return SimpleNamespace(
        fields=fields,
        choices=choices,
        booleans=booleans,
        texts=texts,
        scores=scores,
        customer=_said("The customer"),
        stage=_said("Stage"),
        lane=_said("Lane"),
    )


def _pairs(text: str):
    lines = [line for line in text.split("\n") if line]
    matches = [LINE.match(line) for line in lines]
    if not lines or not all(matches):
        return None
    return [(m.group(1), m.group(2)) for m in matches]


def _list(text: str, separator: str = ", ") -> list:
    return [item for item in text.split(separator) if item] if text else []


def _value(words, kind: str, name: str, text: str):
    """An old shown value as the new rows store it."""
    if name == "personas":
        return _list(text)
    if text == NOTHING and (kind == "action" or name == "dmu"):
        return "" if name in words.texts.get(kind, ()) else None
    if name in words.booleans.get(kind, ()) and text in ("True", "False", ""):
        return None if text == "" else text == "True"  # "": not said (None)
    if name in words.choices.get(kind, {}):
        values, labels = words.choices[kind][name]
        if text not in values and text.casefold() in labels:
            return labels[text.casefold()]
    return text


def _score(words, text: str):
    return words.scores.get(text.strip().casefold(), text)


def _cell(pairs, words):
    """ "X · Y" for [("Stage", X), ("Lane", Y)] in either language, else None."""
    if pairs is None or len(pairs) != 2:
        return None
    (stage_label, stage), (lane_label, lane) = pairs
    if stage_label in words.stage and lane_label in words.lane:
        return f"{stage} · {lane}"
    return None


def _where(text: str, words, place=None) -> str:
    """ "Anna, Intake" → "Intake · Anna"; "The customer, Intake" → "Intake"."""
    for customer in words.customer:
        if text.startswith(f"{customer}, "):
            return text[len(customer) + 2 :]
    persona, stage = None, None
    if place is not None:  # the emotion is still there: its names now
        stage_now, persona_now = place
        if stage_now and text.endswith(f", {stage_now}"):
            persona, stage = text[: -len(stage_now) - 2], stage_now
        elif persona_now and text.startswith(f"{persona_now}, "):
            persona, stage = persona_now, text[len(persona_now) + 2 :]
    if stage is None:
        persona, comma, stage = text.partition(", ")
        if not comma:
            return text
    return f"{stage} · {persona}" if persona else stage


def _read(activity, words, places=None) -> SimpleNamespace:
    """
    An old row as data: its changes, and verb, kind and label where the row
    says them (label None: the object's name at the time, worked out later).
    """
    before, after = activity.before or "", activity.after or ""
    verb, kind = activity.verb, activity.object_kind or "map"
    row = SimpleNamespace(verb=verb, kind=kind, changes=[], label=None)

    if kind == "emotion":
        place = (places or {}).get(getattr(activity, "object_id", None))
        if verb == "set":
            where, _colon, old = before.rpartition(": ")
            row.label = _where(where, words, place)
            row.changes = [
                {
                    "field": "score",
                    "before": _score(words, old),
                    "after": _score(words, after),
                }
            ]
            return row
        if verb == "update":
            where, _colon, note = before.partition(": ")
            row.label = _where(where, words, place)
            row.changes = [{"field": "note", "before": note, "after": after}]
            return row

    if verb in NAMED:
        if kind == "map":
            # A copy is named after its source; the rest said the map's title.
            row.label = before if verb == "duplicate" else after or before
        else:
            row.label = after or before
        return row
    if kind == "map" and verb in ("archive", "restore", "status"):
        row.changes = [
            {
                "field": "status",
                "before": _value(words, "map", "status", before),
                "after": _value(words, "map", "status", after),
            }
        ]
        row.label = ""
        return row

    if verb in ("reorder", "move") and kind in ("stage", "lane", "map"):
        cell = _cell(_pairs(after), words)
        if kind == "map" and not before and cell is not None:
            row.label = cell  # cards reordered in a cell, the card unknown
        elif kind == "map" and not before:
            # Actions dragged within or into a stage: the stage's title.
            row.verb, row.kind, row.label = "reorder", "action", after
        else:
            row.label = ""
            row.changes = [
                {"field": "order", "before": _list(before), "after": _list(after)}
            ]
        return row
    if verb in ("reorder", "move") and kind in ("card", "action") and not before:
        row.label = after  # its name: a card reordered in its cell, an action moved
        return row

    if verb == "cite":
        row.changes = [
            {
                "field": "findings",
                "before": _list(before, "\n"),
                "after": _list(after, "\n"),
            }
        ]
        return row
    if not before and not after:
        return row
    if kind == "lane" and verb == "update":
        row.changes = [{"field": "title", "before": before, "after": after}]
        return row

    old, new = _pairs(before), _pairs(after)
    names = words.fields.get(kind, {})
    if (
        old is not None
        and new is not None
        and [k for k, _ in old] == [k for k, _ in new]
        # A card's text alone was written as it is, "Note: call back" too.
        and (kind != "card" or all(label in names for label, _ in old))
    ):
        cell = _cell(old, words), _cell(new, words)
        if kind == "card" and None not in cell:
            row.changes = [{"field": "cell", "before": cell[0], "after": cell[1]}]
            return row
        for (label, value), (_label, changed) in zip(old, new, strict=True):
            if label in names:
                name = names[label]
                entry = {
                    "field": name,
                    "before": _value(words, kind, name, value),
                    "after": _value(words, kind, name, changed),
                }
            else:
                entry = {"field": "", "label": label, "before": value, "after": changed}
            row.changes.append(entry)
        return row
    if kind == "card" and verb == "update":
        row.changes = [{"field": "text", "before": before, "after": after}]
        return row
    row.changes = [{"field": "", "before": before, "after": after}]
    return row


def _changes(activity, labels) -> list:
    return _read(activity, labels).changes


def _titles(apps) -> dict:
    """map id → {"stage": its stages' titles, "lane": its lanes' titles}."""
    titles = {}
    for kind in ("stage", "lane"):
        model = apps.get_model("maps", KIND_MODELS[kind])
        for map_id, title in model.objects.values_list("map_id", "title"):
            titles.setdefault(map_id, {"stage": set(), "lane": set()})[kind].add(title)
    return titles


def _ordered_kind(row, titles) -> str:
    """Which a reorder logged against the map was: stages or lanes (or unknown)."""
    named = titles or {"stage": set(), "lane": set()}
    order = row.changes[0]["before"] + row.changes[0]["after"]
    stages = sum(title in named["stage"] for title in order)
    lanes = sum(title in named["lane"] for title in order)
    if stages == lanes:
        return "map"
    return "stage" if stages > lanes else "lane"


FIELDS = ["changes", "object_label", "actor_name"]
BATCH = 500


def forwards(apps, schema_editor):
    Activity = apps.get_model("maps", "Activity")
    words = _labels(apps)
    names = {}
    for kind, field in NAME_FIELDS.items():
        model = apps.get_model("maps", KIND_MODELS[kind])
        names.update(model.objects.values_list("pk", field))
    places = {
        pk: (stage, persona)
        for pk, stage, persona in apps.get_model("maps", "Emotion").objects.values_list(
            "pk", "stage__title", "persona__name"
        )
    }
    titles = _titles(apps)
    # bulk_update's cost grows with its fields: only the few rows whose verb or
    # kind are read anew write those too. Each row is written once: on
    # PostgreSQL a second write would queue foreign-key checks that keep the
    # columns from being dropped in this transaction ("pending trigger events").
    changed, moved = [], []
    # Each object's rows newest first: its name at each row is walked back from
    # its name now (or at its deletion) through its renames.
    current, name = object(), None
    rows = Activity.objects.select_related("user").order_by(
        "object_id", "-revision", "-id"
    )
    for activity in rows.iterator(chunk_size=BATCH):
        if activity.object_id != current:
            current, name = activity.object_id, names.get(activity.object_id)
        row = _read(activity, words, places)
        if row.kind == "map" and row.verb == "reorder" and row.changes:
            row.kind = _ordered_kind(row, titles.get(activity.map_id))
        field = NAME_FIELDS.get(row.kind)
        if field is not None and activity.object_id != activity.map_id:
            renamed = [c for c in row.changes if c.get("field") == field]
            if renamed:
                row.label = str(renamed[0]["after"] or renamed[0]["before"] or "")
                name = renamed[0]["before"]
            elif row.label is None:
                row.label = name or ""
            elif row.label:
                name = row.label
        anew = (row.verb, row.kind) != (activity.verb, activity.object_kind)
        activity.verb, activity.object_kind = row.verb, row.kind
        activity.changes = row.changes
        activity.object_label = (row.label or "")[:300]
        if activity.user is not None:
            full = f"{activity.user.first_name} {activity.user.last_name}".strip()
            activity.actor_name = full or activity.user.username
        (moved if anew else changed).append(activity)
        if len(changed) >= BATCH:
            Activity.objects.bulk_update(changed, FIELDS)
            changed = []
        if len(moved) >= BATCH:
            Activity.objects.bulk_update(moved, ["verb", "object_kind", *FIELDS])
            moved = []
    Activity.objects.bulk_update(changed, FIELDS)
    Activity.objects.bulk_update(moved, ["verb", "object_kind", *FIELDS])


def backwards(apps, schema_editor):
    Activity = apps.get_model("maps", "Activity")
    for activity in Activity.objects.iterator():
        lines = [
            (c.get("label") or c.get("field", ""), c.get("before"), c.get("after"))
            for c in activity.changes
        ]
        activity.before = "\n".join(f"{k}: {b}" if k else f"{b}" for k, b, _ in lines)
        activity.after = "\n".join(f"{k}: {a}" if k else f"{a}" for k, _, a in lines)
        activity.save(update_fields=["before", "after"])


class Migration(migrations.Migration):
    dependencies = [
        ("maps", "0002_emotions_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="activity",
            name="changes",
            field=models.JSONField(blank=True, default=list, verbose_name="changes"),
        ),
        migrations.AddField(
            model_name="activity",
            name="object_label",
            field=models.CharField(blank=True, max_length=300, verbose_name="called"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="activity", name="after"),
        migrations.RemoveField(model_name="activity", name="before"),
    ]
