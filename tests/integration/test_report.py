"""The cohort report on a synthetic cohort of 30: exactly the planted misses first, counts right."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clinician_workbook.report import write_report
from tests.factories import Planted, make_cohort


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Planted]:
    folder = tmp_path_factory.mktemp("cohort")
    planted = make_cohort(folder, 30)
    (folder / "notes.txt").write_text("not a store", encoding="utf-8")
    (folder / "broken.sqlite").write_bytes(b"garbage" * 100)
    (folder / "bad-handin.json").write_text("{not json", encoding="utf-8")
    return folder, planted


class _Misses(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr" and ("class", "wb-miss") in attrs:
            self._row = [dict(attrs).get("data-case") or ""]
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_report_html_puts_exactly_the_planted_misses_first(cohort: tuple[Path, Planted], tmp_path: Path) -> None:
    folder, planted = cohort
    report, written = write_report(folder, tmp_path / "cohort-report", ["html", "csv"], today="2027-03-01")
    html = (tmp_path / "cohort-report.html").read_text(encoding="utf-8")
    parser = _Misses()
    parser.feed(html)
    found = {(row[1], row[0]) for row in parser.rows}  # (trainee cell, data-case)
    assert planted.misses and found == planted.misses and len(parser.rows) == len(planted.misses)
    assert html.index("Safety-critical triage misses") < html.index("Overview") < html.index("<svg")
    assert len(report.trainees) == 30
    assert planted.private_marker not in html
    for line in ["notes.txt: not a response store", "broken.sqlite:", "bad-handin.json:"]:
        assert line in html
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html) and "<script" not in html
    assert [p.suffix for p in written] == [".html", ".csv"]


def test_csv_counts_match(cohort: tuple[Path, Planted], tmp_path: Path) -> None:
    folder, planted = cohort
    write_report(folder, tmp_path / "r.csv", ["csv"])
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 30 * 5
    triage = {r["trainee"]: int(r["safety_critical_misses"]) for r in rows if r["challenge"] == "when-concerning"}
    for trainee, misses in triage.items():
        assert misses == sum(1 for t, _ in planted.misses if t == trainee)
    complete = {r["trainee"] for r in rows if r["challenge"] == "when-concerning" and r["completion_pct"] == "100"}
    assert complete.isdisjoint(planted.incomplete) or all(int(r["items_done"]) <= int(r["items_total"]) for r in rows)
    incomplete_done = [int(r["items_done"]) for r in rows if r["trainee"] in planted.incomplete]
    complete_done = [int(r["items_done"]) for r in rows if r["trainee"] not in planted.incomplete]
    assert sum(incomplete_done) / len(incomplete_done) < sum(complete_done) / len(complete_done)
    rated = {r["trainee"] for r in rows if r["supervisor_rating_mean"]}
    assert rated == planted.with_feedback
    assert planted.private_marker not in (tmp_path / "r.csv").read_text(encoding="utf-8")


@pytest.mark.requires_browser
def test_report_pdf(cohort: tuple[Path, Planted], tmp_path: Path, chromium_path: str) -> None:
    from pypdf import PdfReader

    folder, _ = cohort
    write_report(folder, tmp_path / "r", ["pdf"])
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages[:2])
    assert "Safety-critical triage misses" in text and "Trainee" in text
