"""The notebooks, built from the course's pages: thin, alike, and the same for any course.

Every page notebook is a how-to line, a parameters cell, a start cell, and one call per section
of the page. The bundled notebooks in ``notebooks/`` are written by this module
(``scripts/make_notebooks.py``; a test checks they match), and every other course gets its
notebooks from it too: ``workbook init`` writes them, the runner builds them in memory.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .content.catalog import Catalog
from .files import PRIVATE, SHARED, write_atomic
from .pages import Page, pages

PAGE_MARK = "clinician_workbook"  # notebook metadata key of the workbook's own notebooks
# the kernel metadata a workbook notebook is written with (and, in JupyterLab, saved with again)
KERNEL_METADATA: dict[str, Any] = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}
HIDDEN = {"jupyter": {"source_hidden": True}}
HOW = (
    "**To open this page:** choose **Run All Cells** from the **Run** menu. "
    "Then work through it below; every answer is saved the moment you give it."
)
START = (
    "from clinician_workbook.session import start\n\n"
    "wb = start(\n"
    "    challenge, trainee=trainee, mode=mode, responses=responses, difficulty=difficulty, seed=seed,\n"
    "    cohort=cohort, date=date, show_private=show_private, content=content,\n"
    ")\n"
    "wb.header()"
)
CLOSING = "wb.safety()\nwb.references()"
# exercise -> the Session call that shows it (spot-signs and classify share one call)
CALLS = {
    "spot-signs": "wb.spot_signs()",
    "classify": "wb.spot_signs()",
    "respond": "wb.respond()",
    "knowledge-check": "wb.knowledge_checks()",
    "reflect": "wb.reflections()",
    "strategy-match": "wb.strategy_matches()",
    "triage": "wb.triage()",
}
# the section calls that also show one item at a time: one exercise (or one case) per cell, so
# its output area is its own (focus and Tab stay in it), shown in JupyterLab and the app only
EACH = {"spot-signs", "knowledge-check", "reflect", "strategy-match", "triage"}
INTERACTIVE_ONLY = "interactive-only"  # exports drop such cells; the runner skips them for documents
OPENING = {"welcome": ["wb.welcome()"], "practice": ["wb.signs()"], "strategies": ["wb.strategies()"]}
OPENING["concerns"] = ["wb.safety()", "wb.red_flags()"]
SUPERVISOR = "supervisor-review"
SUPERVISOR_HOW = (
    "**Supervisor review.** Set `responses` to the trainee's store (`.sqlite`) or hand-in file (`.json`) and "
    "`supervisor` to your name, then **Run → Run All Cells**. For each answer: rate it against the criteria, "
    "comment, and give one concrete next step. Each *Save feedback* is stored with your name and shows in the "
    "trainee's review export; the trainee's own answers are never changed."
)


def _metadata(page: str, title: str) -> dict[str, Any]:
    """A workbook notebook's metadata: its kernel, its title (Voilà's page title), and our mark
    (``PAGE_MARK``: JupyterLab saves a marked notebook without its outputs, see ``lab.py``)."""
    return {
        **copy.deepcopy(KERNEL_METADATA),
        "title": title,
        PAGE_MARK: {"page": page},
    }


def cells(page: Page) -> list[tuple[str, bool]]:
    """The calls of ``page``, in order, each with whether it is for the interactive page only:
    a section's call (its heading; in a document, the whole section), then one call per item."""
    found: list[tuple[str, bool]] = [(call, False) for call in OPENING[page.kind]]
    for exercise in page.exercises:
        call = CALLS[exercise]
        if (call, False) in found:
            continue  # spot-signs and classify share a section: one call, one cell per case
        found.append((call, False))
        if exercise in EACH:
            found += [(f"{call[:-1]}{item!r})", True) for item in page.items_of(exercise)]
    return [*found, *([("wb.progress()", False)] if page.exercises else []), (CLOSING, False)]


def calls(page: Page) -> list[str]:
    """The calls of ``page``, in order."""
    return [call for call, _ in cells(page)]


def parameters(page: Page) -> Any:
    return new_code_cell(
        "# Parameters (papermill can set these)\n"
        "trainee = None  # the trainee's name or id; None: this workspace's trainee\n"
        f"challenge = {page.id!r}\n"
        'mode = "interactive"  # interactive | handout | review\n'
        "responses = None  # store folder or .sqlite file; None: this workspace's\n"
        'difficulty = "beginner"  # where deliberate practice starts\n'
        "seed = 0  # fixes the order of answer options\n"
        'cohort = ""  # printed on a handout\'s cover\n'
        "date = None  # the document's date; None: today\n"
        "show_private = False  # review: include reflections the trainee did not share\n"
        "content = None  # the course folder; None: this workspace's course, or the bundled one",
        metadata={**HIDDEN, "tags": ["parameters"]},
    )


