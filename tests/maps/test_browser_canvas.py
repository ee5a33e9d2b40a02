"""
The map page in a real Chromium at laptop and desktop sizes: the canvas uses the
window, zooms (fit width, fit the whole map, fixed steps, Ctrl + and −), is one
scroll area with sticky headers, and is quick to reach and use by keyboard.
"""

import pytest
from playwright.sync_api import expect

from maps.demo import MAPS, seed_maps
from maps.models import JourneyMap, Stage, map_create_from_template
from research.demo import seed_research

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1440, "height": 900}
DESKTOP = {"width": 1920, "height": 1080}


@pytest.fixture
def demo(org, alice):
    seed_research(org)
    seed_maps(org, alice)
    return [JourneyMap.objects.get(organisation=org, title=spec[0]) for spec in MAPS]


def _open(new_context, user, journey_map, viewport=LAPTOP, context=None):
    context = context or new_context(user)
    page = context.new_page()
    page.set_viewport_size(viewport)
    page.goto(journey_map.get_absolute_url())
    expect(page.locator("[data-canvas-zoom]")).to_be_visible()
    return page


def _settled(page):
    """Two animation frames: the zoom is applied in one after a change."""
    page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )


def _inside_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def _zoom(page) -> float:
    return float(
        page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-canvas-frame]'))"
            ".getPropertyValue('--zoom') || '1'"
        )
    )


def _nine_stages(org, alice) -> JourneyMap:
    journey_map = map_create_from_template(org, alice, "Nine stages", "seven_phases")
    for title in ("Service before the visit", "Follow-up check"):
        Stage.objects.create(
            map=journey_map, title=title, position=journey_map.stages.count()
        )
    assert journey_map.stages.count() == 9
    return journey_map


@pytest.mark.parametrize("viewport", [LAPTOP, DESKTOP], ids=["1440", "1920"])
def test_fit_width_shows_every_stage_of_the_demo_maps(
    new_context, alice, demo, viewport
):
    context = new_context(alice)
    for journey_map in demo:
        page = _open(new_context, alice, journey_map, viewport, context)
        expect(page.get_by_label("Zoom", exact=True)).to_have_value("fit-width")
        _settled(page)
        last = page.locator("th.stage-head").last
        assert _inside_viewport(page, last), journey_map.title
        # Readable: the fit stops at 60%, and said nothing about being too wide.
        assert _zoom(page) >= 0.6
        expect(page.locator("[data-zoom-note]")).to_be_hidden()
        name = "" if journey_map == demo[-1] else f"-{journey_map.stages.count()}"
        page.screenshot(path=f"/tmp/canvas-{viewport['width']}{name}.png")
        page.close()


def test_a_nine_stage_map_fits_at_1920(new_context, alice, org):
    journey_map = _nine_stages(org, alice)
    page = _open(new_context, alice, journey_map, DESKTOP)
    _settled(page)
    assert page.locator("th.stage-head").count() == 9
    assert _inside_viewport(page, page.locator("th.stage-head").last)


def test_a_map_too_wide_to_fit_says_so(new_context, alice, org):
    journey_map = _nine_stages(org, alice)
    for i in range(9, 16):
        Stage.objects.create(map=journey_map, title=f"Extra {i}", position=i)
    page = _open(new_context, alice, journey_map, LAPTOP)
    _settled(page)
    expect(page.locator("[data-zoom-note]")).to_be_visible()
    assert _zoom(page) == pytest.approx(0.6)


def test_fit_whole_map_fits_the_height_too(new_context, alice, demo):
    page = _open(new_context, alice, demo[0], LAPTOP)
    page.get_by_label("Zoom", exact=True).select_option("fit-map")
    _settled(page)
    table = page.locator("table.canvas").bounding_box()
    scroller = page.locator("#canvas").bounding_box()
    assert table["height"] <= scroller["height"] + 1 or _zoom(page) == pytest.approx(
        0.6
    )
    assert table["width"] <= scroller["width"] + 1


def test_ctrl_plus_and_minus_zoom_the_grid_and_it_is_remembered(
    new_context, alice, demo
):
    context = new_context(alice)
    page = _open(new_context, alice, demo[0], LAPTOP, context)
    head = page.locator("th.stage-head").first
    page.get_by_label("Zoom", exact=True).select_option("1")
    _settled(page)
    at_100 = head.bounding_box()["width"]
    card = page.locator(".map-card").first
    card_at_100 = card.bounding_box()["width"]
    head.focus()
    page.keyboard.press("Control+Equal")
    _settled(page)
    expect(page.get_by_label("Zoom", exact=True)).to_have_value("1.25")
    assert head.bounding_box()["width"] == pytest.approx(at_100 * 1.25, rel=0.02)
    page.keyboard.press("Control+Minus")
    page.keyboard.press("Control+Minus")
    _settled(page)
    expect(page.get_by_label("Zoom", exact=True)).to_have_value("0.9")
    smaller = head.bounding_box()["width"]
    assert smaller < at_100
    # Cards scale with the columns, not only their font.
    assert card.bounding_box()["width"] == pytest.approx(card_at_100 * 0.9, rel=0.03)

    page.reload()
    _settled(page)
    expect(page.get_by_label("Zoom", exact=True)).to_have_value("0.9")
    assert head.bounding_box()["width"] == pytest.approx(smaller, rel=0.02)
    page.keyboard.press("Control+0")
    _settled(page)
    expect(page.get_by_label("Zoom", exact=True)).to_have_value("1")


