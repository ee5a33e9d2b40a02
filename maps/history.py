"""
A map's history: the Activity stream (who changed what, before → after),
newest first, filterable by person and "since" a moment, one page at a time.

`map_history` serves a page of its own and, for htmx requests, the panel that
the canvas opens over its right-hand side (static/js/history.js closes it).
A page is a fixed number of queries however long the history is: the people
who changed the map come from one grouped query, the entries from another.
"""

import functools
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, Max, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from journeymap.models import Membership
from maps.access import get_map_for_member
from maps.models import Action, Activity, Card, JourneyMap, Lane, Stage

PAGE_SIZE = 50
# Before/after texts longer than this show truncated, with the rest one click away.
SHORT = 140
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"

# What a change reads as, by (verb, kind of object). Kinds are model names;
# record() writes "map" for changes to the map itself.
SENTENCES = {
    ("create", "map"): gettext_lazy("created the map"),
    ("update", "map"): gettext_lazy("changed the map's details"),
    ("set", "map"): gettext_lazy("changed the map's details"),
    ("status", "map"): gettext_lazy("changed the map's status"),
    ("duplicate", "map"): gettext_lazy("created the map as a copy"),
    ("import", "map"): gettext_lazy("imported the map from a file"),
    ("archive", "map"): gettext_lazy("archived the map"),
    ("restore", "map"): gettext_lazy("restored the map"),
    ("cite", "map"): gettext_lazy("changed the map's evidence"),
    ("create", "stage"): gettext_lazy("added stage"),
    ("update", "stage"): gettext_lazy("changed stage"),
    ("set", "stage"): gettext_lazy("changed stage"),
    ("delete", "stage"): gettext_lazy("deleted stage"),
    ("reorder", "stage"): gettext_lazy("reordered stages"),
    ("move", "stage"): gettext_lazy("moved stage"),
    ("create", "lane"): gettext_lazy("added lane"),
    ("update", "lane"): gettext_lazy("renamed lane"),
    ("set", "lane"): gettext_lazy("changed lane"),
    ("delete", "lane"): gettext_lazy("deleted lane"),
    ("reorder", "lane"): gettext_lazy("reordered lanes"),
    ("move", "lane"): gettext_lazy("moved lane"),
    ("hide", "lane"): gettext_lazy("hid lane"),
    ("show", "lane"): gettext_lazy("showed lane"),
    ("create", "card"): gettext_lazy("added card"),
    ("update", "card"): gettext_lazy("edited card"),
    ("set", "card"): gettext_lazy("changed card details"),
    ("delete", "card"): gettext_lazy("deleted card"),
    ("reorder", "card"): gettext_lazy("reordered cards"),
    ("move", "card"): gettext_lazy("moved card"),
    ("cite", "card"): gettext_lazy("changed the evidence of card"),
    ("create", "emotion"): gettext_lazy("set emotion"),
    ("set", "emotion"): gettext_lazy("set emotion"),
    ("update", "emotion"): gettext_lazy("changed emotion"),
    ("delete", "emotion"): gettext_lazy("cleared emotion"),
    ("create", "action"): gettext_lazy("added action"),
    ("update", "action"): gettext_lazy("edited action"),
    ("set", "action"): gettext_lazy("changed action"),
    ("delete", "action"): gettext_lazy("deleted action"),
    ("reorder", "action"): gettext_lazy("reordered actions"),
    ("move", "action"): gettext_lazy("moved action"),
    ("status", "action"): gettext_lazy("changed action status"),
    ("cite", "action"): gettext_lazy("changed the evidence of action"),
}
KINDS = {
    "map": gettext_lazy("the map"),
    "stage": gettext_lazy("stage"),
    "lane": gettext_lazy("lane"),
    "card": gettext_lazy("card"),
    "emotion": gettext_lazy("emotion"),
    "action": gettext_lazy("action"),
}


@functools.cache
def _title_labels() -> frozenset:
    """ "Title" in every language: a stage edit that only renamed it says so."""
    # The two we ship, also when the catalogue is not compiled.
    labels = {"Title", "Titel"}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.add(_("Title"))
    return frozenset(labels)


