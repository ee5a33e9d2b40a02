"""Small helpers for research tests."""

from django.urls import reverse

HX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, org, *args) -> str:
    return reverse(name, args=[org.slug, *args])


def warm(client, org) -> None:
    """
    One request first, so the session already remembers the organisation and
    the measured request does not also save the session.
    """
    client.get(reverse("research_overview", args=[org.slug]))


# Every signed-in organisation page: session, user, membership, and the
# organisation switcher's list of the user's memberships.
BASE_QUERIES = 4
