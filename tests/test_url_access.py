"""
Walk every URL pattern of the project and try it as an outsider, a viewer and an
anonymous visitor. A view added later cannot forget its access check: its URL
shows up here automatically, and the test fails until it behaves.

Every organisation URL is asked GET, POST, PUT, PATCH and DELETE, each once as
a plain request and once as an htmx fragment request (`HX-Request: true`), by:

- alice (owner of Demo): the oracle, asked wherever someone else got 405 and
  on every PUT, PATCH and DELETE. Where she gets 405, the view does not take
  the method at all, and only there is 405 an acceptable answer for the others;
- carol (owner of Other), with Demo's slug and with her own slug plus Demo's
  object ids (the classic cross-tenant path: only the object lookup stops her):
  404, or 405 where the view does not take the method;
- bob (viewer of Demo): 403 on every write, or 405 where the view does not take
  the method, except the few writes a viewer may make to his own membership
  (VIEWER_MAY_POST); his reads may answer what they like but a server error;
- anonymous: sent to sign in (a 302 to the login page, or for htmx a 200 with
  an HX-Redirect to it, with no page content), or 405 where the view does not
  take the method.

No view answers PUT, PATCH or DELETE with 2xx for anyone, and no request ends
in a server error. After every request that may not write (anything but
alice's writes and bob's VIEWER_MAY_POST), the row counts of every model of the
project's apps and auth's User, and the rows the URL points at, are what they
were before, and no INSERT, UPDATE or DELETE reached those tables.

The walk runs once per module, on seeded data, inside a transaction that is
rolled back; each request runs in its own savepoint, rolled back after it, so
one view's write cannot change what the next request sees.

Each URL parameter needs a sample value from the Demo organisation in SAMPLES.
"""

import copy
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from journeymap.models import Invitation, invitation_create
from tests.helpers import add_member, make_org, make_user

# The walk's module fixture needs the test database, which pytest-django sets up
# only for the databases its collected tests are marked with.
pytestmark = pytest.mark.django_db

# Counted on purpose: a new URL fails here until it has been looked at (and its
# parameters have samples).
EXPECTED_ORGANISATION_URLS = 107

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
NEVER_2XX = ("PUT", "PATCH", "DELETE")


def _research(org):
    from research.demo import seed_research

    seed_research(org)
    return org


def _demo_map(org):
    from maps.models import JourneyMap, map_create_from_template

    journey_map = JourneyMap.objects.filter(organisation=org).first()
    if journey_map is None:
        owner = org.memberships.get(role="owner").user
        journey_map = map_create_from_template(org, owner, "Demo map", "aida")
    return journey_map


def _demo_card(org):
    from maps.models import Card

    journey_map = _demo_map(org)
    card = journey_map.cards.first()
    if card is None:
        card = Card.objects.create(
            map=journey_map,
            stage=journey_map.stages.first(),
            lane=journey_map.lanes.first(),
            text="Demo card",
        )
    return card


def _demo_emotion(org):
    from maps.models import Emotion

    journey_map = _demo_map(org)
    stage = journey_map.stages.first()
    emotion, _ = Emotion.objects.get_or_create(
        map=journey_map, stage=stage, persona=None, defaults={"score": 0}
    )
    return emotion


def _demo_action(org):
    from maps.models import Action

    journey_map = _demo_map(org)
    action = journey_map.actions.first()
    if action is None:
        action = Action.objects.create(
            map=journey_map, stage=journey_map.stages.first(), title="Demo action"
        )
    return action


def _demo_checkpoint(org):
    from maps.models import Checkpoint

    journey_map = _demo_map(org)
    checkpoint = journey_map.checkpoints.first()
    if checkpoint is None:
        checkpoint = Checkpoint.objects.create(
            map=journey_map, title="Demo checkpoint", revision=journey_map.revision
        )
    return checkpoint