def test_the_zoom_survives_a_new_canvas(new_context, alice, demo):
    page = _open(new_context, alice, demo[0], LAPTOP)
    page.get_by_label("Zoom", exact=True).select_option("0.75")
    _settled(page)
    head = page.locator("th.stage-head").first
    width = head.bounding_box()["width"]
    # A live refresh of the whole grid (as live.js does after a resync).
    page.evaluate("() => window.Journeymap.swaps.refresh('#canvas', {force: true})")
    page.wait_for_load_state("networkidle")
    _settled(page)
    assert head.bounding_box()["width"] == pytest.approx(width, rel=0.02)
    assert _zoom(page) == pytest.approx(0.75)


def test_fit_width_follows_the_window(new_context, alice, demo):
    page = _open(new_context, alice, demo[0], DESKTOP)
    _settled(page)
    wide = _zoom(page)
    page.set_viewport_size(LAPTOP)
    page.wait_for_timeout(100)
    _settled(page)
    assert _zoom(page) < wide
    assert _inside_viewport(page, page.locator("th.stage-head").last)


def test_the_canvas_is_the_one_scroll_area(new_context, alice, demo):
    page = _open(new_context, alice, demo[0], LAPTOP)
    page.get_by_label("Zoom", exact=True).select_option("1.5")
    _settled(page)
    sizes = page.evaluate(
        "() => { const s = document.querySelector('#canvas');"
        " return [document.scrollingElement.scrollHeight, innerHeight,"
        " document.scrollingElement.scrollWidth, innerWidth,"
        " s.scrollHeight, s.clientHeight]; }"
    )
    page_height, viewport_height, page_width, viewport_width, inner, shown = sizes
    assert page_height <= viewport_height
    assert page_width <= viewport_width
    assert inner > shown  # the canvas scrolls instead
    head = page.locator("th.stage-head").first
    top = head.bounding_box()["y"]
    page.locator("#canvas").evaluate("el => el.scrollBy(300, 400)")
    _settled(page)
    assert head.bounding_box()["y"] == pytest.approx(top, abs=1)  # sticky at the top
    lane = page.locator("th.lane-head").first
    corner = page.locator(".canvas-corner").bounding_box()
    assert lane.bounding_box()["x"] == pytest.approx(corner["x"], abs=1)  # sticky left


