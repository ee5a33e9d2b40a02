"""Small factories for tests: plain functions, no fixtures files."""

from django.contrib.auth.models import User
from django.db import connection

from journeymap.models import Membership, Organisation, Role

PASSWORD = "correct horse battery"


def make_user(username: str, email: str | None = None) -> User:
    return User.objects.create_user(
        username, email or f"{username}@example.com", PASSWORD
    )


def make_org(name: str, owner: User, slug: str | None = None) -> Organisation:
    org = Organisation.objects.create(name=name, slug=slug or name.lower())
    Membership.objects.create(organisation=org, user=owner, role=Role.OWNER)
    return org


def add_member(org: Organisation, user: User, role: str) -> Membership:
    return Membership.objects.create(organisation=org, user=user, role=role)


# record() tells the live streams with pg_notify inside the write on PostgreSQL:
# one query more per change there (elsewhere the news goes on commit, unqueried).
NOTIFY = 1 if connection.vendor == "postgresql" else 0
