"""The research flows in a real Chromium (see tests/conftest.py)."""

import pytest
from playwright.sync_api import expect

from research.models import EmpathyEntry, Persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _texts(persona, area):
    return list(
        EmpathyEntry.objects.filter(persona=persona, area=area).values_list(
            "text", flat=True
        )
    )


def _cards(page, area):
    return page.locator(f"#area-{area} .card-text").all_inner_texts()


def test_build_a_persona_with_its_empathy_map(new_context, alice, org):
    page = new_context(alice).new_page()
    page.goto("/o/demo/research/personas/")
    page.get_by_role("link", name="Create the first persona").click()
    page.get_by_label("Name").fill("Servicedesk Sanne")
    page.get_by_label("Role or job").fill("Teamleider klantenservice")
    page.get_by_role("button", name="Create persona").click()
    page.get_by_role("heading", name="Servicedesk Sanne").wait_for()
    sanne = Persona.objects.get(name="Servicedesk Sanne")

    # Add three entries to "Says", each with Enter; focus stays in the field.
    for text in ("Eerste", "Tweede", "Derde"):
        field = page.get_by_label("New entry for Says")
        field.fill(text)
        field.press("Enter")
        page.locator("#area-says .card-text", has_text=text).wait_for()
    assert _texts(sanne, "says") == ["Eerste", "Tweede", "Derde"]
    assert page.evaluate("document.activeElement.id") == "add-says"

    # Edit inline: Enter saves, Escape cancels.
    first = page.locator("#area-says [data-card]").first
    first.get_by_role("link", name="Edit").click()
    editor = page.get_by_label("Edit entry")
    editor.fill("Eerste, aangepast")
    editor.press("Enter")
    page.locator("#area-says .card-text", has_text="Eerste, aangepast").wait_for()
    page.locator("#area-says [data-card]").first.get_by_role(
        "link", name="Edit"
    ).click()
    page.get_by_label("Edit entry").fill("Weggegooid")
    page.get_by_label("Edit entry").press("Escape")
    expect(page.get_by_label("Edit entry")).to_have_count(0)
    expect(page.locator("#area-says [data-card]").first).to_be_focused()
    assert _texts(sanne, "says")[0] == "Eerste, aangepast"

    # Reorder by keyboard: the last card moves up with Alt+ArrowUp, keeping focus.
    page.locator("#area-says [data-card]").nth(2).focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#area-says .card-text")).to_have_text(
        ["Eerste, aangepast", "Derde", "Tweede"]
    )
    assert _texts(sanne, "says") == ["Eerste, aangepast", "Derde", "Tweede"]
    moved = page.locator("#area-says [data-card]").nth(1)
    expect(moved.locator('[data-move="up"]')).to_be_focused()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#area-says .card-text")).to_have_text(
        ["Derde", "Eerste, aangepast", "Tweede"]
    )
    assert _texts(sanne, "says") == ["Derde", "Eerste, aangepast", "Tweede"]

    # Reorder by dragging the last card's handle above the first card.
    handle = page.locator("#area-says [data-card]").nth(2).locator("[data-drag-handle]")
    target = page.locator("#area-says [data-card]").nth(0)
    box, goal = handle.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(goal["x"] + 20, goal["y"] + goal["height"] / 2, steps=15)
    page.mouse.move(goal["x"] + 20, goal["y"] + 3, steps=10)
    page.wait_for_timeout(200)  # let SortableJS settle on the new place
    with page.expect_response("**/entries/reorder/"):
        page.mouse.up()
    expect(page.locator("#area-says .card-text")).to_have_text(
        ["Tweede", "Derde", "Eerste, aangepast"]
    )
    assert _texts(sanne, "says") == ["Tweede", "Derde", "Eerste, aangepast"]

    # Drag the last card into another area.
    handle = page.locator("#area-says [data-card]").nth(2).locator("[data-drag-handle]")
    goal = page.locator("#area-thinks .card-list").bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(goal["x"] + 40, goal["y"] + 10, steps=20)
    page.wait_for_timeout(200)
    with page.expect_response("**/entries/reorder/"):
        page.mouse.up()
    expect(page.locator("#area-thinks .card-text")).to_have_text(["Eerste, aangepast"])
    expect(page.locator("#area-says .card-text")).to_have_text(["Tweede", "Derde"])
    assert _texts(sanne, "thinks") == ["Eerste, aangepast"]

    # Without a mouse: the edit form moves an entry to another area too.
    page.locator("#area-thinks [data-card]").first.get_by_role(
        "link", name="Edit"
    ).click()
    page.get_by_label("Area").select_option("gains")
    page.get_by_label("Edit entry").press("Enter")
    expect(page.locator("#area-gains .card-text")).to_have_text(["Eerste, aangepast"])
    expect(page.locator("#area-thinks [data-card]")).to_have_count(0)
    assert _texts(sanne, "gains") == ["Eerste, aangepast"]

    # Delete, after a confirmation that says what goes with it.
    page.locator("#area-says [data-card]").first.get_by_role(
        "link", name="Delete"
    ).click()
    page.get_by_text("Nothing else goes with it.").wait_for()
    page.locator("#area-says").get_by_role("button", name="Delete").click()
    expect(page.locator("#area-says [data-card]")).to_have_count(1)
    assert _texts(sanne, "says") == ["Derde"]
    page.screenshot(path="/tmp/r-flow-persona.png", full_page=True)


