"""
`python -m bench.live`: how fast live changes reach the others, and what a
thousand open map streams cost one server process.

Runs uvicorn serving journeymap.asgi (one process, as in production) on a
scratch database: PostgreSQL when DATABASE_URL is a postgres URL (a new
database `journeymap_bench_<pid>` beside the one named, dropped afterwards),
else a temporary SQLite file. Builds a 120-card map with bench.canvas.build,
then measures (times in milliseconds, medians unless named otherwise):

- `live_p50_ms`, `live_p95_ms`: a card edit POSTed by alice until dave's open
  stream (`map_events`) carries its `change` event; `LIVE_EDITS` edits, one at
  a time. Beside them `live_post_ms` (the edit's own answer),
  `live_event_lead_ms` (how much sooner the event came than that answer) and
  `live_floor_ms` / `live_floor_p95_ms`: a GET /healthz after each edit, the
  floor of this shared, noisy machine;
- `live_dom_p50_ms`, `live_dom_p95_ms`: the same in Chromium: page B has the
  map open (static/js/live.js), page A (another person, same browser) POSTs
  with fetch(), until B's `#card-<id> .card-text` shows the new text (a
  MutationObserver on B). Both ends read Date.now(): one machine, one clock;
- `sse_viewers` streams open on the map at once (raw asyncio connections, as
  browsers would: each with its client id), and meanwhile `sse_db_connections`
  (the server's connections to the scratch database: pg_stat_activity rows,
  or its open descriptors of the SQLite file), `sse_rss_mb` (VmRSS, with
  `sse_rss_idle_mb` before the streams), `sse_open_s` (opening them all),
  `sse_server_threads` (Django's ASGI handler keeps a thread per request, so
  per open stream);
- `sse_fanout_p95_ms`: one edit until its event reached each stream, the p95
  over streams, median over `FANOUT_EDITS` edits (`sse_fanout_max_ms`: the
  slowest stream, median over edits; `sse_fanout_server_cpu_ms` and
  `sse_fanout_bench_cpu_ms`: CPU per edit of the server and of this process).

Progress goes to stderr, one JSON line to stdout. `live_backend` says which
database the hub used (pg_notify, or in-process on SQLite).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from dataclasses import dataclass, field
from pathlib import Path

LIVE_EDITS = int(os.environ.get("BENCH_LIVE_EDITS", "200"))
DOM_EDITS = int(os.environ.get("BENCH_LIVE_DOM_EDITS", "60"))
VIEWERS = int(os.environ.get("BENCH_LIVE_VIEWERS", "1000"))
FANOUT_EDITS = int(os.environ.get("BENCH_LIVE_FANOUT_EDITS", "5"))
# Viewers' streams carry a client id (join presence), as live.js's do; 0 leaves
# it out, to see what presence costs.
PRESENCE = os.environ.get("BENCH_LIVE_PRESENCE", "1") != "0"
FLOOR_REQUESTS = 50
WARM_UP = 5
OPEN_AT_ONCE = 50  # streams being opened at the same time
EVENT_TIMEOUT = 10.0
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"bench.live: {message}", file=sys.stderr, flush=True)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# ---- The scratch database and the server ------------------------------------------


@dataclass
class Scratch:
    backend: str  # "postgresql" or "sqlite"
    url: str
    path: str = ""  # the SQLite file
    name: str = ""  # the PostgreSQL database
    admin_url: str = ""  # where to CREATE / DROP it from

    @classmethod
    def create(cls) -> Scratch:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg

            name = f"journeymap_bench_{os.getpid()}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            parts = urllib.parse.urlsplit(url)
            scratch = parts._replace(path=f"/{name}").geturl()
            return cls("postgresql", scratch, name=name, admin_url=url)
        fd, path = tempfile.mkstemp(prefix="journeymap-live-", suffix=".sqlite3")
        os.close(fd)
        return cls("sqlite", f"sqlite:///{path}", path=path)

    def drop(self) -> None:
        if self.backend == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path + suffix)

    def connections_of(self, pid: int) -> int:
        """Database connections the server process holds now."""
        if self.backend == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                rows = conn.execute(
                    "SELECT application_name, state FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.name],
                ).fetchall()
            log(f"server's connections: {rows}")
            return len(rows)
        count = 0
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == self.path:
                    count += 1
        return count


def server_environment(scratch: Scratch) -> dict[str, str]:
    """Settings for the bench process and the server alike."""
    return {
        "DATABASE_URL": scratch.url,
        "DJANGO_SETTINGS_MODULE": "journeymap.settings",
        # DEBUG on for static files without collectstatic and plain-HTTP cookies;
        # templates are cached either way (Django 5).
        "DEBUG": "1",
        "SECRET_KEY": "bench-live-" + secrets.token_hex(16),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PDF_WORKERS": "1",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """uvicorn serving journeymap.asgi in a process of its own."""

    def __init__(self, env: dict[str, str]):
        self.port = _free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "journeymap.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.proc.pid
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"bench.live: uvicorn exited:\n{self.output()}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            time.sleep(0.1)
        raise SystemExit("bench.live: uvicorn did not start in 30 s")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_s(self) -> float:
        """CPU seconds the server used so far (user and system, all threads)."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def threads(self) -> int:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
        return 0

    def rss_mb(self) -> float:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        tail = self.output().strip()
        if tail:
            log(f"server said:\n{tail}")
        self.log.close()


