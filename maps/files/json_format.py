"""
A whole journey map as one JSON document, and back (no views here: see
maps.files.json_views and the export_map / import_map commands).

The document (format "journeymap.map", version 1) holds the map's own fields,
its stages, lanes, cards, emotions and follow-up actions, and *references* to
what lives outside the map: personas, cited findings (with their study), the
DMU and action owners. Inside the document, things point at each other by
local keys derived from order ("s1", "l2", "c3", "p1", "f4"), never by
database ids, so export → import → export gives the same document. The
database ids of the map, personas, findings, studies and DMU are kept under
"id" and the moment of export under "exported_at", for matching only; a
comparison of two documents ignores them.

Import never overwrites: it always makes a new map. It reads and checks the
whole document first (types, required keys, choices, lengths, dates, keys and
references) and writes nothing unless all of it is valid; then it writes in one
transaction. References resolve in the target organisation:

- persona, DMU: the one with the same id in that organisation, else the first
  with the same name, else a new one made from the reference;
- finding: the same id in that organisation, else the same statement in a
  study of the same title, else a new finding (in the study with that id, or
  title and method, else a new study);
- action owner: a member of that organisation with the same username, else the
  same e-mail address; otherwise the action has no owner and a warning says so.

Two references in one document never resolve to the same persona or finding.
Existing personas, findings and DMUs are never changed by an import. Keys the
format does not know are ignored, with a warning.
"""

import datetime
import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journeymap.models import Membership, Organisation
from maps.models import (
    Action,
    ActionStatus,
    Card,
    Emotion,
    JourneyMap,
    Lane,
    LaneKind,
    MapStatus,
    MapType,
    Stage,
    record,
)
from research.models import DMU, METHOD_KIND, Finding, Market, Persona, Study

FORMAT = "journeymap.map"
VERSION = 1
# Versions this code reads. A new version keeps reading the older ones.
READS = (1,)
# Bigger than any real map (the demo maps are about 40 kB each).
MAX_BYTES = 10 * 1024 * 1024
# The format nests four levels (document → cards → card → findings); two more
# leave room for later optional keys. Anything deeper is not a map file.
MAX_DEPTH = 6

PERSONA_FIELDS = (
    "name",
    "description",
    "job",
    "quote",
    "market",
    "need_type",
    "awareness",
    "goals",
    "needs",
    "frustrations",
    "wishes",
    "behaviour",
)
MAP_FIELDS = ("title", "type", "status", "scope", "objective")
DMU_FIELDS = ("name", "market", "description")
STAGE_FIELDS = ("title", "description", "customer_goal")
LANE_FIELDS = ("title", "kind", "hidden")
CARD_FIELDS = Card.CONTENT_FIELDS
ACTION_FIELDS = ("title", "description", "due", "status", "evaluation")

# Keys in the document that are about the export, not the map: kept for
# matching, left out when comparing two documents.
IGNORED_IN_COMPARISON = ("id", "exported_at")


