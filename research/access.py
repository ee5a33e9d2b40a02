"""
The access chokepoint for research: one helper per object kind, each built on
`journeymap.access.get_membership`. Outsiders and missing objects get 404,
members whose role is too low for a write get 403.
"""

from django.http import Http404, HttpRequest

from journeymap.access import READ, WRITE, get_membership
from journeymap.models import Membership
from research.models import (
    DMU,
    DecisionCriterion,
    DMUMember,
    EmpathyEntry,
    Finding,
    Persona,
    ResearchQuestion,
    Study,
)


def _get(request, org_slug, queryset, pk, write, org_path):
    membership = get_membership(request, org_slug, WRITE if write else READ)
    obj = queryset.filter(pk=pk, **{org_path: membership.organisation}).first()
    if obj is None:
        raise Http404("Not found")
    # Hand the organisation we already have to the object (and its parent), so
    # get_absolute_url and templates do not fetch it again.
    owner = obj
    for step in org_path.split("__")[:-1]:
        owner = getattr(owner, step)
    owner.organisation = membership.organisation
    return membership, obj


def get_persona_for_member(
    request: HttpRequest, org_slug: str, persona_id, write: bool = False
) -> tuple[Membership, Persona]:
    return _get(
        request, org_slug, Persona.objects.all(), persona_id, write, "organisation"
    )


def get_criterion_for_member(
    request: HttpRequest, org_slug: str, criterion_id, write: bool = False
) -> tuple[Membership, DecisionCriterion]:
    qs = DecisionCriterion.objects.select_related("persona")
    return _get(request, org_slug, qs, criterion_id, write, "persona__organisation")


def get_entry_for_member(
    request: HttpRequest, org_slug: str, entry_id, write: bool = False
) -> tuple[Membership, EmpathyEntry]:
    qs = EmpathyEntry.objects.select_related("persona")
    return _get(request, org_slug, qs, entry_id, write, "persona__organisation")


def get_dmu_for_member(
    request: HttpRequest, org_slug: str, dmu_id, write: bool = False
) -> tuple[Membership, DMU]:
    return _get(request, org_slug, DMU.objects.all(), dmu_id, write, "organisation")


def get_dmu_member_for_member(
    request: HttpRequest, org_slug: str, dmu_member_id, write: bool = False
) -> tuple[Membership, DMUMember]:
    qs = DMUMember.objects.select_related("dmu", "persona")
    return _get(request, org_slug, qs, dmu_member_id, write, "dmu__organisation")


def get_question_for_member(
    request: HttpRequest, org_slug: str, question_id, write: bool = False
) -> tuple[Membership, ResearchQuestion]:
    qs = ResearchQuestion.objects.select_related("persona", "dmu")
    return _get(request, org_slug, qs, question_id, write, "organisation")


def get_study_for_member(
    request: HttpRequest, org_slug: str, study_id, write: bool = False
) -> tuple[Membership, Study]:
    return _get(request, org_slug, Study.objects.all(), study_id, write, "organisation")


def get_finding_for_member(
    request: HttpRequest, org_slug: str, finding_id, write: bool = False
) -> tuple[Membership, Finding]:
    qs = Finding.objects.select_related("study")
    return _get(request, org_slug, qs, finding_id, write, "study__organisation")
