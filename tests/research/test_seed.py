"""The demo research that seed_demo adds."""

from io import StringIO

from django.core.management import call_command

from journeymap.models import Organisation
from research.models import DMU, EmpathyEntry, Finding, Persona, Study


def _counts():
    return [m.objects.count() for m in (DMU, Persona, EmpathyEntry, Study, Finding)]


def test_seed_demo_adds_realistic_research_once(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    demo = Organisation.objects.get(slug="demo")
    dmu = demo.dmus.get()
    assert _counts() == first
    assert dmu.members.count() == 5
    assert demo.personas.count() == 3
    assert {s.kind for s in demo.studies.all()} == {"quant", "qual"}
    assert EmpathyEntry.objects.filter(findings__isnull=False).exists()
    assert EmpathyEntry.objects.filter(findings__isnull=True).exists()
