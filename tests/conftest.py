"""Shared fixtures: a private copy of the bundled content and an in-process CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    """Debian's Chromium (or WORKBOOK_CHROMIUM); skipped with a reason locally, a failure under CI=true."""
    from clinician_workbook.export.browser import find_chromium

    path = find_chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium found: run scripts/install-system-deps.sh")
        pytest.skip("no Chromium found (install Debian's chromium or set WORKBOOK_CHROMIUM)")
    return path
