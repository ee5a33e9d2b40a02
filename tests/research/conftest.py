"""Research fixtures: the demo research seeded into the cast's Demo organisation."""

import pytest

from research.demo import seed_research
from research.models import DMU, EmpathyEntry, Finding, Persona


@pytest.fixture
def seeded(org):
    seed_research(org)
    return org


@pytest.fixture
def frank(seeded) -> Persona:
    return Persona.objects.get(organisation=seeded, name="Facilitair Frank")


@pytest.fixture
def entry(frank) -> EmpathyEntry:
    return frank.empathy_entries.get(area="thinks")


@pytest.fixture
def dmu(seeded) -> DMU:
    return seeded.dmus.get()


@pytest.fixture
def finding(seeded) -> Finding:
    return Finding.objects.filter(study__organisation=seeded).order_by("statement")[0]
