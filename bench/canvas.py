"""
`make bench`: server time and query counts of the canvas, in a scratch database.

Builds a big map (12 stages × 10 lanes, 400 cards, 3 personas, 50 actions,
emotions) and a 40-card map in a temporary SQLite file (never the dev
database), then measures with django.test.Client, signed in with force_login:

- the canvas page for both maps (median time, queries: constant in cards),
  and the big one again with no rendered fragment kept (`canvas_400_cold_ms`);
- a card edit (htmx POST to `card_edit`: text and version);
- the history panel of the big map;
- /healthz, a trivial view, as the floor;
- the PDF canvas of the big map: the first download (`pdf_400_ms`, nothing
  cached), a second one (`pdf_cached_ms`), and as its floor WeasyPrint
  rendering a bare table holding the same text in this process
  (`pdf_floor_ms`); `pdf_vs_floor` is their ratio;
- from bench.shape, the code's shape: `views`, `views_over_30`,
  `longest_view` and `longest_view_lines`;
- and, from bench.live (its own process, server and scratch database, which
  is PostgreSQL when DATABASE_URL names one), the live-update keys: `live_*`
  and `sse_*`. `BENCH_LIVE=0` leaves them out.

Prints one JSON line; times are medians in milliseconds; query counts leave
out transaction control (BEGIN, COMMIT, SAVEPOINT), as the tests' pins do. Settings are
production-like (DEBUG off, cached templates) except plain HTTP.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta

from bench import shape

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
PDF_REPEAT = int(os.environ.get("BENCH_PDF_REPEAT", "5"))
WARM_UP = 5

LANES = [
    ("Doelen", "text"),
    ("Touchpoints", "touchpoints"),
    ("Gedachten", "text"),
    ("Gevoelens", "text"),
    ("Emotie", "emotion"),
    ("Pijnpunten", "pains"),
    ("Kansen", "opportunities"),
    ("Backstage", "text"),
    ("Wat we willen veranderen", "text"),
    ("Vervolgacties", "actions"),
]
CHANNELS = ["website", "search", "email", "phone", "shop", "helpdesk"]


def build(
    org,
    user,
    *,
    title: str = "Benchmark",
    stages: int = 12,
    lanes: int = 10,
    cards: int = 400,
    personas: int = 3,
    actions: int = 50,
    findings: int = 6,
):
    """A map of the given size in `org`, with emotions, actions and evidence."""
    from django.db import transaction

    from maps.models import (
        Action,
        ActionStatus,
        Card,
        Emotion,
        JourneyMap,
        Lane,
        Stage,
        record,
    )
    from research.models import METHOD_KIND, Finding, Persona, Study, StudyMethod

    with transaction.atomic():
        journey_map = JourneyMap.objects.create(
            organisation=org, title=title, status="active", created_by=user
        )
        people = [
            Persona.objects.create(organisation=org, name=f"{title} persona {i + 1}")
            for i in range(personas)
        ]
        journey_map.personas.set(people)
        study = Study.objects.create(
            organisation=org,
            title=f"{title} interviews",
            method=StudyMethod.INTERVIEW,
            kind=METHOD_KIND[StudyMethod.INTERVIEW],
        )
        evidence = Finding.objects.bulk_create(
            Finding(study=study, statement=f"Bevinding {i + 1}")
            for i in range(findings)
        )
        the_stages = Stage.objects.bulk_create(
            Stage(
                map=journey_map,
                title=f"Fase {i + 1}",
                customer_goal=f"Doel van fase {i + 1}",
                position=i,
            )
            for i in range(stages)
        )
        lane_specs = [LANES[i % len(LANES)] for i in range(lanes)]
        the_lanes = Lane.objects.bulk_create(
            Lane(map=journey_map, title=name, kind=kind, position=i)
            for i, (name, kind) in enumerate(lane_specs)
        )
        card_lanes = [
            lane for lane in the_lanes if lane.kind not in ("emotion", "actions")
        ]
        cells = [(s, lane) for s in the_stages for lane in card_lanes]
        new_cards = []
        for i in range(cards):
            stage, lane = cells[i % len(cells)]
            fields = {}
            if lane.kind == "touchpoints":
                fields = {
                    "channel": CHANNELS[i % len(CHANNELS)],
                    "online": i % 2 == 0,
                    "experience": ("positive", "neutral", "negative")[i % 3],
                }
            elif lane.kind in ("pains", "opportunities"):
                fields = {"impact": ("low", "medium", "high")[i % 3]}
            new_cards.append(
                Card(
                    map=journey_map,
                    stage=stage,
                    lane=lane,
                    text=f"Kaart {i + 1}: wat de klant hier doet, denkt of voelt",
                    position=i // len(cells),
                    **fields,
                )
            )
        the_cards = Card.objects.bulk_create(new_cards)
        if evidence:
            through = Card.findings.through
            through.objects.bulk_create(
                through(card_id=card.pk, finding_id=evidence[i % len(evidence)].pk)
                for i, card in enumerate(the_cards)
                if i % 3 == 0
            )
        Emotion.objects.bulk_create(
            Emotion(
                map=journey_map,
                stage=stage,
                persona=persona,
                score=((i + p) % 5) - 2,
                note="Korte toelichting",
            )
            for i, stage in enumerate(the_stages)
            for p, persona in enumerate(people)
        )
        statuses = list(ActionStatus.values)
        Action.objects.bulk_create(
            Action(
                map=journey_map,
                stage=the_stages[i % len(the_stages)],
                card=the_cards[i % len(the_cards)] if the_cards and i % 2 else None,
                title=f"Actie {i + 1}",
                owner=user,
                due=date.today() + timedelta(days=i - 10),
                status=statuses[i % len(statuses)],
                position=i // len(the_stages),
            )
            for i in range(actions)
        )
        record(journey_map, user, "create")
    return journey_map


def _median_ms(client, url: str, n: int, *, post=None, htmx: bool = False):
    """
    (median ms, queries of the last request, last response) of n requests after
    a warm-up. `post` makes each request a POST with the data it returns.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = HTMX if htmx or post else {}
    times, queries, response = [], 0, None
    for i in range(WARM_UP + n):
        data = post() if post else None
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            if post:
                response = client.post(url, data, headers=headers)
            else:
                response = client.get(url, headers=headers)
            elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"bench: {url} answered HTTP {response.status_code}")
        if i >= WARM_UP:
            times.append(elapsed * 1000)
            queries = sum(not _is_transaction_control(q["sql"]) for q in captured)
    return round(statistics.median(times), 1), queries, response


