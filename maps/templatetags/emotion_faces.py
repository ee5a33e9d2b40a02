"""
The five face buttons of one persona in one stage, built in Python: a canvas
with 12 stages and 3 personas has 180 of them, which Django's template engine
renders several times slower than format_html does.
"""

import functools
import uuid
from html import escape

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maps.canvas import kept
from maps.models import EmotionScore

register = template.Library()


@functools.lru_cache(maxsize=16)
def _scale(language) -> tuple:
    """(score, label, label in lower case), escaped, very negative first."""
    return tuple(
        (score, escape(str(label)), escape(str(label).lower()))
        for score, label in EmotionScore.choices
    )


@register.simple_tag
def emotion_faces(point) -> str:
    """
    Submit buttons very negative … very positive (+ clear when set), for a form
    (a button's type is "submit" unless it says otherwise).
    """
    who = escape(point.series.name)
    current = point.score
    tabbable = current if current is not None else 0
    faces = "".join(
        f'<button name="score" value="{score}" class="face face-{score}" '
        f'data-score="{score}" '
        f'aria-pressed="{"true" if score == current else "false"}" '
        f'aria-label="{who}: {lower}" title="{label}" '
        f'tabindex="{"0" if score == tabbable else "-1"}">'
        '<svg class="face-icon" aria-hidden="true">'
        f'<use href="#emo-face{score}"/></svg></button>'
        for score, label, lower in _scale(get_language())
    )
    if current is not None:
        faces += (
            '<button name="score" value="" class="face-clear" data-score-clear '
            f'aria-label="{escape(_("%(who)s: clear") % {"who": point.series.name})}" '
            f'title="{escape(_("Clear (0)"))}" tabindex="-1">'
            '<span aria-hidden="true">×</span></button>'
        )
    # Built from escaped parts.
    return mark_safe(faces)  # noqa: S308


def _entry_key(context, column, point) -> tuple:
    series, emotion = point.series, point.emotion
    return (
        column.stage.pk,
        column.stage.title,
        context["row"].lane.pk,
        series.index,
        series.key,
        series.name,
        len(context["curve"].series),
        emotion and (emotion.pk, emotion.score, emotion.note),
        get_language(),
        context["org"].slug,
        context["map"].pk,
        bool(context.get("can_edit")),
    )


# ---- One persona's entry, built in Python ----------------------------------------
# emotion_row.html's #entry and #note were template partials; as f-strings a
# 36-entry lane renders in a tenth of the time when nothing is kept.

_ZERO = uuid.UUID(int=0)


@functools.lru_cache(maxsize=256)
def _prefixes(org_slug, map_pk, script_prefix=None, urlconf=None) -> tuple[str, str]:
    """
    URL prefixes for setting a stage's score and editing a note (the last two
    arguments only key the cache: `reverse` reads them itself).
    """
    set_url = reverse("map_emotion_set", args=[org_slug, map_pk, _ZERO])
    note_url = reverse("map_emotion_note", args=[org_slug, map_pk, _ZERO])
    return set_url.split(str(_ZERO))[0], note_url.split(str(_ZERO))[0]


def _note_html(emotion, who, stage, lane_pk, note_prefix, can_edit) -> str:
    note = escape(emotion.note)
    html = [f'<div class="emotion-note" id="emotion-note-{emotion.pk}">']
    if can_edit:
        url = f"{note_prefix}{emotion.pk}/note/?lane={lane_pk}"
        if emotion.note:
            label = _("Edit the note of %(who)s in %(stage)s: %(note)s") % {
                "who": who,
                "stage": stage,
                "note": note,
            }
        else:
            label = _("Add a note for %(who)s in %(stage)s") % {
                "who": who,
                "stage": stage,
            }
        html.append(
            f'<a class="emotion-note-edit{"" if emotion.note else " is-empty"}" '
            f'href="{url}" hx-get="{url}" hx-target="#emotion-note-{emotion.pk}" '
            f'hx-swap="outerHTML" aria-label="{label}">'
            f"{note or escape(_('+ Note'))}</a>"
        )
    elif emotion.note:
        html.append(f"<p>{note}</p>")
    html.append("</div>")
    return "".join(html)


