"""
Reversing changes from the history: Restore a deleted card, stage or lane, and
Undo one's own last change on a map.

A delete keeps a `snapshot` of what went (the object, its cards, its emotion
scores, the follow-up actions that pointed at it; see `snapshot_of`), so it can
come back with the same ids, in the same place. A card move keeps the cell it
came from, a reorder the order before and after. Every reversal is a change like
any other: checked against what the map holds now, written in one transaction,
recorded (so it bumps the revision and publishes live) with `reverts` naming the
change it reverses, so nothing is reversed twice.

`undo_state` tells the history panel whether my latest change can be undone and,
if not, why ("bob changed this card since"); `undo` and `restore` do it and
raise `Refused` with a message the person reads when they cannot.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from journeymap.editing import plain, reorder, versioned_update
from maps.activity import Activity, change, fragments_of
from maps.models import Action, Card, Emotion, Lane, Stage, record
from research.models import Finding, Persona

# Reused from the JSON format: what a stage, a lane and a card say.
STAGE_FIELDS = ("title", "description", "customer_goal")
LANE_FIELDS = ("title", "kind", "hidden")
CARD_FIELDS = Card.CONTENT_FIELDS
MODELS = {"card": Card, "stage": Stage, "lane": Lane}
# What Undo handles, by (verb, kind). A delete, a move and a reorder need the
# snapshot that changes recorded since this code keep.
UNDOABLE = {
    (verb, kind)
    for kind in ("card", "stage", "lane")
    for verb in ("update", "create", "delete")
} | {("move", "card"), ("reorder", "stage"), ("reorder", "lane")}
NEEDS_SNAPSHOT = {"delete", "move", "reorder"}


class Refused(Exception):
    """The reversal cannot be done; the message says why, for the person."""


# ---- Snapshots ---------------------------------------------------------------


def _pick(obj, names) -> dict:
    return {name: plain(getattr(obj, name)) for name in names}


def _card_snapshot(card: Card, findings: dict, actions: dict) -> dict:
    return {
        "id": str(card.pk),
        "stage": str(card.stage_id),
        "lane": str(card.lane_id),
        "position": card.position,
        **_pick(card, CARD_FIELDS),
        "findings": findings.get(card.pk, []),
        "actions": actions.get(card.pk, []),
    }


def _cards_snapshot(cards) -> list[dict]:
    cards = list(cards)
    ids = [c.pk for c in cards]
    findings, actions = {}, {}
    through = Card.findings.through.objects.filter(card_id__in=ids)
    for card_id, finding_id in through.values_list("card_id", "finding_id"):
        findings.setdefault(card_id, []).append(str(finding_id))
    for action_id, card_id in Action.objects.filter(card_id__in=ids).values_list(
        "pk", "card_id"
    ):
        actions.setdefault(card_id, []).append(str(action_id))
    return [_card_snapshot(c, findings, actions) for c in cards]


def snapshot_of(obj) -> dict:
    """What restoring `obj` (a card, a stage or a lane) takes; read before it goes."""
    if isinstance(obj, Card):
        card = _cards_snapshot([obj])[0]
        card["stage_title"] = Stage.objects.get(pk=obj.stage_id).title
        card["lane_title"] = obj.lane.title  # get_card brought the lane along
        return {"card": card}
    if isinstance(obj, Stage):
        return {
            "stage": {"id": str(obj.pk), "position": obj.position}
            | _pick(obj, STAGE_FIELDS),
            "cards": _cards_snapshot(Card.objects.filter(stage=obj)),
            "emotions": [
                {
                    "persona": plain(e.persona_id),
                    "score": e.score,
                    "note": e.note,
                }
                for e in Emotion.objects.filter(stage=obj)
            ],
            "actions": [
                str(pk)
                for pk in Action.objects.filter(stage=obj).values_list("pk", flat=True)
            ],
        }
    return {
        "lane": {"id": str(obj.pk), "position": obj.position} | _pick(obj, LANE_FIELDS),
        "cards": _cards_snapshot(Card.objects.filter(lane=obj)),
    }


# ---- Restoring ---------------------------------------------------------------


@dataclass
class Restored:
    obj: object
    activity: Activity
    # Cards that could not come back: their stage or lane is gone too.
    left_out: int = 0


ALREADY_BACK = {
    "card": lambda: _("This card is back already."),
    "stage": lambda: _("This stage is back already."),
    "lane": lambda: _("This lane is back already."),
}


def can_restore(entry: Activity) -> bool:
    return entry.verb == "delete" and entry.object_kind in MODELS


def _insert(queryset, row, position: int) -> None:
    """Put `row` (just created) at `position` among `queryset`'s rows, renumbering."""
    ids = [pk for pk in queryset.values_list("pk", flat=True) if pk != row.pk]
    ids.insert(max(0, min(position, len(ids))), row.pk)
    reorder(queryset, ids)