def build(page: Page) -> Any:
    """The notebook of ``page``."""
    nb = new_notebook()
    nb.metadata = _metadata(page.id, page.title)
    # the how-to line is for JupyterLab only: exports drop cells tagged interactive-only, the app
    # shows no markdown; the page's title is its first output (one title, in every front end)
    how = new_markdown_cell(HOW, metadata={"tags": [INTERACTIVE_ONLY]})
    nb.cells = [how, parameters(page), new_code_cell(START, metadata=HIDDEN)]
    nb.cells += [
        new_code_cell(call, metadata={**HIDDEN, "tags": [INTERACTIVE_ONLY]} if only else dict(HIDDEN))
        for call, only in cells(page)
    ]
    for index, cell in enumerate(nb.cells):
        cell.id = f"{page.number:02d}-{index:02d}"
    return nb


def build_supervisor(
    responses: str = "hand-in.json",
    supervisor: str = "Supervisor",
    copies: str | None = None,
    content: str | None = None,
    hub: bool = False,
) -> Any:
    """The supervisor notebook; ``workbook supervise`` fills in the parameters."""
    nb = new_notebook()
    nb.metadata = _metadata(SUPERVISOR, "Supervisor review")
    params = new_code_cell(
        "# Parameters (papermill can set these)\n"
        f"responses = {responses!r}  # the trainee's store (.sqlite) or hand-in file (.json)\n"
        f"supervisor = {supervisor!r}  # your name, saved with your feedback\n"
        f"copies = {copies!r}  # where a hand-in is imported to; None: supervisor-copies/ beside it\n"
        f"content = {content!r}  # the course folder; None: the bundled course\n"
        f"hub = {hub!r}  # True on a hub: each feedback is also sent to the hub service",
        metadata={**HIDDEN, "tags": ["parameters"]},
    )
    steps = [
        "from clinician_workbook.supervision import supervise\n\n"
        "sv = supervise(responses, supervisor, copies=copies, content=content, hub=hub)\nsv.header()",
        "sv.responses()",
        "sv.triage()",
        "sv.reflections()",
    ]
    how = new_markdown_cell(SUPERVISOR_HOW, metadata={"tags": [INTERACTIVE_ONLY]})
    nb.cells = [how, params, *[new_code_cell(step, metadata=dict(HIDDEN)) for step in steps]]
    for index, cell in enumerate(nb.cells):
        cell.id = f"sv-{index:02d}"
    return nb


def write_supervision_notebook(
    folder: Path,
    responses: Path,
    supervisor: str,
    copies: Path | None = None,
    content: Path | None = None,
    hub: bool = False,
) -> Path:
    """A supervisor notebook in ``folder`` for one trainee's store or hand-in, parameters filled in
    (``review-<file>.ipynb``; rewritten each time, as it holds no feedback itself: that is saved
    in the trainee's store)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"review-{responses.stem}.ipynb"
    nb = build_supervisor(
        str(responses.resolve()),
        supervisor,
        str(copies.resolve()) if copies else None,
        str(content) if content else None,
        hub,
    )
    write_atomic(path, notebook_text(nb), mode=PRIVATE)  # it names a trainee's file
    return path


def notebook_text(nb: Any) -> str:
    """The file text of ``nb``, exactly as ``nbformat.write`` would save it."""
    text = str(nbformat.writes(nb))
    return text if text.endswith("\n") else text + "\n"


def write_notebooks(catalog: Catalog, folder: Path, *, supervisor: bool = True, keep: bool = False) -> list[Path]:
    """Write every page's notebook (and the supervisor's) into ``folder``; ``keep``: never overwrite."""
    built = [(folder / p.notebook, build(p)) for p in pages(catalog)]
    if supervisor:
        built.append((folder / f"{SUPERVISOR}.ipynb", build_supervisor()))
    written = []
    for path, nb in built:
        if keep and path.exists():
            continue  # a trainee's copy is theirs
        write_atomic(path, notebook_text(nb), mode=SHARED)  # never half a notebook
        written.append(path)
    return written
