"""
Every page passes WCAG 2.1 AA as axe-core checks it, in English and in Dutch.

axe-core (tests/vendor/axe-core/, never served to users) runs in a real Chromium
on every page alice (owner of Demo, so every tool shows) can open, on the demo
research and both demo maps, plus the pages of someone signed out, a 404 and a
few states: an open edit form on the canvas, the history panel, forms with
validation errors. A test fails on any violation axe rates serious or critical,
naming the rule, the elements and the page.

Which pages exist is asked of the URL resolver: every URL that answers a GET
with an HTML page must be visited here or be in NOT_VISITED with its reason, so a
new page cannot be forgotten.

The data is seeded once for the module and committed (the server runs in its
own thread); one browser page per visitor and language is shared by all tests,
and the database is flushed when the module is done.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from journeymap.models import invitation_create
from tests.helpers import add_member, make_org, make_user
from tests.test_contrast import contrast
from tests.test_url_access import _parameters, _project_patterns

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
LANGUAGES = ("en", "nl")

# GET URLs that answer with HTML but are not pages of their own, and why.
NOT_VISITED = {
    "persona_share": "a fragment of the persona page, refreshed by htmx",
    "dmu_share": "a fragment of the DMU page, refreshed by htmx",
}


@dataclass(frozen=True)
class Visit:
    """One page to check: a URL (by name), who looks, and what they do first."""

    id: str
    url_name: str
    who: str = "alice"  # or "anonymous"
    kwargs: Callable[["World"], dict] | None = None
    then: Callable | None = None  # page → None: bring the page into a state
    # What axe checks: the page, or only the part `then` opened (the rest of
    # that page has a visit of its own; the canvas is the slowest to check).
    within: str = "html"
    # A state of the canvas is the same markup in either language; checking it
    # once saves the suite the slowest checks.
    languages: tuple[str, ...] = LANGUAGES


def _open_card_edit(page) -> None:
    card = page.locator("[data-card]:has([data-card-edit])").first
    card.hover()  # its tools show on hover or focus
    card.locator("[data-card-edit]").click()
    page.locator("form[data-card-form] textarea[name=text]").first.wait_for()


def _open_cell_add(page) -> None:
    page.locator(".card-cell.is-empty .cell-add-toggle").first.click()
    page.locator("form[data-cell-add] textarea").first.wait_for()


def _open_history(page) -> None:
    page.locator("[data-history-open]").click()
    page.locator("#history-panel .history-entry").first.wait_for()


def _submit_empty(field: str) -> Callable:
    """Send the form holding `field` with that field empty, past the browser's
    own checks, so the server answers with its validation errors."""

    def submit(page) -> None:
        page.locator(f"form [name={field}]").first.fill("")
        with page.expect_navigation():
            page.evaluate(
                """(field) => {
                    const form = document.querySelector(`[name=${field}]`).form;
                    form.noValidate = true;
                    form.requestSubmit();
                }""",
                field,
            )
        page.locator(".errorlist, [aria-invalid=true]").first.wait_for()

    return submit


def _office(world: "World") -> dict:
    return {"map_id": world.office.pk}


VISITS = [
    # Signed out
    Visit("login", "login", "anonymous"),
    Visit("signup", "signup", "anonymous"),
    Visit("signup-errors", "signup", "anonymous", then=_submit_empty("username")),
    Visit("password_reset", "password_reset", "anonymous"),
    Visit("password_reset_done", "password_reset_done", "anonymous"),
    Visit("password_reset_confirm", "password_reset_confirm", "anonymous"),
    Visit("password_reset_complete", "password_reset_complete", "anonymous"),
    Visit("invitation", "invitation", "anonymous"),
    Visit("invitation-signed-in", "invitation"),
    Visit("404-signed-out", "", "anonymous"),
    # Account and organisation
    Visit("404", ""),
    Visit("password_change", "password_change"),
    Visit(
        "password_change-errors", "password_change", then=_submit_empty("old_password")
    ),
    Visit("password_change_done", "password_change_done"),
    Visit("org_create", "org_create"),
    Visit("org_home", "org_home"),
    Visit("org_settings", "org_settings"),
    Visit("members", "members"),
    Visit("member_remove", "member_remove"),
    Visit("org_leave", "org_leave"),
    # Research
    Visit("research_overview", "research_overview"),
    Visit("persona_list", "persona_list"),
    Visit("persona_create", "persona_create"),
    Visit("persona_detail", "persona_detail"),
    Visit("persona_edit", "persona_edit"),
    Visit("persona_delete", "persona_delete"),
    Visit("entry_edit", "entry_edit"),
    Visit("entry_delete", "entry_delete"),
    Visit("entry_evidence", "entry_evidence"),
    Visit("dmu_list", "dmu_list"),
    Visit("dmu_create", "dmu_create"),
    Visit("dmu_detail", "dmu_detail"),
    Visit("dmu_edit", "dmu_edit"),
    Visit("dmu_delete", "dmu_delete"),
    Visit("dmu_member_edit", "dmu_member_edit"),
    Visit("dmu_member_delete", "dmu_member_delete"),
    Visit("dmu_member_evidence", "dmu_member_evidence"),
    Visit("question_create", "question_create"),
    Visit("question_detail", "question_detail"),
    Visit("question_delete", "question_delete"),
    Visit("study_create", "study_create"),
    Visit("study_detail", "study_detail"),
    Visit("study_edit", "study_edit"),
    Visit("study_delete", "study_delete"),
    Visit("finding_edit", "finding_edit"),
    Visit("finding_delete", "finding_delete"),
    # Maps
    Visit("map_list", "map_list"),
    Visit("map_create", "map_create"),
    Visit("map_create-errors", "map_create", then=_submit_empty("title")),
    Visit("map_import", "map_import"),
    Visit("map_detail-podiatrist", "map_detail"),
    Visit("map_detail-office", "map_detail", kwargs=_office),
    Visit(
        "map_detail-card-edit",
        "map_detail",
        then=_open_card_edit,
        within=".card-cell:has(form[data-card-form]:not([data-cell-add]))",
        languages=("nl",),
    ),
    Visit(
        "map_detail-cell-add",
        "map_detail",
        kwargs=_office,
        then=_open_cell_add,
        within=".card-cell:has(form[data-cell-add])",
        languages=("nl",),
    ),
    Visit(
        "map_detail-history",
        "map_detail",
        then=_open_history,
        within="#history-panel",
        languages=("en",),
    ),
    Visit("map_duplicate", "map_duplicate"),
    Visit("map_delete", "map_delete"),
    Visit("map_settings", "map_settings"),
    Visit("map_download", "map_download"),
    Visit("map_history", "map_history"),
    Visit("stage_edit", "stage_edit"),
    Visit("stage_delete", "stage_delete"),
    Visit("stage_split", "stage_split"),
    Visit("checkpoint_delete", "checkpoint_delete"),
    Visit("lane_edit", "lane_edit"),
    Visit("lane_delete", "lane_delete"),
    Visit("card_edit", "card_edit"),
    Visit("card_delete", "card_delete"),
    Visit("card_evidence", "card_evidence"),
    Visit("map_emotion_note", "map_emotion_note"),
    Visit("action_add", "action_add"),
    Visit("action_edit", "action_edit"),
    Visit("action_delete", "action_delete"),
    Visit("action_board", "action_board"),
]


class World:
    """The seeded data: alice's Demo with the demo research and maps."""

    def __init__(self) -> None:
        from maps.demo import OFFICE, PODIATRIST, seed_maps
        from research.demo import seed_research

        self.alice = make_user("alice")
        org = self.org = make_org("Demo", self.alice)
        dave = make_user("dave")
        add_member(org, make_user("bob"), "viewer")
        add_member(org, dave, "editor")
        invitation, self.invitation_token = invitation_create(
            org, "erin@example.com", "editor", self.alice
        )
        seed_research(org)
        seed_maps(org, self.alice)
        self.podiatrist = org.journey_maps.get(title=PODIATRIST)
        self.office = org.journey_maps.get(title=OFFICE)
        podiatrist = self.podiatrist
        persona = org.personas.first()
        dmu = org.dmus.first()
        study = org.studies.first()
        self.samples = {
            "org_slug": org.slug,
            "membership_id": org.memberships.get(user=dave).pk,
            "invitation_id": invitation.pk,
            "persona_id": persona.pk,
            "criterion_id": persona.criteria.first().pk,
            "entry_id": persona.empathy_entries.first().pk,
            "dmu_id": dmu.pk,
            "dmu_member_id": dmu.members.first().pk,
            "question_id": org.research_questions.first().pk,
            "study_id": study.pk,
            "finding_id": study.findings.first().pk,
            "map_id": podiatrist.pk,
            "stage_id": podiatrist.stages.first().pk,
            "lane_id": podiatrist.lanes.filter(kind="text").first().pk,
            "card_id": podiatrist.cards.first().pk,
            "emotion_id": podiatrist.emotions.first().pk,
            "action_id": podiatrist.actions.first().pk,
            "activity_id": podiatrist.activities.order_by("id").first().pk,
            "checkpoint_id": podiatrist.checkpoints.first().pk,
            "uidb64": urlsafe_base64_encode(force_bytes(self.alice.pk)),
            "token": default_token_generator.make_token(self.alice),
        }
        self.routes = {p.name: route for route, p in _project_patterns() if p.name}
        client = Client()
        client.force_login(self.alice)
        self.cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    def path(self, url_name: str, overrides: dict | None = None) -> str:
        if not url_name:
            return "/o/demo/no-such-page/"
        values = {**self.samples, **(overrides or {})}
        if url_name.startswith("invitation"):
            values["token"] = self.invitation_token
        names = _parameters(self.routes[url_name])
        return reverse(url_name, kwargs={n: values[n] for n in names})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Seeded and committed once for the module, flushed after it. The database
    stays open to the server's threads for the whole module: a test's own
    transaction would hold SQLite's write lock (transaction_mode IMMEDIATE)."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
    ):
        yield World()
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
        for cache in caches.all():
            cache.clear()


