"""Batch documents for a cohort: same as papermill, resumable, failure-tolerant (Dask: test_batch_dask.py)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter

from clinician_workbook.batch import Item, plan, render_item, run_batch
from clinician_workbook.content import load_bundled
from clinician_workbook.export.html import TEMPLATES, WorkbookHTMLExporter, document_css
from clinician_workbook.notebooks import INTERACTIVE_ONLY
from clinician_workbook.pages import work_pages
from clinician_workbook.progress import Progress
from clinician_workbook.roster import Trainee, read_roster
from clinician_workbook.runner import InProcessRunner, notebook_for, run_papermill
from tests.conftest import FIXTURES
from tests.factories import LONG_NAME, answer_all

CHALLENGES = tuple(p.id for p in work_pages(load_bundled()))


def roster(path: Path, n: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["trainee_id", "name", "cohort", "supervisor", "difficulty"])
        for i in range(n):
            writer.writerow([f"t{i:03d}", f"Trainee {i} — Ωmega", "Spring 2027", "Dr Sup", "beginner"])
    return path


def _outputs(nb: object) -> list[list[tuple[str, dict[str, str]]]]:
    """Cell outputs without what legitimately differs (execution counts, metadata). Cells for the
    interactive page only (one exercise each) are left out: papermill runs them, to no output in a
    document (checked below), and the fast path skips them."""
    return [
        [(o["output_type"], dict(o.get("data", {}))) for o in cell.get("outputs", [])]
        for cell in nb.cells  # type: ignore[attr-defined]
        if cell.cell_type == "code" and INTERACTIVE_ONLY not in cell.metadata.get("tags", [])
    ]


@pytest.mark.requires_kernel
@pytest.mark.parametrize("challenge", CHALLENGES)
@pytest.mark.parametrize("mode", ["handout", "review"])
def test_fast_path_gives_the_same_documents_as_papermill(challenge: str, mode: str, answered_store: Path) -> None:
    parameters = {
        "trainee": "Ada Test",
        "mode": mode,
        "cohort": "C1",
        "date": "2026-02-03",
        "responses": str(answered_store),
    }
    runner = InProcessRunner()
    fast = runner.run(notebook_for(load_bundled(), challenge), parameters)
    again = runner.run(
        notebook_for(load_bundled(), challenge), parameters
    )  # a reused shell leaks nothing into the next run
    slow = run_papermill(notebook_for(load_bundled(), challenge), parameters)
    assert _outputs(fast) == _outputs(slow) == _outputs(again)
    per_item = [c for c in slow.cells if INTERACTIVE_ONLY in c.metadata.get("tags", []) and c.cell_type == "code"]
    assert per_item and all(c.outputs == [] for c in per_item)
    assert sum(len(cell) for cell in _outputs(fast)) >= 4
    nbformat.validate(fast)  # the runner builds outputs without validating each one
    # the documents: ours, and nbconvert's stock HTMLExporter (with its BeautifulSoup pass) with our template
    title = f"Ada Test: {challenge} ({mode})"
    document, _ = WorkbookHTMLExporter().from_notebook_node(fast, {"workbook_title": title})
    stock = HTMLExporter(
        template_name="workbook",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    plain, _ = stock.from_notebook_node(slow, {"workbook_title": title, "workbook_css": document_css()})
    # the stock exporter re-serialises through html.parser; the same pass over ours must give its bytes
    assert str(BeautifulSoup(document, features="html.parser")) == plain
    assert len(document) > 20_000 and document.count("<section") >= 2


@pytest.mark.requires_browser
def test_a_rerun_skips_what_is_up_to_date_and_redoes_only_what_changed(tmp_path: Path, chromium_path: str) -> None:
    """Resume, on the smallest batch that shows it: three trainees x two pages, HTML and PDF, on two
    workers (so the journal is written from results arriving out of order). Throughput at scale is
    benchmarks/batch.py's job, not a test's."""
    trainees = read_roster(roster(tmp_path / "roster.csv", 3))
    out = tmp_path / "out"
    items = plan(trainees, CHALLENGES[1:3], "handout", ("html", "pdf"), out, date="2026-02-03")
    assert len(items) == 6
    first = run_batch(items, out, jobs=2)
    assert first.count("done") == 6 and not first.failed, first.table()
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != ".workbook-batch.jsonl")
    assert len(files) == 12 and all(p.stat().st_size > 1000 for p in files)
    assert not list(out.rglob("*.part"))
    assert files[0].with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    second = run_batch(items, out, jobs=2)
    assert second.count("skipped") == 6 and second.count("done") == 0
    # one output of one item deleted, and another item asked for with new parameters (a date):
    # those two are made again, in one run, and the rest skipped
    victim = out / "t001" / "03-feeling-stuck.handout.pdf"
    victim.unlink()
    (changed,) = plan(trainees[:1], CHALLENGES[1:2], "handout", ("html", "pdf"), out, date="2026-02-04")
    third = run_batch([changed if item.outputs == changed.outputs else item for item in items], out, jobs=1)
    assert third.count("done") == 2 and third.count("skipped") == 4
    (victim_item,) = [item for item in items if str(victim) in item.outputs]
    assert changed.key not in {item.key for item in items}
    assert {r.item.key for r in third.results if r.status == "done"} == {victim_item.key, changed.key}
    assert victim.exists()
    forced = run_batch(items[:3], out, jobs=1, force=True)
    assert forced.count("done") == 3


def test_one_failing_trainee_never_stops_the_rest(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    responses = tmp_path / "responses"
    answer_all(responses, ("t000", "t002"))
    (responses / "t001.sqlite").write_bytes(b"this is not a database\x00\x01" * 50)  # unreadable
    roster_path = tmp_path / "roster.csv"
    roster_path.write_text("trainee_id,name,cohort,supervisor\nt000,A,C,S\nt001,B,C,S\nt002,C,C,S\n", encoding="utf-8")
    result = run_cli(
        "batch",
        str(roster_path),
        "--mode",
        "review",
        "--challenges",
        "when-concerning",
        "--format",
        "html",
        "--responses",
        str(responses),
        "--jobs",
        "2",
        "--out",
        str(tmp_path / "out"),
    )
    assert result.code == 1
    assert re.search(r"done\s+2", result.out) and re.search(r"failed\s+1", result.out)
    assert "failed: t001 / when-concerning:" in result.out and "t001.sqlite" in result.out
    assert (tmp_path / "out" / "t000" / "05-when-concerning.review.html").exists()
    assert not (tmp_path / "out" / "t001").exists()


def test_progress_is_plain_lines_off_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(2, stream)
    progress.update("t1 / feeling-stuck", "done")
    progress.update("t2 / feeling-stuck", "failed")
    assert stream.getvalue() == "1/2 done t1 / feeling-stuck\n2/2 failed t2 / feeling-stuck\n"


def test_render_item_reports_instead_of_raising(tmp_path: Path) -> None:
    trainee = Trainee("t1", "Ada", "C", "S")
    (item,) = plan([trainee], ("feeling-stuck",), "review", ("html",), tmp_path, responses=tmp_path / "none")
    result = render_item(item)
    assert result.status == "failed" and "no saved answers" in result.reason


def test_a_worker_renders_only_the_package_version_and_course_the_batch_was_planned_from(tmp_path: Path) -> None:
    """A long-lived (Dask) worker: another version, or a course that differs from the planned
    one, fails the item in one line; a course edited since the worker loaded it is read again."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "course", course)
    trainee = Trainee("t1", "Ada", "C", "S")

    def item() -> Item:
        (planned,) = plan([trainee], ("test-practice",), "handout", ("html",), tmp_path / "out", content=course)
        return planned

    before = item()
    first = render_item(before)
    assert first.status == "done", first.reason
    assert b"Missed homework" in first.documents[0]
    assert not (tmp_path / "out").exists()  # a worker writes nothing
    older = render_item(replace(before, version="0.0.1"))
    assert older.status == "failed"
    assert older.reason.startswith("this worker has clinician-workbook ") and "the batch 0.0.1" in older.reason

    challenge = course / "challenges" / "test-practice.yaml"
    challenge.write_text(challenge.read_text(encoding="utf-8").replace("Missed homework", "Homework left"), "utf-8")
    stale = render_item(before)
    assert stale.status == "failed" and stale.reason.startswith(f"{course}: differs on this worker")
    edited = render_item(item())
    assert edited.status == "done", edited.reason
    assert b"Homework left" in edited.documents[0] and b"Missed homework" not in edited.documents[0]
    shutil.rmtree(course)
    gone = render_item(before)
    assert gone.status == "failed" and gone.reason.startswith(f"{course}: no such course folder on this worker")


