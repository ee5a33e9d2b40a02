"""Cards on the canvas in a real Chromium: add, drag, keyboard, conflicts, evidence."""

import os

import pytest
from playwright.sync_api import expect

from maps.models import Card, LaneKind, map_create_from_template
from research.demo import seed_research
from research.models import Finding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


def _lane(journey_map, kind):
    return journey_map.lanes.filter(kind=kind).first()


def _cell(page, lane, stage):
    return page.locator(f"#cell-{lane.pk}-{stage.pk}")


def test_add_a_touchpoint_card_with_its_channel(new_context, alice, trip):
    stages = list(trip.stages.all())
    touch = _lane(trip, LaneKind.TOUCHPOINTS)
    pains = _lane(trip, LaneKind.PAINS)
    Card.objects.create(
        map=trip,
        stage=stages[1],
        lane=touch,
        text="Reviews on the clinic's site",
        channel="website",
        online=True,
        branded=True,
        department="Marketing",
        experience="positive",
    )
    Card.objects.create(
        map=trip, stage=stages[1], lane=pains, text="No prices online", impact="high"
    )
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    cell = _cell(page, touch, stages[0])
    cell.hover()
    cell.get_by_text("Add").first.click()
    cell.get_by_label("New card for").fill("Asked the GP for a referral")
    cell.get_by_label("Channel").select_option("phone")
    _shot(page, "cards-add-form")
    cell.get_by_label("New card for").press("Enter")
    card = cell.locator("[data-card]").first
    expect(card.locator(".card-text")).to_have_text("Asked the GP for a referral")
    expect(card.locator(".channel.ch-phone")).to_contain_text("Phone")
    # The form stays open for the next card.
    expect(_cell(page, touch, stages[0]).get_by_label("New card for")).to_be_focused()
    _cell(page, touch, stages[0]).get_by_label("New card for").fill("Second one")
    _cell(page, touch, stages[0]).get_by_label("New card for").press("Enter")
    expect(_cell(page, touch, stages[0]).locator(".card-text")).to_have_text(
        ["Asked the GP for a referral", "Second one"]
    )
    # Escape goes to the focused form, once htmx has settled it.
    expect(_cell(page, touch, stages[0]).get_by_label("New card for")).to_be_focused()
    page.keyboard.press("Escape")
    expect(_cell(page, touch, stages[0]).get_by_label("New card for")).to_be_hidden()
    assert Card.objects.get(text="Asked the GP for a referral").channel == "phone"

    # Edit the touchpoint's details: moment of truth and a negative experience.
    card = _cell(page, touch, stages[0]).locator("[data-card]").first
    card.hover()
    card.get_by_role("link", name="Edit").click()
    page.get_by_label("Customer's experience").select_option("negative")
    page.get_by_label("Moment of truth").check()
    page.get_by_label("Owning department").fill("Front desk")
    _shot(page, "cards-edit-touchpoint")
    page.get_by_label("Card text").press("Enter")
    card = _cell(page, touch, stages[0]).locator("[data-card]").first
    expect(card.locator(".xp-negative")).to_be_visible()
    expect(card.locator(".mot")).to_be_visible()
    expect(card.locator(".tp-dept")).to_contain_text("Front desk")
    _shot(page, "cards-canvas")


def test_move_a_card_to_another_stage_by_dragging(new_context, alice, trip):
    stages = list(trip.stages.all())
    lane = _lane(trip, LaneKind.TEXT)
    card = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Traveller")
    Card.objects.create(map=trip, stage=stages[1], lane=lane, text="Resident")
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    source = _cell(page, lane, stages[0])
    item = source.locator("[data-card]").first
    item.hover()
    handle = item.locator("[data-drag-handle]")
    box = handle.bounding_box()
    goal = _cell(page, lane, stages[1]).locator("[data-card]").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(goal["x"] + 30, goal["y"] + goal["height"] / 2, steps=15)
    page.mouse.move(goal["x"] + 30, goal["y"] + goal["height"] - 3, steps=10)
    page.wait_for_timeout(200)
    with page.expect_response("**/cards/reorder/"):
        page.mouse.up()
    expect(_cell(page, lane, stages[1]).locator(".card-text")).to_contain_text(
        ["Traveller"]
    )
    expect(_cell(page, lane, stages[0]).locator("[data-card]")).to_have_count(0)
    card.refresh_from_db()
    assert card.stage_id == stages[1].pk

    # And back by keyboard: Alt+← moves it to the previous stage.
    moved = page.locator(f"#card-{card.pk}")
    moved.focus()
    page.keyboard.press("Alt+ArrowLeft")
    expect(_cell(page, lane, stages[0]).locator(".card-text")).to_have_text(
        ["Traveller"]
    )
    card.refresh_from_db()
    assert card.stage_id == stages[0].pk


