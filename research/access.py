"""
The access chokepoint for research: one lookup per object kind, each taking
the request's Access (`journeymap.access.get_access`) and built on
`journeymap.access.get_object`. Missing objects and other organisations'
objects get 404; an access without `need` gets 403.
"""

from journeymap.access import Access, Can, get_object
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


def get_persona(access: Access, persona_id, need: str = Can.READ) -> Persona:
    return get_object(access, Persona.objects.all(), persona_id, need)


def get_criterion(
    access: Access, criterion_id, need: str = Can.READ
) -> DecisionCriterion:
    qs = DecisionCriterion.objects.select_related("persona")
    return get_object(access, qs, criterion_id, need, "persona__organisation")


def get_entry(access: Access, entry_id, need: str = Can.READ) -> EmpathyEntry:
    qs = EmpathyEntry.objects.select_related("persona")
    return get_object(access, qs, entry_id, need, "persona__organisation")


def get_dmu(access: Access, dmu_id, need: str = Can.READ) -> DMU:
    return get_object(access, DMU.objects.all(), dmu_id, need)


def get_dmu_member(access: Access, dmu_member_id, need: str = Can.READ) -> DMUMember:
    qs = DMUMember.objects.select_related("dmu", "persona")
    return get_object(access, qs, dmu_member_id, need, "dmu__organisation")


def get_question(access: Access, question_id, need: str = Can.READ) -> ResearchQuestion:
    qs = ResearchQuestion.objects.select_related("persona", "dmu")
    return get_object(access, qs, question_id, need)


def get_study(access: Access, study_id, need: str = Can.READ) -> Study:
    return get_object(access, Study.objects.all(), study_id, need)


def get_finding(access: Access, finding_id, need: str = Can.READ) -> Finding:
    qs = Finding.objects.select_related("study")
    return get_object(access, qs, finding_id, need, "study__organisation")