# URL kwarg name → function(org) returning an object that exists in that org.
# The URL gets its slug (org_slug) or its pk; its row is compared before and after.
SAMPLES: dict[str, Callable] = {
    "org_slug": lambda org: org,
    "membership_id": lambda org: org.memberships.get(user__username="dave"),
    "invitation_id": lambda org: Invitation.objects.filter(organisation=org).first(),
    # Research: the demo research (seeded once, idempotent) supplies the objects.
    "persona_id": lambda org: _research(org).personas.first(),
    "criterion_id": lambda org: _research(org).personas.first().criteria.first(),
    "entry_id": lambda org: _research(org).personas.first().empathy_entries.first(),
    "dmu_id": lambda org: _research(org).dmus.first(),
    "dmu_member_id": lambda org: _research(org).dmus.first().members.first(),
    "question_id": lambda org: _research(org).research_questions.first(),
    "study_id": lambda org: _research(org).studies.first(),
    "finding_id": lambda org: _research(org).studies.first().findings.first(),
    # Maps: one demo map, made on first use.
    "map_id": lambda org: _demo_map(org),
    "stage_id": lambda org: _demo_map(org).stages.first(),
    "lane_id": lambda org: _demo_map(org).lanes.first(),
    "card_id": lambda org: _demo_card(org),
    "emotion_id": lambda org: _demo_emotion(org),
    "action_id": lambda org: _demo_action(org),
    # The history: an entry of the demo map (its first: the map's creation).
    "activity_id": lambda org: _demo_map(org).activities.order_by("id").first(),
    "checkpoint_id": lambda org: _demo_checkpoint(org),
}

# Where one URL needs a particular kind of object for the view to get past its
# own checks (so that only access decides the answer): (URL name, parameter).
SAMPLES_FOR_URL: dict[tuple[str, str], Callable] = {
    ("map_emotion_row", "lane_id"): lambda org: _demo_map(org).lanes.get(
        kind="emotion"
    ),
}

# Organisation URLs a viewer may POST to: things about himself, not the team's work
# (leaving; saying he has a map open).
VIEWER_MAY_POST = {"org_leave", "map_presence"}

# Reading the overview moves the reader's own visit mark (Membership.last_visit
# and previous_visit, for "what changed since your last visit"): bookkeeping
# about the reader, like the session remembering the organisation. Only that.
_VALUE = r"(?:%s|NULL)(?:::\w+)?"
_VISIT_MARK = re.compile(
    r'\s*UPDATE "journeymap_membership" SET '
    rf'"(?:previous|last)_visit" = {_VALUE}, "(?:previous|last)_visit" = {_VALUE} WHERE'
)
MARKS_VISIT = {"org_home"}

# URLs outside /o/<slug>/ and what they are; a new one must be added here on purpose.
PUBLIC_OR_ACCOUNT = {
    "home",
    "healthz",
    "signup",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "org_create",
    "invitation",
    "invitation_accept",
    "set_language",
}


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, route)
        else:
            yield route, entry


def _project_patterns() -> list[tuple[str, URLPattern]]:
    return [
        (route, p)
        for route, p in _walk(get_resolver())
        if not route.startswith("admin/")
    ]


def org_patterns() -> list[tuple[str, URLPattern]]:
    return [(r, p) for r, p in _project_patterns() if r.startswith("o/<")]


def _parameters(route: str) -> list[str]:
    return [m.split(":")[-1] for m in re.findall(r"<([^>]+)>", route)]


def _fill(route: str, values: dict[str, object]) -> str:
    """Turn 'o/<slug:org_slug>/members/<uuid:membership_id>/' into a real path."""
    missing = [name for name in _parameters(route) if name not in values]
    if missing:
        pytest.fail(
            f"Add a sample value for URL parameter {missing[0]!r} to SAMPLES "
            f"(route {route!r})"
        )

    def value(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        return values[name].slug if name == "org_slug" else str(values[name].pk)

    return "/" + re.sub(r"<([^>]+)>", value, route).replace("^", "").replace("$", "")


# ---- The snapshot: did a request change anything? -----------------------------

# Also SQLite's "INSERT OR IGNORE INTO" (bulk_create with ignore_conflicts).
_WRITE_SQL = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I
)


