from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from maps.models import Action, Activity, Card, Emotion, JourneyMap


def _everything():
    return [
        m.objects.count() for m in (JourneyMap, Card, Emotion, Action, Activity)
    ] + [Card.findings.through.objects.count()]


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


def test_the_b2b_map_follows_the_dmu_of_the_research_demo(seeded):
    b2b = JourneyMap.objects.get(title__startswith="Inkoop kantoormeubilair")
    assert sorted(p.name for p in b2b.personas.all()) == [
        "Directeur Dirk",
        "Facilitair Frank",
        "Inkoper Ingrid",
    ]
    assert b2b.dmu is not None
    assert b2b.cards.filter(lane__kind="touchpoints").exclude(channel="").exists()


def test_seeding_twice_changes_nothing(seeded):
    before = _everything()
    call_command("seed_demo", stdout=StringIO())
    assert _everything() == before


def test_every_stage_has_an_emotion_per_persona(seeded):
    for journey_map in JourneyMap.objects.all():
        n_lines = journey_map.personas.count() or 1
        assert journey_map.emotions.count() == journey_map.stages.count() * n_lines


def test_the_podiatrist_curve_dips_at_booking_and_peaks_at_the_consult(seeded):
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    scores = {e.stage.title: e.score for e in podiatrist.emotions.all()}
    assert scores["Afspraak maken"] == -2
    assert scores["Consult"] == 2
    assert all(e.note for e in podiatrist.emotions.all())


def test_actions_have_owners_and_some_are_overdue_or_done(seeded):
    today = date.today()
    for journey_map in JourneyMap.objects.all():
        actions = list(journey_map.actions.all())
        assert len(actions) >= 5
        assert all(a.owner is not None for a in actions)
        assert any(a.is_open and a.due and a.due < today for a in actions)
        assert all(a.evaluation for a in actions if a.status == "done")
        assert any(a.status == "done" for a in actions)


def test_both_maps_have_a_partial_evidence_share(seeded):
    for journey_map in JourneyMap.objects.all():
        cards = journey_map.cards.all()
        cited = cards.filter(findings__isnull=False).distinct().count()
        assert 0 < cited < cards.count()


def test_the_history_panel_of_the_demo_is_not_empty(seeded, client):
    client.force_login(User.objects.get(username="alice"))
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    assert podiatrist.activities.count() >= 5
    body = client.get(f"{podiatrist.get_absolute_url()}history/").content.decode()
    assert "set the feeling in “Afspraak maken”" in body
    assert "Status: In progress" in body and "Status: Done" in body
    # The rename was made by someone who is not a member.
    left = '<span class="history-who is-gone">Someone who has left</span>'
    assert f"{left} renamed the stage “Afspraak” to “Afspraak maken”" in body
    action = "Vergoeding per verzekeraar uitleggen op de website"
    assert f"changed the status of the action “{action}”" in body


def test_an_older_demo_gains_what_it_lacked(seeded):
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    podiatrist.emotions.all().delete()
    podiatrist.actions.all().delete()
    call_command("seed_demo", stdout=StringIO())
    assert podiatrist.emotions.count() == 9
    assert podiatrist.actions.count() == 5


def test_the_demo_map_page_shows_its_cards(seeded, client):
    client.force_login(User.objects.get(username="alice"))
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    body = client.get(podiatrist.get_absolute_url()).content.decode()
    assert "Telefoon alleen" in body
