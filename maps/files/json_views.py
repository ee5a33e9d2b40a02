"""
JSON export and import of whole maps (views). The format and the rules for
reading it live in maps.files.json_format; these views only check access, move the
file and say how it went.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from journeymap.access import Can, get_access
from maps.access import (
    get_map,
)
from maps.files.json_format import (
    ImportRejected,
    dumps,
    export_map,
    import_map,
    read_upload,
)
from maps.files.names import as_attachment, download_name
from maps.models import JourneyMap

# The import page lists this many problems, then says how many more there are.
ERRORS_SHOWN = 20
WARNINGS_SHOWN = 10


class MapImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Map file (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=JourneyMap._meta.get_field("title").max_length,
        help_text=gettext_lazy(
            "Leave empty for the title in the file, marked “(imported)”."
        ),
    )


@require_safe
def map_export_json(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    response = HttpResponse(
        dumps(export_map(journey_map)), content_type="application/json; charset=utf-8"
    )
    name = download_name(journey_map.title, "json", timezone.localdate())
    return as_attachment(response, name)


@require_http_methods(["GET", "HEAD", "POST"])
def map_import(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug, Can.EDIT)
    org = access.organisation
    if request.method == "POST":
        form = MapImportForm(request.POST, request.FILES)
    else:
        form = MapImportForm()
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_map(
                read_upload(form.cleaned_data["file"]),
                org,
                request.user,
                title=form.cleaned_data["title"],
                mark_imported=True,
            )
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            journey_map = result.map
            journey_map.organisation = org
            messages.success(
                request,
                " ".join(
                    [
                        _("Imported %(title)s as a new map.")
                        % {"title": result.source_title},
                        *result.notes,
                    ]
                ),
            )
            if result.warnings:
                messages.warning(request, _summary(result.warnings, WARNINGS_SHOWN))
            return redirect(journey_map)
    ctx = {
        "access": access,
        "org": org,
        "can_edit": access.can_edit,
        "form": form,
        "errors": errors[:ERRORS_SHOWN],
        "n_more": max(0, len(errors) - ERRORS_SHOWN),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "maps/transfer/import.html", ctx, status=status)


def _summary(lines: list[str], most: int) -> str:
    text = " ".join(lines[:most])
    rest = len(lines) - most
    if rest > 0:
        text += " " + ngettext("And %(n)d more.", "And %(n)d more.", rest) % {"n": rest}
    return text


urlpatterns = [
    # "import/" cannot be read as a map id: <uuid:…> only matches UUIDs.
    path("import/", map_import, name="map_import"),
    path("<uuid:map_id>/export.json", map_export_json, name="map_export_json"),
]