def _watched_models() -> list:
    models = [User]
    for label in ("journeymap", "research", "maps"):
        models += apps.get_app_config(label).get_models(include_auto_created=True)
    return models


class Snapshot:
    """
    Row counts of every watched model in one query, plus the rows a URL points
    at, as dicts. Plain SQL: the ORM's query building costs more than the queries.
    """

    def __init__(self):
        self.models = _watched_models()
        self.tables = {m._meta.db_table for m in self.models}
        quote = connection.ops.quote_name
        self.sql = "SELECT " + ", ".join(
            f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in self.models
        )
        self.row_sql = {
            m: f"SELECT * FROM {quote(m._meta.db_table)} "
            f"WHERE {quote(m._meta.pk.column)} = %s"
            for m in self.models
        }

    def take(self, objects: list) -> tuple:
        rows = []
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            counts = tuple(cursor.fetchone())
            for obj in objects:
                pk = obj._meta.pk.get_db_prep_value(obj.pk, connection)
                cursor.execute(self.row_sql[type(obj)], [pk])
                row = cursor.fetchone()
                names = [column[0] for column in cursor.description]
                rows.append(None if row is None else dict(zip(names, row, strict=True)))
        return counts, tuple(rows)

    def differences(self, before: tuple, after: tuple, objects: list) -> list[str]:
        found = [
            f"{model.__name__} rows {was} → {now}"
            for model, was, now in zip(self.models, before[0], after[0], strict=True)
            if was != now
        ]
        for obj, was, now in zip(objects, before[1], after[1], strict=True):
            if was != now:
                what = (
                    "deleted"
                    if now is None
                    else sorted(k for k in was if now.get(k) != was[k])
                )
                found.append(f"{type(obj).__name__} {obj.pk} changed: {what}")
        return found


# ---- The walk ---------------------------------------------------------------


@dataclass(repr=False)
class Answer:
    name: str
    actor: str
    method: str
    htmx: bool
    status: int
    location: str = ""
    hx_redirect: str = ""
    content: bytes = b""
    changes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        htmx = "htmx" if self.htmx else "plain"
        text = f"{self.name}: {self.actor} {self.method} {htmx} → {self.status}"
        if self.location or self.hx_redirect:
            text += f" to {self.location or self.hx_redirect}"
        if self.changes:
            text += " [" + "; ".join(self.changes) + "]"
        return text

    __repr__ = __str__