def _cold_median_ms(client, url: str, n: int) -> float:
    """Median ms of `url` with every kept fragment forgotten before each request."""
    from maps.canvas import kept

    stores = [v for v in vars(kept).values() if isinstance(v, kept.KeptFragments)]
    times = []
    for _i in range(n):
        for store in stores:
            store.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"bench: {url} answered HTTP {response.status_code}")
    return round(statistics.median(times), 1)


def _is_transaction_control(sql: str) -> bool:
    """
    BEGIN/COMMIT/SAVEPOINT: SQLite's explicit BEGIN IMMEDIATE shows up in the
    capture outside a test's transaction; the tests' pinned counts (which run
    inside one) do not see them, so the bench counts like the tests do.
    """
    return sql.split(None, 1)[0].upper() in TRANSACTION_CONTROL


TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


HTMX = {"HX-Request": "true"}


def measure(client, org, big, small, n: int = REPEAT) -> dict:
    from django.urls import NoReverseMatch, reverse

    from maps.models import Card

    result = {}
    result["floor_ms"], _q, _r = _median_ms(client, "/healthz", n)
    for key, journey_map in (("canvas_40", small), ("canvas_400", big)):
        url = journey_map.get_absolute_url()
        ms, queries, response = _median_ms(client, url, n)
        result[f"{key}_ms"], result[f"{key}_queries"] = ms, queries
        result[f"{key}_kb"] = round(len(response.content) / 1024, 1)

    # The same page with nothing kept (maps.canvas.kept): the first view after a
    # restart, or of a map nobody opened since its cards changed.
    result["canvas_400_cold_ms"] = _cold_median_ms(client, big.get_absolute_url(), n)

    card = Card.objects.filter(map=big, lane__kind="text").order_by("pk").first()
    try:
        url = reverse("card_edit", args=[org.slug, card.pk])
    except NoReverseMatch:
        print("bench: no URL named card_edit yet; card edit skipped", file=sys.stderr)
    else:
        counter = iter(range(1_000_000))

        def fresh():
            version = Card.objects.values_list("version", flat=True).get(pk=card.pk)
            return {"text": f"Bewerkte kaart {next(counter)}", "version": version}

        ms, queries, _r = _median_ms(client, url, n, post=fresh)
        result["card_edit_ms"], result["card_edit_queries"] = ms, queries

    url = reverse("map_history", args=[org.slug, big.pk])
    ms, queries, _r = _median_ms(client, url, n, htmx=True)
    result["history_ms"], result["history_queries"] = ms, queries

    result.update(measure_pdf(client, org, big, max(1, min(n, PDF_REPEAT))))
    return result