# ---- Data --------------------------------------------------------------------------


@dataclass
class World:
    org_slug: str
    map_id: str
    card_id: str
    version: int
    stage_id: str
    lane_id: str
    alice: str  # session cookie values
    dave: str
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))  # 32 chars

    def cookie(self, session: str) -> str:
        return f"sessionid={session}; csrftoken={self.csrf}"

    @property
    def events_path(self) -> str:
        return f"/o/{self.org_slug}/maps/{self.map_id}/events/"

    @property
    def edit_path(self) -> str:
        return f"/o/{self.org_slug}/maps/cards/{self.card_id}/edit/"

    @property
    def map_path(self) -> str:
        return f"/o/{self.org_slug}/maps/{self.map_id}/"

    def edit_form(self, text: str) -> dict[str, str]:
        form = {
            "text": text,
            "version": str(self.version),
            "details": "",
            "map": self.map_id,
            "stage": self.stage_id,
            "lane": self.lane_id,
        }
        self.version += 1  # what the card's version is once this is saved
        return form


def prepare(env: dict[str, str]) -> World:
    """Migrate the scratch database and build alice's map; dave edits it too."""
    os.environ.update(env)
    import django

    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from bench.canvas import build
    from journeymap.models import Membership, Organisation, Role
    from maps.models import Card

    call_command("migrate", verbosity=0, interactive=False)
    org = Organisation.objects.create(name="Live bench", slug="live")
    alice = User.objects.create_user("alice", "alice@example.com", first_name="Alice")
    dave = User.objects.create_user("dave", "dave@example.com", first_name="Dave")
    Membership.objects.create(organisation=org, user=alice, role=Role.OWNER)
    Membership.objects.create(organisation=org, user=dave, role=Role.EDITOR)
    journey_map = build(org, alice, title="Live", stages=8, lanes=8, cards=120)
    card = Card.objects.filter(map=journey_map, lane__kind="text").order_by("pk")[0]
    sessions = {}
    for user in (alice, dave):
        client = Client()
        client.force_login(user)
        sessions[user.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert reverse("card_edit", args=[org.slug, card.pk]).endswith("/edit/")
    world = World(
        org_slug=org.slug,
        map_id=str(journey_map.pk),
        card_id=str(card.pk),
        version=card.version,
        stage_id=str(card.stage_id),
        lane_id=str(card.lane_id),
        alice=sessions["alice"],
        dave=sessions["dave"],
    )
    connections.close_all()  # the bench holds no connection while measuring
    return world


# ---- A small HTTP/1.1 client on asyncio --------------------------------------------


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def _read_chunk(reader: asyncio.StreamReader) -> bytes:
    size = int((await reader.readline()).split(b";")[0], 16)
    data = await reader.readexactly(size + 2)
    return data[:-2]


class Http:
    """One kept-alive connection (reopened when the server closed it)."""

    def __init__(self, port: int, cookie: str = "", client: str = ""):
        self.port, self.cookie, self.client = port, cookie, client
        self.reader = self.writer = None
        self.used = 0.0

    async def request(
        self, method: str, path: str, form: dict[str, str] | None = None, **headers
    ) -> tuple[int, bytes]:
        # uvicorn closes idle connections after 5 s: do not race it.
        if self.writer is None or time.monotonic() - self.used > 3:
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", self.port
            )
        body = urllib.parse.urlencode(form or {}).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if self.client:
            lines.append(f"X-Journeymap-Client: {self.client}")
        lines += [
            f"{name.replace('_', '-')}: {value}" for name, value in headers.items()
        ]
        if form is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status, head = await _read_head(self.reader)
        if "content-length" in head:
            content = await self.reader.readexactly(int(head["content-length"]))
        elif head.get("transfer-encoding") == "chunked":
            parts = []
            while chunk := await _read_chunk(self.reader):
                parts.append(chunk)
            await self.reader.readline()
            content = b"".join(parts)
        else:
            content = await self.reader.read()
        if head.get("connection") == "close":
            await self.close()
        self.used = time.monotonic()
        return status, content

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def edit_card(http: Http, world: World, text: str) -> float:
    """POST one card edit like htmx does; returns when its answer arrived."""
    status, content = await http.request(
        "POST",
        world.edit_path,
        world.edit_form(text),
        HX_Request="true",
        X_CSRFToken=world.csrf,
    )
    if status != 200:
        raise SystemExit(f"bench.live: card edit answered {status}: {content[:300]}")
    return time.perf_counter()


