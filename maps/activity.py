"""
A map's activity: every change, stored as data and told as a sentence when read.

`record()` is called inside each write's transaction. It bumps the map's
revision and appends an `Activity` row holding the verb ("update"), the kind
and id of the object ("card", its UUID), what the object was called then, and
the field changes as data (`[{"field": "text", "before": …, "after": …}]`). Who
did it is an `journeymap.access.Access` (a member now, a guest later) or a user.

Sentences are rendered when the history is read, in the reader's language, from
whole translatable sentences with placeholders (`describe`, `change_lines`), so
no sentence is glued from pieces and nothing is frozen in the writer's language.

`record()` also works out which parts of the canvas the change touched (a
`Change` with its `fragments`: "card:<id>", "cell:<lane>:<stage>", "stages",
…) and hands it, once the transaction commits, to every function registered
with `on_change`: the seam that live updates publish through.
"""

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from journeymap.access import display_name
from journeymap.editing import change, field_changes, plain  # noqa: F401
from journeymap.editing import name_of as label_of
from journeymap.hub import current_client, hub

# ---- The row ------------------------------------------------------------------


class Activity(models.Model):
    """One change to a map: who did what to which object, as data."""

    id = models.BigAutoField(primary_key=True)
    map = models.ForeignKey(
        "maps.JourneyMap", models.CASCADE, related_name="activities"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("who"),
    )
    # The actor's name at the time: a guest has no user row, and a member who
    # left is still named in the admin.
    actor_name = models.CharField(gettext_lazy("name"), max_length=150, blank=True)
    created = models.DateTimeField(gettext_lazy("when"), auto_now_add=True)
    verb = models.CharField(gettext_lazy("what"), max_length=20)
    object_kind = models.CharField(
        gettext_lazy("kind of object"), max_length=20, blank=True
    )
    object_id = models.UUIDField(gettext_lazy("object"), null=True, blank=True)
    # What the object was called when this happened (a card's text, a title).
    object_label = models.CharField(gettext_lazy("called"), max_length=300, blank=True)
    # [{"field": name, "before": value, "after": value}], values as stored.
    changes = models.JSONField(gettext_lazy("changes"), default=list, blank=True)
    revision = models.PositiveIntegerField(gettext_lazy("revision"))
    # The parts of the canvas it touched (`fragments_of`), so a browser that
    # was away can be told what to fetch again (maps.live replays them).
    fragments = models.JSONField(gettext_lazy("fragments"), default=list, blank=True)
    # What it takes to reverse the change (maps.undo): a deleted object with its
    # cards, where a moved card came from, the order before a reorder. Empty on
    # changes that need nothing beyond `changes`, and on rows from before it.
    snapshot = models.JSONField(gettext_lazy("snapshot"), null=True, blank=True)
    # The change this one reversed (an undo, a restore), so neither runs twice.
    reverts = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reverted_by",
        verbose_name=gettext_lazy("reverts"),
    )

    class Meta:
        app_label = "maps"
        ordering = ["-revision", "-id"]
        indexes = [
            models.Index(fields=["map", "revision"]),
            models.Index(fields=["map", "user", "created"]),
        ]
        verbose_name = gettext_lazy("activity")
        verbose_name_plural = gettext_lazy("activities")

    def __str__(self) -> str:
        return f"{self.verb} {self.object_kind} (r{self.revision})"


# ---- What changed on the canvas -----------------------------------------------


@dataclass(frozen=True)
class Change:
    """A committed change: which map, which revision, which fragments it touched."""

    map_id: uuid.UUID
    revision: int
    verb: str
    kind: str
    object_id: uuid.UUID | None
    fragments: tuple[str, ...] = field(default=())


_listeners: list[Callable[[Change], None]] = []