def measure_pdf(client, org, journey_map, n: int) -> dict:
    """The PDF canvas: first download, cached download, and the floor."""
    from django.core.cache import caches
    from django.urls import reverse

    url = reverse("map_pdf", args=[org.slug, journey_map.pk])
    first, cached = [], []
    client.get(url)  # starts the renderer's fork server, as a running site has
    for _i in range(n):
        caches["pdf"].clear()
        for times in (first, cached):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"bench: {url} answered HTTP {response.status_code}")
    from django.template.loader import render_to_string

    from maps.files.pdf import Options, document_context

    floor_html = bare_table(
        render_to_string(
            "maps/pdf/canvas.html", document_context(journey_map, Options(), org)
        )
    )
    floors = []
    for _i in range(n):
        start = time.perf_counter()
        _bare_pdf(floor_html)
        floors.append((time.perf_counter() - start) * 1000)
    result = {
        "pdf_400_ms": round(statistics.median(first), 1),
        "pdf_cached_ms": round(statistics.median(cached), 1),
        "pdf_floor_ms": round(statistics.median(floors), 1),
        "pdf_kb": round(len(response.content) / 1024, 1),
    }
    result["pdf_vs_floor"] = round(result["pdf_400_ms"] / result["pdf_floor_ms"], 2)
    return result


def bare_table(html: str) -> str:
    """
    The floor: the same text as the PDF canvas's HTML, in bare tables on the
    same paper. Styles, graphics and attributes go; table cells stay, and every
    other block becomes a line break.
    """
    html = re.sub(r"(?s)<(head|svg)\b.*?</\1>", "", html)
    html = re.sub(r"<(/?)(table|thead|tbody|tr|td|th)\b[^>]*>", r"<\1\2>", html)
    html = re.sub(
        r"</?(p|div|li|h\d|dt|dd|blockquote|section|header|ul|dl)\b[^>]*>", "<br>", html
    )
    html = re.sub(r"<(?!/?(?:table|thead|tbody|tr|td|th|br)>)[^>]*>", "", html)
    return (
        "<html><head><style>@page { size: A3 landscape }</style></head>"
        f"<body>{html}</body></html>"
    )


def _bare_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def setup_scratch_database() -> str:
    """Point Django at a fresh SQLite file and migrate it; returns the path."""
    fd, path = tempfile.mkstemp(prefix="journeymap-bench-", suffix=".sqlite3")
    os.close(fd)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.settings")
    # Production-like: DEBUG off (cached templates, no debug toolbar-ish work),
    # but plain HTTP and unhashed static names, as the test client needs.
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = "bench-" + os.urandom(16).hex()
    os.environ["ALLOWED_HOSTS"] = "testserver"
    for name in (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "STATIC_MANIFEST",
    ):
        os.environ[name] = "0"

    import django

    # Static files are served from static/ here; no collectstatic for a bench.
    warnings.filterwarnings("ignore", "No directory at")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return path


def live_figures(environ: dict) -> dict:
    """bench.live's figures (streams, fan-out, Chromium), in a process of its own:
    it runs its own server on its own scratch database (PostgreSQL when
    DATABASE_URL names one)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.live"],
        env=environ,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    environ = dict(os.environ)  # before the scratch database replaces DATABASE_URL
    path = setup_scratch_database()
    try:
        from django.contrib.auth.models import User
        from django.test import Client

        from journeymap.models import Membership, Organisation, Role

        user = User.objects.create_user("bench", "bench@example.com")
        org = Organisation.objects.create(name="Bench", slug="bench")
        Membership.objects.create(organisation=org, user=user, role=Role.OWNER)
        big = build(org, user, title="Groot")
        small = build(
            org, user, title="Klein", stages=7, lanes=7, cards=40, personas=1, actions=5
        )
        client = Client()
        client.force_login(user)
        client.get(small.get_absolute_url())  # the session remembers the org
        figures = measure(client, org, big, small) | shape.figures()
        if os.environ.get("BENCH_LIVE", "1") != "0":
            figures |= live_figures(environ)
        print(json.dumps(figures))
    finally:
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


if __name__ == "__main__":
    main()
