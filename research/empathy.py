"""
Views for the research workspace: DMUs, personas, empathy maps, decision
criteria, research questions, studies, findings and the evidence between them.

Small edits (empathy entries, criteria, citations) answer htmx with fragments;
larger forms are ordinary pages. Every view gets its objects from
research.access first thing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from journeymap.access import READ, WRITE, get_membership
from journeymap.editing import (
    Clash,
    clashes,
    conflict_response,
    move,
    posted_version,
    reorder_with_arrival,
    versioned_delete,
    versioned_update,
)
from research.access import (
    get_criterion_for_member,
    get_dmu_for_member,
    get_dmu_member_for_member,
    get_entry_for_member,
    get_finding_for_member,
    get_persona_for_member,
    get_question_for_member,
    get_study_for_member,
)
from research.evidence import (
    EVIDENCE_CHANGED,
    citation_counts,
    citations_of,
    evidence_share,
    evidence_view,
)
from research.forms import (
    QUESTION_STARTERS,
    CriterionForm,
    CriterionWeightForm,
    DMUForm,
    DMUMemberForm,
    EntryAddForm,
    EntryEditForm,
    FindingForm,
    MoveForm,
    PersonaForm,
    QuestionForm,
    ReorderForm,
    StudyForm,
)
from research.models import (
    AREA_PROMPTS,
    DMU,
    DMU_ROLE_HELP,
    Area,
    Awareness,
    DMUMember,
    DMURole,
    EmpathyEntry,
    Finding,
    Persona,
    QuestionStatus,
    ResearchQuestion,
    Study,
    StudyKind,
)

_findings_with_study = Prefetch("findings", Finding.objects.select_related("study"))


def _ctx(membership, **extra) -> dict:
    return {
        "membership": membership,
        "org": membership.organisation,
        "can_edit": membership.can_edit,
        **extra,
    }


def _confirm_delete(request, membership, *, title, consequences, cancel_url):
    ctx = _ctx(
        membership, title=title, consequences=consequences, cancel_url=cancel_url
    )
    return render(request, "confirm_delete.html", ctx)


def _save_versioned(form, obj, fields) -> bool:
    """Write the form's fields to `obj` if nobody saved it meanwhile."""
    values = {name: form.cleaned_data[name] for name in fields}
    saved = versioned_update(
        type(obj).objects.all(), obj.pk, form.cleaned_data["version"], **values
    )
    if saved:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.version = form.cleaned_data["version"] + 1
    return saved


def _page_conflict(form, obj, fields, m2m=()) -> list[Clash]:
    """
    For full-page forms: reload `obj`, list what differs, and let the form be
    sent again against the current version ("overwrite with mine").
    """
    current = type(obj).objects.filter(pk=obj.pk).first()
    if current is None:
        return []
    yours = {name: form.cleaned_data.get(name) for name in fields}
    result = clashes(current, yours, fields)
    for name in m2m:
        theirs = ", ".join(str(o) for o in getattr(current, name).all())
        mine = ", ".join(str(o) for o in form.cleaned_data.get(name) or [])
        if theirs != mine:
            label = str(type(obj)._meta.get_field(name).verbose_name)
            result.append(Clash(label[:1].upper() + label[1:], theirs, mine))
    form.data = form.data.copy()
    form.data["version"] = current.version
    return result


# ---- Overview -------------------------------------------------------------


@require_GET
@login_required
def research_overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = get_membership(request, org_slug, READ)
    org = membership.organisation
    # Open questions first: they are the work still to do.
    questions = (
        org.research_questions.annotate(n_findings=Count("findings", distinct=True))
        .select_related("persona", "dmu")
        .order_by("-status", "created")
    )
    studies = list(
        org.studies.annotate(n_findings=Count("findings")).order_by(
            "-started", "-created"
        )
    )
    entries = EmpathyEntry.objects.filter(persona__organisation=org)
    roles = DMUMember.objects.filter(dmu__organisation=org)
    ctx = _ctx(
        membership,
        questions=questions,
        quantitative=[s for s in studies if s.kind == StudyKind.QUANTITATIVE],
        qualitative=[s for s in studies if s.kind == StudyKind.QUALITATIVE],
        entry_share=evidence_share(entries),
        role_share=evidence_share(roles),
        persona_count=org.personas.count(),
        dmu_count=org.dmus.count(),
    )
    return render(request, "research/overview.html", ctx)