@pytest.fixture(scope="module")
def transactional_db(world) -> World:
    """Stands in for pytest-django's fixture of this name, which would flush the
    database after every test. pytest-django still sees the name: it sets up the
    test database for these tests and runs them with the other live-server
    tests, after the tests that use the test client's async_to_sync (which
    refuses to run once Playwright's event loop is in this thread)."""
    return world


@pytest.fixture(scope="module")
def pages(browser, app_server, world) -> Iterator[dict]:
    """One page per (visitor, language), shared by the module's tests."""
    if app_server.server is None:
        app_server.start()
    contexts, made = [], {}
    for language in LANGUAGES:
        for who in ("alice", "anonymous"):
            context = browser.new_context(
                base_url=app_server.url,
                locale="nl-NL" if language == "nl" else "en-US",
                viewport={"width": 1280, "height": 900},
                reduced_motion="reduce",
            )
            context.set_default_timeout(10_000)
            # An init script is given to the page through the DevTools protocol,
            # past the app's CSP (which would block an injected <script> tag).
            context.add_init_script(path=AXE)
            cookies = [
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": app_server.url,
                }
            ]
            if who == "alice":
                cookies.append(
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": world.cookie,
                        "url": app_server.url,
                    }
                )
            context.add_cookies(cookies)
            contexts.append(context)
            made[who, language] = context.new_page()
    yield made
    for context in contexts:
        context.close()


