"""
Live messages between the processes that serve Journeymap, and who is here.

A message is a small JSON object sent to a *topic* ("map:<uuid>" for
everyone with that map open, "org:<uuid>" for the organisation's lists and
for access changes). Writers call `publish()` inside their transaction;
streams (async views, one event loop per process) `subscribe()` and read.

Two backends, chosen by the database:

- PostgreSQL: `publish()` runs `pg_notify` in the writing transaction, so a
  rolled-back write sends nothing. Each process holds one listening
  connection (`LISTEN journeymap`, opened with the first subscriber,
  reconnected with backoff when lost; subscribers then get a `gap` message
  so they can replay what they missed from the activity log) and, once
  presence needs it, one connection to send from async code. That is all
  the database the streams hold, however many there are.
- Anything else (SQLite, one process): `publish()` delivers on commit
  (`transaction.on_commit`), in process.

Presence: each stream `join()`s its topic with a client id; the client pings
(`ping()`, through `publish()` so it reaches whichever process holds the
stream) with what it is editing. An entry without a ping for
`PRESENCE_TTL` seconds is dropped. Every process announces its own entries
per topic (on change, at most every `PRESENCE_COALESCE` seconds, and every
`PRESENCE_ANNOUNCE` seconds as keep-alive) and merges what the others
announce, so every stream sees everyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.db import connection, transaction
from django.utils.decorators import sync_and_async_middleware

log = logging.getLogger(__name__)

CHANNEL = "journeymap"
# PostgreSQL refuses payloads of 8000 bytes or more.
MAX_PAYLOAD = 7900
FAN_OUT_BATCH = 100  # streams woken per turn of the event loop
QUEUE_SIZE = 500  # messages a slow stream may fall behind before it is told to resync
# Tabs ping every 10 s (static/js/live.js); one that stops (offline, asleep)
# is dropped 20 s after its last ping, seen within 5 s: gone within 25 s.
PRESENCE_TTL = 20.0
PRESENCE_ANNOUNCE = 10.0
PRESENCE_COALESCE = 0.25
PRESENCE_SHOWN = 40  # people per topic in one announcement (avatars shown)


# The browser tab a request came from (its X-Journeymap-Client header), so a
# tab can tell its own changes from everyone else's.
current_client: contextvars.ContextVar[str] = contextvars.ContextVar(
    "journeymap_client", default=""
)
CLIENT_HEADER = "X-Journeymap-Client"


@sync_and_async_middleware
def client_middleware(get_response):
    """Remember the request's client id for `record()` (sync and async)."""

    def client_of(request) -> str:
        value = request.headers.get(CLIENT_HEADER, "")
        return value[:40] if value.replace("-", "").isalnum() else ""

    if iscoroutinefunction(get_response):

        async def middleware(request):
            token = current_client.set(client_of(request))
            try:
                return await get_response(request)
            finally:
                current_client.reset(token)

    else:

        def middleware(request):
            token = current_client.set(client_of(request))
            try:
                return get_response(request)
            finally:
                current_client.reset(token)

    return middleware


def _is_postgres() -> bool:
    """The backend, from the settings: readable from async code too."""
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


class Subscription:
    """One stream's queue; `get()` waits for the next message or a timeout."""

    def __init__(self, hub: Hub, topics: tuple[str, ...]):
        self.hub = hub
        self.topics = topics
        self.queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
        self.overflowed = False

    def put(self, message: dict) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            # Too far behind: drop the backlog, the stream replays or resyncs.
            self.overflowed = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait({"type": "gap"})

    async def get(self, timeout: float) -> dict | None:
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None

    def close(self) -> None:
        self.hub._unsubscribe(self)


@dataclass
class _Here:
    """One open stream: who, and what their tab has open for editing."""

    user: str
    name: str
    editing: str = ""
    seen: float = field(default_factory=time.monotonic)


