"""Write one journey map as a JSON document (the format of maps.files.json_format)."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from maps.files.json_format import dumps, export_map
from maps.models import JourneyMap


class Command(BaseCommand):
    help = (
        "Export a journey map, with its stages, lanes, cards, emotions and actions, "
        "as a JSON document (to standard output, or to a file with --output). "
        "Import it anywhere with import_map."
    )

    def add_arguments(self, parser):
        parser.add_argument("map_id", help="the map's id (the UUID in its address)")
        parser.add_argument(
            "--output", "-o", metavar="FILE", help="write to FILE instead of stdout"
        )

    def handle(self, *args, map_id: str, output: str | None, **options):
        try:
            journey_map = JourneyMap.objects.get(pk=uuid.UUID(map_id))
        except (ValueError, JourneyMap.DoesNotExist):
            raise CommandError(f"No journey map with id {map_id!r}.") from None
        document = export_map(journey_map)
        text = dumps(document)
        summary = (
            f"Exported {journey_map.title!r}: {len(document['stages'])} stages, "
            f"{len(document['cards'])} cards, {len(document['actions'])} actions"
        )
        if output is None or output == "-":
            self.stdout.write(text, ending="")
            # On stderr, so that stdout holds nothing but the document.
            self.stderr.write(f"{summary}.")
            return
        try:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"{summary}, to {output}."))
