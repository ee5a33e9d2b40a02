"""
A map's history: the Activity stream (who changed what, before → after, told in
the reader's language by maps.activity),
newest first, filterable by person and "since" a moment, one page at a time.

`map_history` serves a page of its own and, for htmx requests, the panel that
the canvas opens over its right-hand side (static/js/history.js closes it).
A page is a fixed number of queries however long the history is: the people
who changed the map come from one grouped query, the entries from another.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Exists, Max, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from journeymap.access import get_access
from journeymap.models import Membership
from maps.access import (
    get_map,
)
from maps.activity import Activity, change_lines, describe, who_markup
from maps.models import JourneyMap

PAGE_SIZE = 50
# Before/after texts longer than this show truncated, with the rest one click away.
SHORT = 140
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


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
def map_history(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    people = _people(journey_map)
    form = HistoryFilter(request.GET, people)
    form.is_valid()
    data = form.cleaned_data
    entries, more = _page(journey_map, data)
    _tell(entries, people, request.user.pk)
    url = reverse("map_history", args=[org_slug, journey_map.pk])
    since = data.get("since")
    active = {
        "person": data.get("person"),
        "since": since and timezone.localtime(since).strftime(DATETIME_LOCAL),
        "after": data.get("after"),
    }
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
        "notices": _notices(form),
        "filtered": any(v not in (None, "") for v in active.values()),
        "after": active["after"],
        "quick_choices": _quick_choices(request, people, active),
        "history_url": url,
        "overlay": bool(request.htmx) and not current.startswith(url),
        "now": timezone.now(),
    }
    if request.htmx:
        partial = "entries" if data.get("older") is not None else "panel"
        return render(request, f"maps/history.html#{partial}", ctx)
    return render(request, "maps/history.html", ctx)


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
    entries = Activity.objects.filter(map=journey_map).order_by("-id")
    if data.get("person") is not None:
        entries = entries.filter(user_id=data["person"])
    if data.get("since") is not None:
        entries = entries.filter(created__gte=data["since"])
    if data.get("after") is not None:
        entries = entries.filter(revision__gt=data["after"])
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


urlpatterns = [
    path("<uuid:map_id>/history/", map_history, name="map_history"),
]