class Hub:
    def __init__(self) -> None:
        self.process = uuid.uuid4().hex[:12]
        self._subs: dict[str, set[Subscription]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._listener: asyncio.Task | None = None
        self._sender = None
        self._sender_lock: asyncio.Lock | None = None
        self._here: dict[str, dict[str, _Here]] = {}  # topic -> client -> entry
        self._there: dict[str, dict[str, tuple[float, list]]] = {}  # topic -> process
        self._dirty: set[str] = set()
        self._flush: asyncio.TimerHandle | None = None
        self._keeper: asyncio.Task | None = None
        self.listener_connects = 0  # for tests and the benchmark

    # ---- Publishing (any thread, inside or outside a transaction) -------------
    def publish(self, topic: str, message: dict) -> None:
        """Send `message` to `topic` once the current transaction commits."""
        message = {**message, "topic": topic}
        if _is_postgres():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, _payload(message)])
        else:
            transaction.on_commit(lambda: self.deliver(message))

    def deliver(self, message: dict) -> None:
        """Hand a message to this process's subscribers (thread-safe)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._dispatch(message)
        else:
            with contextlib.suppress(RuntimeError):  # loop closing
                loop.call_soon_threadsafe(self._dispatch, message)

    async def send(self, topic: str, message: dict) -> None:
        """From async code, outside any transaction: to every process."""
        message = {**message, "topic": topic}
        if _is_postgres():
            await self._notify(_payload(message))
        else:
            self._dispatch(message)

    # ---- Subscribing (on the event loop) --------------------------------------
    async def subscribe(self, *topics: str) -> Subscription:
        self._bind_loop()
        if _is_postgres():
            await self._ensure_listener()
        sub = Subscription(self, topics)
        with self._lock:
            for topic in topics:
                self._subs.setdefault(topic, set()).add(sub)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            for topic in sub.topics:
                subs = self._subs.get(topic)
                if subs is not None:
                    subs.discard(sub)
                    if not subs:
                        del self._subs[topic]

    async def aclose(self) -> None:
        """Let go of the database connections (a server shutting down)."""
        for task in (self._listener, self._keeper):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._sender is not None:
            with contextlib.suppress(Exception):
                await self._sender.close()
        self._listener = self._keeper = self._sender = None
        self._loop = None

    def subscribers(self, topic: str) -> int:
        return len(self._subs.get(topic, ()))

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # A new loop (a test server restarted): start from scratch.
            self._loop = loop
            self._listener = None
            self._sender = None
            self._sender_lock = asyncio.Lock()
            self._keeper = None
            self._flush = None
            self._here.clear()
            self._there.clear()
            self._dirty.clear()
        if self._keeper is None:
            self._keeper = loop.create_task(self._keep_presence())

    def _dispatch(self, message: dict) -> None:
        kind = message.get("type")
        topic = message.get("topic", "")
        if kind == "ping":
            self._pinged(topic, message)
            return
        if kind == "here":
            self._announced(topic, message)
            return
        if kind == "gap" and not topic:
            targets = [s for subs in self._subs.values() for s in subs]
        else:
            targets = list(self._subs.get(topic, ()))
            if message.get("org"):  # a map's change also counts on its lists
                targets.extend(self._subs.get(f"org:{message['org']}", ()))
        self._fan_out(list(set(targets)), message)

    def _fan_out(self, targets: list[Subscription], message: dict) -> None:
        """A batch now, the rest on the loop's next turns: the editor's own
        answer, waiting on the same loop, goes out between them."""
        for sub in targets[:FAN_OUT_BATCH]:
            sub.put(message)
        if len(targets) > FAN_OUT_BATCH and self._loop is not None:
            self._loop.call_soon(self._fan_out, targets[FAN_OUT_BATCH:], message)

    # ---- PostgreSQL ---------------------------------------------------------------
    async def _ensure_listener(self) -> None:
        if self._listener is None or self._listener.done():
            ready = asyncio.get_running_loop().create_future()
            self._listener = asyncio.get_running_loop().create_task(self._listen(ready))
            # The first connection is awaited, so a subscriber hears everything
            # published after subscribe() returns.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(ready), 5)

    async def _listen(self, ready: asyncio.Future) -> None:
        import psycopg

        delay = 0.2
        first = True
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    **_conninfo(), autocommit=True
                )
            except Exception as exc:  # noqa: BLE001 - any failure: try again
                log.warning("live: cannot listen (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            try:
                async with conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listener_connects += 1
                    delay = 0.2
                    if not ready.done():
                        ready.set_result(True)
                    if not first:
                        # Whatever was sent while we were away is lost here:
                        # every stream replays from the activity log.
                        self._dispatch({"type": "gap"})
                    first = False
                    async for notify in conn.notifies():
                        try:
                            message = json.loads(notify.payload)
                        except ValueError:
                            continue
                        self._dispatch(message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - connection lost: reconnect
                log.warning("live: listening connection lost (%s)", exc)
                await asyncio.sleep(delay)

    async def _notify(self, payload: str) -> None:
        import psycopg

        async with self._sender_lock:
            for attempt in (1, 2):
                try:
                    if self._sender is None or self._sender.closed:
                        self._sender = await psycopg.AsyncConnection.connect(
                            **_conninfo(), autocommit=True
                        )
                    await self._sender.execute(
                        "SELECT pg_notify(%s, %s)", [CHANNEL, payload]
                    )
                    return
                except psycopg.Error as exc:
                    self._sender = None
                    if attempt == 2:
                        log.warning("live: cannot send presence (%s)", exc)

    # ---- Presence -------------------------------------------------------------------
    def join(self, topic: str, client: str, user: str, name: str) -> None:
        self._here.setdefault(topic, {})[client] = _Here(user=user, name=name)
        self._changed(topic)

    def leave(self, topic: str, client: str) -> None:
        here = self._here.get(topic, {})
        if here.pop(client, None) is not None:
            if not here:
                self._here.pop(topic, None)
            self._changed(topic)

    def ping(self, topic: str, client: str, user: str, editing: str) -> None:
        """A tab says it is still here, and what it has open (from a view)."""
        self.publish(
            topic,
            {"type": "ping", "client": client, "user": user, "editing": editing},
        )

    def _pinged(self, topic: str, message: dict) -> None:
        entry = self._here.get(topic, {}).get(message.get("client", ""))
        if entry is None or entry.user != message.get("user"):
            return  # another process's stream, or someone else's client id
        entry.seen = time.monotonic()
        editing = str(message.get("editing", ""))[:120]
        if editing != entry.editing:
            entry.editing = editing
            self._changed(topic)

    def _announced(self, topic: str, message: dict) -> None:
        process = message.get("process")
        if process == self.process:
            return
        there = self._there.setdefault(topic, {})
        people = message.get("people") or []
        if people:
            there[process] = (time.monotonic(), people)
        else:
            there.pop(process, None)
        self._changed(topic, announce=False)

    def people(self, topic: str) -> list[dict]:
        """Everyone on `topic`, one entry per person, with what they edit."""
        merged: dict[str, dict] = {}
        rows = [
            {"user": e.user, "name": e.name, "editing": e.editing, "client": c}
            for c, e in self._here.get(topic, {}).items()
        ]
        for _seen, people in self._there.get(topic, {}).values():
            rows.extend(people)
        for row in rows:
            person = merged.setdefault(
                row["user"],
                {"user": row["user"], "name": row["name"], "editing": []},
            )
            if row.get("editing"):
                person["editing"].append(
                    {"fragment": row["editing"], "client": row.get("client", "")}
                )
        return sorted(merged.values(), key=lambda p: p["name"].lower())

    def _own_people(self, topic: str) -> list[dict]:
        rows = [
            {"user": e.user, "name": e.name, "editing": e.editing, "client": c}
            for c, e in self._here.get(topic, {}).items()
        ]
        # One row per person unless they edit something: small announcements.
        seen, kept = set(), []
        for row in sorted(rows, key=lambda r: not r["editing"]):
            if row["editing"] or row["user"] not in seen:
                kept.append(row)
                seen.add(row["user"])
        return kept[:PRESENCE_SHOWN]

    def _changed(self, topic: str, announce: bool = True) -> None:
        self._dirty.add(topic)
        if announce:
            self._dirty.add("announce:" + topic)
        loop = self._loop
        if loop is not None and self._flush is None:
            self._flush = loop.call_later(PRESENCE_COALESCE, self._flush_presence)

    def _flush_presence(self) -> None:
        self._flush = None
        dirty, self._dirty = self._dirty, set()
        for item in dirty:
            if item.startswith("announce:"):
                topic = item.removeprefix("announce:")
                if _is_postgres():
                    self._announce(topic)
                continue
            message = {"type": "presence", "topic": item, "people": self.people(item)}
            for sub in list(self._subs.get(item, ())):
                sub.put(message)

    def _announce(self, topic: str) -> None:
        message = {
            "type": "here",
            "process": self.process,
            "people": self._own_people(topic),
        }
        payload = _payload({**message, "topic": topic})
        if len(payload) > MAX_PAYLOAD:
            message["people"] = message["people"][:10]
        asyncio.get_running_loop().create_task(self.send(topic, message))

    async def _keep_presence(self) -> None:
        """Drop entries nobody pinged; tell the others we are still here."""
        while True:
            await asyncio.sleep(min(PRESENCE_ANNOUNCE, PRESENCE_TTL / 4))
            now = time.monotonic()
            for topic, here in list(self._here.items()):
                for client, entry in list(here.items()):
                    if now - entry.seen > PRESENCE_TTL:
                        self.leave(topic, client)
            for topic, there in list(self._there.items()):
                for process, (seen, _people) in list(there.items()):
                    if now - seen > PRESENCE_TTL:
                        del there[process]
                        self._changed(topic, announce=False)
            if _is_postgres():
                for topic in list(self._here):
                    self._announce(topic)


def access_changed(membership) -> None:
    """A member's role changed or they left: their open streams check again."""
    hub.publish(
        f"org:{membership.organisation_id}",
        {"type": "access", "user": str(membership.user_id)},
    )


def _payload(message: dict) -> str:
    text = json.dumps(message, separators=(",", ":"), default=str)
    if len(text) <= MAX_PAYLOAD:
        return text
    # Too big to send (a change touching hundreds of fragments): say only
    # that something changed, so streams refetch the whole canvas.
    small = {k: message[k] for k in ("topic", "type", "rev", "by") if k in message}
    return json.dumps({**small, "fragments": ["grid", "map"]}, default=str)


def _conninfo() -> dict:
    """Connection keywords for psycopg from Django's settings (test db too)."""
    settings = connection.settings_dict
    info = {
        "dbname": settings["NAME"],
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "application_name": "journeymap-live",
    }
    return {key: value for key, value in info.items() if value}


hub = Hub()