def _violations(page, within: str) -> list[dict]:
    return page.evaluate(
        """async ([tags, within]) => {
            const results = await axe.run(document.querySelector(within), {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({
                    impact: n.impact,
                    target: n.target.join(" "),
                    summary: n.failureSummary,
                })),
            }));
        }""",
        [TAGS, within],
    )


def _report(where: str, violations: list[dict]) -> str:
    lines = [f"axe found serious or critical violations on {where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
        )
        for node in violation["nodes"][:8]:
            summary = " ".join(node["summary"].split())[:240]
            lines.append(f"    {node['target']}: {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("visit", "language"),
    [(visit, language) for visit in VISITS for language in visit.languages],
    ids=[f"{visit.id}-{language}" for visit in VISITS for language in visit.languages],
)
def test_the_page_passes_axe(pages, world, visit, language):
    page = pages[visit.who, language]
    overrides = visit.kwargs(world) if visit.kwargs else None
    path = world.path(visit.url_name, overrides)
    response = page.goto(path, wait_until="load")
    assert response is not None
    if visit.url_name:
        assert response.status == 200, f"{path} answered {response.status}"
        assert page.evaluate("document.documentElement.lang") == language
    else:
        assert response.status == 404
    if visit.then is not None:
        visit.then(page)
    serious = [
        v for v in _violations(page, visit.within) if v["impact"] in FAILING_IMPACTS
    ]
    assert not serious, _report(f"{visit.id} ({path}, {language})", serious)


