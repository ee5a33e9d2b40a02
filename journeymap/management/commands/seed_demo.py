"""Fill the database with a small, realistic demo. Safe to run again."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from journeymap.models import Membership, Organisation, Role

DEMO_ORG = ("Demo", "demo")
OTHER_ORG = ("Bureau Noord", "bureau-noord")
CAST = [
    # username, e-mail, organisation slug, role
    ("alice", "alice@example.com", "demo", Role.OWNER),
    ("bob", "bob@example.com", "demo", Role.VIEWER),
    ("carol", "carol@example.com", "bureau-noord", Role.OWNER),
]


class Command(BaseCommand):
    help = (
        "Create the demo organisations and users (alice owns Demo, bob views it, "
        "carol owns another organisation). Idempotent; refuses with DEBUG off "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo", help="password for all")
        parser.add_argument(
            "--force", action="store_true", help="run even when DEBUG is off"
        )

    @transaction.atomic
    def handle(self, *args, password: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo users have a "
                "known password; use --force if you really want them."
            )
        orgs = {}
        for name, slug in (DEMO_ORG, OTHER_ORG):
            orgs[slug], _ = Organisation.objects.get_or_create(
                slug=slug, defaults={"name": name}
            )
        for username, email, slug, role in CAST:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": email}
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            Membership.objects.update_or_create(
                organisation=orgs[slug], user=user, defaults={"role": role}
            )
        # Imported here: the core must not depend on the apps built on it.
        from maps.demo import seed_maps
        from research.demo import seed_research

        seed_research(orgs["demo"])
        seed_maps(orgs["demo"], User.objects.get(username="alice"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: sign in as alice (owner), bob (viewer) or carol "
                f"(another organisation) with password {password!r}."
            )
        )
