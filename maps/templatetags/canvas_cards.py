"""
Template helpers for the canvas cards (templates/maps/canvas/card.html).

A card and a cell are built here with f-strings rather than by the template
engine: a 400-card canvas with nothing kept (maps.canvas.kept) took ~2 ms per
card in the engine, a tenth of that here. Everything a reader types is escaped
with `_e`; labels come escaped from the kit (maps.canvas.cards.card_kit).
"""

import functools
from html import escape

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from maps.canvas import kept

register = template.Library()


def _e(value) -> str:
    """Django's escape(), minus the SafeString and lazy-string overhead."""
    return escape(str(value), quote=True)


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
    return _kit(org_slug, map_pk, get_language(), get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=256)
def _kit(org_slug, map_pk, language, script_prefix, urlconf) -> dict:
    """
    One kit per map and language, shared: the canvas asks for it once per lane
    (the last three arguments only key the cache: card_kit reads them itself).
    Nobody changes a kit.
    """
    from maps.canvas.cards import card_kit

    return card_kit(org_slug, map_pk)


@register.filter
def card_url(prefix: str, pk) -> str:
    """`kit.card|card_url:card.pk`: the card's URL prefix, built once per card."""
    return f"{prefix}{pk}/"


# ---- One card ------------------------------------------------------------------

# The icons of touchpoint cards, drawn once per page (`card_icons`, in
# grid.html) and used by reference: inline, they were a tenth of the canvas.
_CHANNEL_SHAPES = {
    "website": '<circle cx="8" cy="8" r="6.2"/><ellipse cx="8" cy="8" rx="2.6" '
    'ry="6.2"/><path d="M1.8 8h12.4"/>',
    "search": '<circle cx="6.8" cy="6.8" r="4.3"/><path d="M10 10l4.2 4.2"/>',
    "social": '<circle cx="4" cy="8" r="2"/><circle cx="12" cy="3.8" r="2"/>'
    '<circle cx="12" cy="12.2" r="2"/><path d="M5.8 7l4.4-2.3M5.8 9l4.4 2.3"/>',
    "email": '<rect x="1.8" y="3.5" width="12.4" height="9" rx="1.2"/>'
    '<path d="M2.2 4.2L8 8.8l5.8-4.6"/>',
    "phone": '<rect x="4.5" y="1.5" width="7" height="13" rx="1.5"/>'
    '<path d="M7 12.3h2"/>',
    "chat": '<path d="M2 3.5h12v7.5H7l-3.5 3v-3H2z"/>',
    "shop": '<path d="M2 6.5L3.3 2.5h9.4L14 6.5M2.8 6.5v7.5h10.4V6.5M2 6.5h12'
    'M6.5 14v-4h3v4"/>',
    "brochure": '<path d="M3.5 1.8h6l3 3v9.4h-9z"/>'
    '<path d="M9.5 1.8v3h3M5.5 8h5M5.5 10.5h5"/>',
    "event": '<rect x="2" y="3" width="12" height="11" rx="1.2"/>'
    '<path d="M2 6.5h12M5 1.5v3M11 1.5v3"/>',
    "sales_call": '<circle cx="8" cy="5" r="2.8"/>'
    '<path d="M2.5 14.5c.6-3 2.8-4.6 5.5-4.6s4.9 1.6 5.5 4.6"/>',
    "helpdesk": '<path d="M3 9V8a5 5 0 0 1 10 0v1"/>'
    '<rect x="2" y="9" width="3" height="4" rx="1"/>'
    '<rect x="11" y="9" width="3" height="4" rx="1"/>'
    '<path d="M12.5 13c0 1-1.5 1.7-3.5 1.7"/>',
    "delivery": '<path d="M1.5 4h8v7.5h-8zM9.5 6.5h3l2 2.5v2.5h-5"/>'
    '<circle cx="4.5" cy="12" r="1.5"/><circle cx="11.8" cy="12" r="1.5"/>',
    "invoice": '<path d="M3.5 1.8h9v12.4l-1.5-1-1.5 1-1.5-1-1.5 1-1.5-1-1.5 1z"/>'
    '<path d="M6 5.5h4M6 8h4M6 10.5h2.5"/>',
    "other": '<circle cx="8" cy="8" r="6"/><path d="M8 5v6M5 8h6"/>',
}
_EXPERIENCE_MOUTHS = {
    "positive": '<path d="M5.2 9.6c1.5 1.8 4.1 1.8 5.6 0"/>',
    "negative": '<path d="M5.2 11.2c1.5-1.8 4.1-1.8 5.6 0"/>',
    "neutral": '<path d="M5.4 10.2h5.2"/>',
}
CARD_ICONS = (
    '<svg class="card-icons" width="0" height="0" aria-hidden="true" '
    'focusable="false">'
    + "".join(
        f'<symbol id="ch-icon-{name}" viewBox="0 0 16 16"><g fill="none" '
        'stroke="currentColor" stroke-width="1.5" stroke-linecap="round" '
        f'stroke-linejoin="round">{shape}</g></symbol>'
        for name, shape in _CHANNEL_SHAPES.items()
    )
    + "".join(
        f'<symbol id="xp-icon-{name}" viewBox="0 0 16 16"><g fill="none" '
        'stroke="currentColor" stroke-width="1.6" stroke-linecap="round">'
        '<circle cx="8" cy="8" r="6.4"/>'
        '<circle cx="5.8" cy="6.4" r=".6" fill="currentColor"/>'
        f'<circle cx="10.2" cy="6.4" r=".6" fill="currentColor"/>{mouth}</g>'
        "</symbol>"
        for name, mouth in _EXPERIENCE_MOUTHS.items()
    )
    + "</svg>"
)


