"""
The PDF canvas: a map printed on A4, A3 or A2 landscape, with the follow-up
actions, the personas and the cited findings as appendices.

`map_download` is the page with the options (and the data downloads);
`map_pdf` makes the file. The document is HTML (templates/maps/pdf/
canvas.html, styles in static/css/pdf.css) rendered by WeasyPrint in child
processes with a time limit (maps.files.pdf_render), which also decides what the
document may load: `data:` URLs and our own static files, nothing else. It is
cut where it breaks pages anyway (`document_parts`); the parts render side by
side and are joined with their page numbers.

Tables cannot split sideways, so a map wider than the paper is cut into groups
of stages, one group per page with the lane labels repeated, or printed on one
page as wide as it needs ("wide"); the download form says which
(`grouping_sentence`). A grid shorter than its page grows its card lanes to
the foot of the page (pdf_render.fill_css). The bytes are cached per map
revision, options, language and day, plus a fingerprint of what the map shows
from outside itself (persona texts, findings, owners' names), so a second
download of an unchanged map is immediate.
"""

import hashlib
import math
import mimetypes
from dataclasses import dataclass
from functools import cache

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.db.models import Count, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from journeymap.access import get_access
from maps.access import (
    get_map,
)
from maps.canvas.grid import canvas_context
from maps.files import pdf_render
from maps.files.names import as_attachment, download_name
from maps.models import Action, Card, Experience, Lane, LaneKind
from research.models import Area, EmpathyEntry, Finding, Persona

# Landscape paper in mm (width, height), and the page margins.
PAPER = {"a4": (297, 210), "a3": (420, 297), "a2": (594, 420)}
MARGIN = {"top": 16, "right": 11, "bottom": 15, "left": 11}
LABEL_MM = 30  # the lane label column
STAGE_MIN_MM = 56  # a stage column is never narrower than this