class ImportRejected(Exception):
    """The document cannot be imported; `errors` say what and where."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = list(errors)


@dataclass
class ImportResult:
    map: JourneyMap
    # Something did not carry over as it was (an owner who is not a member).
    warnings: list[str] = field(default_factory=list)
    # What the import added besides the map (new personas, findings, a DMU).
    notes: list[str] = field(default_factory=list)
    source_title: str = ""  # the title in the file


# ---- Export ------------------------------------------------------------------


def export_map(journey_map: JourneyMap) -> dict:
    """The map as a JSON-ready dict, in a stable order. A fixed number of queries."""
    stages = list(journey_map.stages.all())
    lanes = list(journey_map.lanes.all())
    stage_index = {s.pk: i for i, s in enumerate(stages)}
    lane_index = {lane.pk: i for i, lane in enumerate(lanes)}
    cards = sorted(
        journey_map.cards.all(),
        key=lambda c: (
            stage_index[c.stage_id],
            lane_index[c.lane_id],
            c.position,
            c.created,
            c.pk,
        ),
    )
    card_key = {c.pk: f"c{i}" for i, c in enumerate(cards, 1)}

    cited: dict = {}
    for row in Card.findings.through.objects.filter(
        card__map=journey_map
    ).select_related("finding__study"):
        cited.setdefault(row.card_id, []).append(row.finding)
    # Findings are numbered in the order the cards first cite them.
    findings, finding_key = [], {}
    for card in cards:
        for finding in sorted(cited.get(card.pk, []), key=_finding_order):
            if finding.pk not in finding_key:
                finding_key[finding.pk] = f"f{len(findings) + 1}"
                findings.append(finding)

    emotions = list(journey_map.emotions.all())
    on_map = set(journey_map.personas.values_list("pk", flat=True))
    wanted = on_map | {e.persona_id for e in emotions if e.persona_id}
    personas = sorted(
        Persona.objects.filter(pk__in=wanted), key=lambda p: (p.name, p.created, p.pk)
    )
    persona_key = {p.pk: f"p{i}" for i, p in enumerate(personas, 1)}
    persona_index = {p.pk: i for i, p in enumerate(personas)}
    emotions.sort(
        key=lambda e: (
            stage_index[e.stage_id],
            persona_index[e.persona_id] if e.persona_id else -1,
        )
    )
    actions = sorted(
        journey_map.actions.select_related("owner"),
        key=lambda a: (
            stage_index[a.stage_id] if a.stage_id else len(stages),
            a.position,
            a.created,
            a.pk,
        ),
    )

    def skey(stage_id):
        return f"s{stage_index[stage_id] + 1}" if stage_id else None

    dmu = journey_map.dmu
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.localtime().isoformat(timespec="seconds"),
        "map": {
            "id": str(journey_map.pk),
            **_pick(journey_map, MAP_FIELDS),
            "dmu": {"id": str(dmu.pk), **_pick(dmu, DMU_FIELDS)} if dmu else None,
            "personas": [persona_key[p.pk] for p in personas if p.pk in on_map],
        },
        "personas": [
            {"key": persona_key[p.pk], "id": str(p.pk), **_pick(p, PERSONA_FIELDS)}
            for p in personas
        ],
        "findings": [
            {
                "key": finding_key[f.pk],
                "id": str(f.pk),
                "statement": f.statement,
                "source": f.source,
                "date": f.date.isoformat(),
                "study": {
                    "id": str(f.study.pk),
                    "title": f.study.title,
                    "method": f.study.method,
                    "kind": f.study.kind,
                },
            }
            for f in findings
        ],
        "stages": [
            {"key": f"s{i}", **_pick(s, STAGE_FIELDS)} for i, s in enumerate(stages, 1)
        ],
        "lanes": [
            {"key": f"l{i}", **_pick(lane, LANE_FIELDS)}
            for i, lane in enumerate(lanes, 1)
        ],
        "cards": [
            {
                "key": card_key[c.pk],
                "stage": skey(c.stage_id),
                "lane": f"l{lane_index[c.lane_id] + 1}",
                **_pick(c, CARD_FIELDS),
                "findings": [
                    finding_key[f.pk]
                    for f in sorted(cited.get(c.pk, []), key=_finding_order)
                ],
            }
            for c in cards
        ],
        "emotions": [
            {
                "stage": skey(e.stage_id),
                "persona": persona_key[e.persona_id] if e.persona_id else None,
                "score": e.score,
                "note": e.note,
            }
            for e in emotions
        ],
        "actions": [
            {
                "stage": skey(a.stage_id),
                "card": card_key.get(a.card_id) if a.card_id else None,
                "title": a.title,
                "description": a.description,
                "owner": (
                    {"username": a.owner.get_username(), "email": a.owner.email}
                    if a.owner
                    else None
                ),
                "due": a.due.isoformat() if a.due else None,
                "status": a.status,
                "evaluation": a.evaluation,
            }
            for a in actions
        ],
    }


def dumps(document: dict) -> str:
    """The document as the text of a .json file: UTF-8, indented, keys in order."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def without_ids(value):
    """The document without ids and the export time: what a round trip keeps."""
    if isinstance(value, dict):
        return {
            k: without_ids(v)
            for k, v in value.items()
            if k not in IGNORED_IN_COMPARISON
        }
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def _pick(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _finding_order(finding: Finding):
    # By content, not by id: the order survives a move to another organisation.
    return (finding.date, finding.statement, finding.source, finding.study.title)


# ---- Reading a file --------------------------------------------------------

_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


def read_upload(source) -> dict:
    """
    The document in an uploaded file, a file opened in binary mode, or bytes.
    Rejects (ImportRejected) a file that is too big, not UTF-8, not JSON,
    nested deeper than the format, not an object, or of another format or
    version. Reads at most MAX_BYTES + 1 bytes.
    """
    raw = _read_at_most(source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            [_("The file is not UTF-8 text. Export the map again and upload that.")]
        ) from None
    if _too_deep(text):
        raise ImportRejected(
            [
                _(
                    "The file nests lists and objects more than %(depth)d levels "
                    "deep; a map file never does."
                )
                % {"depth": MAX_DEPTH}
            ]
        )
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [
                _(
                    "The file is not valid JSON: %(problem)s at line %(line)d, "
                    "column %(column)d."
                )
                % {"problem": exc.msg, "line": exc.lineno, "column": exc.colno}
            ]
        ) from None
    except (ValueError, RecursionError):
        raise ImportRejected([_("The file is not valid JSON.")]) from None
    errors = check_header(data)
    if errors:
        raise ImportRejected(errors)
    return data


