"""Template helpers for follow-up actions (templates/maps/actions/)."""

import functools
import uuid
from html import escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maps.actions.views import is_overdue
from maps.canvas import kept
from maps.models import ActionStatus

register = template.Library()


@register.filter
def overdue(action) -> bool:
    """Open or in progress, and its due date has passed."""
    return is_overdue(action)


@register.filter
def initials(user) -> str:
    name = user.get_full_name() or user.get_username()
    parts = name.split()
    if len(parts) > 1:
        return (parts[0][:1] + parts[-1][:1]).upper()
    return name[:1].upper()


@register.simple_tag
def action_statuses():
    """(value, label) pairs for the quick status select."""
    return ActionStatus.choices


def _action_key(action, context) -> tuple:
    owner = action.owner
    return (
        action.pk,
        action.version,
        action.stage_id,
        hash((action.title, action.status, action.due, action.evaluation)),
        owner and (owner.pk, owner.get_username(), owner.get_full_name()),
        timezone.localdate(),  # "overdue" changes at midnight
        get_language(),
        context["org"].slug,
        context["map"].pk,
        bool(context.get("can_edit")),
    )


@register.simple_tag(takes_context=True)
def action_cards(context, actions) -> str:
    """The actions of one cell: maps/actions/lane.html#card each, kept by content."""
    template = get_template("maps/actions/lane.html#card").template
    # A card with a message ("changed meanwhile") is a one-off, from the template.
    one_off = context.get("changed") or context.get("invalid")
    if not one_off:
        kit = _action_kit(
            context["org"].slug,
            context["map"].pk,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
        )
        can_edit = bool(context.get("can_edit"))
        today = timezone.localdate()
    parts = []
    for action in actions:

        def render(action=action) -> str:
            if not one_off:
                return action_html(action, kit, can_edit, today)
            with context.push(action=action):
                return template.render(context)

        key = None if one_off else _action_key(action, context)
        parts.append(kept.actions.get_or_render(key, render))
    # Each part is built from escaped parts.
    return mark_safe("".join(parts))  # noqa: S308


# ---- One action, built in Python -----------------------------------------------
# maps/actions/lane.html#card, as f-strings: with nothing kept, the template
# engine took ~3 ms per action on the canvas (five {% url %} each). The views
# that answer with one action keep rendering the template;
# tests/maps/test_action_html.py holds the two to the same HTML.

_ZERO = uuid.UUID(int=0)
TABBABLE = ' tabindex="0"'


@functools.lru_cache(maxsize=256)
def _action_kit(org_slug: str, map_pk, language, script_prefix, urlconf) -> dict:
    """
    The URL prefix and escaped labels of one map's actions, in one language
    (the last three only key the cache: `reverse` and `_` read them themselves).
    """
    prefix = reverse("action_card", args=[org_slug, map_pk, _ZERO]).removesuffix(
        f"{_ZERO}/"
    )
    labels = {
        "open": _("Open and edit"),
        "owner": _("Owner:"),
        "no_owner": _("No owner"),
        "due": _("Due:"),
        "overdue": _("Overdue"),
        "evaluation": _("Evaluation:"),
        "evaluate": _("Done: what came of it? Add an evaluation"),
    }
    return {"url": prefix, **{name: escape(text) for name, text in labels.items()}}


def _owner_html(owner, kit) -> str:
    if owner is None:
        return f'<span class="action-owner muted">{kit["no_owner"]}</span>'
    return (
        '<span class="action-owner"><span class="avatar avatar-small" '
        f'aria-hidden="true">{escape(initials(owner))}</span>'
        f'<span class="visually-hidden">{kit["owner"]} </span>'
        f"{escape(owner.get_username())}</span>"
    )


def action_html(action, kit, can_edit: bool, today) -> str:
    """lane.html#card for `action` (without the one-off messages)."""
    pk = action.pk
    url = f"{kit['url']}{pk}/"
    title = escape(action.title)
    late = is_overdue(action, today)
    html = [
        f'\n<li id="action-{pk}" class="action-card action-{escape(action.status)}'
        f'{" is-overdue" if late else ""}" data-card data-card-id="{pk}"'
        f'{TABBABLE if can_edit else ""} data-fragment="action:{pk}" '
        f'data-refresh-url="{url}">\n'
    ]
    # The drag handle, hx-get and the tools come from actions.js (lane.html#tools).
    if can_edit:
        html.append(
            f'<p class="action-title"><a href="{url}edit/" data-card-edit '
            f'title="{kit["open"]}">{title}</a></p>'
        )
    else:
        html.append(f'<p class="action-title">{title}</p>')
    html.append('\n<p class="action-meta">\n')
    html.append(_owner_html(action.owner, kit))
    html.append("\n")
    if action.due:
        html.append(
            '<span class="action-due"><span class="visually-hidden">'
            f'{kit["due"]} </span><time datetime="{action.due.isoformat()}">'
            f"{escape(date_filter(action.due, 'DATE_FORMAT'))}</time></span>"
        )
    html.append("\n")
    if late:
        html.append(f'<span class="overdue-label">{kit["overdue"]}</span>')
    html.append("\n</p>\n")
    if action.status == "done":
        if action.evaluation:
            html.append(
                '<p class="action-evaluation"><span class="action-evaluation-label">'
                f"{kit['evaluation']}</span> {escape(action.evaluation)}</p>\n"
            )
        elif can_edit:
            html.append(
                '<p class="action-evaluation-missing small">'
                f'<a href="{url}edit/">{kit["evaluate"]}</a></p>\n'
            )
    status = escape(action.status)
    html.append(
        '<div class="action-foot"><span class="action-status '
        f'status-{status}">{escape(action.get_status_display())}</span></div>\n'
        "</li>\n"
    )
    return "".join(html)