def auto_stages_per_page(paper: str) -> int:
    """A4 → 4, A3 → 6, A2 → 9 stages across one page."""
    content = PAPER[paper][0] - MARGIN["left"] - MARGIN["right"] - LABEL_MM
    return max(1, content // STAGE_MIN_MM)


class PdfOptionsForm(forms.Form):
    paper = forms.ChoiceField(
        label=gettext_lazy("Paper"),
        choices=[("a4", "A4"), ("a3", "A3"), ("a2", "A2")],
        initial="a3",
        widget=forms.RadioSelect,
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("Wide maps"),
        choices=[
            ("pages", gettext_lazy("Continue on the next page, lane labels repeated")),
            ("wide", gettext_lazy("One page, as wide as needed")),
        ],
        initial="pages",
        widget=forms.RadioSelect,
    )
    stages_per_page = forms.IntegerField(
        label=gettext_lazy("Stages per page"),
        required=False,
        min_value=1,
        max_value=30,
        help_text=gettext_lazy("Empty: as many as fit (A4 4, A3 6, A2 9)."),
    )
    lanes = forms.MultipleChoiceField(
        label=gettext_lazy("Lanes"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one lane.")},
    )
    actions = forms.BooleanField(
        label=gettext_lazy("Follow-up actions (a table with owner, due date, status)"),
        required=False,
        initial=True,
    )
    personas = forms.BooleanField(
        label=gettext_lazy("Personas with their empathy maps"),
        required=False,
        initial=True,
    )
    findings = forms.BooleanField(
        label=gettext_lazy("Findings cited on the map"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, lanes, **kwargs):
        super().__init__(*args, **kwargs)
        hidden = _("hidden")
        self.fields["lanes"].choices = [
            (str(lane.pk), f"{lane.title} ({hidden})" if lane.hidden else lane.title)
            for lane in lanes
        ]
        self.fields["lanes"].initial = [
            str(lane.pk) for lane in lanes if not lane.hidden
        ]

    def options(self) -> "Options":
        data = self.cleaned_data
        return Options(
            paper=data["paper"],
            layout=data["layout"],
            stages_per_page=data["stages_per_page"],
            lanes=tuple(data["lanes"]),
            actions=data["actions"],
            personas=data["personas"],
            findings=data["findings"],
        )

    @classmethod
    def for_request(cls, request: HttpRequest, lanes) -> "PdfOptionsForm":
        """Bound to the query string when it has options, else to the defaults."""
        form = cls(lanes=lanes)
        if "paper" not in request.GET:
            data = {name: field.initial for name, field in form.fields.items()} | {
                "stages_per_page": ""
            }
            data = {name: value for name, value in data.items() if value is not False}
            return cls(data, lanes=lanes)
        return cls(request.GET, lanes=lanes)


@dataclass(frozen=True)
class Options:
    paper: str = "a3"
    layout: str = "pages"
    stages_per_page: int | None = None
    lanes: tuple = ()  # lane ids (str); empty = the visible lanes
    actions: bool = True
    personas: bool = True
    findings: bool = True

    def key(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]


@dataclass
class Group:
    """The stages printed side by side on one page, with their rows' cells."""

    stages: list
    rows: list  # (lane, cells) with one cell per stage of the group
    curve: list  # curve columns of the group's stages
    offset: int  # how many stages come before this group

    @property
    def first(self) -> bool:
        return self.offset == 0

    @property
    def goals(self) -> bool:
        """Whether any stage of the group has a customer's goal or description."""
        return any(stage.customer_goal or stage.description for stage in self.stages)


@dataclass
class Page:
    width: float  # mm
    height: float
    stage_mm: float  # one stage column
    columns: int  # stage columns of the widest group
    paper_width: float  # the appendices stay on the paper chosen

    @property
    def table_mm(self) -> float:
        return LABEL_MM + self.columns * self.stage_mm


def layout(options: Options, n_stages: int) -> tuple[Page, list[slice]]:
    """Page size and the groups of stages (as slices) for these options."""
    width, height = PAPER[options.paper]
    content = width - MARGIN["left"] - MARGIN["right"] - LABEL_MM
    if options.layout == "wide":
        per_page = max(n_stages, 1)
        stage_mm = max(STAGE_MIN_MM, content / per_page)
        wide = max(
            width, MARGIN["left"] + MARGIN["right"] + LABEL_MM + per_page * stage_mm
        )
        return Page(wide, height, stage_mm, per_page, width), [slice(0, n_stages)]
    per_page = options.stages_per_page or auto_stages_per_page(options.paper)
    n_groups = max(1, math.ceil(n_stages / per_page))
    # Balanced: 7 stages at 6 per page print as 4 + 3, not 6 + 1.
    size = max(1, math.ceil(n_stages / n_groups))
    slices = [slice(i, i + size) for i in range(0, max(n_stages, 1), size)]
    return Page(width, height, content / size, size, width), slices


def group_sizes(options: Options, n_stages: int) -> list[int]:
    """How many stages each page (group) holds: [5, 4] for 9 stages at 6."""
    _page, slices = layout(options, n_stages)
    return [len(range(n_stages)[part]) for part in slices if range(n_stages)[part]]


def grouping_sentence(options: Options, n_stages: int) -> str:
    """What the options do to this map's stages, said in the download form."""
    sizes = group_sizes(options, n_stages)
    if not sizes:
        return ""
    values = {"count": n_stages}
    if options.layout == "wide":
        page, _slices = layout(options, n_stages)
        values["width"] = round(page.width)
        return (
            ngettext(
                "%(count)s stage prints on one page %(width)s mm wide.",
                "%(count)s stages print side by side on one page %(width)s mm wide.",
                n_stages,
            )
            % values
        )
    if len(sizes) == 1:
        return (
            ngettext(
                "%(count)s stage prints across the page.",
                "%(count)s stages print side by side.",
                n_stages,
            )
            % values
        )
    values["groups"] = " + ".join(str(size) for size in sizes)
    return (
        ngettext(
            "%(count)s stage prints as %(groups)s, each group starting on a new page.",
            "%(count)s stages print as %(groups)s, each group starting on a new page.",
            n_stages,
        )
        % values
    )


# ---- What the document shows ------------------------------------------------


def document_context(journey_map, options: Options, org) -> dict:
    lane_ids = None  # the visible lanes
    if options.lanes:
        chosen = set(options.lanes)
        lane_ids = {
            lane.pk for lane in journey_map.lanes.all() if str(lane.pk) in chosen
        }
    ctx = canvas_context(journey_map, lane_ids=lane_ids)
    stages, curve = ctx["stages"], ctx["curve"]
    page, slices = layout(options, len(stages))
    groups = [
        Group(
            stages=stages[part],
            rows=[(row.lane, row.cells[part]) for row in ctx["rows"]],
            curve=curve.columns[part],
            offset=part.start,
        )
        for part in slices
    ]

    # Findings cited by the cards: numbered F1, F2… in the order of the appendix,
    # and each card lists its numbers.
    links = list(
        Card.findings.through.objects.filter(card__map=journey_map).values_list(
            "card_id", "finding_id"
        )
    )
    cited = list(
        Finding.objects.filter(pk__in={f for _c, f in links})
        .select_related("study")
        .order_by("study__title", "-date", "statement")
    )
    number = {finding.pk: i for i, finding in enumerate(cited, start=1)}
    uses: dict = {}
    card_refs: dict = {}
    for card_id, finding_id in links:
        uses[finding_id] = uses.get(finding_id, 0) + 1
        card_refs.setdefault(card_id, []).append(number[finding_id])
    for finding in cited:
        finding.number = number[finding.pk]
        finding.n_cards = uses[finding.pk]
    for row in ctx["rows"]:
        for cell in row.cells:
            for item in cell:
                if isinstance(item, Card):
                    item.finding_numbers = sorted(card_refs.get(item.pk, []))
                    if row.lane.kind == LaneKind.TOUCHPOINTS:
                        item.facts = touchpoint_facts(item)

    personas = ctx["personas"]
    if options.personas and personas:
        entries = EmpathyEntry.objects.annotate(n_findings=Count("findings")).order_by(
            "position", "created"
        )
        personas = list(
            Persona.objects.filter(pk__in=[p.pk for p in personas])
            .prefetch_related(Prefetch("empathy_entries", entries))
            .order_by("name")
        )
        for persona in personas:
            by_area = {area: [] for area in Area.values}
            for entry in persona.empathy_entries.all():
                by_area[entry.area].append(entry)
            persona.areas = [(label, by_area[value]) for value, label in Area.choices]

    actions = []
    if options.actions:
        actions = list(
            Action.objects.filter(map=journey_map)
            .select_related("owner", "stage", "card")
            .order_by("stage__position", "position", "created")
        )
        # Actions without a stage last.
        actions.sort(key=lambda action: action.stage is None)

    today = timezone.localdate()
    return {
        **ctx,
        "show_head": True,
        "org": org,
        "options": options,
        "page": page,
        "margin": MARGIN,
        "label_mm": LABEL_MM,
        "groups": groups,
        "persona_pages": personas if options.personas else [],
        "action_rows": actions,
        "findings": cited if options.findings else [],
        "number_findings": options.findings and bool(cited),
        "has_touchpoints": any(
            r.lane.kind == LaneKind.TOUCHPOINTS for r in ctx["rows"]
        ),
        "has_impact": any(
            r.lane.kind in (LaneKind.PAINS, LaneKind.OPPORTUNITIES) for r in ctx["rows"]
        ),
        "experiences": dict(Experience.choices),
        "has_curve": any(r.lane.kind == LaneKind.EMOTION for r in ctx["rows"]),
        "today": today,
        "page_label": css_content(
            _("Page {page} of {pages}"), page="counter(page)", pages="counter(pages)"
        ),
        # The running header as literal strings in the margin boxes: an element
        # copied there with string-set stayed in the text layer too, so search
        # and copy found the header twice on every page.
        "header_left": _css_string(f"{org.name}  ·  {journey_map.title}"),
        "header_right": _css_string(
            _("Revision %(revision)s · %(day)s")
            % {
                "revision": journey_map.revision,
                "day": date_filter(today, "DATE_FORMAT"),
            }
        ),
    }


def touchpoint_facts(card) -> list:
    """(text, CSS class) of what a touchpoint card's foot line says, in order."""
    facts = []
    if card.experience:
        facts.append((card.get_experience_display(), f"xp-{card.experience}"))
    if card.online is not None:
        facts.append((_("Online") if card.online else _("Offline"), ""))
    if card.branded is not None:
        facts.append((_("Branded") if card.branded else _("Not branded"), ""))
    if card.department:
        facts.append((card.department, "dept"))
    return facts


def css_content(text: str, **counters) -> str:
    """'Page {page} of {pages}' → '"Page " counter(page) " of " counter(pages)'."""
    parts, rest = [], text
    while "{" in rest:
        before, _brace, after = rest.partition("{")
        name, _close, rest = after.partition("}")
        parts += [_css_string(before), counters.get(name, _css_string(name))]
    parts.append(_css_string(rest))
    return " ".join(part for part in parts if part != '""')


def _css_string(text: str) -> str:
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;-_()/" else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


# ---- Rendering and caching ---------------------------------------------------

# The fonts come with the renderer (pdf_render.fonts).
PDF_ASSETS = ["css/palette.css", "css/pdf.css"]


@cache
def _assets() -> dict:
    """Our static files the document may load: {path: (bytes, mime type)}."""
    assets = {}
    for name in PDF_ASSETS:
        found = finders.find(name)
        if found is None:  # collected only, e.g. in a slim production image
            found = str(settings.STATIC_ROOT / name)
        with open(found, "rb") as file:
            assets[name] = (file.read(), mimetypes.guess_type(name)[0] or "text/css")
    return assets


def assets() -> dict:
    if settings.DEBUG:
        _assets.cache_clear()
    return _assets()


def fingerprint(journey_map, options: Options, org) -> str:
    """What the PDF shows from outside the map, which its revision doesn't count."""
    parts = [org.name]
    parts += Persona.objects.filter(journey_maps=journey_map).values_list(
        "pk", "version"
    )
    if options.personas:
        parts.append(
            EmpathyEntry.objects.filter(persona__journey_maps=journey_map).aggregate(
                n=Count("pk"), v=Sum("version")
            )
        )
    parts += Finding.objects.filter(
        pk__in=Card.findings.through.objects.filter(card__map=journey_map).values(
            "finding_id"
        )
    ).values_list("pk", "version")
    parts += (
        Action.objects.filter(map=journey_map, owner__isnull=False)
        .values_list("owner__username", "owner__first_name", "owner__last_name")
        .distinct()
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def cache_key(journey_map, options: Options, org) -> str:
    return ":".join(
        [
            "pdf",
            str(journey_map.pk),
            str(journey_map.revision),
            get_language() or "",
            timezone.localdate().isoformat(),
            options.key(),
            fingerprint(journey_map, options, org),
        ]
    )


def document_parts(ctx: dict) -> list[dict]:
    """
    The document cut where it breaks pages anyway: page one with the first
    group of stages, each further group, each appendix. The parts render side
    by side (pdf_render.render_document), which on a server with more than one
    core makes a large map's first PDF come sooner.
    """
    nothing = {
        "groups": [],
        "action_rows": [],
        "persona_pages": [],
        "findings": [],
        "show_head": False,
    }
    parts = [{**nothing, "groups": ctx["groups"][:1], "show_head": True}]
    parts += [{**nothing, "groups": [group]} for group in ctx["groups"][1:]]
    for name in ("action_rows", "persona_pages", "findings"):
        if ctx[name]:
            parts.append({**nothing, name: ctx[name]})
    return parts


# The look of the page number, as static/css/pdf.css gives @bottom-right.
NUMBER_STYLE = (
    'font: 7pt "Source Sans 3", "DejaVu Sans", sans-serif; color: #6b7189; '
    "vertical-align: top; padding-top: 3mm;"
)


def footer_css(page_label: str) -> str:
    """The running page number alone, for pdf_render.join to lay over the parts."""
    margin = " ".join(
        f"{MARGIN[side]}mm" for side in ("top", "right", "bottom", "left")
    )
    number = f"@bottom-right {{ content: {page_label}; {NUMBER_STYLE} }}"
    return f"@page {{ margin: {margin}; {number} }}"


def make_pdf(journey_map, options: Options, org) -> bytes:
    """The PDF bytes, from the cache when nothing they show has changed."""
    store = caches["pdf"]
    key = cache_key(journey_map, options, org)
    pdf = store.get(key)
    if pdf is None:
        ctx = document_context(journey_map, options, org)
        parts = document_parts(ctx)
        template = "maps/pdf/canvas.html"
        if len(parts) == 1:
            htmls = [render_to_string(template, {**ctx, **parts[0]})]
        else:  # numbered when joined; written as the renderers ask for them
            htmls = (
                render_to_string(template, {**ctx, **part, "page_label": "none"})
                for part in parts
            )
        pdf = pdf_render.render_document(
            htmls,
            footer_css(ctx["page_label"]),
            assets(),
            time_limit=settings.PDF_TIME_LIMIT,
            workers=settings.PDF_WORKERS,
        ).pdf
        store.set(key, pdf)
    return pdf


# ---- Views -------------------------------------------------------------------


def _lanes(journey_map) -> list:
    return list(Lane.objects.filter(map=journey_map))


def _grouping(form: PdfOptionsForm, journey_map) -> str:
    """The sentence for the options the form holds, when those three are valid."""
    data = getattr(form, "cleaned_data", {})
    if not {"paper", "layout", "stages_per_page"} <= data.keys():
        return ""
    options = Options(
        paper=data["paper"],
        layout=data["layout"],
        stages_per_page=data["stages_per_page"],
    )
    return grouping_sentence(options, journey_map.stages.count())


@require_safe
def map_download(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    form = PdfOptionsForm.for_request(request, _lanes(journey_map))
    form.is_valid()
    template = "maps/download.html"
    if request.htmx:  # the sentence under the options, as they change
        template += "#stage-groups"
    return render(
        request,
        template,
        {
            "org": access.organisation,
            "access": access,
            "can_edit": access.can_edit,
            "map": journey_map,
            "form": form,
            "grouping": _grouping(form, journey_map),
        },
    )


@require_safe
def map_pdf(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    org = access.organisation
    form = PdfOptionsForm.for_request(request, _lanes(journey_map))
    ctx = {
        "org": org,
        "access": access,
        "can_edit": access.can_edit,
        "map": journey_map,
        "form": form,
    }
    if not form.is_valid():
        ctx["grouping"] = _grouping(form, journey_map)
        return render(request, "maps/download.html", ctx, status=422)
    try:
        pdf = make_pdf(journey_map, form.options(), org)
    except pdf_render.RenderFailed as failure:
        if failure.timed_out:
            error = _(
                "Making the PDF took too long. Try fewer lanes, leave out the "
                "appendices, or choose more stages per page."
            )
        else:
            error = _(
                "The PDF could not be made. Please try again; if it keeps "
                "failing, tell your administrator."
            )
        if request.headers.get("X-Download") == "fetch":
            return HttpResponse(error, status=503, content_type="text/plain")
        ctx.update(error=error, grouping=_grouping(form, journey_map))
        return render(request, "maps/download.html", ctx, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    return as_attachment(
        response, download_name(journey_map.title, "pdf", timezone.localdate())
    )


urlpatterns = [
    path("<uuid:map_id>/download/", map_download, name="map_download"),
    path("<uuid:map_id>/canvas.pdf", map_pdf, name="map_pdf"),
]
