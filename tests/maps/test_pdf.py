"""
The PDF canvas (maps.files.pdf, maps.files.pdf_render): what it contains, how the
options shape it, what it may load, the time limit, the cache and who may download it.
Text, pages and metadata are read back with pypdf, a dependency already, so the tests
need nothing the README's prerequisites do not list.
"""

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from maps.demo import seed_maps
from maps.files import pdf as pdf_module
from maps.files import pdf_render
from maps.models import Action, Card, JourneyMap, LaneKind, map_create_from_template
from research.demo import seed_research


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["pdf"].clear()


@pytest.fixture(autouse=True)
def _language_back():
    # A request in Dutch leaves Dutch active in this thread after it; the next
    # test file calls code outside requests and expects the default language.
    yield
    translation.deactivate()


@pytest.fixture
def demo(org, alice):
    seed_research(org)
    seed_maps(org, alice)
    return org


@pytest.fixture
def podiatrist(demo):
    return JourneyMap.objects.get(title="Bezoek aan de podotherapeut")


@pytest.fixture
def b2b(demo):
    return JourneyMap.objects.get(title__startswith="Inkoop kantoormeubilair")


def _url(journey_map, **params):
    url = reverse("map_pdf", args=[journey_map.organisation.slug, journey_map.pk])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params, doseq=True)
    return url


def _options(journey_map, **overrides):
    """The query string of the options form, with the defaults filled in."""
    params = {
        "paper": "a3",
        "layout": "pages",
        "stages_per_page": "",
        "lanes": [str(lane.pk) for lane in journey_map.lanes.filter(hidden=False)],
        "actions": "on",
        "personas": "on",
        "findings": "on",
    }
    for name, value in overrides.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return params


def _page_texts(pdf: bytes) -> list[str]:
    """Each page's text in drawing order, a line break wherever a line ends."""
    return [_page_text(page) for page in PdfReader(io.BytesIO(pdf)).pages]


def _page_text(page) -> str:
    # pypdf takes lines of neighbouring cells that overlap in height for one line
    # and runs them together ("…op één A4Impact: High"); pdftotext -raw, which
    # these tests were written against, starts a new line where the baseline moves.
    parts, baseline = [], None

    def visit(text, cm, tm, font, size):
        nonlocal baseline
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the baseline on the page
            if baseline is not None and abs(y - baseline) > 1:
                parts.append("\n")
            baseline = y
        parts.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(parts)


def pdf_text(pdf: bytes) -> str:
    """The whole document's text, page by page, whitespace squashed."""
    return _squash(" ".join(_page_texts(pdf)))


def _squash(text: str) -> str:
    # pypdf breaks lines and spaces runs of text its own way; what a test asserts
    # is the words and their order, not the layout of the whitespace.
    return re.sub(r"\s+", " ", text).strip()


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_size(pdf: bytes, number: int = 0) -> tuple[float, float]:
    """(width, height) of a page's media box in points, as pdfinfo reports it."""
    box = PdfReader(io.BytesIO(pdf)).pages[number].mediabox
    return float(box.width), float(box.height)


def _pdf(client, journey_map, **params):
    response = client.get(_url(journey_map, **params))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content


# ---- What it shows --------------------------------------------------------


@pytest.mark.parametrize("which", ["podiatrist", "b2b"])
def test_every_stage_card_and_action_of_a_demo_map_is_in_the_pdf(
    alice_client, which, request
):
    journey_map = request.getfixturevalue(which)
    text = pdf_text(_pdf(alice_client, journey_map))
    expected = [stage.title for stage in journey_map.stages.all()]
    expected += [card.text for card in journey_map.cards.all()]
    expected += [action.title for action in journey_map.actions.all()]
    expected += [e.note for e in journey_map.emotions.exclude(note="")]
    assert expected
    missing = [item for item in expected if _squash(item) not in text]
    assert missing == []
    assert journey_map.title in text
    assert "Demo" in text  # the organisation, in the running header