@register.simple_tag
def card_icons() -> str:
    """The symbols of the touchpoint icons, once per canvas (grid.html)."""
    return mark_safe(CARD_ICONS)  # noqa: S308 (constant markup)


def _icon(css_class: str, size: int, symbol: str) -> str:
    return (
        f'<svg class="{css_class}" width="{size}" height="{size}" aria-hidden="true" '
        f'focusable="false"><use href="#{symbol}"/></svg>'
    )


def _channel_name(card, kit) -> str:
    """Card.channel_label, escaped, without a choices lookup per card."""
    if card.channel == "custom" and card.custom_channel:
        return _e(card.custom_channel)
    return kit["channels"].get(card.channel) or _e(card.channel)


def _touchpoint_head(card, kit) -> str:
    t = kit["html"]
    if not (card.channel or card.moment_of_truth):
        return ""
    head = ['<p class="tp-head">']
    if card.channel:
        shape = card.channel if card.channel in _CHANNEL_SHAPES else "other"
        icon = _icon("channel-icon", 16, f"ch-icon-{shape}")
        head.append(
            f'<span class="channel ch-{_e(card.channel)}">{icon}'
            f'<span class="channel-name">{_channel_name(card, kit)}</span></span>'
        )
    if card.moment_of_truth:
        head.append(
            f'<span class="mot" title="{t["mot"]}"><span aria-hidden="true">★</span>'
            f'<span class="visually-hidden">{t["mot"]}</span></span>'
        )
    head.append("</p>")
    return "".join(head)


def _touchpoint_foot(card, kit) -> str:
    t = kit["html"]
    foot = []
    if card.experience:
        said = kit["experience"].get(card.experience, "")
        mouth = card.experience if card.experience in _EXPERIENCE_MOUTHS else ""
        icon = _icon("xp-icon", 18, f"xp-icon-{mouth or 'neutral'}")
        foot.append(
            f'<span class="xp xp-{_e(card.experience)}" title="{said}">{icon}'
            f'<span class="visually-hidden">{said}</span></span>'
        )
    if card.online is not None:
        foot.append(
            f'<span class="tp-label">{t["online" if card.online else "offline"]}</span>'
        )
    if card.branded is not None:
        if card.branded:
            foot.append(f'<span class="tp-label">{t["branded"]}</span>')
        else:
            foot.append(f'<span class="tp-label is-unbranded">{t["unbranded"]}</span>')
    if card.department:
        foot.append(
            f'<span class="tp-dept" title="{t["department"]}">'
            f'<span class="visually-hidden">{t["department"]}: </span>'
            f"{_e(card.department)}</span>"
        )
    return "".join(foot)


def card_html(card, lane, kit, can_edit) -> str:
    """
    One card (card.html#card). Its tools beyond the edit link come from
    #card_tools on the page, put in by static/js/canvas-cards.js when the card
    is pointed at or focused: the same markup 400 times was half the page.
    Without JS, the edit link opens the card's page, which has them all.
    """
    t = kit["html"]
    kind = lane.kind
    url = f"{kit['card']}{card.pk}/"
    validated = card.n_findings
    classes = (
        f"map-card card-kind-{kind} is-{'validated' if validated else 'assumption'}"
    )
    if kind == "touchpoints" and card.moment_of_truth:
        classes += " is-mot"
    html = [
        f'<li id="card-{card.pk}" class="{classes}" data-card data-card-id="{card.pk}" '
        f'tabindex="-1" aria-describedby="card-keys" '
        f'data-fragment="card:{card.pk}" data-refresh-url="{url}">'
    ]
    if kind == "touchpoints":
        html.append(_touchpoint_head(card, kit))
    html.append(f'<p class="card-text">{_e(card.text)}</p><div class="card-foot">')
    if kind == "touchpoints":
        html.append(_touchpoint_foot(card, kit))
    elif kind in ("pains", "opportunities") and card.impact:
        said = kit["impact"].get(card.impact, "")
        html.append(f'<span class="impact impact-{_e(card.impact)}">{said}</span>')
    if validated:
        count = kit["findings"](validated)
        badge = f'<span aria-hidden="true">✓</span> {count}'
        if can_edit:
            # canvas-cards.js makes it an htmx link with the card's tools.
            html.append(
                f'<a class="evidence-badge is-validated" href="{url}evidence/" '
                f'title="{t["validated"]}" data-card-tool>{badge}</a>'
            )
        else:
            html.append(f'<span class="evidence-badge is-validated">{badge}</span>')
    else:
        html.append(
            f'<span class="evidence-badge is-assumption" title="{t["no_finding"]}">'
            f"{t['assumption']}</span>"
        )
    html.append("</div>")
    if can_edit:
        html.append(
            f'<div class="card-tools"><a class="card-tool" href="{url}edit/" '
            f"data-card-edit>{t['edit']}</a></div>"
        )
    html.append("</li>")
    return "".join(html)


