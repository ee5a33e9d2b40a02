"""
Rendered canvas fragments kept by content, per process.

A 400-card canvas spends most of its server time rendering the same cards and
actions again. Each one's HTML depends only on what goes into its key (its
fields and version, where it sits, the language, the URL prefix, whether the
reader may edit, and for actions today's date), so it is kept under that key:
a changed card or action has a new key, and nothing can go stale. The kept
HTML holds no per-user or per-request data: htmx sends the CSRF token as a
header, and where a form needs one for pages without JS, a marker stands in for
it and each request puts its own token back. Off with DEBUG, so template edits
show at once.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.conf import settings
from django.template.loader import get_template


class KeptFragments:
    """
    At most `size` fragments; when full, the least recently used one goes, so
    the cards of the maps people have open stay while old versions age out.
    """

    def __init__(self, size: int):
        self.size = size
        # Oldest use first: a hit moves its key to the end.
        self._items: OrderedDict = OrderedDict()
        # uvicorn may serve requests in threads; moving and evicting must not
        # interleave. Rendering happens outside the lock.
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        """`render()`'s HTML, kept under `key` (None: render, keep nothing)."""
        if settings.DEBUG or key is None:
            return render()
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
                return html
        html = render()
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cards = KeptFragments(5000)
cells = KeptFragments(2000)
actions = KeptFragments(2000)
emotions = KeptFragments(2000)
heads = KeptFragments(2000)


# Stands in for the CSRF token in kept HTML; each request puts its own back.
CSRF_MARKER = "csrf-token-goes-here"


def render_kept(store: KeptFragments, key: Hashable, context, name: str, **values):
    """
    Template `name` rendered with `context` plus `values`, kept in `store` under
    `key`. Forms in it may use {% csrf_token %}: the reader's token goes back in.
    The caller's key must hold everything the fragment shows.
    """
    template = get_template(name).template

    def render() -> str:
        with context.push(csrf_token=CSRF_MARKER, **values):
            return template.render(context)

    html = store.get_or_render(key, render)
    token = context.get("csrf_token")
    # The token is letters and digits (django.middleware.csrf); nothing to escape.
    return html.replace(CSRF_MARKER, str(token) if token else "")
