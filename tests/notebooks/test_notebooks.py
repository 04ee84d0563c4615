"""The notebooks: committed clean and thin; every one runs in every mode (in this process, as papermill
would run it, and once through the papermill command)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import runpy
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from clinician_workbook.paths import bundled_notebooks_dir
from tests.conftest import displayed_html, papermill_command

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(bundled_notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
PARAMETERS = ("trainee", "challenge", "mode", "responses", "difficulty", "seed")
WIDGET = "application/vnd.jupyter.widget-view+json"


def test_there_are_six_trainee_notebooks() -> None:
    assert [p.stem for p in NOTEBOOKS] == [
        "00-welcome",
        "01-emotional-overwhelm",
        "02-resistance-avoidance",
        "03-feeling-stuck",
        "04-navigating-challenges",
        "05-when-concerning",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_clean_thin_and_hidden(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert all(f"\n{name} = " in "\n" + params[0].source for name in PARAMETERS)
    # thin: parameters and a start, then one call into the package per cell (one per exercise)
    setup, calls = code[:2], code[2:]
    assert sum(len(c.source.splitlines()) for c in setup) < 30
    assert all(re.fullmatch(r"(wb\.\w+\(('[\w-]+')?\)\n?){1,2}", c.source) for c in calls), path.name


def test_notebooks_match_their_generator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["make_notebooks.py", str(tmp_path)])
    with contextlib.redirect_stdout(io.StringIO()):  # the script, run as a script, in this process
        runpy.run_path(str(ROOT / "scripts" / "make_notebooks.py"), run_name="__main__")
    for path in [*NOTEBOOKS, bundled_notebooks_dir() / "supervisor-review.ipynb"]:
        assert json.loads((tmp_path / path.name).read_text()) == json.loads(path.read_text()), path.name


@pytest.mark.requires_kernel
def test_papermill_command_runs_a_notebook_and_writes_nothing(tmp_path: Path) -> None:
    """Plain ``papermill`` on the command line, in a real kernel, in interactive mode (the one
    mode the in-process comparison does not cover): exercise widgets, and no store written."""
    responses = tmp_path / "r"
    nb = papermill_command(NOTEBOOKS[1], tmp_path, trainee="Ada Test", responses=responses)
    html = displayed_html(nb)
    assert "not yet clinically reviewed" in html and "Ada Test" in html
    assert [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if WIDGET in o.get("data", {})]
    assert not responses.exists()  # no answer given: nothing written, not even a folder


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_interactive_mode_runs_and_writes_nothing(path: Path, tmp_path: Path, run_notebook: Any) -> None:
    responses = tmp_path / "r"
    html = run_notebook(path, tmp_path, trainee="Ada Test", responses=str(responses))
    assert "not yet clinically reviewed" in html and "Ada Test" in html
    assert not responses.exists()  # no answer given: nothing written, not even a folder
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_handout_mode(path: Path, tmp_path: Path, run_notebook: Any) -> None:
    html = run_notebook(path, tmp_path, mode="handout", trainee="Ada <Test>", cohort="C1")
    assert "not yet clinically reviewed" in html and "Ada &lt;Test&gt;" in html and "wb-box" in html
    assert "jupyter-widgets" not in html and "<script" not in html
    assert "emergency services" in html  # the safety notice is on every document


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_review_mode(path: Path, tmp_path: Path, answered_store: Path, run_notebook: Any) -> None:
    html = run_notebook(path, tmp_path, mode="review", trainee="Ada Test", responses=str(answered_store))
    assert "not yet clinically reviewed" in html and "emergency services" in html
    assert "Summary:" in html and "attempt" in html
    assert "<script" not in html
