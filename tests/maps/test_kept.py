"""
The kept canvas fragments (maps.canvas.kept): a hit returns the kept HTML, and a
full store lets go of the least recently used fragment, not the oldest one.
"""

import threading

from django.template import Context

from maps.canvas import kept


def _renderer(html: str, calls: list):
    def render() -> str:
        calls.append(html)
        return html

    return render


def _is_kept(store: kept.KeptFragments, key) -> bool:
    """Whether `key` is kept; a miss keeps it from now on, like any lookup."""
    calls = []
    store.get_or_render(key, _renderer("rendered again", calls))
    return calls == []


def test_a_hit_returns_the_kept_html_without_rendering():
    store = kept.KeptFragments(10)
    calls = []
    first = store.get_or_render("card-1", _renderer("<li>Kaart 1</li>", calls))
    again = store.get_or_render("card-1", _renderer("<li>changed</li>", calls))
    assert first == again == "<li>Kaart 1</li>"
    assert calls == ["<li>Kaart 1</li>"]


def test_a_full_store_lets_go_of_the_least_recently_used():
    store = kept.KeptFragments(3)
    for key in ("a", "b", "c"):
        store.get_or_render(key, lambda key=key: key)
    assert store.get_or_render("a", lambda: "rendered again") == "a"  # a is used
    store.get_or_render("d", lambda: "d")
    assert _is_kept(store, "a")  # first in, but used since
    assert not _is_kept(store, "b")  # the least recently used went


def test_the_latest_hit_decides_what_stays():
    store = kept.KeptFragments(2)
    store.get_or_render("a", lambda: "a")
    store.get_or_render("b", lambda: "b")
    store.get_or_render("b", lambda: "rendered again")
    store.get_or_render("a", lambda: "rendered again")  # now b is the older use
    store.get_or_render("c", lambda: "c")
    assert _is_kept(store, "a")
    assert not _is_kept(store, "b")


def test_it_keeps_no_more_than_its_size_when_threads_share_it():
    store = kept.KeptFragments(50)
    errors = []

    def work(offset: int):
        try:
            for i in range(2000):
                key = (offset + i) % 120
                assert store.get_or_render(key, lambda key=key: str(key)) == str(key)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n * 7,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store._items) == store.size


def test_nothing_is_kept_with_debug_or_without_a_key(settings):
    store = kept.KeptFragments(10)
    store.get_or_render(None, lambda: "x")
    settings.DEBUG = True
    store.get_or_render("a", lambda: "a")
    settings.DEBUG = False
    assert not _is_kept(store, "a")
    assert len(store._items) == 1  # only "a", from the line above


def test_a_kept_form_gets_each_readers_csrf_token(tmp_path, settings):
    template = tmp_path / "form.html"
    template.write_text("<form>{% csrf_token %}</form>")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(tmp_path)],
        }
    ]
    store = kept.KeptFragments(10)
    first = kept.render_kept(store, "form", Context({"csrf_token": "aaa"}), "form.html")
    second = kept.render_kept(
        store, "form", Context({"csrf_token": "bbb"}), "form.html"
    )
    assert 'value="aaa"' in first
    assert 'value="bbb"' in second
    assert kept.CSRF_MARKER in store._items["form"]  # kept without a token