def test_the_header_and_appendices_follow_the_language(alice_client, b2b):
    text = pdf_text(_pdf(alice_client, b2b))
    pages = _pages(_pdf(alice_client, b2b))
    # Numbered across the parts rendered apart (maps.files.pdf.document_parts).
    numbers = re.findall(r"Page (\d+) of (\d+)", text)
    assert numbers == [(str(n), str(pages)) for n in range(1, pages + 1)]
    assert f"Revision {b2b.revision}" in text
    assert "Follow-up actions" in text
    assert "empathy map" in text.lower()  # a heading set in capitals
    assert "Findings cited on this map" in text
    for persona in b2b.personas.all():
        assert persona.name in text

    alice_client.cookies["django_language"] = "nl"
    caches["pdf"].clear()
    dutch = pdf_text(_pdf(alice_client, b2b))
    assert f"Pagina 1 van {pages}" in dutch
    assert "Vervolgacties" in dutch
    assert "Page 1 of" not in dutch


def test_the_actions_appendix_lists_owner_due_date_and_status(alice_client, podiatrist):
    text = pdf_text(_pdf(alice_client, podiatrist))
    appendix = text[text.lower().index("follow-up actions action stage owner") :]
    for action in Action.objects.filter(map=podiatrist).select_related("owner"):
        assert action.title in appendix
        assert action.get_status_display() in appendix
        if action.owner:
            owner = action.owner.get_full_name() or action.owner.get_username()
            assert owner in appendix
        if action.due:
            assert formats.date_format(action.due, "DATE_FORMAT") in appendix


def test_cited_findings_are_numbered_on_the_cards_and_listed(alice_client, b2b):
    text = pdf_text(_pdf(alice_client, b2b))
    cited = Card.findings.through.objects.filter(card__map=b2b)
    statements = {row.finding.statement for row in cited.select_related("finding")}
    assert statements
    appendix = text[text.index("Findings cited on this map") :]
    for statement in statements:
        assert _squash(statement) in appendix
    assert "✓ F1" in text


# ---- Options ----------------------------------------------------------------


def test_parts_rendered_side_by_side_make_the_same_document(
    alice_client, b2b, settings
):
    settings.PDF_WORKERS = 1
    one = _pdf(alice_client, b2b)
    caches["pdf"].clear()
    settings.PDF_WORKERS = 3
    three = _pdf(alice_client, b2b)
    assert pdf_text(one) == pdf_text(three)
    assert _pages(one) == _pages(three) == 5
    metadata = PdfReader(io.BytesIO(three)).metadata
    assert metadata.title == b2b.title
    assert metadata.author == "Demo"


def test_paper_sizes_are_landscape(alice_client, podiatrist):
    sizes = {}
    for paper in ("a4", "a3", "a2"):
        pdf = _pdf(alice_client, podiatrist, **_options(podiatrist, paper=paper))
        sizes[paper] = page_size(pdf)
    assert sizes["a4"] == pytest.approx((841.89, 595.276), abs=0.01)
    assert sizes["a3"] == pytest.approx((1190.55, 841.89), abs=0.01)
    assert sizes["a2"] == pytest.approx((1683.78, 1190.55), abs=0.01)


def test_page_count_follows_the_options(alice_client, b2b):
    n_stages = b2b.stages.count()
    assert n_stages == 7

    def pages(**overrides):
        return _pages(_pdf(alice_client, b2b, **_options(b2b, **overrides)))

    bare = {"actions": None, "personas": None, "findings": None}
    # The grid alone: one page per group of stages.
    assert pages(stages_per_page="7", **bare) == 1
    assert pages(stages_per_page="4", **bare) == 2
    assert pages(stages_per_page="2", **bare) == 4
    assert pages(layout="wide", **bare) == 1
    # Each appendix adds pages.
    with_actions = pages(stages_per_page="7", personas=None, findings=None)
    assert with_actions > 1
    everything = pages(stages_per_page="7")
    assert everything >= with_actions + 2  # three personas and the findings


def test_one_wide_page_is_as_wide_as_the_map_needs(alice_client, b2b):
    options = _options(b2b, paper="a4", layout="wide", actions=None)
    options.update(personas=None, findings=None)
    width, height = page_size(_pdf(alice_client, b2b, **options))
    assert height == pytest.approx(595.28, abs=0.5)  # A4's height
    # 7 stages of at least 56 mm, the lane labels and the margins: > 420 mm.
    assert width / 72 * 25.4 > 7 * 56 + 30


def test_left_out_lanes_and_appendices_are_not_printed(alice_client, podiatrist):
    pains = podiatrist.lanes.get(kind=LaneKind.PAINS)
    pain_texts = list(
        podiatrist.cards.filter(lane=pains).values_list("text", flat=True)
    )
    assert pain_texts
    lanes = [str(lane.pk) for lane in podiatrist.lanes.exclude(pk=pains.pk)]
    options = _options(podiatrist, lanes=lanes, actions=None, findings=None)
    text = pdf_text(_pdf(alice_client, podiatrist, **options))
    assert not any(_squash(t) in text for t in pain_texts)
    assert "Findings cited on this map" not in text
    assert "action stage owner" not in text.lower()


