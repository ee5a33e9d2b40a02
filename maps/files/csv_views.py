"""
CSV downloads: the actions board (`board_urlpatterns`, mounted at
/o/<org_slug>/actions/) and a map's touchpoints (`urlpatterns`, mounted at
/o/<org_slug>/maps/).

The files are made for spreadsheets, so `csv_response` writes what Excel and
LibreOffice open without an import wizard: UTF-8 with a byte order mark, CRLF
line ends, every field quoted, and `safe_cell` on every value so that text a
user typed is never run as a formula.
"""

import csv
import datetime
import io
from collections.abc import Iterable

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from journeymap.access import get_access
from maps.access import (
    get_map,
)
from maps.actions.views import BoardFilterForm, board_actions, is_overdue, members_of
from maps.files.names import as_attachment, download_name
from maps.models import Card, JourneyMap, LaneKind

BOM = "\ufeff"

# A spreadsheet reads a cell that starts with one of these as a formula (or,
# for tab and carriage return, may drop the character and read what follows
# as one): OWASP's list for CSV injection. "-5" is escaped too: telling a
# harmless negative number from "-2+cmd|..." is exactly the guess not to make,
# and the numbers we write ourselves are ints, which never start with text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """
    One value as spreadsheet-safe text: text that could start a formula gets a
    leading apostrophe; dates in ISO form (2026-11-23); True/False as yes/no;
    None as an empty cell. Line breaks inside a value become "\n", which
    Excel and LibreOffice show as a new line within the one (quoted) cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_delimiter() -> str:
    """
    ";" for Dutch, "," otherwise. Excel splits a CSV it opens on the list
    separator of the computer's regional settings: ";" in Dutch ones (the comma
    is the decimal mark there), "," in English ones. A comma file opened in a
    Dutch Excel lands in one column. The usual fix, a first line "sep=,", makes
    Excel ignore the byte order mark and garble é, ë and €, so the language the
    user reads Journeymap in stands in for their regional settings instead.
    LibreOffice asks for the separator on opening and offers both.
    """
    return ";" if (get_language() or "").startswith("nl") else ","


def csv_response(
    filename: str, header: Iterable[str], rows: Iterable[Iterable]
) -> HttpResponse:
    """A CSV download: BOM, quoted fields, CRLF, every cell through safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=csv_delimiter(),
        quoting=csv.QUOTE_ALL,
        lineterminator="\r\n",
    )
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    response = HttpResponse(
        (BOM + buffer.getvalue()).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    return as_attachment(response, filename)


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# ---- The actions board --------------------------------------------------------


@require_safe
def action_board_csv(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The actions the board shows for the same filters, in the same order."""
    access = get_access(request, org_slug)
    org = access.organisation
    maps = list(
        JourneyMap.objects.filter(organisation=org)
        .order_by("title")
        .only("id", "title")
    )
    form = BoardFilterForm(request.GET or None, members=members_of(org), maps=maps)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    header = [
        _("Map"),
        _("Stage"),
        _("Action"),
        _("Description"),
        _("Owner"),
        _("Due date"),
        _("Status"),
        _("Overdue"),
        _("About the card"),
        _("Evaluation"),
    ]
    rows = (
        [
            action.map.title,
            action.stage.title if action.stage else "",
            action.title,
            action.description,
            _person(action.owner),
            action.due,
            action.get_status_display(),
            is_overdue(action, today),
            action.card.text if action.card else "",
            action.evaluation,
        ]
        for action in board_actions(org, request.user, data, today)
    )
    title = _("%(organisation)s actions") % {"organisation": org.name}
    return csv_response(download_name(title, "csv", today), header, rows)


# ---- A map's touchpoints --------------------------------------------------------


def _online(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Online") if value else _("Offline")


@require_safe
def map_touchpoints_csv(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    """Every card of the map's touchpoint lanes (hidden ones too), stage by stage."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    cards = (
        Card.objects.filter(map=journey_map, lane__kind=LaneKind.TOUCHPOINTS)
        .select_related("stage", "lane")
        .annotate(n_findings=Count("findings"))
        .order_by("stage__position", "lane__position", "position", "created")
    )
    header = [
        _("Stage"),
        _("Lane"),
        _("Text"),
        _("Channel"),
        _("Online or offline"),
        _("Branded"),
        _("Owning department"),
        _("Customer's experience"),
        _("Moment of truth"),
        _("Findings cited"),
    ]
    rows = (
        [
            card.stage.title,
            card.lane.title,
            card.text,
            card.channel_label if card.channel else "",
            _online(card.online),
            card.branded,
            card.department,
            card.get_experience_display(),
            card.moment_of_truth,
            card.n_findings,
        ]
        for card in cards
    )
    title = _("%(map)s touchpoints") % {"map": journey_map.title}
    day = timezone.localdate()
    return csv_response(download_name(title, "csv", day), header, rows)


urlpatterns = [
    path(
        "<uuid:map_id>/touchpoints.csv",
        map_touchpoints_csv,
        name="map_touchpoints_csv",
    ),
]

board_urlpatterns = [
    path("export.csv", action_board_csv, name="action_board_csv"),
]
