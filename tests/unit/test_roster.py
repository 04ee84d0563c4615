"""Rosters are read strictly: every broken row is one located line, and nothing is rendered.

Each case runs ``workbook batch`` in-process and checks the whole of stderr: exactly the
expected problem line(s), no traceback, exit code 1, and no output folder. The messages
here are the ones the README's malformed-input table quotes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clinician_workbook.errors import RosterError
from clinician_workbook.roster import read_roster
from tests.unit.conftest import COURSE

HEADER = "trainee_id,name,cohort,supervisor,difficulty\n"
GOOD = "t1,Ada Lovelace,C1,Dr B,beginner\n"

CASES = {
    # a quote opened in row 3 and never closed: read loosely, rows 3 and 4 became one trainee
    "unbalanced quote": (
        HEADER + GOOD + 't2,"Bob,C1,Dr B,\nt3,Cy,C1,Dr B,\n',
        "roster.csv:3: unbalanced quote: a '\"' opened here is never closed and swallows every row after it",
    ),
    # closed again two lines on: the row that starts the record is the one named
    "quote closed on a later row": (
        HEADER + GOOD + 't2,"Bob,C1,Dr B,\nt3,Cy",C1,Dr B,\n',
        "roster.csv:3: name: the value runs on over 2 lines: a quote is not closed, or one is too many",
    ),
    "multi-line record": (
        HEADER + GOOD + 't2,Bob,C1,"Dr\n\nB",\n',
        "roster.csv:3: supervisor: the value runs on over 3 lines: a quote is not closed, or one is too many",
    ),
    "text after a closing quote": (
        HEADER + GOOD + 't2,"Bob" Smith,C1,Dr B,\n',
        "roster.csv:3: not valid CSV (',' expected after '\"'); quote the whole value, doubling any quote in it",
    ),
    "duplicate column": (
        "trainee_id,name,cohort,supervisor,name\nt1,Ada,C1,Dr B,Bob\n",
        "roster.csv:1: name: duplicate column (columns 2 and 5)",
    ),
    "missing column": (
        "trainee_id,name,supervisor\nt1,Ada,Dr B\n",
        "roster.csv:1: cohort: missing column (found: trainee_id, name, supervisor)",
    ),
    "short row": (
        HEADER + GOOD + "t2,Bob,C1\n",
        "roster.csv:3: supervisor: missing: the row has 3 values, the header 5",
    ),
    "long row": (
        HEADER + GOOD + "t2,Bob,C1,Dr B,beginner,Dr C\n",
        "roster.csv:3: column 6: more values than columns: the row has 6, the header 5",
    ),
    "value under a column without a name": (
        "trainee_id,name,cohort,supervisor,\nt1,Ada,C1,Dr B,note\n",
        "roster.csv:2: a value under a column without a name",
    ),
    "separated by ';'": (
        HEADER.replace(",", ";") + GOOD.replace(",", ";"),
        "roster.csv:1: looks separated by ';': save as CSV with commas",
    ),
    "separated by tabs": (
        HEADER.replace(",", "\t") + GOOD.replace(",", "\t"),
        "roster.csv:1: looks separated by tabs: save as CSV with commas",
    ),
    "empty name": (HEADER + GOOD + "t2,,C1,Dr B,\n", "roster.csv:3: name: empty"),
    "blank name": (HEADER + GOOD + 't2,"   ",C1,Dr B,\n', "roster.csv:3: name: empty"),
    "empty trainee id": (HEADER + GOOD + ",Bob,C1,Dr B,\n", "roster.csv:3: trainee_id: empty"),
    "duplicate trainee id": (
        HEADER + GOOD + "t1,Bob,C1,Dr B,\n",
        "roster.csv:3: trainee_id: duplicate 't1' (first on line 2)",
    ),
    "unknown difficulty": (
        HEADER + GOOD + "t2,Bob,C1,Dr B,expert\n",
        "roster.csv:3: difficulty: 'expert' is not one of beginner, intermediate, advanced",
    ),
    "header only": (HEADER, "roster.csv: no trainees: the roster has a header but no rows"),
    "empty file": ("", "roster.csv: empty: no header and no rows"),
}


def _files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


@pytest.mark.parametrize(("text", "expected"), list(CASES.values()), ids=list(CASES))
def test_a_broken_roster_is_one_located_line_and_nothing_is_written(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(text, encoding="utf-8")
    before = _files(tmp_path)
    result = run_cli("batch", "roster.csv", "--format", "html", "--out", "out")
    assert result.code == 1
    assert result.err.splitlines() == [expected]
    assert "Traceback" not in result.err + result.out
    assert _files(tmp_path) == before


def test_bad_encoding_names_the_line(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_bytes((HEADER + GOOD).encode() + "t2,Jos\xe9,C1,Dr B,\n".encode("latin-1"))
    result = run_cli("batch", "roster.csv", "--out", "out")
    assert result.code == 1
    assert result.err.splitlines() == ["roster.csv:3: not UTF-8 text (byte 0xe9); save the roster as CSV UTF-8"]
    assert not Path("out").exists()


def test_a_missing_roster_is_one_line(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = run_cli("batch", "roster.csv", "--out", "out")
    assert result.code == 1
    assert result.err.splitlines() == ["roster.csv: cannot read the roster: No such file or directory"]
    assert not Path("out").exists()


def test_several_problems_are_all_listed(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(HEADER + GOOD + "t2,,C1,Dr B,\nt1,Bob,C1,Dr B,hard\n", encoding="utf-8")
    lines = run_cli("batch", "roster.csv", "--out", "out").err.splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "4", "4"]


def test_lines_after_a_multi_line_record_keep_their_numbers(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + 't2,"Bob\nSmith",C1,Dr B,\n\nt3,Cy,C1,Dr B,hard\n', encoding="utf-8")
    with pytest.raises(ValueError) as caught:  # RosterError is a UsageError, so a ValueError too
        read_roster(roster)
    assert [str(p).split(":", 1)[1] for p in caught.value.problems] == [  # type: ignore[attr-defined]
        "2: name: the value runs on over 2 lines: a quote is not closed, or one is too many",
        "5: difficulty: 'hard' is not one of beginner, intermediate, advanced",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff" + HEADER + GOOD,  # Excel's "CSV UTF-8" starts with a BOM
        (HEADER + GOOD).replace("\n", "\r\n"),
        HEADER + "\n" + GOOD + ",,,,\n\n",  # blank lines and rows of empty cells, as spreadsheets add
        HEADER + "t1,Ada Lovelace,C1,Dr B,beginner,,\n",  # empty cells padded past the last column
        "trainee_id,name,cohort,supervisor,notes\nt1,Ada Lovelace,C1,Dr B,likes mornings\n",  # a column we ignore
        HEADER + 't1,"Lovelace, Ada ""Countess""",C1,Dr B,\n',  # quoted commas and doubled quotes
    ],
    ids=["bom", "crlf", "blank-rows", "padded", "extra-column", "quoted"],
)
def test_good_rosters_are_read(tmp_path: Path, text: str) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(text, encoding="utf-8", newline="")
    (trainee,) = read_roster(roster)
    assert trainee.trainee_id == "t1" and trainee.supervisor == "Dr B" and trainee.difficulty == "beginner"
    assert trainee.name in ("Ada Lovelace", 'Lovelace, Ada "Countess"')


def test_unknown_challenge(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(HEADER + GOOD, encoding="utf-8")
    result = run_cli("batch", "roster.csv", "--content", str(COURSE), "--challenges", "test-practise", "--out", "out")
    assert result.code == 1 and "did you mean 'test-practice'" in result.err
    assert not Path("out").exists()


def test_two_rows_that_look_like_one_trainee_are_a_duplicate(tmp_path: Path) -> None:
    # NFC and NFD spellings of one name would otherwise be two trainees with one output folder
    roster = tmp_path / "roster.csv"
    roster.write_text("trainee_id,name,cohort,supervisor\nZo\u00e9,A,C,S\nZoe\u0301,B,C,S\n", encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(roster)
    assert [str(p) for p in caught.value.problems] == [f"{roster}:3: trainee_id: duplicate 'Zoé' (first on line 2)"]
