"""
Walk every URL pattern of the project and try it as an outsider, a viewer and an
anonymous visitor. A view added later cannot forget its access check: its URL
shows up here automatically, and the test fails until it behaves.

- carol (member of another organisation): 404 on every organisation URL (a
  method the view does not take gets 405, as for any organisation);
- bob (viewer): 403 (or 405 for GET-only views) on every POST, except the few
  writes a viewer may make to his own membership (VIEWER_MAY_POST);
- anonymous: redirected to sign in on every organisation URL (a POST-only view
  may answer a GET with 405 first).

Each URL parameter needs a sample value from the Demo organisation in SAMPLES.
"""

from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from journeymap.models import Invitation, invitation_create


def _research(org):
    from research.demo import seed_research

    seed_research(org)
    return org


def _demo_map(org):
    from maps.models import JourneyMap, map_create_from_template

    journey_map = JourneyMap.objects.filter(organisation=org).first()
    if journey_map is None:
        owner = org.memberships.get(role="owner").user
        journey_map = map_create_from_template(org, owner, "Demo map", "aida")
    return journey_map


def _demo_card(org):
    from maps.models import Card

    journey_map = _demo_map(org)
    card = journey_map.cards.first()
    if card is None:
        card = Card.objects.create(
            map=journey_map,
            stage=journey_map.stages.first(),
            lane=journey_map.lanes.first(),
            text="Demo card",
        )
    return card


def _demo_emotion(org):
    from maps.models import Emotion

    journey_map = _demo_map(org)
    stage = journey_map.stages.first()
    emotion, _ = Emotion.objects.get_or_create(
        map=journey_map, stage=stage, persona=None, defaults={"score": 0}
    )
    return emotion


def _demo_action(org):
    from maps.models import Action

    journey_map = _demo_map(org)
    action = journey_map.actions.first()
    if action is None:
        action = Action.objects.create(
            map=journey_map, stage=journey_map.stages.first(), title="Demo action"
        )
    return action


# URL kwarg name → function(org) returning a value that exists in that org.
SAMPLES: dict[str, Callable] = {
    "org_slug": lambda org: org.slug,
    "membership_id": lambda org: org.memberships.get(user__username="dave").pk,
    "invitation_id": lambda org: Invitation.objects.filter(organisation=org).first().pk,
    # Research: the demo research (seeded once, idempotent) supplies the objects.
    "persona_id": lambda org: _research(org).personas.first().pk,
    "criterion_id": lambda org: _research(org).personas.first().criteria.first().pk,
    "entry_id": lambda org: _research(org).personas.first().empathy_entries.first().pk,
    "dmu_id": lambda org: _research(org).dmus.first().pk,
    "dmu_member_id": lambda org: _research(org).dmus.first().members.first().pk,
    "question_id": lambda org: _research(org).research_questions.first().pk,
    "study_id": lambda org: _research(org).studies.first().pk,
    "finding_id": lambda org: _research(org).studies.first().findings.first().pk,
    # Maps: one demo map, made on first use.
    "map_id": lambda org: _demo_map(org).pk,
    "stage_id": lambda org: _demo_map(org).stages.first().pk,
    "lane_id": lambda org: _demo_map(org).lanes.first().pk,
    "card_id": lambda org: _demo_card(org).pk,
    "emotion_id": lambda org: _demo_emotion(org).pk,
    "action_id": lambda org: _demo_action(org).pk,
}

# Organisation URLs a viewer may POST to: things about himself, not the team's work.
VIEWER_MAY_POST = {"org_leave"}

# URLs outside /o/<slug>/ and what they are; a new one must be added here on purpose.
PUBLIC_OR_ACCOUNT = {
    "home",
    "healthz",
    "signup",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "org_create",
    "invitation",
    "invitation_accept",
    "set_language",
}


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, route)
        else:
            yield route, entry


def _project_patterns() -> list[tuple[str, URLPattern]]:
    return [
        (route, p)
        for route, p in _walk(get_resolver())
        if not route.startswith("admin/")
    ]


def org_patterns() -> list[tuple[str, URLPattern]]:
    return [(r, p) for r, p in _project_patterns() if r.startswith("o/<")]


def _fill(route: str, org) -> str:
    """Turn 'o/<slug:org_slug>/members/<uuid:membership_id>/' into a real path."""
    path = route
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        name = path[start + 1 : end].split(":")[-1]
        if name not in SAMPLES:
            pytest.fail(f"Add a sample value for URL parameter {name!r} to SAMPLES")
        path = path[:start] + str(SAMPLES[name](org)) + path[end + 1 :]
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def demo_objects(org, alice):
    invitation_create(org, "erin@example.com", "editor", alice)
    return org


def test_every_non_organisation_url_is_known():
    names = {p.name for r, p in _project_patterns() if not r.startswith("o/<")}
    assert names - PUBLIC_OR_ACCOUNT == set()


def test_there_are_organisation_urls_to_walk():
    assert len(org_patterns()) >= 8


@pytest.mark.parametrize(("route", "pattern"), org_patterns(), ids=lambda v: str(v))
def test_outsiders_get_404(route, pattern, demo_objects, carol_client):
    path = _fill(route, demo_objects)
    # A view answers a method it does not take with 405 before anything else;
    # it says the same for an organisation that does not exist, so nothing leaks.
    codes = {carol_client.get(path).status_code, carol_client.post(path).status_code}
    assert 404 in codes
    assert codes <= {404, 405}


@pytest.mark.parametrize(("route", "pattern"), org_patterns(), ids=lambda v: str(v))
def test_viewers_cannot_write(route, pattern, demo_objects, bob_client):
    if pattern.name in VIEWER_MAY_POST:
        pytest.skip("a viewer may do this to his own membership")
    path = _fill(route, demo_objects)
    assert bob_client.post(path).status_code in (403, 405)


@pytest.mark.parametrize(("route", "pattern"), org_patterns(), ids=lambda v: str(v))
def test_anonymous_visitors_are_sent_to_sign_in(route, pattern, demo_objects, client):
    path = _fill(route, demo_objects)
    answers = [client.get(path), client.post(path)]
    # A POST-only view answers a GET with 405 before it asks who you are.
    redirects = [r for r in answers if r.status_code != 405]
    assert redirects
    for response in redirects:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
