"""Decision-Making Units and the roles in them (DMU members), with the
findings each role cites."""

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
from research.access import get_dmu, get_dmu_member
from research.evidence import evidence_share, evidence_view
from research.forms import DMUForm, DMUMemberForm
from research.models import DMU_ROLE_HELP, DMUMember, DMURole
from research.pages import (
    FINDINGS_WITH_STUDY,
    confirm_delete,
    page_context,
    page_edit,
    questions_left,
)


@require_safe
def dmu_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug)
    dmus = access.organisation.dmus.order_by("name").annotate(
        n_members=Count("members", distinct=True),
        n_validated=Count(
            "members", distinct=True, filter=Q(members__findings__isnull=False)
        ),
    )
    return render(request, "research/dmu_list.html", page_context(access, dmus=dmus))


@require_http_methods(["GET", "POST"])
def dmu_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.EDIT)
    form = DMUForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dmu = form.save(commit=False)
        dmu.organisation = access.organisation
        dmu.save()
        messages.success(request, _("DMU created. Now add who plays which role in it."))
        return redirect(dmu)
    return render(request, "research/dmu_form.html", page_context(access, form=form))


@require_http_methods(["GET", "POST"])
def dmu_edit(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    access = get_access(request, org_slug)
    dmu = get_dmu(access, dmu_id, Can.EDIT)
    return page_edit(
        request,
        DMUForm(request.POST or None, instance=dmu),
        template="research/dmu_form.html",
        context=page_context(access, dmu=dmu),
        fields=DMUForm.Meta.fields,
        saved=(_("DMU saved."), dmu),
        gone=(
            _("Someone else deleted this DMU."),
            reverse("dmu_list", args=[org_slug]),
        ),
    )


@require_safe
def dmu_detail(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    access = get_access(request, org_slug)
    dmu = get_dmu(access, dmu_id)
    members = list(
        dmu.members.select_related("persona").prefetch_related(FINDINGS_WITH_STUDY)
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
    ctx = page_context(
        access,
        dmu=dmu,
        roles=roles,
        share=evidence_share(dmu.members.all()),
        member_form=DMUMemberForm(organisation=access.organisation),
        questions=dmu.questions.all(),
    )
    return render(request, "research/dmu_detail.html", ctx)


def _dmu_delete_consequences(dmu) -> list[str]:
    """What deleting `dmu` takes with it, and what it leaves behind."""
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
        consequences.append(questions_left(n_questions))
    return consequences


@require_http_methods(["GET", "POST"])
def dmu_delete(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    access = get_access(request, org_slug)
    dmu = get_dmu(access, dmu_id, Can.EDIT)
    if request.method == "POST":
        dmu.delete()
        messages.success(request, _("DMU %(name)s deleted.") % {"name": dmu.name})
        return redirect("dmu_list", org_slug)
    return confirm_delete(
        request,
        access,
        title=_("Delete DMU %(name)s?") % {"name": dmu.name},
        consequences=_dmu_delete_consequences(dmu),
        cancel_url=dmu.get_absolute_url(),
    )


@require_POST
def dmu_member_add(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    access = get_access(request, org_slug)
    dmu = get_dmu(access, dmu_id, Can.EDIT)
    form = DMUMemberForm(request.POST, organisation=access.organisation)
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
    ctx = page_context(access, form=form, dmu=dmu)
    return render(request, "research/dmu_member_form.html", ctx, status=422)


@require_http_methods(["GET", "POST"])
def dmu_member_edit(request: HttpRequest, org_slug: str, dmu_member_id) -> HttpResponse:
    access = get_access(request, org_slug)
    member = get_dmu_member(access, dmu_member_id, Can.EDIT)
    form = DMUMemberForm(
        request.POST or None, instance=member, organisation=access.organisation
    )
    return page_edit(
        request,
        form,
        template="research/dmu_member_form.html",
        context=page_context(access, dmu=member.dmu, member=member),
        fields=DMUMemberForm.Meta.fields,
        saved=(_("Role saved."), member.dmu),
        gone=(_("Someone else removed this role."), member.dmu),
    )


@require_http_methods(["GET", "POST"])
def dmu_member_delete(
    request: HttpRequest, org_slug: str, dmu_member_id
) -> HttpResponse:
    access = get_access(request, org_slug)
    member = get_dmu_member(access, dmu_member_id, Can.EDIT)
    if request.method == "POST":
        member.delete()
        messages.success(request, _("Role removed."))
        return redirect(member.dmu)
    consequences = [_("The persona and the findings stay; only this role goes.")]
    return confirm_delete(
        request,
        access,
        title=_("Remove %(role)s from %(dmu)s?")
        % {"role": member.role_label, "dmu": member.dmu.name},
        consequences=consequences,
        cancel_url=member.dmu.get_absolute_url(),
    )


@require_safe
def dmu_member_card(request: HttpRequest, org_slug: str, dmu_member_id) -> HttpResponse:
    access = get_access(request, org_slug)
    member = get_dmu_member(access, dmu_member_id)
    if not request.htmx:
        return redirect(member.dmu)
    return _dmu_member_card(request, access, member)


def _dmu_member_card(request, access, member):
    member = (
        DMUMember.objects.select_related("dmu", "persona")
        .prefetch_related(FINDINGS_WITH_STUDY)
        .get(pk=member.pk)
    )
    ctx = page_context(access, member=member, dmu=member.dmu)
    return render(request, "research/dmu_detail.html#member", ctx)


@require_http_methods(["GET", "POST"])
def dmu_member_evidence(
    request: HttpRequest, org_slug: str, dmu_member_id
) -> HttpResponse:
    access = get_access(request, org_slug)
    member = get_dmu_member(
        access, dmu_member_id, Can.EDIT if request.method == "POST" else Can.READ
    )
    return evidence_view(
        request,
        access,
        member,
        queryset=DMUMember.objects.all(),
        target_id=f"dmu-member-{member.pk}",
        action_url=reverse("dmu_member_evidence", args=[org_slug, member.pk]),
        card_url=reverse("dmu_member_card", args=[org_slug, member.pk]),
        back_url=member.dmu.get_absolute_url(),
        render_card=lambda: _dmu_member_card(request, access, member),
    )


@require_safe
def dmu_share(request: HttpRequest, org_slug: str, dmu_id) -> HttpResponse:
    access = get_access(request, org_slug)
    dmu = get_dmu(access, dmu_id)
    ctx = page_context(access, dmu=dmu, share=evidence_share(dmu.members.all()))
    return render(request, "research/dmu_detail.html#share", ctx)