def _new_cards(journey_map, rows: list[dict], stages: set, lanes: set) -> int:
    """Create the snapshot's cards whose stage and lane exist; the count left out."""
    organisation = journey_map.organisation_id
    kept = [r for r in rows if r["stage"] in stages and r["lane"] in lanes]
    Card.objects.bulk_create(
        Card(
            pk=r["id"],
            map=journey_map,
            stage_id=r["stage"],
            lane_id=r["lane"],
            position=r["position"],
            **{name: r[name] for name in CARD_FIELDS},
        )
        for r in kept
    )
    wanted = {f for r in kept for f in r["findings"]}
    # Findings deleted since are left out; the card cites the rest again.
    existing = _ids(
        Finding.objects.filter(pk__in=wanted, study__organisation_id=organisation)
    )
    Card.findings.through.objects.bulk_create(
        Card.findings.through(card_id=r["id"], finding_id=f)
        for r in kept
        for f in r["findings"]
        if f in existing
    )
    for r in kept:
        if r["actions"]:
            Action.objects.filter(
                map=journey_map, pk__in=r["actions"], card__isnull=True
            ).update(card_id=r["id"])
    return len(rows) - len(kept)


def _ids(queryset) -> set:
    return {str(pk) for pk in queryset.values_list("pk", flat=True)}


def _restore_card(journey_map, data: dict) -> tuple[Card, int]:
    card = data["card"]
    stages = _ids(journey_map.stages.filter(pk=card["stage"]))
    lanes = _ids(journey_map.lanes.filter(pk=card["lane"]))
    if not stages:
        raise Refused(
            _("Its stage “%(stage)s” is gone too: restore the stage first.")
            % {"stage": card["stage_title"]}
        )
    if not lanes:
        raise Refused(
            _("Its lane “%(lane)s” is gone too: restore the lane first.")
            % {"lane": card["lane_title"]}
        )
    _new_cards(journey_map, [card], stages, lanes)
    restored = Card.objects.get(pk=card["id"])
    cell = Card.objects.filter(map=journey_map, stage=restored.stage_id)
    _insert(cell.filter(lane=restored.lane_id), restored, card["position"])
    return restored, 0


def _restore_stage(journey_map, data: dict) -> tuple[Stage, int]:
    row = data["stage"]
    stage = Stage.objects.create(
        pk=row["id"],
        map=journey_map,
        position=row["position"],
        **{name: row[name] for name in STAGE_FIELDS},
    )
    _insert(journey_map.stages.all(), stage, row["position"])
    left_out = _new_cards(
        journey_map, data["cards"], {str(stage.pk)}, _ids(journey_map.lanes.all())
    )
    personas = _ids(Persona.objects.filter(organisation=journey_map.organisation_id))
    Emotion.objects.bulk_create(
        Emotion(
            map=journey_map,
            stage=stage,
            persona_id=e["persona"],
            score=e["score"],
            note=e["note"],
        )
        for e in data["emotions"]
        if e["persona"] is None or e["persona"] in personas
    )
    Action.objects.filter(
        map=journey_map, pk__in=data["actions"], stage__isnull=True
    ).update(stage=stage)
    return stage, left_out


def _restore_lane(journey_map, data: dict) -> tuple[Lane, int]:
    row = data["lane"]
    lane = Lane.objects.create(
        pk=row["id"],
        map=journey_map,
        position=row["position"],
        **{name: row[name] for name in LANE_FIELDS},
    )
    _insert(journey_map.lanes.all(), lane, row["position"])
    left_out = _new_cards(
        journey_map, data["cards"], _ids(journey_map.stages.all()), {str(lane.pk)}
    )
    return lane, left_out


RESTORERS = {"card": _restore_card, "stage": _restore_stage, "lane": _restore_lane}


def _bring_back(journey_map, entry: Activity):
    """Recreate what `entry` deleted; (the object, cards left out). Refused if not."""
    kind = entry.object_kind
    if not entry.snapshot or kind not in entry.snapshot:
        raise Refused(
            _(
                "This was deleted before Journeymap kept what a deletion removes, "
                "so it cannot be restored."
            )
        )
    if MODELS[kind].objects.filter(pk=entry.object_id).exists():
        raise Refused(ALREADY_BACK[kind]())
    return RESTORERS[kind](journey_map, entry.snapshot)


