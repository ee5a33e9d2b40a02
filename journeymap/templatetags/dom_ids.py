"""`{% dom_id "#cell" lane.pk stage.pk as target %}`: "#cell-<lane>-<stage>"."""

from django import template

register = template.Library()


@register.simple_tag
def dom_id(prefix, *parts) -> str:
    """An element id (or selector) from a prefix and the ids it is made of."""
    return "-".join([str(prefix), *(str(part) for part in parts)])
