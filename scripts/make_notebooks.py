"""Write the trainee notebooks in notebooks/ from one description, so they stay thin and alike.

Run: .venv/bin/python scripts/make_notebooks.py   (a test checks the committed files match)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HIDDEN = {"jupyter": {"source_hidden": True}}
HOW = (
    "**How to use this notebook:** open the **Run** menu and choose **Run All Cells**. "
    "Then work through the exercises below; every answer is saved the moment you give it, "
    "and is still here when you come back."
)
START = (
    "from clinician_workbook.session import start\n\n"
    "wb = start(\n"
    "    challenge, trainee=trainee, mode=mode, responses=responses, difficulty=difficulty, seed=seed,\n"
    "    cohort=cohort, date=date, show_private=show_private,\n"
    ")\n"
    "wb.header()"
)
PRACTICE = [
    "wb.signs()",
    "wb.spot_signs()",
    "wb.respond()",
    "wb.knowledge_checks()",
    "wb.reflections()",
    "wb.progress()",
    "wb.safety()\nwb.references()",
]
NOTEBOOKS = {
    "00-welcome": ("Welcome", "welcome", ["wb.welcome()", "wb.safety()\nwb.references()"]),
    "01-emotional-overwhelm": ("Emotionally overwhelming sessions", "emotional-overwhelm", PRACTICE),
    "02-resistance-avoidance": ("Resistance and avoidance", "resistance-avoidance", PRACTICE),
    "03-feeling-stuck": ("Feeling stuck", "feeling-stuck", PRACTICE),
    "04-navigating-challenges": (
        "Navigating challenges",
        "navigating-challenges",
        ["wb.strategies()", "wb.strategy_matches()", "wb.progress()", "wb.safety()\nwb.references()"],
    ),
    "05-when-concerning": (
        "When challenges become concerning",
        "when-concerning",
        ["wb.safety()", "wb.red_flags()", "wb.triage()", "wb.progress()", "wb.safety()\nwb.references()"],
    ),
}


def parameters(challenge: str) -> nbformat.NotebookNode:
    return new_code_cell(
        "# Parameters (papermill can set these)\n"
        "trainee = None  # the trainee's name or id; None: this workspace's trainee\n"
        f"challenge = {challenge!r}\n"
        'mode = "interactive"  # interactive | handout | review\n'
        "responses = None  # store folder or .sqlite file; None: this workspace's\n"
        'difficulty = "beginner"  # where deliberate practice starts\n'
        "seed = 0  # fixes the order of answer options\n"
        'cohort = ""  # printed on a handout\'s cover\n'
        "date = None  # the document's date; None: today\n"
        "show_private = False  # review: include reflections the trainee did not share",
        metadata={**HIDDEN, "tags": ["parameters"]},
    )


def build(name: str) -> nbformat.NotebookNode:
    title, challenge, calls = NOTEBOOKS[name]
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    # the how-to line is for JupyterLab only: exports drop cells tagged interactive-only
    how = new_markdown_cell(f"# {title}\n\n{HOW}", metadata={"tags": ["interactive-only"]})
    nb.cells = [how, parameters(challenge), new_code_cell(START, metadata=HIDDEN)]
    nb.cells += [new_code_cell(call, metadata=dict(HIDDEN)) for call in calls]
    for index, cell in enumerate(nb.cells):
        cell.id = f"{name[:2]}-{index:02d}"
    return nb


SUPERVISOR = "supervisor-review"
SUPERVISOR_HOW = (
    "**Supervisor review.** Set `responses` to the trainee's store (`.sqlite`) or hand-in file (`.json`) and "
    "`supervisor` to your name, then **Run → Run All Cells**. For each answer: rate it against the criteria, "
    "comment, and give one concrete next step. Each *Save feedback* is stored with your name and shows in the "
    "trainee's review export; the trainee's own answers are never changed."
)


def build_supervisor() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    params = new_code_cell(
        "# Parameters (papermill can set these)\n"
        'responses = "hand-in.json"  # the trainee\'s store (.sqlite) or hand-in file (.json)\n'
        'supervisor = "Supervisor"  # your name, saved with your feedback\n'
        "copies = None  # where a hand-in is imported to; None: supervisor-copies/ beside it",
        metadata={**HIDDEN, "tags": ["parameters"]},
    )
    calls = [
        "from clinician_workbook.supervision import supervise\n\n"
        "sv = supervise(responses, supervisor, copies=copies)\nsv.header()",
        "sv.responses()",
        "sv.triage()",
        "sv.reflections()",
    ]
    how = new_markdown_cell(f"# Supervisor review\n\n{SUPERVISOR_HOW}", metadata={"tags": ["interactive-only"]})
    nb.cells = [how, params, *[new_code_cell(call, metadata=dict(HIDDEN)) for call in calls]]
    for index, cell in enumerate(nb.cells):
        cell.id = f"sv-{index:02d}"
    return nb


def main(folder: Path) -> None:
    for name in NOTEBOOKS:
        nbformat.write(build(name), folder / f"{name}.ipynb")
    nbformat.write(build_supervisor(), folder / f"{SUPERVISOR}.ipynb")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "notebooks")
