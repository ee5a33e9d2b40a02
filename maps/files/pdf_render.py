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
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
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
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
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


# A small document using what the canvas uses (our stylesheet, a table that
# repeats its header, cards, the three weights, an SVG, counters in the page
# margins), rendered once in the fork server by maps.files.pdf_preload.
WARM_UP = """<html><head><link rel="stylesheet" href="css/pdf.css">
<link rel="stylesheet" href="css/palette.css"><style>
@page { size: 420mm 297mm; @bottom-right { content: "Page " counter(page) " of "
counter(pages); } @top-left { content: "Org  \\b7  Map"; } }</style></head><body>
<header class="doc-head"><div class="doc-title"><h1>Warm</h1></div>
</header><table class="grid"><thead><tr><th class="stage"><span class="stage-n">1
</span>Stage</th></tr></thead><tbody><tr class="row"><th class="lane"><span
class="lane-kind">Kind</span></th><td><div class="card is-validated"><span
class="channel ch-email">Email</span><br>Text <b>bold</b> <i>italic</i><span
class="foot"><span class="impact impact-high">High</span></span><span
class="evidence">✓ F1 ★ ·</span></div></td></tr></tbody></table><svg width="100%"
height="40"><line x1="0" y1="0" x2="100%" y2="50%" stroke="#000"/><circle cx="50%"
cy="50%" r="4"/><text x="4" y="10" font-size="8">Axis</text></svg><section
class="appendix"><h2>Appendix</h2><table class="table"><tr><td>Cell</td></tr></table>
</section></body></html>"""


def warm_up() -> None:
    assets = {
        name: ((STATIC_DIR / name).read_bytes(), "text/css")
        for name in ("css/palette.css", "css/pdf.css")
    }
    render(WARM_UP, assets)


def compact(html: str) -> str:
    """Template indentation out: WeasyPrint's HTML parser pays for every byte."""
    return re.sub(r">\s*\n\s*<", "><", html)


def render(html: str, assets: dict, base_url: str = STATIC_ORIGIN) -> Rendered:
    """
    HTML → PDF in this process (the child calls this; tests may too). A
    document with a table that should fill its page (see `fill_css`) is laid
    out twice: once to measure, once with the rows grown.
    """
    from weasyprint import CSS, HTML

    url_fetcher = fetcher(assets)
    source = HTML(string=compact(html), base_url=base_url, url_fetcher=url_fetcher)
    options = {"font_config": fonts(), "cache": {}}
    document = source.render(**options)
    grow = fill_css(document)
    if grow:
        grown = source.render(stylesheets=[CSS(string=grow)], **options)
        # Rounding must never push a row onto a page of its own.
        if len(grown.pages) == len(document.pages):
            document = grown
    refused = list(dict.fromkeys(url_fetcher.refused))  # asked twice when grown
    return Rendered(document.write_pdf(), refused)


# What a filled table leaves free at the foot of its page, in CSS px: rounding
# in the second layout must not tip the last row over to the next page.
FILL_SLACK = 4


def fill_css(document) -> str:
    """
    Rules that let each `table.fill` (with an id) that starts and ends on one
    page, as the last thing on it, reach the foot of that page: the free
    height is shared out equally among its body rows marked `.grows`. Type and
    columns stay as they are; a short grid gets taller rows instead of half a
    page of white. '' when no table needs it.
    """
    from weasyprint.formatting_structure.boxes import TableBox

    places: dict = {}  # table id → [(page box, table box)], one per page it is on
    for page in document.pages:
        for box in page._page_box.children[0].descendants():  # [0]: the root
            if isinstance(box, TableBox) and "fill" in _classes(box):
                places.setdefault(box.element.get("id"), []).append(
                    (page._page_box, box)
                )
    rules = []
    for table_id, found in places.items():
        if table_id is None or len(found) != 1:
            continue  # a table split over pages fills them already
        page_box, table = found[0]
        bottom = table.position_y + table.margin_height()
        free = page_box.content_box_y() + page_box.height - bottom - FILL_SLACK
        rows = [
            (n_body, n_row, row)
            for n_body, group in enumerate(
                (group for group in table.children if group.element_tag == "tbody"),
                start=1,
            )
            for n_row, row in enumerate(group.children, start=1)
            if "grows" in _classes(row)
        ]
        if free < 1 or not rows or _below(page_box, table, bottom):
            continue
        extra = free / len(rows)
        rules += [
            f"#{table_id} > tbody:nth-of-type({n_body}) > tr:nth-child({n_row})"
            f" {{ height: {row.height + extra:.2f}px; }}"
            for n_body, n_row, row in rows
        ]
    return "\n".join(rules)


def _classes(box) -> list:
    return box.element.get("class", "").split() if box.element is not None else []


