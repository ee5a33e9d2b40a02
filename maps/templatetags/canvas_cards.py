"""Template helpers for the canvas cards (templates/maps/canvas/card.html)."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from maps.canvas import kept

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
    """URL prefixes and labels for the cards of one map (maps.canvas.cards.card_kit)."""
    from maps.canvas.cards import card_kit

    return card_kit(org_slug, map_pk)


@register.filter
def card_url(prefix: str, pk) -> str:
    """`kit.card|card_url:card.pk`: the card's URL prefix, built once per card."""
    return f"{prefix}{pk}/"


# ---- Rendered cards, kept by content (maps.canvas.kept) ------------------------


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
    parts = []
    for card in cards:

        def render(card=card) -> str:
            with context.push(card=card):
                return template.render(context)

        parts.append(
            kept.cards.get_or_render(_card_key(card, lane, kit, can_edit), render)
        )
    # Each part is a rendered template, escaped already.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag(takes_context=True)
def card_cells(context, row, stages) -> str:
    """
    The cells of one card lane (card.html#cell), each kept by content: its
    place, the reader, and the keys of the cards in it (maps.canvas.kept).
    """
    template = get_template("maps/canvas/card.html#cell").template
    lane, kit, can_edit = context["lane"], context["kit"], context.get("can_edit")
    language = get_language()
    parts = []
    for stage, cards in zip(stages, row.cells, strict=True):

        def render(stage=stage, cards=cards) -> str:
            with context.push(stage=stage, cards=cards):
                return template.render(context)

        # A cell with an open form or an out-of-band flag is a one-off.
        one_off = any(context.get(n) for n in ("add_open", "add_form", "oob"))
        key = (
            None
            if one_off
            else (
                stage.pk,
                lane.pk,
                lane.kind,
                context["map"].pk,
                tuple(_card_key(card, lane, kit, can_edit) for card in cards),
                bool(can_edit),
                language,
                kit["cell"],
            )
        )
        parts.append(kept.cells.get_or_render(key, render))
    # Each part is a rendered template, escaped already.
    return mark_safe("".join(parts))  # noqa: S308
