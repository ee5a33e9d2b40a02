"""Template helpers for follow-up actions (templates/maps/actions/)."""

from django import template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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
    parts = []
    for action in actions:

        def render(action=action) -> str:
            with context.push(action=action):
                return template.render(context)

        # A card with a message ("changed meanwhile") is a one-off.
        one_off = context.get("changed") or context.get("invalid")
        key = None if one_off else _action_key(action, context)
        parts.append(kept.actions.get_or_render(key, render))
    # Each part is a rendered template, escaped already.
    return mark_safe("".join(parts))  # noqa: S308
