"""Small helpers for research tests."""

import json

from django.urls import reverse

HX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, org, *args) -> str:
    return reverse(name, args=[org.slug, *args])


def events(response) -> dict:
    """The htmx events a response triggers on arrival (HX-Trigger), by name."""
    return json.loads(response.get("HX-Trigger", "{}"))


def delete_after_lookup(monkeypatch, module, lookup: str) -> None:
    """
    Someone else deletes the row while the form is being saved: the view's
    access lookup `module.<lookup>` still finds it, then it is gone.
    """
    found_by = getattr(module, lookup)

    def found_then_deleted(*args, **kwargs):
        found = found_by(*args, **kwargs)
        type(found).objects.filter(pk=found.pk).delete()
        return found

    monkeypatch.setattr(module, lookup, found_then_deleted)


def warm(client, org) -> None:
    """
    One request first, so the session already remembers the organisation and
    the measured request does not also save the session.
    """
    client.get(reverse("research_overview", args=[org.slug]))


# Every signed-in organisation page: session, user, membership, and the
# organisation switcher's list of the user's memberships.
BASE_QUERIES = 4
