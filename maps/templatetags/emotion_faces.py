"""
The five face buttons of one persona in one stage, built in Python: a canvas
with 12 stages and 3 personas has 180 of them, which Django's template engine
renders several times slower than format_html does.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maps.canvas import kept
from maps.models import EmotionScore

register = template.Library()


@register.simple_tag
def emotion_faces(point) -> str:
    """
    Submit buttons very negative … very positive (+ clear when set), for a form
    (a button's type is "submit" unless it says otherwise).
    """
    who = point.series.name
    current = point.score
    tabbable = current if current is not None else 0
    rows = []
    for score, label in EmotionScore.choices:
        rows.append(
            (
                score,
                score,
                score,
                "true" if score == current else "false",
                f"{who}: {str(label).lower()}",
                label,
                "0" if score == tabbable else "-1",
                score,
            )
        )
    faces = format_html_join(
        "",
        '<button name="score" value="{}" class="face face-{}" '
        'data-score="{}" aria-pressed="{}" aria-label="{}" title="{}" tabindex="{}">'
        '<svg class="face-icon" aria-hidden="true"><use href="#emo-face{}"/></svg>'
        "</button>",
        rows,
    )
    if current is None:
        return faces
    clear = format_html(
        '<button name="score" value="" class="face-clear" '
        'data-score-clear aria-label="{}" title="{}" tabindex="-1">'
        '<span aria-hidden="true">×</span></button>',
        _("%(who)s: clear") % {"who": who},
        _("Clear (0)"),
    )
    return faces + clear


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


@register.simple_tag(takes_context=True)
def emotion_entries(context, column) -> str:
    """
    Each persona's entry in one stage (emotion_row.html#entry), kept by content
    (maps.canvas.kept): a 12-stage, 3-persona lane has 36 of them. The kept HTML has a
    marker where the CSRF token goes, and this request's token replaces it.
    """
    parts = []
    for point in column.points:
        # A one-off message is not worth keeping.
        key = _entry_key(context, column, point) if not point.error else None
        name = "maps/canvas/emotion_row.html#entry"
        parts.append(kept.render_kept(kept.emotions, key, context, name, point=point))
    html = "".join(parts)
    # Each part is a rendered template, escaped already.
    return mark_safe(html)  # noqa: S308
