import re
from datetime import timedelta

from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

from tests.helpers import PASSWORD


def _sign_in(client, username="alice", password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_sign_in_and_out(client, alice, org):
    assert _sign_in(client)["Location"] == "/"
    assert client.get("/o/demo/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/o/demo/").status_code == 302


def test_a_wrong_password_is_refused(client, alice):
    response = _sign_in(client, password="wrong")
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_username_from_that_address(client, alice):
    for _ in range(5):
        _sign_in(client, password="wrong")
    response = _sign_in(client)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_the_lock_does_not_reach_other_addresses(client, alice):
    for _ in range(5):
        _sign_in(client, password="wrong")
    assert _sign_in(client, ip="10.0.0.2")["Location"] == "/"


def test_the_lock_cools_off(client, alice):
    for _ in range(5):
        _sign_in(client, password="wrong")
    assert _sign_in(client).status_code == 429
    # Sixteen minutes later (the cool-off is fifteen), the same pair may try again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client)["Location"] == "/"


def test_password_change(client, alice):
    client.force_login(alice)
    client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    )
    alice.refresh_from_db()
    assert alice.check_password("another long passphrase")


def test_password_reset_by_email(client, alice):
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(
        form_url,
        {
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    )
    alice.refresh_from_db()
    assert alice.check_password("a brand new passphrase")


def test_password_reset_does_not_tell_who_has_an_account(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []
