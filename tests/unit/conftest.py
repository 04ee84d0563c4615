"""Code tests run on the small fixture course (tests/fixtures/course), so a valid bigger or
different bundled course never fails them; the bundled course's own content is tested in tests/course."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinician_workbook.content import Catalog, load_bundled
from tests.conftest import FIXTURES

COURSE = FIXTURES / "course"
PRACTICE = "test-practice"  # the fixture course's challenge with signs
CONCERNS = "test-concerns"  # its red-flag page: the challenge without signs


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The fixture course, loaded once (overrides the bundled one of tests/conftest.py here)."""
    return load_bundled(COURSE)


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture course, as ``<tmp>/content`` (messages name ``content/...``)."""
    target = tmp_path / "content"
    shutil.copytree(COURSE, target)
    return target
