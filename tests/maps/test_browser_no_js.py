"""The canvas's move buttons in a real Chromium with JavaScript switched off."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from maps.models import Action, Card, LaneKind, map_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_page(browser, live_app):
    """A page without JavaScript, signed in as the given user."""
    contexts = []

    def make(user):
        context = browser.new_context(
            base_url=live_app.url,
            java_script_enabled=False,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie,
                    "url": live_app.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_move_a_card_down_and_a_stage_right_without_js(no_js_page, alice, org):
    trip = map_create_from_template(org, alice, "Podiatrist visit", "five_phases")
    stages = list(trip.stages.all())
    lane = trip.lanes.filter(kind=LaneKind.TEXT).first()
    first, second = (
        Card.objects.create(map=trip, stage=stages[0], lane=lane, text=t, position=i)
        for i, t in enumerate(["Looks for a podiatrist", "Asks a friend"])
    )
    page = no_js_page(alice)
    page.goto(trip.get_absolute_url())
    cell = page.locator(f"#cell-{lane.pk}-{stages[0].pk}")
    expect(cell.locator(".card-text")).to_have_text([first.text, second.text])

    card = page.locator(f"#card-{first.pk}")
    card.hover()  # the tools show on hover or focus
    card.locator("[data-card-edit]").click()  # without JS: the card's own page
    page.locator('[data-move="down"]').click()

    expect(cell.locator(".card-text")).to_have_text([second.text, first.text])
    assert page.url.endswith(trip.get_absolute_url())
    page.get_by_role("button", name=f"Move stage {stages[0].title} right").click()

    heads = page.locator("th[data-stage-id] .stage-title")
    expect(heads.first).to_have_text(stages[1].title)
    assert list(trip.stages.all())[:2] == [stages[1], stages[0]]


def test_move_an_action_down_from_its_page_without_js(no_js_page, alice, org):
    trip = map_create_from_template(org, alice, "Podiatrist visit", "five_phases")
    stage = trip.stages.first()
    first, second = (
        Action.objects.create(map=trip, stage=stage, title=t, position=i)
        for i, t in enumerate(["Call back", "Send a leaflet"])
    )
    page = no_js_page(alice)
    page.goto(trip.get_absolute_url())
    page.get_by_role("link", name=first.title, exact=True).click()
    page.get_by_role("button", name="Move down").click()

    titles = page.locator(f"#actions-{stage.pk} .action-title")
    expect(titles).to_have_text([second.title, first.title])
    assert page.url.endswith(f"#action-{first.pk}")
