import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from journeymap.models import Invitation, Membership, Role, invitation_create


def _link(message) -> str:
    return re.search(r"http://testserver(/invite/[^/\s]+/)", message.body).group(1)


def _membership(org, user) -> Membership:
    return Membership.objects.get(organisation=org, user=user)


# ---- Inviting --------------------------------------------------------------


def test_owners_invite_by_email(alice_client, org):
    response = alice_client.post(
        "/o/demo/members/invite/", {"email": "erin@example.com", "role": "editor"}
    )
    assert response["Location"] == "/o/demo/members/"
    assert mail.outbox[0].to == ["erin@example.com"]
    assert "/invite/" in mail.outbox[0].body


def test_only_the_token_hash_is_stored(alice_client, org):
    alice_client.post(
        "/o/demo/members/invite/", {"email": "erin@example.com", "role": "editor"}
    )
    token = _link(mail.outbox[0]).split("/")[2]
    assert token not in Invitation.objects.get().token_hash


def test_editors_cannot_invite(dave_client, org):
    response = dave_client.post(
        "/o/demo/members/invite/", {"email": "erin@example.com", "role": "editor"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_refuses_a_bad_address(alice_client, org):
    response = alice_client.post(
        "/o/demo/members/invite/", {"email": "not an address", "role": "editor"}
    )
    assert response.status_code == 400
    assert mail.outbox == []


def test_it_refuses_an_unknown_role(alice_client, org):
    response = alice_client.post(
        "/o/demo/members/invite/", {"email": "erin@example.com", "role": "god"}
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_it_refuses_to_invite_a_member(alice_client, org):
    response = alice_client.post(
        "/o/demo/members/invite/", {"email": "BOB@example.com", "role": "editor"}
    )
    assert "already a member" in response.content.decode()
    assert mail.outbox == []


def test_it_refuses_a_second_open_invitation(alice_client, org, alice):
    invitation_create(org, "erin@example.com", Role.EDITOR, alice)
    response = alice_client.post(
        "/o/demo/members/invite/", {"email": "erin@example.com", "role": "viewer"}
    )
    assert response.status_code == 400
    assert Invitation.objects.count() == 1


def test_resending_makes_a_new_link_and_kills_the_old(alice_client, org, alice):
    invitation, old_token = invitation_create(org, "erin@example.com", "editor", alice)
    alice_client.post(f"/o/demo/invitations/{invitation.pk}/resend/")
    assert Invitation.find(old_token) is None
    assert _link(mail.outbox[0]) != f"/invite/{old_token}/"


def test_withdrawing_an_invitation(alice_client, org, alice, client, carol):
    invitation, token = invitation_create(org, "erin@example.com", "editor", alice)
    alice_client.post(f"/o/demo/invitations/{invitation.pk}/revoke/")
    client.force_login(carol)
    assert client.get(f"/invite/{token}/").status_code == 410


def test_owners_see_open_invitations(alice_client, org, alice):
    invitation_create(org, "erin@example.com", "editor", alice)
    assert "erin@example.com" in alice_client.get("/o/demo/members/").content.decode()


def test_viewers_see_members_but_no_controls(bob_client):
    body = bob_client.get("/o/demo/members/").content.decode()
    assert "alice" in body
    assert "members/invite/" not in body
    assert "/role/" not in body


# ---- Accepting -------------------------------------------------------------


def test_someone_with_an_account_accepts(client, carol, other_org, org, alice):
    _inv, token = invitation_create(org, "carol@example.com", Role.EDITOR, alice)
    client.force_login(carol)
    assert client.get(f"/invite/{token}/").status_code == 200
    response = client.post(f"/invite/{token}/accept/")
    assert response["Location"] == "/o/demo/"
    assert _membership(org, carol).role == Role.EDITOR


def test_a_newcomer_signs_up_through_the_link(client, org, alice):
    _inv, token = invitation_create(org, "erin@example.com", Role.VIEWER, alice)
    response = client.post(
        f"/accounts/signup/?invite={token}",
        {
            "username": "erin",
            "email": "erin@example.com",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    assert response["Location"] == "/o/demo/"
    membership = Membership.objects.get(user__username="erin")
    assert (membership.organisation, membership.role) == (org, Role.VIEWER)


def test_an_invitation_works_once(client, carol, other_org, org, alice, dave):
    _inv, token = invitation_create(org, "carol@example.com", Role.EDITOR, alice)
    client.force_login(carol)
    client.post(f"/invite/{token}/accept/")
    client.force_login(dave)
    assert client.post(f"/invite/{token}/accept/").status_code == 410


def test_an_expired_invitation_does_not_work(client, carol, other_org, org, alice):
    invitation, token = invitation_create(org, "carol@example.com", "editor", alice)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(carol)
    assert client.get(f"/invite/{token}/").status_code == 410
    assert client.post(f"/invite/{token}/accept/").status_code == 410
    assert not Membership.objects.filter(organisation=org, user=carol).exists()


def test_a_made_up_token_is_gone(client, carol):
    client.force_login(carol)
    assert client.get("/invite/nonsense/").status_code == 410


def test_anonymous_visitors_see_who_invited_them(client, org, alice):
    _inv, token = invitation_create(org, "erin@example.com", Role.VIEWER, alice)
    body = client.get(f"/invite/{token}/").content.decode()
    assert "alice invited you" in body
    assert f"/accounts/signup/?invite={token}" in body


# ---- Roles and removal -----------------------------------------------------


def test_owners_change_roles(alice_client, org, bob):
    alice_client.post(
        f"/o/demo/members/{_membership(org, bob).pk}/role/", {"role": "editor"}
    )
    assert _membership(org, bob).role == Role.EDITOR


def test_the_last_owner_cannot_be_demoted(alice_client, org, alice):
    mine = _membership(org, alice)
    alice_client.post(f"/o/demo/members/{mine.pk}/role/", {"role": "viewer"})
    assert _membership(org, alice).role == Role.OWNER


def test_an_owner_can_step_down_when_there_is_another(alice_client, org, alice, bob):
    Membership.objects.filter(user=bob).update(role=Role.OWNER)
    response = alice_client.post(
        f"/o/demo/members/{_membership(org, alice).pk}/role/", {"role": "editor"}
    )
    assert _membership(org, alice).role == Role.EDITOR
    assert response["Location"] == "/o/demo/"


def test_a_nonsense_role_changes_nothing(alice_client, org, bob):
    alice_client.post(
        f"/o/demo/members/{_membership(org, bob).pk}/role/", {"role": "x"}
    )
    assert _membership(org, bob).role == Role.VIEWER


def test_removing_asks_first(alice_client, org, bob):
    response = alice_client.get(f"/o/demo/members/{_membership(org, bob).pk}/remove/")
    assert "Remove bob?" in response.content.decode()
    assert Membership.objects.filter(user=bob).exists()


def test_owners_remove_members(alice_client, org, bob, client):
    alice_client.post(f"/o/demo/members/{_membership(org, bob).pk}/remove/")
    client.force_login(bob)
    assert client.get("/o/demo/").status_code == 404


def test_members_of_another_organisation_cannot_be_targeted(
    alice_client, org, other_org, carol
):
    theirs = _membership(other_org, carol)
    assert alice_client.post(f"/o/demo/members/{theirs.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_members_leave(bob_client, org, bob):
    response = bob_client.post("/o/demo/leave/")
    assert response["Location"] == "/"
    assert not Membership.objects.filter(user=bob).exists()


def test_the_last_owner_cannot_leave(alice_client, org, alice):
    alice_client.post("/o/demo/leave/")
    assert _membership(org, alice).role == Role.OWNER


def test_a_signed_in_person_following_a_signup_link_is_sent_to_accept(
    client, carol, other_org, org, alice
):
    _inv, token = invitation_create(org, "carol@example.com", Role.EDITOR, alice)
    client.force_login(carol)
    response = client.get(f"/accounts/signup/?invite={token}")
    assert response["Location"] == f"/invite/{token}/"
