"""
Cards in the cells of the canvas: add, edit inline, delete, reorder within a
cell and move to another cell (drag and keyboard); touchpoint fields, impact,
and the findings a card cites.

Fragments live in templates/maps/canvas/card.html (#cell, #card, #card_edit,
#card_delete, #card_gone). A cell's root is `#cell-<lane>-<stage>`, a card's
`#card-<id>`; every change answers with the smallest of these that changed,
plus the cell a card left (out of band) when it moved.

Speed: cells and cards are built in Python (maps/templatetags/canvas_cards.py),
which keeps each one's HTML by content (maps.canvas.kept); URLs and labels are
built once per map (`card_kit`). A card carries only its edit link: the drag
handle and the other tools come from one template per page (card.html#card_tools)
through static/js/canvas-cards.js, and the card's own page (#card_edit without
htmx) offers them without JS. A text edit is 8 queries: session, user, access,
the card (with map, lane and finding count), the update, and the three of
`record`.
"""

import functools
import uuid

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from journeymap.access import Can, get_access
from journeymap.editing import (
    Delete,
    Edit,
    confirmed_delete,
    move,
    reorder,
    versioned_edit,
)
from maps.access import (
    card_was_deleted,
    get_card,
    get_map,
)
from maps.activity import change
from maps.canvas.card_forms import (
    CARD_LANES,
    CardAddForm,
    CardEditForm,
    CardMoveForm,
    CardReorderForm,
    detail_fields,
)
from maps.canvas.grid import cards_for
from maps.models import (
    Card,
    Channel,
    Experience,
    Impact,
    JourneyMap,
    Lane,
    Stage,
    record,
)
from maps.undo import snapshot_of
from research.evidence import EVIDENCE_CHANGED, evidence_view

TEMPLATE = "maps/canvas/card.html"
_ZERO = uuid.UUID(int=0)


def card_kit(org_slug: str, map_pk) -> dict:
    """
    URL prefixes and labels every card and cell of one map uses. A 400-card
    canvas would otherwise reverse ~5,000 URLs and translate ~6,000 strings
    (a third of a second); templates glue `kit.card` + id + "edit/" instead.
    """
    kit = {
        "card": reverse("card_detail", args=[org_slug, _ZERO]).removesuffix(
            f"{_ZERO}/"
        ),
        "cell": reverse("card_cell", args=[org_slug, map_pk, _ZERO, _ZERO]).split(
            str(_ZERO)
        )[0],
        "add": reverse("card_add", args=[org_slug, map_pk]),
        "reorder": reverse("card_reorder", args=[org_slug, map_pk]),
        "t": {
            "add": _("Add"),
            "assumption": _("Assumption"),
            "branded": _("Branded"),
            "delete": _("Delete"),
            "department": _("Owning department"),
            "down": _("Move down"),
            "down_keys": _("Move down (Alt+↓)"),
            "drag": _("Drag to move"),
            "edit": _("Edit"),
            "evidence": _("Evidence"),
            "left": _("Move to the previous stage"),
            "left_keys": _("Previous stage (Alt+←)"),
            "mot": _("Moment of truth"),
            "no_finding": _("No finding supports this yet"),
            "offline": _("Offline"),
            "online": _("Online"),
            "right": _("Move to the next stage"),
            "right_keys": _("Next stage (Alt+→)"),
            "unbranded": _("Not branded"),
            "up": _("Move up"),
            "up_keys": _("Move up (Alt+↑)"),
            "validated": _("Validated: show or change the findings"),
        },
    }
    # What the Python-built cards (maps/templatetags/canvas_cards.py) put in
    # their HTML: the same labels escaped once, and the translated phrases
    # that differ by value, so no card looks a translation up.
    kit["html"] = {name: escape(label) for name, label in kit["t"].items()}
    kit["experience"] = {
        value: escape(_("Experience: %(xp)s") % {"xp": label})
        for value, label in Experience.choices
    }
    # Card.channel_label's names (a custom channel names itself).
    kit["channels"] = {value: escape(label) for value, label in Channel.choices}
    kit["impact"] = {
        value: escape(_("Impact: %(impact)s") % {"impact": label})
        for value, label in Impact.choices
    }
    kit["findings"] = functools.cache(
        lambda n: escape(
            ngettext("%(counter)s finding", "%(counter)s findings", n) % {"counter": n}
        )
    )
    return kit


