"""``workbook preview``: one page of a course as HTML, without Jupyter, for the author writing it.

The page's notebook runs in this process in handout or review mode and is exported exactly as
``export`` and ``batch`` do. A review preview reads a trainee's store when one is given;
otherwise it shows the page with nothing answered (an empty store in a temporary folder), which
is enough to read every case, note and supervisor note as a reviewer would.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..content import load_bundled
from ..errors import UsageError
from ..files import PRIVATE, SHARED
from ..outputs import check_file
from ..pages import find_page
from ..responses import ResponseStore, store_path
from ..runner import InProcessRunner, notebook_for
from .document import write_documents
from .html import WorkbookHTMLExporter

MODES = ("handout", "review")
AUTHOR = "nobody (a preview)"  # the trainee of a preview with no store: "Answers of nobody (a preview)"


def preview_page(
    page_id: str,
    mode: str,
    out: Path | None = None,
    *,
    content: Path | None = None,
    trainee: str | None = None,
    responses: Path | None = None,
) -> Path:
    """Write the page's HTML; return its path (default ``build/preview/NN-page.MODE.html``)."""
    if mode not in MODES:
        raise UsageError(f"--mode: {mode!r} is not one of {', '.join(MODES)}")
    catalog = load_bundled(content)
    page = find_page(catalog, page_id, "PAGE")
    path = out or Path("build/preview") / f"{page.stem}.{mode}.html"
    if path.suffix != ".html":
        raise UsageError(f"--out: {path}: a preview is an HTML page; give a file name ending in .html")
    check_file(path)
    with tempfile.TemporaryDirectory(prefix="workbook-preview-") as tmp:
        who, folder = trainee or AUTHOR, responses
        if mode == "review" and folder is None:
            folder = Path(tmp) / "responses"
            ResponseStore(store_path(folder, who), who).close()  # an empty store: nothing answered
        parameters = {"mode": mode, "trainee": who, "content": str(content) if content else None}
        if folder is not None:
            parameters["responses"] = str(folder)
        nb = InProcessRunner().run(notebook_for(catalog, page.id), parameters, page.notebook)
        title = f"{page.title} ({mode} preview)"
        # a preview of a real trainee's answers is theirs: owner-only; a blank one holds no answers
        mode_bits = PRIVATE if responses is not None else SHARED
        write_documents(WorkbookHTMLExporter(), nb, [path], "A4", title, mode=mode_bits)
    return path
