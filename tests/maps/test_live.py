"""
Live updates over a real server (uvicorn in a thread, `live_app`): the map's
event stream, its access, replay by Last-Event-ID, presence, the hub's two
backends, and (on PostgreSQL) two server processes sharing one database.
"""

import asyncio
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from journeymap.hub import Hub
from journeymap.models import Membership
from maps import live
from maps.activity import change, record
from maps.models import Card, LaneKind, map_create_from_template

pytestmark = pytest.mark.django_db(transaction=True)

postgres_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="LISTEN/NOTIFY across processes needs PostgreSQL",
)


@dataclass
class Event:
    name: str
    id: str | None
    data: dict


class Stream:
    """An open text/event-stream over a raw socket, read event by event."""

    def __init__(self, port: int, path: str, user=None, headers=None):
        sent = {"Host": "localhost", "Accept": "text/event-stream", **(headers or {})}
        if user is not None:
            sent["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={_session(user)}"
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        head = f"GET {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in sent.items()
        )
        self.sock.sendall((head + "\r\n").encode())
        self.raw = b""  # bytes as they came (chunked)
        self.body = b""  # the decoded stream
        self.closed = False
        while b"\r\n\r\n" not in self.raw:
            self._recv(10)
        header, self.raw = self.raw.split(b"\r\n\r\n", 1)
        lines = header.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            self.headers[key.strip().lower()] = value.strip()
        self.chunked = self.headers.get("transfer-encoding") == "chunked"

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def _recv(self, timeout: float) -> None:
        self.sock.settimeout(max(timeout, 0.001))
        data = self.sock.recv(65536)
        if not data:
            self.closed = True
            raise EOFError("the stream ended")
        self.raw += data

    def _decode(self) -> None:
        if not self.chunked:
            self.body, self.raw = self.body + self.raw, b""
            return
        while b"\r\n" in self.raw:
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                self.closed = True
                self.raw = b""
                return
            if len(rest) < size + 2:
                return
            self.body += rest[:size]
            self.raw = rest[size + 2 :]

    def next(self, name: str | None = None, timeout: float = 5.0) -> Event | None:
        """The next event (called `name`), or None when none comes in time."""
        deadline = time.monotonic() + timeout
        while True:
            self._decode()
            while b"\n\n" in self.body:
                block, self.body = self.body.split(b"\n\n", 1)
                event = _parse(block.decode())
                if event is not None and (name is None or event.name == name):
                    return event
            if self.closed:
                raise EOFError("the stream ended")
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                self._recv(left)
            except TimeoutError:
                return None

    def ended(self, timeout: float = 5.0) -> bool:
        try:
            self.next("never", timeout)
        except EOFError:
            return True
        return False

    def close(self) -> None:
        self.sock.close()


def _parse(block: str) -> Event | None:
    fields: dict[str, str] = {}
    for line in block.split("\n"):
        if line.startswith(":") or ":" not in line:
            continue
        key, _, value = line.partition(":")
        fields[key] = value.removeprefix(" ")
    if "event" not in fields and "data" not in fields:
        return None
    data = json.loads(fields.get("data") or "{}")
    return Event(fields.get("event", "message"), fields.get("id"), data)


def _in_a_thread(fn, *args):
    """
    Run `fn` in a thread of its own: after a browser test, Playwright's event
    loop runs in this one, and neither asyncio.run nor an async view's
    async_to_sync may start inside it.
    """

    def run():
        try:
            return fn(*args)
        finally:
            connections.close_all()  # the test client leaves them open

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def trip(org, alice):
    return map_create_from_template(org, alice, "Podiatrist visit", "five_phases")


@pytest.fixture
def card(trip):
    lane = trip.lanes.filter(kind=LaneKind.TEXT).first()
    return Card.objects.create(
        map=trip, stage=trip.stages.first(), lane=lane, text="Before"
    )


@pytest.fixture
def streams():
    opened = []

    def open_stream(*args, **kwargs) -> Stream:
        stream = Stream(*args, **kwargs)
        opened.append(stream)
        return stream

    yield open_stream
    for stream in opened:
        stream.close()


