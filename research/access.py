"""
The access chokepoint for research: one helper per object kind, each built on
`journeymap.access.get_membership`. Outsiders and missing objects get 404,
members whose role is too low for a write get 403.
"""

from django.http import HttpRequest

from journeymap.access import get_object_for_member
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


def get_persona_for_member(
    request: HttpRequest, org_slug: str, persona_id, write: bool = False
) -> tuple[Membership, Persona]:
    return get_object_for_member(
        request, org_slug, Persona.objects.all(), persona_id, write, "organisation"
    )


def get_criterion_for_member(
    request: HttpRequest, org_slug: str, criterion_id, write: bool = False
) -> tuple[Membership, DecisionCriterion]:
    qs = DecisionCriterion.objects.select_related("persona")
    return get_object_for_member(
        request, org_slug, qs, criterion_id, write, "persona__organisation"
    )


def get_entry_for_member(
    request: HttpRequest, org_slug: str, entry_id, write: bool = False
) -> tuple[Membership, EmpathyEntry]:
    qs = EmpathyEntry.objects.select_related("persona")
    return get_object_for_member(
        request, org_slug, qs, entry_id, write, "persona__organisation"
    )


def get_dmu_for_member(
    request: HttpRequest, org_slug: str, dmu_id, write: bool = False
) -> tuple[Membership, DMU]:
    return get_object_for_member(
        request, org_slug, DMU.objects.all(), dmu_id, write, "organisation"
    )


def get_dmu_member_for_member(
    request: HttpRequest, org_slug: str, dmu_member_id, write: bool = False
) -> tuple[Membership, DMUMember]:
    qs = DMUMember.objects.select_related("dmu", "persona")
    return get_object_for_member(
        request, org_slug, qs, dmu_member_id, write, "dmu__organisation"
    )


def get_question_for_member(
    request: HttpRequest, org_slug: str, question_id, write: bool = False
) -> tuple[Membership, ResearchQuestion]:
    qs = ResearchQuestion.objects.select_related("persona", "dmu")
    return get_object_for_member(
        request, org_slug, qs, question_id, write, "organisation"
    )


def get_study_for_member(
    request: HttpRequest, org_slug: str, study_id, write: bool = False
) -> tuple[Membership, Study]:
    return get_object_for_member(
        request, org_slug, Study.objects.all(), study_id, write, "organisation"
    )


def get_finding_for_member(
    request: HttpRequest, org_slug: str, finding_id, write: bool = False
) -> tuple[Membership, Finding]:
    qs = Finding.objects.select_related("study")
    return get_object_for_member(
        request, org_slug, qs, finding_id, write, "study__organisation"
    )