def _below(page_box, table, bottom: float) -> bool:
    """Whether anything else on the page is laid out below the table."""
    inside = {id(box) for box in table.descendants()}
    return any(
        box.position_y >= bottom - 0.5 and box.margin_height() > 0
        for box in page_box.children[0].descendants()
        if id(box) not in inside and hasattr(box, "margin_height")
    )


def join(parts: list, footer_css: str, assets: dict) -> Rendered:
    """
    Parts rendered apart → one PDF, numbered across the whole: the running
    "page N of M" is drawn on a document of empty pages of the same sizes
    (`footer_css` sets only that margin box) and laid over each page. pypdf
    does the joining.
    """
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(BytesIO(part.pdf)))
    sizes = [
        (float(page.mediabox.width), float(page.mediabox.height))
        for page in writer.pages
    ]
    names = {size: f"s{i}" for i, size in enumerate(dict.fromkeys(sizes))}
    rules = "".join(
        f"@page {name} {{ size: {w:.2f}pt {h:.2f}pt; }} .{name} {{ page: {name}; }}"
        for (w, h), name in names.items()
    )
    pages = "".join(
        f'<div class="{names[size]}"{" style=break-before:page" if i else ""}></div>'
        for i, size in enumerate(sizes)
    )
    footer = render(
        f"<html><head><style>{footer_css}{rules}</style></head>"
        f"<body>{pages}</body></html>",
        assets,
    )
    numbers = PdfReader(BytesIO(footer.pdf))
    if len(numbers.pages) != len(writer.pages):
        raise ValueError("page numbers do not match the pages")
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
        page.compress_content_streams()  # merging leaves them uncompressed
    first = PdfReader(BytesIO(parts[0].pdf))
    if first.metadata:
        writer.add_metadata(dict(first.metadata))
    out = BytesIO()
    writer.write(out)
    refused = [url for part in parts for url in part.refused] + footer.refused
    return Rendered(out.getvalue(), refused)


def _child(connection, work, *args) -> None:
    # Page-by-page progress is noise in the server's log; warnings stay.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        result = work(*args)
    except Exception as error:  # reported to the parent, who says it to the user
        connection.send(("error", f"{type(error).__name__}: {error}"))
    else:
        connection.send(("ok", result))
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
        _context.set_forkserver_preload(["__main__", "maps.files.pdf_preload"])
    return _context


def _in_children(jobs, workers: int, deadline: float) -> list:
    """
    Run (function, args) jobs in child processes, `workers` at a time. `jobs`
    may be a generator: the next job is made only when a worker is free.
    """
    context = _forkserver()
    results = {}
    waiting = enumerate(jobs)
    running = {}  # receiving end → (index, process)
    more = True
    try:
        while more or running:
            while more and len(running) < workers:
                job = next(waiting, None)
                if job is None:
                    more = False
                    break
                index, (work, args) = job
                receiving, sending = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(sending, work, *args))
                process.start()
                sending.close()
                running[receiving] = (index, process)
            if not running:
                break
            left = deadline - time.monotonic()
            ready = wait(list(running), timeout=max(left, 0)) if left > 0 else []
            if not ready:
                raise RenderFailed("took longer than the time limit", timed_out=True)
            for receiving in ready:
                index, process = running.pop(receiving)
                try:
                    status, payload = receiving.recv()
                except EOFError:
                    process.join()
                    raise RenderFailed(
                        f"renderer stopped (exit {process.exitcode})"
                    ) from None
                finally:
                    receiving.close()
                process.join()
                if status != "ok":
                    raise RenderFailed(payload)
                results[index] = payload
    finally:
        for receiving, (_index, process) in running.items():
            receiving.close()
            process.kill()
            process.join()
    return [results[index] for index in sorted(results)]


def render_in_child(html: str, assets: dict, time_limit: float) -> Rendered:
    """HTML → PDF in a child process, killed after `time_limit` seconds."""
    deadline = time.monotonic() + time_limit
    return _in_children([(render, (html, assets))], 1, deadline)[0]


def render_document(
    htmls, footer_css: str, assets: dict, time_limit: float, workers: int
) -> Rendered:
    """
    A document cut at its page breaks into parts (`htmls`, a list or a
    generator, so the first part renders while the next is being written):
    rendered side by side, `workers` at a time, then joined and numbered (see
    `join`); a single part as it is. All within `time_limit` seconds.
    """
    deadline = time.monotonic() + time_limit
    jobs = ((render, (html, assets)) for html in htmls)
    parts = _in_children(jobs, workers, deadline)
    if len(parts) == 1:
        return parts[0]
    return _in_children([(join, (parts, footer_css, assets))], 1, deadline)[0]
