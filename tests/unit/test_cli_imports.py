"""The CLI loads only what a command needs (a structural check; benchmarks/cli.py has the times).

Every run of ``workbook`` imports ``clinician_workbook.cli``; before the imports moved into the
command handlers that alone pulled in nbformat -> jsonschema -> rfc3987_syntax (a Lark grammar
built on import) and nbconvert: 2-5 s before ``--help`` could print. Each check runs in a fresh
interpreter, since this test process has long since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.conftest import COURSE

# Jupyter, the notebook format and its JSON-schema checker, the PDF printer
HEAVY = ("nbformat", "jsonschema", "nbconvert", "papermill", "playwright", "jupyter_client", "ipywidgets")


def heavy_modules_loaded(code: str, cwd: Path) -> list[str]:
    """The heavy top-level packages in ``sys.modules`` after ``code`` ran in a new interpreter."""
    listing = f"sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})"
    probe = f"{code}\nimport sys, json\nprint(json.dumps({listing}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_module(tmp_path: Path) -> None:
    assert heavy_modules_loaded("import clinician_workbook.cli", tmp_path) == []


@pytest.mark.parametrize("course", [None, COURSE], ids=["bundled", "given"])
def test_validate_loads_no_jupyter_module(tmp_path: Path, course: Path | None) -> None:
    """``workbook validate`` reads YAML and checks it with pydantic: nothing of Jupyter's, even
    though it looks for a workspace (whose module writes notebooks) to find the course."""
    argv = ["validate", *([str(course)] if course else [])]
    run = f"from clinician_workbook.cli import main\nassert main({argv!r}) == 0"
    assert heavy_modules_loaded(run, tmp_path) == []


def test_report_without_pdf_loads_no_jupyter_module(tmp_path: Path) -> None:
    """``workbook report`` styles its HTML with the documents' CSS, read without nbconvert (whose
    import alone took longer than the report of 200 trainees)."""
    from clinician_workbook.responses import ResponseStore, store_path

    folder = tmp_path / "cohort"
    with ResponseStore(store_path(folder, "Ada"), "Ada") as store:
        store.save(
            "when-concerning",
            "triage",
            "triage-self-harm-clear",
            {"urgency": "routine", "steps": [["act-safety-plan"]]},
        )
    argv = ["report", str(folder), "--format", "html,csv", "--out", str(tmp_path / "r")]
    run = f"from clinician_workbook.cli import main\nassert main({argv!r}) == 0"
    assert heavy_modules_loaded(run, tmp_path) == []
    assert "Safety-critical" in (tmp_path / "r.html").read_text(encoding="utf-8")