def test_cite_a_finding_and_watch_the_share_change(new_context, alice, org):
    page = new_context(alice).new_page()
    sanne = Persona.objects.create(organisation=org, name="Servicedesk Sanne")
    EmpathyEntry.objects.create(persona=sanne, area="pains", text="Lange wachttijd")
    EmpathyEntry.objects.create(persona=sanne, area="gains", text="Snel antwoord")

    # A quantitative study with one finding.
    page.goto("/o/demo/research/")
    page.get_by_role("link", name="+ Study").click()
    page.get_by_label("Title").fill("Enquête na contact")
    page.get_by_label("Method").select_option("post_purchase")
    page.get_by_label("Sample size").fill("140")
    page.get_by_role("button", name="Add study").click()
    page.get_by_role("heading", name="Enquête na contact").wait_for()
    assert page.get_by_text("Quantitative").first.is_visible()
    page.locator("#id_statement").fill("Wachttijd is klacht nummer één.")
    page.locator("#id_source").fill("61 van 140 noemen wachttijd.")
    page.get_by_role("button", name="Add finding").click()
    page.get_by_text("Finding added.").wait_for()

    # Cite it from the empathy entry; the share updates without a reload.
    page.goto(f"/o/demo/research/personas/{sanne.pk}/")
    assert "0%" in page.locator("#persona-share").inner_text()
    card = page.locator("#area-pains [data-card]").first
    card.get_by_role("link", name="Evidence").click()
    page.get_by_label("Wachttijd is klacht nummer één.").check()
    page.get_by_role("button", name="Save evidence").click()
    page.locator("#area-pains").get_by_text("Validated · 1 finding").wait_for()
    page.locator("#persona-share", has_text="50%").wait_for()
    assert EmpathyEntry.objects.get(text="Lange wachttijd").findings.count() == 1
    page.screenshot(path="/tmp/r-flow-cite.png", full_page=True)


def test_a_conflict_is_shown_and_can_be_resolved(new_context, alice, org):
    sanne = Persona.objects.create(organisation=org, name="Servicedesk Sanne")
    entry = EmpathyEntry.objects.create(persona=sanne, area="says", text="Origineel")
    page = new_context(alice).new_page()
    page.goto(f"/o/demo/research/personas/{sanne.pk}/")
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    page.get_by_label("Edit entry").wait_for()
    # Meanwhile someone else saves.
    EmpathyEntry.objects.filter(pk=entry.pk).update(text="Van Dave", version=2)
    page.get_by_label("Edit entry").fill("Van Alice")
    page.get_by_label("Edit entry").press("Enter")
    page.get_by_text("Someone else changed this while you were editing.").wait_for()
    page.screenshot(path="/tmp/r-flow-conflict.png", full_page=True)
    page.get_by_role("button", name="Overwrite with mine").click()
    page.locator(f"#entry-{entry.pk} .card-text", has_text="Van Alice").wait_for()
    entry.refresh_from_db()
    assert (entry.text, entry.version) == ("Van Alice", 3)


def test_a_card_deleted_meanwhile_says_so(new_context, alice, org):
    sanne = Persona.objects.create(organisation=org, name="Servicedesk Sanne")
    entry = EmpathyEntry.objects.create(persona=sanne, area="says", text="Weg")
    page = new_context(alice).new_page()
    page.goto(f"/o/demo/research/personas/{sanne.pk}/")
    EmpathyEntry.objects.filter(pk=entry.pk).delete()
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    expect(page.locator(f"#entry-{entry.pk} .card-error")).to_have_text(
        "Someone else deleted this meanwhile. Reload the page to see the latest."
    )


def test_search_personas_and_validate_a_dmu_role(new_context, alice, org):
    from research.demo import seed_research

    seed_research(org)
    page = new_context(alice).new_page()
    page.goto("/o/demo/research/personas/")
    page.get_by_label("Search personas").fill("inkoper")
    expect(page.locator(".persona-tile")).to_have_count(1)
    page.get_by_role("link", name="Inkoper Ingrid").click()
    page.get_by_role(
        "link", name="Inkoop kantoormeubilair, middelgrote bedrijven"
    ).click()

    assert "40%" in page.locator("#dmu-share").inner_text()
    buyer = page.locator(".dmu-member", has_text="Inkoper Ingrid")
    buyer.get_by_role("link", name="Evidence").click()
    page.get_by_label("Filter findings").fill("stoelen")
    expect(page.locator(".picker-list li:visible")).to_have_count(1)
    page.get_by_label("Facilitair managers laten medewerkers stoelen testen").check()
    page.screenshot(path="/tmp/r-flow-picker.png", full_page=True)
    page.get_by_role("button", name="Save evidence").click()
    page.locator("#dmu-share", has_text="60%").wait_for()
    expect(buyer.get_by_text("Validated · 1 finding")).to_be_visible()


def test_a_question_starter_fills_in_the_topic(new_context, alice, org):
    page = new_context(alice).new_page()
    page.goto("/o/demo/research/questions/new/")
    page.get_by_label("Topic").fill("een nieuwe bureaustoel")
    page.get_by_label("What would they pay to have X solved?").check()
    expect(page.get_by_label("Question", exact=False).last).to_have_value(
        "What would they pay to have een nieuwe bureaustoel solved?"
    )
    page.get_by_role("button", name="Add question", exact=True).click()
    page.get_by_text("Question added.").wait_for()
    assert org.research_questions.get().text.startswith("What would they pay")