def describe(verb: str, kind: str, before: str = "", after: str = "") -> str:
    """The change as a short sentence without its subject: "renamed stage"."""
    kind = "map" if kind in ("", "journeymap") else kind
    if verb == "update" and kind == "stage" and "\n" not in before + after:
        label = before.partition(":")[0]
        if label and label in _title_labels():
            return _("renamed stage")
    sentence = SENTENCES.get((verb, kind))
    if sentence is not None:
        return str(sentence)
    if kind in KINDS:
        return _("changed %(kind)s") % {"kind": KINDS[kind]}
    return _("made a change")


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
    # Only changes after this revision ("since revision N").
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    # The "show more" cursor: entries older than this activity.
    older = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data, people):
        super().__init__(data, auto_id="history-%s")
        choices = [("", _("Everyone"))]
        choices += [(p["user"], p["name"]) for p in people if p["is_member"]]
        self.fields["person"].choices = choices

    def clean_since(self):
        since = self.cleaned_data["since"]
        # Far-off years overflow the database's date arithmetic: not a moment
        # anybody means.
        if since is not None and not 1970 <= since.year <= 9000:
            raise forms.ValidationError(_("Pick a date between 1970 and 9000."))
        return since


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


# What an entry's object is called now, per kind: one query per kind on the page.
LABELS = {
    "stage": (Stage, "title"),
    "lane": (Lane, "title"),
    "card": (Card, "text"),
    "action": (Action, "title"),
}


def _label_objects(journey_map: JourneyMap, entries) -> None:
    """entry.label: the stage, lane, card or action it is about, as it is called now."""
    wanted: dict[str, set] = {}
    for entry in entries:
        if entry.object_kind in LABELS and entry.object_id:
            wanted.setdefault(entry.object_kind, set()).add(entry.object_id)
    labels = {}
    for kind, ids in wanted.items():
        model, field = LABELS[kind]
        labels.update(
            model.objects.filter(map=journey_map, pk__in=ids).values_list("pk", field)
        )
    for entry in entries:
        label = labels.get(entry.object_id, "")
        # Said already by before/after (a card's text, a stage's new title).
        shown = (entry.before, entry.after)
        entry.label = "" if any(label in text for text in shown) else label


def _query(params: dict) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(params) if params else "?"


def _quick_choices(request, people, active: dict) -> list[dict]:
    """One-click "since" moments: my last change, today, 24 hours, a week."""
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
@login_required
def map_history(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    membership, journey_map = get_map_for_member(request, org_slug, map_id)
    people = _people(journey_map)
    names = {p["user"]: p["name"] for p in people if p["is_member"]}
    form = HistoryFilter(request.GET, people)
    form.is_valid()
    notices = [
        _("Ignored the filter “%(field)s”: %(error)s")
        % {"field": form.fields[name].label or name, "error": " ".join(errors)}
        for name, errors in form.errors.items()
        if name != "older"
    ]
    data = form.cleaned_data
    person, since, after = data.get("person"), data.get("since"), data.get("after")
    older = data.get("older")

    entries = Activity.objects.filter(map=journey_map).order_by("-id")
    if person is not None:
        entries = entries.filter(user_id=person)
    if since is not None:
        entries = entries.filter(created__gte=since)
    if after is not None:
        entries = entries.filter(revision__gt=after)
    if older is not None:
        entries = entries.filter(id__lt=older)
    entries = list(entries[: PAGE_SIZE + 1])
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    _label_objects(journey_map, entries)
    now = timezone.now()
    for entry in entries:
        entry.just_now = now - entry.created < timedelta(minutes=1)
        entry.gone = entry.user_id not in names
        entry.who = _("Someone who has left") if entry.gone else names[entry.user_id]
        entry.is_me = entry.user_id == request.user.pk
        entry.sentence = describe(
            entry.verb, entry.object_kind, entry.before, entry.after
        )

    url = reverse("map_history", args=[org_slug, journey_map.pk])
    active = {
        "person": person,
        "since": since and timezone.localtime(since).strftime(DATETIME_LOCAL),
        "after": after,
    }
    more_url = url + _query({**active, "older": entries[-1].pk}) if more else ""
    filtered = any(v not in (None, "") for v in active.values())
    # On the canvas the panel lies over the grid; on its own page it is the page.
    current = (request.htmx.current_url_abs_path or "") if request.htmx else ""
    overlay = bool(request.htmx) and not current.startswith(url)
    ctx = {
        "membership": membership,
        "org": membership.organisation,
        "can_edit": membership.can_edit,
        "map": journey_map,
        "form": form,
        "people": people,
        "entries": entries,
        "more_url": more_url,
        "notices": notices,
        "filtered": filtered,
        "after": after,
        "quick_choices": _quick_choices(request, people, active),
        "history_url": url,
        "overlay": overlay,
        "now": now,
    }
    if request.htmx:
        partial = "entries" if older is not None else "panel"
        return render(request, f"maps/history.html#{partial}", ctx)
    return render(request, "maps/history.html", ctx)


urlpatterns = [
    path("<uuid:map_id>/history/", map_history, name="map_history"),
]
