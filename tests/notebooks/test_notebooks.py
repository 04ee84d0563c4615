"""The notebooks: committed clean and thin, and every one runs under plain papermill."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from clinician_workbook.paths import bundled_notebooks_dir

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(bundled_notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
PARAMETERS = ("trainee", "challenge", "mode", "responses", "difficulty", "seed")


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


def test_notebooks_match_their_generator(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_notebooks.py"), str(tmp_path)], check=True)
    for path in [*NOTEBOOKS, bundled_notebooks_dir() / "supervisor-review.ipynb"]:
        assert json.loads((tmp_path / path.name).read_text()) == json.loads(path.read_text()), path.name


def _papermill(path: Path, tmp_path: Path, *params: str) -> str:
    out = tmp_path / f"{path.stem}-out.ipynb"
    command = [sys.executable, "-m", "papermill", str(path), str(out), "--cwd", str(tmp_path), *params]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    return "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.requires_kernel
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_runs_interactive_mode_and_writes_nothing(path: Path, tmp_path: Path) -> None:
    responses = tmp_path / "r"
    html = _papermill(path, tmp_path, "-p", "trainee", "Ada Test", "-p", "responses", str(responses))
    assert "not yet clinically reviewed" in html and "Ada Test" in html
    assert not responses.exists()  # no answer given: nothing written, not even a folder


@pytest.mark.requires_kernel
@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_papermill_runs_handout_mode(path: Path, tmp_path: Path) -> None:
    html = _papermill(path, tmp_path, "-p", "mode", "handout", "-p", "trainee", "Ada <Test>", "-p", "cohort", "C1")
    assert "not yet clinically reviewed" in html and "Ada &lt;Test&gt;" in html and "wb-box" in html
    assert "jupyter-widgets" not in html and "<script" not in html
    assert "emergency services" in html  # the safety notice is on every document


@pytest.mark.requires_kernel
@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.stem)
def test_papermill_runs_review_mode(path: Path, tmp_path: Path, answered_store: Path) -> None:
    params = ["-p", "mode", "review", "-p", "trainee", "Ada Test", "-p", "responses", str(answered_store)]
    html = _papermill(path, tmp_path, *params)
    assert "not yet clinically reviewed" in html and "emergency services" in html
    assert "Summary:" in html and "attempt" in html
    assert "<script" not in html
