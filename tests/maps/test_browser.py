"""The maps flows in a real Chromium (see tests/conftest.py)."""

import os

import pytest
from playwright.sync_api import expect

from maps.models import JourneyMap
from research.demo import seed_research

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_create_a_map_from_a_template(new_context, alice, org):
    seed_research(org)
    page = new_context(alice).new_page()
    page.goto("/o/demo/maps/")
    _shot(page, "maps-empty")
    page.get_by_role("link", name="Create the first map").click()
    page.get_by_label("Title").fill("Support journey")
    page.get_by_label("Service blueprint").check()
    page.get_by_label("Facilitair Frank").check()
    _shot(page, "maps-form")
    page.get_by_role("button", name="Create map").click()
    page.get_by_role("heading", name="Support journey").wait_for()
    expect(page.get_by_role("columnheader", name="Talks to support")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Backstage actions")).to_be_visible()
    _shot(page, "maps-detail")
    journey_map = JourneyMap.objects.get()
    assert journey_map.type == "blueprint"

    page.get_by_role("link", name="Maps", exact=True).click()
    expect(page.get_by_role("link", name="Support journey")).to_be_visible()
    expect(page.locator(".map-persona", has_text="Facilitair Frank")).to_be_visible()
    _shot(page, "maps-list")


def test_a_wide_map_scrolls_inside_its_canvas_not_the_page(new_context, alice, org):
    from maps.demo import seed_maps

    seed_research(org)
    seed_maps(org, alice)
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    page = new_context(alice).new_page()
    page.goto(podiatrist.get_absolute_url())
    expect(page.get_by_role("region", name="Journey map canvas")).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('.canvas-scroll').scrollWidth]"
    )
    page_width, viewport, canvas_width = widths
    assert page_width <= viewport
    assert canvas_width > viewport  # nine stages: the canvas itself scrolls