# Quiet text the issue reported as too faint. axe passes over text it cannot see
# (opacity 0 until hover), so these are measured as drawn, faded or not, with
# the pointer away from them.
QUIET_TEXT = [
    (
        "plus-add-in-an-empty-cell",
        "map_detail",
        _office,
        ".card-cell.is-empty .cell-add-toggle",
    ),
    ("assumption-badge", "map_detail", None, ".map-card .evidence-badge.is-assumption"),
    ("overdue-row-muted-text", "action_board", None, ".board-row.is-overdue .muted"),
    ("entry-tools", "persona_detail", None, ".card .card-tool"),
]


def _as_drawn(page, selector: str) -> tuple[str, str]:
    """The first match's text colour as drawn (its opacity and its ancestors'
    applied) and the background it is drawn on, as #rrggbb."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const rgba = (c) => {
                const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number);
                return [r, g, b, a];
            };
            let opacity = 1;
            let ground = [255, 255, 255, 1];
            let found = false;
            for (let node = el; node; node = node.parentElement) {
                const style = getComputedStyle(node);
                opacity *= Number(style.opacity);
                const back = rgba(style.backgroundColor);
                if (!found && back[3] > 0) { ground = back; found = true; }
            }
            const text = rgba(getComputedStyle(el).color);
            const alpha = text[3] * opacity;
            const hex = (c) => "#" + c.slice(0, 3).map(
                (v) => Math.round(v).toString(16).padStart(2, "0")).join("");
            const drawn = [0, 1, 2].map(
                (i) => text[i] * alpha + ground[i] * (1 - alpha));
            return [hex(drawn), hex(ground)];
        }""",
        selector,
    )


@pytest.mark.parametrize(
    ("url_name", "kwargs", "selector"),
    [case[1:] for case in QUIET_TEXT],
    ids=[case[0] for case in QUIET_TEXT],
)
def test_quiet_text_reads_at_aa_without_hover(pages, world, url_name, kwargs, selector):
    page = pages["alice", "en"]
    page.goto(world.path(url_name, kwargs(world) if kwargs else None))
    page.mouse.move(0, 0)
    text, ground = _as_drawn(page, selector)
    ratio = contrast(text, ground)
    assert ratio >= 4.5, f"{selector}: {text} on {ground} is {ratio:.2f}:1"


def test_every_get_page_is_visited(world):
    """Each URL that answers alice's (or a signed-out) GET with an HTML page is
    visited above or listed in NOT_VISITED."""

    def html_pages() -> set[str]:
        alice, anonymous = Client(), Client()
        alice.force_login(world.alice)
        found = set()
        for name, route in world.routes.items():
            if route.startswith("admin/"):
                continue
            # Signed out, an organisation's pages only send one to sign in.
            askers = (alice,) if route.startswith("o/<") else (alice, anonymous)
            for client in askers:
                response = client.get(world.path(name))
                content_type = response.get("Content-Type", "")
                if response.status_code == 200 and content_type.startswith("text/html"):
                    found.add(name)
                response.close()
        connection.close()
        return found

    # Away from this thread's event loop (Playwright's): the test client runs
    # the async stream views through async_to_sync, which refuses to nest.
    with ThreadPoolExecutor(1) as thread:
        pages = thread.submit(html_pages).result()
    visited = {visit.url_name for visit in VISITS}
    assert pages - visited - NOT_VISITED.keys() == set()
    assert NOT_VISITED.keys() <= pages, "NOT_VISITED names a URL that is no page"