class Stream:
    """One open map stream: `on_change(rev)` is called as each change arrives."""

    def __init__(self, port: int, path: str, cookie: str, on_change):
        self.port, self.path, self.cookie = port, path, cookie
        self.on_change = on_change
        self.writer = None
        self.task: asyncio.Task | None = None

    async def open(self) -> None:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"Cookie: {self.cookie}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        status, head = await _read_head(reader)
        if status != 200 or not head.get("content-type", "").startswith(
            "text/event-stream"
        ):
            raise SystemExit(f"bench.live: stream answered {status} {head}")
        chunked = head.get("transfer-encoding") == "chunked"
        buffer = b""
        while b"\n\n" not in buffer:  # the `retry:` line: the stream is subscribed
            buffer += await (_read_chunk(reader) if chunked else reader.read(4096))
        self.task = asyncio.get_running_loop().create_task(
            self._read(reader, chunked, buffer)
        )

    async def _read(self, reader, chunked: bool, buffer: bytes) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                while b"\n\n" in buffer:
                    event, buffer = buffer.split(b"\n\n", 1)
                    if b"event: change" in event:
                        now = time.perf_counter()
                        for line in event.split(b"\n"):
                            if line.startswith(b"id: "):
                                self.on_change(int(line[4:]), now)
                data = await (_read_chunk(reader) if chunked else reader.read(65536))
                if not data:
                    return
                buffer += data

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()


# ---- The measurements ----------------------------------------------------------------


async def floor_ms(server: Server, n: int = FLOOR_REQUESTS) -> float:
    http = Http(server.port)
    times = []
    for _i in range(WARM_UP + n):
        start = time.perf_counter()
        status, _body = await http.request("GET", "/healthz")
        times.append(time.perf_counter() - start)
        if status != 200:
            raise SystemExit(f"bench.live: /healthz answered {status}")
    await http.close()
    return _ms(statistics.median(times[WARM_UP:]))


