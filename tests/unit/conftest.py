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


@pytest.fixture(scope="session")
def answered_fixture_store(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """A responses folder where 'Ada Test' has answered most of the fixture course (fixed seed);
    the fixture-course twin of tests/conftest.py ``answered_store``."""
    import random

    from clinician_workbook.responses import ResponseStore, store_path
    from tests.factories import Plan, fill_store

    folder = tmp_path_factory.mktemp("answered-fixture") / "responses"
    with ResponseStore(store_path(folder, "Ada Test"), "Ada Test") as store:
        fill_store(store, catalog, random.Random(7), Plan(critical_misses=["triage-self-harm-clear"]))
    return folder
