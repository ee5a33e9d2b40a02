"""
The fixed cast every test uses: alice owns organisation "Demo", bob views it,
dave edits it, and carol owns "Other" (so she is an outsider to Demo).

Browser tests (marked `browser`) drive Debian's Chromium through Playwright
against `live_app`: uvicorn serving the ASGI application in a thread (as in
production, so live streams work) on the test database. Without a Chromium
they are skipped, except under CI=true, where a missing browser fails the run.
On SQLite the test database is a file, so the server's threads share it.
"""

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.helpers import add_member, make_org, make_user

# Playwright's sync API runs an event loop in this thread; our test code still
# talks to the database synchronously, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    database = django_settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = f"journeymap-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.gettempdir(), name
        )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def carol(db):
    return make_user("carol")


@pytest.fixture
def dave(db):
    return make_user("dave")


@pytest.fixture
def org(alice, bob, dave):
    demo = make_org("Demo", alice)
    add_member(demo, bob, "viewer")
    add_member(demo, dave, "editor")
    return demo


@pytest.fixture
def other_org(carol):
    return make_org("Other", carol)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice, org) -> Client:
    return _client_for(alice)


@pytest.fixture
def bob_client(bob, org) -> Client:
    return _client_for(bob)


@pytest.fixture
def dave_client(dave, org) -> Client:
    return _client_for(dave)


@pytest.fixture
def carol_client(carol, other_org) -> Client:
    return _client_for(carol)


# ---- The server ------------------------------------------------------------


class AppServer:
    """uvicorn in a thread of this process, serving journeymap.asgi. It can be
    stopped and started again on the same port (a server restart)."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://localhost:{self.port}"
        self.server = None
        self.thread = None

    def start(self) -> None:
        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from django.core.asgi import get_asgi_application

        config = uvicorn.Config(
            ASGIStaticFilesHandler(get_asgi_application()),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.server is not None:
            import asyncio

            from journeymap.hub import hub

            loop = hub._loop
            if loop is not None and loop.is_running():
                asyncio.run_coroutine_threadsafe(hub.aclose(), loop).result(5)
            self.server.should_exit = True
            self.thread.join(10)
            self.server = None


@pytest.fixture(scope="session")
def app_server(django_db_setup, django_db_blocker) -> Iterator[AppServer]:
    hosts = list(django_settings.ALLOWED_HOSTS)
    django_settings.ALLOWED_HOSTS = [*hosts, "localhost", "127.0.0.1"]
    server = AppServer()
    with django_db_blocker.unblock():
        server.start()
    yield server
    server.stop()
    django_settings.ALLOWED_HOSTS = hosts


@pytest.fixture
def live_app(app_server, transactional_db) -> Iterator[AppServer]:
    """The running server, for one test (which writes through real commits)."""
    if app_server.server is None:
        app_server.start()
    yield app_server
    if app_server.server is None:  # the test stopped it and did not restart it
        app_server.start()


# ---- Browser tests --------------------------------------------------------


def _chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if os.path.exists(candidate):
        return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        message = (
            "Chromium not found: install Debian's `chromium` (apt-get install "
            "chromium) or point $CHROMIUM at a Chromium binary."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageProblems:
    """Console errors that mean a broken page: CSP violations and JS exceptions."""

    def __init__(self):
        self.items: list[str] = []

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.items.append(f"JS error: {exc}"))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.items.append(f"CSP: {message.text}")


@pytest.fixture
def new_context(browser, live_app) -> Iterator[Callable]:
    """Make browser contexts on the live server; fails the test on CSP errors."""
    contexts, problems = [], PageProblems()

    def make(user=None, locale: str = "en-US"):
        context = browser.new_context(
            base_url=live_app.url,
            locale=locale,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        context.on("page", problems.watch)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": django_settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[
                            django_settings.SESSION_COOKIE_NAME
                        ].value,
                        "url": live_app.url,
                    }
                ]
            )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert problems.items == [], "\n".join(problems.items)


@pytest.fixture
def page(new_context):
    """A page with nobody signed in."""
    return new_context().new_page()
