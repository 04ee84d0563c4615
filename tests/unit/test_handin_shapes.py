"""Hand-ins trusted no further than their models: every malformed answer shape is refused with a
located one-line problem and nothing is imported; the cohort report leaves such files out, says
why, and still makes the report (fixtures in tests/fixtures/handins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.unit.conftest import COURSE

HANDINS = FIXTURES / "handins"

# fixture -> (field in attempts[1], words of the problem)
CASES: dict[str, tuple[str | None, str]] = {  # field None: a problem of the whole file
    "spot-signs-chosen-not-a-list.json": ("answer.chosen", "must be a list"),
    "spot-signs-chosen-empty.json": ("answer.chosen", "must not be empty"),
    "classify-unknown-rupture.json": ("answer.rupture", "must be one of"),
    "respond-ratings-as-a-list.json": ("answer.ratings", "must be an object"),
    "respond-rating-out-of-range.json": ("answer.ratings.ow-crit-slow-and-ground", "must be at most 4"),
    "knowledge-check-negative-choice.json": ("answer.choice", "must be at least 0"),
    "knowledge-check-choice-as-text.json": ("answer.choice", "must be a whole number"),
    "strategy-match-choice-a-number.json": ("answer.choice", "must be text"),
    "triage-actions-a-number.json": ("answer.actions", "must be a list"),
    "triage-unknown-urgency.json": ("answer.urgency", "must be one of"),
    "reflect-stages-a-list.json": ("answer.stages", "must be an object"),
    "unknown-exercise.json": ("exercise", "unknown exercise 'doodle'"),
    "supervisor-row.json": ("role", "only the trainee's own answers"),
    "future-dated.json": ("time", "is in the future"),
    "time-past-the-calendar.json": ("time", "must be an ISO-8601 time"),
    "duplicate-key.json": (None, "duplicate key 'role': each field may appear once"),
    "lone-surrogate.json": (None, "holds an escaped lone surrogate"),
}


def test_corpus_is_complete() -> None:
    assert sorted(CASES) == sorted(p.name for p in HANDINS.iterdir())


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_malformed_answer_is_refused_and_nothing_imported(name: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    field, words = CASES[name]
    target = tmp_path / "copies"
    result = run_cli("responses", "import", str(HANDINS / name), "--responses", str(target))
    assert result.code == 1
    (line,) = result.err.splitlines()
    where = f"{HANDINS / name}: " + ("" if field is None else f"attempts[1].{field}: ")
    assert line.startswith(where) and words in line, line
    assert not target.exists()  # nothing imported, not even the good row before it


def test_the_report_leaves_each_malformed_handin_out_and_is_still_made(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cohort"
    folder.mkdir()
    for name in CASES:
        (folder / name).write_bytes((HANDINS / name).read_bytes())
    args = ["report", str(folder), "--content", str(COURSE), "--out", str(tmp_path / "report"), "--format", "html,csv"]
    result = run_cli(*args)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{len(CASES)} file(s) left out" in result.err
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    for name, (field, words) in CASES.items():
        assert f"left out: {name}: " + (words if field is None else f"attempts[1].{field}") in result.err
        assert name in html
    assert (tmp_path / "report.csv").exists()
