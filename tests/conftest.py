"""Shared fixtures: a private copy of the bundled content and an in-process CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.cli import main
from clinician_workbook.content import Catalog, load_bundled
from clinician_workbook.paths import bundled_content_dir

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.hookimpl(trylast=True)  # after tests/e2e/conftest.py has marked its tests e2e
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first: slow and end-to-end (the hub flow, over a minute), slow, end-to-end,
    then the rest, each group in its usual order. Under pytest-xdist a long test that happens to
    start last keeps one process busy while the others have nothing left to do; started first, it
    runs while they take the short tests, and worksteal shares out whatever is left."""
    items.sort(key=lambda item: (not item.get_closest_marker("slow"), not item.get_closest_marker("e2e")))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled course, loaded once."""
    return load_bundled()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled content, as ``<tmp>/content``."""
    target = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), target)
    return target


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``workbook ARGS`` in-process; an uncaught exception fails the test."""

    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def answered_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A responses folder where 'Ada Test' has answered most of the workbook (fixed seed)."""
    import random

    from clinician_workbook.content import load_bundled
    from clinician_workbook.responses import ResponseStore, store_path
    from tests.factories import Plan, fill_store

    folder = tmp_path_factory.mktemp("answered") / "responses"
    with ResponseStore(store_path(folder, "Ada Test"), "Ada Test") as store:
        fill_store(store, load_bundled(), random.Random(7), Plan(critical_misses=["triage-self-harm-clear"]))
    return folder


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium headless shell (or WORKBOOK_CHROMIUM); skipped with a reason locally, a
    failure under CI=true."""
    from clinician_workbook.export.browser import find_chromium

    path = find_chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium found: run scripts/install-system-deps.sh")
        pytest.skip("no Chromium found (run scripts/install-system-deps.sh or set WORKBOOK_CHROMIUM)")
    return path


def displayed_html(nb: Any) -> str:
    """The HTML an executed notebook displayed, after checking that no cell failed."""
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return "".join(o.get("data", {}).get("text/html", "") for o in outputs)


def papermill_command(notebook: Path, cwd: Path, **parameters: object) -> Any:
    """Run ``papermill NOTEBOOK OUT --cwd CWD -p name value ...`` (a kernel of its own) and read OUT.

    The command a user types; tests run it once or twice only, and otherwise use ``run_notebook``."""
    import nbformat

    out = cwd / f"out-{notebook.stem}-{parameters.get('mode', 'interactive')}.ipynb"
    command = [sys.executable, "-m", "papermill", str(notebook), str(out), "--cwd", str(cwd)]
    for name, value in parameters.items():
        command += ["-p", name, str(value)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope="session")
def notebook_runner() -> Any:
    from clinician_workbook.runner import InProcessRunner

    return InProcessRunner()


@pytest.fixture
def run_notebook(notebook_runner: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Run a notebook file in this process from folder ``cwd``, as batch and export do; its HTML.

    Running it under papermill would start a kernel per notebook, which is most of the time and
    proves nothing more: the runner injects parameters exactly as papermill does, and
    ``tests/integration/test_batch.py::test_fast_path_gives_the_same_documents_as_papermill``
    checks its documents equal papermill's on every page."""

    def run(notebook: Path, cwd: Path, **parameters: object) -> str:
        monkeypatch.chdir(cwd)  # as papermill --cwd: the notebook finds a workspace from its folder
        return displayed_html(notebook_runner.run(notebook, parameters))

    return run
