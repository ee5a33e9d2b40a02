"""
What the research pages share. Every view starts with the request's Access
(journeymap.access.get_access) and gets its objects from research.access;
these helpers build on what they return: the context every page gets, the
delete confirmation, the versioned edit of a full-page form (`page_edit`),
and one area of an empathy map (drawn by the persona page and by the entry
fragments).
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from journeymap.access import Access
from journeymap.editing import Edit, versioned_edit, versioned_update
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
    The versioned edit of `form.instance` on a page of its own, through the one
    edit skeleton (journeymap.editing.versioned_edit). A conflict is this page
    again (409): the clash table above a form that now carries the current
    version, so saving again overwrites theirs. `context` is the page's; `saved`
    and `gone` are (message, where to) after saving and when the row was
    deleted meanwhile. `form` is made by the view (bound to the POST, if any).
    """

    def show_form(shown, status):
        return render(request, template, {**context, "form": shown}, status=status)

    def show_conflict(shown, rows, version):
        shown.data = shown.data.copy()
        shown.data["version"] = version
        ctx = {**context, "form": shown, "clashes": rows}
        return render(request, template, ctx, status=409)

    def done(level, message, where):
        messages.add_message(request, level, message)
        return redirect(where)

    obj = form.instance
    edit = Edit(
        obj=obj,
        queryset=type(obj).objects.all(),
        form_class=lambda *args, **kwargs: form,  # already made, with its instance
        fields=fields,
        m2m=m2m,
        show_form=show_form,
        show_saved=lambda _obj: done(messages.SUCCESS, *saved),
        show_gone=lambda: done(messages.ERROR, *gone),
        show_conflict=show_conflict,
        target="",
        keep_url="",
        edit_url="",
    )
    return versioned_edit(request, edit)


def questions_left(n: int) -> str:
    """A delete's consequence: the research questions that stay, unlinked."""
    return ngettext(
        "%(n)d research question stays, no longer linked to it.",
        "%(n)d research questions stay, no longer linked to it.",
        n,
    ) % {"n": n}


def area_context(area, entries) -> dict:
    """One area of an empathy map, as research/persona_detail.html#area draws it."""
    return {
        "value": area.value,
        "label": area.label,
        "prompt": AREA_PROMPTS[area],
        "entries": entries,
    }
