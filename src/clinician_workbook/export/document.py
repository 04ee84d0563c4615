"""``workbook export``: a trainee's reviewed workbook as HTML and PDF, per challenge and combined.

Each challenge notebook runs in review mode (answers come from the store, never from widget
state), in-process like the batch (a test checks the result equals plain papermill's); the
executed notebooks are turned into HTML by the workbook exporter and printed to PDF
by one reused Chromium. Files land under ``OUT/<trainee-file-name>/``, each written atomically.
They hold a trainee's answers, so they are owner-only (0600), in folders created 0700.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from ..content import load_bundled
from ..errors import UsageError
from ..files import PRIVATE, write_atomic
from ..options import DOCUMENT_FORMATS
from ..outputs import check_folder
from ..pages import find_page, page_title
from ..render import render
from ..responses import read_store, safe_filename, store_path
from ..runner import InProcessRunner, notebook_for
from .html import WorkbookHTMLExporter
from .pdf import Paper, print_pdf
from .printing import BackgroundPrinter, printer_for

TITLE = re.compile(r"<(/?)h1\b")  # trainee text is escaped, so every tag here is our markup


@dataclass(frozen=True)
class ExportRequest:
    trainee: str
    responses: Path
    challenges: tuple[str, ...]
    formats: tuple[str, ...]
    out: Path
    paper: Paper = "A4"
    include_private: bool = False
    content: Path | None = None  # the course folder; None: the bundled course


def _html_cell(html: str) -> Any:
    return nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data={"text/html": html})])


def _page_break() -> Any:
    return _html_cell('<div class="wb-pagebreak"></div>')


def _demote_titles(cell: Any) -> None:
    """Each challenge's title (its page's h1) becomes an h2 under the combined document's one h1."""
    for output in cell.get("outputs", []):
        html = output.get("data", {}).get("text/html")
        if html is not None:
            output["data"]["text/html"] = TITLE.sub(r"<\1h2", "".join(html))


def combine(notebooks: Sequence[Any], title: str, cover: str) -> Any:
    """One notebook: the ``cover`` (the document's h1), then every challenge's outputs, each on a new page."""
    combined = nbformat.v4.new_notebook(metadata={"title": title})
    combined.cells.append(_html_cell(cover))
    for index, nb in enumerate(notebooks):
        combined.cells.append(_page_break())
        for cell in copy.deepcopy(nb.cells):
            cell.id = f"n{index}-{cell.get('id', len(combined.cells))}"  # ids stay unique across notebooks
            _demote_titles(cell)
            combined.cells.append(cell)
    return combined


def export_workbook(request: ExportRequest, printer: BackgroundPrinter | None = None) -> list[Path]:
    """Write the requested documents; return their paths (per challenge, then the combined one).

    PDFs go to ``printer`` (a caller may start one before it imports this module, so Chromium
    starts while the rest loads); without one, a printer is started here when PDFs are asked for.
    """
    check_folder(request.out)  # a wrong --out costs nothing: checked before the store is read
    store = store_path(request.responses, request.trainee)
    if not store.exists():
        raise UsageError(f"{store}: no saved answers for {request.trainee!r} (check --responses and --trainee)")
    read_store(store, request.trainee)  # checks the store (schema, owner) before any work starts, writing nothing
    with contextlib.ExitStack() as stack:
        # without a caller's printer, Chromium starts now, in a thread of its own, while the notebooks run
        printer = printer or stack.enter_context(printer_for(request.formats, pages=2))
        return _export(request, printer)


def _export(request: ExportRequest, printer: BackgroundPrinter | None) -> list[Path]:
    folder = request.out / safe_filename(request.trainee)
    catalog = load_bundled(request.content)
    exporter = WorkbookHTMLExporter()
    runner = InProcessRunner()  # the same documents as papermill's, without a kernel per notebook

    written: list[tuple[Path, Future[bytes] | None]] = []
    executed = []

    def make(nb: Any, stem: Path, title: str) -> None:
        document, _ = exporter.from_notebook_node(nb, {"workbook_title": title})
        for fmt in (f for f in DOCUMENT_FORMATS if f in request.formats):
            path = stem.with_suffix(f".{fmt}")
            if fmt == "html":
                written.append((write_atomic(path, document.encode("utf-8"), mode=PRIVATE), None))
            else:
                assert printer is not None
                written.append((path, printer.submit(document, paper=request.paper, header=title)))

    for challenge in request.challenges:  # each chapter is printed while the next notebook runs
        page = find_page(catalog, challenge, "--challenge", work=True)
        nb = runner.run(
            notebook_for(catalog, page.id),
            {
                "trainee": request.trainee,
                "mode": "review",
                "responses": str(request.responses),
                "show_private": request.include_private,
                "content": str(request.content) if request.content else None,
            },
            page.notebook,
        )
        executed.append(nb)
        make(nb, folder / page.stem, f"{request.trainee}: {page_title(catalog, page.id)} (review)")
    if len(executed) > 1:  # the longest to print: the printer takes it before chapters still waiting
        title = f"Workbook of {request.trainee}"
        chapters = [page_title(catalog, challenge) for challenge in request.challenges]
        cover = render(
            "review.html.j2", "cover", course=catalog.course, title=title, trainee=request.trainee, chapters=chapters
        )
        make(combine(executed, title, cover), folder / "workbook", title)
    for path, pdf in written:
        if pdf is not None:
            write_atomic(path, pdf.result(), mode=PRIVATE)
    return [path for path, _ in written]


def render_documents(
    exporter: WorkbookHTMLExporter,
    nb: Any,
    formats: Sequence[str],
    paper: Paper,
    title: str,
    printer: BackgroundPrinter | None = None,
) -> list[bytes]:
    """The executed notebook as one document per format: ``html``, or ``pdf`` printed from that HTML
    (by ``printer``, else by this process's browser).

    Bytes, written nowhere: a batch's Dask worker sends them back to the machine that keeps them.
    """
    document, _ = exporter.from_notebook_node(nb, {"workbook_title": title})
    html = document.encode("utf-8")
    pdf = printer.print if printer else print_pdf
    return [html if fmt == "html" else pdf(document, paper=paper, header=title) for fmt in formats]


def write_documents(
    exporter: WorkbookHTMLExporter,
    nb: Any,
    paths: Sequence[Path],
    paper: Paper,
    title: str,
    *,
    mode: int = PRIVATE,
) -> list[Path]:
    """:func:`render_documents` to each path by its suffix (.html or .pdf), each written atomically.

    Files get exactly ``mode``; owner-only unless the caller knows the document holds no answers.
    """
    formats = [path.suffix.removeprefix(".") for path in paths]
    for path, payload in zip(paths, render_documents(exporter, nb, formats, paper, title), strict=True):
        write_atomic(path, payload, mode=mode)
    return list(paths)
