"""
Turning the PDF canvas's HTML into PDF bytes with WeasyPrint, in a child process
with a time limit. No Django in here: the child is forked from a small server
process (multiprocessing's "forkserver") that has only WeasyPrint loaded, so a
render never inherits the web process's threads or database connections, and a
render that runs too long is simply killed.

What a document may load is decided here, by `fetcher()`: `data:` URLs and the
files the caller hands over (our own static files: the stylesheet and its
fonts), nothing else. No `http`, `https` or `file:` fetch happens, whatever a
user typed into a card; refused URLs are reported back with the PDF.
"""

import logging
import multiprocessing
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

# Our own static files are addressed under this origin, which never resolves
# (.invalid is reserved): relative URLs in the stylesheet (fonts) work as on the
# web, and the fetcher answers them from the files handed over.
STATIC_ORIGIN = "http://static.invalid/"


class RenderFailed(Exception):
    """The PDF could not be made: too slow (`timed_out`) or WeasyPrint failed."""

    def __init__(self, reason: str, timed_out: bool = False):
        super().__init__(reason)
        self.timed_out = timed_out


@dataclass
class Rendered:
    pdf: bytes
    refused: list = field(default_factory=list)  # URLs the document asked for


def fetcher(assets: dict):
    """
    WeasyPrint's URL fetcher for our documents: `data:` URLs, and `assets`
    ({path under STATIC_ORIGIN: (bytes, mime type)}). Anything else raises,
    which WeasyPrint treats as a missing resource, and is noted in `refused`.
    (WeasyPrint is imported here, not at the top: the web process only needs
    it in the child.)
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STATIC_ORIGIN):
                path = posixpath.normpath(url[len(STATIC_ORIGIN) :].split("?")[0])
                if path in assets:
                    body, mime = assets[path]
                    return URLFetcherResponse(url, body, {"Content-Type": mime})
            self.refused.append(url)
            raise ValueError(f"Not fetched: {url}")

    return Fetcher()


# The type family, loaded once per renderer (in the fork server, so each child
# starts with it) instead of once per document: decoding seven web fonts cost
# a few hundred milliseconds a render. Read from our static files on disk.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
FONTS_CSS = "css/pdf-fonts.css"
_fonts = None


def fonts():
    """WeasyPrint's FontConfiguration with the @font-face rules of FONTS_CSS."""
    global _fonts
    if _fonts is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        css = (STATIC_DIR / FONTS_CSS).read_text()
        assets = {FONTS_CSS: (css.encode(), "text/css")}
        for url in re.findall(r"url\(([^)]+)\)", css):
            path = posixpath.normpath(posixpath.join("css", url))
            assets[path] = ((STATIC_DIR / path).read_bytes(), "font/woff")
        config = FontConfiguration()
        CSS(
            url=STATIC_ORIGIN + FONTS_CSS,
            url_fetcher=fetcher(assets),
            font_config=config,
        )
        _fonts = config
    return _fonts


def compact(html: str) -> str:
    """Template indentation out: WeasyPrint's HTML parser pays for every byte."""
    return re.sub(r">\s*\n\s*<", "><", html)


def render(html: str, assets: dict, base_url: str = STATIC_ORIGIN) -> Rendered:
    """HTML → PDF in this process (the child calls this; tests may too)."""
    from weasyprint import HTML

    url_fetcher = fetcher(assets)
    document = HTML(string=compact(html), base_url=base_url, url_fetcher=url_fetcher)
    pdf = document.write_pdf(font_config=fonts())
    return Rendered(pdf, url_fetcher.refused)


def _child(connection, html: str, assets: dict) -> None:
    # Page-by-page progress is noise in the server's log; warnings stay.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        rendered = render(html, assets)
    except Exception as error:  # reported to the parent, who says it to the user
        connection.send(("error", f"{type(error).__name__}: {error}"))
    else:
        connection.send(("ok", rendered))
    finally:
        connection.close()


_context = None


def _forkserver():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        # The server imports WeasyPrint once; every render forks from it.
        # `__main__` too, or each child would import the server's main
        # module again (multiprocessing's spawn preparation).
        _context.set_forkserver_preload(["__main__", "maps.pdf_preload"])
    return _context


def render_in_child(html: str, assets: dict, time_limit: float) -> Rendered:
    """HTML → PDF in a child process, killed after `time_limit` seconds."""
    context = _forkserver()
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sending, html, assets))
    process.start()
    sending.close()
    try:
        if not receiving.poll(time_limit):
            raise RenderFailed(f"took longer than {time_limit:g} s", timed_out=True)
        try:
            status, payload = receiving.recv()
        except EOFError:
            raise RenderFailed(f"renderer stopped (exit {process.exitcode})") from None
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        process.join()
    if status != "ok":
        raise RenderFailed(payload)
    return payload
