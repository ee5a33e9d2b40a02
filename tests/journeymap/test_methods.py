"""Every view names the methods it takes: PUT, PATCH and DELETE get 405."""

import uuid

import pytest
from django.urls import URLPattern, reverse
from django.urls.converters import UUIDConverter

from journeymap import urls, views


def _own_patterns():
    """The URLs of journeymap's own views: top level, accounts and /o/<slug>/."""
    for patterns in (urls.urlpatterns, urls.account_patterns, urls.org_patterns):
        for pattern in patterns:
            if (
                isinstance(pattern, URLPattern)
                and pattern.callback.__module__ == views.__name__
            ):
                yield pattern


def _path(pattern, org) -> str:
    # Any id or token will do: the method is refused before anything is looked up.
    kwargs = {
        name: uuid.uuid4() if isinstance(converter, UUIDConverter) else "x"
        for name, converter in pattern.pattern.converters.items()
    }
    if pattern in urls.org_patterns:
        kwargs["org_slug"] = org.slug
    return reverse(pattern.name, kwargs=kwargs)


@pytest.mark.parametrize("pattern", list(_own_patterns()), ids=str)
def test_it_refuses_put_patch_and_delete(pattern, org, alice_client):
    path = _path(pattern, org)
    refused = [
        alice_client.generic(m, path).status_code for m in ("PUT", "PATCH", "DELETE")
    ]
    assert refused == [405, 405, 405]


def test_healthz_answers_head(client, db):
    assert client.head("/healthz").status_code == 200