# ---- Personas -------------------------------------------------------------


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


@require_GET
@login_required
def persona_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = get_membership(request, org_slug, READ)
    query = request.GET.get("q", "").strip()[:100]
    personas = _personas_with_share(membership.organisation)
    if query:
        personas = personas.filter(
            Q(name__icontains=query)
            | Q(job__icontains=query)
            | Q(description__icontains=query)
        )
    ctx = _ctx(membership, personas=list(personas), query=query)
    if request.htmx and request.htmx.target == "persona-results":
        return render(request, "research/persona_list.html#results", ctx)
    return render(request, "research/persona_list.html", ctx)


@login_required
def persona_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = get_membership(request, org_slug, WRITE)
    form = PersonaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        persona = form.save(commit=False)
        persona.organisation = membership.organisation
        persona.save()
        messages.success(
            request,
            _("Persona %(name)s created. Now fill in the empathy map.")
            % {"name": persona.name},
        )
        return redirect(persona)
    return render(request, "research/persona_form.html", _ctx(membership, form=form))


@login_required
def persona_edit(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    membership, persona = get_persona_for_member(
        request, org_slug, persona_id, write=True
    )
    form = PersonaForm(request.POST or None, instance=persona)
    clash_rows = None
    if request.method == "POST" and form.is_valid():
        fields = PersonaForm.Meta.fields
        if _save_versioned(form, persona, fields):
            messages.success(request, _("Persona saved."))
            return redirect(persona)
        clash_rows = _page_conflict(form, persona, fields)
        if not clash_rows and not Persona.objects.filter(pk=persona.pk).exists():
            messages.error(request, _("Someone else deleted this persona."))
            return redirect("persona_list", org_slug)
    ctx = _ctx(membership, form=form, persona=persona, clashes=clash_rows)
    status = 409 if clash_rows is not None else 200
    return render(request, "research/persona_form.html", ctx, status=status)


def _persona_detail_context(membership, persona) -> dict:
    entries = persona.empathy_entries.prefetch_related(_findings_with_study)
    by_area = {area: [] for area in Area}
    for entry in entries:
        by_area[entry.area].append(entry)
    return _ctx(
        membership,
        persona=persona,
        areas=[_area(area, by_area[area]) for area in Area],
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


def _area(area, entries) -> dict:
    return {
        "value": area.value,
        "label": area.label,
        "prompt": AREA_PROMPTS[area],
        "entries": entries,
    }


@require_GET
@login_required
def persona_detail(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    membership, persona = get_persona_for_member(request, org_slug, persona_id)
    ctx = _persona_detail_context(membership, persona)
    return render(request, "research/persona_detail.html", ctx)


@require_GET
@login_required
def persona_share(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    membership, persona = get_persona_for_member(request, org_slug, persona_id)
    share = evidence_share(persona.empathy_entries.all())
    ctx = _ctx(membership, persona=persona, share=share)
    return render(request, "research/persona_detail.html#share", ctx)


@login_required
def persona_delete(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    membership, persona = get_persona_for_member(
        request, org_slug, persona_id, write=True
    )
    if request.method == "POST":
        persona.delete()
        messages.success(request, _("Persona %(name)s deleted.") % {"name": persona})
        return redirect("persona_list", org_slug)
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
        consequences.append(
            ngettext(
                "%(n)d research question stays, no longer linked to it.",
                "%(n)d research questions stay, no longer linked to it.",
                n_questions,
            )
            % {"n": n_questions}
        )
    return _confirm_delete(
        request,
        membership,
        title=_("Delete persona %(name)s?") % {"name": persona.name},
        consequences=consequences,
        cancel_url=persona.get_absolute_url(),
    )


# ---- Decision criteria ----------------------------------------------------


def _criteria_fragment(request, membership, persona, form=None, status=200, note=None):
    ctx = _ctx(
        membership,
        persona=persona,
        criteria=list(persona.criteria.all()),
        criterion_form=form or CriterionForm(),
        criteria_note=note,
    )
    return render(request, "research/persona_detail.html#criteria", ctx, status=status)


@require_POST
@login_required
def criterion_add(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    membership, persona = get_persona_for_member(
        request, org_slug, persona_id, write=True
    )
    form = CriterionForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            messages.error(request, _("Choose a criterion and a weight from 1 to 5."))
            return redirect(persona)
        return _criteria_fragment(request, membership, persona, form, status=422)
    criterion = form.save(commit=False)
    criterion.persona = persona
    criterion.save()
    if not request.htmx:
        return redirect(persona)
    return _criteria_fragment(request, membership, persona)


@require_POST
@login_required
def criterion_weight(request: HttpRequest, org_slug: str, criterion_id) -> HttpResponse:
    membership, criterion = get_criterion_for_member(
        request, org_slug, criterion_id, write=True
    )
    form = CriterionWeightForm(request.POST)
    note, status = None, 200
    if not form.is_valid():
        note, status = _("Choose a weight from 1 to 5."), 422
    elif not _save_versioned(form, criterion, ["weight"]):
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
        request, membership, criterion.persona, status=status, note=note
    )


@require_POST
@login_required
def criterion_delete(request: HttpRequest, org_slug: str, criterion_id) -> HttpResponse:
    membership, criterion = get_criterion_for_member(
        request, org_slug, criterion_id, write=True
    )
    criterion.delete()
    if not request.htmx:
        return redirect(criterion.persona)
    return _criteria_fragment(request, membership, criterion.persona)


# ---- Empathy-map entries (the reusable card mechanics, applied) -----------


def _entry_ctx(membership, entry, **extra) -> dict:
    return _ctx(membership, entry=entry, persona=entry.persona, **extra)


def _area_fragment(
    request,
    membership,
    persona,
    area,
    *,
    form=None,
    status=200,
    focus_add=False,
    oob=False,
):
    entries = persona.empathy_entries.filter(area=area).prefetch_related(
        _findings_with_study
    )
    ctx = _ctx(
        membership,
        persona=persona,
        area=_area(Area(area), list(entries)),
        add_form=form,
        focus_add=focus_add or form is not None,
        oob=oob,
    )
    response = render(request, "research/persona_detail.html#area", ctx, status=status)
    response["HX-Trigger"] = EVIDENCE_CHANGED
    return response


def _entry_card(request, membership, entry, status=200):
    entry = (
        EmpathyEntry.objects.select_related("persona")
        .prefetch_related(_findings_with_study)
        .get(pk=entry.pk)
    )
    return render(
        request,
        "research/persona_detail.html#card",
        _entry_ctx(membership, entry),
        status=status,
    )


def _entry_gone(request, membership, entry) -> HttpResponse:
    """The entry was deleted meanwhile: say so, then show the area as it is."""
    return conflict_response(
        request,
        target_id=f"entry-{entry.pk}",
        clashes=[Clash(_("Text"), "", request.POST.get("text", entry.text))],
        keep_url=reverse(
            "persona_detail", args=[membership.organisation.slug, entry.persona_id]
        ),
        overwrite_url="",
        overwrite_values=[],
        current_version=None,
    )


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
@login_required
def entry_add(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    membership, persona = get_persona_for_member(
        request, org_slug, persona_id, write=True
    )
    form = EntryAddForm(request.POST)
    if not form.is_valid():
        area = request.POST.get("area")
        if not request.htmx or area not in Area.values:
            messages.error(request, _("Write something, at most 280 characters."))
            return redirect(persona)
        return _area_fragment(request, membership, persona, area, form=form, status=422)
    entry = form.save(commit=False)
    entry.persona = persona
    entry.position = _next_position(persona, entry.area)
    entry.save()
    if not request.htmx:
        return redirect(persona)
    return _area_fragment(request, membership, persona, entry.area, focus_add=True)


@require_GET
@login_required
def entry_card(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    membership, entry = get_entry_for_member(request, org_slug, entry_id)
    if not request.htmx:
        return redirect(entry.persona)
    return _entry_card(request, membership, entry)


@login_required
def entry_edit(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    write = request.method == "POST"
    membership, entry = get_entry_for_member(request, org_slug, entry_id, write=True)
    if not write:
        form = EntryEditForm(
            initial={"text": entry.text, "area": entry.area, "version": entry.version}
        )
        ctx = _entry_ctx(membership, entry, form=form)
        if request.htmx:
            return render(request, "research/persona_detail.html#card_edit", ctx)
        return render(request, "research/entry_page.html", ctx)

    form = EntryEditForm(request.POST)
    if not form.is_valid():
        ctx = _entry_ctx(membership, entry, form=form)
        partial = "#card_edit" if request.htmx else ""
        template = f"research/persona_detail.html{partial}"
        if not request.htmx:
            template = "research/entry_page.html"
        return render(request, template, ctx, status=422)
    old_area = entry.area
    values = {"text": form.cleaned_data["text"]}
    new_area = form.cleaned_data["area"] or old_area
    if new_area != old_area:
        values.update(area=new_area, position=_next_position(entry.persona, new_area))
    saved = versioned_update(
        EmpathyEntry.objects.all(), entry.pk, form.cleaned_data["version"], **values
    )
    if not saved:
        current = EmpathyEntry.objects.filter(pk=entry.pk).first()
        if current is None:
            return _entry_gone(request, membership, entry)
        rows = [Clash(_("Text"), current.text, values["text"])]
        if new_area != current.area:
            rows.append(
                Clash(_("Area"), current.get_area_display(), Area(new_area).label)
            )
        return conflict_response(
            request,
            target_id=f"entry-{entry.pk}",
            clashes=rows,
            keep_url=reverse("entry_card", args=[org_slug, entry.pk]),
            overwrite_url=reverse("entry_edit", args=[org_slug, entry.pk]),
            overwrite_values=[("text", values["text"]), ("area", new_area)],
            current_version=current.version,
        )
    if not request.htmx:
        return redirect(entry.persona)
    if new_area == old_area:
        return _entry_card(request, membership, entry)
    # Moved: the area it left replaces itself, the area it joined comes out of band.
    response = _area_fragment(request, membership, entry.persona, old_area)
    response["HX-Retarget"] = f"#area-{old_area}"
    response["HX-Reswap"] = "outerHTML"
    joined = _area_fragment(request, membership, entry.persona, new_area, oob=True)
    response.content += joined.content
    return response


@require_POST
@login_required
def entry_move(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    membership, entry = get_entry_for_member(request, org_slug, entry_id, write=True)
    form = MoveForm(request.POST)
    if form.is_valid():
        offset = -1 if form.cleaned_data["direction"] == "up" else 1
        siblings = entry.persona.empathy_entries.filter(area=entry.area)
        move(siblings, entry.pk, offset)
    if not request.htmx:
        return redirect(entry.persona)
    return _area_fragment(request, membership, entry.persona, entry.area)


@require_POST
@login_required
def entry_reorder(request: HttpRequest, org_slug: str, persona_id) -> HttpResponse:
    membership, persona = get_persona_for_member(
        request, org_slug, persona_id, write=True
    )
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
    response = _area_fragment(
        request, membership, persona, area, status=200 if ok else 409
    )
    if came_from is not None:
        # The area it left is refreshed too, out of band.
        source = _area_fragment(request, membership, persona, came_from, oob=True)
        response.content += source.content
    return response


@login_required
def entry_delete(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    membership, entry = get_entry_for_member(request, org_slug, entry_id, write=True)
    n_findings = entry.findings.count()
    if request.method != "POST":
        ctx = _entry_ctx(membership, entry, n_findings=n_findings)
        if request.htmx:
            return render(request, "research/persona_detail.html#card_delete", ctx)
        return render(request, "research/entry_page.html", {**ctx, "deleting": True})
    version = posted_version(request)
    if not versioned_delete(EmpathyEntry.objects.all(), entry.pk, version):
        if not EmpathyEntry.objects.filter(pk=entry.pk).exists():
            # Someone else deleted it first: the outcome is the same.
            return _area_fragment(request, membership, entry.persona, entry.area)
        # Changed since the confirmation was shown: ask again with the new text.
        entry.refresh_from_db()
        ctx = _entry_ctx(membership, entry, n_findings=n_findings, changed=True)
        response = render(
            request, "research/persona_detail.html#card_delete", ctx, status=409
        )
        # The form aimed at the whole area; the question goes back to the card.
        response["HX-Retarget"] = f"#entry-{entry.pk}"
        response["HX-Reswap"] = "outerHTML"
        return response
    if not request.htmx:
        messages.success(request, _("Entry deleted."))
        return redirect(entry.persona)
    return _area_fragment(request, membership, entry.persona, entry.area)


@login_required
def entry_evidence(request: HttpRequest, org_slug: str, entry_id) -> HttpResponse:
    membership, entry = get_entry_for_member(
        request, org_slug, entry_id, write=request.method == "POST"
    )
    return evidence_view(
        request,
        membership,
        entry,
        queryset=EmpathyEntry.objects.all(),
        target_id=f"entry-{entry.pk}",
        action_url=reverse("entry_evidence", args=[org_slug, entry.pk]),
        card_url=reverse("entry_card", args=[org_slug, entry.pk]),
        back_url=entry.persona.get_absolute_url(),
        render_card=lambda: _entry_card(request, membership, entry),
    )


# ---- Decision-Making Units ------------------------------------------------


@require_GET
@login_required
def dmu_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = get_membership(request, org_slug, READ)
    dmus = membership.organisation.dmus.order_by("name").annotate(
        n_members=Count("members", distinct=True),
        n_validated=Count(
            "members", distinct=True, filter=Q(members__findings__isnull=False)
        ),
    )
    return render(request, "research/dmu_list.html", _ctx(membership, dmus=dmus))


@login_required
def dmu_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = get_membership(request, org_slug, WRITE)
    form = DMUForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dmu = form.save(commit=False)
        dmu.organisation = membership.organisation
        dmu.save()
        messages.success(request, _("DMU created. Now add who plays which role in it."))
        return redirect(dmu)
    return render(request, "research/dmu_form.html", _ctx(membership, form=form))


@login_required
def dmu_edit(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    membership, dmu = get_dmu_for_member(request, org_slug, dmu_id, write=True)
    form = DMUForm(request.POST or None, instance=dmu)
    clash_rows = None
    if request.method == "POST" and form.is_valid():
        fields = DMUForm.Meta.fields
        if _save_versioned(form, dmu, fields):
            messages.success(request, _("DMU saved."))
            return redirect(dmu)
        clash_rows = _page_conflict(form, dmu, fields)
        if not DMU.objects.filter(pk=dmu.pk).exists():
            messages.error(request, _("Someone else deleted this DMU."))
            return redirect("dmu_list", org_slug)
    ctx = _ctx(membership, form=form, dmu=dmu, clashes=clash_rows)
    status = 409 if clash_rows is not None else 200
    return render(request, "research/dmu_form.html", ctx, status=status)


@require_GET
@login_required
def dmu_detail(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    membership, dmu = get_dmu_for_member(request, org_slug, dmu_id)
    members = list(
        dmu.members.select_related("persona").prefetch_related(_findings_with_study)
    )
    roles = []
    for role in DMURole:
        in_role = [m for m in members if m.role == role]
        if role == DMURole.OTHER and not in_role:
            continue
        roles.append(
            {
                "value": role.value,
                "label": role.label,
                "help": DMU_ROLE_HELP[role],
                "members": in_role,
                "validated": sum(1 for m in in_role if m.findings.all()),
            }
        )
    ctx = _ctx(
        membership,
        dmu=dmu,
        roles=roles,
        share=evidence_share(dmu.members.all()),
        member_form=DMUMemberForm(organisation=membership.organisation),
        questions=dmu.questions.all(),
    )
    return render(request, "research/dmu_detail.html", ctx)


@login_required
def dmu_delete(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    membership, dmu = get_dmu_for_member(request, org_slug, dmu_id, write=True)
    if request.method == "POST":
        dmu.delete()
        messages.success(request, _("DMU %(name)s deleted.") % {"name": dmu.name})
        return redirect("dmu_list", org_slug)
    n_members = dmu.members.count()
    consequences = [
        ngettext(
            "%(n)d role assignment is deleted with it; the personas stay.",
            "%(n)d role assignments are deleted with it; the personas stay.",
            n_members,
        )
        % {"n": n_members}
    ]
    n_questions = dmu.questions.count()
    if n_questions:
        consequences.append(
            ngettext(
                "%(n)d research question stays, no longer linked to it.",
                "%(n)d research questions stay, no longer linked to it.",
                n_questions,
            )
            % {"n": n_questions}
        )
    return _confirm_delete(
        request,
        membership,
        title=_("Delete DMU %(name)s?") % {"name": dmu.name},
        consequences=consequences,
        cancel_url=dmu.get_absolute_url(),
    )


@require_POST
@login_required
def dmu_member_add(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    membership, dmu = get_dmu_for_member(request, org_slug, dmu_id, write=True)
    form = DMUMemberForm(request.POST, organisation=membership.organisation)
    if form.is_valid():
        member = form.save(commit=False)
        member.dmu = dmu
        member.save()
        messages.success(
            request,
            _("%(role)s added. It counts as an assumption until you cite a finding.")
            % {"role": member.role_label},
        )
        return redirect(dmu)
    ctx = _ctx(membership, form=form, dmu=dmu)
    return render(request, "research/dmu_member_form.html", ctx, status=422)


@login_required
def dmu_member_edit(request: HttpRequest, org_slug: str, dmu_member_id) -> HttpResponse:
    membership, member = get_dmu_member_for_member(
        request, org_slug, dmu_member_id, write=True
    )
    form = DMUMemberForm(
        request.POST or None, instance=member, organisation=membership.organisation
    )
    clash_rows = None
    if request.method == "POST" and form.is_valid():
        fields = DMUMemberForm.Meta.fields
        if _save_versioned(form, member, fields):
            messages.success(request, _("Role saved."))
            return redirect(member.dmu)
        clash_rows = _page_conflict(form, member, fields)
        if not DMUMember.objects.filter(pk=member.pk).exists():
            messages.error(request, _("Someone else removed this role."))
            return redirect(member.dmu)
    ctx = _ctx(membership, form=form, dmu=member.dmu, member=member, clashes=clash_rows)
    status = 409 if clash_rows is not None else 200
    return render(request, "research/dmu_member_form.html", ctx, status=status)


@login_required
def dmu_member_delete(
    request: HttpRequest, org_slug: str, dmu_member_id
) -> HttpResponse:
    membership, member = get_dmu_member_for_member(
        request, org_slug, dmu_member_id, write=True
    )
    if request.method == "POST":
        member.delete()
        messages.success(request, _("Role removed."))
        return redirect(member.dmu)
    consequences = [_("The persona and the findings stay; only this role goes.")]
    return _confirm_delete(
        request,
        membership,
        title=_("Remove %(role)s from %(dmu)s?")
        % {"role": member.role_label, "dmu": member.dmu.name},
        consequences=consequences,
        cancel_url=member.dmu.get_absolute_url(),
    )


@require_GET
@login_required
def dmu_member_card(request: HttpRequest, org_slug: str, dmu_member_id) -> HttpResponse:
    membership, member = get_dmu_member_for_member(request, org_slug, dmu_member_id)
    if not request.htmx:
        return redirect(member.dmu)
    return _dmu_member_card(request, membership, member)


def _dmu_member_card(request, membership, member):
    member = (
        DMUMember.objects.select_related("dmu", "persona")
        .prefetch_related(_findings_with_study)
        .get(pk=member.pk)
    )
    ctx = _ctx(membership, member=member, dmu=member.dmu)
    return render(request, "research/dmu_detail.html#member", ctx)


@login_required
def dmu_member_evidence(
    request: HttpRequest, org_slug: str, dmu_member_id
) -> HttpResponse:
    membership, member = get_dmu_member_for_member(
        request, org_slug, dmu_member_id, write=request.method == "POST"
    )
    return evidence_view(
        request,
        membership,
        member,
        queryset=DMUMember.objects.all(),
        target_id=f"dmu-member-{member.pk}",
        action_url=reverse("dmu_member_evidence", args=[org_slug, member.pk]),
        card_url=reverse("dmu_member_card", args=[org_slug, member.pk]),
        back_url=member.dmu.get_absolute_url(),
        render_card=lambda: _dmu_member_card(request, membership, member),
    )


@require_GET
@login_required
def dmu_share(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    membership, dmu = get_dmu_for_member(request, org_slug, dmu_id)
    ctx = _ctx(membership, dmu=dmu, share=evidence_share(dmu.members.all()))
    return render(request, "research/dmu_detail.html#share", ctx)


# ---- Research questions ---------------------------------------------------


@login_required
def question_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = get_membership(request, org_slug, WRITE)
    org = membership.organisation
    initial = {}
    for key, model in (("persona", Persona), ("dmu", DMU)):
        pk = request.GET.get(key)
        if pk and model.objects.filter(pk=pk, organisation=org).exists():
            initial[key] = pk
    form = QuestionForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.text = form.cleaned_data["text"]
        question.organisation = org
        question.save()
        messages.success(request, _("Question added."))
        if "another" in request.POST:
            return redirect("question_create", org_slug)
        return redirect("research_overview", org_slug)
    ctx = _ctx(membership, form=form, starters=QUESTION_STARTERS)
    return render(request, "research/question_form.html", ctx)


@login_required
def question_detail(request: HttpRequest, org_slug: str, question_id) -> HttpResponse:
    membership, question = get_question_for_member(
        request, org_slug, question_id, write=request.method == "POST"
    )
    org = membership.organisation
    form = QuestionForm(request.POST or None, instance=question, organisation=org)
    clash_rows = None
    if request.method == "POST" and form.is_valid():
        fields = ["text", "persona", "dmu"]
        if _save_versioned(form, question, fields):
            messages.success(request, _("Question saved."))
            return redirect(question)
        clash_rows = _page_conflict(form, question, fields)
    findings = question.findings.select_related("study")
    ctx = _ctx(
        membership,
        question=question,
        form=form,
        findings=findings,
        studies=question.studies.all(),
        clashes=clash_rows,
    )
    status = 409 if clash_rows is not None else 200
    return render(request, "research/question_detail.html", ctx, status=status)


@require_POST
@login_required
def question_status(request: HttpRequest, org_slug: str, question_id) -> HttpResponse:
    membership, question = get_question_for_member(
        request, org_slug, question_id, write=True
    )
    status = request.POST.get("status")
    if status == QuestionStatus.ANSWERED and not question.findings.exists():
        messages.error(
            request,
            _("Add a finding that answers this question before marking it answered."),
        )
    elif status in QuestionStatus.values:
        # Setting a status is idempotent and the edit form never writes it, so
        # it needs no version check (and bumping one would fake a conflict for
        # someone editing the question's text).
        ResearchQuestion.objects.filter(pk=question.pk).update(status=status)
        if status == QuestionStatus.ANSWERED:
            messages.success(request, _("Marked as answered."))
        else:
            messages.success(request, _("Opened again."))
    return redirect(question)


@login_required
def question_delete(request: HttpRequest, org_slug: str, question_id) -> HttpResponse:
    membership, question = get_question_for_member(
        request, org_slug, question_id, write=True
    )
    if request.method == "POST":
        question.delete()
        messages.success(request, _("Question deleted."))
        return redirect("research_overview", org_slug)
    consequences = [
        _("Its findings (%(n)d) and studies (%(s)d) stay, no longer linked to it.")
        % {"n": question.findings.count(), "s": question.studies.count()}
    ]
    return _confirm_delete(
        request,
        membership,
        title=_("Delete this research question?"),
        consequences=consequences,
        cancel_url=question.get_absolute_url(),
    )


# ---- Studies and findings -------------------------------------------------


@login_required
def study_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = get_membership(request, org_slug, WRITE)
    org = membership.organisation
    form = StudyForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        study = form.save(commit=False)
        study.kind = form.cleaned_data["kind"]
        study.organisation = org
        with transaction.atomic():
            study.save()
            form.save_m2m()
        messages.success(request, _("Study added. Now write down what you found."))
        return redirect(study)
    return render(request, "research/study_form.html", _ctx(membership, form=form))


@login_required
def study_edit(request: HttpRequest, org_slug: str, study_id) -> HttpResponse:
    membership, study = get_study_for_member(request, org_slug, study_id, write=True)
    org = membership.organisation
    form = StudyForm(request.POST or None, instance=study, organisation=org)
    clash_rows = None
    if request.method == "POST" and form.is_valid():
        fields = [f for f in StudyForm.Meta.fields if f != "questions"]
        with transaction.atomic():
            saved = _save_versioned(form, study, fields)
            if saved:
                study.questions.set(form.cleaned_data["questions"])
        if saved:
            messages.success(request, _("Study saved."))
            return redirect(study)
        clash_rows = _page_conflict(form, study, fields, m2m=["questions"])
        if not Study.objects.filter(pk=study.pk).exists():
            messages.error(request, _("Someone else deleted this study."))
            return redirect("research_overview", org_slug)
    ctx = _ctx(membership, form=form, study=study, clashes=clash_rows)
    status = 409 if clash_rows is not None else 200
    return render(request, "research/study_form.html", ctx, status=status)


def _study_context(membership, study, finding_form=None) -> dict:
    org = membership.organisation
    findings = list(study.findings.prefetch_related("questions"))
    cited = citation_counts(findings)
    for finding in findings:
        finding.n_cited = cited.get(finding.pk, 0)
    return _ctx(
        membership,
        study=study,
        findings=findings,
        questions=study.questions.all(),
        finding_form=finding_form or FindingForm(organisation=org),
    )


@require_GET
@login_required
def study_detail(request: HttpRequest, org_slug: str, study_id) -> HttpResponse:
    membership, study = get_study_for_member(request, org_slug, study_id)
    return render(
        request, "research/study_detail.html", _study_context(membership, study)
    )


@login_required
def study_delete(request: HttpRequest, org_slug: str, study_id) -> HttpResponse:
    membership, study = get_study_for_member(request, org_slug, study_id, write=True)
    if request.method == "POST":
        study.delete()
        messages.success(request, _("Study %(title)s deleted.") % {"title": study})
        return redirect("research_overview", org_slug)
    findings = study.findings.all()
    n_findings = findings.count()
    consequences = [
        ngettext(
            "%(n)d finding is deleted with it.",
            "%(n)d findings are deleted with it.",
            n_findings,
        )
        % {"n": n_findings},
    ]
    cited = citations_of(findings)
    if cited:
        consequences.append(
            ngettext(
                "%(n)d citation of those findings goes too; what relied only on "
                "it becomes an assumption again.",
                "%(n)d citations of those findings go too; what relied only on "
                "them becomes an assumption again.",
                cited,
            )
            % {"n": cited}
        )
    return _confirm_delete(
        request,
        membership,
        title=_("Delete study %(title)s?") % {"title": study.title},
        consequences=consequences,
        cancel_url=study.get_absolute_url(),
    )


@require_POST
@login_required
def finding_add(request: HttpRequest, org_slug: str, study_id) -> HttpResponse:
    membership, study = get_study_for_member(request, org_slug, study_id, write=True)
    form = FindingForm(request.POST, organisation=membership.organisation)
    if not form.is_valid():
        ctx = _study_context(membership, study, finding_form=form)
        return render(request, "research/study_detail.html", ctx, status=422)
    finding = form.save(commit=False)
    finding.study = study
    with transaction.atomic():
        finding.save()
        form.save_m2m()
    messages.success(request, _("Finding added."))
    return redirect(reverse("study_detail", args=[org_slug, study.pk]) + "#findings")


@login_required
def finding_edit(request: HttpRequest, org_slug: str, finding_id) -> HttpResponse:
    membership, finding = get_finding_for_member(
        request, org_slug, finding_id, write=True
    )
    org = membership.organisation
    form = FindingForm(request.POST or None, instance=finding, organisation=org)
    clash_rows = None
    if request.method == "POST" and form.is_valid():
        fields = ["statement", "source", "date"]
        with transaction.atomic():
            saved = _save_versioned(form, finding, fields)
            if saved:
                finding.questions.set(form.cleaned_data["questions"])
        if saved:
            messages.success(request, _("Finding saved."))
            return redirect(finding.study)
        clash_rows = _page_conflict(form, finding, fields, m2m=["questions"])
        if not Finding.objects.filter(pk=finding.pk).exists():
            messages.error(request, _("Someone else deleted this finding."))
            return redirect(finding.study)
    ctx = _ctx(membership, form=form, finding=finding, clashes=clash_rows)
    status = 409 if clash_rows is not None else 200
    return render(request, "research/finding_form.html", ctx, status=status)


@login_required
def finding_delete(request: HttpRequest, org_slug: str, finding_id) -> HttpResponse:
    membership, finding = get_finding_for_member(
        request, org_slug, finding_id, write=True
    )
    if request.method == "POST":
        finding.delete()
        messages.success(request, _("Finding deleted."))
        return redirect(finding.study)
    cited = citations_of(Finding.objects.filter(pk=finding.pk))
    consequences = [
        ngettext(
            "%(n)d entry or role cites it; it loses this evidence, and becomes an "
            "assumption again if this was its only finding.",
            "%(n)d entries or roles cite it; they lose this evidence, and become "
            "assumptions again if this was their only finding.",
            cited,
        )
        % {"n": cited}
        if cited
        else _("Nothing cites it yet.")
    ]
    return _confirm_delete(
        request,
        membership,
        title=_("Delete this finding?"),
        consequences=consequences,
        cancel_url=finding.study.get_absolute_url(),
    )