def _restore_fragments(kind: str, obj) -> list[str]:
    if kind == "card":
        return list(fragments_of("create", "card", obj))
    return ["grid"]


def restore(journey_map, access, entry_id) -> Restored:
    """Restore what the delete `entry_id` of this map removed, where it was."""
    with transaction.atomic():
        _lock(journey_map)
        entry = (
            Activity.objects.select_for_update()
            .filter(map=journey_map, pk=entry_id)
            .first()
        )
        if entry is None or not can_restore(entry):
            raise Refused(_("There is no deletion to restore there."))
        if entry.reverted_by.exists():
            raise Refused(ALREADY_BACK[entry.object_kind]())
        obj, left_out = _bring_back(journey_map, entry)
        activity = record(
            journey_map,
            access,
            "restore",
            obj,
            kind=entry.object_kind,
            fragments=_restore_fragments(entry.object_kind, obj),
            reverts=entry,
        )
    return Restored(obj, activity, left_out)


def left_out_notice(left_out: int) -> str:
    return ngettext(
        "%(n)d card stayed out: its stage or lane is gone.",
        "%(n)d cards stayed out: their stage or lane is gone.",
        left_out,
    ) % {"n": left_out}


def _lock(journey_map) -> None:
    type(journey_map).objects.select_for_update().filter(pk=journey_map.pk).first()


# ---- Undo --------------------------------------------------------------------


@dataclass
class UndoState:
    entry: Activity
    # Why it cannot be undone ("bob changed this card since"), or "" when it can.
    reason: str = ""