def check_header(data) -> list[str]:
    """Errors if `data` is not a document of this format in a version we read."""
    if not isinstance(data, dict):
        return [
            _(
                "The file holds JSON, but not a journey map: a map file is one "
                "object with “format”: “%(format)s”."
            )
            % {"format": FORMAT}
        ]
    if data.get("format") != FORMAT:
        return [
            _(
                "This is not a journey map file: “format” should be “%(format)s”. "
                "Export a map from Journeymap to get one."
            )
            % {"format": FORMAT}
        ]
    version = data.get("version")
    if type(version) is not int or version not in READS:
        return [
            _(
                "version: %(version)s is not a version this Journeymap reads "
                "(it reads %(versions)s)."
            )
            % {
                "version": _shorten(json.dumps(version))
                if "version" in data
                else _("missing"),
                "versions": ", ".join(str(v) for v in READS),
            }
        ]
    return []


def _read_at_most(source) -> bytes:
    if isinstance(source, str):
        source = source.encode("utf-8")
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        size = len(raw)
    else:
        size = getattr(source, "size", None)
        size = size if isinstance(size, int) else None
        if size is not None and size > MAX_BYTES:
            raise ImportRejected([_too_big(size)])
        if getattr(source, "seekable", lambda: False)():
            source.seek(0)
        # Never more than one byte past the limit, whatever the file's real size.
        raw = source.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportRejected([_too_big(size)])
    if not raw.strip():
        raise ImportRejected([_("The file is empty.")])
    return raw


def _too_big(size: int | None) -> str:
    limit = filesizeformat(MAX_BYTES)
    if size is None:
        return _("The file is larger than %(limit)s, the most a map file can be.") % {
            "limit": limit
        }
    return _("The file is %(size)s; a map file can be at most %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": limit,
    }


def _too_deep(text: str) -> bool:
    """Deeper than MAX_DEPTH, counted before parsing (json would recurse on it)."""
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        else:
            depth -= 1
    return False


def _no_constants(name: str):
    raise ValueError(f"{name} is not allowed")


# ---- Import ----------------------------------------------------------------


def import_map(
    data,
    organisation: Organisation,
    user,
    *,
    title: str = "",
    mark_imported: bool = False,
    verb: str = "import",
    label: str | None = None,
) -> ImportResult:
    """
    A new map in `organisation` from a document. Raises ImportRejected, with
    every problem found, and writes nothing, when any part is invalid.
    The map is titled `title` when given, else as in the file, marked
    "(imported)" with `mark_imported` (see imported_title).
    `verb` and `label` are the new map's one history entry (see record()): a
    duplicate says "duplicate", labelled with the source's title.
    """
    reader = _Reader(organisation)
    reader.read(data)
    if reader.errors:
        raise ImportRejected(reader.errors)
    source_title = reader.map.title
    if title:
        reader.map.title = title
    elif mark_imported:
        reader.map.title = imported_title(source_title)
    with transaction.atomic():
        journey_map = reader.write(user, verb, label)
    return ImportResult(journey_map, reader.warnings, reader.notes, source_title)


def _imported_marks() -> list[tuple[str, str]]:
    """(before, after) the title in "%(title)s (imported)", in each language."""
    marks = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            before, _title, after = _("%(title)s (imported)").partition("%(title)s")
        if before or after:
            marks.append((before, after))
    return marks


def imported_title(title: str) -> str:
    """
    "Trip" → "Trip (imported)", in the language in use, within the title's
    length. A title marked already, in any language Journeymap speaks, stays as
    it is: a map imported again is not "Trip (imported) (imported)".
    """
    for before, after in _imported_marks():
        marked = title.startswith(before) and title.endswith(after)
        if marked and len(title) > len(before) + len(after):
            return title
    before, _title, after = _("%(title)s (imported)").partition("%(title)s")
    room = JourneyMap._meta.get_field("title").max_length - len(before + after)
    return before + title[:room].rstrip() + after


# ---- Duplicate -------------------------------------------------------------


