"""One rule for "current": an older hand-in imported after newer work never shadows it, in the
review export, the refilled widget, the cohort report and the supervisor notebook alike; and one
definition of "done n of m" that the notebook, the review page and the report share."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.content.models import TriageCase
from clinician_workbook.curriculum import progress
from clinician_workbook.exercises import Triage
from clinician_workbook.exercises.supervise import FeedbackForm
from clinician_workbook.export.document import ExportRequest, export_workbook
from clinician_workbook.pages import work_pages
from clinician_workbook.render.review import Review
from clinician_workbook.report import build_report
from clinician_workbook.responses import ResponseStore, read_store, store_path
from clinician_workbook.responses.cohort import read_cohort
from clinician_workbook.responses.handin import import_handin, write_export
from clinician_workbook.session import StoreRecorder
from clinician_workbook.supervision import Supervision
from tests.factories import Plan, fill_store

TRAINEE = "Ada Two-Laptops"
CASE = "triage-self-harm-clear"


@pytest.fixture
def folder(tmp_path: Path, catalog: Catalog) -> Path:
    """Supervisor copies where the newer hand-in was imported first, then an older one."""
    case = catalog.get("triage_case", CASE, TriageCase)
    older, newer = tmp_path / "laptop-a", tmp_path / "laptop-b"
    with ResponseStore.open(older, TRAINEE) as a:  # last month, on the old laptop: a safety-critical answer
        a.save("when-concerning", "triage", CASE, {"urgency": "routine", "steps": [["act-safety-plan"]]})
    time.sleep(0.01)
    with ResponseStore.open(newer, TRAINEE) as b:  # this week, on the new one: the key
        b.save("when-concerning", "triage", CASE, {"urgency": case.urgency, "steps": case.actions})
    copies = tmp_path / "supervisor-copies"
    for laptop in (newer, older):  # the older hand-in arrives last: higher sequence numbers
        with ResponseStore.open(laptop, TRAINEE) as store:
            import_handin(write_export(store, tmp_path / f"{laptop.name}.json"), copies)
    return copies


def test_the_newer_answer_is_current_everywhere(
    folder: Path, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store_path(folder, TRAINEE)
    _, attempts = read_store(path, TRAINEE)
    assert [a.answer["urgency"] for a in attempts] == ["immediate", "routine"]  # seq order: the older last

    review = Review(catalog, "when-concerning", attempts, include_private=False).triage()
    assert (
        "Urgency chosen:</b> Act immediately" in review
        and "Routine: a normal" not in review.split("Urgency chosen")[1][:80]
    )

    (document,) = [
        p
        for p in export_workbook(ExportRequest(TRAINEE, folder, ("when-concerning",), ("html",), tmp_path / "out"))
        if p.name.startswith("05-")
    ]
    assert "Urgency chosen:</b> Act immediately" in document.read_text(encoding="utf-8")

    recorder = StoreRecorder(path, TRAINEE, "when-concerning")
    widget = Triage(catalog, catalog.get("triage_case", CASE, TriageCase), recorder)
    assert widget.urgency.value == "immediate"
    recorder.close()

    report = build_report(read_cohort(folder), catalog)
    assert report.misses == [] and [m.case for m in report.corrected] == [CASE]

    shown: list[Any] = []
    monkeypatch.setattr("clinician_workbook.supervision.display", lambda obj: shown.append(obj))
    sv = Supervision(path, "Dr Sam Lee", catalog=catalog)
    sv.triage()
    (form,) = [f for f in shown if isinstance(f, FeedbackForm)]
    assert "No safety-critical error" in form.children[0].value
    sv.close()


def test_done_n_of_m_is_one_figure(tmp_path: Path, catalog: Catalog) -> None:
    folder = tmp_path / "cohort"
    for n in range(6):
        trainee = f"Trainee {n}"
        with ResponseStore.open(folder, trainee) as store:
            fill_store(store, catalog, random.Random(n), Plan(completeness=0.3 + 0.12 * n))
    report = build_report(read_cohort(folder), catalog)
    for record in read_cohort(folder).trainees:
        for page in (p.id for p in work_pages(catalog)):
            figure = progress(catalog, page, record.ordered())
            row = next(r for r in report.rows if r.trainee == record.trainee and r.challenge == page)
            assert (row.done, row.total, row.attempts) == (figure.done, figure.total, figure.attempts)
            summary = Review(catalog, page, record.ordered(), include_private=False).summary("x")
            for e in figure.exercises:
                assert f"<td>{e.done} of {e.total}</td><td>{e.attempts}</td>" in summary
            shown = StoreRecorder(store_path(folder, record.trainee), record.trainee, page)
            assert progress(catalog, page, shown.all()) == figure  # what the notebook's progress cell counts
            shown.close()
