"""
static/js/swaps.js in a real Chromium: a fragment fetched again while you edit
waits until you are done, your own answers still swap, and focus survives.

Someone else's change is made in the database by the test, then the page is
told to fetch the fragment again, as the live updates will.
"""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from maps.models import Card, LaneKind, Stage, map_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")

HINT_EN = "Updated by someone else — will refresh when you finish."
HINT_NL = "Bijgewerkt door iemand anders — wordt ververst zodra je klaar bent."

# Resolves once htmx has settled the swap and swaps.js has put the focus back.
REFRESH = """([selector, url]) => new Promise((resolve) => {
  const done = () => setTimeout(resolve, 0);
  document.addEventListener("htmx:afterSettle", done, {once: true});
  Journeymap.swaps.refresh(selector, url ? {url} : null);
})"""


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def lane(trip):
    return trip.lanes.filter(kind=LaneKind.TEXT).first()


@pytest.fixture
def stages(trip):
    return list(trip.stages.all())


def _cell_id(lane, stage) -> str:
    return f"#cell-{lane.pk}-{stage.pk}"


def _cell_url(org, trip, lane, stage) -> str:
    return reverse("card_cell", args=[org.slug, trip.pk, stage.pk, lane.pk])


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def _refresh(page, selector, url=None):
    page.evaluate(REFRESH, [selector, url])


def _edit(page, card, typed=" (mine)"):
    """Open the card's edit form and type into it without saving."""
    item = page.locator(f"#card-{card.pk}")
    item.hover()
    item.get_by_role("link", name="Edit").click()
    field = page.get_by_label("Card text")
    expect(field).to_be_focused()
    field.press("End")
    page.keyboard.type(typed)
    return field


def test_a_refresh_of_the_cell_you_edit_waits_until_you_are_done(
    new_context, alice, org, trip, lane, stages
):
    card = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Shared")
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    field = _edit(page, card)
    Card.objects.create(
        map=trip, stage=stages[0], lane=lane, text="Added by dave", position=1
    )

    cell = page.locator(_cell_id(lane, stages[0]))
    _refresh(page, _cell_id(lane, stages[0]), _cell_url(org, trip, lane, stages[0]))
    expect(cell).to_have_attribute("data-stale", "")
    expect(cell.locator("[data-stale-hint]")).to_have_text(HINT_EN)
    expect(field).to_have_value("Shared (mine)")
    expect(field).to_be_focused()
    expect(cell).not_to_contain_text("Added by dave")
    _shot(page, "swaps-stale")

    # Escape closes the form; then the cell shows the other person's card.
    page.keyboard.press("Escape")
    expect(cell.locator(".card-text")).to_have_text(["Shared", "Added by dave"])
    expect(page.locator("[data-stale], [data-stale-hint]")).to_have_count(0)
    expect(page.locator(f"#card-{card.pk}")).to_be_focused()


def test_a_refresh_of_another_cell_applies_at_once(
    new_context, alice, org, trip, lane, stages
):
    card = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Mine")
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    field = _edit(page, card)
    Card.objects.create(map=trip, stage=stages[1], lane=lane, text="Elsewhere")

    # No URL: swaps.js fetches this page again and takes the cell from it.
    other = page.locator(_cell_id(lane, stages[1]))
    _refresh(page, _cell_id(lane, stages[1]))
    expect(other.locator(".card-text")).to_have_text(["Elsewhere"])
    expect(page.locator("[data-stale]")).to_have_count(0)
    expect(field).to_have_value("Mine (mine)")
    expect(field).to_be_focused()

    # A fragment with [autofocus] (the cell with its add form open) does not
    # take the focus away from the field you are typing in.
    _refresh(
        page,
        _cell_id(lane, stages[1]),
        _cell_url(org, trip, lane, stages[1]) + "?add",
    )
    expect(other.get_by_label("New card for")).to_be_visible()
    expect(field).to_be_focused()
    page.keyboard.type("!")
    expect(field).to_have_value("Mine (mine)!")


def test_saving_your_own_form_still_swaps(new_context, alice, org, trip, lane, stages):
    card = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Shared")
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    field = _edit(page, card)
    Card.objects.create(
        map=trip, stage=stages[0], lane=lane, text="Added by dave", position=1
    )
    cell = page.locator(_cell_id(lane, stages[0]))
    _refresh(page, _cell_id(lane, stages[0]), _cell_url(org, trip, lane, stages[0]))
    expect(cell).to_have_attribute("data-stale", "")

    # The save answers with the card: that swap is yours, so it goes in; then
    # the held-back cell is fetched again.
    field.press("Enter")
    expect(cell.locator(".card-text")).to_have_text(["Shared (mine)", "Added by dave"])
    expect(page.locator("[data-stale]")).to_have_count(0)
    expect(page.get_by_label("Card text")).to_have_count(0)
    expect(page.locator(f"#card-{card.pk}")).to_be_focused()
    card.refresh_from_db()
    assert card.text == "Shared (mine)"