def _events_path(org, journey_map, **query) -> str:
    path = reverse("map_events", args=[org.slug, journey_map.pk])
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def _edit(client, card, text):
    card.refresh_from_db()
    url = reverse("card_edit", args=[card.map.organisation.slug, card.pk])
    response = client.post(
        url,
        {
            "text": text,
            "version": card.version,
            "map": card.map_id,
            "stage": card.stage_id,
            "lane": card.lane_id,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content[:300]
    return response


def _wait_for_subscribers(topic: str, n: int = 1) -> None:
    from journeymap.hub import hub

    deadline = time.monotonic() + 5
    while hub.subscribers(topic) < n:
        assert time.monotonic() < deadline, f"no stream subscribed to {topic}"
        time.sleep(0.02)


# ---- The stream ---------------------------------------------------------------


def test_a_card_edit_reaches_an_open_stream(
    live_app, streams, org, trip, card, alice, dave_client
):
    stream = streams(live_app.port, _events_path(org, trip), alice)
    assert stream.status == 200
    assert stream.header("Content-Type") == "text/event-stream"
    assert stream.header("Cache-Control") == "no-cache"
    assert stream.header("X-Accel-Buffering") == "no"
    _wait_for_subscribers(f"map:{trip.pk}")

    _edit(dave_client, card, "After")

    event = stream.next("change")
    trip.refresh_from_db()
    assert event.id == str(trip.revision)
    assert event.data["rev"] == trip.revision
    assert event.data["verb"] == "update"
    assert event.data["by"] == "dave"
    assert f"card:{card.pk}" in event.data["fragments"]
    # No content in the event: browsers fetch the card through its own view.
    assert "After" not in json.dumps(event.data)


def test_the_stream_is_never_compressed(live_app, streams, org, trip, alice):
    stream = streams(
        live_app.port, _events_path(org, trip), alice, {"Accept-Encoding": "gzip"}
    )
    assert stream.status == 200
    assert stream.header("Content-Encoding") is None


def test_outsiders_get_404_and_strangers_the_sign_in_page(
    org, trip, carol_client, bob_client
):
    url = _events_path(org, trip)
    assert _in_a_thread(carol_client.get, url).status_code == 404
    # Carol under her own organisation's address: still not Demo's map.
    other = _in_a_thread(
        carol_client.get, reverse("map_events", args=["other", trip.pk])
    ).status_code
    assert other == 404
    anonymous = _in_a_thread(Client().get, url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_a_viewer_reads_the_stream(
    live_app, streams, org, trip, card, bob, alice_client
):
    stream = streams(live_app.port, _events_path(org, trip), bob)
    assert stream.status == 200
    _wait_for_subscribers(f"map:{trip.pk}")
    _edit(alice_client, card, "Seen by a viewer")
    assert stream.next("change").data["kind"] == "card"


def test_a_removed_member_loses_the_stream_within_seconds(
    live_app, streams, org, trip, dave, alice_client
):
    stream = streams(live_app.port, _events_path(org, trip), dave)
    assert stream.status == 200
    _wait_for_subscribers(f"map:{trip.pk}")
    membership = Membership.objects.get(organisation=org, user=dave)
    url = reverse("member_remove", args=[org.slug, membership.pk])
    assert alice_client.post(url).status_code == 302

    denied = stream.next("denied", timeout=5)
    assert denied is not None
    assert stream.ended(timeout=5)
    # And reconnecting is refused like any other outsider.
    again = Stream(live_app.port, _events_path(org, trip), dave)
    assert again.status == 404
    again.close()


def test_a_role_change_to_viewer_keeps_the_stream(
    live_app, streams, org, trip, card, dave, alice_client
):
    stream = streams(live_app.port, _events_path(org, trip), dave)
    _wait_for_subscribers(f"map:{trip.pk}")
    membership = Membership.objects.get(organisation=org, user=dave)
    url = reverse("member_role", args=[org.slug, membership.pk])
    alice_client.post(url, {"role": "viewer"})
    assert Membership.objects.get(pk=membership.pk).role == "viewer"
    _edit(alice_client, card, "Still reading")
    assert stream.next("change") is not None


# ---- Replay -------------------------------------------------------------------


def test_reconnecting_replays_what_was_missed(
    live_app, streams, org, trip, card, alice, dave_client
):
    trip.refresh_from_db()
    seen = trip.revision
    for text in ("One", "Two", "Three"):
        _edit(dave_client, card, text)

    stream = streams(
        live_app.port, _events_path(org, trip), alice, {"Last-Event-ID": str(seen)}
    )
    ids = [stream.next("change").id for _ in range(3)]
    assert ids == [str(seen + 1), str(seen + 2), str(seen + 3)]
    assert stream.next("change", timeout=0.5) is None  # nothing twice


def test_since_in_the_address_replays_too(
    live_app, streams, org, trip, card, alice, dave_client
):
    """The page was drawn at revision N; what came before the stream opened."""
    trip.refresh_from_db()
    seen = trip.revision
    _edit(dave_client, card, "Between drawing and connecting")
    stream = streams(live_app.port, _events_path(org, trip, since=seen), alice)
    assert stream.next("change").data["rev"] == seen + 1


def test_a_gap_too_big_to_replay_asks_for_a_resync(
    live_app, streams, monkeypatch, org, trip, card, alice, dave_client
):
    monkeypatch.setattr(live, "REPLAY_LIMIT", 2)
    trip.refresh_from_db()
    seen = trip.revision
    for text in ("One", "Two", "Three"):
        _edit(dave_client, card, text)
    stream = streams(
        live_app.port, _events_path(org, trip), alice, {"Last-Event-ID": str(seen)}
    )
    event = stream.next()
    while event.name == "presence":
        event = stream.next()
    assert event.name == "resync"
    assert event.id == str(seen + 3)


def test_a_rolled_back_write_sends_nothing(live_app, streams, org, trip, card, alice):
    stream = streams(live_app.port, _events_path(org, trip), alice)
    _wait_for_subscribers(f"map:{trip.pk}")
    with pytest.raises(RuntimeError), transaction.atomic():
        Card.objects.filter(pk=card.pk).update(text="Never", version=F("version") + 1)
        record(trip, alice, "update", card, changes=[change("text", "Before", "Never")])
        raise RuntimeError("the write fails")
    assert stream.next("change", timeout=1) is None

    with transaction.atomic():
        record(trip, alice, "delete", card)
    event = stream.next("change")
    assert event.data["verb"] == "delete"


# ---- Presence -----------------------------------------------------------------


def _people(stream: Stream, want, timeout=5.0) -> list[dict]:
    """Presence events until one satisfies `want(people)`."""
    deadline = time.monotonic() + timeout
    people = []
    while time.monotonic() < deadline:
        event = stream.next("presence", timeout=deadline - time.monotonic())
        if event is None:
            break
        people = event.data["people"]
        if want(people):
            return people
    raise AssertionError(f"presence never matched; last: {people}")


def test_presence_joins_edits_and_leaves(
    live_app, streams, org, trip, card, alice, dave
):
    mine = streams(live_app.port, _events_path(org, trip, client="alicetab"), alice)
    _people(mine, lambda p: [x["name"] for x in p] == ["alice"])
    theirs = streams(live_app.port, _events_path(org, trip, client="davetab"), dave)
    _people(mine, lambda p: [x["name"] for x in p] == ["alice", "dave"])

    dave_client = Client()
    dave_client.force_login(dave)
    ping = reverse("map_presence", args=[org.slug, trip.pk])
    sent = {"client": "davetab", "editing": f"card:{card.pk}"}
    assert dave_client.post(ping, sent).status_code == 204
    people = _people(mine, lambda p: any(x["editing"] for x in p))
    editing = next(x for x in people if x["name"] == "dave")["editing"]
    assert editing == [{"fragment": f"card:{card.pk}", "client": "davetab"}]

    # A ping for another person's tab changes nothing.
    alice_client = Client()
    alice_client.force_login(alice)
    alice_client.post(ping, {"client": "davetab", "editing": ""})
    assert mine.next("presence", timeout=0.6) is None

    theirs.close()
    _people(mine, lambda p: [x["name"] for x in p] == ["alice"])


def test_presence_without_pings_expires(
    live_app, streams, monkeypatch, org, trip, alice, dave
):
    from journeymap import hub as hub_module

    monkeypatch.setattr(hub_module, "PRESENCE_TTL", 0.6)
    mine = streams(live_app.port, _events_path(org, trip, client="alicetab"), alice)
    streams(live_app.port, _events_path(org, trip, client="davetab"), dave)
    _people(mine, lambda p: len(p) == 2)
    # The keeper looks every PRESENCE_TTL / 4 at the latest.
    _people(mine, lambda p: p == [], timeout=12)


def test_a_bad_presence_ping_is_refused(org, trip, dave_client, carol_client):
    ping = reverse("map_presence", args=[org.slug, trip.pk])
    assert dave_client.post(ping, {"client": "<script>"}).status_code == 400
    assert carol_client.post(ping, {"client": "abc"}).status_code == 404
    assert dave_client.get(ping).status_code == 405


# ---- The maps list ------------------------------------------------------------


def test_the_list_stream_hears_changes_to_any_map(
    live_app, streams, org, trip, card, alice, dave_client
):
    path = reverse("map_list_events", args=[org.slug])
    stream = streams(live_app.port, path, alice)
    _wait_for_subscribers(f"org:{org.pk}")
    _edit(dave_client, card, "Counted")
    event = stream.next("change")
    assert event.data["map"] == str(trip.pk)


# ---- The hub, on its own ------------------------------------------------------


def test_the_hub_delivers_after_commit_only():
    hub = Hub()

    async def scenario():
        sub = await hub.subscribe("map:x")
        await asyncio.to_thread(_publish_twice, hub)
        first = await sub.get(5)
        nothing = await sub.get(0.3)
        sub.close()
        return first, nothing, hub.subscribers("map:x")

    first, nothing, left = _in_a_thread(asyncio.run, scenario())
    assert first["n"] == 2
    assert nothing is None
    assert left == 0


def _publish_twice(hub):
    try:
        with transaction.atomic():
            hub.publish("map:x", {"type": "change", "n": 1})
            raise RuntimeError
    except RuntimeError:
        pass
    with transaction.atomic():
        hub.publish("map:x", {"type": "change", "n": 2})
    connection.close()


def test_a_slow_stream_is_told_to_catch_up(monkeypatch):
    from journeymap import hub as hub_module

    monkeypatch.setattr(hub_module, "QUEUE_SIZE", 3)
    hub = Hub()

    async def scenario():
        sub = await hub.subscribe("map:x")
        for n in range(5):
            hub.deliver({"type": "change", "topic": "map:x", "n": n})
        got = [await sub.get(1) for _ in range(3)]
        sub.close()
        return got

    got = _in_a_thread(asyncio.run, scenario())
    assert {"type": "gap"} in got


def test_a_huge_change_is_sent_as_refetch_everything():
    from journeymap.hub import MAX_PAYLOAD, _payload

    message = {
        "type": "change",
        "rev": 3,
        "fragments": [f"card:{n:040}" for n in range(400)],
    }
    payload = json.loads(_payload(message))
    assert len(_payload(message)) <= MAX_PAYLOAD
    assert payload["fragments"] == ["grid", "map"]
    assert payload["rev"] == 3


@postgres_only
def test_the_postgres_listener_reconnects_and_reports_a_gap():
    hub = Hub()

    async def scenario():
        sub = await hub.subscribe("map:y")
        assert hub.listener_connects == 1
        # Someone (a restart, a failover) kills the listening connection.
        await asyncio.to_thread(_kill_listeners)
        gap = await sub.get(10)
        await asyncio.to_thread(_publish_once, hub)
        after = await sub.get(5)
        sub.close()
        hub._listener.cancel()
        return gap, after

    gap, after = _in_a_thread(asyncio.run, scenario())
    assert gap == {"type": "gap"}
    assert after["n"] == 1
    assert hub.listener_connects == 2


def _kill_listeners():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'journeymap-live'"
            " AND datname = current_database()"
        )
    connection.close()


def _publish_once(hub):
    with transaction.atomic():
        hub.publish("map:y", {"type": "change", "n": 1})
    connection.close()


@postgres_only
def test_open_streams_hold_no_database_connection(live_app, streams, org, trip, alice):
    def held() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    streams(live_app.port, _events_path(org, trip), alice)
    _wait_for_subscribers(f"map:{trip.pk}")
    before = held()  # the listener (and maybe the presence sender) by now
    for _ in range(20):
        streams(live_app.port, _events_path(org, trip), alice)
    _wait_for_subscribers(f"map:{trip.pk}", 21)
    time.sleep(0.3)
    assert held() <= before
    assert held() <= 2


# ---- Two processes ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _uvicorn(port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "journeymap.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("uvicorn did not start")


@pytest.fixture
def two_workers():
    db = connection.settings_dict
    url = "postgres://{user}{password}@{host}:{port}/{name}".format(
        user=db["USER"] or "postgres",
        password=f":{db['PASSWORD']}" if db["PASSWORD"] else "",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=db["NAME"],
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
    }
    ports = [_free_port(), _free_port()]
    processes = [_uvicorn(port, env) for port in ports]
    yield ports
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(10)


def _post(port: int, path: str, user, data: dict, headers=None) -> int:
    from urllib.parse import urlencode

    token = "t" * 32
    cookie = f"{settings.SESSION_COOKIE_NAME}={_session(user)}; csrftoken={token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(
        "POST",
        path,
        body=urlencode(data),
        headers={
            "Host": "localhost",
            "Cookie": cookie,
            "X-CSRFToken": token,
            "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {}),
        },
    )
    status = conn.getresponse().status
    conn.close()
    return status


@postgres_only
def test_an_edit_through_one_worker_reaches_a_stream_on_the_other(
    two_workers, streams, org, trip, card, alice, dave
):
    first, second = two_workers
    stream = streams(second, _events_path(org, trip, client="alicetab"), alice)
    assert stream.status == 200
    _people(stream, lambda p: [x["name"] for x in p] == ["alice"])
    # Presence crosses too: dave's tab on the first worker.
    streams(first, _events_path(org, trip, client="davetab"), dave)
    _people(stream, lambda p: [x["name"] for x in p] == ["alice", "dave"])

    card.refresh_from_db()
    path = reverse("card_edit", args=[org.slug, card.pk])
    sent = {
        "text": "Across processes",
        "version": card.version,
        "map": trip.pk,
        "stage": card.stage_id,
        "lane": card.lane_id,
    }
    assert _post(first, path, dave, sent, {"HX-Request": "true"}) == 200
    event = stream.next("change")
    assert event.data["by"] == "dave"
    assert f"card:{card.pk}" in event.data["fragments"]