def test_keyboard_arrow_to_a_cell_enter_type_enter(new_context, alice, trip):
    stages = list(trip.stages.all())
    lanes = [
        lane
        for lane in trip.lanes.all()
        if lane.kind not in (LaneKind.EMOTION, LaneKind.ACTIONS)
    ]
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    first = page.locator("[data-cell]").first
    first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    target = _cell(page, lanes[1], stages[2])
    expect(target).to_be_focused()
    page.keyboard.press("Enter")
    expect(target.get_by_label("New card for")).to_be_focused()
    page.keyboard.type("Typed by keyboard")
    # Arrows inside the text box move the caret, not the focus.
    page.keyboard.press("ArrowLeft")
    expect(target.get_by_label("New card for")).to_be_focused()
    page.keyboard.press("Enter")
    expect(_cell(page, lanes[1], stages[2]).locator(".card-text")).to_have_text(
        ["Typed by keyboard"]
    )
    expect(
        _cell(page, lanes[1], stages[2]).get_by_label("New card for")
    ).to_be_focused()
    page.keyboard.press("Escape")
    expect(_cell(page, lanes[1], stages[2])).to_be_focused()
    # Down from the cell lands on its card; Enter edits it.
    page.keyboard.press("ArrowDown")
    card = _cell(page, lanes[1], stages[2]).locator("[data-card]").first
    expect(card).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("Card text").fill("Edited by keyboard")
    page.get_by_label("Card text").press("Enter")
    expect(_cell(page, lanes[1], stages[2]).locator(".card-text")).to_have_text(
        ["Edited by keyboard"]
    )
    assert Card.objects.get().text == "Edited by keyboard"


def test_two_people_edit_the_same_card(new_context, alice, dave, trip):
    stages = list(trip.stages.all())
    lane = _lane(trip, LaneKind.TEXT)
    card = Card.objects.create(map=trip, stage=stages[0], lane=lane, text="Shared")
    pages = [new_context(user).new_page() for user in (alice, dave)]
    for page in pages:
        page.goto(trip.get_absolute_url())
        item = page.locator(f"#card-{card.pk}")
        item.hover()
        item.get_by_role("link", name="Edit").click()
        expect(page.get_by_label("Card text")).to_be_visible()
    alice_page, dave_page = pages
    alice_page.get_by_label("Card text").fill("Alice was first")
    alice_page.get_by_label("Card text").press("Enter")
    expect(alice_page.locator(f"#card-{card.pk} .card-text")).to_have_text(
        "Alice was first"
    )
    dave_page.get_by_label("Card text").fill("Dave's idea")
    dave_page.get_by_label("Card text").press("Enter")
    conflict = dave_page.locator(f"#card-{card.pk}")
    expect(conflict).to_contain_text("Someone else changed this")
    expect(conflict).to_contain_text("Alice was first")
    expect(conflict).to_contain_text("Dave's idea")
    _shot(dave_page, "cards-conflict")
    conflict.get_by_role("button", name="Overwrite with mine").click()
    expect(dave_page.locator(f"#card-{card.pk} .card-text")).to_have_text("Dave's idea")
    card.refresh_from_db()
    assert card.text == "Dave's idea"

    # Alice edits again from her stale page and keeps theirs (Dave's).
    item = alice_page.locator(f"#card-{card.pk}")
    item.hover()
    item.get_by_role("link", name="Edit").click()
    # As if her form had been open since before Dave's save: a stale version.
    alice_page.get_by_label("Card text").fill("Alice again")
    alice_page.locator("[data-card-form] input[name=version]").evaluate(
        "input => { input.value = '1'; }"
    )
    alice_page.get_by_label("Card text").press("Enter")
    conflict = alice_page.locator(f"#card-{card.pk}")
    expect(conflict).to_contain_text("Alice again")
    conflict.get_by_role("link", name="Keep theirs").click()
    expect(alice_page.locator(f"#card-{card.pk} .card-text")).to_have_text(
        "Dave's idea"
    )
    card.refresh_from_db()
    assert card.text == "Dave's idea"


