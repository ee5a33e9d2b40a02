from journeymap.models import Membership, Organisation, Role
from tests.helpers import add_member, make_org


def test_home_sends_members_to_their_organisation(alice_client):
    assert alice_client.get("/")["Location"] == "/o/demo/"


def test_home_returns_to_the_last_organisation_visited(alice, alice_client):
    make_org("Zeta", alice)
    alice_client.get("/o/zeta/")
    assert alice_client.get("/")["Location"] == "/o/zeta/"


def test_home_asks_people_without_organisation_to_make_one(client, carol):
    client.force_login(carol)
    assert client.get("/")["Location"] == "/organisations/new/"


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/")["Location"] == "/accounts/login/"


def test_the_switcher_lists_every_organisation_of_the_user(alice, alice_client):
    make_org("Zeta", alice)
    body = alice_client.get("/o/demo/").content.decode()
    assert 'href="/o/zeta/"' in body
    assert 'href="/o/demo/" aria-current="true"' in body


def test_a_member_of_two_organisations_sees_both(carol, carol_client, org):
    add_member(org, carol, Role.EDITOR)
    assert carol_client.get("/o/demo/").status_code == 200
    assert carol_client.get("/o/other/").status_code == 200


def test_creating_an_organisation_makes_you_owner(carol_client, carol):
    response = carol_client.post("/organisations/new/", {"name": "Tweede"})
    assert response["Location"] == "/o/tweede/"
    assert Membership.objects.get(organisation__slug="tweede").user == carol


def test_an_organisation_needs_a_name(carol_client):
    response = carol_client.post("/organisations/new/", {"name": "   "})
    assert response.status_code == 200
    assert Organisation.objects.count() == 1


def test_owners_rename_their_organisation(alice_client, org):
    alice_client.post("/o/demo/settings/", {"name": "Demo BV"})
    org.refresh_from_db()
    assert (org.name, org.slug) == ("Demo BV", "demo")


def test_editors_cannot_open_settings(dave_client):
    assert dave_client.get("/o/demo/settings/").status_code == 403


def test_a_very_long_name_is_refused(alice_client, org):
    response = alice_client.post("/o/demo/settings/", {"name": "x" * 10_000})
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.name == "Demo"


def test_overview_query_count(alice_client, django_assert_num_queries):
    alice_client.get("/o/demo/")  # the first visit also remembers the organisation
    # session, user, membership, role counts, invitations, switcher, and the
    # overview's sections (tests/journeymap/test_overview.py counts them)
    with django_assert_num_queries(14):
        assert alice_client.get("/o/demo/").status_code == 200


def test_members_page_query_count(alice_client, org, django_assert_num_queries):
    alice_client.get("/o/demo/members/")
    # session, user, membership, members, invitations, switcher
    with django_assert_num_queries(6):
        assert alice_client.get("/o/demo/members/").status_code == 200


def test_the_overview_leads_to_each_step_of_the_method(alice_client):
    body = alice_client.get("/o/demo/").content.decode()
    for path in ("research/dmus/", "research/personas/", "research/", "maps/"):
        assert f'href="/o/demo/{path}"' in body
