"""The overview in a real Chromium: its recent maps and changes follow live."""

import pytest
from playwright.sync_api import expect

from maps.models import LaneKind, map_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_overview_follows_a_card_added_on_a_map(new_context, alice, dave, org):
    trip = map_create_from_template(org, alice, "Podiatrist visit", "five_phases")
    lane = trip.lanes.filter(kind=LaneKind.TEXT).first()
    stage = trip.stages.first()
    overview = new_context(dave).new_page()
    overview.goto(f"/o/{org.slug}/")
    expect(overview.locator("#live-bar")).to_have_attribute("data-state", "live")
    overview.evaluate("() => { window.notReloaded = true; }")
    maps = overview.locator("#overview-maps")
    expect(maps).to_contain_text("No cards yet")

    canvas = new_context(alice).new_page()
    canvas.goto(trip.get_absolute_url())
    cell = canvas.locator(f"#cell-{lane.pk}-{stage.pk}")
    cell.hover()
    cell.get_by_text("Add").first.click()
    cell.get_by_label("New card for").fill("Phones at nine")
    cell.get_by_label("New card for").press("Enter")

    expect(maps).to_contain_text("0 of 1 card")
    expect(overview.locator("#overview-changes")).to_contain_text(
        "alice added the card “Phones at nine”"
    )
    assert overview.evaluate("() => window.notReloaded === true")
    overview.screenshot(path="/tmp/overview-live.png", full_page=True)
