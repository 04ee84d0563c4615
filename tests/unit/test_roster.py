"""Roster validation: every bad row is one line with its row number, and nothing is rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

HEADER = "trainee_id,name,cohort,supervisor,difficulty\n"
GOOD = "t1,Ada Lovelace,C1,Dr B,beginner\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "trainee_id,name,supervisor\nt1,Ada,Dr B\n",
            "roster.csv:1: missing column cohort (found: trainee_id, name, supervisor)",
        ),
        (HEADER + GOOD + "t1,Bob,C1,Dr B,\n", "roster.csv:3: trainee_id: duplicate 't1' (first on line 2)"),
        (HEADER + GOOD + "t2,,C1,Dr B,\n", "roster.csv:3: name: empty"),
        (
            HEADER + GOOD + "t2,Bob,C1,Dr B,expert\n",
            "roster.csv:3: difficulty: 'expert' is not one of beginner, intermediate, advanced",
        ),
        (HEADER + GOOD + ",Bob,C1,Dr B,\n", "roster.csv:3: trainee_id: empty"),
        (HEADER, "roster.csv: no trainees: the roster has a header but no rows"),
    ],
)
def test_bad_roster_fails_fast(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(text, encoding="utf-8")
    result = run_cli("batch", "roster.csv", "--format", "html", "--out", "out")
    assert result.code == 1
    assert result.err.strip() == expected
    assert not Path("out").exists()


def test_bad_encoding_names_the_line(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_bytes((HEADER + GOOD).encode() + "t2,Jos\xe9,C1,Dr B,\n".encode("latin-1"))
    result = run_cli("batch", "roster.csv", "--out", "out")
    assert result.code == 1 and result.err.startswith("roster.csv:3: not UTF-8 text (byte 0xe9)")
    assert not Path("out").exists()


def test_several_problems_are_all_listed(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(HEADER + GOOD + "t2,,C1,Dr B,\nt1,Bob,C1,Dr B,hard\n", encoding="utf-8")
    lines = run_cli("batch", "roster.csv", "--out", "out").err.splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "4", "4"]


def test_unknown_challenge(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(HEADER + GOOD, encoding="utf-8")
    result = run_cli("batch", "roster.csv", "--challenges", "feeling-stuk", "--out", "out")
    assert result.code == 1 and "did you mean 'feeling-stuck'" in result.err
    assert not Path("out").exists()
