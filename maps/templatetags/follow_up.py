"""Template helpers for follow-up actions (templates/maps/actions/)."""

from django import template

from maps.actions import is_overdue
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
