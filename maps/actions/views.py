"""
Follow-up actions on a map (the actions lane) and the organisation-wide actions
board (`board_urlpatterns`, mounted at /o/<org_slug>/actions/).

On the canvas each stage's cell of the actions lane lists that stage's actions
as compact cards; the views answer htmx with the cell or the one card that
changed (templates/maps/actions/lane.html), and plain requests with a page or a
redirect back to the map. The board lists every action of the organisation's
maps with filters (templates/maps/actions/board.html).

Every write is version-checked and recorded in the map's activity log
(maps.models.record) with the verbs create, update, status, delete, move and
reorder.
"""

import datetime
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap

from journeymap.access import Can, get_access
from journeymap.editing import (
    Clash,
    Delete,
    Edit,
    VersionForm,
    confirmed_delete,
    conflict_response,
    move,
    reorder_with_arrival,
    versioned_edit,
    versioned_update,
)
from maps.access import (
    get_action,
    get_board_action,
    get_map,
)
from maps.activity import change
from maps.models import (
    Action,
    ActionStatus,
    Card,
    JourneyMap,
    MapStatus,
    Stage,
    record,
)

User = get_user_model()

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
TEXT_MAX = 2000


def is_overdue(action: Action, today: datetime.date | None = None) -> bool:
    """Open or in progress with a due date before today."""
    today = today or timezone.localdate()
    return action.is_open and action.due is not None and action.due < today


# ---- Forms ------------------------------------------------------------------


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_username()


