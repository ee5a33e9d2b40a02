"""
The empathy map's move buttons work without JavaScript: a real form post (CSRF
token included) that the view answers with a redirect to the persona.
"""

from django.test import Client

from tests.html_forms import submission
from tests.research.helpers import url


def _browser(user) -> Client:
    """A client like a browser: it must send the CSRF token of the page it read."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _says(persona) -> list[str]:
    entries = persona.empathy_entries.filter(area="says")
    return list(entries.values_list("text", flat=True))


def test_an_entry_moves_down_without_js(frank, dave):
    first = frank.empathy_entries.filter(area="says")[0]
    before = _says(frank)
    browser = _browser(dave)
    page = browser.get(frank.get_absolute_url())
    action = url("entry_move", frank.organisation, first.pk)
    pressed = submission(page.content.decode(), action, direction="down")

    response = browser.post(pressed.action, pressed.data, follow=True)

    assert response.redirect_chain == [(frank.get_absolute_url(), 302)]
    assert _says(frank) == [before[1], before[0], *before[2:]]
