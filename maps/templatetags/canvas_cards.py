"""Template helpers for the canvas cards (templates/maps/canvas/card.html)."""

import threading
from collections import OrderedDict

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


# ---- Rendered cards, kept by content --------------------------------------
# A 400-card canvas spends most of its render time on the cards themselves. A
# card's HTML depends only on what is in the key below (its fields, its cell,
# the lane kind, the language, the URL prefix and whether the reader may edit),
# so it is kept per process under that key: a changed card has a new key, and
# nothing can go stale. The HTML holds no per-user or per-request data (no CSRF
# token: htmx sends it as a header). Off with DEBUG, so template edits show.
_CARDS_KEPT = 5000
_cards: OrderedDict = OrderedDict()
_cards_lock = threading.Lock()


def _card_key(card, lane, kit, can_edit) -> tuple:
    return (
        card.pk,
        card.version,
        card.n_findings,
        card.stage_id,
        lane.pk,
        lane.kind,
        hash(
            (
                card.text,
                card.channel,
                card.custom_channel,
                card.online,
                card.branded,
                card.department,
                card.experience,
                card.moment_of_truth,
                card.impact,
            )
        ),
        get_language(),
        kit["card"],
        bool(can_edit),
    )


@register.simple_tag(takes_context=True)
def card_list(context, cards) -> str:
    """The cards of one cell: maps/canvas/card.html#card for each."""
    template = get_template("maps/canvas/card.html#card").template
    lane, kit, can_edit = context["lane"], context["kit"], context.get("can_edit")
    keep = not settings.DEBUG
    parts = []
    for card in cards:
        key = _card_key(card, lane, kit, can_edit) if keep else None
        html = _cards.get(key) if keep else None
        if html is None:
            with context.push(card=card):
                html = template.render(context)
            if keep:
                with _cards_lock:
                    _cards[key] = html
                    if len(_cards) > _CARDS_KEPT:
                        _cards.popitem(last=False)
        parts.append(html)
    # Each part is a rendered template, escaped already.
    return mark_safe("".join(parts))  # noqa: S308