def _ctx(access, **extra) -> dict:
    ctx = {
        "access": access,
        "org": access.organisation,
        "can_edit": access.can_edit,
        **extra,
    }
    journey_map = extra.get("map")
    if journey_map is not None:
        ctx["kit"] = card_kit(access.organisation.slug, journey_map.pk)
    return ctx


def _cell_of(journey_map, stage_id, lane_id) -> tuple[Stage, Lane]:
    """The stage and card lane of `journey_map` with these ids, or 404."""
    stage = Stage.objects.filter(map=journey_map, pk=stage_id).first()
    lane = Lane.objects.filter(map=journey_map, pk=lane_id, kind__in=CARD_LANES).first()
    if stage is None or lane is None:
        raise Http404("No such cell on this map")
    return stage, lane


def _where(stage, lane) -> str:
    return f"{stage.title} · {lane.title}"


def _record_move(journey_map, actor, card, source, target) -> None:
    """A card went from cell `source` to cell `target` (each a (stage, lane))."""
    record(
        journey_map,
        actor,
        "move",
        card,
        changes=[change("cell", _where(*source), _where(*target))],
        # Where it came from, so Undo can put it back (maps.undo).
        snapshot={
            "from": {
                "stage": str(source[0].pk),
                "lane": str(source[1].pk),
                "position": card.position,
            },
            "to": {"stage": str(target[0].pk), "lane": str(target[1].pk)},
        },
        fragments=[
            f"card:{card.pk}",
            f"cell:{source[1].pk}:{source[0].pk}",
            f"cell:{target[1].pk}:{target[0].pk}",
            # To another stage: both stages' validated shares change.
            *(["evidence"] if source[0].pk != target[0].pk else []),
        ],
    )