class Walk:
    """Asks the requests and keeps the answers."""

    def __init__(self):
        self.snapshot = Snapshot()
        self.befores: dict[str, tuple] = {}
        self.answers: list[Answer] = []
        self.patterns = 0
        # (url name, method, htmx) where the owner got 405: the view does not take it.
        self.not_taken: set[tuple[str, str, bool]] = set()

    def __repr__(self) -> str:
        return f"<Walk of {self.patterns} URL patterns, {len(self.answers)} requests>"

    def of(self, actor_prefix: str) -> list[Answer]:
        return [a for a in self.answers if a.actor.startswith(actor_prefix)]

    def takes(self, answer: Answer) -> bool:
        return (answer.name, answer.method, answer.htmx) not in self.not_taken

    def ask(self, name, actor, client, method, path, objects, htmx, may_write=False):
        """One request in its own savepoint, rolled back after it."""
        before = None
        if not may_write:
            if path not in self.befores:
                self.befores[path] = self.snapshot.take(objects)
            before = self.befores[path]
        writes: list[str] = []

        def watch(execute, sql, params, many, context):
            match = _WRITE_SQL.match(sql)
            if name in MARKS_VISIT and _VISIT_MARK.match(sql):
                match = None
            if match and match.group(1) in self.snapshot.tables:
                writes.append(f"wrote {sql.split()[0].upper()} {match.group(1)}")
            return execute(sql, params, many, context)

        cookies = copy.deepcopy(client.cookies)
        headers = {"HX-Request": "true"} if htmx else {}
        answer = Answer(name=name, actor=actor, method=method, htmx=htmx, status=500)
        with transaction.atomic():
            try:
                with connection.execute_wrapper(watch):
                    response = getattr(client, method.lower())(path, headers=headers)
            except Exception as exc:  # a crash is an answer too: a 500
                answer.changes.append(f"raised {type(exc).__name__}: {exc}"[:300])
            else:
                answer.status = response.status_code
                answer.location = response.get("Location", "")
                answer.hx_redirect = response.get("HX-Redirect", "")
                if not response.streaming:
                    answer.content = response.content
                if before is not None:
                    after = self.snapshot.take(objects)
                    answer.changes += writes
                    answer.changes += self.snapshot.differences(before, after, objects)
            transaction.set_rollback(True)
        # The session rows went back with the savepoint; so do the client's cookies.
        client.cookies = cookies
        self.answers.append(answer)
        return answer


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _seed():
    """conftest's cast: alice owns Demo, bob views, dave edits, carol owns Other."""
    alice, bob, carol, dave = (make_user(n) for n in ("alice", "bob", "carol", "dave"))
    demo = make_org("Demo", alice)
    add_member(demo, bob, "viewer")
    add_member(demo, dave, "editor")
    other = make_org("Other", carol)
    invitation_create(demo, "erin@example.com", "editor", alice)
    # Carol's organisation has research and a map of its own, as a real one would.
    _research(other)
    _demo_map(other)
    return demo, other, {"alice": alice, "bob": bob, "carol": carol}


def _sample_values(org, routes: list[str]) -> dict[str, object]:
    """A sample object of `org` for every parameter of `routes`."""
    params = {name for route in routes for name in _parameters(route)}
    missing = sorted(params - SAMPLES.keys())
    if missing:
        pytest.fail(f"Add sample values for URL parameters {missing} to SAMPLES")
    return {name: SAMPLES[name](org) for name in params}


def _walk_everything() -> Walk:
    demo, other, users = _seed()
    demo_values = _sample_values(demo, [route for route, _ in org_patterns()])
    special = {key: sample(demo) for key, sample in SAMPLES_FOR_URL.items()}
    alice, bob, carol = (_client(users[n]) for n in ("alice", "bob", "carol"))
    anonymous = _client()
    walk = Walk()

    for route, pattern in org_patterns():
        walk.patterns += 1
        names = _parameters(route)
        values = {n: special.get((pattern.name, n), demo_values[n]) for n in names}
        own_values = {**values, "org_slug": other}
        path, objects = _fill(route, values), [values[n] for n in names]
        askers = [("carol@demo", carol, path, objects)]
        if names != ["org_slug"]:
            # Her own organisation, where she is owner: only the lookup of
            # Demo's ids stands between her and Demo's objects.
            own_objects = [own_values[n] for n in names]
            askers.append(
                ("carol@own-org", carol, _fill(route, own_values), own_objects)
            )
        askers += [("bob", bob, path, objects), ("anonymous", anonymous, path, objects)]
        for htmx in (False, True):
            for method in METHODS:
                got = [
                    walk.ask(
                        pattern.name,
                        actor,
                        client,
                        method,
                        actor_path,
                        actor_objects,
                        htmx,
                        may_write=actor == "bob"
                        and method == "POST"
                        and pattern.name in VIEWER_MAY_POST,
                    )
                    for actor, client, actor_path, actor_objects in askers
                ]
                # The owner is asked what decides whether a 405 is honest, and
                # every PUT, PATCH and DELETE (no one may get a 2xx for those).
                if method in NEVER_2XX or any(a.status == 405 for a in got):
                    owner = walk.ask(
                        pattern.name,
                        "alice",
                        alice,
                        method,
                        path,
                        objects,
                        htmx,
                        may_write=method != "GET",
                    )
                    if owner.status == 405:
                        walk.not_taken.add((pattern.name, method, htmx))
    return walk


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker) -> Iterator[Walk]:
    """The whole walk, once for this module, in a transaction that is rolled back."""
    # Thousands of expected 403s and 404s would each log a warning (with a
    # traceback); server errors still log.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ),
            transaction.atomic(),
        ):
            result = _walk_everything()
            transaction.set_rollback(True)
    finally:
        request_log.setLevel(level)
        for cache in caches.all():
            cache.clear()
    print(
        f"\nURL walker: {result.patterns} URL patterns walked, "
        f"{len(result.answers)} requests made"
    )
    yield result


