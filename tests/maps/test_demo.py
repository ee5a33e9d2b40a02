from io import StringIO

import pytest
from django.core.management import call_command

from maps.models import Card, JourneyMap


@pytest.fixture
def seeded(settings, db):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_a_podiatrist_journey(seeded):
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    stages = list(podiatrist.stages.values_list("title", flat=True))
    assert stages[0] == "Bewustwording"
    assert "Aankoop steunzolen" in stages
    assert stages[-1] == "Nacontrole"


def test_the_b2b_map_follows_a_persona_of_the_research_demo(seeded):
    b2b = JourneyMap.objects.get(title__startswith="Inkoop kantoormeubilair")
    assert [p.name for p in b2b.personas.all()] == ["Facilitair Frank"]
    assert b2b.cards.filter(lane__kind="touchpoints").exclude(channel="").exists()


def test_seeding_twice_changes_nothing(seeded):
    before = (JourneyMap.objects.count(), Card.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (JourneyMap.objects.count(), Card.objects.count()) == before


def test_the_demo_map_page_shows_its_cards(seeded, client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="alice"))
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    body = client.get(podiatrist.get_absolute_url()).content.decode()
    assert "Telefoon alleen" in body
