"""PDF printing: an HTML document printed by headless Chromium (one browser per process, reused).

Chromium never gets the chance to fetch anything or run a script: JavaScript is off, every
request a page would make is aborted, and the context is offline. The running header and the page
numbers are CSS margin boxes added to the document's head; the header's text (a trainee's name, a
title) goes in as an escaped CSS string. Imports no nbconvert, so the cohort report prints
without loading it; the exporter is in :mod:`.pdf`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Literal

from ..errors import ExportError
from .browser import (
    BROWSER,
    PRINTING_CONTEXT,
    PRINTING_MEDIA,
    RECYCLE_AFTER,
    _Browser,
    find_chromium,
    launch_args,
    launch_error,
    require_playwright,
)

Paper = Literal["A4", "Letter"]
PAPERS: tuple[Paper, ...] = ("A4", "Letter")
_PRINTING = threading.Lock()


# The running header (top right) and page numbers (bottom centre) as CSS margin boxes in the
# document itself: Chromium lays them out with the pages, where header and footer templates cost
# it a small document of their own per page (about 15% more printing CPU, measured).
FONT = 'font: 8px "DejaVu Sans", Arial, sans-serif; color: #555;'
HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
HEADER_MAX = 100  # characters of running header shown; a longer one keeps its start and its end
# bidi embeddings, overrides and isolates: one left open in a name would turn the rest of the header around
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _header_text(header: str) -> str:
    """The running header as shown: without bidi controls, and at most HEADER_MAX characters (a
    name may be any length; the document's first page shows it whole), its middle elided."""
    text = BIDI_CONTROLS.sub("", header)
    return text if len(text) <= HEADER_MAX else text[: HEADER_MAX - 36] + "\u2026" + text[-35:]


def _css_string(text: str) -> str:
    """``text`` as a CSS string: every character but ASCII letters and digits escaped (six hex
    digits, so none is followed by the space CSS would take as the escape's end), so no quote,
    backslash or ``</style>`` in a trainee's name can end it."""
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in text) + '"'


def _with_running(document: str, header: str) -> str:
    """``document`` with its running header (plain text) and page numbers, in its head."""
    shown = _header_text(header)
    top = f"@top-right {{ content: {_css_string(shown)}; {FONT} overflow-wrap: anywhere; }}" if shown else ""
    numbers = f'@bottom-center {{ content: "Page " counter(page) " of " counter(pages); {FONT} }}'
    style = "<style>" + f"@page {{ {top} {numbers} }}" + "</style>"  # values go into CSS, escaped for CSS
    found = HEAD_END.search(document)
    return document[: found.start()] + style + document[found.start() :] if found else style + document


def print_pdf(document: str, *, paper: Paper = "A4", header: str = "") -> bytes:
    """Print an HTML document to PDF bytes; ``header`` is plain text for the running header."""
    _check_paper(paper)
    with _PRINTING:  # one reused page: one document at a time
        return _print(BROWSER, document, paper, header)


