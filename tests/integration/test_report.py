"""The cohort report on a synthetic cohort of 30: exactly the planted misses first, counts right."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.content.models import URGENCIES, TriageAction, TriageCase
from clinician_workbook.feedback import urgency_label
from clinician_workbook.report import write_report
from clinician_workbook.responses import ResponseStore, store_path
from tests.course.test_bundled_cases import SAFETY_TABLE
from tests.factories import Planted, answer_with, make_cohort


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
    report, _ = write_report(folder, tmp_path / "r", ["pdf"])
    texts = [" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "r.pdf").pages]
    # every page: the running header and its number (the page's margins, first in its text), then its body
    running = [f"Cohort report {report.when} Page {i} of {len(texts)} " for i in range(1, len(texts) + 1)]
    assert all(text.startswith(first) for text, first in zip(texts, running, strict=True))
    pages = [text.removeprefix(first) for text, first in zip(texts, running, strict=True)]
    assert "Safety-critical triage misses" in " ".join(pages[:2]) and "Trainee" in pages[0]
    # trainee by trainee, each whole on one page: its name (the row group's header) and all its rows
    # together, under the table's header row, which every page of the table repeats
    start = next(i for i, text in enumerate(pages) if "Trainee by trainee" in text)
    header = "Trainee Challenge Answered Attempts Automatic score Difficulty reached Supervisor"
    rows = [row.title for row in report.rows_of(report.trainees[0])]
    table = []  # the pages holding each trainee's first row
    for trainee in report.trainees:
        on = [i for i, text in enumerate(pages) if i >= start and f"{trainee} {rows[0]}" in text]
        assert len(on) == 1, trainee
        after = pages[on[0]].split(f"{trainee} {rows[0]}")[1]
        assert all(title in after for title in rows[1:]), trainee
        table += on
    assert all(pages[i].startswith(header) for i in range(start + 1, max(table) + 1))
    assert len(pages) < len(report.trainees) / 2


def _misses_in(html: str) -> list[list[str]]:
    parser = _Misses()
    parser.feed(html)
    return parser.rows


def _one_answer(folder: Path, trainee: str, case_id: str, *answers: dict[str, object]) -> None:
    with ResponseStore(store_path(folder, trainee), trainee) as store:
        for answer in answers:
            store.save("when-concerning", "triage", case_id, answer)


def _all_correct(folder: Path, catalog: Catalog, trainee: str = "Sam Steady") -> None:
    with ResponseStore(store_path(folder, trainee), trainee) as store:
        for case in catalog.triage_cases:
            store.save("when-concerning", "triage", case.id, {"urgency": case.urgency, "steps": case.actions})


@pytest.mark.parametrize(("case_id", "choice"), SAFETY_TABLE)
def test_review_table_choice_is_listed_among_the_misses(
    catalog: Catalog, tmp_path: Path, case_id: str, choice: str
) -> None:
    folder = tmp_path / "cohort"
    case = catalog.get("triage_case", case_id, TriageCase)
    urgency, steps = answer_with(catalog, case, choice)
    _one_answer(folder, "Row Trainee", case_id, {"urgency": urgency, "steps": steps})
    report, _ = write_report(folder, tmp_path / "r", ["html"])
    rows = _misses_in((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert [(row[0], row[1]) for row in rows] == [(case_id, "Row Trainee")]
    label = urgency_label(choice) if choice in URGENCIES else catalog.get("triage_action", choice, TriageAction).text
    assert f"⚠ safety-critical: {label}" in rows[0][3]  # icon and words, not colour alone
    assert [m.case for m in report.misses] == [case_id]


def test_empty_and_unreadable_files_are_warned_about_before_the_misses(catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    _all_correct(folder, catalog)
    clean, _ = write_report(folder, tmp_path / "clean", ["html"])
    clean_html = (tmp_path / "clean.html").read_text(encoding="utf-8")
    assert (
        clean.all_clear
        and "No safety-critical misses" in clean_html
        and "Not everything could be checked" not in clean_html
    )

    (folder / "copied-alone.sqlite").write_bytes(b"")  # e.g. a store copied without its journal
    (folder / "broken.sqlite").write_bytes(b"garbage" * 100)
    ResponseStore(store_path(folder, "Nobody Yet"), "Nobody Yet").close()  # a store with no answers
    report, _ = write_report(folder, tmp_path / "r", ["html", "csv"])
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    section = html[html.index('id="safety"') : html.index("Overview")]
    warning = section.index("Not everything could be checked")
    for name in ("copied-alone.sqlite", "broken.sqlite", "Nobody Yet"):
        assert warning < section.index(name)
    assert "No safety-critical misses" not in html and "wb-right" not in section
    assert not report.all_clear and len(report.unchecked) == 3


def test_a_folder_with_no_trainee_never_reassures(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "a.sqlite").write_bytes(b"")
    write_report(folder, tmp_path / "r", ["html"])
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "0 trainees" in html and "No safety-critical misses" not in html
    assert "no answers of any trainee could be read" in html


def test_a_corrected_miss_is_listed_as_corrected(catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    case = catalog.get("triage_case", "triage-self-harm-clear", TriageCase)
    _one_answer(
        folder,
        "Cora Rected",
        case.id,
        {"urgency": "routine", "steps": [["act-safety-plan"]]},
        {"urgency": case.urgency, "steps": case.actions},
    )
    report, _ = write_report(folder, tmp_path / "r", ["html", "csv"])
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert not report.misses and [m.case for m in report.corrected] == [case.id]
    assert _misses_in(html) == [] and "Corrected later" in html and 'class="wb-miss-corrected"' in html
    assert "No safety-critical misses" not in html  # 11 other cases unanswered: said, not hidden
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8"))))
    triage = next(r for r in rows if r["challenge"] == "when-concerning")
    assert triage["safety_critical_misses"] == "0" and triage["safety_critical_corrected"] == "1"


def test_the_command_says_what_it_could_not_check(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cohort"
    _one_answer(folder, "Ada", "triage-self-harm-clear", {"urgency": "routine", "steps": [["act-safety-plan"]]})
    (folder / "copied-alone.sqlite").write_bytes(b"")
    result = run_cli("report", str(folder), "--out", str(tmp_path / "r"), "--format", "csv")
    assert result.code == 1 and (tmp_path / "r.csv").exists()  # made, and said to be partial
    assert "warning: left out: copied-alone.sqlite: not a clinician-workbook response store (empty file)" in result.err
    assert "warning: triage cases not answered yet: Ada (11 of 12)" in result.err
    assert "1 trainee, 1 safety-critical misses" in result.out


def test_an_unreadable_answer_never_hides_the_one_before_it(catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    critical = {"urgency": "routine", "steps": [["act-safety-plan"]]}
    _one_answer(folder, "Una", "triage-self-harm-clear", critical)
    damaged = {"urgency": "immediate", "steps": [["x", 1]]}  # as an older version or a damaged file might hold
    with sqlite3.connect(store_path(folder, "Una")) as conn:
        conn.execute(
            "INSERT INTO attempts (uid, trainee, time, challenge, exercise, item, answer, role, author, shared) "
            "VALUES (?, 'Una', '2999-01-01T00:00:00.000000+00:00', 'when-concerning', 'triage', "
            "'triage-self-harm-clear', ?, 'trainee', NULL, 0)",
            ("f" * 32, json.dumps(damaged)),
        )
    report, _ = write_report(folder, tmp_path / "r", ["html"])
    assert [m.case for m in report.misses] == ["triage-self-harm-clear"]
    assert any("could not be read" in line for line in report.unchecked)
    assert "\\\\" not in " ".join(report.unchecked)  # no Python repr in what people read


def test_every_earlier_critical_answer_is_kept_as_corrected(catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    case = catalog.get("triage_case", "triage-self-harm-clear", TriageCase)
    _one_answer(
        folder,
        "Cora",
        case.id,
        {"urgency": "routine", "steps": [["act-promise-confidentiality"]]},
        {"urgency": "immediate", "steps": [["act-end-session-as-usual"]]},
        {"urgency": "immediate", "steps": [["act-end-session-as-usual"]]},  # the same again: listed once
        {"urgency": case.urgency, "steps": case.actions},
    )
    report, _ = write_report(folder, tmp_path / "r", ["csv"])
    chosen = [{label for label, _ in m.critical} for m in report.corrected]
    assert len(chosen) == 2 and not report.misses
    assert "Promise the client that it will stay between the two of you" in chosen[0]


def test_subfolders_and_hidden_stores_are_said_to_be_left_out(catalog: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    _all_correct(folder, catalog)
    _one_answer(
        folder / "late", "Bob", "triage-self-harm-clear", {"urgency": "routine", "steps": [["act-safety-plan"]]}
    )
    (folder / ".bob.sqlite").write_bytes(b"")
    (folder / ".DS_Store").write_bytes(b"finder")
    report, _ = write_report(folder, tmp_path / "r", ["html"])
    assert not report.all_clear
    assert [line.split(":")[1].strip() for line in report.unchecked] == [".bob.sqlite", "late/"]


def test_each_triage_answer_is_scored_once_and_rows_agree_with_progress(
    cohort: tuple[Path, Planted], catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clinician_workbook import scoring
    from clinician_workbook.curriculum import progress
    from clinician_workbook.pages import work_pages
    from clinician_workbook.report import build_report
    from clinician_workbook.responses.cohort import read_cohort

    folder, _ = cohort
    data = read_cohort(folder)
    triage = [a for r in data.trainees for a in r.attempts.values() if a.role == "trainee" and a.exercise == "triage"]
    scored: list[str] = []
    real = scoring.score_triage
    monkeypatch.setattr(scoring, "score_triage", lambda *a, **k: scored.append(a[1].id) or real(*a, **k))
    report = build_report(data, catalog)
    assert triage and len(scored) == len(triage)
    monkeypatch.undo()
    rows = {(r.trainee, r.challenge): r for r in report.rows}
    for record in data.trainees:  # the same numbers as progress computes on its own
        for page in work_pages(catalog):
            alone = progress(catalog, page.id, record.ordered())
            row = rows[(record.trainee, page.id)]
            assert (row.done, row.total, row.attempts, row.score) == (
                alone.done,
                alone.total,
                alone.attempts,
                alone.score,
            )


def test_a_very_long_trainee_id_leaves_the_overview_whole(tmp_path: Path, chromium_path: str) -> None:
    """A 300-character id with no space is cut with an ellipsis in the overview (its whole text
    stays in the trainee-by-trainee table), so every column of every row stays on the page."""
    from pypdf import PdfReader

    from clinician_workbook.content import load_bundled
    from clinician_workbook.pages import work_pages
    from tests.factories import LONG_NAME, answer_all

    answer_all(tmp_path / "cohort", ("Ann Lee", LONG_NAME), seed=1)
    write_report(tmp_path / "cohort", tmp_path / "r", ["pdf"])
    pages = [page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages]
    (overview,) = [text for text in pages if "Overview" in text]
    cells = re.findall(r"\d+/\d+ ·", overview)  # items answered / offered, one per row and page
    assert len(cells) == 2 * len(work_pages(load_bundled())), overview
    assert "Safety" in overview
    assert LONG_NAME in "".join("".join(pages).split())  # whole, somewhere in the report
