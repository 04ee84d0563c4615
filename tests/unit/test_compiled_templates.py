"""Compiled templates are kept between processes, and a cache that cannot be used costs nothing but time."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import Environment

from clinician_workbook.render import draft_notice, environment


class Course:
    draft_notice = "Written by the team; no clinician has reviewed it."


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary directory of the test's own, and no environment (so no cache) carried in or out."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    environment.cache_clear()
    yield tmp_path / f"_jinja2-cache-{os.getuid()}"
    environment.cache_clear()


def test_a_second_process_loads_the_compiled_template(temp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = draft_notice(Course())
    assert stat.S_IMODE(temp.stat().st_mode) == 0o700
    assert [stat.S_IMODE(f.stat().st_mode) for f in temp.iterdir()] == [0o600]
    environment.cache_clear()  # as a new process would: a new environment, the same folder

    def compile_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(Environment, "compile", compile_again)
    assert draft_notice(Course()) == first


def test_a_cache_folder_someone_else_made_is_not_used(temp: Path) -> None:
    """Another user made the folder first (open to all, so they could plant a compiled template
    there): it is never read or written, and pages render as before."""
    temp.mkdir()
    try:
        os.chown(temp, 12345, -1)
    except PermissionError:
        pytest.skip("only root can give a folder to another user here")
    temp.chmod(0o777)
    assert "draft" in draft_notice(Course()).lower()
    assert list(temp.iterdir()) == []


def test_a_cache_that_cannot_be_written_still_renders(temp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full_disk)
    assert "draft" in draft_notice(Course()).lower()
    assert list(temp.iterdir()) == []