class BackgroundPrinter:
    """A printer whose Chromium starts in a thread of its own as soon as it is made, and that
    prints up to ``pages`` documents at once.

    For a command that first has to build what it prints (the cohort report, ``workbook
    export``): starting Playwright, Chromium and the printing pages (about a second) overlaps
    the Python work instead of following it. :meth:`submit` returns at once with a future, so
    the caller goes on rendering while Chromium prints; documents printed at once go to
    separate pages (each in its own offline, script-less context), which Chromium renders in
    separate processes, on separate cores. Of the documents waiting for a page, the longest is
    printed first: it would otherwise finish last. The browser is this printer's own (Playwright's
    async API, on an event loop in the printer's thread) and is closed on leaving the ``with``
    block. A browser that cannot start raises when a print's result is asked for, as
    :func:`print_pdf` would.
    """

    def __init__(self, pages: int = 1) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="wb-print", daemon=True)
        self._thread.start()
        self._playwright: Any = None
        self._browser: Any = None
        # waiting documents, longest first: (-length, arrival, document, paper, header, its result)
        self._jobs: asyncio.PriorityQueue[tuple[int, int, str, Paper, str, asyncio.Future[bytes]]] | None = None
        self._arrivals = itertools.count()
        self._pages: list[asyncio.Task[None]] = []  # one loop per printing page
        self._started = asyncio.run_coroutine_threadsafe(self._start(max(1, pages)), self._loop)

    async def _start(self, pages: int) -> None:
        require_playwright()
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        path = find_chromium()
        self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=path, headless=True, args=launch_args()
            )
        except PlaywrightError as err:
            raise launch_error(err, path) from err
        self._jobs = asyncio.PriorityQueue()
        for _ in range(pages):
            self._pages.append(self._loop.create_task(self._serve(await self._new_page())))

    async def _new_page(self) -> Any:
        """A printing page in a context of its own: offline, no JavaScript, every request aborted,
        in print media."""
        context = await self._browser.new_context(**PRINTING_CONTEXT)
        await context.route("**/*", lambda route: route.abort())
        page = await context.new_page()
        await page.emulate_media(media=PRINTING_MEDIA)
        return page

    def submit(self, document: str, *, paper: Paper = "A4", header: str = "") -> Future[bytes]:
        """Print ``document`` to PDF bytes, in the background: the future's result is the PDF."""
        _check_paper(paper)
        return asyncio.run_coroutine_threadsafe(self._print(document, paper, header), self._loop)

    def print(self, document: str, *, paper: Paper = "A4", header: str = "") -> bytes:
        return self.submit(document, paper=paper, header=header).result()

    async def _print(self, document: str, paper: Paper, header: str) -> bytes:
        await asyncio.wrap_future(self._started)  # a browser that did not start: its own error, first
        assert self._jobs is not None
        printed: asyncio.Future[bytes] = self._loop.create_future()
        self._jobs.put_nowait((-len(document), next(self._arrivals), document, paper, header, printed))
        return await printed

    async def _serve(self, page: Any) -> None:
        """One page's loop: print the longest waiting document, then the next; after every
        RECYCLE_AFTER documents the page is replaced by a fresh one (as :data:`BROWSER`'s is), so a
        long batch's Chromium stays the same size."""
        assert self._jobs is not None
        for count in itertools.count(1):
            _, _, document, paper, header, printed = await self._jobs.get()
            try:
                if page.is_closed():  # a replacement that failed last time: tried again, for this document
                    page = await self._new_page()
                await page.set_content(_with_running(document, header), wait_until="load")
                printed.set_result(await page.pdf(**_pdf_options(paper)))
                if count % RECYCLE_AFTER:
                    await page.set_content("")  # drop the document (and the trainee's answers) from the page
                else:
                    await page.context.close()
                    page = await self._new_page()
            except Exception as err:  # this document fails; the page goes on with the next
                if not printed.done():
                    printed.set_exception(err)

    async def _close(self) -> None:
        with contextlib.suppress(Exception):  # a browser that did not start has nothing to close
            await asyncio.wrap_future(self._started)
        for task in self._pages:
            task.cancel()
        await asyncio.gather(*self._pages, return_exceptions=True)
        if self._browser is not None:
            with contextlib.suppress(Exception):
                await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    def close(self) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> BackgroundPrinter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def printer_for(formats: Sequence[str], pages: int = 1) -> contextlib.AbstractContextManager[BackgroundPrinter | None]:
    """A :class:`BackgroundPrinter`, started now, when ``formats`` asks for PDF; else ``None``.

    A command that prints opens this first thing, before it imports what builds the document, so
    Chromium starts while the rest of the program loads.
    """
    return BackgroundPrinter(pages) if "pdf" in formats else contextlib.nullcontext()


def _check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise ExportError(f"paper: {paper!r} is not one of {', '.join(PAPERS)}")


def _pdf_options(paper: Paper) -> dict[str, Any]:
    """Tagged (headings, lists and tables a screen reader can follow; the running header and page
    numbers stay outside the tags) and with an outline of the headings, for moving by section."""
    return {
        "format": paper,
        "print_background": True,
        "tagged": True,
        "outline": True,
        "margin": {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
    }


def _print(browser: _Browser, document: str, paper: Paper, header: str) -> bytes:
    page = browser.printing_page()
    page.set_content(_with_running(document, header), wait_until="load")
    pdf: bytes = page.pdf(**_pdf_options(paper))
    page.set_content("")  # drop the document (and the trainee's answers) from the page
    return pdf
