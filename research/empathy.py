"""
Empathy-map entries: the reusable card mechanics (add, edit, move, reorder,
delete, cite findings) applied to the areas of a persona's empathy map.
htmx gets fragments; without htmx every write goes back to the persona page.
"""

from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.http import reswap, retarget, trigger_client_event

from journeymap.access import Can, get_access
from journeymap.editing import (
    Clash,
    Delete,
    Edit,
    confirmed_delete,
    conflict_response,
    move,
    reorder_with_arrival,
    versioned_edit,
)
from research.access import get_entry, get_persona
from research.evidence import EVIDENCE_CHANGED, evidence_view
from research.forms import EntryAddForm, EntryEditForm, MoveForm, ReorderForm
from research.models import Area, EmpathyEntry
from research.pages import FINDINGS_WITH_STUDY, area_context, page_context


def _entry_ctx(access, entry, **extra) -> dict:
    return page_context(access, entry=entry, persona=entry.persona, **extra)


def _area_fragment(
    request,
    access,
    persona,
    area,
    *,
    form=None,
    status=200,
    focus_add=False,
    oob=False,
):
    entries = persona.empathy_entries.filter(area=area).prefetch_related(
        FINDINGS_WITH_STUDY
    )
    ctx = page_context(
        access,
        persona=persona,
        area=area_context(Area(area), list(entries)),
        add_form=form,
        focus_add=focus_add or form is not None,
        oob=oob,
    )
    response = render(request, "research/persona_detail.html#area", ctx, status=status)
    return trigger_client_event(response, EVIDENCE_CHANGED)


def _entry_card(request, access, entry, status=200):
    entry = (
        EmpathyEntry.objects.select_related("persona")
        .prefetch_related(FINDINGS_WITH_STUDY)
        .get(pk=entry.pk)
    )
    return render(
        request,
        "research/persona_detail.html#card",
        _entry_ctx(access, entry),
        status=status,
    )


def _entry_gone(request, access, entry) -> HttpResponse:
    """The entry was deleted meanwhile: say so, then show the area as it is."""
    return conflict_response(
        request,
        target_id=f"entry-{entry.pk}",
        clashes=[Clash(_("Text"), "", request.POST.get("text", entry.text))],
        keep_url=reverse(
            "persona_detail", args=[access.organisation.slug, entry.persona_id]
        ),
        overwrite_url="",
        overwrite_values=[],
        current_version=None,
    )


def _entry_form(request, access, entry, form, status) -> HttpResponse:
    ctx = _entry_ctx(access, entry, form=form)
    if request.htmx:
        template = "research/persona_detail.html#card_edit"
    else:
        template = "research/entry_page.html"
    return render(request, template, ctx, status=status)


def _entry_placed(entry, form) -> dict:
    """What an edit writes: no area keeps the entry in place; a new one puts it last."""
    area = form.cleaned_data["area"] or entry.area
    values = {"text": form.cleaned_data["text"], "area": area}
    if area != entry.area:
        values["position"] = _next_position(entry.persona, area)
    return values


def _entry_saved(request, access, entry, left) -> HttpResponse:
    """
    The edited card; if it moved, the area it `left` replaces itself and the
    area it joined comes out of band. Without htmx: back to the persona.
    """
    if not request.htmx:
        return redirect(entry.persona)
    if entry.area == left:
        return _entry_card(request, access, entry)
    response = _area_fragment(request, access, entry.persona, left)
    retarget(response, f"#area-{left}")
    reswap(response, "outerHTML")
    joined = _area_fragment(request, access, entry.persona, entry.area, oob=True)
    response.content += joined.content
    return response


