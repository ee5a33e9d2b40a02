"""
Names and headers for files a user downloads (PDF, JSON, CSV): the map's title
and the date, in characters every file system and mail client accepts.
"""

import datetime

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify


def download_name(title: str, extension: str, day: datetime.date) -> str:
    """
    A file name from a title and a day, e.g. 'Inkoop (huidig)', 'pdf' →
    'inkoop-huidig-2026-11-23.pdf': ASCII letters, digits and hyphens only.
    """
    stem = slugify(title)[:80].strip("-") or "journeymap"
    return f"{stem}-{day.isoformat()}.{extension}"


def as_attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