def _report(problems: list[Answer], what: str) -> str:
    return f"{len(problems)} {what}:\n" + "\n".join(f"  {p}" for p in problems)


# ---- The tests ----------------------------------------------------------------


def test_every_non_organisation_url_is_known():
    names = {p.name for r, p in _project_patterns() if not r.startswith("o/<")}
    assert names - PUBLIC_OR_ACCOUNT == set()


def test_it_walks_exactly_the_organisation_urls_there_are(walk):
    summary = f"{walk.patterns} URL patterns walked, {len(walk.answers)} requests"
    assert walk.patterns == EXPECTED_ORGANISATION_URLS, summary


def test_a_parameter_without_a_sample_fails_by_name():
    route = "o/<slug:org_slug>/widgets/<uuid:widget_id>/"
    with pytest.raises(pytest.fail.Exception, match="'widget_id'"):
        _sample_values(None, [route])
    with pytest.raises(pytest.fail.Exception, match="'widget_id'"):
        _fill(route, {"org_slug": None})


def test_outsiders_get_404(walk):
    problems = [
        a
        for a in walk.of("carol")
        if not (a.status == 404 or (a.status == 405 and not walk.takes(a)))
    ]
    assert not problems, _report(problems, "answers to an outsider other than 404")


def test_viewers_cannot_write(walk):
    problems = []
    for a in walk.of("bob"):
        if a.method == "GET" or (a.method == "POST" and a.name in VIEWER_MAY_POST):
            ok = a.status < 500
        else:
            ok = a.status == 403 or (a.status == 405 and not walk.takes(a))
        if not ok:
            problems.append(a)
    assert not problems, _report(problems, "answers to a viewer's write other than 403")


def test_anonymous_visitors_are_sent_to_sign_in(walk):
    login = resolve_url(settings.LOGIN_URL)

    def sent_to_sign_in(a: Answer) -> bool:
        if a.content.strip():
            return False
        if a.status == 302:
            return a.location.startswith(login)
        return a.htmx and a.status == 200 and a.hx_redirect.startswith(login)

    problems = [
        a
        for a in walk.of("anonymous")
        if not (sent_to_sign_in(a) or (a.status == 405 and not walk.takes(a)))
    ]
    assert not problems, _report(problems, "answers to an anonymous visitor")


def test_no_view_answers_put_patch_or_delete_with_2xx(walk):
    problems = [
        a for a in walk.answers if a.method in NEVER_2XX and 200 <= a.status < 300
    ]
    assert not problems, _report(problems, "PUT/PATCH/DELETE answered with 2xx")


def test_no_request_ends_in_a_server_error(walk):
    problems = [a for a in walk.answers if a.status >= 500]
    assert not problems, _report(problems, "server errors")


def test_requests_that_may_not_write_change_nothing(walk):
    problems = [a for a in walk.answers if a.changes and a.status < 500]
    assert not problems, _report(problems, "requests that changed data")
