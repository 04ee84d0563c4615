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
from clinician_workbook.runner import notebook_for
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
        assert nb.metadata.title == page.title and nb.metadata.clinician_workbook == {"page": page.id}
        assert "#" not in nb.cells[0].source  # one title per page: the header's, not a second one here
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


def test_a_workspace_keeps_its_course(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(ENV, raising=False)
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws), "--trainee", "Ada", "--content", str(COURSE)).code == 0
    before = sorted(p.name for p in ws.glob("*.ipynb"))
    again = run_cli("init", str(ws), "--trainee", "Ada")  # completing it: its own course, nothing else
    assert again.code == 0 and sorted(p.name for p in ws.glob("*.ipynb")) == before
    other = run_cli("init", str(ws), "--trainee", "Ada", "--content", str(tmp_path))
    assert other.code == 1 and "this workspace's course is" in other.err and len(other.err.splitlines()) == 1
    monkeypatch.setenv(ENV, str(COURSE))  # the environment names the course of a new workspace
    assert run_cli("init", str(tmp_path / "ws2"), "--trainee", "Bo").code == 0
    assert json.loads((tmp_path / "ws2" / "workbook.json").read_text())["content"] == str(COURSE.resolve())


def test_answers_of_another_course_are_said_not_dropped(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from clinician_workbook.responses import ResponseStore, store_path

    with ResponseStore(store_path(tmp_path / "responses", "Ada"), "Ada") as store:
        store.save("test-practice", "knowledge-check", "mh-kc-1", {"choice": 0})
    report = run_cli("report", str(tmp_path / "responses"), "--format", "csv", "--out", str(tmp_path / "r"))
    assert "answers filed under pages this course does not have: test-practice (1)" in report.err
    assert "is --content the trainee's course?" in report.err
    fine = run_cli(
        "report",
        str(tmp_path / "responses"),
        "--content",
        str(COURSE),
        "--format",
        "csv",
        "--out",
        str(tmp_path / "r2"),
    )
    assert "does not have" not in fine.err


def test_supervise_and_preview_refuse_wrong_files(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty.sqlite").write_bytes(b"")
    (tmp_path / "junk.json").write_text("junk", encoding="utf-8")
    for wrong in ("empty.sqlite", "junk.json"):
        refused = run_cli(
            "supervise", str(tmp_path / wrong), "--supervisor", "Dr O", "--prepare-only", "--dir", str(tmp_path / "sv")
        )
        assert refused.code == 1 and len(refused.err.splitlines()) == 1, refused.err
    assert not (tmp_path / "sv").exists()
    text = run_cli("preview", "welcome", "--content", str(COURSE), "--out", str(tmp_path / "page.txt"))
    assert text.code == 1 and "ending in .html" in text.err and not (tmp_path / "page.txt").exists()


def test_the_runner_builds_each_notebook_once_and_hands_out_copies() -> None:
    bundled, fixture = load_bundled(), load_bundled(COURSE)
    first = notebook_for(bundled, "feeling-stuck")
    first.cells[0].source = "changed by a caller"
    first.cells.pop()
    again = notebook_for(bundled, "feeling-stuck")
    assert again == build(find_page(bundled, "feeling-stuck")) != first
    # another course with the same page ids gets its own notebook, not the cached one
    page = work_pages(fixture)[0].id
    assert notebook_for(fixture, page) == build(find_page(fixture, page))
    assert notebook_for(fixture, page) != notebook_for(bundled, work_pages(bundled)[0].id)