def test_cite_a_finding_the_card_turns_validated_and_the_share_changes(
    new_context, alice, org, trip
):
    seed_research(org)
    finding = Finding.objects.filter(study__organisation=org).first()
    stages = list(trip.stages.all())
    lane = _lane(trip, LaneKind.PAINS)
    card = Card.objects.create(
        map=trip,
        stage=stages[0],
        lane=lane,
        text="Waiting room is full",
        impact="medium",
    )
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    item = page.locator(f"#card-{card.pk}")
    expect(item).to_have_class("map-card card-kind-pains is-assumption")
    corner = page.locator("#evidence-row .evidence-figure")
    stage_figure = page.locator(
        f'#evidence-row [data-stage-id="{stages[0].pk}"] .evidence-stage-figure'
    )
    expect(corner).to_have_text("0% validated")
    expect(stage_figure).to_contain_text("0 of 1 card")
    item.hover()
    item.get_by_role("link", name="Evidence").click()
    page.get_by_label(finding.statement).check()
    _shot(page, "cards-evidence-picker")
    page.get_by_role("button", name="Save evidence").click()
    item = page.locator(f"#card-{card.pk}")
    expect(item).to_have_class("map-card card-kind-pains is-validated")
    expect(item.locator(".evidence-badge")).to_contain_text("1 finding")
    # The header's evidence row follows without a reload.
    expect(corner).to_have_text("100% validated")
    expect(stage_figure).to_contain_text("1 of 1 card")
    assert list(card.findings.all()) == [finding]


def test_the_demo_canvas_shows_the_channel_mix(new_context, alice, org):
    from maps.demo import seed_maps
    from maps.models import JourneyMap

    seed_research(org)
    seed_maps(org, alice)
    journey_map = JourneyMap.objects.get(title="Bezoek aan de podotherapeut")
    page = new_context(alice, locale="nl-NL").new_page()
    page.goto(journey_map.get_absolute_url())
    touchpoints = journey_map.cards.filter(lane__kind=LaneKind.TOUCHPOINTS)
    channels = {card.channel for card in touchpoints if card.channel}
    for channel in channels:
        expect(page.locator(f".channel.ch-{channel}").first).to_be_attached()
    _shot(page, "cards-demo-canvas")
    page.locator(".canvas-scroll").evaluate("el => { el.scrollLeft = 900; }")
    _shot(page, "cards-demo-canvas-right")


def test_a_card_gets_its_tools_when_first_pointed_at_or_clicked(
    new_context, alice, trip
):
    # Cards come with their edit link only (maps/templatetags/canvas_cards.py);
    # canvas-cards.js puts the other tools in when the card is first needed.
    stages = list(trip.stages.all())
    lane = _lane(trip, LaneKind.TEXT)
    pointed, clicked = (
        Card.objects.create(map=trip, stage=stages[0], lane=lane, text=t, position=i)
        for i, t in enumerate(["Pointed at", "Clicked by a screen reader"])
    )
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    card = page.locator(f"#card-{pointed.pk}")
    expect(card.locator("[data-move]")).to_have_count(0)
    card.hover()
    expect(card.locator("[data-move]")).to_have_count(4)
    expect(card.locator("[data-drag-handle]")).to_have_count(1)

    # A click with no pointer or focus before it still edits in place.
    other = page.locator(f"#card-{clicked.pk}")
    other.locator("[data-card-edit]").dispatch_event("click")
    expect(other.get_by_label("Card text")).to_have_value(clicked.text)
    assert page.url.endswith(trip.get_absolute_url())
