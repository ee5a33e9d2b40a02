"""The sign-in and password pages name the product, not the host they run on."""

from django.core import mail


def test_the_sign_in_page_says_journeymap(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "<span>Journeymap</span>" in body
    assert "testserver" not in body


def test_the_password_reset_email_says_journeymap(client, alice):
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    (sent,) = mail.outbox
    assert sent.subject == "Choose a new password for Journeymap"
    assert "your Journeymap account" in sent.body
    assert "testserver" not in sent.subject + sent.body.split("http://")[0]


def test_the_password_pages_say_journeymap(client, db):
    for url in ("/accounts/password/reset/", "/accounts/password/reset/sent/"):
        body = client.get(url).content.decode()
        assert "<span>Journeymap</span>" in body, url
        assert "testserver" not in body, url
