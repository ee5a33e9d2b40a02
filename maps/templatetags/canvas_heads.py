"""
Stage headers and lane labels of the canvas, kept by content (maps.canvas.kept): a
12 × 10 canvas has 22 of them, each with its tools and forms.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from maps.canvas import kept

register = template.Library()


def _reader(context) -> tuple:
    return (
        get_language(),
        context["org"].slug,
        context["map"].pk,
        bool(context.get("can_edit")),
    )


@register.simple_tag(takes_context=True)
def stage_body(context, stage) -> str:
    """maps/structure/stage.html#body for `stage`."""
    key = (
        "stage",
        stage.pk,
        stage.title,
        stage.customer_goal,
        stage.description,
        stage.position == 0,  # the first stage also offers "insert before"
        *_reader(context),
    )
    name = "maps/structure/stage.html#body"
    html = kept.render_kept(kept.heads, key, context, name, stage=stage)
    return mark_safe(html)  # noqa: S308 (a rendered template, escaped already)


@register.simple_tag(takes_context=True)
def lane_body(context, lane) -> str:
    """maps/structure/lane.html#body for `lane`."""
    key = ("lane", lane.pk, lane.title, lane.kind, *_reader(context))
    name = "maps/structure/lane.html#body"
    html = kept.render_kept(kept.heads, key, context, name, lane=lane)
    return mark_safe(html)  # noqa: S308 (a rendered template, escaped already)
