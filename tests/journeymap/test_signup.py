from django.contrib.auth.models import User

from journeymap.models import Membership, Organisation, Role

FORM = {
    "username": "erin",
    "email": "erin@example.com",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
    "organisation": "Voetzorg Oost",
}


def test_signup_creates_the_user_and_their_organisation(client, db):
    response = client.post("/accounts/signup/", FORM)
    org = Organisation.objects.get(name="Voetzorg Oost")
    assert response["Location"] == f"/o/{org.slug}/"
    membership = Membership.objects.get(organisation=org)
    assert (membership.user.username, membership.role) == ("erin", Role.OWNER)


def test_signup_signs_the_user_in(client, db):
    client.post("/accounts/signup/", FORM)
    assert client.get("/").status_code == 302
    assert client.get("/o/voetzorg-oost/").status_code == 200


def test_organisation_name_defaults_to_the_username(client, db):
    client.post("/accounts/signup/", {**FORM, "organisation": "  "})
    assert Organisation.objects.filter(name="erin").exists()


def test_slugs_stay_unique(client, alice, org):
    client.post("/accounts/signup/", {**FORM, "organisation": "Demo"})
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "demo",
        "demo-2",
    ]


def test_it_rejects_weak_passwords(client, db):
    response = client.post(
        "/accounts/signup/", {**FORM, "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="erin").exists()


def test_it_rejects_an_email_address_already_in_use(client, alice):
    response = client.post("/accounts/signup/", {**FORM, "email": "ALICE@example.com"})
    assert "already exists" in response.content.decode()
    assert not User.objects.filter(username="erin").exists()


def test_it_rejects_a_taken_username(client, alice):
    response = client.post("/accounts/signup/", {**FORM, "username": "alice"})
    assert response.status_code == 200
    assert User.objects.filter(username="alice").count() == 1


def test_markup_in_the_organisation_name_is_shown_as_text(client, db):
    client.post("/accounts/signup/", {**FORM, "organisation": "<script>x()</script>"})
    response = client.get("/", follow=True)
    body = response.content.decode()
    assert "<script>x()</script>" not in body
    assert "&lt;script&gt;x()&lt;/script&gt;" in body
