"""Downloading a map (PDF, JSON, CSV) and the actions board, in a real Chromium."""

import csv
import io
import json

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from maps.demo import seed_maps
from maps.models import JourneyMap
from research.demo import seed_research
from tests.maps.test_pdf import page_size, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_download_the_canvas_as_pdf_from_the_map_page(
    new_context, bob, alice, org, tmp_path
):
    caches["pdf"].clear()
    seed_research(org)
    seed_maps(org, alice)
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    page = new_context(bob).new_page()  # a viewer may download
    page.goto(podiatrist.get_absolute_url())
    page.get_by_role("link", name="Download").click()
    expect(page.get_by_role("heading", name="Canvas as PDF")).to_be_visible()
    page.get_by_label("A4").check()
    page.get_by_label("Findings cited on the map").uncheck()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
        expect(page.locator("[data-pdf-status]")).to_contain_text("Making the PDF")
    download = download_info.value
    assert download.suggested_filename.startswith("bezoek-aan-de-podotherapeut-")
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "canvas.pdf"
    download.save_as(path)
    expect(page.locator("[data-pdf-status]")).to_contain_text("Downloaded:")
    pdf = path.read_bytes()
    assert page_size(pdf) == pytest.approx((841.89, 595.276), abs=0.01)  # A4 landscape
    text = pdf_text(pdf)
    assert "Bezoek aan de podotherapeut" in text
    assert "Findings cited on this map" not in text


def test_bad_options_show_their_message(new_context, alice, org):
    seed_research(org)
    seed_maps(org, alice)
    podiatrist = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    page = new_context(alice).new_page()
    page.goto(podiatrist.get_absolute_url() + "download/")
    for box in page.locator("input[name=lanes]").all():
        box.uncheck()
    page.get_by_role("button", name="Download PDF").click()
    expect(page.get_by_text("Choose at least one lane.")).to_be_visible()
    expect(page.get_by_text("Please check the options below.")).to_be_visible()


def test_download_the_data_as_json_and_csv(new_context, bob, alice, org, tmp_path):
    seed_research(org)
    seed_maps(org, alice)
    office = JourneyMap.objects.get(title__startswith="Inkoop kantoormeubilair")
    page = new_context(bob).new_page()  # a viewer may download
    page.goto(office.get_absolute_url())
    page.get_by_role("link", name="Download").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="The whole map as JSON").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("inkoop-kantoormeubilair-huidige-situatie-")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["map"]["title"] == office.title
    with page.expect_download() as info:
        page.get_by_role("link", name="Touchpoints as CSV").click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text("utf-8-sig"))))
    touchpoints = office.cards.filter(lane__kind="touchpoints")
    assert len(rows) == 1 + touchpoints.count()
    page.get_by_role("link", name="Actions").first.click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text("utf-8-sig"))))
    assert len(rows) > 1
    assert {row[2] for row in rows[1:]} >= set(
        office.actions.values_list("title", flat=True)
    )
