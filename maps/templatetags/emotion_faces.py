"""
The five face buttons of one persona in one stage, built in Python: a canvas
with 12 stages and 3 personas has 180 of them, which Django's template engine
renders several times slower than format_html does.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from maps.models import EmotionScore

register = template.Library()


@register.simple_tag
def emotion_faces(point) -> str:
    """Submit buttons very negative … very positive (+ clear when set), for a form."""
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
        '<button type="submit" name="score" value="{}" class="face face-{}" '
        'data-score="{}" aria-pressed="{}" aria-label="{}" title="{}" tabindex="{}">'
        '<svg class="face-icon" aria-hidden="true" focusable="false">'
        '<use href="#emo-face{}"/></svg></button>',
        rows,
    )
    if current is None:
        return faces
    clear = format_html(
        '<button type="submit" name="score" value="" class="face-clear" '
        'data-score-clear aria-label="{}" title="{}" tabindex="-1">'
        '<span aria-hidden="true">×</span></button>',
        _("%(who)s: clear") % {"who": who},
        _("Clear (0)"),
    )
    return faces + clear
