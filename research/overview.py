"""The research overview: open questions first, the studies, and how much of the
personas and DMUs rests on findings."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from journeymap.access import get_access
from research.evidence import evidence_share
from research.models import DMUMember, EmpathyEntry, StudyKind
from research.pages import page_context


@require_safe
def research_overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug)
    org = access.organisation
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
    ctx = page_context(
        access,
        questions=questions,
        quantitative=[s for s in studies if s.kind == StudyKind.QUANTITATIVE],
        qualitative=[s for s in studies if s.kind == StudyKind.QUALITATIVE],
        entry_share=evidence_share(entries),
        role_share=evidence_share(roles),
        persona_count=org.personas.count(),
        dmu_count=org.dmus.count(),
    )
    return render(request, "research/overview.html", ctx)
