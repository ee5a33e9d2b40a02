"""Start-up configuration: every knob is an environment variable, checked early."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq!v9-production-like-secret-key-with-enough-entropy-2f8a1c",
    "ALLOWED_HOSTS": "journeymap.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://journeymap.example.org",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "journeymap.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a yes/no value"),
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        (
            {"EMAIL_PORT": "twenty-five"},
            "EMAIL_PORT='twenty-five' is not a whole number",
        ),
        ({"DATABASE_URL": "mysql://x@y/z"}, "only sqlite"),
        ({"CSRF_TRUSTED_ORIGINS": "example.org"}, "must start with http"),
        ({"LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE='fr' is not one of: en, nl"),
    ],
)
def test_bad_values_stop_start_up_with_a_clear_message(env, message):
    result = _manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_development_key_is_refused_in_production():
    env = {**PRODUCTION, "SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production"}
    result = _manage("check", **env)
    assert "development key" in result.stderr