def test_focus_survives_a_swap_that_replaces_the_focused_card(
    new_context, alice, org, trip, lane, stages
):
    card = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="First")
    Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Second", position=1)
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    selector, url = _cell_id(lane, stages[0]), _cell_url(org, trip, lane, stages[0])
    item = page.locator(f"#card-{card.pk}")

    # The focused card itself: the new one with the same id gets the focus.
    item.focus()
    Card.objects.filter(pk=card.pk).update(text="Renamed by dave")
    _refresh(page, selector, url)
    expect(item.locator(".card-text")).to_have_text("Renamed by dave")
    expect(item).to_be_focused()

    # A control without an id: the same control of the same card.
    item.locator('[data-move="down"]').focus()
    Card.objects.filter(pk=card.pk).update(text="Renamed again")
    _refresh(page, selector, url)
    expect(item.locator(".card-text")).to_have_text("Renamed again")
    expect(item.locator('[data-move="down"]')).to_be_focused()


def test_an_out_of_band_part_you_are_editing_waits_too(
    new_context, alice, org, trip, lane, stages
):
    moving = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Moving")
    edited = Card.objects.create(map=trip, stage=stages[1], lane=lane, text="Edited")
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    field = _edit(page, edited)

    # A move to the next stage answers with both cells, the second out of band.
    page.locator(f"#card-{moving.pk}").hover()  # its tools come with the pointer
    page.evaluate(
        """([source, target]) => new Promise((resolve) => {
          const done = () => setTimeout(resolve, 0);
          document.addEventListener("htmx:afterSettle", done, {once: true});
          const url = document.querySelector(source).getAttribute("hx-post");
          const values = {direction: "right"};
          htmx.ajax("POST", url, {source, target, swap: "outerHTML", values});
        })""",
        [f'#card-{moving.pk} [data-move="right"]', _cell_id(lane, stages[0])],
    )
    first = page.locator(_cell_id(lane, stages[0]))
    second = page.locator(_cell_id(lane, stages[1]))
    expect(first.locator("[data-card]")).to_have_count(0)
    expect(second).to_have_attribute("data-stale", "")
    expect(second).not_to_contain_text("Moving")
    expect(field).to_have_value("Edited (mine)")
    expect(field).to_be_focused()
    moving.refresh_from_db()
    assert moving.stage_id == stages[1].pk

    page.keyboard.press("Escape")
    expect(second.locator(".card-text")).to_have_text(["Edited", "Moving"])
    expect(page.locator("[data-stale]")).to_have_count(0)


def test_a_conflict_waits_for_your_choice(new_context, alice, org, trip, lane, stages):
    card = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Shared")
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    field = _edit(page, card)
    Card.objects.filter(pk=card.pk).update(text="Dave's", version=card.version + 1)
    field.press("Enter")
    conflict = page.locator(f"#card-{card.pk}")
    expect(conflict).to_contain_text("Someone else changed this")

    # Nothing has the focus in a field now, but the conflict is yours to settle.
    Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Later", position=1)
    cell = page.locator(_cell_id(lane, stages[0]))
    _refresh(page, _cell_id(lane, stages[0]), _cell_url(org, trip, lane, stages[0]))
    expect(cell).to_have_attribute("data-stale", "")
    expect(conflict).to_contain_text("Shared (mine)")

    conflict.get_by_role("link", name="Keep theirs").click()
    expect(cell.locator(".card-text")).to_have_text(["Dave's", "Later"])
    expect(page.locator("[data-stale]")).to_have_count(0)


def test_a_refresh_keeps_the_canvas_scrolled(new_context, alice, trip, stages):
    page = new_context(alice).new_page()
    # At 100% (not the default "fit width"), so the canvas scrolls sideways.
    page.add_init_script("localStorage.setItem('journeymap.canvas.zoom', '1')")
    page.set_viewport_size({"width": 800, "height": 800})
    page.goto(trip.get_absolute_url())
    left = page.evaluate(
        "() => { const c = document.getElementById('canvas');"
        " c.scrollLeft = 300; return c.scrollLeft; }"
    )
    assert left > 100  # the five stages are wider than the window
    Stage.objects.filter(pk=stages[0].pk).update(title="Renamed by dave")
    _refresh(page, "#canvas")
    expect(page.locator("th[data-stage-id] .stage-title").first).to_have_text(
        "Renamed by dave"
    )
    assert page.evaluate("() => document.getElementById('canvas').scrollLeft") == left


def test_the_hint_speaks_the_pages_language(
    new_context, alice, org, trip, lane, stages
):
    card = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Gedeeld")
    page = new_context(alice, locale="nl-NL").new_page()
    page.goto(trip.get_absolute_url())
    item = page.locator(f"#card-{card.pk}")
    item.hover()
    item.get_by_role("link", name="Bewerken").click()
    expect(page.get_by_label("Tekst van de kaart")).to_be_focused()
    page.keyboard.type("!")
    _refresh(page, _cell_id(lane, stages[0]), _cell_url(org, trip, lane, stages[0]))
    hint = page.locator(f"{_cell_id(lane, stages[0])} [data-stale-hint]")
    expect(hint).to_have_text(HINT_NL)
    expect(page.locator("[data-swaps-status]")).to_have_text(HINT_NL)
