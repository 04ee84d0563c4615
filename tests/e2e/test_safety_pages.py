"""The safety signals as a person sees them, in Chromium: content notes before the case, help
after every answer, and the report's warning above its list of misses. Screenshots of each land
in build/e2e/ for a person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from clinician_workbook.export.document import ExportRequest, export_workbook
from clinician_workbook.report import write_report


def _top(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["y"])


def test_content_note_and_help_in_a_review_document(
    page: Any, tmp_path: Path, answered_store: Path, shots: Path
) -> None:
    request = ExportRequest("Ada Test", answered_store, ("when-concerning",), ("html",), tmp_path / "out")
    (document,) = [p for p in export_workbook(request) if p.name.startswith("05-")]
    page.goto(document.as_uri(), wait_until="load")
    # Ada's self-harm-clear answer holds a safety-critical choice; her other answers are the key.
    case = page.locator("section.wb-item", has_text="Please don't tell anyone").first
    note = case.locator(".wb-content-note")
    assert note.inner_text().startswith("Content note: suicide, self-harm")
    assert _top(note) < _top(case.locator(".wb-answer"))  # the note comes before the answer and feedback
    assert case.locator(".wb-critical").is_visible()
    case.scroll_into_view_if_needed()
    note.screenshot(path=str(shots / "07-content-note.png"))
    correct = page.locator("section.wb-item", has_text="An aside after a hard session").first
    assert correct.locator(".wb-critical").count() == 0
    help_box = correct.locator(".wb-help")
    assert help_box.is_visible() and help_box.inner_text().startswith("Where to get help")
    help_box.screenshot(path=str(shots / "08-help-after-a-correct-answer.png"))


def test_report_warning_comes_before_the_misses(page: Any, tmp_path: Path, answered_store: Path, shots: Path) -> None:
    folder = tmp_path / "cohort"
    shutil.copytree(answered_store, folder)
    (folder / "copied-alone.sqlite").write_bytes(b"")
    (folder / "broken.sqlite").write_bytes(b"not a store" * 50)
    write_report(folder, tmp_path / "cohort-report", ["html"])
    page.goto((tmp_path / "cohort-report.html").as_uri(), wait_until="load")
    warning = page.locator(".wb-warning")
    assert warning.is_visible() and "Not everything could be checked" in warning.inner_text()
    assert "copied-alone.sqlite" in warning.inner_text() and "broken.sqlite" in warning.inner_text()
    assert _top(warning) < _top(page.locator("tr.wb-miss").first)
    assert page.get_by_text("No safety-critical misses").count() == 0
    assert "⚠ safety-critical:" in page.locator("tr.wb-miss").first.inner_text()
    page.locator("#safety").screenshot(path=str(shots / "09-report-warning-before-misses.png"))