def on_change(listener: Callable[[Change], None]) -> Callable[[Change], None]:
    """Call `listener(change)` after every committed change (usable as decorator)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def off_change(listener: Callable[[Change], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _publish(published: Change) -> None:
    for listener in list(_listeners):
        listener(published)


def fragments_of(verb: str, kind: str, obj) -> tuple[str, ...]:
    """
    The parts of the canvas a change to `obj` touches, named after the element
    ids the page gives them: a card and its cell, a stage header, the order of
    the stages (the whole grid), a lane, the emotion and evidence rows, a cell
    of the actions lane, the map's header.
    """
    if kind == "card":
        found = (f"card:{obj.pk}", f"cell:{obj.lane_id}:{obj.stage_id}")
        return (*found, "evidence") if verb in ("cite", "create", "delete") else found
    if kind in ("stage", "lane"):
        if verb in ("update", "set"):
            return (f"{kind}:{obj.pk}",)
        return ("grid",)  # columns or rows came, went or moved
    if kind == "emotion":
        return ("emotions",)
    if kind == "action":
        return (f"action:{obj.pk}", f"actions:{obj.stage_id or ''}")
    return ("map",)


# ---- Writing ------------------------------------------------------------------


def _actor(actor) -> tuple[object, str]:
    """(user row or None, name) for an Access, a user, or nobody."""
    if actor is None:
        return None, ""
    if hasattr(actor, "abilities"):  # journeymap.access.Access
        return actor.user, actor.name
    if getattr(actor, "is_authenticated", False):
        return actor, display_name(actor)
    return None, ""


def record(
    journey_map,
    actor,
    verb: str,
    obj: models.Model | None = None,
    *,
    changes: Iterable[dict] = (),
    label: str | None = None,
    fragments: Iterable[str] | None = None,
    kind: str | None = None,
    snapshot: dict | None = None,
    reverts: "Activity | None" = None,
) -> Activity:
    """
    Bump the map's revision and log the change (inside the write's transaction).
    `changes` are `{"field", "before", "after"}` dicts (see `field_changes`);
    `label` is what the object is called, by default its title or text;
    `fragments` overrides which parts of the canvas it touched; `kind` names
    the kind of object for a change to a whole list ("the actions of a stage");
    `snapshot` keeps what reversing it takes (maps.undo), `reverts` names the
    change this one reverses.
    The returned row carries `.change`, published when the transaction commits.
    """
    type(journey_map).objects.filter(pk=journey_map.pk).update(
        revision=F("revision") + 1, updated=timezone.now()
    )
    journey_map.refresh_from_db(fields=["revision", "updated"])
    if kind is None:
        kind = obj._meta.model_name if obj is not None else "map"
    user, name = _actor(actor)
    touched = tuple(fragments_of(verb, kind, obj) if fragments is None else fragments)
    activity = Activity.objects.create(
        map=journey_map,
        user=user,
        actor_name=name[:150],
        verb=verb,
        object_kind=kind,
        object_id=obj.pk if obj is not None else journey_map.pk,
        object_label=(label_of(obj) if label is None else label)[:300],
        changes=list(changes),
        revision=journey_map.revision,
        fragments=list(touched),
        snapshot=snapshot,
        reverts=reverts,
    )
    activity.change = Change(
        map_id=journey_map.pk,
        revision=journey_map.revision,
        verb=verb,
        kind=kind,
        object_id=activity.object_id,
        fragments=touched,
    )
    transaction.on_commit(lambda: _publish(activity.change))
    hub.publish(f"map:{journey_map.pk}", live_message(activity, current_client.get()))
    return activity


def live_message(activity: Activity, client: str = "") -> dict:
    """What the streams tell the browsers about one change (small: no content)."""
    return {
        "type": "change",
        "org": str(activity.map.organisation_id),
        "map": str(activity.map_id),
        "rev": activity.revision,
        "verb": activity.verb,
        "kind": activity.object_kind,
        "object": str(activity.object_id or ""),
        "fragments": list(activity.fragments),
        "by": activity.actor_name,
        "client": client,
    }


# ---- Reading ------------------------------------------------------------------

# Whole sentences, by (verb, kind of object). %(who)s is the actor, %(object)s
# what the object was called; a rename also has %(before)s and %(after)s.
SENTENCES = {
    ("create", "map"): gettext_lazy("%(who)s created the map"),
    ("update", "map"): gettext_lazy("%(who)s changed the map’s details"),
    ("set", "map"): gettext_lazy("%(who)s changed the map’s details"),
    ("status", "map"): gettext_lazy("%(who)s changed the map’s status"),
    ("duplicate", "map"): gettext_lazy(
        "%(who)s created the map as a copy of “%(object)s”"
    ),
    ("import", "map"): gettext_lazy("%(who)s imported the map from a file"),
    ("archive", "map"): gettext_lazy("%(who)s archived the map"),
    ("restore", "map"): gettext_lazy("%(who)s restored the map"),
    ("cite", "map"): gettext_lazy("%(who)s changed the map’s evidence"),
    ("create", "stage"): gettext_lazy("%(who)s added the stage “%(object)s”"),
    ("update", "stage"): gettext_lazy("%(who)s changed the stage “%(object)s”"),
    ("set", "stage"): gettext_lazy("%(who)s changed the stage “%(object)s”"),
    ("rename", "stage"): gettext_lazy(
        "%(who)s renamed the stage “%(before)s” to “%(after)s”"
    ),
    ("delete", "stage"): gettext_lazy("%(who)s deleted the stage “%(object)s”"),
    ("reorder", "stage"): gettext_lazy("%(who)s reordered the stages"),
    ("move", "stage"): gettext_lazy("%(who)s moved the stage “%(object)s”"),
    ("create", "lane"): gettext_lazy("%(who)s added the lane “%(object)s”"),
    ("update", "lane"): gettext_lazy("%(who)s changed the lane “%(object)s”"),
    ("set", "lane"): gettext_lazy("%(who)s changed the lane “%(object)s”"),
    ("rename", "lane"): gettext_lazy(
        "%(who)s renamed the lane “%(before)s” to “%(after)s”"
    ),
    ("delete", "lane"): gettext_lazy("%(who)s deleted the lane “%(object)s”"),
    ("reorder", "lane"): gettext_lazy("%(who)s reordered the lanes"),
    ("move", "lane"): gettext_lazy("%(who)s moved the lane “%(object)s”"),
    ("hide", "lane"): gettext_lazy("%(who)s hid the lane “%(object)s”"),
    ("show", "lane"): gettext_lazy("%(who)s showed the lane “%(object)s”"),
    ("create", "card"): gettext_lazy("%(who)s added the card “%(object)s”"),
    ("update", "card"): gettext_lazy("%(who)s edited the card “%(object)s”"),
    ("set", "card"): gettext_lazy(
        "%(who)s changed the details of the card “%(object)s”"
    ),
    ("delete", "card"): gettext_lazy("%(who)s deleted the card “%(object)s”"),
    ("reorder", "card"): gettext_lazy(
        "%(who)s moved the card “%(object)s” within its cell"
    ),
    ("move", "card"): gettext_lazy("%(who)s moved the card “%(object)s”"),
    ("cite", "card"): gettext_lazy(
        "%(who)s changed the evidence of the card “%(object)s”"
    ),
    ("create", "emotion"): gettext_lazy("%(who)s set the feeling in “%(object)s”"),
    ("set", "emotion"): gettext_lazy("%(who)s set the feeling in “%(object)s”"),
    ("update", "emotion"): gettext_lazy(
        "%(who)s changed the note on the feeling in “%(object)s”"
    ),
    ("delete", "emotion"): gettext_lazy("%(who)s cleared the feeling in “%(object)s”"),
    ("create", "action"): gettext_lazy("%(who)s added the action “%(object)s”"),
    ("update", "action"): gettext_lazy("%(who)s edited the action “%(object)s”"),
    ("set", "action"): gettext_lazy("%(who)s changed the action “%(object)s”"),
    ("delete", "action"): gettext_lazy("%(who)s deleted the action “%(object)s”"),
    ("reorder", "action"): gettext_lazy(
        "%(who)s reordered the actions in “%(object)s”"
    ),
    ("move", "action"): gettext_lazy("%(who)s moved the action “%(object)s”"),
    ("status", "action"): gettext_lazy(
        "%(who)s changed the status of the action “%(object)s”"
    ),
    ("cite", "action"): gettext_lazy(
        "%(who)s changed the evidence of the action “%(object)s”"
    ),
    ("restore", "card"): gettext_lazy("%(who)s restored the card “%(object)s”"),
    ("restore", "stage"): gettext_lazy("%(who)s restored the stage “%(object)s”"),
    ("restore", "lane"): gettext_lazy("%(who)s restored the lane “%(object)s”"),
    ("create", "checkpoint"): gettext_lazy(
        "%(who)s marked the checkpoint “%(object)s”"
    ),
    ("delete", "checkpoint"): gettext_lazy(
        "%(who)s deleted the checkpoint “%(object)s”"
    ),
}
SOMETHING = gettext_lazy("%(who)s made a change")
# An undo tells what it undid: "alice undid: alice edited the card “Calls”".
UNDID = gettext_lazy("%(who)s undid: %(what)s")
# A split keeps the two titles and the number of cards that moved in
# `changes`; its sentence is chosen by that number when read (`_split_sentence`).


def _split_sentences(n: int) -> str:
    return ngettext(
        "%(who)s split the stage “%(object)s” into “%(left)s” and “%(right)s”, "
        "%(n)d card moved",
        "%(who)s split the stage “%(object)s” into “%(left)s” and “%(right)s”, "
        "%(n)d cards moved",
        n,
    )


# Labels for what is not a model field: where a card sits, its findings.
LABELS = {
    "cell": pgettext_lazy("where a card sits", "Place"),
    "findings": gettext_lazy("Evidence"),
    "stage": gettext_lazy("Stage"),
    "lane": gettext_lazy("Lane"),
    "persona": gettext_lazy("Persona"),
    "personas": gettext_lazy("Personas"),
    "order": gettext_lazy("Order"),
}
TITLES = ("title",)


def _kind_model(kind: str):
    name = "journeymap" if kind in ("map", "") else kind
    try:
        return apps.get_model("maps", name)
    except LookupError:
        return None


def _field(kind: str, name: str):
    model = _kind_model(kind)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # not a field of this model (say, "cell")
        return None


def _label(kind: str, entry: dict) -> str:
    name = entry.get("field", "")
    if name in LABELS:
        return str(LABELS[name])
    model_field = _field(kind, name) if name else None
    if model_field is not None and hasattr(model_field, "verbose_name"):
        label = str(model_field.verbose_name)
        return label[:1].upper() + label[1:]
    return entry.get("label", name)


def shown(kind: str, name: str, value) -> str:
    """A stored value as the reader reads it: choices and dates in their language."""
    if value is None and name == "score":
        return _("not set")
    if value is None or value == "":
        return ""
    model_field = _field(kind, name) if name else None
    if model_field is not None and getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(datetime.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return str(value)


def is_rename(activity: Activity) -> bool:
    return (
        activity.verb == "update"
        and activity.object_kind in ("stage", "lane")
        and [c.get("field") for c in activity.changes] == ["title"]
    )


def describe(activity: Activity, who: str | SafeString) -> SafeString:
    """The change as one sentence in the reader's language; `who` may be markup."""
    kind = activity.object_kind or "map"
    values = {"who": who, "object": activity.object_label, "before": "", "after": ""}
    verb = activity.verb
    if verb == "undo":
        undid = Activity(
            # The history page annotates `undid` and leaves the snapshot unread.
            verb=getattr(activity, "undid", None)
            or (activity.snapshot or {}).get("undid", ""),
            object_kind=kind,
            object_label=activity.object_label,
            changes=[
                change(c.get("field"), c.get("after"), c.get("before"))
                for c in activity.changes
            ],
        )
        what = describe(undid, who)
        told = {"who": conditional_escape(who), "what": what}
        return mark_safe(conditional_escape(str(UNDID)) % told)  # noqa: S308
    if verb == "split" and kind == "stage":
        return _split_sentence(activity, values)
    if is_rename(activity):
        verb = "rename"
        values["before"] = activity.changes[0].get("before") or ""
        values["after"] = activity.changes[0].get("after") or ""
    sentence = SENTENCES.get((verb, kind), SOMETHING)
    escaped = {key: conditional_escape(value) for key, value in values.items()}
    return mark_safe(conditional_escape(str(sentence)) % escaped)  # noqa: S308


