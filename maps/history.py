"""
A map's history: the Activity stream (who changed what, before → after, told in
the reader's language by maps.activity),
newest first, filterable by person and "since" a moment or a checkpoint, one
page at a time; and what editors do from it: mark and delete checkpoints,
Restore a deleted card, stage or lane, Undo their own latest change (maps.undo).

`map_history` serves a page of its own and, for htmx requests, the panel that
the canvas opens over its right-hand side (static/js/history.js closes it).
A page is a fixed number of queries however long the history is: the people
who changed the map come from one grouped query, the checkpoints from one, the
entries (with whether each was reversed) from another, and an editor's Undo
from at most three more.

Writes made from the panel answer with the panel, and publish as if from no
tab (`_not_on_screen`): the tab that made them has not got the change on its
canvas yet, so its own live stream fetches the fragments like everyone else's.
"""

import contextlib
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
)
from django.db.models.fields.json import KT
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from journeymap.access import Can, get_access
from journeymap.hub import current_client
from journeymap.models import Membership
from maps.access import (
    get_map,
)
from maps.activity import Activity, change_lines, describe, who_markup
from maps.models import Checkpoint, JourneyMap, record
from maps.undo import Refused, can_restore, left_out_notice, restore, undo, undo_state

PAGE_SIZE = 50
# Before/after texts longer than this show truncated, with the rest one click away.
SHORT = 140
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# How many of the latest checkpoints get a quick choice (all are in the filter).
CHECKPOINT_CHOICES = 2


class HistoryFilter(forms.Form):
    person = forms.TypedChoiceField(
        label=gettext_lazy("Person"), required=False, coerce=int, empty_value=None
    )
    since = forms.DateTimeField(
        label=gettext_lazy("Since"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
        ),
    )
    # Only changes after a checkpoint (its id; choices: the map's checkpoints).
    checkpoint = forms.TypedChoiceField(
        label=gettext_lazy("Since checkpoint"),
        required=False,
        empty_value=None,
    )
    # Only changes after this revision ("since revision N").
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    # The "show more" cursor: entries older than this activity.
    older = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data, people, checkpoints=()):
        super().__init__(data, auto_id="history-%s")
        choices = [("", _("Everyone"))]
        choices += [(p["user"], p["name"]) for p in people if p["is_member"]]
        self.fields["person"].choices = choices
        self.checkpoints = {str(c.pk): c for c in checkpoints}
        self.fields["checkpoint"].choices = [("", "—")] + [
            (str(c.pk), c.title) for c in checkpoints
        ]
        self.fields["checkpoint"].coerce = self.checkpoints.get

    def clean_since(self):
        since = self.cleaned_data["since"]
        # Far-off years overflow the database's date arithmetic: not a moment
        # anybody means.
        if since is not None and not 1970 <= since.year <= 9000:
            raise forms.ValidationError(_("Pick a date between 1970 and 9000."))
        return since


class CheckpointForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=Checkpoint._meta.get_field("title").max_length,
        error_messages={
            "required": gettext_lazy("Give the checkpoint a name."),
            "max_length": gettext_lazy(
                "A checkpoint’s name is at most %(limit_value)d characters."
            ),
        },
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("E.g. Workshop 12 March")}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="checkpoint-%s", **kwargs)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the checkpoint a name."))
        return title


def _display_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def _people(journey_map: JourneyMap) -> list[dict]:
    """Everybody who changed the map: name, still a member, their last revision."""
    rows = (
        Activity.objects.filter(map=journey_map, user__isnull=False)
        .values("user", "user__first_name", "user__last_name", "user__username")
        .annotate(
            last_revision=Max("revision"),
            n=Count("id"),
            is_member=Exists(
                Membership.objects.filter(
                    organisation_id=journey_map.organisation_id, user=OuterRef("user")
                )
            ),
        )
        .order_by("user__username")
    )
    people = [
        {
            "user": row["user"],
            "name": _display_name(
                row["user__first_name"], row["user__last_name"], row["user__username"]
            ),
            "is_member": row["is_member"],
            "last_revision": row["last_revision"],
            "n": row["n"],
        }
        for row in rows
    ]
    people.sort(key=lambda p: p["name"].casefold())
    return people


