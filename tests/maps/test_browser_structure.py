"""The canvas's frame in a real Chromium: stages, lanes and the zoom."""

import os

import pytest
from playwright.sync_api import expect

from maps.models import JourneyMap, map_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")


def _shot(page, name, full_page=False):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=full_page)


def _stages(journey_map) -> list[str]:
    return list(journey_map.stages.values_list("title", flat=True))


def _titles(page) -> list[str]:
    return page.locator("th[data-stage-id] .stage-title").all_inner_texts()


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


def _open(new_context, user, journey_map):
    page = new_context(user).new_page()
    page.goto(journey_map.get_absolute_url())
    expect(page.get_by_role("region", name="Journey map canvas")).to_be_visible()
    return page


def test_insert_a_stage_between_two_and_rename_it(new_context, alice, trip):
    page = _open(new_context, alice, trip)
    _shot(page, "structure-canvas")
    page.get_by_role("columnheader", name="Consideration").hover()
    _shot(page, "structure-hover")
    page.get_by_role("button", name="Insert a stage after Consideration").click()
    title = page.get_by_label("Title", exact=True)
    expect(title).to_be_focused()
    expect(title).to_have_value("New stage")
    _shot(page, "structure-insert")
    title.fill("Booking")
    page.get_by_label("Customer's goal").fill("An appointment this week")
    page.get_by_label("Customer's goal").press("Enter")
    expect(
        page.locator(".stage-goal", has_text="An appointment this week")
    ).to_be_visible()
    assert _titles(page) == [
        "Awareness",
        "Consideration",
        "Booking",
        "Purchase",
        "Use and experience",
        "Loyalty and advocacy",
    ]
    assert _stages(trip)[2] == "Booking"
    # Focus returns to the header, where the arrow keys work.
    expect(page.get_by_role("columnheader", name="Booking")).to_be_focused()

    # Rename another; Escape cancels, Enter saves.
    page.get_by_role("columnheader", name="Purchase").hover()
    page.get_by_role("link", name="Edit stage Purchase").click()
    page.get_by_label("Title", exact=True).fill("Never mind")
    page.get_by_label("Title", exact=True).press("Escape")
    expect(page.locator(".stage-title", has_text="Purchase")).to_be_visible()
    page.get_by_role("link", name="Edit stage Purchase").click()
    page.get_by_label("Title", exact=True).fill("Buying insoles")
    page.get_by_label("Title", exact=True).press("Enter")
    expect(page.locator(".stage-title", has_text="Buying insoles")).to_be_visible()
    assert _stages(trip)[3] == "Buying insoles"
    _shot(page, "structure-renamed")


def test_reorder_stages_by_keyboard_and_by_dragging(new_context, alice, trip):
    page = _open(new_context, alice, trip)
    page.get_by_role("link", name="Edit stage Purchase").focus()
    page.keyboard.press("Alt+ArrowLeft")
    expect(page.locator("th[data-stage-id] .stage-title").nth(1)).to_have_text(
        "Purchase"
    )
    # The header that moved keeps the focus (not its "←" button).
    expect(page.get_by_role("columnheader", name="Purchase")).to_be_focused()
    page.keyboard.press("Alt+ArrowLeft")
    expect(page.locator("th[data-stage-id] .stage-title").first).to_have_text(
        "Purchase"
    )
    # Focus comes back once htmx has settled the new grid; a key pressed
    # before that would go to the page.
    expect(page.get_by_role("columnheader", name="Purchase")).to_be_focused()
    page.keyboard.press("Alt+ArrowRight")
    expect(page.locator("th[data-stage-id] .stage-title").nth(1)).to_have_text(
        "Purchase"
    )
    assert _stages(trip)[:3] == ["Awareness", "Purchase", "Consideration"]

    # Drag "Consideration" by its handle to the second place. (A stage near the
    # canvas's right edge would make SortableJS scroll the canvas mid-drag.)
    dragged = page.get_by_role("columnheader", name="Consideration")
    dragged.hover()
    handle = dragged.locator("[data-drag-handle]")
    goal = page.get_by_role("columnheader", name="Purchase").bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + 20, steps=10)
    page.mouse.move(goal["x"] + goal["width"] * 0.2, goal["y"] + 20, steps=10)
    page.wait_for_timeout(200)  # let SortableJS settle on the new place
    with page.expect_response("**/stages/reorder/"):
        page.mouse.up()
    expect(page.locator("th[data-stage-id] .stage-title").nth(1)).to_have_text(
        "Consideration"
    )
    assert _stages(trip)[:3] == ["Awareness", "Consideration", "Purchase"]


