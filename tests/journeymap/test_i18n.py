import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/nl/LC_MESSAGES/django.po"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is missing")
def test_the_dutch_catalogue_is_complete():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_the_browser_language_decides(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9")
    assert "Inloggen" in response.content.decode()


def test_the_language_switch_sticks(alice_client):
    alice_client.post("/i18n/setlang/", {"language": "nl", "next": "/o/demo/"})
    body = alice_client.get("/o/demo/members/").content.decode()
    assert '<html lang="nl">' in body
    assert "Leden" in body
