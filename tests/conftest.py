"""Shared fixtures: a private copy of the bundled content and an in-process CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from clinician_workbook.cli import main
from clinician_workbook.paths import bundled_content_dir

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Result:
    code: int
    out: str
    err: str


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
