"""The foundation's user flows in a real Chromium (see tests/conftest.py)."""

import re

import pytest
from django.core import mail

from journeymap.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_creates_an_organisation(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("E-mail address").fill("erin@example.com")
    page.locator("#id_password1").fill("a long and unusual passphrase")
    page.locator("#id_password2").fill("a long and unusual passphrase")
    page.get_by_label("Organisation name").fill("Voetzorg Oost")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/o/voetzorg-oost/")
    assert page.get_by_role("heading", level=1).inner_text() == "Voetzorg Oost"
    assert Membership.objects.get(user__username="erin").role == Role.OWNER


def test_an_invited_colleague_joins(new_context, alice, org):
    owner = new_context(alice).new_page()
    owner.goto("/o/demo/members/")
    owner.get_by_label("E-mail address").fill("erin@example.com")
    owner.locator("#id_role").select_option("editor")
    owner.get_by_role("button", name="Send invitation").click()
    owner.get_by_text("Invitation sent to erin@example.com").wait_for()
    link = re.search(r"https?://\S+/invite/\S+/", mail.outbox[-1].body).group(0)

    newcomer = new_context().new_page()
    newcomer.goto(link)
    newcomer.get_by_role("link", name="Create an account and join").click()
    newcomer.get_by_label("Username").fill("erin")
    newcomer.locator("#id_password1").fill("a long and unusual passphrase")
    newcomer.locator("#id_password2").fill("a long and unusual passphrase")
    newcomer.get_by_role("button", name="Create account and join").click()
    newcomer.wait_for_url("**/o/demo/")
    assert "Welcome to Demo" in newcomer.content()

    owner.goto("/o/demo/members/")
    assert owner.get_by_role("cell", name="erin@example.com").is_visible()


def test_a_member_with_an_account_accepts(new_context, alice, org, carol, other_org):
    owner = new_context(alice).new_page()
    owner.goto("/o/demo/members/")
    owner.get_by_label("E-mail address").fill("carol@example.com")
    owner.get_by_role("button", name="Send invitation").click()
    owner.get_by_text("Invitation sent").wait_for()
    link = re.search(r"https?://\S+/invite/\S+/", mail.outbox[-1].body).group(0)

    guest = new_context(carol).new_page()
    guest.goto(link)
    guest.get_by_role("button", name="Accept as carol").click()
    guest.wait_for_url("**/o/demo/")
    guest.get_by_label("Switch organisation").click()
    assert guest.get_by_role("link", name=re.compile("Other")).is_visible()


def test_a_viewer_sees_no_edit_controls_and_a_forged_post_is_refused(
    new_context, bob, org
):
    page = new_context(bob).new_page()
    page.goto("/o/demo/members/")
    assert page.get_by_role("cell", name="alice", exact=False).first.is_visible()
    assert page.get_by_role("button", name="Send invitation").count() == 0
    assert page.get_by_role("combobox").count() == 0
    assert page.get_by_role("link", name="Settings").count() == 0

    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(
        "/o/demo/members/invite/",
        form={"email": "mallory@example.com", "role": "owner"},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status == 403
    assert mail.outbox == []


def test_an_owner_changes_a_role_with_one_choice(new_context, alice, org, bob):
    page = new_context(alice).new_page()
    page.goto("/o/demo/members/")
    page.get_by_label("Role of bob").select_option("editor")
    page.get_by_text("bob is now editor").wait_for()
    assert Membership.objects.get(user=bob).role == Role.EDITOR


def test_switching_to_dutch(new_context, alice, org):
    page = new_context(alice).new_page()
    page.goto("/o/demo/")
    assert page.get_by_role("link", name="Members", exact=True).is_visible()
    page.get_by_role("button", name="NL").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("link", name="Leden", exact=True).is_visible()
    page.goto("/o/demo/members/")
    assert page.get_by_role("heading", name="Leden", level=1).is_visible()


def test_the_browser_language_is_used_on_a_first_visit(new_context):
    page = new_context(locale="nl-NL").new_page()
    page.goto("/accounts/login/")
    assert page.get_by_role("heading", name="Inloggen").is_visible()


def test_signing_in_through_the_form(page, alice, org):
    page.goto("/o/demo/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/o/demo/")
    assert page.get_by_role("heading", level=1).inner_text() == "Demo"
