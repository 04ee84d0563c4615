"""Pages come from the course: their order, names, titles and notebooks, the course each command
uses, and batch keys that change with the content actually used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clinician_workbook.batch import plan
from clinician_workbook.content import load_bundled
from clinician_workbook.courses import ENV, content_dir
from clinician_workbook.errors import UsageError
from clinician_workbook.notebooks import build, calls
from clinician_workbook.pages import find_page, pages, work_pages
from clinician_workbook.roster import Trainee
from tests.conftest import FIXTURES

COURSE = FIXTURES / "course"


def test_pages_follow_the_course() -> None:
    catalog = load_bundled(COURSE)
    found = pages(catalog)
    assert [(p.number, p.id, p.kind) for p in found] == [
        (0, "welcome", "welcome"),
        (1, "test-practice", "practice"),
        (2, catalog.course.strategies_page.id, "strategies"),
        (3, "test-concerns", "concerns"),
    ]
    practice, strategies, concerns = found[1:]
    assert practice.title == catalog.challenge("test-practice").title and practice.notebook == "01-test-practice.ipynb"
    assert practice.exercises == ("spot-signs", "classify", "respond", "knowledge-check", "reflect")
    assert strategies.exercises == ("strategy-match",) and concerns.exercises == ("triage",)
    assert [p.id for p in work_pages(catalog)] == [p.id for p in found[1:]]


def test_a_page_notebook_calls_what_the_page_holds() -> None:
    catalog = load_bundled(COURSE)
    for page in pages(catalog):
        nb = build(page)
        sources = [c.source for c in nb.cells if c.cell_type == "code"]
        assert f"challenge = {page.id!r}" in sources[0] and "content = None" in sources[0]
        assert sources[2:] == calls(page)
        assert nb.cells[0].source.startswith(f"# {page.title}\n")
    concerns = find_page(catalog, "test-concerns")
    assert calls(concerns) == [
        "wb.safety()",
        "wb.red_flags()",
        "wb.triage()",
        "wb.progress()",
        "wb.safety()\nwb.references()",
    ]


def test_an_unknown_page_is_one_line_naming_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"^--challenge: unknown 'test-practise' \(did you mean 'test-practice'\?\)"):
        find_page(load_bundled(COURSE), "test-practise", "--challenge")
    with pytest.raises(UsageError, match="known: welcome, test-practice"):
        find_page(load_bundled(COURSE), "zzz", "PAGE")


def test_the_course_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert content_dir() is None  # nothing said: the bundled course
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "workbook.json").write_text(json.dumps({"trainee": "Ada", "content": str(COURSE)}), encoding="utf-8")
    assert content_dir(start=ws) == COURSE.resolve()  # the workspace's course
    monkeypatch.setenv(ENV, str(tmp_path / "from-env"))
    assert content_dir(start=ws) == (tmp_path / "from-env").resolve()  # the environment over the workspace
    assert content_dir("given", start=ws) == (tmp_path / "given").resolve()  # --content over both


def test_batch_keys_hash_the_content_used(tmp_path: Path) -> None:
    copy = tmp_path / "course"
    shutil.copytree(COURSE, copy)
    trainees = [Trainee("ada", "Ada", "C1", "Dr S")]

    def keys(content: Path) -> list[str]:
        items = plan(
            trainees, ["test-practice"], "handout", ["html"], tmp_path / "out", date="2027-01-01", content=content
        )
        assert items[0].parameters["content"] == str(content)
        return [i.key for i in items]

    before = keys(copy)
    assert keys(copy) == before  # same content, same key: up to date
    vignette = next((copy / "vignettes").glob("*.md"))
    vignette.write_text(vignette.read_text(encoding="utf-8").replace(" the ", " the  ", 1), encoding="utf-8")
    assert keys(copy) != before  # one edit in the course: the document is made again