class ReasonableDateField(forms.DateField):
    """A real calendar date in a sensible range (no year 0001 or 9999)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid": gettext_lazy("Enter a real date, such as 2026-12-31.")},
        )
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        return {**attrs, "min": "2000-01-01", "max": "2099-12-31"}

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not 2000 <= value.year <= 2099:
            raise forms.ValidationError(
                gettext_lazy("Pick a due date between 2000 and 2099.")
            )
        return value


def members_of(organisation):
    return User.objects.filter(memberships__organisation=organisation).order_by(
        "username"
    )


def _owner_field(organisation) -> MemberChoiceField:
    return MemberChoiceField(
        queryset=members_of(organisation),
        required=False,
        label=gettext_lazy("Owner"),
        empty_label=gettext_lazy("Nobody yet"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "The owner must be a member of this organisation."
            )
        },
    )


_title_errors = {
    "required": gettext_lazy("Give the action a title."),
    "max_length": gettext_lazy("Keep the title to %(limit_value)d characters."),
}


class ActionAddForm(forms.Form):
    """The quick add in a cell: a title, optionally an owner and a due date."""

    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=150, error_messages=_title_errors
    )
    due = ReasonableDateField(label=gettext_lazy("Due date"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field(organisation)
        self.order_fields(["title", "owner", "due"])


class ActionForm(VersionForm):
    """The whole action: edited in its card on the canvas or on its own page."""

    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=150, error_messages=_title_errors
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due = ReasonableDateField(label=gettext_lazy("Due date"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=ActionStatus.choices
    )
    evaluation = forms.CharField(
        label=gettext_lazy("Evaluation"),
        required=False,
        max_length=TEXT_MAX,
        help_text=gettext_lazy("What came of it? Did it make the journey better?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    FIELDS = (
        "title",
        "description",
        "owner",
        "due",
        "status",
        "stage",
        "card",
        "evaluation",
    )

    def __init__(self, *args, journey_map, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.journey_map = journey_map
        self.fields["owner"] = _owner_field(organisation)
        self.fields["stage"] = forms.ModelChoiceField(
            queryset=Stage.objects.filter(map=journey_map),
            label=gettext_lazy("Stage"),
            required=False,
            empty_label=gettext_lazy("No stage"),
            error_messages={
                "invalid_choice": gettext_lazy("Pick a stage of this map.")
            },
        )
        # Every card of the map is offered, but only those of the chosen stage
        # show (static/js/actions.js follows a change of stage); clean() checks.
        self.fields["card"] = forms.ModelChoiceField(
            queryset=Card.objects.filter(map=journey_map),
            label=gettext_lazy("About the card"),
            required=False,
            empty_label=gettext_lazy("No card in particular"),
            error_messages={"invalid_choice": gettext_lazy("Pick a card of this map.")},
        )
        self.card_choices = list(
            Card.objects.filter(map=journey_map)
            .select_related("lane")
            .order_by("stage__position", "lane__position", "position")
        )
        self.order_fields(self.FIELDS)

    def clean(self):
        data = super().clean()
        card, stage = data.get("card"), data.get("stage")
        if card is not None and (stage is None or card.stage_id != stage.pk):
            self.add_error(
                "card", _("That card is in another stage; pick one of this stage.")
            )
        return data


class StatusForm(VersionForm):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=ActionStatus.choices
    )


class BoardFilterForm(forms.Form):
    ANY_STATUS = ""
    UNFINISHED = "unfinished"

    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    map = forms.ChoiceField(label=gettext_lazy("Map"), required=False)
    archived = forms.BooleanField(
        label=gettext_lazy("Include archived maps"), required=False
    )

    def __init__(self, *args, members, maps, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["owner"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
            *[(str(u.pk), u.get_username()) for u in members],
        ]
        self.fields["status"].choices = [
            (self.ANY_STATUS, _("Any status")),
            (self.UNFINISHED, _("Open or in progress")),
            *ActionStatus.choices,
        ]
        self.fields["map"].choices = [
            ("", _("All maps")),
            *[(str(m.pk), m.title) for m in maps],
        ]


# ---- Shared pieces ------------------------------------------------------------


def _ctx(access, journey_map=None, **extra) -> dict:
    return {
        "access": access,
        "org": access.organisation,
        "can_edit": access.can_edit,
        "map": journey_map,
        "today": timezone.localdate(),
        **extra,
    }


def _map_url(journey_map, anchor: str = "") -> str:
    url = journey_map.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


def _get_stage(journey_map, stage_id) -> Stage:
    stage = Stage.objects.filter(pk=stage_id, map=journey_map).first()
    if stage is None:
        raise Http404("No such stage")
    return stage


def _next_position(journey_map, stage) -> int:
    last = (
        Action.objects.filter(map=journey_map, stage=stage)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, User):
        return value.get_username()
    return str(value)


def _values_of(action: Action) -> dict:
    """The action's fields as the edit form and the activity log see them."""
    return {
        "title": action.title,
        "description": action.description,
        "owner": action.owner,
        "due": action.due,
        "status": action.status,
        "stage": action.stage,
        "card": action.card,
        "evaluation": action.evaluation,
    }


def _cell_fragment(
    request,
    access,
    journey_map,
    stage,
    *,
    add_form=None,
    adding=False,
    status=200,
    oob=False,
):
    """A stage's cell of the actions lane; `oob` for a cell sent out of band."""
    actions = list(
        Action.objects.filter(map=journey_map, stage=stage).select_related("owner")
    )
    ctx = _ctx(
        access,
        journey_map,
        stage=stage,
        actions=actions,
        add_form=add_form,
        adding=adding or add_form is not None,
        oob=oob,
    )
    if ctx["adding"] and add_form is None:
        ctx["add_form"] = ActionAddForm(organisation=access.organisation)
    return render(request, "maps/actions/lane.html#cell", ctx, status=status)


def _card_fragment(request, access, journey_map, action, status=200, **extra):
    ctx = _ctx(access, journey_map, action=action, **extra)
    return render(request, "maps/actions/lane.html#card", ctx, status=status)


def _gone(request, access, journey_map, action_id, title="") -> HttpResponse:
    """The action was deleted meanwhile: say so; "OK" removes it from view."""
    org_slug = access.organisation.slug
    return conflict_response(
        request,
        target_id=f"action-{action_id}",
        clashes=[Clash(_("Title"), "", title)] if title else [],
        keep_url=reverse("action_card", args=[org_slug, journey_map.pk, action_id]),
        overwrite_url="",
        overwrite_values=[],
        current_version=None,
    )


