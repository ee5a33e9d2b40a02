"""
The move buttons of the canvas work without JavaScript: each is a real form
post (CSRF token included) that the view answers with a redirect to the map.
The page is read as a browser would read it (tests/html_forms.py) and the
button pressed through a client that checks CSRF tokens. A card's buttons are
on its own page (its edit link on the canvas), and so are an action's: the
canvas gives them to cards and actions with JavaScript only
(static/js/canvas-cards.js, static/js/actions.js).
"""

import pytest
from django.test import Client
from django.urls import reverse

from maps.models import Action, Card, LaneKind, map_create_from_template
from tests.html_forms import submission


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def stages(trip):
    return list(trip.stages.all())


@pytest.fixture
def text_lane(trip):
    return trip.lanes.filter(kind=LaneKind.TEXT).first()


def _browser(user) -> Client:
    """A client like a browser: it must send the CSRF token of the page it read."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _card(journey_map, stage, lane, text):
    position = Card.objects.filter(stage=stage, lane=lane).count()
    return Card.objects.create(
        map=journey_map, stage=stage, lane=lane, text=text, position=position
    )


def _press(client, page_url, action, **data):
    """Read the page, press the button that posts `data` to `action`, follow."""
    page = client.get(page_url)
    assert page.status_code == 200
    pressed = submission(page.content.decode(), action, **data)
    assert pressed.method == "post"
    response = client.post(pressed.action, pressed.data, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.status_code == 200
    return response


def _card_page(org, card) -> str:
    return reverse("card_edit", args=[org.slug, card.pk])


def _texts(stage, lane) -> list[str]:
    cards = Card.objects.filter(stage=stage, lane=lane).order_by("position")
    return list(cards.values_list("text", flat=True))


def test_a_card_moves_down_without_js(dave, org, trip, stages, text_lane):
    first = _card(trip, stages[0], text_lane, "First")
    _card(trip, stages[0], text_lane, "Second")
    url = reverse("card_move", args=[org.slug, first.pk])

    response = _press(_browser(dave), _card_page(org, first), url, direction="down")

    assert response.redirect_chain[-1][0] == trip.get_absolute_url()
    assert _texts(stages[0], text_lane) == ["Second", "First"]


def test_a_card_moves_to_the_next_stage_without_js(dave, org, trip, stages, text_lane):
    card = _card(trip, stages[0], text_lane, "Moving on")
    url = reverse("card_move", args=[org.slug, card.pk])

    _press(_browser(dave), _card_page(org, card), url, direction="right")

    card.refresh_from_db()
    assert card.stage == stages[1]
    assert _texts(stages[0], text_lane) == []


def test_kept_cards_and_heads_work_with_each_readers_token(
    alice, dave, org, trip, stages, text_lane
):
    # alice's page keeps the cards and headers (maps.canvas.kept); dave's page
    # is built from what she left there and his POST must still pass CSRF.
    card = _card(trip, stages[0], text_lane, "Kept")
    _card(trip, stages[0], text_lane, "Below")
    assert _browser(alice).get(trip.get_absolute_url()).status_code == 200
    dave_browser = _browser(dave)
    card_url = reverse("card_move", args=[org.slug, card.pk])
    stage_url = reverse("stage_move", args=[org.slug, trip.pk, stages[1].pk])

    _press(dave_browser, _card_page(org, card), card_url, direction="down")
    _press(dave_browser, trip.get_absolute_url(), stage_url, direction="left")

    assert _texts(stages[0], text_lane) == ["Below", "Kept"]
    assert list(trip.stages.all())[0] == stages[1]


def test_a_card_on_the_canvas_links_to_its_page(dave, org, trip, stages, text_lane):
    card = _card(trip, stages[0], text_lane, "Linked")

    page = _browser(dave).get(trip.get_absolute_url()).content.decode()
    tools = _browser(dave).get(_card_page(org, card)).content.decode()

    assert f'href="{_card_page(org, card)}" data-card-edit' in page
    assert reverse("card_delete", args=[org.slug, card.pk]) in tools


def test_a_stage_moves_right_without_js(dave, org, trip, stages):
    url = reverse("stage_move", args=[org.slug, trip.pk, stages[0].pk])

    _press(_browser(dave), trip.get_absolute_url(), url, direction="right")

    assert list(trip.stages.all())[:2] == [stages[1], stages[0]]


def test_a_lane_moves_down_without_js(dave, org, trip):
    lanes = list(trip.lanes.filter(hidden=False))
    url = reverse("lane_move", args=[org.slug, trip.pk, lanes[0].pk])

    _press(_browser(dave), trip.get_absolute_url(), url, direction="down")

    assert list(trip.lanes.filter(hidden=False))[:2] == [lanes[1], lanes[0]]


def test_an_action_moves_down_without_js(dave, org, trip, stages):
    if not trip.lanes.filter(kind=LaneKind.ACTIONS, hidden=False).exists():
        trip.lanes.create(kind=LaneKind.ACTIONS, title="Actions", position=99)
    first = Action.objects.create(map=trip, stage=stages[0], title="Call", position=0)
    Action.objects.create(map=trip, stage=stages[0], title="Write", position=1)
    url = reverse("action_move", args=[org.slug, trip.pk, first.pk])
    page = reverse("action_edit", args=[org.slug, trip.pk, first.pk])

    response = _press(_browser(dave), page, url, direction="down")

    assert response.redirect_chain[-1][0].startswith(trip.get_absolute_url())
    titles = Action.objects.filter(stage=stages[0]).order_by("position")
    assert list(titles.values_list("title", flat=True)) == ["Write", "Call"]


def test_a_viewer_gets_no_move_buttons(bob, org, trip, stages, text_lane):
    _card(trip, stages[0], text_lane, "Read only")

    body = _browser(bob).get(trip.get_absolute_url()).content.decode()

    assert "data-move" not in body
    assert 'id="canvas-post"' not in body
