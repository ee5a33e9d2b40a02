"""
Edits that several people make at once, without silently losing any.

Every editable row carries a `version`. A write only lands when the row still
has the version the editor started from; otherwise the view answers 409 with a
conflict fragment that shows the other person's text beside yours and lets you
keep theirs or overwrite with yours. Research entries use this now; the journey
canvas uses it for stages, lanes and cards. The browser side is
static/js/cards.js (inline edit, reorder, delete confirmation, 409 swapping).
"""

import datetime
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from journeymap.access import display_name


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


def plain(value):
    """A value as the activity log keeps it: JSON, readable without the database."""
    if isinstance(value, models.Model):
        return name_of(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return [plain(v) for v in value]
    return value


def change(name: str, before, after) -> dict:
    return {"field": name, "before": plain(before), "after": plain(after)}


def field_changes(instance: models.Model, values: dict, names=None) -> list[dict]:
    """The fields of `instance` that `values` changes, as activity changes."""
    result = []
    for name in names if names is not None else values:
        before, after = plain(getattr(instance, name)), plain(values[name])
        if before != after:
            result.append({"field": name, "before": before, "after": after})
    return result


def name_of(obj) -> str:
    """What an object is called: a person's name, a title, a card's text."""
    if obj is None:
        return ""
    if hasattr(obj, "get_full_name"):
        return display_name(obj)
    for name in ("title", "text", "name"):
        value = getattr(obj, name, None)
        if isinstance(value, str):
            return value
    return str(obj)


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
    # Dates as every page shows them: the reader's locale's format.
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
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


# ---- The edit skeleton ----------------------------------------------------------


@dataclass
class Edit:
    """
    What one versioned edit of one object needs to know; `versioned_edit` does
    the rest. The `show_*` callables render the answers, so each view keeps its
    own fragments and pages.
    """

    obj: models.Model
    # Where the row lives, scoped (the map's stages, the persona's entries).
    queryset: models.QuerySet
    form_class: type[forms.Form]
    # (form, status) -> the form open (200) or with its errors (422).
    show_form: Callable[[forms.Form, int], HttpResponse]
    # (the saved object) -> the fragment or the page after saving.
    show_saved: Callable[[models.Model], HttpResponse]
    # The row was deleted meanwhile.
    show_gone: Callable[[], HttpResponse]
    # The conflict fragment replaces #target; "keep theirs" fetches keep_url,
    # "overwrite with mine" posts to edit_url again.
    target: str
    keep_url: str
    edit_url: str
    # The form fields written to the row (and logged, and compared on a clash).
    fields: Sequence[str] = ()
    # form -> the values to write, or None after adding errors to the form.
    # Default: the cleaned `fields`.
    values: Callable[[forms.Form], dict | None] | None = None
    # (changes) -> None, inside the write's transaction: record the change.
    on_save: Callable[[list[dict]], None] | None = None
    form_kwargs: dict = field(default_factory=dict)
    initial: dict = field(default_factory=dict)
    # Posted fields that are not form fields but must survive an overwrite.
    resend: Sequence[str] = ()
    # (form, clashes, current version) -> the conflict answer, for pages that
    # show it themselves; default: the conflict fragment in place of #target.
    show_conflict: Callable[[forms.Form, list, int], HttpResponse] | None = None
    # Many-to-many fields the form sets after the row is written.
    m2m: Sequence[str] = ()


def versioned_edit(request: HttpRequest, edit: Edit) -> HttpResponse:
    """
    GET: the form. POST: validate (422 with the form), write only if nobody
    changed the row since the form was opened (else 409 with theirs beside
    yours, or "deleted" if it is gone), log the change, answer with the result.
    """
    obj = edit.obj
    if request.method != "POST":
        initial = {name: getattr(obj, name) for name in edit.fields}
        initial.update({"version": obj.version, **edit.initial})
        return edit.show_form(edit.form_class(initial=initial, **edit.form_kwargs), 200)
    # What the row holds now, before a model form's validation copies the
    # posted values onto the instance.
    before = SimpleNamespace(**{name: getattr(obj, name) for name in edit.fields})
    form = edit.form_class(request.POST, **edit.form_kwargs)
    values = None
    if form.is_valid():
        values = _values(edit, form)
    if values is None:
        return edit.show_form(form, 422)
    version = form.cleaned_data["version"]
    logged = [name for name in edit.fields if name in values]
    changes = field_changes(before, values, logged)
    # savepoint=False: one transaction and no SAVEPOINT round trips; an edit's
    # query budget is tight (tests pin it).
    with transaction.atomic(savepoint=False):
        saved = versioned_update(edit.queryset, obj.pk, version, **values)
        if saved:
            for name in edit.m2m:
                getattr(obj, name).set(form.cleaned_data[name])
        if saved and edit.on_save is not None:
            edit.on_save(changes)
    if not saved:
        return _conflict(request, edit, form, values, logged)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.version = version + 1
    return edit.show_saved(obj)


def _m2m_clashes(current, form, names) -> list[Clash]:
    result = []
    for name in names:
        theirs = ", ".join(str(o) for o in getattr(current, name).all())
        mine = ", ".join(str(o) for o in form.cleaned_data.get(name) or [])
        if theirs != mine:
            label = str(current._meta.get_field(name).verbose_name)
            result.append(Clash(label[:1].upper() + label[1:], theirs, mine))
    return result


def _values(edit: Edit, form: forms.Form) -> dict | None:
    if edit.values is not None:
        return edit.values(form)
    return {name: form.cleaned_data[name] for name in edit.fields}


def _conflict(request, edit: Edit, form, values: dict, logged) -> HttpResponse:
    current = edit.queryset.filter(pk=edit.obj.pk).first()
    if current is None:
        return edit.show_gone()
    rows = clashes(current, values, logged) + _m2m_clashes(current, form, edit.m2m)
    if edit.show_conflict is not None:
        return edit.show_conflict(form, rows, current.version)
    if not rows and logged:
        # Nothing differs (both wrote the same): still show what was saved.
        name = logged[0]
        label = str(current._meta.get_field(name).verbose_name)
        theirs = _shown(current, name, getattr(current, name))
        yours = _shown(current, name, values[name])
        rows = [Clash(label[:1].upper() + label[1:], theirs, yours)]
    sent = [name for name in form.fields if name != "version"] + list(edit.resend)
    overwrite = [
        (name, value)
        for name in dict.fromkeys(sent)
        if name in request.POST
        for value in request.POST.getlist(name)
    ]
    return conflict_response(
        request,
        target_id=edit.target,
        clashes=rows,
        keep_url=edit.keep_url,
        overwrite_url=edit.edit_url,
        overwrite_values=overwrite,
        current_version=current.version,
    )


@dataclass
class Delete:
    """What one confirmed, versioned delete needs to know; see `confirmed_delete`."""

    obj: models.Model
    queryset: models.QuerySet
    # (the object as it is now, changed since asked, status) -> the question.
    show_confirm: Callable[[models.Model, bool, int], HttpResponse]
    show_deleted: Callable[[], HttpResponse]
    # Deleted by someone else meanwhile: by default the same outcome.
    show_gone: Callable[[], HttpResponse] | None = None
    # Inside the transaction: before the delete (a lock), after it (record).
    before: Callable[[], None] | None = None
    on_delete: Callable[[], None] | None = None


def confirmed_delete(request: HttpRequest, delete: Delete) -> HttpResponse:
    """
    GET: ask. POST: delete only if nobody changed the row since the question was
    shown (its version is posted); changed meanwhile: ask again with what it
    says now (409); gone meanwhile: the same outcome as deleting it.
    """
    if request.method != "POST":
        return delete.show_confirm(delete.obj, False, 200)
    with transaction.atomic():
        if delete.before is not None:
            delete.before()
        deleted = versioned_delete(
            delete.queryset, delete.obj.pk, posted_version(request)
        )
        if deleted and delete.on_delete is not None:
            delete.on_delete()
    if deleted:
        return delete.show_deleted()
    current = delete.queryset.filter(pk=delete.obj.pk).first()
    if current is None:
        return (delete.show_gone or delete.show_deleted)()
    return delete.show_confirm(current, True, 409)
