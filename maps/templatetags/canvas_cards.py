"""Template helpers for the canvas cards (templates/maps/canvas/card.html)."""

from django import template

register = template.Library()


@register.filter
def at(items, index):
    """`items[index]`, or None: pairs a row's cells with their stages."""
    try:
        return items[index]
    except (IndexError, KeyError, TypeError):
        return None


@register.simple_tag
def card_choices() -> dict:
    """Channel and impact choices for the quick-add forms in the cells."""
    from maps.models import Channel, Impact

    return {"channels": Channel.choices, "impacts": Impact.choices}