@pytest.mark.requires_browser
def test_a_name_of_any_length_or_direction_keeps_the_handout_readable(tmp_path: Path, chromium_path: str) -> None:
    """A 300-character name with no space does not shrink the pages to fit it (its cell breaks
    the word) nor run off the running header (shown with its middle elided); a right-to-left
    override left open in a name does not turn the rest of the header around."""
    from pypdf import PdfReader

    long_name, turned = LONG_NAME, "\u202eEvil"
    roster_path = tmp_path / "roster.csv"
    with roster_path.open("w", newline="", encoding="utf-8") as handle:
        rows = [["t0", "Ann Lee", "C", "S"], ["t1", long_name, "C", "S"], ["t2", turned, "C", "S"]]
        csv.writer(handle).writerows([["trainee_id", "name", "cohort", "supervisor"], *rows])
    out = tmp_path / "out"
    items = plan(read_roster(roster_path), CHALLENGES[:1], "handout", ("pdf",), out, date="2026-02-03")
    summary = run_batch(items, out, jobs=1)
    assert summary.count("done") == 3, summary.table()
    readers = {item.trainee: PdfReader(item.outputs[0]) for item in items}
    assert len(readers["t1"].pages) == len(readers["t2"].pages) == len(readers["t0"].pages)
    assert long_name in readers["t1"].pages[0].extract_text().replace("\n", "")  # whole, on the first page
    header = readers["t1"].pages[1].extract_text().replace("\n", "")
    assert re.search("Lx{40,99}\u2026", header) and "(handout)" in header
    assert "Evil: " in readers["t2"].pages[1].extract_text()
