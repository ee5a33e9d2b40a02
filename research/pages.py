"""
What the research pages share. Every view starts with the request's Access
(journeymap.access.get_access) and gets its objects from research.access;
these helpers build on what they return: the context every page gets, the
delete confirmation, the versioned edit of a full-page form (`page_edit`),
and one area of an empathy map (drawn by the persona page and by the entry
fragments).
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render

from journeymap.access import Access
from journeymap.editing import Clash, clashes, versioned_update
from research.models import AREA_PROMPTS, Finding

FINDINGS_WITH_STUDY = Prefetch("findings", Finding.objects.select_related("study"))


def page_context(access: Access, **extra) -> dict:
    """What every research template gets: who acts, where, and whether they may edit."""
    return {
        "access": access,
        "org": access.organisation,
        "can_edit": access.can_edit,
        **extra,
    }


def confirm_delete(request, access: Access, *, title, consequences, cancel_url):
    ctx = page_context(
        access, title=title, consequences=consequences, cancel_url=cancel_url
    )
    return render(request, "confirm_delete.html", ctx)


def save_versioned(form, obj, fields) -> bool:
    """Write the form's fields to `obj` if nobody saved it meanwhile."""
    values = {name: form.cleaned_data[name] for name in fields}
    saved = versioned_update(
        type(obj).objects.all(), obj.pk, form.cleaned_data["version"], **values
    )
    if saved:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.version = form.cleaned_data["version"] + 1
    return saved


def page_edit(
    request, form, *, template: str, context: dict, fields, m2m=(), saved, gone
) -> HttpResponse:
    """
    The versioned edit of `form.instance` on a page of its own. Unlike
    journeymap.editing.versioned_edit, whose conflict is a fragment in place of
    a card, a conflict is this page again (409): the clash table above a form
    that now carries the current version, so saving again overwrites theirs.
    `context` is the page's; `saved` and `gone` are (message, where to) after
    saving and when the row was deleted meanwhile. Invalid: the form, 200.
    """
    obj, clash_rows = form.instance, None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(savepoint=False):
            written = save_versioned(form, obj, fields)
            if written:
                for name in m2m:
                    getattr(obj, name).set(form.cleaned_data[name])
        if written:
            messages.success(request, saved[0])
            return redirect(saved[1])
        clash_rows = _page_conflict(form, obj, fields, m2m)
        if clash_rows is None:
            messages.error(request, gone[0])
            return redirect(gone[1])
    ctx = {**context, "form": form, "clashes": clash_rows}
    status = 200 if clash_rows is None else 409
    return render(request, template, ctx, status=status)


def _page_conflict(form, obj, fields, m2m) -> list[Clash] | None:
    """
    Reload `obj` and list what differs (None: it is gone), and let the form be
    sent again against the current version ("overwrite with mine").
    """
    current = type(obj).objects.filter(pk=obj.pk).first()
    if current is None:
        return None
    yours = {name: form.cleaned_data.get(name) for name in fields}
    result = clashes(current, yours, fields)
    for name in m2m:
        theirs = ", ".join(str(o) for o in getattr(current, name).all())
        mine = ", ".join(str(o) for o in form.cleaned_data.get(name) or [])
        if theirs != mine:
            label = str(type(obj)._meta.get_field(name).verbose_name)
            result.append(Clash(label[:1].upper() + label[1:], theirs, mine))
    form.data = form.data.copy()
    form.data["version"] = current.version
    return result


def area_context(area, entries) -> dict:
    """One area of an empathy map, as research/persona_detail.html#area draws it."""
    return {
        "value": area.value,
        "label": area.label,
        "prompt": AREA_PROMPTS[area],
        "entries": entries,
    }
