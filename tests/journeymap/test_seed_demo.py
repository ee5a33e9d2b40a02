from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from journeymap.models import Membership, Role


def _roles():
    return sorted(
        Membership.objects.values_list("organisation__name", "user__username", "role")
    )


@pytest.mark.django_db
def test_it_creates_the_cast(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert _roles() == [
        ("Bureau Noord", "carol", Role.OWNER),
        ("Demo", "alice", Role.OWNER),
        ("Demo", "bob", Role.VIEWER),
    ]
    assert User.objects.get(username="bob").check_password("demo")


@pytest.mark.django_db
def test_it_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    before = _roles()
    call_command("seed_demo", "--password", "other", stdout=StringIO())
    assert _roles() == before
    assert User.objects.get(username="alice").check_password("other")


@pytest.mark.django_db
def test_it_refuses_in_production_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", "--force", stdout=StringIO())
    assert User.objects.filter(username="alice").exists()
