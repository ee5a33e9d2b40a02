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


@register.simple_tag(name="card_kit")
def card_kit_tag(org_slug, map_pk) -> dict:
    """URL prefixes and labels for the cards of one map (maps.cards.card_kit)."""
    from maps.cards import card_kit

    return card_kit(org_slug, map_pk)


@register.filter
def card_url(prefix: str, pk) -> str:
    """`kit.card|card_url:card.pk`: the card's URL prefix, built once per card."""
    return f"{prefix}{pk}/"
