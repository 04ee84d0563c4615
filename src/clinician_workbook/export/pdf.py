"""PDF export: our HTML printed by headless Chromium (one browser per process, reused).

Chromium never gets the chance to fetch anything or run a script: JavaScript is off, every
request a page would make is aborted, and the context is offline. The running header and footer are
Chromium templates; the trainee's name and the title are escaped before they go in.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from markupsafe import Markup
from traitlets import Enum, default

from ..errors import ExportError
from .browser import BROWSER
from .html import WorkbookHTMLExporter

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
    if paper not in PAPERS:
        raise ExportError(f"paper: {paper!r} is not one of {', '.join(PAPERS)}")
    with _PRINTING:  # one reused page: one document at a time
        return _print(document, paper, header)


def _print(document: str, paper: Paper, header: str) -> bytes:
    page = BROWSER.printing_page()
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


class WorkbookPDFExporter(WorkbookHTMLExporter):
    """``jupyter nbconvert --to workbook_pdf``: the workbook HTML printed by headless Chromium."""

    export_from_notebook = "Workbook PDF"
    output_mimetype = "application/pdf"
    paper = Enum(list(PAPERS), default_value="A4", help="Paper size: A4 or Letter").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_file")
    def _template_file_default(self) -> str:
        return "index.html.j2"  # the PDF is printed from the same HTML

    def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[Any, Any]:
        document, resources = super().from_notebook_node(nb, resources, **kw)
        header = resources.get("workbook_header") or resources.get("workbook_title", "")
        pdf = print_pdf(document, paper=self.paper, header=str(header))
        resources["output_extension"] = ".pdf"
        return pdf, resources


__all__ = ["PAPERS", "WorkbookPDFExporter", "print_pdf"]
