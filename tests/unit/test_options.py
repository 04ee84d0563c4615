"""Option values are checked before any work: one ``error:`` line naming the option, nothing written.

The messages here are the ones the README's malformed-input table quotes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinician_workbook.errors import UsageError
from clinician_workbook.options import parse_date
from clinician_workbook.session import Session
from tests.unit.conftest import COURSE

ROSTER = "trainee_id,name,cohort,supervisor\nt1,Ada Lovelace,C1,Dr B\n"
EMPTY_TRAINEE = "error: --trainee: empty; give the trainee's name or id"
NOT_UTF8 = "error: --trainee: not UTF-8 text (byte 0xe9); type the name again in a UTF-8 terminal"
BAD_DATE = "error: --date: '2025-13-45' is not a date; give one as YYYY-MM-DD, e.g. 2025-01-31"

# class -> (arguments, the one line on stderr); run in an empty folder holding roster.csv
CASES = {
    "batch --jobs 0": (
        ["batch", "roster.csv", "--jobs", "0"],
        "error: --jobs: 0 is not a number of workers; give 1 or more",
    ),
    "batch --jobs -1": (
        ["batch", "roster.csv", "--jobs", "-1"],
        "error: --jobs: -1 is not a number of workers; give 1 or more",
    ),
    "batch --jobs two": (
        ["batch", "roster.csv", "--jobs", "two"],
        "error: --jobs: 'two' is not a whole number; give 1 or more",
    ),
    "batch --date": (["batch", "roster.csv", "--date", "2025-13-45"], BAD_DATE),
    "batch --date, not ISO": (
        ["batch", "roster.csv", "--date", "31/01/2025"],
        "error: --date: '31/01/2025' is not a date; give one as YYYY-MM-DD, e.g. 2025-01-31",
    ),
    "batch --date, compact": (
        ["batch", "roster.csv", "--date", "20250131"],
        "error: --date: '20250131' is not a date; give one as YYYY-MM-DD, e.g. 2025-01-31",
    ),
    "report --date": (["report", ".", "--date", "2025-13-45"], BAD_DATE),
    "report --date with markup": (
        ["report", ".", "--date", "</title><script>alert(1)</script>"],
        "error: --date: '</title><script>alert(1)</script>' is not a date; give one as YYYY-MM-DD, e.g. 2025-01-31",
    ),
    "export --trainee ''": (["export", "--trainee", "", "--out", "out"], EMPTY_TRAINEE),
    "export --trainee ' '": (["export", "--trainee", "  ", "--out", "out"], EMPTY_TRAINEE),
    "responses export --trainee ''": (["responses", "export", "--trainee", "", "--out", "h.json"], EMPTY_TRAINEE),
    "init --trainee ' '": (["init", "ws", "--trainee", " "], EMPTY_TRAINEE),
    "lab --trainee ''": (["lab", "ws", "--trainee", "", "--no-browser"], EMPTY_TRAINEE),
    # what a shell hands Python for a Latin-1 "\xe9" (surrogateescape); see the subprocess test below
    "init --trainee, not UTF-8": (["init", "ws", "--trainee", "Jos\udce9"], NOT_UTF8),
    "export --trainee, not UTF-8": (["export", "--trainee", "Jos\udce9", "--out", "out"], NOT_UTF8),
}


def _files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


@pytest.mark.parametrize(("args", "expected"), list(CASES.values()), ids=list(CASES))
def test_a_bad_option_is_one_line_and_nothing_is_written(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(ROSTER, encoding="utf-8")
    before = _files(tmp_path)
    result = run_cli(*args)
    assert result.code == 1
    assert result.err.splitlines() == [expected]
    assert "Traceback" not in result.err + result.out
    assert _files(tmp_path) == before


def test_a_non_utf8_argument_from_a_real_shell_is_refused(tmp_path: Path) -> None:
    """The bytes a Latin-1 terminal sends reach ``workbook`` as they would from a shell."""
    command = [os.fsencode(sys.executable), b"-m", b"clinician_workbook.cli", b"init", b"ws", b"--trainee", b"Jos\xe9"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1
    assert err.splitlines() == [NOT_UTF8]
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"trainee": ""}, "trainee: empty; give the trainee's name or id"),
        ({"trainee": "   "}, "trainee: empty; give the trainee's name or id"),
        (
            {"trainee": "Ada", "date": "2025-13-45"},
            "date: '2025-13-45' is not a date; give one as YYYY-MM-DD, e.g. 2025-01-31",
        ),
    ],
    ids=["empty-trainee", "blank-trainee", "bad-date"],
)
def test_notebook_parameters_are_checked_like_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parameters: dict[str, str], expected: str
) -> None:
    """``papermill -p trainee ""`` is a mistake, not the demo trainee; only a missing trainee falls back."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as caught:
        Session("welcome", responses=tmp_path / "r", content=COURSE, **parameters)  # type: ignore[arg-type]
    assert str(caught.value) == expected
    assert not any(tmp_path.iterdir())


def test_a_missing_trainee_still_falls_back_to_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Session("welcome", trainee=None, responses=tmp_path / "r", content=COURSE).trainee == "demo"


def test_dates_keep_their_iso_form() -> None:
    assert parse_date("2024-02-29") == "2024-02-29" and parse_date(None) is None
    with pytest.raises(UsageError):
        parse_date("2025-02-29")