def test_add_hide_and_show_a_lane(new_context, alice, trip):
    page = _open(new_context, alice, trip)
    page.get_by_text("+ Add a lane").click()
    page.get_by_label("Kind").select_option("text")
    page.get_by_label("Title of the new lane").fill("Backstage")
    _shot(page, "structure-add-lane")
    page.get_by_role("button", name="Add lane", exact=True).click()
    expect(page.get_by_role("rowheader", name="Backstage")).to_be_visible()
    assert trip.lanes.last().title == "Backstage"

    # An empty text lane title is refused with a message.
    page.get_by_text("+ Add a lane").click()
    page.get_by_role("button", name="Add lane", exact=True).click()
    expect(page.get_by_text("Give a text lane a title.")).to_be_visible()

    page.get_by_role("rowheader", name="Backstage").hover()
    page.get_by_role("button", name="Hide lane Backstage").click()
    expect(page.get_by_role("rowheader", name="Backstage")).to_have_count(0)
    show = page.get_by_role("button", name="Show lane Backstage again")
    expect(show).to_be_visible()
    _shot(page, "structure-hidden-lane", full_page=True)
    show.click()
    expect(page.get_by_role("rowheader", name="Backstage")).to_be_visible()
    assert not trip.lanes.get(title="Backstage").hidden

    # Alt+↑ on a focused lane label moves it up.
    page.get_by_role("link", name="Rename lane Backstage").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.get_by_role("rowheader", name="Backstage")).to_be_focused()
    titles = list(trip.lanes.values_list("title", flat=True))
    assert titles[-2] == "Backstage"


def test_the_zoom_is_remembered(new_context, alice, trip):
    page = _open(new_context, alice, trip)
    head = page.get_by_role("columnheader", name="Awareness")
    zoom = page.get_by_label("Zoom", exact=True)
    zoom.select_option("1")
    wide = head.bounding_box()["width"]
    zoom.select_option("0.75")
    expect(page.locator("[data-zoom-shown]")).to_have_text("75%")
    small = head.bounding_box()["width"]
    assert small == pytest.approx(wide * 0.75, rel=0.02)
    _shot(page, "structure-zoomed")
    page.reload()
    expect(page.get_by_label("Zoom", exact=True)).to_have_value("0.75")
    # Column widths come from one custom property, the same in every row; the
    # zoom scales the grid around them.
    width = page.evaluate(
        "() => getComputedStyle(document.querySelector('.canvas'))"
        ".getPropertyValue('--stage-width').trim()"
    )
    assert width == "13rem"


def test_an_empty_map_says_how_to_start(new_context, alice, org):
    blank = map_create_from_template(org, alice, "Blank", "blank")
    blank.stages.all().delete()
    blank.lanes.all().delete()
    page = _open(new_context, alice, blank)
    expect(page.get_by_text("This map has no stages yet.")).to_be_visible()
    _shot(page, "structure-empty")
    page.get_by_role("button", name="+ Add the first stage").click()
    page.get_by_label("Title", exact=True).fill("Orientation")
    page.get_by_label("Title", exact=True).press("Enter")
    expect(page.locator(".stage-title", has_text="Orientation")).to_be_visible()
    assert JourneyMap.objects.get(pk=blank.pk).stages.count() == 1


def test_edit_the_map_settings(new_context, alice, org, trip):
    from research.demo import seed_research

    seed_research(org)
    page = _open(new_context, alice, trip)
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Title").fill("Podiatrist visit, future")
    page.get_by_label("Type of map").select_option("future")
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Facilitair Frank").check()
    page.get_by_label("Scope").fill("From the first twinge to the follow-up check")
    _shot(page, "structure-settings", full_page=True)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("heading", name="Podiatrist visit, future")).to_be_visible()
    expect(
        page.get_by_text("From the first twinge to the follow-up check")
    ).to_be_visible()
    trip.refresh_from_db()
    assert (trip.type, trip.status) == ("future", "active")
    assert [p.name for p in trip.personas.all()] == ["Facilitair Frank"]


def test_a_stage_renamed_meanwhile_shows_the_conflict(new_context, alice, trip):
    from maps.models import Stage

    page = _open(new_context, alice, trip)
    page.get_by_role("link", name="Edit stage Purchase").click()
    page.get_by_label("Title", exact=True).fill("Alice's title")
    # Someone else saves first.
    Stage.objects.filter(map=trip, title="Purchase").update(title="Dave's", version=2)
    page.get_by_label("Title", exact=True).press("Enter")
    expect(
        page.get_by_text("Someone else changed this while you were editing.")
    ).to_be_visible()
    _shot(page, "structure-conflict")
    page.get_by_role("button", name="Overwrite with mine").click()
    expect(page.locator(".stage-title", has_text="Alice's title")).to_be_visible()
    assert _stages(trip)[2] == "Alice's title"