def latest_own_change(journey_map, user) -> Activity | None:
    """My latest change on this map that is not itself an undo and not undone."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Activity.objects.filter(map=journey_map, user=user, reverted_by__isnull=True)
        .exclude(verb="undo")
        .order_by("-id")
        .first()
    )


def is_undoable(entry: Activity) -> bool:
    if (entry.verb, entry.object_kind) not in UNDOABLE:
        return False
    return entry.verb not in NEEDS_SNAPSHOT or bool(entry.snapshot)


CHANGED_SINCE = {
    "card": lambda who: _("%(who)s changed this card since.") % {"who": who},
    "stage": lambda who: _("%(who)s changed this stage since.") % {"who": who},
    "lane": lambda who: _("%(who)s changed this lane since.") % {"who": who},
}
CHANGED = {
    "card": lambda: _("This card has changed since."),
    "stage": lambda: _("This stage has changed since."),
    "lane": lambda: _("This lane has changed since."),
}
ORDER_CHANGED = {
    "stage": lambda: _("The order of the stages has changed since."),
    "lane": lambda: _("The order of the lanes has changed since."),
}


def _newer(entry: Activity):
    """Later changes by anyone to what `entry` changed (not undos, not undone)."""
    later = Activity.objects.filter(
        map_id=entry.map_id, id__gt=entry.id, reverted_by__isnull=True
    ).exclude(verb="undo")
    if entry.verb == "reorder":
        return later.filter(
            object_kind=entry.object_kind, verb__in=("create", "delete", "reorder")
        )
    return later.filter(object_id=entry.object_id)


def _blocked(entry: Activity, current) -> str:
    """Why `entry` cannot be undone given the object as it is now; "" if it can."""
    kind, verb = entry.object_kind, entry.verb
    if verb == "reorder":
        order = [str(pk) for pk in current]
        ok = order == entry.snapshot["after"]
    elif verb == "delete":
        ok = current is None
    elif current is None:
        return CHANGED[kind]()  # gone: deleted since
    elif verb == "update":
        ok = all(
            plain(getattr(current, c["field"])) == c["after"] for c in entry.changes
        )
    elif verb == "move":
        to = entry.snapshot["to"]
        ok = [str(current.stage_id), str(current.lane_id)] == [to["stage"], to["lane"]]
    else:  # create
        ok = not (kind in ("stage", "lane") and current.cards.exists())
        if not ok:
            return (
                _("Cards were added to this stage since.")
                if kind == "stage"
                else _("Cards were added to this lane since.")
            )
    if verb == "reorder":
        return "" if ok else ORDER_CHANGED[kind]()
    # Someone else's later change to it blocks, even where the fields agree:
    # undoing would quietly take theirs away too.
    newer = _newer(entry).exclude(user=entry.user_id).order_by("-id").first()
    if newer is not None:
        return CHANGED_SINCE[kind](newer.actor_name or _("Someone"))
    return "" if ok else CHANGED[kind]()


def _current(journey_map, entry: Activity):
    kind = entry.object_kind
    if entry.verb == "reorder":
        return getattr(journey_map, f"{kind}s").values_list("pk", flat=True)
    return MODELS[kind].objects.filter(map=journey_map, pk=entry.object_id).first()


def undo_state(journey_map, user) -> UndoState | None:
    """The Undo the panel offers: my latest change and why not, or None if none."""
    entry = latest_own_change(journey_map, user)
    if entry is None or not is_undoable(entry):
        return None
    return UndoState(entry, _blocked(entry, _current(journey_map, entry)))


def undo(journey_map, access, entry_id) -> Activity:
    """Undo my change `entry_id`, which must still be my latest. Refused if not."""
    with transaction.atomic():
        _lock(journey_map)
        entry = latest_own_change(journey_map, access.user)
        if entry is None or entry.pk != entry_id or not is_undoable(entry):
            raise Refused(
                _(
                    "That is no longer your latest change on this map; "
                    "the history shows what you can undo now."
                )
            )
        current = _current(journey_map, entry)
        reason = _blocked(entry, current)
        if reason:
            raise Refused(reason)
        return UNDOERS[entry.verb](journey_map, access, entry, current)


def _record_undo(journey_map, access, entry, obj, fragments, changes=(), snapshot=None):
    return record(
        journey_map,
        access,
        "undo",
        obj,
        kind=entry.object_kind,
        label=entry.object_label,
        changes=changes,
        fragments=fragments,
        snapshot={"undid": entry.verb, **(snapshot or {})},
        reverts=entry,
    )


def _undo_update(journey_map, access, entry, current):
    values = {c["field"]: c["before"] for c in entry.changes}
    queryset = MODELS[entry.object_kind].objects.filter(map=journey_map)
    if not versioned_update(queryset, current.pk, current.version, **values):
        raise Refused(CHANGED[entry.object_kind]())
    back = [change(c["field"], c["after"], c["before"]) for c in entry.changes]
    fragments = fragments_of("update", entry.object_kind, current)
    return _record_undo(journey_map, access, entry, current, fragments, back)


def _undo_create(journey_map, access, entry, current):
    kept = snapshot_of(current)
    fragments = fragments_of("delete", entry.object_kind, current)
    deleted, _rows = (
        MODELS[entry.object_kind]
        .objects.filter(pk=current.pk, version=current.version)
        .delete()
    )
    if not deleted:
        raise Refused(CHANGED[entry.object_kind]())
    return _record_undo(journey_map, access, entry, current, fragments, snapshot=kept)


def _undo_delete(journey_map, access, entry, current):
    obj, _left_out = _bring_back(journey_map, entry)
    fragments = _restore_fragments(entry.object_kind, obj)
    return _record_undo(journey_map, access, entry, obj, fragments)


def _undo_move(journey_map, access, entry, current):
    source, target = entry.snapshot["from"], entry.snapshot["to"]
    if not (
        journey_map.stages.filter(pk=source["stage"]).exists()
        and journey_map.lanes.filter(pk=source["lane"]).exists()
    ):
        raise Refused(_("The cell it came from is gone."))
    Card.objects.filter(pk=current.pk).update(
        stage_id=source["stage"], lane_id=source["lane"]
    )
    cell = Card.objects.filter(
        map=journey_map, stage_id=source["stage"], lane_id=source["lane"]
    )
    _insert(cell, current, source["position"])
    back = [change(c["field"], c["after"], c["before"]) for c in entry.changes]
    fragments = [
        f"card:{current.pk}",
        f"cell:{target['lane']}:{target['stage']}",
        f"cell:{source['lane']}:{source['stage']}",
        "evidence",
    ]
    return _record_undo(journey_map, access, entry, current, fragments, back)


def _undo_reorder(journey_map, access, entry, current):
    kind = entry.object_kind
    if not reorder(getattr(journey_map, f"{kind}s").all(), entry.snapshot["before"]):
        raise Refused(ORDER_CHANGED[kind]())
    back = [change(c["field"], c["after"], c["before"]) for c in entry.changes]
    return _record_undo(journey_map, access, entry, None, ["grid"], back)


UNDOERS = {
    "update": _undo_update,
    "create": _undo_create,
    "delete": _undo_delete,
    "move": _undo_move,
    "reorder": _undo_reorder,
}
