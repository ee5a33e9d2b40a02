"""
What a browser without JavaScript would submit: the forms and submit buttons of
a page, read with html.parser, for tests that press a button through the
Django test client.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Submission:
    """Where a button posts and what it sends (its form's inputs, its own value)."""

    action: str
    method: str
    data: dict = field(default_factory=dict)
    button: dict = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.buttons: list[tuple[dict, dict | None]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._open = {"attrs": attrs, "inputs": []}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None:
            self._open["inputs"].append(attrs)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.buttons.append((attrs, self._open))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def submissions(html: str) -> list[Submission]:
    """Every submit button of `html`, with what pressing it would send."""
    parser = _Forms()
    parser.feed(html)
    by_id = {f["attrs"]["id"]: f for f in parser.forms if "id" in f["attrs"]}
    found = []
    for button, enclosing in parser.buttons:
        # A `form` attribute names the form the button submits, wherever it is.
        form = by_id.get(button["form"]) if "form" in button else enclosing
        if form is None:
            continue
        data = {
            i["name"]: i.get("value", "")
            for i in form["inputs"]
            if i.get("name") and i.get("type") == "hidden"
        }
        if button.get("name"):
            data[button["name"]] = button.get("value", "")
        found.append(
            Submission(
                action=button.get("formaction") or form["attrs"].get("action", ""),
                method=(
                    button.get("formmethod") or form["attrs"].get("method", "get")
                ).lower(),
                data=data,
                button=button,
            )
        )
    return found


def submission(html: str, action: str, **data) -> Submission:
    """The one button of `html` that posts to `action` with these `data` values."""
    found = [
        s
        for s in submissions(html)
        if s.action == action and all(s.data.get(k) == v for k, v in data.items())
    ]
    assert len(found) == 1, f"{len(found)} buttons post {data} to {action}"
    return found[0]


class _Fragments(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.roots: list[dict] = []
        self.first: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if self.first is None:
            self.first = {"tag": tag, **attrs}
        if "data-fragment" in attrs:
            self.roots.append({"tag": tag, **attrs})


def fragment_roots(html: str) -> list[dict]:
    """The attributes (and tag) of every element of `html` with data-fragment."""
    parser = _Fragments()
    parser.feed(html)
    return parser.roots


def first_element(html: str) -> dict | None:
    """The attributes (and tag) of the first element of `html`."""
    parser = _Fragments()
    parser.feed(html)
    return parser.first