def test_a_hidden_lane_can_be_printed_when_chosen(alice_client, podiatrist):
    lane = podiatrist.lanes.get(kind=LaneKind.PAINS)
    lane.hidden = True
    lane.save()
    card_text = podiatrist.cards.filter(lane=lane).first().text
    options = _options(podiatrist, actions=None)  # an action may quote the card
    assert _squash(card_text) not in pdf_text(_pdf(alice_client, podiatrist, **options))
    options["lanes"] = [*options["lanes"], str(lane.pk)]
    caches["pdf"].clear()
    assert _squash(card_text) in pdf_text(_pdf(alice_client, podiatrist, **options))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"paper": "a5"}, "Select a valid choice"),
        ({"lanes": None}, "Choose at least one lane."),
        ({"stages_per_page": "0"}, "greater than or equal to 1"),
        ({"layout": "sideways"}, "Select a valid choice"),
    ],
)
def test_bad_options_get_a_message(alice_client, podiatrist, overrides, message):
    response = alice_client.get(_url(podiatrist, **_options(podiatrist, **overrides)))
    assert response.status_code == 422
    assert message in response.content.decode()


def test_a_lane_of_another_map_is_not_an_option(alice_client, podiatrist, b2b):
    other_lane = b2b.lanes.first()
    options = _options(podiatrist, lanes=[str(other_lane.pk)])
    assert alice_client.get(_url(podiatrist, **options)).status_code == 422


# ---- File, access, cache -----------------------------------------------------


def test_file_name_is_the_title_and_the_date(alice_client, b2b):
    response = alice_client.get(_url(b2b))
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="inkoop-kantoormeubilair-huidige-situatie-{day}.pdf"'
    )


def test_viewers_may_download_outsiders_may_not(
    bob_client, carol_client, client, podiatrist
):
    assert bob_client.get(_url(podiatrist)).status_code == 200
    assert carol_client.get(_url(podiatrist)).status_code == 404
    download = reverse(
        "map_download", args=[podiatrist.organisation.slug, podiatrist.pk]
    )
    assert carol_client.get(download).status_code == 404
    response = client.get(_url(podiatrist))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_second_download_comes_from_the_cache(alice_client, podiatrist, monkeypatch):
    calls = []
    real = pdf_render.render_document

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf_render, "render_document", counting)
    first = _pdf(alice_client, podiatrist)
    second = _pdf(alice_client, podiatrist)
    assert first == second
    assert len(calls) == 1
    # Other options are another file.
    _pdf(alice_client, podiatrist, **_options(podiatrist, paper="a4"))
    assert len(calls) == 2


def test_a_change_to_the_map_or_a_persona_makes_a_new_pdf(alice_client, b2b):
    first = _pdf(alice_client, b2b)
    card = b2b.cards.first()
    Card.objects.filter(pk=card.pk).update(text="Nieuwe tekst voor de kaart")
    b2b.revision += 1  # what every edit does, through maps.models.record
    type(b2b).objects.filter(pk=b2b.pk).update(revision=b2b.revision)
    second = _pdf(alice_client, b2b)
    assert "Nieuwe tekst voor de kaart" in pdf_text(second)
    persona = b2b.personas.first()
    type(persona).objects.filter(pk=persona.pk).update(
        name="Directeur Diederik", version=persona.version + 1
    )
    third = _pdf(alice_client, b2b)
    assert "Directeur Diederik" in pdf_text(third)
    assert first != second != third


def test_query_count_does_not_grow_with_cards(
    alice_client, org, alice, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(
        pdf_render,
        "render_document",
        lambda htmls, *args, **kwargs: pdf_render.Rendered(b"%PDF-fake"),
    )
    journey_map = map_create_from_template(org, alice, "Big", "seven_phases")
    lanes = list(
        journey_map.lanes.exclude(kind__in=[LaneKind.EMOTION, LaneKind.ACTIONS])
    )

    def add(n):
        for stage in journey_map.stages.all():
            for lane in lanes:
                Card.objects.bulk_create(
                    Card(map=journey_map, stage=stage, lane=lane, text=f"card {i}")
                    for i in range(n)
                )

    add(1)
    _pdf(alice_client, journey_map)  # the first request also saves the session
    caches["pdf"].clear()
    with django_assert_max_num_queries(30) as small:
        _pdf(alice_client, journey_map)
    caches["pdf"].clear()
    add(5)
    with django_assert_max_num_queries(30) as big:
        _pdf(alice_client, journey_map)
    assert [q["sql"][:60] for q in big.captured_queries] == [
        q["sql"][:60] for q in small.captured_queries
    ]


# ---- Safety: what the document may load, the time limit ---------------------


SVG_DATA = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' "
    "width='4' height='4'/%3E"
)


