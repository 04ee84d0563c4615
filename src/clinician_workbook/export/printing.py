"""PDF printing: an HTML document printed by headless Chromium (one browser per process, reused).

Chromium never gets the chance to fetch anything or run a script: JavaScript is off, every
request a page would make is aborted, and the context is offline. The running header and footer are
Chromium templates; the trainee's name and the title are escaped before they go in. Imports no
nbconvert, so the cohort report prints without loading it; the exporter is in :mod:`.pdf`.
"""

from __future__ import annotations

import threading
from typing import Literal

from markupsafe import Markup

from ..errors import ExportError
from .browser import BROWSER

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
