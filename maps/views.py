"""
Views for journey maps: the list, creating a map from a template, the canvas
(read-only for now), duplicate, archive, restore and delete. Every view gets its
objects through maps.access (or journeymap.access) first thing.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from journeymap.access import Can, get_access
from journeymap.editing import Clash, clashes, versioned_update
from journeymap.hub import hub
from maps.access import (
    get_map,
)
from maps.activity import change, field_changes
from maps.canvas.grid import canvas_context
from maps.files.json_format import map_duplicate
from maps.forms import (
    MapCreateForm,
    MapDuplicateForm,
    MapFilterForm,
    MapSettingsForm,
)
from maps.models import (
    Action,
    ActionStatus,
    JourneyMap,
    MapStatus,
    map_create_from_template,
    record,
)
from maps.templates import TEMPLATES
from research.models import Persona


def _ctx(access, **extra) -> dict:
    return {
        "access": access,
        "org": access.organisation,
        "can_edit": access.can_edit,
        **extra,
    }


_open_actions_count = (
    Action.objects.filter(
        map=OuterRef("pk"), status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
    )
    .order_by()
    .values("map")
    .annotate(n=Count("pk"))
    .values("n")
)


@require_safe
def map_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug)
    org = access.organisation
    form = MapFilterForm(request.GET or None, organisation=org)
    status, persona = "", None
    if form.is_valid():
        status, persona = form.cleaned_data["status"], form.cleaned_data["persona"]
    maps = (
        JourneyMap.objects.filter(organisation=org)
        .prefetch_related(Prefetch("personas", Persona.objects.order_by("name")))
        .annotate(
            n_cards=Count("cards", distinct=True),
            n_validated=Count(
                "cards", distinct=True, filter=Q(cards__findings__isnull=False)
            ),
            # A subquery, not a third join: cards × actions rows would multiply.
            n_open_actions=Coalesce(Subquery(_open_actions_count), 0),
        )
    )
    if status == "all":
        pass
    elif status:
        maps = maps.filter(status=status)
    else:
        maps = maps.exclude(status=MapStatus.ARCHIVED)
    if persona is not None:
        maps = maps.filter(personas=persona)
    maps = list(maps)
    for journey_map in maps:
        journey_map.organisation = org
    filtered = bool(status or persona)
    n_archived = 0
    if not maps and not filtered:
        n_archived = JourneyMap.objects.filter(
            organisation=org, status=MapStatus.ARCHIVED
        ).count()
    ctx = _ctx(access, maps=maps, form=form, filtered=filtered, n_archived=n_archived)
    return render(request, "maps/map_list.html", ctx)


@require_http_methods(["GET", "POST"])
def map_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug, Can.EDIT)
    org = access.organisation
    form = MapCreateForm(
        request.POST or None,
        organisation=org,
        initial={"template": request.GET.get("template", "seven_phases")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        journey_map = map_create_from_template(
            org,
            request.user,
            data["title"],
            data["template"],
            map_type=data["type"] or None,
            personas=data["personas"],
            dmu=data["dmu"],
            scope=data["scope"],
            objective=data["objective"],
        )
        journey_map.organisation = org
        messages.success(
            request,
            _("Map %(title)s created. Rename, add or remove stages to fit.")
            % {"title": journey_map.title},
        )
        return redirect(journey_map)
    options = list(zip(form["template"], TEMPLATES.values(), strict=True))
    ctx = _ctx(access, form=form, template_options=options)
    return render(request, "maps/map_form.html", ctx)


@require_safe
def map_detail(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    ctx = _ctx(access, **canvas_context(journey_map))
    return render(request, "maps/map_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def map_duplicate_view(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    initial = {"title": _("Future state of %(title)s") % {"title": journey_map}}
    form = MapDuplicateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        copy = map_duplicate(journey_map, request.user, form.cleaned_data["title"])
        copy.organisation = access.organisation
        messages.success(
            request,
            _("Copied %(source)s to %(title)s.")
            % {"source": journey_map.title, "title": copy.title},
        )
        return redirect(copy)
    ctx = _ctx(access, map=journey_map, form=form)
    return render(request, "maps/map_duplicate.html", ctx)


def _set_status(request, journey_map, status: str, verb: str) -> None:
    with transaction.atomic():
        before = journey_map.status
        JourneyMap.objects.filter(pk=journey_map.pk).update(
            status=status, version=F("version") + 1
        )
        moved = change("status", before, status)
        record(journey_map, request.user, verb, changes=[moved])


@require_POST
def map_archive(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    if journey_map.status != MapStatus.ARCHIVED:
        _set_status(request, journey_map, MapStatus.ARCHIVED, "archive")
    messages.success(
        request,
        _("Map %(title)s archived. You find it under “Archived”.")
        % {"title": journey_map.title},
    )
    return redirect("map_list", org_slug)


@require_POST
def map_restore(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    if journey_map.status == MapStatus.ARCHIVED:
        _set_status(request, journey_map, MapStatus.ACTIVE, "restore")
    messages.success(
        request, _("Map %(title)s restored.") % {"title": journey_map.title}
    )
    return redirect(journey_map)


@require_http_methods(["GET", "POST"])
def map_delete(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    if request.method == "POST":
        with transaction.atomic():
            hub.publish(f"map:{journey_map.pk}", {"type": "gone", "map": str(map_id)})
            journey_map.delete()
        messages.success(
            request, _("Map %(title)s deleted.") % {"title": journey_map.title}
        )
        return redirect("map_list", org_slug)
    n_stages = journey_map.stages.count()
    n_cards = journey_map.cards.count()
    n_actions = journey_map.actions.count()
    consequences = [
        ngettext(
            "%(n)d stage is deleted with it.",
            "%(n)d stages are deleted with it.",
            n_stages,
        )
        % {"n": n_stages},
        ngettext(
            "%(n)d card is deleted with it.",
            "%(n)d cards are deleted with it.",
            n_cards,
        )
        % {"n": n_cards},
        ngettext(
            "%(n)d follow-up action is deleted with it.",
            "%(n)d follow-up actions are deleted with it.",
            n_actions,
        )
        % {"n": n_actions},
        _("Research findings cited on the map stay in the research workspace."),
    ]
    ctx = _ctx(
        access,
        map=journey_map,
        title=_("Delete map %(title)s?") % {"title": journey_map.title},
        consequences=consequences,
        cancel_url=journey_map.get_absolute_url(),
        advice=_("To keep the map out of sight instead, archive it."),
    )
    return render(request, "confirm_delete.html", ctx)


# ---- The map's settings ------------------------------------------------------


def _settings_changes(journey_map, personas, data) -> list[dict]:
    """The map's settings that `data` changes, the personas by name."""
    values = {name: data[name] for name in MapSettingsForm.FIELDS}
    changes = field_changes(journey_map, values)
    names = sorted(str(p) for p in personas)
    new_names = sorted(str(p) for p in data["personas"])
    if names != new_names:
        changes.append(change("personas", names, new_names))
    return changes


