from unittest import mock

from django.db import DatabaseError


def test_healthz_says_ok(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_healthz_reports_a_broken_database(client, db):
    with mock.patch("journeymap.views.connection.cursor", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_admin_works_for_superusers(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    assert client.get("/admin/journeymap/organisation/").status_code == 200
    assert client.get("/admin/journeymap/invitation/").status_code == 200


def test_admin_refuses_ordinary_users(alice_client):
    assert alice_client.get("/admin/journeymap/organisation/").status_code == 302
