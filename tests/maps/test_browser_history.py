"""The history panel in a real Chromium: open it from the canvas, filter, close."""

import os

import pytest
from playwright.sync_api import expect

from maps.activity import change
from maps.demo import seed_maps
from maps.models import JourneyMap, Stage, record
from research.demo import seed_research

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


def test_open_the_history_beside_the_canvas_and_filter_it(
    new_context, alice, dave, org
):
    seed_research(org)
    seed_maps(org, alice)
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    stage = Stage.objects.get(map=podiatrist, title="Consult")
    renamed = change("title", "Consult", "Het consult")
    record(podiatrist, dave, "update", stage, changes=[renamed])
    record(podiatrist, dave, "create", stage, label="<b>Nacontrole</b>")

    page = new_context(alice).new_page()
    page.goto(podiatrist.get_absolute_url())
    button = page.get_by_role("link", name="History", exact=True)
    button.click()
    panel = page.get_by_role("complementary", name="History", exact=True)
    expect(panel).to_be_visible()
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(panel.locator(".history-entry").first).to_contain_text("dave")
    expect(panel).to_contain_text("dave renamed the stage “Consult” to “Het consult”")
    expect(panel).to_contain_text("<b>Nacontrole</b>")  # shown as text
    expect(panel).to_contain_text("Someone who has left")
    assert page.url.endswith(f"/maps/{podiatrist.pk}/")  # still on the canvas
    _shot(page, "history-panel")

    panel.get_by_label("Who").select_option(label="dave")
    expect(panel.locator(".history-entry")).to_have_count(2)
    expect(panel).not_to_contain_text("set the feeling")
    _shot(page, "history-filtered")

    panel.get_by_role("link", name="Show everything").click()
    expect(panel).to_contain_text("set the feeling")
    panel.get_by_role("link", name="Last 24 hours").click()
    expect(panel.get_by_role("link", name="Last 24 hours")).to_have_attribute(
        "aria-current", "true"
    )
    expect(panel).to_contain_text("renamed the stage")
    expect(panel).not_to_contain_text("created the map")

    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    # Keyboard only: Enter opens it again, the Close button shuts it.
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    panel.get_by_role("link", name="Close history").click()
    expect(panel).to_have_count(0)


def test_the_history_page_works_without_the_canvas(new_context, bob, alice, org):
    seed_research(org)
    seed_maps(org, alice)
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    page = new_context(bob).new_page()  # a viewer may read the history
    page.goto(f"{podiatrist.get_absolute_url()}history/?since=yesterday")
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of")
    expect(page.get_by_role("status")).to_contain_text("Ignored the filter")
    expect(page.locator(".history-entry").first).to_be_visible()
    _shot(page, "history-page")
    page.get_by_role("link", name="Back to the map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(podiatrist.title)
