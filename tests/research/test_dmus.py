"""Decision-Making Units and the people in their roles."""

from research import dmus
from research.models import DMU, DMUMember
from tests.research.helpers import BASE_QUERIES, HX, delete_after_lookup, url, warm


def test_the_list_shows_roles_and_validation(
    seeded, alice_client, django_assert_num_queries
):
    warm(alice_client, seeded)
    with django_assert_num_queries(BASE_QUERIES + 1):
        response = alice_client.get(url("dmu_list", seeded))
    assert b"Inkoop kantoormeubilair" in response.content
    assert b"2 of 5" in response.content


def test_an_empty_list_says_what_to_do(org, alice_client):
    response = alice_client.get(url("dmu_list", org))
    assert b"Create the first DMU" in response.content


def test_the_dmu_page_shows_every_role_at_a_glance(
    dmu, alice_client, django_assert_num_queries
):
    warm(alice_client, dmu.organisation)
    # DMU, members with personas, their findings, share, questions, "are there
    # personas?" and the persona choices of the add form
    with django_assert_num_queries(BASE_QUERIES + 7):
        response = alice_client.get(url("dmu_detail", dmu.organisation, dmu.pk))
    content = response.content.decode()
    for role in ("Initiator", "User", "Influencer", "Decider", "Buyer", "Gatekeeper"):
        assert role in content
    assert "40%" in content
    assert "Nobody yet." in content  # the gatekeeper


def test_it_creates_a_dmu(org, alice_client):
    response = alice_client.post(
        url("dmu_create", org), {"name": "Eerste aankoop", "market": "b2c"}
    )
    dmu = DMU.objects.get(organisation=org)
    assert response.status_code == 302
    assert dmu.market == "b2c"


def test_a_dmu_needs_a_name(org, alice_client):
    response = alice_client.post(url("dmu_create", org), {"name": "", "market": "b2b"})
    assert b"This field is required" in response.content
    assert not DMU.objects.exists()


def test_a_stale_dmu_edit_shows_both_versions(dmu, alice_client):
    DMU.objects.filter(pk=dmu.pk).update(name="Dave's name", version=2)
    response = alice_client.post(
        url("dmu_edit", dmu.organisation, dmu.pk),
        {"name": "Alice's name", "market": "b2b", "version": 1},
    )
    dmu.refresh_from_db()
    assert response.status_code == 409
    assert dmu.name == "Dave's name"
    assert b"Dave&#x27;s name" in response.content
    assert b"Alice&#x27;s name" in response.content


def test_a_stale_role_edit_shows_both_notes_and_saves_nothing(dmu, alice_client):
    member = dmu.members.get(role="buyer")
    DMUMember.objects.filter(pk=member.pk).update(note="Dave's note", version=2)
    response = alice_client.post(
        url("dmu_member_edit", dmu.organisation, member.pk),
        {"role": "decider", "note": "Alice's note", "version": 1},
    )
    member.refresh_from_db()
    assert response.status_code == 409
    assert (member.role, member.note) == ("buyer", "Dave's note")
    assert b"Dave&#x27;s note" in response.content
    assert b"Alice&#x27;s note" in response.content
    assert b'name="version" value="2"' in response.content


def test_a_role_removed_while_saving_says_so(dmu, alice_client, monkeypatch):
    member = dmu.members.get(role="buyer")
    delete_after_lookup(monkeypatch, dmus, "get_dmu_member")
    response = alice_client.post(
        url("dmu_member_edit", dmu.organisation, member.pk),
        {"role": "buyer", "note": "Nieuw", "version": member.version},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == dmu.get_absolute_url()
    assert b"Someone else removed this role." in response.content


def test_it_adds_a_member_with_a_role_of_its_own(dmu, frank, alice_client):
    response = alice_client.post(
        url("dmu_member_add", dmu.organisation, dmu.pk),
        {"role": "other", "custom_role": "Ondernemingsraad", "persona": frank.pk},
    )
    assert response.status_code == 302
    member = dmu.members.get(role="other")
    assert member.role_label == "Ondernemingsraad"


def test_a_role_of_its_own_needs_a_name(dmu, alice_client):
    response = alice_client.post(
        url("dmu_member_add", dmu.organisation, dmu.pk), {"role": "other"}
    )
    assert response.status_code == 422
    assert b"Name the role." in response.content


def test_a_persona_of_another_organisation_is_refused(dmu, other_org, alice_client):
    from research.models import Persona

    foreign = Persona.objects.create(organisation=other_org, name="Vreemde")
    response = alice_client.post(
        url("dmu_member_add", dmu.organisation, dmu.pk),
        {"role": "user", "persona": foreign.pk},
    )
    assert response.status_code == 422
    assert not dmu.members.filter(persona=foreign).exists()


def test_citing_a_finding_validates_a_role(dmu, finding, alice_client):
    member = dmu.members.get(role="buyer")
    response = alice_client.post(
        url("dmu_member_evidence", dmu.organisation, member.pk),
        {"findings": [finding.pk], "version": member.version},
        **HX,
    )
    share = alice_client.get(url("dmu_share", dmu.organisation, dmu.pk))
    assert response.status_code == 200
    assert b"Validated" in response.content
    assert b"60%" in share.content


def test_removing_a_member_says_what_stays(dmu, alice_client):
    member = dmu.members.get(role="buyer")
    page = alice_client.get(url("dmu_member_delete", dmu.organisation, member.pk))
    alice_client.post(url("dmu_member_delete", dmu.organisation, member.pk))
    assert b"The persona and the findings stay" in page.content
    assert not DMUMember.objects.filter(pk=member.pk).exists()


def test_deleting_a_dmu_deletes_its_roles(dmu, alice_client):
    page = alice_client.get(url("dmu_delete", dmu.organisation, dmu.pk))
    alice_client.post(url("dmu_delete", dmu.organisation, dmu.pk))
    assert b"5 role assignments are deleted with it" in page.content
    assert not DMUMember.objects.exists()