def map_duplicate(
    source: JourneyMap, user, title: str, map_type: str | None = None
) -> JourneyMap:
    """
    A draft copy of `source` in its organisation, titled `title` and, when
    given, of another `map_type`. It goes through export and import, so a copy
    keeps whatever a file keeps. In the same organisation every persona,
    finding and DMU matches by id: the copy points at the same research rows
    and adds none. Raises ImportRejected only for a `map_type` that is not a
    MapType (or a map the format cannot hold, which would be a bug here).
    """
    document = export_map(source)
    document["map"].update(title=title, status=MapStatus.DRAFT)
    if map_type is not None:
        document["map"]["type"] = map_type
    result = import_map(
        document, source.organisation, user, verb="duplicate", label=source.title
    )
    return result.map


REQUIRED = object()
_BAD = object()


def _today() -> datetime.date:
    return timezone.localdate()


# Each section's plain fields: name → (kind, default or REQUIRED).
MAP_SPEC = {
    "title": ("text", REQUIRED),
    "type": ("text", MapType.CURRENT),
    "status": ("text", MapStatus.DRAFT),
    "scope": ("text", ""),
    "objective": ("text", ""),
}
DMU_SPEC = {
    "name": ("text", REQUIRED),
    "market": ("text", Market.B2B),
    "description": ("text", ""),
}
PERSONA_SPEC = {
    "name": ("text", REQUIRED),
    "market": ("text", Market.B2B),
    **{name: ("text", "") for name in PERSONA_FIELDS if name not in ("name", "market")},
}
FINDING_SPEC = {
    "statement": ("text", REQUIRED),
    "source": ("text", ""),
    "date": ("date", _today),
}
STUDY_SPEC = {
    "title": ("text", REQUIRED),
    "method": ("text", REQUIRED),
    "kind": ("text?", None),
}
STAGE_SPEC = {
    "title": ("text", REQUIRED),
    "description": ("text", ""),
    "customer_goal": ("text", ""),
}
LANE_SPEC = {
    "title": ("text", REQUIRED),
    "kind": ("text", LaneKind.TEXT),
    "hidden": ("bool", False),
}
CARD_SPEC = {
    "text": ("text", REQUIRED),
    "channel": ("text", ""),
    "custom_channel": ("text", ""),
    "online": ("bool?", None),
    "branded": ("bool?", None),
    "department": ("text", ""),
    "experience": ("text", ""),
    "moment_of_truth": ("bool", False),
    "impact": ("text", ""),
}
EMOTION_SPEC = {"score": ("int", REQUIRED), "note": ("text", "")}
ACTION_SPEC = {
    "title": ("text", REQUIRED),
    "description": ("text", ""),
    "due": ("date?", None),
    "status": ("text", ActionStatus.OPEN),
    "evaluation": ("text", ""),
}
OWNER_SPEC = {"username": ("text?", ""), "email": ("text?", "")}
TOP_KEYS = {
    "format",
    "version",
    "exported_at",
    "map",
    "personas",
    "findings",
    "stages",
    "lanes",
    "cards",
    "emotions",
    "actions",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(eq=False)
class _Ref:
    """Something outside the map that the document refers to by key."""

    where: str
    instance: models.Model
    id: uuid.UUID | None = None
    used: bool = False
    target: models.Model | None = None
    study: "_Ref | None" = None


@dataclass(eq=False)
class _Item:
    where: str
    instance: models.Model
    refs: dict = field(default_factory=dict)


class _Reader:
    """Reads and checks a whole document, resolves references, then writes it."""

    def __init__(self, organisation: Organisation):
        self.org = organisation
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self.unknown: Counter = Counter()

    # -- reporting

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    # -- reading the parts

    def read(self, data) -> None:
        self.errors = check_header(data)
        if self.errors:
            return
        for key in data:
            if key not in TOP_KEYS:
                self.unknown[("", key)] += 1
        self.personas = self.read_personas(data)
        self.findings = self.read_findings(data)
        self.map, self.dmu, self.map_personas = self.read_map(data)
        self.stages = self.read_keyed(data, "stages", "s", Stage, STAGE_SPEC)
        self.lanes = self.read_keyed(data, "lanes", "l", Lane, LANE_SPEC)
        self.cards = self.read_cards(data)
        self.emotions = self.read_emotions(data)
        self.actions = self.read_actions(data)
        for (section, key), n in sorted(self.unknown.items()):
            where = section or _("the top level")
            self.warnings.append(
                ngettext(
                    "%(where)s: ignored the unknown key “%(key)s”.",
                    "%(where)s: ignored the unknown key “%(key)s” (%(n)d times).",
                    n,
                )
                % {"where": where, "key": key, "n": n}
            )
        for refs in (self.personas, self.findings):
            for ref in refs.values():
                if not ref.used:
                    self.warnings.append(
                        _("%(where)s: not used on the map, so not imported.")
                        % {"where": ref.where}
                    )
        if not self.errors:
            self.resolve()

    def read_map(self, data):
        where = "map"
        item = self.object(data.get("map", _BAD), where, required=True)
        if item is None:
            return None, None, []
        values = self.values(item, where, MAP_SPEC, {"id", "dmu", "personas"})
        journey_map = self.instance(JourneyMap, values, where)
        dmu = None
        dmu_item = item.get("dmu")
        if dmu_item is not None:
            dmu_item = self.object(dmu_item, "map.dmu")
        if dmu_item is not None:
            dmu_values = self.values(dmu_item, "map.dmu", DMU_SPEC, {"id"})
            dmu = _Ref(
                "map.dmu",
                self.instance(DMU, dmu_values, "map.dmu"),
                id=self.uuid(dmu_item),
            )
        personas = []
        for i, key in enumerate(self.key_list(item, "personas", where)):
            ref = self.lookup(self.personas, key, f"map.personas[{i}]", "personas")
            if ref is not None and ref not in personas:
                ref.used = True
                personas.append(ref)
        return journey_map, dmu, personas

    def read_personas(self, data) -> dict:
        refs = {}
        for i, (where, item) in enumerate(self.items(data, "personas")):
            key = self.key(item, where, f"p{i + 1}", refs)
            values = self.values(item, where, PERSONA_SPEC, {"key", "id"})
            instance = self.instance(Persona, values, where)
            if key is not None:
                refs[key] = _Ref(where, instance, id=self.uuid(item))
        return refs

    def read_findings(self, data) -> dict:
        refs = {}
        for i, (where, item) in enumerate(self.items(data, "findings")):
            key = self.key(item, where, f"f{i + 1}", refs)
            known = {"key", "id", "study"}
            values = self.values(item, where, FINDING_SPEC, known)
            instance = self.instance(Finding, values, where)
            study = None
            study_item = self.object(item.get("study", _BAD), f"{where}.study", True)
            if study_item is not None:
                study = self.read_study(study_item, f"{where}.study")
            if key is not None:
                refs[key] = _Ref(where, instance, id=self.uuid(item), study=study)
        return refs

    def read_study(self, item: dict, where: str) -> _Ref:
        values = self.values(item, where, STUDY_SPEC, {"id"})
        if values.get("kind") is None and "method" in values:
            kind = METHOD_KIND.get(values["method"])
            if kind is None:
                self.error(f"{where}.kind", _("is missing"))
                values.pop("kind")
            else:
                values["kind"] = kind
        return _Ref(where, self.instance(Study, values, where), id=self.uuid(item))

    def read_keyed(self, data, section, prefix, model, spec) -> dict:
        items = {}
        for i, (where, item) in enumerate(self.items(data, section, required=True)):
            key = self.key(item, where, f"{prefix}{i + 1}", items)
            values = self.values(item, where, spec, {"key"})
            instance = self.instance(model, values, where)
            if key is not None:
                items[key] = _Item(where, instance)
        return items

    def read_cards(self, data) -> dict:
        cards = {}
        known = {"key", "stage", "lane", "findings"}
        for i, (where, item) in enumerate(self.items(data, "cards")):
            key = self.key(item, where, f"c{i + 1}", cards)
            values = self.values(item, where, CARD_SPEC, known)
            instance = self.instance(Card, values, where)
            stage = self.reference(item, "stage", where, self.stages, "stages")
            lane = self.reference(item, "lane", where, self.lanes, "lanes")
            findings = []
            for j, fkey in enumerate(self.key_list(item, "findings", where)):
                ref = self.lookup(
                    self.findings, fkey, f"{where}.findings[{j}]", "findings"
                )
                if ref is not None and ref not in findings:
                    ref.used = True
                    findings.append(ref)
            if key is not None:
                refs = {"stage": stage, "lane": lane, "findings": findings}
                cards[key] = _Item(where, instance, refs)
        return cards

    def read_emotions(self, data) -> list:
        emotions, seen = [], {}
        for where, item in self.items(data, "emotions"):
            values = self.values(item, where, EMOTION_SPEC, {"stage", "persona"})
            instance = self.instance(Emotion, values, where)
            stage = self.reference(item, "stage", where, self.stages, "stages")
            persona = self.reference(
                item, "persona", where, self.personas, "personas", required=False
            )
            if persona is not None:
                persona.used = True
            pair = (id(stage), id(persona))
            if stage is not None and (persona or item.get("persona") is None):
                if pair in seen:
                    self.error(
                        where,
                        _(
                            "%(other)s is already the emotion for this stage and "
                            "persona; there can be only one."
                        )
                        % {"other": seen[pair]},
                    )
                seen.setdefault(pair, where)
            emotions.append(
                _Item(where, instance, {"stage": stage, "persona": persona})
            )
        return emotions

    def read_actions(self, data) -> list:
        actions = []
        for where, item in self.items(data, "actions"):
            known = {"stage", "card", "owner"}
            values = self.values(item, where, ACTION_SPEC, known)
            instance = self.instance(Action, values, where)
            stage = self.reference(
                item, "stage", where, self.stages, "stages", required=False
            )
            card = self.reference(
                item, "card", where, self.cards, "cards", required=False
            )
            owner = None
            if item.get("owner") is not None:
                owner_item = self.object(item["owner"], f"{where}.owner")
                if owner_item is not None:
                    owner = self.values(owner_item, f"{where}.owner", OWNER_SPEC, set())
            actions.append(
                _Item(where, instance, {"stage": stage, "card": card, "owner": owner})
            )
        return actions

    # -- small checks

    def object(self, value, where: str, required: bool = False) -> dict | None:
        if value is _BAD:
            if required:
                self.error(where, _("is missing"))
            return None
        if not isinstance(value, dict):
            self.error(where, _("must be an object, written {…}"))
            return None
        return value

    def items(self, data: dict, section: str, required: bool = False):
        if section not in data:
            if required:
                self.error(section, _("is missing"))
            return []
        value = data[section]
        if not isinstance(value, list):
            self.error(section, _("must be a list, written […]"))
            return []
        out = []
        for i, item in enumerate(value):
            where = f"{section}[{i}]"
            if isinstance(item, dict):
                out.append((where, item))
            else:
                self.error(where, _("must be an object, written {…}"))
        return out

    def values(self, item: dict, where: str, spec: dict, known: set) -> dict:
        """The spec's fields of `item`, type-checked; defaults for those left out."""
        values = {}
        for name, (kind, default) in spec.items():
            if name not in item:
                if default is REQUIRED:
                    self.error(f"{where}.{name}", _("is missing"))
                elif callable(default):
                    values[name] = default()
                else:
                    values[name] = default
                continue
            value = self.typed(item[name], kind, f"{where}.{name}")
            if value is not _BAD:
                values[name] = value
        section = re.sub(r"\[\d+\]", "[]", where)
        for key in item:
            if key not in spec and key not in known:
                self.unknown[(section, key)] += 1
        return values

    def typed(self, value, kind: str, where: str):
        if value is None and kind.endswith("?"):
            return None
        kind = kind.rstrip("?")
        if kind == "text":
            if not isinstance(value, str):
                self.error(where, _("must be text, written in quotes"))
                return _BAD
            if "\x00" in value:
                self.error(where, _("contains a NUL character, which cannot be stored"))
                return _BAD
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                self.error(where, _("must be true or false"))
                return _BAD
            return value
        if kind == "int":
            if type(value) is not int:
                self.error(where, _("must be a whole number"))
                return _BAD
            return value
        if kind == "date":
            if isinstance(value, str) and _DATE.fullmatch(value):
                try:
                    return datetime.date.fromisoformat(value)
                except ValueError:
                    pass
            self.error(where, _("must be a date written as YYYY-MM-DD"))
            return _BAD
        raise AssertionError(kind)

    def key(self, item: dict, where: str, default: str, taken: dict) -> str | None:
        key = item.get("key", default)
        if not isinstance(key, str) or not key:
            self.error(f"{where}.key", _("must be text, written in quotes"))
            return None
        if key in taken:
            self.error(
                f"{where}.key",
                _("“%(key)s” is already the key of %(other)s")
                % {"key": key, "other": taken[key].where},
            )
            return None
        return key

    def key_list(self, item: dict, name: str, where: str) -> list:
        value = item.get(name, [])
        if not isinstance(value, list):
            self.error(f"{where}.{name}", _("must be a list, written […]"))
            return []
        keys = []
        for i, key in enumerate(value):
            if isinstance(key, str):
                keys.append(key)
            else:
                self.error(
                    f"{where}.{name}[{i}]", _("must be a key such as “p1”, in quotes")
                )
        return keys

    def reference(self, item, name, where, known: dict, section, required=True):
        if item.get(name) is None:
            if required:
                self.error(f"{where}.{name}", _("is missing"))
            return None
        key = item[name]
        if not isinstance(key, str):
            self.error(f"{where}.{name}", _("must be a key such as “s1”, in quotes"))
            return None
        return self.lookup(known, key, f"{where}.{name}", section)

    def lookup(self, known: dict, key: str, where: str, section: str):
        found = known.get(key)
        if found is None:
            self.error(
                where,
                _("there is no “%(key)s” in %(section)s")
                % {"key": key, "section": section},
            )
        return found

    def uuid(self, item: dict) -> uuid.UUID | None:
        try:
            return uuid.UUID(str(item.get("id")))
        except ValueError:
            return None

    def instance(self, model, values: dict, where: str) -> models.Model:
        """An unsaved instance, checked like a form would (choices, lengths, blanks)."""
        instance = model(**values)
        bad = set()
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            if not model_field.choices:
                continue
            if (value == "" and model_field.blank) or (
                value is None and model_field.null
            ):
                continue
            allowed = [choice for choice, _label in model_field.flatchoices]
            if value not in allowed:
                bad.add(name)
                self.error(
                    f"{where}.{name}",
                    _("%(value)s is not one of %(allowed)s")
                    % {
                        "value": _quoted(value),
                        "allowed": ", ".join(_quoted(v) for v in allowed),
                    },
                )
        exclude = [f.name for f in model._meta.fields if f.name not in values] + list(
            bad
        )
        try:
            instance.full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                spot = where if name == NON_FIELD_ERRORS else f"{where}.{name}"
                for message in messages:
                    self.error(spot, message)
        return instance

    # -- references to the organisation's research and members

    def resolve(self) -> None:
        used_personas = [r for r in self.personas.values() if r.used]
        self.match(
            used_personas,
            Persona.objects.filter(organisation=self.org),
            lambda ref, p: p.name == ref.instance.name,
            Q(name__in={r.instance.name for r in used_personas}),
        )
        used_findings = [r for r in self.findings.values() if r.used]
        self.match(
            used_findings,
            Finding.objects.filter(study__organisation=self.org).select_related(
                "study"
            ),
            lambda ref, f: (
                f.statement == ref.instance.statement
                and f.study.title == ref.study.instance.title
            ),
            Q(statement__in={r.instance.statement for r in used_findings}),
        )
        new_studies = [r.study for r in used_findings if r.target is None]
        self.match(
            new_studies,
            Study.objects.filter(organisation=self.org),
            lambda ref, s: (
                (s.title, s.method) == (ref.instance.title, ref.instance.method)
            ),
            Q(title__in={r.instance.title for r in new_studies}),
            share=True,
        )
        if self.dmu is not None:
            self.match(
                [self.dmu],
                DMU.objects.filter(organisation=self.org),
                lambda ref, d: d.name == ref.instance.name,
                Q(name=self.dmu.instance.name),
            )
        self.resolve_owners()
        self.say_what_is_new(used_personas, used_findings, new_studies)

    def match(self, refs, queryset, same, by_content: Q, share=False) -> None:
        """Set each ref's target: same id, else same content, else None (new)."""
        if not refs:
            return
        ids = {r.id for r in refs if r.id}
        candidates = list(
            queryset.filter(Q(pk__in=ids) | by_content).order_by("created", "pk")
        )
        by_id = {c.pk: c for c in candidates}
        taken = set()
        for ref in refs:
            found = by_id.get(ref.id)
            if found is not None and (share or found.pk not in taken):
                ref.target = found
                taken.add(found.pk)
        for ref in refs:
            if ref.target is None:
                ref.target = next(
                    (
                        c
                        for c in candidates
                        if same(ref, c) and (share or c.pk not in taken)
                    ),
                    None,
                )
                if ref.target is not None:
                    taken.add(ref.target.pk)

    def resolve_owners(self) -> None:
        members = [
            m.user
            for m in Membership.objects.filter(organisation=self.org).select_related(
                "user"
            )
        ]
        by_name = {u.get_username(): u for u in members}
        by_email = Counter(u.email.lower() for u in members if u.email)
        strangers: dict[str, list[str]] = {}
        for action in self.actions:
            owner = action.refs["owner"] or {}
            username, email = owner.get("username") or "", owner.get("email") or ""
            if not (username or email):
                action.refs["owner"] = None
                continue
            email = email.lower()
            user = by_name.get(username)
            if user is None and email and by_email[email] == 1:
                user = next(u for u in members if u.email.lower() == email)
            if user is None:
                who = username or email
                strangers.setdefault(who, []).append(f"{action.where}.owner")
            action.refs["owner"] = user
        for who, places in strangers.items():
            self.warnings.append(
                ngettext(
                    "%(who)s is not a member of %(org)s, so %(n)d action has no "
                    "owner (%(where)s).",
                    "%(who)s is not a member of %(org)s, so %(n)d actions have no "
                    "owner (%(where)s).",
                    len(places),
                )
                % {
                    "who": who,
                    "org": self.org.name,
                    "n": len(places),
                    "where": ", ".join(places),
                }
            )

    def say_what_is_new(self, personas, findings, studies) -> None:
        new = [r.instance.name for r in personas if r.target is None]
        if new:
            self.notes.append(
                ngettext(
                    "Added %(n)d persona that %(org)s did not have: %(names)s.",
                    "Added %(n)d personas that %(org)s did not have: %(names)s.",
                    len(new),
                )
                % {"n": len(new), "org": self.org.name, "names": ", ".join(new)}
            )
        n_findings = sum(1 for r in findings if r.target is None)
        if n_findings:
            n_studies = len(
                {(r.instance.title, r.instance.method) for r in studies if not r.target}
            )
            self.notes.append(
                ngettext(
                    "Added %(n)d cited finding to the research.",
                    "Added %(n)d cited findings to the research.",
                    n_findings,
                )
                % {"n": n_findings}
                + (
                    " "
                    + ngettext(
                        "They needed %(n)d new study.",
                        "They needed %(n)d new studies.",
                        n_studies,
                    )
                    % {"n": n_studies}
                    if n_studies
                    else ""
                )
            )
        if self.dmu is not None and self.dmu.target is None:
            self.notes.append(
                _("Added the decision-making unit “%(name)s”.")
                % {"name": self.dmu.instance.name}
            )

    # -- writing

    def write(self, user, verb: str, label: str | None) -> JourneyMap:
        org = self.org
        person = user if user is not None and user.is_authenticated else None
        if self.dmu is not None and self.dmu.target is None:
            self.dmu.instance.organisation = org
            self.dmu.instance.save(force_insert=True)
            self.dmu.target = self.dmu.instance
        self.create_missing(
            [r for r in self.personas.values() if r.used], Persona, organisation=org
        )
        used_findings = [r for r in self.findings.values() if r.used]
        studies = {}
        for ref in used_findings:
            if ref.target is None and ref.study.target is None:
                # New findings of one new study share it.
                key = (ref.study.instance.title, ref.study.instance.method)
                ref.study.target = studies.setdefault(key, ref.study.instance)
        for study in studies.values():
            study.organisation = org
        Study.objects.bulk_create(studies.values())
        for ref in used_findings:
            if ref.target is None:
                ref.instance.study = ref.study.target
        self.create_missing(used_findings, Finding)

        journey_map = self.map
        journey_map.organisation = org
        journey_map.dmu = self.dmu.target if self.dmu else None
        journey_map.created_by = person
        journey_map.save(force_insert=True)
        journey_map.personas.set([r.target for r in self.map_personas])

        for items in (self.stages, self.lanes):
            for position, item in enumerate(items.values()):
                item.instance.map = journey_map
                item.instance.position = position
        Stage.objects.bulk_create(i.instance for i in self.stages.values())
        Lane.objects.bulk_create(i.instance for i in self.lanes.values())

        positions: Counter = Counter()
        for card in self.cards.values():
            stage, lane = card.refs["stage"], card.refs["lane"]
            card.instance.map = journey_map
            card.instance.stage = stage.instance
            card.instance.lane = lane.instance
            card.instance.position = positions[(id(stage), id(lane))]
            positions[(id(stage), id(lane))] += 1
        Card.objects.bulk_create(c.instance for c in self.cards.values())
        through = Card.findings.through
        through.objects.bulk_create(
            through(card_id=card.instance.pk, finding_id=ref.target.pk)
            for card in self.cards.values()
            for ref in card.refs["findings"]
        )

        for emotion in self.emotions:
            emotion.instance.map = journey_map
            emotion.instance.stage = emotion.refs["stage"].instance
            persona = emotion.refs["persona"]
            emotion.instance.persona = persona.target if persona else None
        Emotion.objects.bulk_create(e.instance for e in self.emotions)

        positions = Counter()
        for action in self.actions:
            stage, card = action.refs["stage"], action.refs["card"]
            if stage is None and card is not None:
                stage = card.refs["stage"]
            action.instance.map = journey_map
            action.instance.stage = stage.instance if stage else None
            action.instance.card = card.instance if card else None
            action.instance.owner = action.refs["owner"]
            action.instance.created_by = person
            action.instance.position = positions[id(stage)]
            positions[id(stage)] += 1
        Action.objects.bulk_create(a.instance for a in self.actions)

        record(journey_map, user, verb, label=label)
        return journey_map

    def create_missing(self, refs, model, **fields) -> None:
        new = [r for r in refs if r.target is None]
        for ref in new:
            for name, value in fields.items():
                setattr(ref.instance, name, value)
            ref.target = ref.instance
        model.objects.bulk_create(r.instance for r in new)


def _quoted(value) -> str:
    return f"“{_shorten(value)}”" if isinstance(value, str) else json.dumps(value)


def _shorten(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
