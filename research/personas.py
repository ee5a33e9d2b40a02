"""
Personas (list, create, edit, detail, delete) and their decision criteria.
Criteria are small edits: htmx gets the #criteria fragment back.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from journeymap.access import Can, get_access
from research.access import get_criterion, get_persona
from research.evidence import evidence_share
from research.forms import CriterionForm, CriterionWeightForm, PersonaForm
from research.models import Area, Awareness
from research.pages import (
    FINDINGS_WITH_STUDY,
    area_context,
    confirm_delete,
    page_context,
    page_edit,
    questions_left,
    save_versioned,
)


def _personas_with_share(org):
    # Meta.ordering does not apply to aggregating queries, so order explicitly.
    return org.personas.order_by("name").annotate(
        n_entries=Count("empathy_entries", distinct=True),
        n_validated=Count(
            "empathy_entries",
            distinct=True,
            filter=Q(empathy_entries__findings__isnull=False),
        ),
    )


@require_safe
def persona_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug)
    query = request.GET.get("q", "").strip()[:100]
    personas = _personas_with_share(access.organisation)
    if query:
        personas = personas.filter(
            Q(name__icontains=query)
            | Q(job__icontains=query)
            | Q(description__icontains=query)
        )
    ctx = page_context(access, personas=list(personas), query=query)
    if request.htmx and request.htmx.target == "persona-results":
        return render(request, "research/persona_list.html#results", ctx)
    return render(request, "research/persona_list.html", ctx)


@require_http_methods(["GET", "POST"])
def persona_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.EDIT)
    form = PersonaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        persona = form.save(commit=False)
        persona.organisation = access.organisation
        persona.save()
        messages.success(
            request,
            _("Persona %(name)s created. Now fill in the empathy map.")
            % {"name": persona.name},
        )
        return redirect(persona)
    return render(
        request, "research/persona_form.html", page_context(access, form=form)
    )


@require_http_methods(["GET", "POST"])
def persona_edit(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    access = get_access(request, org_slug)
    persona = get_persona(access, persona_id, Can.EDIT)
    return page_edit(
        request,
        PersonaForm(request.POST or None, instance=persona),
        template="research/persona_form.html",
        context=page_context(access, persona=persona),
        fields=PersonaForm.Meta.fields,
        saved=(_("Persona saved."), persona),
        gone=(
            _("Someone else deleted this persona."),
            reverse("persona_list", args=[org_slug]),
        ),
    )


def _persona_detail_context(access, persona) -> dict:
    entries = persona.empathy_entries.prefetch_related(FINDINGS_WITH_STUDY)
    by_area = {area: [] for area in Area}
    for entry in entries:
        by_area[entry.area].append(entry)
    return page_context(
        access,
        persona=persona,
        areas=[area_context(area, by_area[area]) for area in Area],
        criteria=list(persona.criteria.all()),
        criterion_form=CriterionForm(),
        share=evidence_share(persona.empathy_entries.all()),
        dmu_roles=persona.dmu_memberships.select_related("dmu"),
        questions=persona.questions.all(),
        awareness_levels=Awareness.choices,
        profile_texts=[
            (_("Goals"), persona.goals),
            (_("Needs"), persona.needs),
            (_("Frustrations"), persona.frustrations),
            (_("Wishes"), persona.wishes),
            (_("Behaviour"), persona.behaviour),
        ],
    )


@require_safe
def persona_detail(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    access = get_access(request, org_slug)
    persona = get_persona(access, persona_id)
    ctx = _persona_detail_context(access, persona)
    return render(request, "research/persona_detail.html", ctx)


@require_safe
def persona_share(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    access = get_access(request, org_slug)
    persona = get_persona(access, persona_id)
    share = evidence_share(persona.empathy_entries.all())
    ctx = page_context(access, persona=persona, share=share)
    return render(request, "research/persona_detail.html#share", ctx)


def _persona_delete_consequences(persona) -> list[str]:
    """What deleting `persona` takes with it, and what it leaves behind."""
    n_entries = persona.empathy_entries.count()
    n_criteria = persona.criteria.count()
    n_roles = persona.dmu_memberships.count()
    n_questions = persona.questions.count()
    consequences = [
        ngettext(
            "%(n)d empathy-map entry is deleted with it.",
            "%(n)d empathy-map entries are deleted with it.",
            n_entries,
        )
        % {"n": n_entries},
        ngettext(
            "%(n)d decision criterion is deleted with it.",
            "%(n)d decision criteria are deleted with it.",
            n_criteria,
        )
        % {"n": n_criteria},
    ]
    if n_roles:
        consequences.append(
            ngettext(
                "%(n)d DMU role stays, but without a persona.",
                "%(n)d DMU roles stay, but without a persona.",
                n_roles,
            )
            % {"n": n_roles}
        )
    if n_questions:
        consequences.append(questions_left(n_questions))
    return consequences


@require_http_methods(["GET", "POST"])
def persona_delete(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    access = get_access(request, org_slug)
    persona = get_persona(access, persona_id, Can.EDIT)
    if request.method == "POST":
        persona.delete()
        messages.success(request, _("Persona %(name)s deleted.") % {"name": persona})
        return redirect("persona_list", org_slug)
    return confirm_delete(
        request,
        access,
        title=_("Delete persona %(name)s?") % {"name": persona.name},
        consequences=_persona_delete_consequences(persona),
        cancel_url=persona.get_absolute_url(),
    )


# ---- Decision criteria ----------------------------------------------------


def _criteria_fragment(request, access, persona, form=None, status=200, note=None):
    ctx = page_context(
        access,
        persona=persona,
        criteria=list(persona.criteria.all()),
        criterion_form=form or CriterionForm(),
        criteria_note=note,
    )
    return render(request, "research/persona_detail.html#criteria", ctx, status=status)


@require_POST
def criterion_add(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    access = get_access(request, org_slug)
    persona = get_persona(access, persona_id, Can.EDIT)
    form = CriterionForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            messages.error(request, _("Choose a criterion and a weight from 1 to 5."))
            return redirect(persona)
        return _criteria_fragment(request, access, persona, form, status=422)
    criterion = form.save(commit=False)
    criterion.persona = persona
    criterion.save()
    if not request.htmx:
        return redirect(persona)
    return _criteria_fragment(request, access, persona)


@require_POST
def criterion_weight(request: HttpRequest, org_slug: str, criterion_id) -> HttpResponse:
    access = get_access(request, org_slug)
    criterion = get_criterion(access, criterion_id, Can.EDIT)
    form = CriterionWeightForm(request.POST)
    note, status = None, 200
    if not form.is_valid():
        note, status = _("Choose a weight from 1 to 5."), 422
    elif not save_versioned(form, criterion, ["weight"]):
        # A weight is one number: show theirs and let the editor pick again.
        note = _(
            "Someone else changed the weight of %(name)s meanwhile; "
            "this is theirs. Change it again if yours should win."
        ) % {"name": criterion.label}
        status = 409
    if not request.htmx:
        if note:
            messages.warning(request, note)
        return redirect(criterion.persona)
    return _criteria_fragment(
        request, access, criterion.persona, status=status, note=note
    )


@require_POST
def criterion_delete(request: HttpRequest, org_slug: str, criterion_id) -> HttpResponse:
    access = get_access(request, org_slug)
    criterion = get_criterion(access, criterion_id, Can.EDIT)
    criterion.delete()
    if not request.htmx:
        return redirect(criterion.persona)
    return _criteria_fragment(request, access, criterion.persona)