async def one_to_one(server: Server, world: World) -> dict:
    """alice edits, dave's stream hears it: one edit at a time."""
    arrived: asyncio.Queue = asyncio.Queue()
    stream = Stream(
        server.port,
        f"{world.events_path}?client=bench-dave",
        world.cookie(world.dave),
        lambda rev, now: arrived.put_nowait((rev, now)),
    )
    await stream.open()
    http = Http(server.port, world.cookie(world.alice), client="bench-alice")
    floor = Http(server.port)
    live, answers, floors = [], [], []
    try:
        for i in range(WARM_UP + LIVE_EDITS):
            start = time.perf_counter()
            answer = asyncio.ensure_future(edit_card(http, world, f"Live edit {i}"))
            _rev, heard = await asyncio.wait_for(arrived.get(), EVENT_TIMEOUT)
            answered = await answer
            # The floor beside each edit: the machine is shared and noisy.
            # (A moment's rest first: the edit's request is still tidying up.)
            await asyncio.sleep(0.01)
            floor_start = time.perf_counter()
            await floor.request("GET", "/healthz")
            if i >= WARM_UP:
                live.append(heard - start)
                answers.append(answered - start)
                floors.append(time.perf_counter() - floor_start)
    finally:
        await stream.close()
        await http.close()
        await floor.close()
    return {
        "live_p50_ms": _ms(statistics.median(live)),
        "live_p95_ms": _ms(_p95(live)),
        # The edit's own answer, and the event's lead on it (positive: the
        # event came first; the hub sends on commit, before the answer).
        "live_post_ms": _ms(statistics.median(answers)),
        "live_event_lead_ms": _ms(
            statistics.median(a - h for h, a in zip(live, answers, strict=True))
        ),
        "live_floor_ms": _ms(statistics.median(floors)),
        "live_floor_p95_ms": _ms(_p95(floors)),
    }


# A promise of when B's card shows `text` (awaited by a later evaluate(): the
# page's CSP forbids the string eval wait_for_function would need).
WATCH_JS = """([id, text]) => {
  window.__benchSeen = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const el = document.querySelector("#card-" + id + " .card-text");
      if (el && el.textContent.trim() === text) {
        resolve(Date.now());
        observer.disconnect();
      }
    });
    const all = {subtree: true, childList: true, characterData: true};
    observer.observe(document.body, all);
    setTimeout(() => resolve(null), TIMEOUT);
  });
}"""

POST_JS = """async ([url, form, token]) => {
  const start = Date.now();
  const response = await fetch(url, {
    method: "POST", body: new URLSearchParams(form), credentials: "same-origin",
    redirect: "manual",
    headers: {"X-CSRFToken": token, "HX-Request": "true",
              "X-Journeymap-Client": "bench-page-a"},
  });
  await response.text();
  return [start, response.status];
}"""


def in_the_browser(server: Server, world: World) -> dict:
    """Page A (alice) edits with fetch(); page B (dave) has the map open."""
    from playwright.sync_api import sync_playwright

    def context(browser, session):
        ctx = browser.new_context(base_url=server.base)
        ctx.add_cookies(
            [
                {"name": "sessionid", "value": session, "url": server.base},
                {"name": "csrftoken", "value": world.csrf, "url": server.base},
            ]
        )
        return ctx

    times = []
    watch = WATCH_JS.replace("TIMEOUT", str(int(EVENT_TIMEOUT * 1000)))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page_b = context(browser, world.dave).new_page()
            page_b.goto(world.map_path)
            page_b.wait_for_selector("#live-bar[data-state=live]", timeout=15000)
            # A needs no canvas (its own stream would fetch every change too).
            page_a = context(browser, world.alice).new_page()
            page_a.goto("/healthz")
            for i in range(WARM_UP + DOM_EDITS):
                text = f"Seen in the browser {i}"
                page_b.evaluate(watch, [world.card_id, text])
                form = world.edit_form(text)
                start, status = page_a.evaluate(
                    POST_JS, [world.edit_path, form, world.csrf]
                )
                if status != 200:
                    raise SystemExit(f"bench.live: fetch() edit answered {status}")
                seen = page_b.evaluate("() => window.__benchSeen")
                if seen is None:
                    raise SystemExit(f"bench.live: page B never showed {text!r}")
                if i >= WARM_UP:
                    times.append((seen - start) / 1000)
        finally:
            browser.close()
    return {
        "live_dom_p50_ms": _ms(statistics.median(times)),
        "live_dom_p95_ms": _ms(_p95(times)),
    }


@dataclass
class Round:
    """One edit's arrivals on every stream."""

    expected: int
    times: list[float] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def heard(self, _rev: int, now: float) -> None:
        self.times.append(now)
        if len(self.times) >= self.expected:
            self.done.set()