@require_http_methods(["GET", "POST"])
def map_settings(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    org = access.organisation
    personas = list(journey_map.personas.all())
    initial = {name: getattr(journey_map, name) for name in MapSettingsForm.FIELDS}
    initial.update(personas=personas, version=journey_map.version)
    form = MapSettingsForm(request.POST or None, initial=initial, organisation=org)
    clash_rows = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in MapSettingsForm.FIELDS}
        with transaction.atomic():
            changes = _settings_changes(journey_map, personas, data)
            saved = versioned_update(
                JourneyMap.objects.filter(organisation=org),
                journey_map.pk,
                data["version"],
                **values,
            )
            if saved:
                journey_map.personas.set(data["personas"])
                for name, value in values.items():
                    setattr(journey_map, name, value)
                if changes:
                    record(journey_map, access, "update", changes=changes)
        if saved:
            messages.success(request, _("Map settings saved."))
            return redirect(journey_map)
        current = JourneyMap.objects.get(pk=journey_map.pk)
        clash_rows = clashes(current, values, MapSettingsForm.FIELDS)
        theirs = ", ".join(str(p) for p in current.personas.all())
        mine = ", ".join(str(p) for p in data["personas"])
        if theirs != mine:
            clash_rows.append(Clash(_("Personas"), theirs, mine))
        # Sending the form again overwrites: it now carries the current version.
        form.data = form.data.copy()
        form.data["version"] = current.version
    ctx = _ctx(access, map=journey_map, form=form, clashes=clash_rows)
    status = 200
    if clash_rows is not None:
        status = 409
    elif request.method == "POST":
        status = 422
    return render(request, "maps/structure/map_settings.html", ctx, status=status)