def _split_sentence(activity: Activity, values: dict) -> SafeString:
    split = {c.get("field"): c.get("after") for c in activity.changes}
    n = split.get("moved") or 0
    values = {**values, "left": split.get("left", ""), "right": split.get("right", "")}
    escaped = {key: conditional_escape(value) for key, value in values.items()}
    sentence = conditional_escape(_split_sentences(n))
    return mark_safe(sentence % {**escaped, "n": n})  # noqa: S308


def change_lines(activity: Activity) -> tuple[str, str]:
    """(before, after) texts to show under the sentence, in the reader's language."""
    kind = activity.object_kind or "map"
    entries = activity.changes
    if is_rename(activity) or activity.verb == "split":
        return "", ""  # the sentence says it all
    if len(entries) == 1 and entries[0].get("field") in ("text", "note", ""):
        # One text: show it whole, without a label.
        entry = entries[0]
        return (
            shown(kind, entry.get("field", ""), entry.get("before")),
            shown(kind, entry.get("field", ""), entry.get("after")),
        )
    before, after = [], []
    for entry in entries:
        label, name = _label(kind, entry), entry.get("field", "")
        old, new = (
            shown(kind, name, entry.get("before")),
            shown(kind, name, entry.get("after")),
        )
        before.append(f"{label}: {old}" if label else old)
        after.append(f"{label}: {new}" if label else new)
    return "\n".join(before), "\n".join(after)


def who_markup(name: str, gone: bool) -> SafeString:
    css = "history-who is-gone" if gone else "history-who"
    return format_html('<span class="{}">{}</span>', css, name)