async def fan_out(server: Server, world: World, scratch: Scratch) -> dict:
    """VIEWERS streams on one map; each of a few edits must reach them all."""
    result = {"sse_rss_idle_mb": server.rss_mb()}
    current: list[Round | None] = [None]

    def heard(rev: int, now: float) -> None:
        if current[0] is not None:
            current[0].heard(rev, now)

    streams = [
        Stream(
            server.port,
            f"{world.events_path}?client=viewer{i:04d}"
            if PRESENCE
            else world.events_path,
            world.cookie(world.dave if i % 2 else world.alice),
            heard,
        )
        for i in range(VIEWERS)
    ]
    gate = asyncio.Semaphore(OPEN_AT_ONCE)

    async def open_one(stream: Stream) -> None:
        async with gate:
            await stream.open()

    http = Http(server.port, world.cookie(world.alice), client="bench-fanout")
    start = time.perf_counter()
    try:
        await asyncio.gather(*(open_one(s) for s in streams))
        result["sse_open_s"] = round(time.perf_counter() - start, 1)
        log(f"{VIEWERS} streams open in {result['sse_open_s']} s")
        await asyncio.sleep(1.0)  # presence settles
        result["sse_viewers"] = sum(
            s.task is not None and not s.task.done() for s in streams
        )
        result["sse_db_connections"] = scratch.connections_of(server.pid)
        result["sse_rss_mb"] = server.rss_mb()
        result["sse_server_threads"] = server.threads()
        p95s, slowest, server_cpu, bench_cpu = [], [], [], []
        for i in range(1 + FANOUT_EDITS):
            round_ = current[0] = Round(expected=len(streams))
            cpu, own_cpu = server.cpu_s(), time.process_time()
            start = time.perf_counter()
            answered = await edit_card(http, world, f"Fan-out edit {i}")
            try:
                await asyncio.wait_for(round_.done.wait(), EVENT_TIMEOUT)
            except TimeoutError:
                log(f"edit {i}: only {len(round_.times)} streams heard it")
            current[0] = None
            server_cpu.append(server.cpu_s() - cpu)
            bench_cpu.append(time.process_time() - own_cpu)
            if i and round_.times:  # the first is a warm-up
                delays = [t - start for t in round_.times]
                p95s.append(_p95(delays))
                slowest.append(max(delays))
                log(
                    f"fan-out edit {i}: answered {_ms(answered - start)} ms,"
                    f" first {_ms(min(delays))}, p95 {_ms(p95s[-1])},"
                    f" max {_ms(max(delays))}"
                )
            await asyncio.sleep(0.5)
        result["sse_fanout_p95_ms"] = _ms(statistics.median(p95s))
        result["sse_fanout_max_ms"] = _ms(statistics.median(slowest))
        # Where the fan-out's time goes: CPU of the server, and of this
        # process reading the streams (the same two cores).
        result["sse_fanout_server_cpu_ms"] = _ms(statistics.median(server_cpu[1:]))
        result["sse_fanout_bench_cpu_ms"] = _ms(statistics.median(bench_cpu[1:]))
    finally:
        await http.close()
        await asyncio.gather(*(s.close() for s in streams))
    return result


def _allow_files(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def figures() -> dict:
    _allow_files(VIEWERS + 1000)
    scratch = Scratch.create()
    server = None
    try:
        env = server_environment(scratch)
        log(f"preparing a {scratch.backend} database")
        world = prepare(env)
        server = Server(env)
        result = {"live_backend": scratch.backend}
        log(f"floor {asyncio.run(floor_ms(server))} ms; {LIVE_EDITS} edits, one stream")
        result.update(asyncio.run(one_to_one(server, world)))
        log(f"live p95 {result['live_p95_ms']} ms; {DOM_EDITS} edits in Chromium")
        result.update(in_the_browser(server, world))
        log(f"dom p95 {result['live_dom_p95_ms']} ms; opening {VIEWERS} streams")
        result.update(asyncio.run(fan_out(server, world, scratch)))
        return result
    finally:
        if server is not None:
            server.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        scratch.drop()


if __name__ == "__main__":
    print(json.dumps(figures()))