def test_the_header_collapses_to_one_line_and_stays_so(new_context, alice, demo):
    context = new_context(alice)
    page = _open(new_context, alice, demo[0], LAPTOP, context)
    head = page.locator("#map-head")
    tall = head.bounding_box()["height"]
    toggle = page.get_by_role("button", name="One-line header")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    canvas_before = page.locator("#canvas").bounding_box()["height"]
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert head.bounding_box()["height"] < tall
    assert page.locator("#canvas").bounding_box()["height"] > canvas_before
    page.screenshot(path="/tmp/canvas-collapsed.png")
    page.reload()
    expect(page.get_by_role("button", name="One-line header")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert head.bounding_box()["height"] < tall


# ---- Keyboard ---------------------------------------------------------------------


def _in_grid(page) -> bool:
    return page.evaluate(
        "() => !!document.activeElement.closest("
        "'table.canvas > thead, table.canvas > tbody')"
    )


def test_from_page_load_to_a_card_edit_form_in_at_most_five_tabs(
    new_context, alice, demo
):
    journey_map = demo[1]
    page = _open(new_context, alice, journey_map, LAPTOP)
    tabs = 0
    page.keyboard.press("Tab")
    tabs += 1
    skip = page.get_by_role("link", name="Skip to canvas")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # visible on focus
    page.keyboard.press("Enter")
    first_stage = journey_map.stages.first()
    expect(page.locator(f"th#stage-{first_stage.pk}")).to_be_focused()
    page.keyboard.press("ArrowDown")  # over the evidence row, to the first cell
    page.keyboard.press("ArrowDown")  # its first card
    card = page.locator("[data-card]").first
    expect(card).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Card text")).to_be_focused()
    assert tabs <= 5


def test_the_grid_is_one_tab_stop(new_context, alice, demo):
    page = _open(new_context, alice, demo[1], LAPTOP)
    page.get_by_role("button", name="Zoom in").focus()
    page.keyboard.press("Tab")
    first = page.locator("th.stage-head").first
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the second stage's first card
    card = page.locator("th.stage-head").nth(1)
    stage_id = card.get_attribute("data-stage-id")
    focused = page.locator(f"td[data-stage='{stage_id}'] [data-card]").first
    expect(focused).to_be_focused()
    # Tab leaves the grid (to the lane tools below it), Shift+Tab comes back
    # to where the focus was.
    page.keyboard.press("Tab")
    assert not _in_grid(page)
    expect(page.locator(".lane-add summary")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(focused).to_be_focused()


def test_arrows_move_across_headers_lanes_and_cells(new_context, alice, demo):
    journey_map = demo[1]
    stages = list(journey_map.stages.all())
    lanes = list(journey_map.lanes.filter(hidden=False))
    page = _open(new_context, alice, journey_map, LAPTOP)
    page.get_by_role("link", name="Skip to canvas").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#stage-{stages[0].pk}")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#stage-{stages[1].pk}")).to_be_focused()
    page.keyboard.press("End")
    expect(page.locator("th.stage-add")).to_be_focused()
    page.keyboard.press("Home")
    expect(page.locator(f"#stage-{stages[0].pk}")).to_be_focused()
    page.keyboard.press("ArrowDown")
    cell = page.locator(f"#cell-{lanes[0].pk}-{stages[0].pk}")
    expect(cell).to_be_focused()
    page.keyboard.press("ArrowLeft")
    lane_head = page.get_by_role("rowheader", name=lanes[0].title)
    expect(lane_head).to_be_focused()
    page.keyboard.press("ArrowUp")  # the corner is no stop: it stays
    expect(lane_head).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(cell).to_be_focused()
    # A card says its stage and lane to a screen reader.
    page.keyboard.press("ArrowDown")
    described = page.evaluate(
        "() => (document.activeElement.getAttribute('aria-describedby') || '')"
        ".split(' ').map(id => document.getElementById(id).textContent.trim())"
    )
    assert described[:2] == [stages[0].title, lanes[0].title]
    expect(page.get_by_role("grid", name="Journey map canvas")).to_be_visible()


def test_a_headers_tools_open_as_a_menu(new_context, alice, demo):
    journey_map = demo[1]
    second = list(journey_map.stages.all())[1]
    page = _open(new_context, alice, journey_map, LAPTOP)
    head = page.locator(f"#stage-{second.pk}")
    # Without a menu the tools are no tab stops of their own.
    assert head.locator(".tool").first.get_attribute("tabindex") == "-1"
    head.focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("menu", name=second.title)
    expect(menu).to_be_visible()
    items = menu.get_by_role("menuitem")
    expect(items.first).to_be_focused()
    expect(items.first).to_have_text(f"Edit stage {second.title}")
    page.screenshot(path="/tmp/canvas-menu.png")
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_have_text(f"Move stage {second.title} left")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(head).to_be_focused()
    # Enter on "Edit" opens the form; Escape closes it, back on the header.
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    title = page.get_by_label("Title", exact=True)
    expect(title).to_be_focused()
    title.press("Escape")
    expect(page.locator(f"#stage-{second.pk}")).to_be_focused()
    # "Move right" from the menu: the header moves and keeps the focus.
    page.keyboard.press("Enter")
    page.get_by_role("menuitem", name=f"Move stage {second.title} right").click()
    expect(page.locator("th.stage-head").nth(2)).to_have_attribute(
        "data-stage-id", str(second.pk)
    )
    expect(page.locator(f"#stage-{second.pk}")).to_be_focused()


def test_alt_arrow_keeps_the_focus_on_the_moved_header(new_context, alice, demo):
    journey_map = demo[1]
    first = journey_map.stages.first()
    page = _open(new_context, alice, journey_map, LAPTOP)
    head = page.locator(f"#stage-{first.pk}")
    head.focus()
    with page.expect_response("**/move/"):
        page.keyboard.press("Alt+ArrowRight")
    expect(page.locator("th.stage-head").nth(1)).to_have_attribute(
        "data-stage-id", str(first.pk)
    )
    expect(page.locator(f"#stage-{first.pk}")).to_be_focused()
    assert list(journey_map.stages.values_list("pk", flat=True))[1] == first.pk
    # And lanes: Alt+↓ on a lane label.
    lane = journey_map.lanes.filter(hidden=False).first()
    lane_head = page.locator(f"#lane-head-{lane.pk}")
    lane_head.focus()
    with page.expect_response("**/move/"):
        page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("th.lane-head").nth(1)).to_have_attribute(
        "data-lane-id", str(lane.pk)
    )
    expect(page.locator(f"#lane-head-{lane.pk}")).to_be_focused()
