"""
The canvas's frame: stages (columns) and lanes (rows), and the map's own
settings. Add, insert, rename, describe, reorder (drag and keyboard), hide and
delete; every write is version-checked and recorded (maps.models.record).

Changes that move columns or rows answer with the whole grid (#canvas); edits
inside one header answer with that header's body (#stage-body-<id>,
#lane-body-<id>). A stage or lane deleted in another tab answers 409 with the
grid as it is now and a notice (#canvas-notice, out of band).

The forms live here rather than in maps/forms.py: they are only used here.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.http import reswap, retarget, trigger_client_event

from journeymap.access import Can, get_access
from journeymap.editing import (
    Delete,
    Edit,
    VersionForm,
    confirmed_delete,
    reorder,
    versioned_edit,
    versioned_update,
)
from maps.access import (
    get_lane,
    get_map,
    get_stage,
)
from maps.activity import change
from maps.canvas.grid import canvas_context
from maps.forms import LONG_TEXT
from maps.models import (
    Card,
    Emotion,
    JourneyMap,
    Lane,
    LaneKind,
    Stage,
    record,
)
from maps.undo import snapshot_of
from research.evidence import EVIDENCE_CHANGED

# ---- Forms -------------------------------------------------------------------


class StageForm(VersionForm):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=Stage._meta.get_field("title").max_length,
        error_messages={"required": gettext_lazy("Give the stage a title.")},
    )
    customer_goal = forms.CharField(
        label=gettext_lazy("Customer's goal"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StageAddForm(forms.Form):
    title = forms.CharField(
        required=False, max_length=Stage._meta.get_field("title").max_length
    )
    before = forms.UUIDField(required=False)
    after = forms.UUIDField(required=False)


class LaneForm(VersionForm):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=Lane._meta.get_field("title").max_length,
        error_messages={"required": gettext_lazy("Give the lane a title.")},
    )


class LaneAddForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=LaneKind.choices, initial=LaneKind.TEXT
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=Lane._meta.get_field("title").max_length,
        help_text=gettext_lazy("E.g. “Thoughts” or “Backstage”."),
    )

    def clean(self):
        data = super().clean()
        kind, title = data.get("kind"), data.get("title", "")
        if kind and not title:
            if kind == LaneKind.TEXT:
                self.add_error("title", _("Give a text lane a title."))
            else:
                data["title"] = str(LaneKind(kind).label)
        return data


class DirectionForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[(d, d) for d in ("left", "right", "up", "down")]
    )

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] in ("left", "up") else 1


class OrderForm(forms.Form):
    order = forms.CharField(max_length=20000)

    def clean_order(self) -> list[str]:
        return [pk for pk in self.cleaned_data["order"].split(",") if pk]


# ---- Helpers -----------------------------------------------------------------


def _ctx(access, journey_map, **extra) -> dict:
    return {
        "access": access,
        "org": access.organisation,
        "can_edit": access.can_edit,
        "map": journey_map,
        **extra,
    }


def _grid(
    request,
    access,
    journey_map,
    *,
    status: int = 200,
    notice: str = "",
    editing_stage=None,
    lane_form=None,
    evidence: bool = False,
) -> HttpResponse:
    """The whole grid (#canvas), plus the notice line out of band."""
    ctx = {
        **_ctx(access, journey_map),
        **canvas_context(journey_map),
        "editing_stage": editing_stage,
        "lane_add_form": lane_form or LaneAddForm(),
        "lane_add_open": lane_form is not None,
        "notice": notice,
    }
    response = render(request, "maps/structure/grid_response.html", ctx, status=status)
    if request.htmx and request.htmx.target != "canvas":
        reswap(retarget(response, "#canvas"), "outerHTML")
    if evidence:
        trigger_client_event(response, EVIDENCE_CHANGED)
    return response


def _back(request, journey_map, notice: str = "") -> HttpResponse:
    """Without htmx: back to the canvas, with the notice as a message."""
    if notice:
        messages.warning(request, notice)
    return redirect(journey_map)


def _gone(request, access, journey_map, notice: str) -> HttpResponse:
    """The row was deleted meanwhile: say so and show the grid as it is now."""
    if not request.htmx:
        return _back(request, journey_map, notice)
    return _grid(request, access, journey_map, status=409, notice=notice)


def _lock(journey_map) -> None:
    """Serialise position changes on one map (a no-op on SQLite, which locks anyway)."""
    JourneyMap.objects.select_for_update().filter(pk=journey_map.pk).first()


def _titles(rows) -> list[str]:
    return [row.title for row in rows]


def _moved(ids: list, pk, offset: int) -> list:
    """`ids` with `pk` moved `offset` places, as far as the ends allow."""
    ids = list(ids)
    old = ids.index(pk)
    ids.insert(max(0, min(len(ids) - 1, old + offset)), ids.pop(old))
    return ids


def _put_in_order(journey_map, access, kind: str, rows: list, ids: list) -> bool:
    """
    Renumber the map's stages or lanes (`rows`, as they were) in the order of
    `ids`, and log the new order if it is one. False: `ids` are not the rows.
    """
    if not reorder(getattr(journey_map, f"{kind}s").all(), ids):
        return False
    by_id = {str(row.pk): row for row in rows}
    before, after = _titles(rows), _titles(by_id[str(pk)] for pk in ids)
    if after != before:
        order = change("order", before, after)
        record(
            journey_map,
            access,
            "reorder",
            kind=kind,
            changes=[order],
            fragments=["grid"],
            # The ids in both orders, so Undo can put the old one back.
            snapshot={
                "before": [str(row.pk) for row in rows],
                "after": [str(pk) for pk in ids],
            },
        )
    return True


def _reordered(request, access, journey_map, ok: bool) -> HttpResponse:
    """After a drag: the grid, or the grid as it is now and why (409)."""
    if not request.htmx:
        return _back(request, journey_map, "" if ok else str(STALE_ORDER))
    if not ok:
        return _grid(request, access, journey_map, status=409, notice=STALE_ORDER)
    return _grid(request, access, journey_map)


STAGE_GONE = gettext_lazy(
    "That stage was deleted by someone else meanwhile. This is the map as it is now."
)
LANE_GONE = gettext_lazy(
    "That lane was deleted by someone else meanwhile. This is the map as it is now."
)
STALE_ORDER = gettext_lazy(
    "The map changed meanwhile, so the new order was not saved. "
    "This is the map as it is now; try again."
)


# ---- Stages ------------------------------------------------------------------


# ---- Stage and lane headers: shown and edited alike ---------------------------


@dataclass(frozen=True)
class Header:
    form: type[forms.Form]
    fields: tuple[str, ...]
    gone: str
    template: str  # the header's fragments: #body, #form and #confirm
    page: str  # the form as a page, without JS
    question: str  # "Delete stage %(title)s?"
    deleted: str  # "Stage %(title)s deleted."
    consequences: object  # row -> the lines saying what goes with it


HEADERS = {
    "stage": Header(
        StageForm,
        ("title", "customer_goal", "description"),
        STAGE_GONE,
        "maps/structure/stage.html",
        "maps/structure/stage_page.html",
        gettext_lazy("Delete stage %(title)s?"),
        gettext_lazy("Stage %(title)s deleted."),
        lambda stage: _stage_consequences(stage),
    ),
    "lane": Header(
        LaneForm,
        ("title",),
        LANE_GONE,
        "maps/structure/lane.html",
        "maps/structure/lane_page.html",
        gettext_lazy("Delete lane %(title)s?"),
        gettext_lazy("Lane %(title)s deleted."),
        lambda lane: _lane_consequences(lane),
    ),
}


def _header(request, access, journey_map, kind: str, row) -> HttpResponse:
    """A stage's or lane's header body (htmx), else back to the map."""
    if row is None:
        return _gone(request, access, journey_map, HEADERS[kind].gone)
    if not request.htmx:
        return redirect(journey_map)
    ctx = _ctx(access, journey_map, **{kind: row})
    return render(request, f"{HEADERS[kind].template}#body", ctx)


def _header_edit(request, access, journey_map, kind: str, row) -> HttpResponse:
    """Rename or describe a stage or a lane: the versioned edit of its header."""
    header = HEADERS[kind]
    if row is None:
        return _gone(request, access, journey_map, header.gone)
    args = [access.organisation.slug, journey_map.pk, row.pk]

    def show_form(form, status):
        ctx = _ctx(access, journey_map, **{kind: row, f"{kind}_form": form})
        template = f"{header.template}#form" if request.htmx else header.page
        return render(request, template, ctx, status=status)

    def on_save(changes):
        if changes:
            record(journey_map, access, "update", row, changes=changes)

    edit = Edit(
        obj=row,
        queryset=type(row).objects.filter(map=journey_map),
        form_class=header.form,
        fields=header.fields,
        values=lambda form: {n: form.cleaned_data[n].strip() for n in header.fields},
        show_form=show_form,
        show_saved=lambda saved: _header(request, access, journey_map, kind, saved),
        show_gone=lambda: _gone(request, access, journey_map, header.gone),
        on_save=on_save,
        target=f"{kind}-body-{row.pk}",
        keep_url=reverse(f"{kind}_detail", args=args),
        edit_url=reverse(f"{kind}_edit", args=args),
    )
    return versioned_edit(request, edit)


def _header_delete(request, access, journey_map, kind: str, row) -> HttpResponse:
    """Delete a stage or a lane, after asking what goes with it."""
    header = HEADERS[kind]
    if row is None:
        return _gone(request, access, journey_map, header.gone)

    def show_confirm(current, changed, status):
        ctx = _ctx(
            access,
            journey_map,
            **{kind: current},
            consequences=header.consequences(current),
            changed=changed,
            title=header.question % {"title": current.title},
            cancel_url=journey_map.get_absolute_url(),
        )
        if not request.htmx:
            return render(request, "confirm_delete.html", ctx, status=status)
        fragment = render(request, f"{header.template}#confirm", ctx, status=status)
        return reswap(retarget(fragment, f"#{kind}-body-{row.pk}"), "outerHTML")

    def show_deleted():
        if not request.htmx:
            messages.success(request, header.deleted % {"title": row.title})
            return redirect(journey_map)
        return _grid(request, access, journey_map, evidence=True)

    kept = {}  # what Restore brings back (maps.undo), read before it goes
    delete = Delete(
        obj=row,
        queryset=type(row).objects.filter(map=journey_map),
        show_confirm=show_confirm,
        show_deleted=show_deleted,
        show_gone=lambda: _gone(request, access, journey_map, header.gone),
        before=lambda: (_lock(journey_map), kept.update(snapshot_of(row))),
        on_delete=lambda: record(journey_map, access, "delete", row, snapshot=kept),
    )
    return confirmed_delete(request, delete)


@require_POST
def stage_add(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    """A new stage at the end, or before/after another: it opens for editing."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    form = StageAddForm(request.POST)
    if not form.is_valid():
        notice = _("The stage could not be added: %(errors)s") % {
            "errors": " ".join(e for errors in form.errors.values() for e in errors)
        }
        if not request.htmx:
            return _back(request, journey_map, notice)
        return _grid(request, access, journey_map, status=422, notice=notice)
    data = form.cleaned_data
    anchor_id = data["before"] or data["after"]
    if anchor_id is not None and not journey_map.stages.filter(pk=anchor_id).exists():
        if Stage.objects.filter(pk=anchor_id).exists():
            raise Http404("No such stage on this map")
        return _gone(request, access, journey_map, STAGE_GONE)
    with transaction.atomic():
        _lock(journey_map)
        ids = list(journey_map.stages.values_list("pk", flat=True))
        if anchor_id not in ids:  # deleted in the last instant, or no anchor
            index = len(ids)
        else:
            index = ids.index(anchor_id) + (0 if data["before"] else 1)
        stage = Stage.objects.create(
            map=journey_map, title=data["title"] or _("New stage"), position=index
        )
        ids.insert(index, stage.pk)
        reorder(journey_map.stages.all(), ids)
        record(journey_map, access, "create", stage)
    if not request.htmx:
        return redirect("stage_edit", org_slug, journey_map.pk, stage.pk)
    return _grid(request, access, journey_map, editing_stage=stage.pk)


@require_safe
def stage_detail(request: HttpRequest, org_slug: str, map_id, stage_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    stage = get_stage(journey_map, stage_id)
    return _header(request, access, journey_map, "stage", stage)


@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, org_slug: str, map_id, stage_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    stage = get_stage(journey_map, stage_id)
    return _header_edit(request, access, journey_map, "stage", stage)


@require_POST
def stage_move(request: HttpRequest, org_slug: str, map_id, stage_id) -> HttpResponse:
    """One place left or right (buttons, Alt+←/→)."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    stage = get_stage(journey_map, stage_id)
    if stage is None:
        return _gone(request, access, journey_map, STAGE_GONE)
    form = DirectionForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            _lock(journey_map)
            stages = list(journey_map.stages.all())
            ids = _moved([s.pk for s in stages], stage.pk, form.offset)
            _put_in_order(journey_map, access, "stage", stages, ids)
    if not request.htmx:
        return redirect(journey_map)
    return _grid(request, access, journey_map)


@require_POST
def stage_reorder(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    """The stages in a new order (dragged): order=id,id,..."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    form = OrderForm(request.POST)
    ok = False
    if form.is_valid():
        with transaction.atomic():
            _lock(journey_map)
            stages = list(journey_map.stages.all())
            order = form.cleaned_data["order"]
            ok = _put_in_order(journey_map, access, "stage", stages, order)
    return _reordered(request, access, journey_map, ok)


def _stage_consequences(stage) -> list[str]:
    n_cards = Card.objects.filter(stage=stage).count()
    n_emotions = Emotion.objects.filter(stage=stage).count()
    n_actions = stage.actions.count()
    lines = [
        ngettext(
            "%(n)d card is deleted with it.",
            "%(n)d cards are deleted with it.",
            n_cards,
        )
        % {"n": n_cards},
        ngettext(
            "%(n)d emotion score is deleted with it.",
            "%(n)d emotion scores are deleted with it.",
            n_emotions,
        )
        % {"n": n_emotions},
    ]
    if n_actions:
        lines.append(
            ngettext(
                "%(n)d follow-up action stays, without a stage.",
                "%(n)d follow-up actions stay, without a stage.",
                n_actions,
            )
            % {"n": n_actions}
        )
    return lines


@require_http_methods(["GET", "POST"])
def stage_delete(request: HttpRequest, org_slug: str, map_id, stage_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    stage = get_stage(journey_map, stage_id)
    return _header_delete(request, access, journey_map, "stage", stage)


# ---- Splitting a stage ------------------------------------------------------


class StageSplitForm(VersionForm):
    title = forms.CharField(
        label=gettext_lazy("Name of the new stage"),
        max_length=Stage._meta.get_field("title").max_length,
        error_messages={"required": gettext_lazy("Give the new stage a title.")},
    )
    cards = forms.MultipleChoiceField(
        label=gettext_lazy("Cards that move to the new stage"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy(
                "A card you chose is no longer in this stage; check the cards again."
            )
        },
    )

    def __init__(self, *args, cards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cards"].choices = [(str(c.pk), c.text) for c in cards]


SPLIT_CHANGED = gettext_lazy(
    "Someone changed this stage meanwhile. Check its cards and split again."
)


def _split_page(request, access, journey_map, stage, form, status=200):
    cards = list(
        Card.objects.filter(stage=stage).select_related("lane").order_by("position")
    )
    lanes = []
    for lane in journey_map.lanes.all():
        in_lane = [c for c in cards if c.lane_id == lane.pk]
        if in_lane:
            lanes.append({"lane": lane, "cards": in_lane})
    chosen = set(form["cards"].value() or [])
    ctx = _ctx(
        access,
        journey_map,
        stage=stage,
        form=form,
        lanes=lanes,
        chosen=chosen,
        n_emotions=Emotion.objects.filter(stage=stage).count(),
    )
    return render(request, "maps/structure/stage_split.html", ctx, status=status)


def stage_split_do(
    journey_map, access, stage, version: int, title: str, card_ids
) -> Stage | None:
    """
    Split `stage` (as it was at `version`) in two, in one transaction: a new
    stage `title` right after it takes the cards `card_ids` (in their lanes, in
    their order), with the follow-up actions about those cards. The emotion
    scores stay with the left stage: how the customer feels in the new part is
    not known yet, and a copy would be an assumption nobody made. None if the
    stage changed meanwhile.
    """
    with transaction.atomic():
        _lock(journey_map)
        if not versioned_update(
            Stage.objects.filter(map=journey_map), stage.pk, version
        ):
            return None
        ids = list(journey_map.stages.values_list("pk", flat=True))
        right = Stage.objects.create(
            map=journey_map, title=title, position=ids.index(stage.pk) + 1
        )
        ids.insert(ids.index(stage.pk) + 1, right.pk)
        reorder(journey_map.stages.all(), ids)
        moved = Card.objects.filter(map=journey_map, stage=stage, pk__in=card_ids)
        n_moved = moved.update(stage=right)
        # Positions keep their order within each lane; the left cells keep gaps,
        # which order the same.
        journey_map.actions.filter(card__in=card_ids, stage=stage).update(stage=right)
        record(
            journey_map,
            access,
            "split",
            stage,
            changes=[
                change("left", None, stage.title),
                change("right", None, title),
                change("moved", None, n_moved),
            ],
            fragments=["grid", "evidence", "emotions"],
            snapshot={"new_stage": str(right.pk), "cards": [str(i) for i in card_ids]},
        )
    return right


@require_http_methods(["GET", "POST"])
def stage_split(request: HttpRequest, org_slug: str, map_id, stage_id) -> HttpResponse:
    """Split a stage in two: name the new one, choose the cards that go to it."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    stage = get_stage(journey_map, stage_id)
    if stage is None:
        return _gone(request, access, journey_map, STAGE_GONE)
    cards = list(Card.objects.filter(stage=stage))
    if request.method != "POST":
        initial = {"title": _("%(title)s (2)") % {"title": stage.title}}
        form = StageSplitForm(
            initial={**initial, "version": stage.version}, cards=cards
        )
        return _split_page(request, access, journey_map, stage, form)
    form = StageSplitForm(request.POST, cards=cards)
    if not form.is_valid():
        if request.htmx:
            notice = " ".join(e for errors in form.errors.values() for e in errors)
            return _grid(request, access, journey_map, status=422, notice=notice)
        return _split_page(request, access, journey_map, stage, form, status=422)
    data = form.cleaned_data
    right = stage_split_do(
        journey_map, access, stage, data["version"], data["title"], data["cards"]
    )
    if right is None:
        if request.htmx:
            return _grid(request, access, journey_map, status=409, notice=SPLIT_CHANGED)
        current = get_stage(journey_map, stage.pk)
        if current is None:
            return _gone(request, access, journey_map, STAGE_GONE)
        form = StageSplitForm(
            {**request.POST.dict(), "version": current.version},
            cards=list(Card.objects.filter(stage=current)),
        )
        form.is_valid()
        form.add_error(None, SPLIT_CHANGED)
        return _split_page(request, access, journey_map, current, form, status=409)
    if not request.htmx:
        messages.success(
            request,
            _("Stage %(left)s split: %(right)s comes after it.")
            % {"left": stage.title, "right": right.title},
        )
        return redirect(journey_map)
    return _grid(request, access, journey_map, evidence=True)


# ---- Lanes -------------------------------------------------------------------


def _lane_order(lanes, visible_ids: list) -> list:
    """All lanes' ids, the visible ones in the order given; hidden ones stay put."""
    new = iter(visible_ids)
    return [next(new) if not lane.hidden else lane.pk for lane in lanes]


@require_POST
def lane_add(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    form = LaneAddForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            notice = " ".join(e for errors in form.errors.values() for e in errors)
            return _back(request, journey_map, notice)
        return _grid(request, access, journey_map, status=422, lane_form=form)
    with transaction.atomic():
        _lock(journey_map)
        last = journey_map.lanes.order_by("-position").first()
        lane = Lane.objects.create(
            map=journey_map,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            position=0 if last is None else last.position + 1,
        )
        record(journey_map, access, "create", lane)
    if not request.htmx:
        return redirect(journey_map)
    return _grid(request, access, journey_map)


@require_safe
def lane_detail(request: HttpRequest, org_slug: str, map_id, lane_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    lane = get_lane(journey_map, lane_id)
    return _header(request, access, journey_map, "lane", lane)


@require_http_methods(["GET", "POST"])
def lane_edit(request: HttpRequest, org_slug: str, map_id, lane_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    lane = get_lane(journey_map, lane_id)
    return _header_edit(request, access, journey_map, "lane", lane)


@require_POST
def lane_move(request: HttpRequest, org_slug: str, map_id, lane_id) -> HttpResponse:
    """One visible place up or down (buttons, Alt+↑/↓); hidden lanes stay put."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    lane = get_lane(journey_map, lane_id)
    if lane is None:
        return _gone(request, access, journey_map, LANE_GONE)
    form = DirectionForm(request.POST)
    if form.is_valid() and not lane.hidden:
        with transaction.atomic():
            _lock(journey_map)
            lanes = list(journey_map.lanes.all())
            visible = _moved(
                [x.pk for x in lanes if not x.hidden], lane.pk, form.offset
            )
            _put_in_order(
                journey_map, access, "lane", lanes, _lane_order(lanes, visible)
            )
    if not request.htmx:
        return redirect(journey_map)
    return _grid(request, access, journey_map)


@require_POST
def lane_reorder(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    """The visible lanes in a new order (dragged): order=id,id,..."""
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    form = OrderForm(request.POST)
    ok = False
    if form.is_valid():
        with transaction.atomic():
            _lock(journey_map)
            lanes = list(journey_map.lanes.all())
            visible = [str(x.pk) for x in lanes if not x.hidden]
            wanted = form.cleaned_data["order"]
            if sorted(wanted) == sorted(visible):
                ids = _lane_order(lanes, wanted)
                ok = _put_in_order(journey_map, access, "lane", lanes, ids)
    return _reordered(request, access, journey_map, ok)


def _lane_visibility(request, org_slug, map_id, lane_id, hidden: bool):
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    lane = get_lane(journey_map, lane_id)
    if lane is None:
        return _gone(request, access, journey_map, LANE_GONE)
    with transaction.atomic():
        # Layout, not content: no version bump, so it never clashes with a rename.
        changed = journey_map.lanes.filter(pk=lane.pk, hidden=not hidden).update(
            hidden=hidden
        )
        if changed:
            verb = "hide" if hidden else "show"
            record(journey_map, access, verb, lane)
    if not request.htmx:
        return redirect(journey_map)
    return _grid(request, access, journey_map)


@require_POST
def lane_hide(request: HttpRequest, org_slug: str, map_id, lane_id) -> HttpResponse:
    return _lane_visibility(request, org_slug, map_id, lane_id, hidden=True)


@require_POST
def lane_show(request: HttpRequest, org_slug: str, map_id, lane_id) -> HttpResponse:
    return _lane_visibility(request, org_slug, map_id, lane_id, hidden=False)


def _lane_consequences(lane) -> list[str]:
    if lane.kind == LaneKind.EMOTION:
        return [_("The emotion scores stay; only this row goes.")]
    if lane.kind == LaneKind.ACTIONS:
        return [_("The follow-up actions stay; only this row goes.")]
    n_cards = lane.cards.count()
    return [
        ngettext(
            "%(n)d card is deleted with it.",
            "%(n)d cards are deleted with it.",
            n_cards,
        )
        % {"n": n_cards}
    ]


@require_http_methods(["GET", "POST"])
def lane_delete(request: HttpRequest, org_slug: str, map_id, lane_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    lane = get_lane(journey_map, lane_id)
    return _header_delete(request, access, journey_map, "lane", lane)


S = "<uuid:map_id>/stages/<uuid:stage_id>/"
L = "<uuid:map_id>/lanes/<uuid:lane_id>/"

urlpatterns = [
    path("<uuid:map_id>/stages/add/", stage_add, name="stage_add"),
    path("<uuid:map_id>/stages/reorder/", stage_reorder, name="stage_reorder"),
    path(S, stage_detail, name="stage_detail"),
    path(S + "edit/", stage_edit, name="stage_edit"),
    path(S + "move/", stage_move, name="stage_move"),
    path(S + "delete/", stage_delete, name="stage_delete"),
    path(S + "split/", stage_split, name="stage_split"),
    path("<uuid:map_id>/lanes/add/", lane_add, name="lane_add"),
    path("<uuid:map_id>/lanes/reorder/", lane_reorder, name="lane_reorder"),
    path(L, lane_detail, name="lane_detail"),
    path(L + "edit/", lane_edit, name="lane_edit"),
    path(L + "move/", lane_move, name="lane_move"),
    path(L + "hide/", lane_hide, name="lane_hide"),
    path(L + "show/", lane_show, name="lane_show"),
    path(L + "delete/", lane_delete, name="lane_delete"),
]