class _Recorder(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    _Recorder.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()


def test_urls_in_card_text_are_printed_not_fetched(alice_client, podiatrist, listener):
    base, hits = listener
    lane = podiatrist.lanes.get(kind=LaneKind.PAINS)
    stage = podiatrist.stages.first()
    nasty = (
        f'<img src="{base}/tracker.png"> <link rel="stylesheet" href="{base}/x.css">'
        ' <img src="file:///etc/passwd"> <iframe src="file:///etc/passwd"></iframe>'
    )
    Card.objects.create(map=podiatrist, stage=stage, lane=lane, text=nasty)
    text = pdf_text(_pdf(alice_client, podiatrist))
    assert hits == []
    assert f'<img src="{base}/tracker.png">' in text  # shown as text
    assert "root:" not in text


def test_the_renderer_fetches_nothing_but_data_and_our_static_files(listener):
    base, hits = listener
    assets = pdf_module.assets()
    html = f"""<html><head><link rel="stylesheet" href="css/pdf.css">
        <link rel="stylesheet" href="{base}/evil.css"></head><body>
        <img src="{base}/a.png"><img src="https://example.org/b.png">
        <img src="file:///etc/passwd"><object data="file:///etc/hostname"></object>
        <img src="{pdf_render.STATIC_ORIGIN}../../../../etc/passwd">
        <img src="{SVG_DATA}">
        <p>Hello</p></body></html>"""
    rendered = pdf_render.render_in_child(html, assets, time_limit=60)
    assert hits == []
    assert rendered.pdf.startswith(b"%PDF")
    refused = " ".join(rendered.refused)
    assert f"{base}/a.png" in refused
    assert f"{base}/evil.css" in refused
    assert "https://example.org/b.png" in refused
    assert "file:///etc/passwd" in refused
    assert "etc/passwd" in refused.replace("file:///etc/passwd", "")
    assert "data:" not in refused
    assert "css/pdf.css" not in refused
    assert "Hello" in pdf_text(rendered.pdf)  # the text is there to read…
    assert "root:" not in pdf_text(rendered.pdf)  # …and no file's content


def test_a_render_over_the_time_limit_gets_a_clear_message(
    alice_client, podiatrist, settings
):
    settings.PDF_TIME_LIMIT = 0.01
    response = alice_client.get(_url(podiatrist))
    assert response.status_code == 503
    assert "took too long" in response.content.decode()
    response = alice_client.get(_url(podiatrist), headers={"X-Download": "fetch"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("Making the PDF took too long")


def test_a_failing_render_gets_a_clear_message(alice_client, podiatrist, monkeypatch):
    def fail(*args, **kwargs):
        raise pdf_render.RenderFailed("boom")

    monkeypatch.setattr(pdf_render, "render_document", fail)
    response = alice_client.get(_url(podiatrist))
    assert response.status_code == 503
    assert "could not be made" in response.content.decode()


def test_the_download_page_offers_the_options_and_the_data(bob_client, podiatrist):
    url = reverse("map_download", args=[podiatrist.organisation.slug, podiatrist.pk])
    page = bob_client.get(url).content.decode()
    assert 'value="a3" checked' in page or 'value="a3"\n' in page or "checked" in page
    for lane in podiatrist.lanes.all():
        assert lane.title in page
    assert (
        reverse("map_pdf", args=[podiatrist.organisation.slug, podiatrist.pk]) in page
    )


def test_touchpoints_show_channel_and_facts_pains_their_impact(alice_client, b2b):
    text = pdf_text(_pdf(alice_client, b2b))
    touchpoints = b2b.cards.filter(lane__kind=LaneKind.TOUCHPOINTS).exclude(channel="")
    assert touchpoints
    for card in touchpoints:
        assert f"{card.channel_label} {_squash(card.text)}" in text
    assert "Offline · Branded" in text or "Online · Not branded" in text
    assert "· ·" not in text  # no empty fact between separators
    for card in b2b.cards.filter(lane__kind=LaneKind.PAINS).exclude(impact=""):
        assert f"{_squash(card.text)} Impact: {card.get_impact_display()}" in text


def test_a_long_word_wraps_inside_its_card(alice_client, podiatrist):
    lane = podiatrist.lanes.get(kind=LaneKind.PAINS)
    Card.objects.create(
        map=podiatrist, stage=podiatrist.stages.first(), lane=lane, text="X" * 300
    )
    pdf = _pdf(alice_client, podiatrist, **_options(podiatrist, paper="a4"))
    raw = "\n".join(_page_texts(pdf))  # line breaks kept: they are the point
    runs = [len(run) for run in re.findall(r"X+", raw)]
    assert sum(runs) == 300  # all of it printed…
    assert len(runs) > 3  # …over several lines of the card


def test_the_running_header_is_in_the_text_once_per_page(alice_client, b2b):
    # A copy of the header kept for the margin boxes once stayed in the text
    # layer, so search and copy found the header twice on every page.
    pages = _page_texts(_pdf(alice_client, b2b))
    assert len(pages) > 1
    header = f"Demo · {b2b.title}"
    revision = f"Revision {b2b.revision} · "
    for text in pages:
        text = _squash(text)
        assert text.count(header) == 1
        assert text.count(revision) == 1
    assert _squash(pages[0]).count(b2b.title) == 2  # the header and the heading
    assert all(_squash(text).count(b2b.title) == 1 for text in pages[1:])


def test_quotes_and_markup_in_the_title_print_as_text_in_the_header(
    alice_client, podiatrist
):
    title = 'Zorg "nu" \\ }</style><p>x</p> ;'
    JourneyMap.objects.filter(pk=podiatrist.pk).update(title=title)
    podiatrist.refresh_from_db()
    pages = _page_texts(_pdf(alice_client, podiatrist))
    assert all(f"Demo · {title}" in _squash(text) for text in pages)


# ---- Page one is used to its foot --------------------------------------------


def _heights(pdf: bytes, needle: str, number: int = 0) -> list[float]:
    """Where a text run containing `needle` stands on a page: its baseline as a
    share of the page height, 0 at the foot, 1 at the top."""
    page = PdfReader(io.BytesIO(pdf)).pages[number]
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        if needle in text:
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5]) / height)

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("paper", ["a3", "a2"])
def test_a_short_grid_grows_to_the_foot_of_page_one(alice_client, podiatrist, paper):
    # The demo map's grid is half as tall as A2, two thirds of A3: its card
    # lanes grow instead (type and columns stay as they are), so the last lane
    # starts in the bottom third, not the middle of the page.
    options = _options(podiatrist, paper=paper, actions=None)
    pdf = _pdf(alice_client, podiatrist, **options)
    last_lane = podiatrist.lanes.filter(hidden=False).order_by("position").last()
    assert last_lane.kind == LaneKind.ACTIONS
    (label,) = _heights(pdf, last_lane.title)
    assert label < 0.3
    first_stage = podiatrist.stages.order_by("position").first()
    (stage_head,) = _heights(pdf, first_stage.title)
    assert stage_head > 0.75  # the grid still starts under the title block


