"""The emotion lane and the evidence row in a real Chromium (see tests/conftest.py)."""

import os

import pytest
from playwright.sync_api import expect

from maps.models import Card, Emotion, LaneKind, map_create_from_template
from research.demo import seed_research
from research.models import Finding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")


def _shot(page, name, locator=None):
    if SHOTS:
        path = os.path.join(SHOTS, f"{name}.png")
        if locator is not None:
            locator.screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)


@pytest.fixture
def chairs(org, alice):
    seed_research(org)
    frank = org.personas.get(name="Facilitair Frank")
    ingrid = org.personas.get(name="Inkoper Ingrid")
    journey_map = map_create_from_template(
        org, alice, "Office chairs", "seven_phases", personas=[frank, ingrid]
    )
    stages = list(journey_map.stages.all())
    lane = journey_map.lanes.filter(kind=LaneKind.TOUCHPOINTS).first()
    finding = Finding.objects.filter(study__organisation=org).first()
    for i, stage in enumerate(stages[:4]):
        card = Card.objects.create(
            map=journey_map, stage=stage, lane=lane, text=f"Touchpoint {i}"
        )
        if i == 0:
            card.findings.add(finding)
    return journey_map, frank, ingrid


def _cell(page, stage):
    return page.locator(f'[data-emotion-cell][data-stage-id="{stage.pk}"]')


def _point(page, stage, persona):
    return _cell(page, stage).locator(f'circle.curve-point[data-series="{persona.pk}"]')


def test_set_emotions_by_click_and_key_and_see_the_curve(new_context, alice, chairs):
    journey_map, frank, ingrid = chairs
    stages = list(journey_map.stages.all())
    page = new_context(alice).new_page()
    page.goto(journey_map.get_absolute_url())

    # One click: Frank feels very negative in the first stage.
    first = _cell(page, stages[0])
    first.get_by_role("button", name="Facilitair Frank: very negative").click()
    expect(_point(page, stages[0], frank)).to_have_attribute("cy", "90%")
    expect(
        first.get_by_role("button", name="Facilitair Frank: very negative")
    ).to_have_attribute("aria-pressed", "true")
    # No neighbour scored yet: no line leaves the point.
    expect(first.locator(f'g[data-series="{frank.pk}"] .curve-out')).to_have_count(0)

    # One key press on a focused face: 4 = positive, in the second stage.
    second = _cell(page, stages[1])
    second.locator(f'[data-persona="{frank.pk}"] button[tabindex="0"]').focus()
    page.keyboard.press("4")
    expect(_point(page, stages[1], frank)).to_have_attribute("cy", "30%")
    # Now a line joins the two stages, meeting at the border halfway up.
    line = page.locator(
        f'[data-stage-id="{stages[0].pk}"] g[data-series="{frank.pk}"] .curve-out'
    )
    expect(line).to_have_attribute("y2", "60%")
    # Focus stays on Frank's faces in that cell, so the next key keeps working.
    expect(
        second.get_by_role("button", name="Facilitair Frank: positive")
    ).to_be_focused()
    page.keyboard.press("5")
    expect(_point(page, stages[1], frank)).to_have_attribute("cy", "10%")
    expect(line).to_have_attribute("y2", "50%")

    # Ingrid in the third stage, then cleared again with 0.
    third = _cell(page, stages[2])
    third.get_by_role("button", name="Inkoper Ingrid: neutral").click()
    expect(_point(page, stages[2], ingrid)).to_have_attribute("cy", "50%")
    third.get_by_role("button", name="Inkoper Ingrid: neutral").focus()
    page.keyboard.press("0")
    expect(_point(page, stages[2], ingrid)).to_have_count(0)

    # A key on a cell reached with the canvas's arrow keys: its first persona.
    fourth = _cell(page, stages[3])
    fourth.focus()
    page.keyboard.press("2")
    expect(_point(page, stages[3], frank)).to_have_attribute("cy", "70%")
    expect(
        fourth.get_by_role("button", name="Facilitair Frank: negative")
    ).to_be_focused()
    page.keyboard.press("Escape")  # from the faces back to the cell
    expect(fourth).to_be_focused()
    page.keyboard.press("Delete")
    expect(_point(page, stages[3], frank)).to_have_count(0)

    # A note: Enter saves.
    first.get_by_role("link", name="Add a note for Facilitair Frank").click()
    note = first.get_by_role("textbox")
    note.fill("Catalogue is outdated")
    note.press("Enter")
    expect(first.get_by_text("Catalogue is outdated")).to_be_visible()

    scores = dict(Emotion.objects.values_list("stage__position", "score"))
    assert scores == {stages[0].position: -2, stages[1].position: 2}
    assert Emotion.objects.get(score=-2).note == "Catalogue is outdated"
    lane = page.locator(".lane-emotion")
    _shot(page, "emotions-lane", lane)
    _shot(page, "emotions-canvas")

    # A smaller zoom keeps the curve joined to the columns.
    page.get_by_label("Zoom", exact=True).select_option("0.75")
    _shot(page, "emotions-lane-zoomed", lane)


