"""Read a JSON map file (maps.files.json_format) into an organisation as a new map."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from journeymap.models import Organisation
from maps.files.json_format import ImportRejected, import_map, read_upload


class Command(BaseCommand):
    help = (
        "Import a journey map from a JSON file made by export_map (or Export → "
        "JSON) into an organisation, always as a new map. Checks the whole file "
        "first and imports nothing when any part is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .json file, or - for standard input")
        parser.add_argument(
            "--organisation",
            "--org",
            required=True,
            metavar="SLUG",
            help="the organisation's address (slug)",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="who the history shows as importer (default: nobody)",
        )

    def handle(self, *args, file: str, organisation: str, user: str | None, **options):
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with slug {organisation!r}.") from None
        importer = None
        if user is not None:
            model = get_user_model()
            try:
                importer = model.objects.get(**{model.USERNAME_FIELD: user})
            except model.DoesNotExist:
                raise CommandError(f"No user {user!r}.") from None
        try:
            if file == "-":
                document = read_upload(sys.stdin.buffer)
            else:
                try:
                    with open(file, "rb") as source:
                        document = read_upload(source)
                except OSError as exc:
                    raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
            result = import_map(document, org, importer)
        except ImportRejected as rejected:
            lines = "\n".join(f"  - {error}" for error in rejected.errors)
            name = "Standard input" if file == "-" else file
            raise CommandError(f"{name} was not imported:\n{lines}") from None
        for line in result.notes:
            self.stdout.write(line)
        for line in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {line}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.map.title!r} into {org.name} as map {result.map.pk}."
            )
        )
