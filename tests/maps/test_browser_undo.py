"""
Splitting a stage, checkpoints, Undo and Restore in a real Chromium: the
history panel over the canvas, and the canvas following what it does.
"""

import os

import pytest
from django.test import Client
from playwright.sync_api import expect

from maps.models import Card, Checkpoint, map_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def trip(org, alice):
    journey_map = map_create_from_template(
        org, alice, "Podiatrist visit", "five_phases"
    )
    stage = journey_map.stages.get(title="Consideration")
    for lane_title, texts in (
        ("Actions", ["Reads reviews", "Compares prices"]),
        ("Touchpoints", ["Calls the practice", "Website"]),
    ):
        lane = journey_map.lanes.get(title=lane_title)
        for i, text in enumerate(texts):
            Card.objects.create(
                map=journey_map, stage=stage, lane=lane, text=text, position=i
            )
    return journey_map


def _as(user) -> Client:
    """Another tab of the same person: changes made through the views, over HTTP."""
    client = Client()
    client.force_login(user)
    return client


def _open_history(page):
    page.get_by_role("link", name="History", exact=True).click()
    panel = page.get_by_role("complementary", name="History", exact=True)
    expect(panel).to_be_visible()
    return panel


def test_split_a_stage_choosing_its_cards(new_context, alice, trip):
    stage = trip.stages.get(title="Consideration")
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    # From the canvas: Enter on the focused stage header opens its tools as a menu.
    page.locator(f"#stage-{stage.pk}").focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("menu", name="Consideration")
    menu.get_by_role("menuitem", name="Split stage Consideration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Split stage Consideration"
    )
    name = page.get_by_label("Name of the new stage")
    expect(name).to_have_value("Consideration (2)")
    name.fill("Comparison")
    page.get_by_label("Compares prices").check()
    page.get_by_label("Website").check()
    _shot(page, "stage-split")
    page.get_by_role("button", name="Split the stage").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(trip.title)
    heads = page.locator(".stage-title")
    expect(heads.nth(2)).to_contain_text("Comparison")
    right = trip.stages.get(title="Comparison")
    assert sorted(right.cards.values_list("text", flat=True)) == [
        "Compares prices",
        "Website",
    ]
    panel = _open_history(page)
    expect(panel.locator(".history-entry").first).to_contain_text(
        "alice split the stage “Consideration” into “Consideration” and "
        "“Comparison”, 2 cards moved"
    )


def test_mark_a_checkpoint_and_filter_since_it(new_context, alice, trip):
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    panel = _open_history(page)
    panel.get_by_text("Checkpoints", exact=True).click()
    panel.get_by_label("Mark a checkpoint").fill("Workshop 12 March")
    panel.get_by_role("button", name="Mark").click()
    expect(panel.get_by_role("status")).to_contain_text(
        "Checkpoint “Workshop 12 March” marked"
    )
    assert Checkpoint.objects.get().title == "Workshop 12 March"

    # A stage is renamed after the workshop (in another tab).
    stage = trip.stages.get(title="Purchase")
    url = f"/o/demo/maps/{trip.pk}/stages/{stage.pk}/edit/"
    _as(alice).post(url, {"title": "Booking", "version": stage.version})
    page.keyboard.press("Escape")
    page.reload()
    panel = _open_history(page)
    panel.get_by_role("link", name="Since “Workshop 12 March”").click()
    expect(panel).to_contain_text("Showing changes since the checkpoint")
    expect(panel.locator(".history-entry")).to_have_count(1)
    expect(panel.locator(".history-entry")).to_contain_text(
        "renamed the stage “Purchase” to “Booking”"
    )
    _shot(page, "history-checkpoint")
    panel.get_by_label("Since checkpoint").select_option(label="—")
    expect(panel.locator(".history-entry")).to_have_count(3)


def test_undo_an_edit_from_the_history(new_context, alice, trip):
    card = Card.objects.get(text="Website")
    url = f"/o/demo/maps/cards/{card.pk}/edit/"
    _as(alice).post(url, {"text": "Website with prices", "version": card.version})
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    expect(page.locator(f"#card-{card.pk}")).to_contain_text("Website with prices")

    panel = _open_history(page)
    expect(panel.locator(".history-entry").first).to_contain_text("edited the card")
    _shot(page, "history-undo")
    panel.get_by_role("button", name="Undo my latest change").click()
    expect(panel.get_by_role("status")).to_contain_text(
        "alice undid: alice edited the card"
    )
    # The canvas follows, through the live stream.
    expect(page.locator(f"#card-{card.pk} p").first).to_have_text("Website")
    assert Card.objects.get(pk=card.pk).text == "Website"
    # The panel already showed that change: the live news leaves it (and its
    # line saying what was undone) as it is.
    expect(panel.get_by_role("status")).to_contain_text("alice undid")
    expect(panel.get_by_role("button", name="Undo my latest change")).to_have_count(0)


def test_restore_a_deleted_card_from_the_history(new_context, alice, dave, trip):
    card = Card.objects.get(text="Reads reviews")
    url = f"/o/demo/maps/cards/{card.pk}/delete/"
    _as(dave).post(url, {"version": card.version})
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    expect(page.locator(f"#card-{card.pk}")).to_have_count(0)

    panel = _open_history(page)
    expect(panel.locator(".history-entry").first).to_contain_text(
        "dave deleted the card “Reads reviews”"
    )
    _shot(page, "history-restore")
    panel.get_by_role("button", name="Restore “Reads reviews”").click()
    expect(panel.get_by_role("status")).to_contain_text(
        "The card “Reads reviews” is back."
    )
    expect(page.locator(f"#card-{card.pk}")).to_contain_text("Reads reviews")
    expect(panel.get_by_role("button", name="Restore “Reads reviews”")).to_have_count(0)