def test_escape_cancels_a_note(new_context, alice, chairs):
    journey_map, frank, _ingrid = chairs
    stage = journey_map.stages.first()
    Emotion.objects.create(
        map=journey_map, stage=stage, persona=frank, score=1, note="Fine"
    )
    page = new_context(alice).new_page()
    page.goto(journey_map.get_absolute_url())
    cell = _cell(page, stage)
    cell.get_by_role("link", name="Edit the note of Facilitair Frank").click()
    box = cell.get_by_role("textbox")
    box.fill("Changed my mind")
    box.press("Escape")
    expect(cell.get_by_text("Fine", exact=True)).to_be_visible()
    assert Emotion.objects.get().note == "Fine"


def test_the_evidence_row_shows_the_share_and_follows_changes(
    new_context, alice, bob, chairs
):
    journey_map, _frank, _ingrid = chairs
    page = new_context(bob).new_page()  # viewers see it too
    page.goto(journey_map.get_absolute_url())
    row = page.locator("#evidence-row")
    expect(row.locator(".evidence-corner")).to_contain_text("25% validated")
    expect(row.locator(".evidence-corner")).to_contain_text("1 of 4 cards")
    _shot(page, "evidence-row", page.locator(".canvas thead"))

    # Someone cites a finding elsewhere; the page hears evidence-changed.
    finding = Finding.objects.filter(study__organisation=journey_map.organisation)[0]
    for card in Card.objects.filter(map=journey_map)[1:3]:
        card.findings.add(finding)
    page.evaluate("() => document.body.dispatchEvent(new Event('evidence-changed'))")
    expect(row.locator(".evidence-corner")).to_contain_text("75% validated")


def test_a_viewer_reads_the_lane_without_buttons(new_context, bob, alice, org):
    journey_map = map_create_from_template(org, alice, "Podiatrist", "five_phases")
    stages = list(journey_map.stages.all())
    for stage, score, note in [
        (stages[0], -1, "Pain for weeks"),
        (stages[1], 1, ""),
        (stages[2], 2, "Booked online in a minute"),
        (stages[4], -2, "Insoles hurt"),
    ]:
        Emotion.objects.create(map=journey_map, stage=stage, score=score, note=note)
    page = new_context(bob).new_page()
    page.goto(journey_map.get_absolute_url())
    lane = page.locator(".lane-emotion")
    expect(lane.get_by_text("Booked online in a minute")).to_be_visible()
    expect(lane.locator(".emotion-read", has_text="Very positive")).to_be_visible()
    expect(lane.get_by_role("button")).to_have_count(0)
    svg = _cell(page, stages[2]).locator("svg.curve")
    expect(svg).to_have_accessible_name(
        "Emotion in Purchase: The customer: very positive"
    )
    _shot(page, "emotions-viewer", lane)


def test_a_note_edited_meanwhile_shows_a_conflict(new_context, alice, chairs):
    journey_map, frank, _ingrid = chairs
    stage = journey_map.stages.first()
    feeling = Emotion.objects.create(
        map=journey_map, stage=stage, persona=frank, score=-1, note="Slow"
    )
    page = new_context(alice).new_page()
    page.goto(journey_map.get_absolute_url())
    cell = _cell(page, stage)
    cell.get_by_role("link", name="Edit the note of Facilitair Frank").click()
    box = cell.get_by_role("textbox")
    box.fill("Mine: too slow")
    # Someone else saves first.
    Emotion.objects.filter(pk=feeling.pk).update(note="Theirs: slow", version=2)
    box.press("Enter")
    conflict = cell.locator(".card-conflict")
    expect(conflict).to_contain_text("Theirs: slow")
    expect(conflict).to_contain_text("Mine: too slow")
    _shot(page, "emotions-conflict", page.locator(".lane-emotion"))
    conflict.get_by_role("button", name="Overwrite with mine").click()
    expect(cell.get_by_text("Mine: too slow")).to_be_visible()
    expect(cell.locator(".card-conflict")).to_have_count(0)
    assert Emotion.objects.get().note == "Mine: too slow"


def test_a_face_for_a_stage_deleted_meanwhile_says_so(new_context, alice, chairs):
    journey_map, _frank, _ingrid = chairs
    stage = journey_map.stages.last()
    page = new_context(alice).new_page()
    page.goto(journey_map.get_absolute_url())
    cell = _cell(page, stage)
    stage.delete()
    cell.get_by_role("button", name="Facilitair Frank: positive").click()
    expect(cell.get_by_role("alert")).to_contain_text("Someone else deleted this")
    assert not Emotion.objects.exists()