def _query(params: dict) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(params) if params else "?"


def _quick_choices(request, people, active: dict, checkpoints=()) -> list[dict]:
    """One-click "since" moments: my last change, the latest checkpoints, today…"""
    now = timezone.localtime()
    person = active.get("person")
    choices = []
    me = next((p for p in people if p["user"] == request.user.pk), None)
    if me is not None:
        choices.append(
            {
                "label": _("Since my last change"),
                "params": {"person": person, "after": me["last_revision"]},
            }
        )
    for checkpoint in checkpoints[:CHECKPOINT_CHOICES]:
        choices.append(
            {
                "label": _("Since “%(checkpoint)s”") % {"checkpoint": checkpoint},
                "params": {"person": person, "checkpoint": str(checkpoint.pk)},
            }
        )
    moments = [
        (_("Today"), now.replace(hour=0, minute=0, second=0, microsecond=0)),
        (_("Last 24 hours"), now - timedelta(hours=24)),
        (_("Last 7 days"), now - timedelta(days=7)),
    ]
    for label, moment in moments:
        choices.append(
            {
                "label": label,
                "params": {"person": person, "since": moment.strftime(DATETIME_LOCAL)},
            }
        )
    for choice in choices:
        choice["query"] = _query(choice["params"])
        choice["current"] = all(
            str(active.get(k) or "") == str(v or "")
            for k, v in choice["params"].items()
        ) and not (set(k for k, v in active.items() if v) - set(choice["params"]))
    return choices