def _next_position(journey_map, stage_id, lane_id) -> int:
    """The position after the last card of the cell: new and moved cards go last."""
    last = (
        Card.objects.filter(map=journey_map, stage_id=stage_id, lane_id=lane_id)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def _cell(
    request,
    access,
    journey_map,
    stage,
    lane,
    *,
    status=200,
    add_form=None,
    add_open=False,
    oob=False,
) -> HttpResponse:
    ctx = _ctx(
        access,
        map=journey_map,
        stage=stage,
        lane=lane,
        cards=list(cards_for(journey_map, stage=stage, lane=lane)),
        add_form=add_form,
        add_open=add_open or add_form is not None,
        oob=oob,
    )
    return render(request, f"{TEMPLATE}#cell", ctx, status=status)


def _cells(request, access, journey_map, main, other) -> HttpResponse:
    """
    Two cells after a move: `main` (stage, lane) answers the request, `other`
    comes out of band; both are refreshed, and the evidence row with them.
    """
    response = _cell(request, access, journey_map, *main)
    if other is not None and tuple(o.pk for o in other) != tuple(m.pk for m in main):
        extra = _cell(request, access, journey_map, *other, oob=True)
        response.content += extra.content
    trigger_client_event(response, EVIDENCE_CHANGED)
    return response


def _card(request, access, card, status=200) -> HttpResponse:
    ctx = _ctx(access, card=card, lane=card.lane, map=card.map)
    return render(request, f"{TEMPLATE}#card", ctx, status=status)


def _card_fresh(request, access, card_pk, status=200) -> HttpResponse:
    card = (
        Card.objects.select_related("map", "lane")
        .annotate(n_findings=Count("findings"))
        .get(pk=card_pk)
    )
    card.map.organisation = access.organisation
    return _card(request, access, card, status)


# ---- A cell ----------------------------------------------------------------


@require_GET
def card_cell(
    request: HttpRequest, org_slug: str, map_id, stage_id, lane_id
) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    stage, lane = _cell_of(journey_map, stage_id, lane_id)
    if not request.htmx:
        return redirect(journey_map)
    return _cell(
        request, access, journey_map, stage, lane, add_open="add" in request.GET
    )


@require_POST
def card_add(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    form = CardAddForm(request.POST)
    if not form.is_valid() and ("stage" in form.errors or "lane" in form.errors):
        raise Http404("No such cell")
    stage, lane = _cell_of(
        journey_map, form.cleaned_data["stage"], form.cleaned_data["lane"]
    )
    if not form.is_valid():
        if not request.htmx:
            messages.error(
                request, " ".join(e for es in form.errors.values() for e in es)
            )
            return redirect(journey_map)
        return _cell(
            request, access, journey_map, stage, lane, add_form=form, status=422
        )
    data = form.cleaned_data
    details = {name: data[name] for name in detail_fields(lane.kind)}
    with transaction.atomic():
        card = Card.objects.create(
            map=journey_map,
            stage=stage,
            lane=lane,
            text=data["text"],
            position=_next_position(journey_map, stage.pk, lane.pk),
            **{k: v for k, v in details.items() if v is not None},
        )
        record(journey_map, access, "create", card)
    if not request.htmx:
        return redirect(journey_map)
    response = _cell(request, access, journey_map, stage, lane, add_open=True)
    trigger_client_event(response, EVIDENCE_CHANGED)
    return response


# ---- One card --------------------------------------------------------------


@require_GET
def card_detail(request: HttpRequest, org_slug: str, card_id) -> HttpResponse:
    access = get_access(request, org_slug)
    card = get_card(access, card_id)
    if not request.htmx:
        return redirect(card.map)
    return _card(request, access, card)


def _edit_form_ctx(access, card, form) -> dict:
    journey_map = card.map
    return _ctx(
        access,
        card=card,
        lane=card.lane,
        map=journey_map,
        form=form,
        fields=detail_fields(card.lane.kind),
        move_stages=list(Stage.objects.filter(map=journey_map)),
        move_lanes=list(Lane.objects.filter(map=journey_map, kind__in=CARD_LANES)),
    )


def _initial(card) -> dict:
    def yes_no(value):
        return "" if value is None else ("1" if value else "0")

    return {
        "text": card.text,
        "version": card.version,
        "channel": card.channel,
        "custom_channel": card.custom_channel,
        "online": yes_no(card.online),
        "branded": yes_no(card.branded),
        "department": card.department,
        "experience": card.experience,
        "moment_of_truth": card.moment_of_truth,
        "impact": card.impact,
        "move_stage": card.stage_id,
        "move_lane": card.lane_id,
    }


def _card_gone(request, access, card_id) -> HttpResponse:
    """
    The card was deleted while someone edited it: say so, keep their text to
    copy, and offer to add it again in the cell it was in.
    """
    readd = None
    try:
        map_id = uuid.UUID(request.POST.get("map", ""))
        stage_id = uuid.UUID(request.POST.get("stage", ""))
        lane_id = uuid.UUID(request.POST.get("lane", ""))
    except ValueError:
        pass
    else:
        journey_map = JourneyMap.objects.filter(
            pk=map_id, organisation=access.organisation
        ).first()
        if journey_map is not None:
            journey_map.organisation = access.organisation
            try:
                stage, lane = _cell_of(journey_map, stage_id, lane_id)
                readd = {"map": journey_map, "stage": stage, "lane": lane}
            except Http404:
                pass
    ctx = _ctx(access, card_id=card_id, text=request.POST.get("text", ""), readd=readd)
    return render(request, f"{TEMPLATE}#card_gone", ctx, status=409)


@require_http_methods(["GET", "POST"])
def card_edit(request: HttpRequest, org_slug: str, card_id) -> HttpResponse:
    access = get_access(request, org_slug)
    try:
        card = get_card(access, card_id, Can.EDIT)
    except Http404:
        # A member may have it open while someone else deleted it: the map's
        # history says so. Any other id stays a plain 404.
        if request.method != "POST" or not card_was_deleted(access, card_id):
            raise
        return _card_gone(request, access, card_id)
    return versioned_edit(request, _card_edit(request, access, card))


def _card_edit(request, access, card) -> Edit:
    """A card's edit: its text, its lane's details, and "Move to" another cell."""
    journey_map = card.map
    moved = {}  # "from" and "to" cells, when the form moves the card

    def values(form):
        data = form.cleaned_data
        names = ["text", *(detail_fields(card.lane.kind) if data["details"] else ())]
        new = {name: data[name] for name in names}
        cell = (data["move_stage"] or card.stage_id, data["move_lane"] or card.lane_id)
        if cell == (card.stage_id, card.lane_id):
            return new
        try:
            moved["to"] = target = _cell_of(journey_map, *cell)
        except Http404:
            form.add_error(None, _("Choose a stage and lane of this map."))
            return None
        position = _next_position(journey_map, target[0].pk, target[1].pk)
        return {**new, "stage": target[0], "lane": target[1], "position": position}

    def on_save(changes):
        if changes:
            record(journey_map, access, "update", card, changes=changes)
        if "to" in moved:
            moved["from"] = (card.stage, card.lane)  # before it takes the new ones
            _record_move(journey_map, access, card, moved["from"], moved["to"])

    def show_form(form, status):
        ctx = _edit_form_ctx(access, card, form)
        if not request.htmx:
            return render(request, "maps/card_page.html", ctx, status=status)
        return render(request, f"{TEMPLATE}#card_edit", ctx, status=status)

    def show_saved(saved):
        if not request.htmx:
            return redirect(journey_map)
        if "to" not in moved:
            return _card(request, access, saved)
        # Moved: the cell it left answers (the form aimed at the card), the cell
        # it joined comes out of band.
        source = moved["from"]
        response = _cells(request, access, journey_map, source, moved["to"])
        target = f"#cell-{source[1].pk}-{source[0].pk}"
        return reswap(retarget(response, target), "outerHTML")

    args = [access.organisation.slug, card.pk]
    return Edit(
        obj=card,
        queryset=Card.objects.filter(map=journey_map),
        form_class=CardEditForm,
        fields=("text", *detail_fields(card.lane.kind)),
        initial=_initial(card),
        values=values,
        on_save=on_save,
        show_form=show_form,
        show_saved=show_saved,
        show_gone=lambda: _card_gone(request, access, card.pk),
        target=f"card-{card.pk}",
        keep_url=reverse("card_detail", args=args),
        edit_url=reverse("card_edit", args=args),
        resend=("map", "stage", "lane"),
    )


@require_http_methods(["GET", "POST"])
def card_delete(request: HttpRequest, org_slug: str, card_id) -> HttpResponse:
    access = get_access(request, org_slug)
    try:
        card = get_card(access, card_id, Can.EDIT)
    except Http404:
        if request.method != "POST":
            raise
        return _deleted_meanwhile(request, access)
    return confirmed_delete(request, _card_delete(request, access, card))


def _deleted_meanwhile(request, access) -> HttpResponse:
    """Someone else deleted the card first: the same outcome, its cell as it is."""
    try:
        map_id, stage_id, lane_id = (
            uuid.UUID(request.POST.get(name, "")) for name in ("map", "stage", "lane")
        )
    except ValueError:
        raise Http404("No such card") from None
    journey_map = get_map(access, map_id, Can.EDIT)
    stage, lane = _cell_of(journey_map, stage_id, lane_id)
    if not request.htmx:
        return redirect(journey_map)
    return _cell(request, access, journey_map, stage, lane)


def _card_delete(request, access, card) -> Delete:
    journey_map = card.map

    def show_confirm(current, changed, status):
        if changed:  # ask again with the new text, and its finding count
            current = get_card(access, card.pk, Can.EDIT)
        ctx = _ctx(access, card=current, lane=current.lane, map=journey_map)
        ctx["changed"] = changed
        if not request.htmx:
            ctx["deleting"] = True
            return render(request, "maps/card_page.html", ctx, status=status)
        response = render(request, f"{TEMPLATE}#card_delete", ctx, status=status)
        return reswap(retarget(response, f"#card-{card.pk}"), "outerHTML")

    def show_deleted():
        if not request.htmx:
            messages.success(request, _("Card deleted."))
            return redirect(journey_map)
        response = _cell(request, access, journey_map, card.stage, card.lane)
        return trigger_client_event(response, EVIDENCE_CHANGED)

    kept = {}  # what Restore brings back, read before the card goes

    return Delete(
        obj=card,
        queryset=Card.objects.filter(map=journey_map),
        show_confirm=show_confirm,
        show_deleted=show_deleted,
        before=lambda: kept.update(snapshot_of(card)),
        on_delete=lambda: record(journey_map, access, "delete", card, snapshot=kept),
    )


# ---- Order and place -------------------------------------------------------


def _moved_one(old: list[str], new: list[str]) -> str | None:
    """The card that a single drag moved from `old` order to `new`."""
    for pk in old:
        if [p for p in old if p != pk] == [p for p in new if p != pk]:
            return pk
    return None


@require_POST
def card_move(request: HttpRequest, org_slug: str, card_id) -> HttpResponse:
    """Keyboard moves: up/down within the cell, left/right to the next stage."""
    access = get_access(request, org_slug)
    card = get_card(access, card_id, Can.EDIT)
    journey_map = card.map
    form = CardMoveForm(request.POST)
    stage, lane = _cell_of(journey_map, card.stage_id, card.lane_id)
    if not form.is_valid():
        return HttpResponse(_("Unknown direction."), status=400)
    direction = form.cleaned_data["direction"]
    if direction in ("up", "down"):
        cell = Card.objects.filter(map=journey_map, stage=stage, lane=lane)
        with transaction.atomic():
            old = [str(pk) for pk in cell.values_list("pk", flat=True)]
            move(cell, card.pk, -1 if direction == "up" else 1)
            if [str(pk) for pk in cell.values_list("pk", flat=True)] != old:
                record(journey_map, access, "reorder", card)
        if not request.htmx:
            return redirect(journey_map)
        return _cell(request, access, journey_map, stage, lane)
    stages = list(Stage.objects.filter(map=journey_map))
    index = [s.pk for s in stages].index(stage.pk) + (-1 if direction == "left" else 1)
    if not 0 <= index < len(stages):
        # Already at the edge: nothing to do.
        if not request.htmx:
            return redirect(journey_map)
        return _cell(request, access, journey_map, stage, lane)
    target = stages[index]
    with transaction.atomic():
        Card.objects.filter(pk=card.pk).update(
            stage=target, position=_next_position(journey_map, target.pk, lane.pk)
        )
        _record_move(journey_map, access, card, (stage, lane), (target, lane))
    if not request.htmx:
        return redirect(journey_map)
    return _cells(request, access, journey_map, (stage, lane), (target, lane))


@transaction.atomic
def cell_reorder_with_arrival(
    journey_map: JourneyMap, stage: Stage, lane: Lane, ordered_ids
) -> tuple[bool, tuple | None, Card | None]:
    """
    The canvas version of journeymap.editing.reorder_with_arrival: renumber the
    cards of one cell in `ordered_ids` order, where one card may arrive from
    another cell of the same map (its stage and lane change). Returns (ok, the
    (stage id, lane id) it came from or None, the card that arrived or None).
    A card of another map, or a stale order, is refused (ok False).
    """
    cell = Card.objects.filter(map=journey_map, stage=stage, lane=lane)
    current = {str(pk) for pk in cell.values_list("pk", flat=True)}
    wanted = [str(pk) for pk in ordered_ids]
    arrivals = [pk for pk in wanted if pk not in current]
    if (
        len(arrivals) != 1
        or len(set(wanted)) != len(wanted)
        or set(wanted) - {arrivals[0]} != current
    ):
        return reorder(cell, wanted), None, None
    row = (
        Card.objects.select_for_update().filter(map=journey_map, pk=arrivals[0]).first()
    )
    if row is None:
        return False, None, None
    came_from = (row.stage_id, row.lane_id)
    Card.objects.filter(pk=row.pk).update(stage=stage, lane=lane)
    return reorder(cell, wanted), came_from, row


@require_POST
def card_reorder(request: HttpRequest, org_slug: str, map_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    form = CardReorderForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown cell."), status=400)
    stage, lane = _cell_of(
        journey_map, form.cleaned_data["stage"], form.cleaned_data["lane"]
    )
    try:
        order = [str(uuid.UUID(pk)) for pk in form.cleaned_data["order"]]
    except ValueError:
        return HttpResponse(_("Unknown card."), status=400)
    with transaction.atomic():
        old = [
            str(pk)
            for pk in Card.objects.filter(
                map=journey_map, stage=stage, lane=lane
            ).values_list("pk", flat=True)
        ]
        ok, came_from, arrived = cell_reorder_with_arrival(
            journey_map, stage, lane, order
        )
        if ok and arrived is not None:
            source = _cell_of(journey_map, *came_from)
            _record_move(journey_map, access, arrived, source, (stage, lane))
        elif ok and old != order:
            moved = _moved_one(old, order)
            card = Card.objects.filter(pk=moved).first() if moved else None
            label = card.text if card else _where(stage, lane)
            record(journey_map, access, "reorder", card, label=label, kind="card")
    # A stale page (someone added or deleted meanwhile) gets the cell as it is now.
    if came_from is None:
        return _cell(
            request, access, journey_map, stage, lane, status=200 if ok else 409
        )
    return _cells(request, access, journey_map, (stage, lane), source)


# ---- Evidence --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def card_evidence(request: HttpRequest, org_slug: str, card_id) -> HttpResponse:
    write = request.method == "POST"
    access = get_access(request, org_slug)
    card = get_card(access, card_id, Can.EDIT if write else Can.READ)
    journey_map = card.map

    def render_card() -> HttpResponse:
        return _card_fresh(request, access, card.pk)

    kwargs = {
        "queryset": Card.objects.filter(map=journey_map),
        "target_id": f"card-{card.pk}",
        "action_url": reverse("card_evidence", args=[org_slug, card.pk]),
        "card_url": reverse("card_detail", args=[org_slug, card.pk]),
        "back_url": journey_map.get_absolute_url(),
        "render_card": render_card,
    }
    if not write:
        return evidence_view(request, access, card, **kwargs)
    before = [f.statement for f in card.findings.all()]
    with transaction.atomic():
        response = evidence_view(request, access, card, **kwargs)
        saved = Card.objects.filter(pk=card.pk, version=card.version + 1).exists()
        if saved:
            after = [f.statement for f in card.findings.all()]
            cited = change("findings", before, after)
            record(journey_map, access, "cite", card, changes=[cited])
    return response


urlpatterns = [
    path("<uuid:map_id>/cards/add/", card_add, name="card_add"),
    path("<uuid:map_id>/cards/reorder/", card_reorder, name="card_reorder"),
    path(
        "<uuid:map_id>/cells/<uuid:stage_id>/<uuid:lane_id>/",
        card_cell,
        name="card_cell",
    ),
    path("cards/<uuid:card_id>/", card_detail, name="card_detail"),
    path("cards/<uuid:card_id>/edit/", card_edit, name="card_edit"),
    path("cards/<uuid:card_id>/delete/", card_delete, name="card_delete"),
    path("cards/<uuid:card_id>/move/", card_move, name="card_move"),
    path("cards/<uuid:card_id>/evidence/", card_evidence, name="card_evidence"),
]
