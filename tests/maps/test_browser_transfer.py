"""Importing a map file in a real Chromium: from the map list to the new map."""

import os

import pytest
from playwright.sync_api import expect

from maps.demo import PODIATRIST, seed_maps
from maps.files.json_format import dumps, export_map
from maps.models import JourneyMap
from research.demo import seed_research

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_import_an_exported_file_from_the_map_list(
    new_context, alice, org, other_org, carol, tmp_path
):
    seed_research(org)
    seed_maps(org, alice)
    exported = tmp_path / "podotherapeut.json"
    exported.write_text(dumps(export_map(JourneyMap.objects.get(title=PODIATRIST))))
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "journeymap.map", "version": 3}')

    page = new_context(carol).new_page()
    page.goto(f"/o/{other_org.slug}/maps/")
    page.get_by_role("link", name="Import a map").click()
    expect(page.get_by_role("heading", name="Import a map")).to_be_visible()

    # A file of a version this installation does not read: nothing happens.
    page.get_by_label("Map file (.json)").set_input_files(broken)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported.")
    expect(page.get_by_role("alert")).to_contain_text("version: 3")
    _shot(page, "import-rejected")
    assert not JourneyMap.objects.filter(organisation=other_org).exists()

    page.get_by_label("Map file (.json)").set_input_files(exported)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name=PODIATRIST)).to_be_visible()
    new = JourneyMap.objects.get(organisation=other_org)
    assert page.url.endswith(new.get_absolute_url())
    expect(page.locator(".message-success")).to_contain_text(
        f"Imported {PODIATRIST} as a new map."
    )
    expect(page.locator(".message-warning")).to_contain_text("is not a member of Other")
    expect(page.get_by_text("Telefoon alleen 's ochtends bereikbaar")).to_be_visible()
    _shot(page, "import-done")
