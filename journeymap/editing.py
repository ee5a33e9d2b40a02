"""
Edits that several people make at once, without silently losing any.

Every editable row carries a `version`. A write only lands when the row still
has the version the editor started from; otherwise the view answers 409 with a
conflict fragment that shows the other person's text beside yours and lets you
keep theirs or overwrite with yours. Research entries use this now; the journey
canvas uses it for stages, lanes and cards. The browser side is
static/js/cards.js (inline edit, reorder, delete confirmation, 409 swapping).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class VersionForm(forms.Form):
    """Mix into any edit form: the version the editor started from."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": _("This form is out of date; reload the page.")},
    )


def versioned_update(queryset: models.QuerySet, pk, version: int, **fields) -> bool:
    """
    Write `fields` to row `pk` only if it still has `version`; bump the version.
    False means someone else saved first (or deleted the row): show a conflict.
    """
    updated = queryset.filter(pk=pk, version=version).update(
        version=F("version") + 1, **fields
    )
    return updated == 1


def posted_version(request: HttpRequest) -> int:
    """The version a delete confirmation was shown at; -1 (matches no row) if absent."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def versioned_delete(queryset: models.QuerySet, pk, version: int) -> bool:
    """Delete row `pk` only if nobody changed it since the editor saw `version`."""
    deleted, _per_model = queryset.filter(pk=pk, version=version).delete()
    return deleted > 0


def bump_version(queryset: models.QuerySet, pk, version: int) -> bool:
    """Claim the row for a change stored elsewhere (say, its many-to-many links)."""
    return versioned_update(queryset, pk, version)


@transaction.atomic
def reorder(queryset: models.QuerySet, ordered_ids: Sequence, field="position") -> bool:
    """
    Renumber the rows of `queryset` (one list: one area, one lane...) in the
    order of `ordered_ids`. The ids must be exactly the list's rows, so a stale
    page cannot drop or duplicate a card; False when they are not.

    Positions are layout, not content: reordering does not bump versions, so
    moving a card never turns someone's text edit into a conflict.
    """
    rows = {str(row.pk): row for row in queryset.select_for_update()}
    wanted = [str(pk) for pk in ordered_ids]
    if sorted(wanted) != sorted(rows):
        return False
    changed = []
    for position, pk in enumerate(wanted):
        row = rows[pk]
        if getattr(row, field) != position:
            setattr(row, field, position)
            changed.append(row)
    queryset.model.objects.bulk_update(changed, [field])
    return True


@transaction.atomic
def reorder_with_arrival(
    queryset: models.QuerySet,
    ordered_ids: Sequence,
    *,
    neighbours: models.QuerySet,
    list_field: str,
    list_value,
    field="position",
) -> tuple[bool, object]:
    """
    Like `reorder`, but one id may come from a neighbouring list (a card dragged
    from one area or lane into another): it joins this list first, by setting
    `list_field` to `list_value`. `neighbours` scopes where it may come from
    (the same persona, the same map). Returns (ok, the list it came from or None).
    """
    current = {str(pk) for pk in queryset.values_list("pk", flat=True)}
    wanted = [str(pk) for pk in ordered_ids]
    arrivals = [pk for pk in wanted if pk not in current]
    if len(arrivals) != 1 or set(wanted) - {arrivals[0]} != current:
        return reorder(queryset, wanted, field), None
    row = neighbours.select_for_update().filter(pk=arrivals[0]).first()
    if row is None:
        return False, None
    came_from = getattr(row, list_field)
    neighbours.filter(pk=row.pk).update(**{list_field: list_value})
    return reorder(queryset, wanted, field), came_from


def move(queryset: models.QuerySet, pk, offset: int, field="position") -> bool:
    """
    Move row `pk` by `offset` places within its list (keyboard reordering).
    `queryset` is the list in its display order.
    """
    ids = [str(i) for i in queryset.values_list("pk", flat=True)]
    if str(pk) not in ids:
        return False
    old = ids.index(str(pk))
    new = max(0, min(len(ids) - 1, old + offset))
    ids.insert(new, ids.pop(old))
    return reorder(queryset, ids, field)


@dataclass
class Clash:
    """One field as it is now in the database (theirs) and as you sent it (yours)."""

    label: str
    theirs: str
    yours: str


def _shown(instance: models.Model, name: str, value) -> str:
    field = instance._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value or ""))
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def clashes(current: models.Model, yours: dict, names: Iterable[str]) -> list[Clash]:
    """The fields where `yours` differs from `current`, for the conflict view."""
    result = []
    for name in names:
        theirs = _shown(current, name, getattr(current, name))
        mine = _shown(current, name, yours.get(name))
        if theirs != mine:
            label = str(current._meta.get_field(name).verbose_name)
            result.append(Clash(label[:1].upper() + label[1:], theirs, mine))
    return result


def conflict_response(
    request: HttpRequest,
    *,
    target_id: str,
    clashes: list[Clash],
    keep_url: str,
    overwrite_url: str,
    overwrite_values: list[tuple[str, str]],
    current_version: int | None,
) -> HttpResponse:
    """
    409 with a fragment that replaces #target_id: their text beside yours, a
    "keep theirs" link (re-fetches the current fragment) and an "overwrite with
    mine" form (re-sends your values against the current version).
    `current_version` None means the row is gone: only "keep theirs" remains.
    """
    ctx = {
        "target_id": target_id,
        "clashes": clashes,
        "keep_url": keep_url,
        "overwrite_url": overwrite_url,
        "overwrite_values": overwrite_values,
        "current_version": current_version,
    }
    return render(request, "editing/conflict.html#conflict", ctx, status=409)