@register.simple_tag(takes_context=True)
def canvas_card(context, card) -> str:
    """card.html#card: `card` in the context's `lane`, with its `kit` and `can_edit`."""
    html = card_html(card, context["lane"], context["kit"], context.get("can_edit"))
    return mark_safe(html)  # noqa: S308 (built from escaped parts)


# ---- Rendered cards and cells, kept by content (maps.canvas.kept) ----------------


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


def _cards_html(cards, lane, kit, can_edit) -> str:
    return "".join(
        kept.cards.get_or_render(
            _card_key(card, lane, kit, can_edit),
            lambda card=card: card_html(card, lane, kit, can_edit),
        )
        for card in cards
    )


@register.simple_tag(takes_context=True)
def card_list(context, cards) -> str:
    """The cards of one cell: card.html#card for each, each kept by content."""
    lane, kit, can_edit = context["lane"], context["kit"], context.get("can_edit")
    # Each part is built from escaped parts.
    return mark_safe(_cards_html(cards, lane, kit, can_edit))  # noqa: S308


OOB = ' hx-swap-oob="true"'


def cell_html(context, stage, lane, cards) -> str:
    """
    One cell (card.html#cell): its cards and, for editors, the "+ Add" link, or
    the add form (card.html#cell_add) when `add_open` says so.
    """
    kit, can_edit = context["kit"], context.get("can_edit")
    cell_id = f"cell-{lane.pk}-{stage.pk}"
    cell_url = f"{kit['cell']}{stage.pk}/{lane.pk}/"
    # For editors the list is sortable; canvas-cards.js gives it the rest of
    # what cards.js needs (group, reorder URL and values) from the cell and
    # from #canvas, and makes the "+ Add" link an htmx one.
    html = [
        f'<td id="{cell_id}" class="cell card-cell{"" if cards else " is-empty"}" '
        f'data-cell data-stage="{stage.pk}" data-lane="{lane.pk}" tabindex="-1"'
        f"{OOB if context.get('oob') else ''} "
        f'data-fragment="cell:{lane.pk}:{stage.pk}" data-refresh-url="{cell_url}">'
        f'<ol class="cell-cards"{" data-sortable" if can_edit else ""}>',
        _cards_html(cards, lane, kit, can_edit),
        "</ol>",
    ]
    if can_edit:
        if context.get("add_open"):
            form = get_template("maps/canvas/card.html#cell_add").template
            with context.push(stage=stage, lane=lane, cards=cards):
                html.append(form.render(context))
        # No href: the add form needs JS (the cell view sends browsers
        # without it back to the map), and canvas-cards.js gives it one.
        html.append(
            '<a class="cell-add-toggle" tabindex="-1" data-cell-add-open>'
            f'<span aria-hidden="true">+</span> {kit["html"]["add"]}</a>'
        )
    html.append("</td>")
    return "".join(html)


@register.simple_tag(takes_context=True)
def card_cell(context, stage, lane, cards) -> str:
    """card.html#cell for one stage and card lane."""
    return mark_safe(cell_html(context, stage, lane, cards))  # noqa: S308


@register.simple_tag(takes_context=True)
def card_cells(context, row, stages) -> str:
    """
    The cells of one card lane (card.html#cell), each kept by content: its
    place, the reader, and the keys of the cards in it (maps.canvas.kept).
    """
    lane, kit, can_edit = context["lane"], context["kit"], context.get("can_edit")
    language = get_language()
    # A cell with an open form or an out-of-band flag is a one-off.
    one_off = any(context.get(n) for n in ("add_open", "add_form", "oob"))
    parts = []
    for stage, cards in zip(stages, row.cells, strict=True):
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
        parts.append(
            kept.cells.get_or_render(
                key,
                lambda stage=stage, cards=cards: cell_html(context, stage, lane, cards),
            )
        )
    # Each part is built from escaped parts.
    return mark_safe("".join(parts))  # noqa: S308