def entry_html(context, column, point, csrf_token, prefixes) -> str:
    """One persona's feeling in one stage: faces (or the score) and note."""
    can_edit = bool(context.get("can_edit"))
    lane_pk = context["row"].lane.pk
    who = escape(point.series.name)
    stage = escape(column.stage.title)
    key = escape(point.series.key)
    emotion = point.emotion
    classes = f"emotion is-set emotion-{point.score}" if emotion else "emotion"
    cleared = _("%(who)s, %(stage)s: not set") % {"who": who, "stage": stage}
    html = [
        f'<div class="{classes}" data-emotion data-card-errors data-persona="{key}" '
        f'data-cleared="{cleared}">\n'
    ]
    if len(context["curve"].series) > 1 or point.series.persona:
        html.append(
            '<p class="emotion-who"><svg class="curve-swatch" width="34" height="12" '
            f'aria-hidden="true"><use href="#emo-swatch-{point.series.index}"/></svg>'
            f"<span>{who}</span></p>\n"
        )
    if can_edit:
        set_url = f"{prefixes[0]}{column.stage.pk}/emotion/"
        token = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
            if csrf_token and csrf_token != "NOTPROVIDED"
            else ""
        )
        feels = _("How %(who)s feels in %(stage)s") % {"who": who, "stage": stage}
        html.append(
            f'<form class="emotion-scale" method="post" action="{set_url}" '
            f'hx-post="{set_url}" hx-target="#lane-{lane_pk}" hx-swap="outerHTML" '
            f"data-emotion-scale>\n{token}\n"
            f'<input type="hidden" name="persona" value="{key}">\n'
            f'<input type="hidden" name="lane" value="{lane_pk}">\n'
            f'<div class="faces" role="group" aria-label="{feels}">\n'
            f"{emotion_faces(point)}\n</div>\n"
            f'<p class="emotion-keys small" aria-hidden="true">'
            f"{escape(_('1–5 sets · 0 clears'))}</p>\n</form>\n"
        )
    elif emotion:
        score = point.score
        html.append(
            f'<p class="emotion-read"><span class="face face-{score}" '
            f'aria-hidden="true"><svg class="face-icon" focusable="false">'
            f'<use href="#emo-face{score}"/></svg></span> '
            f"<span>{escape(point.label)}</span></p>\n"
        )
    else:
        html.append(
            '<p class="emotion-read"><span class="muted small">'
            f"{escape(_('No feeling noted'))}</span></p>\n"
        )
    if point.error:
        html.append(f'<p class="card-error" role="alert">{escape(point.error)}</p>\n')
    if emotion:
        html.append(_note_html(emotion, who, stage, lane_pk, prefixes[1], can_edit))
    elif can_edit:
        html.append('<div class="emotion-note"></div>')
    html.append("\n</div>\n")
    return "".join(html)


@register.simple_tag(takes_context=True)
def emotion_entries(context, column) -> str:
    """
    Each persona's entry in one stage (entry_html), kept by content
    (maps.canvas.kept): a 12-stage, 3-persona lane has 36 of them. The kept HTML has a
    marker where the CSRF token goes, and this request's token replaces it.
    """
    prefixes = _prefixes(
        context["org"].slug, context["map"].pk, get_script_prefix(), get_urlconf()
    )
    token = context.get("csrf_token")
    token = str(token) if token else ""
    parts = []
    for point in column.points:
        # A one-off message is not worth keeping.
        if point.error:
            parts.append(entry_html(context, column, point, token, prefixes))
            continue
        html = kept.emotions.get_or_render(
            _entry_key(context, column, point),
            lambda point=point: entry_html(
                context, column, point, kept.CSRF_MARKER, prefixes
            ),
        )
        # The token is letters and digits (django.middleware.csrf).
        parts.append(html.replace(kept.CSRF_MARKER, token))
    # Each part is built from escaped parts.
    return mark_safe("".join(parts))  # noqa: S308


@register.simple_tag(takes_context=True)
def curve_slice(context, column, first) -> str:
    """
    maps/canvas/curve.html for one stage column, kept by what it draws: the
    twelve slices of a canvas were a tenth of its render with nothing else to
    do. (The PDF includes curve.html itself.)
    """
    key = (
        "curve",
        column.stage.pk,
        column.stage.title,
        tuple(
            (p.series.index, p.series.name, p.series.key, p.score, p.x, p.left, p.right)
            for p in column.points
        ),
        bool(first),
        context.get("axis_font"),
        get_language(),
    )
    template = get_template("maps/canvas/curve.html").template

    def render() -> str:
        with context.push(column=column, first=first):
            return template.render(context)

    # A rendered template, escaped already.
    return mark_safe(kept.emotions.get_or_render(key, render))  # noqa: S308