# ---- The actions lane -----------------------------------------------------------


@require_GET
def action_cell(request: HttpRequest, org_slug: str, map_id, stage_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    stage = _get_stage(journey_map, stage_id)
    if not request.htmx:
        return redirect(_map_url(journey_map, f"actions-{stage.pk}"))
    return _cell_fragment(request, access, journey_map, stage)


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, org_slug: str, map_id, stage_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    stage = _get_stage(journey_map, stage_id)
    org = access.organisation
    if request.method != "POST":
        form = ActionAddForm(organisation=org)
        if request.htmx:
            return _cell_fragment(request, access, journey_map, stage, adding=True)
        ctx = _ctx(access, journey_map, stage=stage, add_form=form)
        return render(request, "maps/actions/action_page.html", ctx)
    form = ActionAddForm(request.POST, organisation=org)
    if not form.is_valid():
        if request.htmx:
            return _cell_fragment(
                request, access, journey_map, stage, add_form=form, status=422
            )
        ctx = _ctx(access, journey_map, stage=stage, add_form=form)
        return render(request, "maps/actions/action_page.html", ctx, status=422)
    data = form.cleaned_data
    with transaction.atomic():
        action = Action.objects.create(
            map=journey_map,
            stage=stage,
            title=data["title"],
            owner=data["owner"],
            due=data["due"],
            position=_next_position(journey_map, stage),
            created_by=request.user,
        )
        record(journey_map, access, "create", action)
    if not request.htmx:
        return redirect(_map_url(journey_map, f"action-{action.pk}"))
    # The form stays open, so a room can call out several actions in a row.
    return _cell_fragment(request, access, journey_map, stage, adding=True)


@require_GET
def action_card(request: HttpRequest, org_slug: str, map_id, action_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id)
    action = get_action(journey_map, action_id)
    if action is None:
        if request.htmx:
            # Deleted meanwhile: the card leaves the cell.
            return HttpResponse("")
        raise Http404("No such action")
    if not request.htmx:
        return redirect(_map_url(journey_map, f"action-{action.pk}"))
    return _card_fragment(request, access, journey_map, action)


def _edit_response(request, access, journey_map, action, form, status=200):
    ctx = _ctx(access, journey_map, action=action, form=form)
    if request.htmx:
        return render(request, "maps/actions/lane.html#card_edit", ctx, status=status)
    return render(request, "maps/actions/action_page.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, org_slug: str, map_id, action_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    action = get_action(journey_map, action_id)
    if action is None:
        if request.method == "POST" and request.htmx:
            title = request.POST.get("title", "")
            return _gone(request, access, journey_map, action_id, title)
        raise Http404("No such action")
    return versioned_edit(request, _action_edit(request, access, journey_map, action))


def _action_edit(request, access, journey_map, action) -> Edit:
    """An action's full edit; a new stage sends it to the end of that stage."""
    old_stage_id = action.stage_id
    args = [access.organisation.slug, journey_map.pk, action.pk]

    new = {}

    def values(form):
        new.update((name, form.cleaned_data[name]) for name in ActionForm.FIELDS)
        if old_stage_id != (new["stage"] and new["stage"].pk):
            return {**new, "position": _next_position(journey_map, new["stage"])}
        return new

    def on_save(changes):
        if changes:
            # A move to another stage touches the cells of both stages.
            stages = (old_stage_id, new["stage"] and new["stage"].pk)
            touched = [f"action:{action.pk}"]
            touched += [f"actions:{stage or ''}" for stage in stages]
            record(
                journey_map,
                access,
                "update",
                action,
                changes=changes,
                fragments=dict.fromkeys(touched),
            )

    def show_saved(saved):
        saved = Action.objects.select_related("owner").get(pk=action.pk)
        saved.map = journey_map
        if not request.htmx:
            messages.success(request, _("Action saved."))
            return redirect(_map_url(journey_map, f"action-{saved.pk}"))
        if saved.stage_id != old_stage_id:
            return _moved_response(request, access, journey_map, saved, old_stage_id)
        return _card_fragment(request, access, journey_map, saved)

    return Edit(
        obj=action,
        queryset=Action.objects.filter(map=journey_map),
        form_class=ActionForm,
        fields=ActionForm.FIELDS,
        values=values,
        form_kwargs={
            "journey_map": journey_map,
            "organisation": access.organisation,
            # Several actions may be open for editing on one canvas.
            "auto_id": f"action-{action.pk}-%s",
        },
        show_form=lambda form, status: _edit_response(
            request, access, journey_map, action, form, status
        ),
        show_saved=show_saved,
        show_gone=lambda: _gone(
            request, access, journey_map, action.pk, request.POST.get("title", "")
        ),
        on_save=on_save,
        target=f"action-{action.pk}",
        keep_url=reverse("action_card", args=args),
        edit_url=reverse("action_edit", args=args),
    )


def _moved_response(request, access, journey_map, action, old_stage_id):
    """The action went to another stage: both cells are redrawn."""
    response = HttpResponse()
    parts = []
    stages = Stage.objects.filter(
        map=journey_map, pk__in=[old_stage_id, action.stage_id]
    ).in_bulk()
    for stage_id in (old_stage_id, action.stage_id):
        stage = stages.get(stage_id)
        if stage is not None:
            cell = _cell_fragment(request, access, journey_map, stage, oob=True)
            parts.append(cell.content)
    response.content = b"".join(parts)
    # The out-of-band cells do the work. An action without a stage (its stage
    # was deleted) sat in its own row, not in a cell: that card goes.
    reswap(response, "none" if old_stage_id is not None else "delete")
    return response


def set_status(request, journey_map, action, form) -> bool:
    """Write a quick status change if nobody changed the action meanwhile."""
    new = form.cleaned_data["status"]
    with transaction.atomic():
        saved = versioned_update(
            Action.objects.filter(map=journey_map),
            action.pk,
            form.cleaned_data["version"],
            status=new,
        )
        if saved and new != action.status:
            status = change("status", action.status, new)
            record(journey_map, request.user, "status", action, changes=[status])
    return saved


@require_POST
def action_status(
    request: HttpRequest, org_slug: str, map_id, action_id
) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    action = get_action(journey_map, action_id)
    if action is None:
        if request.htmx:
            return _gone(request, access, journey_map, action_id)
        raise Http404("No such action")
    form = StatusForm(request.POST)
    if not form.is_valid():
        if not request.htmx:
            messages.error(request, _("Pick one of the statuses."))
            return redirect(_map_url(journey_map, f"action-{action.pk}"))
        return _card_fragment(
            request, access, journey_map, action, status=422, invalid=True
        )
    saved = set_status(request, journey_map, action, form)
    fresh = Action.objects.select_related("owner").get(pk=action.pk)
    fresh.map = journey_map
    if not request.htmx:
        if not saved:
            messages.warning(
                request, _("Someone changed this action meanwhile; look again.")
            )
        return redirect(_map_url(journey_map, f"action-{action.pk}"))
    return _card_fragment(
        request,
        access,
        journey_map,
        fresh,
        status=200 if saved else 409,
        changed=not saved,
    )


class _MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


@require_POST
def action_move(request: HttpRequest, org_slug: str, map_id, action_id) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    action = get_action(journey_map, action_id)
    if action is None:
        raise Http404("No such action")
    form = _MoveForm(request.POST)
    if form.is_valid():
        offset = -1 if form.cleaned_data["direction"] == "up" else 1
        siblings = Action.objects.filter(map=journey_map, stage=action.stage_id)
        with transaction.atomic():
            if move(siblings, action.pk, offset):
                record(journey_map, access, "move", action)
    if not request.htmx or action.stage_id is None:
        return redirect(_map_url(journey_map, f"action-{action.pk}"))
    return _cell_fragment(request, access, journey_map, action.stage)


class _ReorderForm(forms.Form):
    order = forms.CharField(required=False)

    def clean_order(self) -> list[str]:
        ids = [pk for pk in self.cleaned_data["order"].split(",") if pk]
        try:
            return [str(uuid.UUID(pk)) for pk in ids]
        except ValueError:
            raise forms.ValidationError("Not an id.") from None


@require_POST
def action_reorder(
    request: HttpRequest, org_slug: str, map_id, stage_id
) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    stage = _get_stage(journey_map, stage_id)
    form = _ReorderForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown order."), status=400)
    with transaction.atomic():
        # One action may arrive from another stage of the same map (dragged across).
        ok, came_from = reorder_with_arrival(
            Action.objects.filter(map=journey_map, stage=stage),
            form.cleaned_data["order"],
            neighbours=Action.objects.filter(map=journey_map),
            list_field="stage",
            list_value=stage,
        )
        if ok:
            # A card link does not follow the action to another stage.
            Action.objects.filter(map=journey_map, stage=stage).exclude(
                card__isnull=True
            ).exclude(card__stage=stage).update(card=None)
            touched = [f"actions:{stage.pk}"]
            if came_from is not None:
                touched.append(f"actions:{came_from.pk}")
            record(
                journey_map,
                request.user,
                "reorder",
                kind="action",
                label=stage.title,
                fragments=touched,
            )
    response = _cell_fragment(
        request, access, journey_map, stage, status=200 if ok else 409
    )
    if came_from is not None and came_from != stage:
        left = _cell_fragment(request, access, journey_map, came_from, oob=True)
        response.content += left.content
    return response


@require_http_methods(["GET", "POST"])
def action_delete(
    request: HttpRequest, org_slug: str, map_id, action_id
) -> HttpResponse:
    access = get_access(request, org_slug)
    journey_map = get_map(access, map_id, Can.EDIT)
    action = get_action(journey_map, action_id)
    if action is None:
        if request.method == "POST" and request.htmx:
            return HttpResponse("")  # someone else deleted it first: same outcome
        raise Http404("No such action")
    return confirmed_delete(request, _action_delete(request, access, action))


def _action_delete(request, access, action) -> Delete:
    journey_map = action.map

    def show_confirm(current, changed, status):
        ctx = _ctx(access, journey_map, action=current, changed=changed)
        if request.htmx:
            template = "maps/actions/lane.html#card_delete"
            return render(request, template, ctx, status=status)
        ctx["deleting"] = True
        return render(request, "maps/actions/action_page.html", ctx, status=status)

    def show_deleted():
        if not request.htmx:
            messages.success(request, _("Action deleted."))
            return redirect(_map_url(journey_map, f"actions-{action.stage_id}"))
        return HttpResponse("")

    return Delete(
        obj=action,
        queryset=Action.objects.filter(map=journey_map),
        show_confirm=show_confirm,
        show_deleted=show_deleted,
        on_delete=lambda: record(journey_map, access, "delete", action),
    )


urlpatterns = [
    path(
        "<uuid:map_id>/stages/<uuid:stage_id>/actions/",
        action_cell,
        name="action_cell",
    ),
    path(
        "<uuid:map_id>/stages/<uuid:stage_id>/actions/add/",
        action_add,
        name="action_add",
    ),
    path(
        "<uuid:map_id>/stages/<uuid:stage_id>/actions/reorder/",
        action_reorder,
        name="action_reorder",
    ),
    path("<uuid:map_id>/actions/<uuid:action_id>/", action_card, name="action_card"),
    path(
        "<uuid:map_id>/actions/<uuid:action_id>/edit/",
        action_edit,
        name="action_edit",
    ),
    path(
        "<uuid:map_id>/actions/<uuid:action_id>/status/",
        action_status,
        name="action_status",
    ),
    path(
        "<uuid:map_id>/actions/<uuid:action_id>/move/",
        action_move,
        name="action_move",
    ),
    path(
        "<uuid:map_id>/actions/<uuid:action_id>/delete/",
        action_delete,
        name="action_delete",
    ),
]


# ---- The actions board -------------------------------------------------------------


def board_actions(organisation, user, data: dict, today):
    """The organisation's actions for the board's filters, overdue first."""
    actions = Action.objects.filter(map__organisation=organisation).select_related(
        "map", "stage", "owner", "card"
    )
    if data.get("map"):
        actions = actions.filter(map_id=data["map"])
    elif not data.get("archived"):
        actions = actions.exclude(map__status=MapStatus.ARCHIVED)
    owner = data.get("owner")
    if owner == "me":
        actions = actions.filter(owner=user)
    elif owner == "none":
        actions = actions.filter(owner__isnull=True)
    elif owner:
        actions = actions.filter(owner_id=owner)
    status = data.get("status")
    if status == BoardFilterForm.UNFINISHED:
        actions = actions.filter(status__in=OPEN_STATUSES)
    elif status:
        actions = actions.filter(status=status)
    unfinished = Q(status__in=OPEN_STATUSES)
    return actions.annotate(
        late=Case(
            When(unfinished & Q(due__lt=today), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        finished=Case(
            When(unfinished, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by(
        "late",
        "finished",
        F("due").asc(nulls_last=True),
        "map__title",
        "stage__position",
        "position",
    )


@require_GET
def action_board(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_access(request, org_slug)
    org = access.organisation
    members = list(members_of(org))
    maps = list(
        JourneyMap.objects.filter(organisation=org)
        .order_by("title")
        .only("id", "title", "status")
    )
    form = BoardFilterForm(request.GET or None, members=members, maps=maps)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    actions = list(board_actions(org, request.user, data, today))
    for action in actions:
        action.map.organisation = org
    mine = data.get("owner") == "me"
    filtered = any(data.get(name) for name in ("owner", "status", "map", "archived"))
    ctx = _ctx(
        access,
        form=form,
        actions=actions,
        board=True,
        mine=mine,
        filtered=filtered,
        has_maps=bool(maps),
        n_overdue=sum(1 for a in actions if a.late == 0),
        next_url=request.get_full_path(),
    )
    if request.htmx and not request.htmx.boosted:
        # The list, and the All / My actions tabs out of band.
        return render(request, "maps/actions/board.html#results", {**ctx, "oob": True})
    return render(request, "maps/actions/board.html", ctx)


@require_POST
def board_status(request: HttpRequest, org_slug: str, action_id) -> HttpResponse:
    access = get_access(request, org_slug)
    action = get_board_action(access, action_id, Can.EDIT)
    journey_map = action.map
    form = StatusForm(request.POST)
    back = reverse("action_board", args=[org_slug])
    if not form.is_valid():
        if not request.htmx:
            messages.error(request, _("Pick one of the statuses."))
            return redirect(back)
        return HttpResponse(_("Pick one of the statuses."), status=422)
    saved = set_status(request, journey_map, action, form)
    if not request.htmx:
        if not saved:
            messages.warning(
                request, _("Someone changed this action meanwhile; look again.")
            )
        after = request.POST.get("next", "")
        return redirect(after if after.startswith(back) else back)
    fresh = (
        Action.objects.select_related("map", "stage", "owner", "card")
        .filter(pk=action.pk)
        .first()
    )
    if fresh is None:
        return HttpResponse("")
    fresh.map.organisation = access.organisation
    after = request.POST.get("next", "")
    ctx = _ctx(
        access,
        action=fresh,
        board=True,
        changed=not saved,
        next_url=after if after.startswith(back) else back,
    )
    return render(
        request,
        "maps/actions/board.html#row",
        ctx,
        status=200 if saved else 409,
    )


board_urlpatterns = [
    path("", action_board, name="action_board"),
    path("<uuid:action_id>/status/", board_status, name="action_board_status"),
]