def test_a_grid_grows_only_its_marked_rows_and_only_within_its_page():
    assets = pdf_module.assets()
    rows = '<tr class="grows"><td>grows</td></tr><tr><td>stays</td></tr>'
    html = (
        "<html><head><style>@page { size: 100mm 100mm; margin: 10mm }"
        "td { height: 10mm; vertical-align: top }</style></head><body>"
        f'<table class="fill" id="short"><tbody>{rows}</tbody></table></body></html>'
    )
    from weasyprint import HTML

    document = HTML(string=html).render()
    css = pdf_render.fill_css(document)
    assert css.startswith("#short > tbody:nth-of-type(1) > tr:nth-child(1) {")
    assert "nth-child(2)" not in css
    pdf = pdf_render.render(html, assets).pdf
    (grows,) = _heights(pdf, "grows")
    (stays,) = _heights(pdf, "stays")
    # 80 mm of page for two rows of 10 mm: the first takes the 60 mm left over.
    assert grows > 0.75
    assert stays < 0.2
    # A table taller than its page is left as it is.
    long = html.replace(rows, rows * 10)
    assert pdf_render.fill_css(HTML(string=long).render()) == ""


# ---- The download form says how the stages are grouped -----------------------


@pytest.mark.parametrize(
    ("options", "n_stages", "sizes"),
    [
        ({}, 9, [5, 4]),  # A3: at most 6 a page, balanced
        ({}, 7, [4, 3]),
        ({}, 6, [6]),
        ({"paper": "a4"}, 9, [3, 3, 3]),
        ({"paper": "a2"}, 9, [9]),
        ({"paper": "a2"}, 10, [5, 5]),
        ({"stages_per_page": 2}, 5, [2, 2, 1]),
        ({"layout": "wide"}, 12, [12]),
        ({}, 0, []),
    ],
)
def test_group_sizes(options, n_stages, sizes):
    assert pdf_module.group_sizes(pdf_module.Options(**options), n_stages) == sizes


