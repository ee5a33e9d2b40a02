"""Studies and the findings they produced; findings are what entries, roles
and journey-map cards cite."""

from django.contrib import messages
from django.db import transaction
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
from research.access import get_finding, get_study
from research.evidence import citation_counts, citations_of
from research.forms import FindingForm, StudyForm
from research.models import Finding
from research.pages import confirm_delete, page_context, page_edit


@require_http_methods(["GET", "POST"])
def study_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug, need=Can.EDIT)
    org = access.organisation
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
    return render(request, "research/study_form.html", page_context(access, form=form))


@require_http_methods(["GET", "POST"])
def study_edit(request: HttpRequest, org_slug: str, study_id) -> HttpResponse:
    access = get_access(request, org_slug)
    study = get_study(access, study_id, Can.EDIT)
    form = StudyForm(
        request.POST or None, instance=study, organisation=access.organisation
    )
    return page_edit(
        request,
        form,
        template="research/study_form.html",
        context=page_context(access, study=study),
        fields=[f for f in StudyForm.Meta.fields if f != "questions"],
        m2m=["questions"],
        saved=(_("Study saved."), study),
        gone=(
            _("Someone else deleted this study."),
            reverse("research_overview", args=[org_slug]),
        ),
    )


def _study_context(access, study, finding_form=None) -> dict:
    org = access.organisation
    findings = list(study.findings.prefetch_related("questions"))
    cited = citation_counts(findings)
    for finding in findings:
        finding.n_cited = cited.get(finding.pk, 0)
    return page_context(
        access,
        study=study,
        findings=findings,
        questions=study.questions.all(),
        finding_form=finding_form or FindingForm(organisation=org),
    )


@require_safe
def study_detail(request: HttpRequest, org_slug: str, study_id) -> HttpResponse:
    access = get_access(request, org_slug)
    study = get_study(access, study_id)
    return render(request, "research/study_detail.html", _study_context(access, study))


def _study_delete_consequences(study) -> list[str]:
    """What deleting `study` takes with it: its findings and their citations."""
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
    return consequences


@require_http_methods(["GET", "POST"])
def study_delete(request: HttpRequest, org_slug: str, study_id) -> HttpResponse:
    access = get_access(request, org_slug)
    study = get_study(access, study_id, Can.EDIT)
    if request.method == "POST":
        study.delete()
        messages.success(request, _("Study %(title)s deleted.") % {"title": study})
        return redirect("research_overview", org_slug)
    return confirm_delete(
        request,
        access,
        title=_("Delete study %(title)s?") % {"title": study.title},
        consequences=_study_delete_consequences(study),
        cancel_url=study.get_absolute_url(),
    )


@require_POST
def finding_add(request: HttpRequest, org_slug: str, study_id) -> HttpResponse:
    access = get_access(request, org_slug)
    study = get_study(access, study_id, Can.EDIT)
    form = FindingForm(request.POST, organisation=access.organisation)
    if not form.is_valid():
        ctx = _study_context(access, study, finding_form=form)
        return render(request, "research/study_detail.html", ctx, status=422)
    finding = form.save(commit=False)
    finding.study = study
    with transaction.atomic():
        finding.save()
        form.save_m2m()
    messages.success(request, _("Finding added."))
    return redirect(reverse("study_detail", args=[org_slug, study.pk]) + "#findings")


@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, org_slug: str, finding_id) -> HttpResponse:
    access = get_access(request, org_slug)
    finding = get_finding(access, finding_id, Can.EDIT)
    form = FindingForm(
        request.POST or None, instance=finding, organisation=access.organisation
    )
    return page_edit(
        request,
        form,
        template="research/finding_form.html",
        context=page_context(access, finding=finding),
        fields=["statement", "source", "date"],
        m2m=["questions"],
        saved=(_("Finding saved."), finding.study),
        gone=(_("Someone else deleted this finding."), finding.study),
    )


@require_http_methods(["GET", "POST"])
def finding_delete(request: HttpRequest, org_slug: str, finding_id) -> HttpResponse:
    access = get_access(request, org_slug)
    finding = get_finding(access, finding_id, Can.EDIT)
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
    return confirm_delete(
        request,
        access,
        title=_("Delete this finding?"),
        consequences=consequences,
        cancel_url=finding.study.get_absolute_url(),
    )