@require_safe
def map_history(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    return _history(request, access, journey_map, request.GET)


def _history(
    request,
    access,
    journey_map,
    query,
    *,
    done: str = "",
    refused: str = "",
    checkpoint_form=None,
    status: int = 200,
) -> HttpResponse:
    """The history page, or its panel for htmx (a page of entries for "more")."""
    people = _people(journey_map)
    checkpoints = list(journey_map.checkpoints.all())
    form = HistoryFilter(query, people, checkpoints)
    form.is_valid()
    data = form.cleaned_data
    entries, more = _page(journey_map, data)
    _tell(entries, people, request.user.pk)
    url = reverse("map_history", args=[access.organisation.slug, journey_map.pk])
    since = data.get("since")
    checkpoint = data.get("checkpoint")
    active = {
        "person": data.get("person"),
        "since": since and timezone.localtime(since).strftime(DATETIME_LOCAL),
        "checkpoint": checkpoint and str(checkpoint.pk),
        "after": data.get("after"),
    }
    paging = data.get("older") is not None
    undoing = None
    if access.can_edit and not paging:
        undoing = undo_state(journey_map, request.user)
    _offer(entries, access.can_edit, undoing)
    # On the canvas the panel lies over the grid; on its own page it is the page.
    current = (request.htmx.current_url_abs_path or "") if request.htmx else ""
    ctx = {
        "access": access,
        "org": access.organisation,
        "can_edit": access.can_edit,
        "map": journey_map,
        "form": form,
        "people": people,
        "entries": entries,
        "more_url": url + _query({**active, "older": entries[-1].pk}) if more else "",
        "notices": _notices(form) + ([refused] if refused else []),
        "done": done,
        "filtered": any(v not in (None, "") for v in active.values()),
        "after": active["after"],
        "checkpoint": checkpoint,
        "checkpoints": checkpoints,
        "checkpoint_form": checkpoint_form or CheckpointForm(),
        "checkpoint_open": checkpoint_form is not None,
        "quick_choices": _quick_choices(request, people, active, checkpoints),
        "history_url": url,
        "overlay": bool(request.htmx) and not current.startswith(url),
        "now": timezone.now(),
    }
    if request.htmx:
        partial = "entries" if paging else "panel"
        return render(request, f"maps/history.html#{partial}", ctx, status=status)
    return render(request, "maps/history.html", ctx, status=status)


def _offer(entries, can_edit: bool, undoing) -> None:
    """Mark the entries that get a Restore or an Undo (editors only)."""
    for entry in entries:
        entry.restore = can_edit and entry.restorable and can_restore(entry)
        entry.undo = undoing if undoing and undoing.entry.pk == entry.pk else None
        if entry.undo and not entry.undo.reason and entry.verb == "delete":
            entry.restore = False  # Undo does the same here: one button


def _notices(form) -> list[str]:
    """A line for each filter that was ignored, and why."""
    return [
        _("Ignored the filter “%(field)s”: %(error)s")
        % {"field": form.fields[name].label or name, "error": " ".join(errors)}
        for name, errors in form.errors.items()
        if name != "older"
    ]


def _page(journey_map, data: dict) -> tuple[list, bool]:
    """One page of the history, newest first, for the filters; and whether more."""
    # A deletion's snapshot can be large: the page only needs to know there is
    # one, whether it was restored already, and what an undo undid.
    entries = (
        Activity.objects.filter(map=journey_map)
        .defer("snapshot")
        .annotate(
            restorable=ExpressionWrapper(
                Q(snapshot__isnull=False), output_field=BooleanField()
            ),
            reverted=Exists(Activity.objects.filter(reverts=OuterRef("pk"))),
            undid=KT("snapshot__undid"),
        )
        .order_by("-id")
    )
    if data.get("person") is not None:
        entries = entries.filter(user_id=data["person"])
    if data.get("since") is not None:
        entries = entries.filter(created__gte=data["since"])
    if data.get("after") is not None:
        entries = entries.filter(revision__gt=data["after"])
    if data.get("checkpoint") is not None:
        entries = entries.filter(revision__gt=data["checkpoint"].revision)
    if data.get("older") is not None:
        entries = entries.filter(id__lt=data["older"])
    entries = list(entries[: PAGE_SIZE + 1])
    return entries[:PAGE_SIZE], len(entries) > PAGE_SIZE


def _tell(entries, people, me) -> None:
    """Who, when and what for each entry, told in the reader's language."""
    names = {p["user"]: p["name"] for p in people if p["is_member"]}
    now = timezone.now()
    for entry in entries:
        entry.just_now = now - entry.created < timedelta(minutes=1)
        entry.gone = entry.user_id not in names
        entry.who = _("Someone who has left") if entry.gone else names[entry.user_id]
        entry.is_me = entry.user_id == me
        entry.sentence = describe(entry, who_markup(entry.who, entry.gone))
        entry.before, entry.after = change_lines(entry)
        entry.restorable = entry.restorable and not entry.reverted


# ---- Writes from the history ------------------------------------------------


@contextlib.contextmanager
def _not_on_screen():
    """Publish the changes made inside as from no tab, so this tab fetches them too."""
    token = current_client.set("")
    try:
        yield
    finally:
        current_client.reset(token)


def _answer(request, access, journey_map, *, done="", refused="", **extra):
    """After a write from the history: the panel (htmx), else the history page."""
    if request.htmx:
        status = 409 if refused else extra.pop("status", 200)
        return _history(
            request,
            access,
            journey_map,
            {},
            done=done,
            refused=refused,
            status=status,
            **extra,
        )
    if refused:
        messages.warning(request, refused)
    elif done:
        messages.success(request, done)
    return redirect("map_history", access.organisation.slug, journey_map.pk)


class EntryForm(forms.Form):
    entry = forms.IntegerField(min_value=1)


RESTORED = {
    "card": gettext_lazy("The card “%(title)s” is back."),
    "stage": gettext_lazy("The stage “%(title)s” is back."),
    "lane": gettext_lazy("The lane “%(title)s” is back."),
}


@require_POST
def history_restore(
    request: HttpRequest, org_slug: str, map_id, activity_id: int
) -> HttpResponse:
    """Restore what one "deleted" entry of the history removed, where it was."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    try:
        with _not_on_screen():
            restored = restore(journey_map, access, activity_id)
    except Refused as refused:
        return _answer(request, access, journey_map, refused=str(refused))
    kind = restored.activity.object_kind
    done = RESTORED[kind] % {"title": restored.activity.object_label}
    if restored.left_out:
        done = f"{done} {left_out_notice(restored.left_out)}"
    return _answer(request, access, journey_map, done=done)


@require_POST
def history_undo(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    """Undo my latest change on this map (its entry's id is posted, to be sure)."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    form = EntryForm(request.POST)
    if not form.is_valid():
        refused = _("Say which change to undo: reload the history and try again.")
        return _answer(request, access, journey_map, refused=refused)
    try:
        with _not_on_screen():
            undone = undo(journey_map, access, form.cleaned_data["entry"])
    except Refused as refused:
        return _answer(request, access, journey_map, refused=str(refused))
    done = describe(undone, access.name)
    return _answer(request, access, journey_map, done=done)


@require_POST
def checkpoint_add(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    """Mark a checkpoint at the map's revision; it is in the history itself too."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    form = CheckpointForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            refused = " ".join(e for errors in form.errors.values() for e in errors)
            return _answer(request, access, journey_map, refused=refused)
        return _answer(request, access, journey_map, checkpoint_form=form, status=422)
    title = form.cleaned_data["title"]
    with transaction.atomic(), _not_on_screen():
        checkpoint = Checkpoint(
            map=journey_map, title=title, created_by=access.user, revision=0
        )
        record(
            journey_map, access, "create", checkpoint, kind="checkpoint", fragments=[]
        )
        # At the revision of its own entry: "since" it shows what came after.
        checkpoint.revision = journey_map.revision
        checkpoint.save()
    done = _("Checkpoint “%(title)s” marked at revision %(revision)d.") % {
        "title": title,
        "revision": checkpoint.revision,
    }
    return _answer(request, access, journey_map, done=done)


@require_http_methods(["GET", "POST"])
def checkpoint_delete(
    request: HttpRequest, org_slug: str, map_id, checkpoint_id
) -> HttpResponse:
    """Ask, then delete a checkpoint (the changes stay; only the mark goes)."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    checkpoint = journey_map.checkpoints.filter(pk=checkpoint_id).first()
    if checkpoint is None:
        if Checkpoint.objects.filter(pk=checkpoint_id).exists():
            raise Http404("Not on this map")
        gone = _("That checkpoint was deleted already.")
        return _answer(request, access, journey_map, refused=gone)
    if request.method != "POST":
        ctx = {
            "access": access,
            "org": access.organisation,
            "map": journey_map,
            "checkpoint": checkpoint,
            "title": _("Delete the checkpoint “%(title)s”?") % {"title": checkpoint},
            "consequences": [
                _("The changes stay in the history; only this mark goes.")
            ],
            "cancel_url": reverse("map_history", args=[org_slug, journey_map.pk]),
        }
        if request.htmx:
            return render(request, "maps/history.html#checkpoint_confirm", ctx)
        return render(request, "confirm_delete.html", ctx)
    with transaction.atomic(), _not_on_screen():
        deleted, _rows = Checkpoint.objects.filter(pk=checkpoint.pk).delete()
        if deleted:
            record(
                journey_map,
                access,
                "delete",
                checkpoint,
                kind="checkpoint",
                fragments=[],
            )
    done = _("Checkpoint “%(title)s” deleted.") % {"title": checkpoint}
    return _answer(request, access, journey_map, done=done)


H = "<uuid:map_id>/history/"

urlpatterns = [
    path(H, map_history, name="map_history"),
    path(H + "undo/", history_undo, name="history_undo"),
    path(H + "<int:activity_id>/restore/", history_restore, name="history_restore"),
    path(H + "checkpoints/add/", checkpoint_add, name="checkpoint_add"),
    path(
        H + "checkpoints/<uuid:checkpoint_id>/delete/",
        checkpoint_delete,
        name="checkpoint_delete",
    ),
]
