"""
Every part of the canvas that live updates refresh is marked with the name
maps.activity.fragments_of gives it (data-fragment) and the URL that renders
just that part again (data-refresh-url), which static/js/swaps.js fetches.
"""

import pytest

from maps.activity import fragments_of
from maps.demo import seed_maps
from maps.models import JourneyMap
from research.demo import seed_research
from tests.html_forms import first_element, fragment_roots

HTMX = {"HTTP_HX_REQUEST": "true"}

# No view renders these alone; a refresh takes the element with the root's id
# from the page (swaps.js). "actions:" is the row of actions without a stage.
FROM_THE_PAGE = {"grid", "map", "actions:"}


@pytest.fixture
def demo_map(org, alice) -> JourneyMap:
    seed_research(org)
    seed_maps(org, alice)
    journey_map = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    # One action without a stage, so the row of unplaced actions is shown too.
    journey_map.actions.filter(pk=journey_map.actions.first().pk).update(stage=None)
    return journey_map


def _roots(client, journey_map) -> list[dict]:
    response = client.get(journey_map.get_absolute_url())
    assert response.status_code == 200
    return fragment_roots(response.content.decode())


@pytest.mark.parametrize("reader", ["alice_client", "bob_client"])
def test_each_fragment_comes_back_from_its_refresh_url(request, reader, demo_map):
    client = request.getfixturevalue(reader)
    roots = _roots(client, demo_map)
    assert len(roots) > 50
    for root in roots:
        name = root["data-fragment"]
        if name in FROM_THE_PAGE:
            assert "data-refresh-url" not in root
            assert root.get("id"), name
            continue
        response = client.get(root["data-refresh-url"], **HTMX)
        assert response.status_code == 200, name
        answer = first_element(response.content.decode())
        assert answer is not None and answer.get("data-fragment") == name
        assert answer.get("id") == root.get("id"), name


def test_the_names_are_those_the_history_publishes(alice_client, demo_map):
    names = {root["data-fragment"] for root in _roots(alice_client, demo_map)}
    objects = [
        *(("create", "card", card) for card in demo_map.cards.all()),
        *(("update", "stage", stage) for stage in demo_map.stages.all()),
        ("move", "stage", demo_map.stages.first()),
        *(("update", "lane", lane) for lane in demo_map.lanes.filter(hidden=False)),
        *(("update", "action", action) for action in demo_map.actions.all()),
        ("set", "emotion", demo_map.emotions.first()),
        ("update", "map", demo_map),
    ]
    wanted = {name for args in objects for name in fragments_of(*args)}
    assert wanted - names == set()


def test_every_lane_kind_has_its_fragments(alice_client, demo_map):
    kinds = {
        root["data-fragment"].split(":")[0] for root in _roots(alice_client, demo_map)
    }
    assert kinds == {
        "action",
        "actions",
        "card",
        "cell",
        "emotions",
        "evidence",
        "grid",
        "lane",
        "map",
        "stage",
    }
