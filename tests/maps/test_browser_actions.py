"""Follow-up actions in a real Chromium: the actions lane and the board."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maps.models import Action, map_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MAPS_SCREENSHOTS=/some/dir to keep screenshots of the pages for review.
SHOTS = os.environ.get("MAPS_SCREENSHOTS")


def _shot(page, name, full_page=True):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=full_page)


def test_add_an_action_with_an_owner_and_find_it_on_the_board(
    new_context, alice, dave, org
):
    trip = map_create_from_template(org, alice, "Podiatrist visit", "five_phases")
    purchase = trip.stages.get(title="Purchase")
    past = timezone.localdate() - datetime.timedelta(days=2)
    Action.objects.create(
        map=trip, stage=trip.stages.first(), title="Ask why people leave", owner=alice
    )
    Action.objects.create(
        map=trip, stage=purchase, title="Show prices up front", due=past, owner=alice
    )
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())

    cell = page.locator(f"#actions-{purchase.pk}")
    cell.get_by_role("link", name="+ Action in Purchase").click()
    title = cell.get_by_label("New follow-up action in Purchase")
    expect(title).to_be_focused()
    title.fill("Call back within a day")
    cell.get_by_label("Owner").select_option(label="dave")
    due = timezone.localdate() + datetime.timedelta(days=10)
    cell.get_by_label("Due date").fill(due.isoformat())
    _shot(page, "actions-quick-add")
    title.press("Enter")
    card = cell.locator(".action-card", has_text="Call back within a day")
    expect(card).to_be_visible()
    expect(card).to_contain_text("dave")
    # The form stays open for the next one, empty and focused.
    expect(cell.get_by_label("New follow-up action in Purchase")).to_be_focused()
    expect(cell.get_by_label("New follow-up action in Purchase")).to_have_value("")
    page.keyboard.press("Escape")
    expect(cell.locator("form.action-add")).to_have_count(0)
    overdue = cell.locator(".action-card", has_text="Show prices up front")
    expect(overdue.locator(".overdue-label")).to_have_text("Overdue")
    _shot(page, "actions-lane")
    action = Action.objects.get(title="Call back within a day")
    assert (action.owner, action.stage, action.due) == (dave, purchase, due)

    # Open the whole action, mark it done: the evaluation is asked for.
    card.get_by_role("link", name="Call back within a day", exact=True).click()
    form = page.locator(f"#action-{action.pk} form.action-form")
    expect(form.get_by_label("Evaluation")).to_be_hidden()
    # The form focuses its title once htmx has settled it; typing before that
    # would land in the title.
    expect(form.get_by_label("Title")).to_be_focused()
    form.get_by_label("Description").fill("Missed calls are called back the same day.")
    form.get_by_label("Status").select_option("in_progress")
    _shot(page, "actions-edit")
    form.get_by_role("button", name="Save").click()
    expect(card).to_contain_text("In progress")
    action.refresh_from_db()
    assert action.status == "in_progress"

    # The board lists it, with its map and stage; dave finds it under My actions.
    page.get_by_role("link", name="Actions", exact=True).click()
    row = page.locator(f"#board-action-{action.pk}")
    expect(row).to_contain_text("Podiatrist visit")
    expect(row).to_contain_text("Purchase")
    expect(row).to_contain_text("dave")
    expect(page.locator(".board-row").first).to_contain_text("Show prices up front")
    _shot(page, "actions-board")

    dave_page = new_context(dave).new_page()
    dave_page.goto(f"/o/{org.slug}/actions/")
    dave_page.get_by_role("link", name="My actions").click()
    expect(dave_page.locator(".board-row")).to_have_count(1)
    dave_row = dave_page.locator(f"#board-action-{action.pk}")
    expect(dave_row).to_contain_text("Call back within a day")
    _shot(dave_page, "actions-board-mine")

    # Quick status change from the board, then the filter swaps the list in place.
    dave_row.get_by_label("Status of Call back within a day").select_option("done")
    expect(dave_row.locator("select[name=status]")).to_have_class(
        "action-status status-done"
    )
    expect(dave_row.locator("select[name=status]")).to_be_focused()
    action.refresh_from_db()
    assert action.status == "done"
    dave_page.get_by_label("Status", exact=True).select_option("unfinished")
    expect(dave_page.locator(".board-row")).to_have_count(0)
    expect(
        dave_page.get_by_text("No actions of yours match this filter.")
    ).to_be_visible()
    assert "status=unfinished" in dave_page.url
    _shot(dave_page, "actions-board-empty-filter")

    # The row links to the action on its map.
    page.reload()
    page.get_by_role("link", name="Call back within a day", exact=True).click()
    expect(page.locator(f"#action-{action.pk}")).to_be_in_viewport()
    expect(page.locator(f"#action-{action.pk}")).to_contain_text("Add an evaluation")
    _shot(page, "actions-lane-target", full_page=False)


def test_delete_an_action_after_confirming(new_context, alice, org):
    trip = map_create_from_template(org, alice, "Trip", "aida")
    stage = trip.stages.first()
    action = Action.objects.create(map=trip, stage=stage, title="Remove me")
    page = new_context(alice).new_page()
    page.goto(trip.get_absolute_url())
    card = page.locator(f"#action-{action.pk}")
    # Alt+↓ on a focused card moves it down its cell; focus stays on it.
    Action.objects.create(map=trip, stage=stage, title="Keep me", position=1)
    page.reload()
    card.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator(f"#actions-{stage.pk} .action-card").last).to_contain_text(
        "Remove me"
    )
    assert list(stage.actions.values_list("title", flat=True)) == [
        "Keep me",
        "Remove me",
    ]
    card.get_by_role("link", name="Delete Remove me").click()
    expect(card).to_contain_text("Delete this action?")
    card.get_by_role("button", name="Delete").click()
    expect(page.locator(f"#action-{action.pk}")).to_have_count(0)
    assert list(Action.objects.values_list("title", flat=True)) == ["Keep me"]


def test_the_demo_board_and_lane_read_well(new_context, alice, org):
    from maps.demo import seed_maps
    from research.demo import seed_research

    seed_research(org)
    seed_maps(org, alice)
    page = new_context(alice, locale="nl-NL").new_page()
    page.goto(f"/o/{org.slug}/actions/")
    expect(page.locator(".board-row").first).to_be_visible()
    assert (
        page.locator(".board-row").count()
        == Action.objects.exclude(map__status="archived").count()
    )
    _shot(page, "actions-demo-board")
    first = Action.objects.filter(stage__isnull=False).first()
    page.goto(first.map.get_absolute_url() + f"#action-{first.pk}")
    expect(page.locator(f"#action-{first.pk}")).to_be_in_viewport()
    _shot(page, "actions-demo-lane", full_page=False)


def test_two_people_edit_one_action_and_nothing_is_lost(new_context, alice, dave, org):
    trip = map_create_from_template(org, alice, "Trip", "aida")
    action = Action.objects.create(
        map=trip, stage=trip.stages.first(), title="Phone back"
    )
    pages = [new_context(user).new_page() for user in (alice, dave)]
    for page in pages:
        page.goto(trip.get_absolute_url())
        page.locator(f"#action-{action.pk}").get_by_role(
            "link", name="Phone back", exact=True
        ).click()
    mine, theirs = (p.locator(f"#action-{action.pk}") for p in pages)
    theirs.get_by_label("Title").fill("Phone back within four hours")
    theirs.get_by_role("button", name="Save").click()
    expect(theirs).to_contain_text("Phone back within four hours")
    mine.get_by_label("Title").fill("Phone back the same day")
    mine.get_by_role("button", name="Save").click()
    expect(mine).to_contain_text("Someone else changed this")
    expect(mine).to_contain_text("Phone back within four hours")
    expect(mine).to_contain_text("Phone back the same day")
    _shot(pages[0], "actions-conflict")
    mine.get_by_role("button", name="Overwrite with mine").click()
    expect(pages[0].locator(f"#action-{action.pk} .action-title")).to_have_text(
        "Phone back the same day"
    )
    action.refresh_from_db()
    assert (action.title, action.version) == ("Phone back the same day", 3)