def _next_position(persona, area) -> int:
    """The position after the last entry of `area`: new and moved entries go last."""
    last = (
        persona.empathy_entries.filter(area=area)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


@require_POST
def entry_add(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    access = get_access(request, org_slug)
    persona = get_persona(access, persona_id, Can.EDIT)
    form = EntryAddForm(request.POST)
    if not form.is_valid():
        area = request.POST.get("area")
        if not request.htmx or area not in Area.values:
            messages.error(request, _("Write something, at most 280 characters."))
            return redirect(persona)
        return _area_fragment(request, access, persona, area, form=form, status=422)
    entry = form.save(commit=False)
    entry.persona = persona
    entry.position = _next_position(persona, entry.area)
    entry.save()
    if not request.htmx:
        return redirect(persona)
    return _area_fragment(request, access, persona, entry.area, focus_add=True)


@require_safe
def entry_card(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    access = get_access(request, org_slug)
    entry = get_entry(access, entry_id)
    if not request.htmx:
        return redirect(entry.persona)
    return _entry_card(request, access, entry)


@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    access = get_access(request, org_slug)
    entry = get_entry(access, entry_id, Can.EDIT)
    area = entry.area  # before the edit: the area a moved entry left
    args = [org_slug, entry.pk]
    edit = Edit(
        obj=entry,
        queryset=entry.persona.empathy_entries.all(),
        form_class=EntryEditForm,
        fields=("text", "area"),
        values=lambda form: _entry_placed(entry, form),
        show_form=partial(_entry_form, request, access, entry),
        show_saved=lambda saved: _entry_saved(request, access, saved, area),
        show_gone=lambda: _entry_gone(request, access, entry),
        target=f"entry-{entry.pk}",
        keep_url=reverse("entry_card", args=args),
        edit_url=reverse("entry_edit", args=args),
    )
    return versioned_edit(request, edit)


@require_POST
def entry_move(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    access = get_access(request, org_slug)
    entry = get_entry(access, entry_id, Can.EDIT)
    form = MoveForm(request.POST)
    if form.is_valid():
        offset = -1 if form.cleaned_data["direction"] == "up" else 1
        siblings = entry.persona.empathy_entries.filter(area=entry.area)
        move(siblings, entry.pk, offset)
    if not request.htmx:
        return redirect(entry.persona)
    return _area_fragment(request, access, entry.persona, entry.area)


@require_POST
def entry_reorder(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    access = get_access(request, org_slug)
    persona = get_persona(access, persona_id, Can.EDIT)
    form = ReorderForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown area."), status=400)
    area = form.cleaned_data["area"]
    # One entry may arrive from another area of the same persona (dragged across).
    ok, came_from = reorder_with_arrival(
        persona.empathy_entries.filter(area=area),
        form.cleaned_data["order"],
        neighbours=persona.empathy_entries.all(),
        list_field="area",
        list_value=area,
    )
    # A stale page (someone added or deleted meanwhile) gets the list as it is now.
    response = _area_fragment(request, access, persona, area, status=200 if ok else 409)
    if came_from is not None:
        # The area it left is refreshed too, out of band.
        source = _area_fragment(request, access, persona, came_from, oob=True)
        response.content += source.content
    return response


@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    access = get_access(request, org_slug)
    entry = get_entry(access, entry_id, Can.EDIT)
    return confirmed_delete(request, _entry_delete(request, access, entry))


def _entry_delete(request, access, entry) -> Delete:
    n_findings = entry.findings.count()

    def show_confirm(current, changed, status):
        ctx = _entry_ctx(access, current, n_findings=n_findings, changed=changed)
        if not request.htmx:
            ctx["deleting"] = True
            return render(request, "research/entry_page.html", ctx, status=status)
        template = "research/persona_detail.html#card_delete"
        response = render(request, template, ctx, status=status)
        # The form aimed at the whole area; the question goes back to the card.
        return reswap(retarget(response, f"#entry-{entry.pk}"), "outerHTML")

    def show_deleted():
        if not request.htmx:
            messages.success(request, _("Entry deleted."))
            return redirect(entry.persona)
        return _area_fragment(request, access, entry.persona, entry.area)

    return Delete(
        obj=entry,
        queryset=EmpathyEntry.objects.filter(persona=entry.persona),
        show_confirm=show_confirm,
        show_deleted=show_deleted,
    )


@require_http_methods(["GET", "POST"])
def entry_evidence(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    access = get_access(request, org_slug)
    entry = get_entry(
        access, entry_id, Can.EDIT if request.method == "POST" else Can.READ
    )
    return evidence_view(
        request,
        access,
        entry,
        queryset=EmpathyEntry.objects.all(),
        target_id=f"entry-{entry.pk}",
        action_url=reverse("entry_evidence", args=[org_slug, entry.pk]),
        card_url=reverse("entry_card", args=[org_slug, entry.pk]),
        back_url=entry.persona.get_absolute_url(),
        render_card=lambda: _entry_card(request, access, entry),
    )