@pytest.mark.parametrize(
    ("options", "n_stages", "sentence"),
    [
        ({}, 9, "9 stages print as 5 + 4, each group starting on a new page."),
        ({"paper": "a4"}, 9, "9 stages print as 3 + 3 + 3, each group starting"),
        ({"paper": "a2"}, 9, "9 stages print side by side."),
        ({"stages_per_page": 1}, 2, "2 stages print as 1 + 1, each group"),
        ({}, 1, "1 stage prints across the page."),
        ({"layout": "wide", "paper": "a4"}, 7, "7 stages print side by side on one"),
        ({"layout": "wide", "paper": "a4"}, 7, "page 444 mm wide."),
        ({"layout": "wide"}, 1, "1 stage prints on one page 420 mm wide."),
    ],
)
def test_the_grouping_sentence(options, n_stages, sentence):
    said = pdf_module.grouping_sentence(pdf_module.Options(**options), n_stages)
    assert sentence in said
    assert pdf_module.grouping_sentence(pdf_module.Options(**options), 0) == ""


def test_the_sentence_counts_the_groups_the_pdf_prints(org, b2b):
    options = pdf_module.Options(paper="a4")
    ctx = pdf_module.document_context(b2b, options, org)
    printed = [len(group.stages) for group in ctx["groups"]]
    assert printed == pdf_module.group_sizes(options, b2b.stages.count()) == [4, 3]


def test_the_download_page_says_how_the_stages_print(alice_client, b2b):
    url = reverse("map_download", args=[b2b.organisation.slug, b2b.pk])
    page = alice_client.get(url).content.decode()
    assert "7 stages print as 4 + 3, each group starting on a new page." in page
    # As the options change, htmx asks for the sentence alone.
    options = _options(b2b, paper="a2")
    fragment = alice_client.get(url, options, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert text.startswith('<p class="muted" id="stage-groups"')
    assert "7 stages print side by side." in text
    assert "<form" not in text
    bad = alice_client.get(url, _options(b2b, stages_per_page="0"))
    assert 'id="stage-groups"' in bad.content.decode()
    assert "stages print" not in bad.content.decode()


def test_the_download_page_says_it_in_dutch(alice_client, b2b):
    # Dutch for the sentence itself waits for the translations (/tmp/nl/pdf.json);
    # the page around it, and the numbers, are Dutch already.
    alice_client.cookies["django_language"] = "nl"
    url = reverse("map_download", args=[b2b.organisation.slug, b2b.pk])
    page = alice_client.get(url).content.decode()
    assert "Fasen per pagina" in page
    assert "4 + 3" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_sentence_follows_the_options_in_the_browser(new_context, alice, org):
    seed_research(org)
    seed_maps(org, alice)
    office = JourneyMap.objects.get(title__startswith="Inkoop kantoormeubilair")
    from playwright.sync_api import expect

    page = new_context(alice).new_page()
    page.goto(office.get_absolute_url() + "download/")
    sentence = page.locator("#stage-groups")
    expect(sentence).to_have_text(
        "7 stages print as 4 + 3, each group starting on a new page."
    )
    page.get_by_label("A2").check()
    expect(sentence).to_have_text("7 stages print side by side.")
    page.get_by_label("Stages per page").fill("2")
    expect(sentence).to_contain_text("7 stages print as 2 + 2 + 2 + 1")
    page.get_by_label("One page, as wide as needed").check()
    expect(sentence).to_contain_text("on one page 594 mm wide.")
    page.screenshot(path="/tmp/pdf-out/download-form.png", full_page=True)
