"""
Live updates for a map: a Server-Sent Events stream per open tab, and the
tab's presence pings.

`GET …/maps/<id>/events/` checks access (like any view), lets go of its
database connection and then streams, from `journeymap.hub`:

    id: <revision>          event: change    data: {"rev", "fragments", "by", …}
                            event: presence  data: {"people": [...]}
                            event: resync    data: {"rev"}   (too much missed)
                            event: denied    (access withdrawn; the stream ends)

plus a comment line every `HEARTBEAT` seconds. A tab that reconnects sends
`Last-Event-ID` (or `?since=`, the revision its page was drawn at) and gets
what it missed from the activity log, up to `REPLAY_LIMIT` changes; past
that, or for a log that no longer says which fragments changed, `resync`
tells it to fetch the whole canvas again. Browsers fetch the fragments named
in an event through the normal, access-checked views (static/js/live.js).

`GET …/maps/events/` is the same for the organisation's maps list: one
`change` event (`map`, `rev`) per change to any map the reader can see.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    StreamingHttpResponse,
)
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from journeymap.access import get_access
from journeymap.hub import hub
from maps.access import get_map
from maps.activity import Activity, live_message
from maps.models import JourneyMap

HEARTBEAT = 15.0  # seconds between keep-alive comments (proxies cut idle streams)
RETRY_MS = 2000  # what the browser waits before reconnecting
REPLAY_LIMIT = 200  # changes replayed on reconnect; more means resync


@dataclass(frozen=True)
class Reader:
    """Who has the stream open, found once, before the database is let go."""

    user: str
    name: str
    organisation: str
    map_id: str
    revision: int


def _let_go(fn):
    """
    Run `fn` in the request's thread, then close that thread's connection, so
    an open stream holds none. (Unless a transaction holds it: a test's.)
    """

    def run(*args):
        try:
            return fn(*args)
        finally:
            for conn in connections.all(initialized_only=True):
                if not conn.in_atomic_block:
                    conn.close()

    return sync_to_async(run)


def _who(access) -> str:
    """The key presence and access news know someone by."""
    return str(access.user.pk) if access.user is not None else access.name


def _reader(request, org_slug: str, map_id) -> Reader:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    return Reader(
        user=_who(access),
        name=access.name,
        organisation=str(access.organisation.pk),
        map_id=str(journey_map.pk),
        revision=journey_map.revision,
    )


def _still_reads(request, org_slug: str, map_id=None) -> bool:
    """Access checked again (the organisation's, or this map's), from scratch."""
    request.__dict__.pop("_access", None)  # get_access keeps it per request
    try:
        access = get_access(request, org_slug)
        if map_id is not None:
            get_map(access, map_id)
    except Exception:  # noqa: BLE001 - 404, 403, signed out: all mean no
        return False
    return True


def _missed(map_id: str, since: int) -> tuple[list[dict] | None, int]:
    """The change events after `since` (None: resync) and the map's revision."""
    revision = (
        JourneyMap.objects.filter(pk=map_id).values_list("revision", flat=True).first()
    )
    if revision is None:
        return [], since
    if revision <= since:
        return [], revision
    if revision - since > REPLAY_LIMIT:
        return None, revision
    rows = Activity.objects.filter(map_id=map_id, revision__gt=since)
    events = []
    for activity in rows.select_related("map").order_by("revision"):
        if not activity.fragments:
            return None, revision  # logged before fragments were kept
        events.append(live_message(activity))
    return events, revision


def _event(name: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def _change(message: dict) -> str:
    data = {key: message.get(key) for key in CHANGE_KEYS}
    return _event("change", data, message["rev"])


CHANGE_KEYS = ("rev", "verb", "kind", "object", "fragments", "by", "client")


def _since(request) -> int:
    for value in (request.headers.get("Last-Event-ID"), request.GET.get("since")):
        if value and value.isdigit():
            return int(value)
    return -1  # nothing to replay: the page was drawn just now


def _client(request) -> str:
    value = request.GET.get("client", "")[:40]
    return value if value.replace("-", "").isalnum() else ""


def _stream_response(events) -> StreamingHttpResponse:
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


async def _refused(check, *args):
    """
    Run an access check; a refusal answers plainly. (Django renders the error
    page of an async view in a pool thread whose connection nobody closes.)
    """
    try:
        return await _let_go(check)(*args), None
    except Http404:
        return None, HttpResponseNotFound("Not found", content_type="text/plain")
    except PermissionDenied:
        return None, HttpResponseForbidden("Forbidden", content_type="text/plain")


@require_GET
async def map_events(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    reader, refusal = await _refused(_reader, request, org_slug, map_id)
    if refusal is not None:
        return refusal
    stream = MapStream(request, org_slug, reader, _since(request), _client(request))
    return _stream_response(stream.events())


class MapStream:
    """One tab's stream of a map: what it missed, then the hub's news as events."""

    def __init__(self, request, org_slug: str, reader: Reader, since: int, client):
        self.request = request
        self.org_slug = org_slug
        self.reader = reader
        self.client = client
        self.topic = f"map:{reader.map_id}"
        self.last = since if since >= 0 else reader.revision  # revision told
        self.done = False

    async def events(self):
        # Subscribed before the replay reads the log: nothing falls in between.
        sub = await hub.subscribe(self.topic, f"org:{self.reader.organisation}")
        try:
            if self.client:
                hub.join(self.topic, self.client, self.reader.user, self.reader.name)
            yield f"retry: {RETRY_MS}\n\n"
            for chunk in await self.replay():
                yield chunk
            while not self.done:
                for chunk in await self.answer(await sub.get(HEARTBEAT)):
                    yield chunk
        finally:
            sub.close()
            if self.client:
                hub.leave(self.topic, self.client)

    async def answer(self, message: dict | None) -> list[str]:
        """What the browser is told of one message from the hub (maybe nothing)."""
        if message is None:
            return [": keep-alive\n\n"]
        kind = message.get("type")
        ours = message.get("map") == self.reader.map_id
        if kind == "change" and ours:
            return await self.changed(message)
        if kind == "gap":
            return await self.replay()
        if kind == "presence" and message.get("topic") == self.topic:
            return [_event("presence", {"people": message["people"]})]
        if kind == "access" and message.get("user") == self.reader.user:
            args = (self.request, self.org_slug, self.reader.map_id)
            if await _let_go(_still_reads)(*args):
                return []
            self.done = True
            return [_event("denied", {})]
        if kind == "gone" and ours:
            self.done = True
            return [_event("denied", {"gone": True})]
        return []

    async def changed(self, message: dict) -> list[str]:
        if message["rev"] <= self.last:
            return []  # told already (replayed)
        missed = []
        if message["rev"] > self.last + 1:  # one went missing: the log has it
            missed = await self.replay()
            if message["rev"] <= self.last:
                return missed
        self.last = message["rev"]
        return [*missed, _change(message)]

    async def replay(self) -> list[str]:
        chunks, self.last = await _replay(self.reader.map_id, self.last)
        return chunks


async def _replay(map_id: str, after: int) -> tuple[list[str], int]:
    """The events after revision `after` as text, and the revision reached."""
    missed, revision = await _let_go(_missed)(map_id, after)
    if missed is None:
        return [_event("resync", {"rev": revision}, revision)], revision
    reached = max(after, revision, *(message["rev"] for message in missed))
    return [_change(message) for message in missed], reached


@require_POST
def map_presence(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    """A tab says it still has the map open, and which form it is editing in."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    client = request.POST.get("client", "")[:40]
    if not client.replace("-", "").isalnum():
        return HttpResponse(status=400)
    editing = request.POST.get("editing", "")[:120]
    user = _who(access)
    hub.ping(f"map:{journey_map.pk}", client, user, editing)
    return HttpResponse(status=204)


@require_GET
async def list_events(request: HttpRequest, org_slug: str) -> HttpResponse:
    access, refusal = await _refused(get_access, request, org_slug)
    if refusal is not None:
        return refusal
    organisation = str(access.organisation.pk)
    reachable = access.map_ids
    user = _who(access)

    async def events():
        sub = await hub.subscribe(f"org:{organisation}")
        try:
            yield f"retry: {RETRY_MS}\n\n"
            while True:
                message = await sub.get(HEARTBEAT)
                if message is None:
                    yield ": keep-alive\n\n"
                    continue
                kind = message.get("type")
                if kind == "change" and message.get("org") == organisation:
                    if reachable is not None and message["map"] not in reachable:
                        continue
                    data = {"map": message["map"], "rev": message["rev"]}
                    yield _event("change", data)
                elif kind == "gap":
                    yield _event("resync", {})
                elif (
                    kind == "access"
                    and message.get("user") == user
                    and not await _let_go(_still_reads)(request, org_slug)
                ):
                    yield _event("denied", {})
                    return
        finally:
            sub.close()

    return _stream_response(events())


urlpatterns = [
    path("events/", list_events, name="map_list_events"),
    path("<uuid:map_id>/events/", map_events, name="map_events"),
    path("<uuid:map_id>/presence/", map_presence, name="map_presence"),
]
