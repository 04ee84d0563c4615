"""PDF printing: an HTML document printed by headless Chromium (one browser per process, reused).

Chromium never gets the chance to fetch anything or run a script: JavaScript is off, every
request a page would make is aborted, and the context is offline. The running header and footer are
Chromium templates; the trainee's name and the title are escaped before they go in. Imports no
nbconvert, so the cohort report prints without loading it; the exporter is in :mod:`.pdf`.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Literal

from markupsafe import Markup

from ..errors import ExportError
from .browser import BROWSER, _Browser

Paper = Literal["A4", "Letter"]
PAPERS: tuple[Paper, ...] = ("A4", "Letter")
_PRINTING = threading.Lock()


RUNNING = Markup(
    '<div style="font-size:8px;width:100%;padding:0 16mm;color:#555;display:flex;justify-content:{};'
    'font-family:DejaVu Sans,Arial,sans-serif;"><span>{}</span></div>'  # one span: flex drops bare spaces
)
PAGE_NUMBERS = Markup('Page <span class="pageNumber"></span> of <span class="totalPages"></span>')


def _running(text: str | Markup, side: str) -> str:
    """A Chromium header/footer template; ``text`` is escaped unless it is ``Markup``."""
    return str(RUNNING.format(side, text))


def print_pdf(document: str, *, paper: Paper = "A4", header: str = "") -> bytes:
    """Print an HTML document to PDF bytes; ``header`` is plain text for the running header."""
    _check_paper(paper)
    with _PRINTING:  # one reused page: one document at a time
        return _print(BROWSER, document, paper, header)


class BackgroundPrinter:
    """A printer whose Chromium starts in a thread of its own as soon as it is made.

    For a command that prints one document it first has to build (the cohort report): starting
    Playwright, Chromium and the printing page (about a second) overlaps the Python work, instead
    of following it. The browser is this printer's own, since Playwright's objects belong to the
    thread that made them, and it is closed on leaving the ``with`` block, in that thread. A
    browser that cannot start raises when :meth:`print` is called, as :func:`print_pdf` would.
    """

    def __init__(self) -> None:
        self._browser = _Browser()
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="wb-print")  # one thread: every call in it
        self._started = self._thread.submit(self._browser.printing_page)

    def print(self, document: str, *, paper: Paper = "A4", header: str = "") -> bytes:
        _check_paper(paper)
        self._started.result()  # a browser that did not start: its own error, first
        return self._thread.submit(_print, self._browser, document, paper, header).result()

    def __enter__(self) -> BackgroundPrinter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self._thread.submit(self._browser.close).result()
        finally:
            self._thread.shutdown()


def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise ExportError(f"paper: {paper!r} is not one of {', '.join(PAPERS)}")


def _print(browser: _Browser, document: str, paper: Paper, header: str) -> bytes:
    page = browser.printing_page()
    page.set_content(document, wait_until="load")
    pdf: bytes = page.pdf(
        format=paper,
        print_background=True,
        display_header_footer=True,
        header_template=_running(header, "flex-end"),
        footer_template=_running(PAGE_NUMBERS, "center"),
        margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
    )
    page.set_content("")  # drop the document (and the trainee's answers) from the page
    return pdf
