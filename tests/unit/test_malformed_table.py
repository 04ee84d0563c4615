"""The content and hand-in rows of the README's malformed-input table, each asserted word for word
(run from the folder that holds the input, as a person would: the message names it as typed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinician_workbook.paths import bundled_content_dir
from tests.conftest import FIXTURES
from tests.unit.conftest import COURSE
from tests.unit.test_malformed_content import ON_THE_BUNDLED_COURSE

CONTENT = {
    "billion-laughs.yaml": "content/billion-laughs.yaml:2: YAML anchors and aliases (&name, *name) are not allowed in content; write the value out",
    "duplicate-key-top.yaml": "content/duplicate-key-top.yaml:11: strategies: duplicate key (first at line 1)",
    "duplicate-key-front-matter.md": "content/duplicate-key-front-matter.md:13: difficulty: duplicate key (first at line 6)",
    "too-deep.yaml": "content/too-deep.yaml:1: nested more than 32 levels deep",
    "nul-byte.yaml": "content/nul-byte.yaml:3: contains a NUL byte (is it a binary file?); save it as text",
    "not-utf8.yaml": "content/not-utf8.yaml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    "missing-kind.md": "content/missing-kind.md:2: kind: required field is missing (one of: vignette, triage_case)",
    "bad-yaml-syntax.yaml": "content/bad-yaml-syntax.yaml:4: YAML syntax error: a '[' list opened here is not closed (did not find expected ',' or ']' at line 5)",
    "impossible-date.yaml": "content/impossible-date.yaml:11: cannot read this as a date (day is out of range for month); put it in quotes if it is meant as text",
    "unknown-field.yaml": "content/unknown-field.yaml:3: txt: unknown field (did you mean 'text'?)",
    "unknown-id.md": "content/unknown-id.md:10: signs_present[0].sign: unknown sign 'ra-changing-subjct' (did you mean 'ra-changing-subject'?)",
}

HANDINS = {
    "spot-signs-chosen-not-a-list.json": "handin.json: attempts[1].answer.chosen: must be a list",
    "respond-rating-out-of-range.json": "handin.json: attempts[1].answer.ratings.ow-crit-slow-and-ground: must be at most 4",
    "knowledge-check-choice-as-text.json": "handin.json: attempts[1].answer.choice: must be a whole number",
    "triage-actions-a-number.json": "handin.json: attempts[1].answer.actions: must be a list of action ids",
    "triage-unknown-urgency.json": "handin.json: attempts[1].answer.urgency: must be one of 'routine', 'next-supervision', 'same-day' or 'immediate'",
    "supervisor-row.json": "handin.json: attempts[1].role: a hand-in holds only the trainee's own answers, not 'supervisor' rows",
    "future-dated.json": "handin.json: attempts[1].time: 2099-01-01T00:00:00.000000+00:00 is in the future; check the computer's clock",
    "time-past-the-calendar.json": "handin.json: attempts[1].time: must be an ISO-8601 time with a UTC offset, not '9999-12-31T23:59:59-14:00'",
    "unknown-exercise.json": "handin.json: attempts[1].exercise: unknown exercise 'doodle' (known: spot-signs, classify, respond, knowledge-check, strategy-match, triage, reflect)",
}


@pytest.mark.parametrize("name", sorted(CONTENT))
def test_content_row(name: str, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # the rows hold for any course; the misspelt-id row quotes the shipped course's ids
    shutil.copytree(bundled_content_dir() if name in ON_THE_BUNDLED_COURSE else COURSE, tmp_path / "content")
    shutil.copy(FIXTURES / "malformed" / name, tmp_path / "content" / name)
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", "content")
    assert (result.code, result.err.splitlines()) == (1, [CONTENT[name]])


@pytest.mark.parametrize("name", sorted(HANDINS))
def test_handin_row(name: str, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(FIXTURES / "handins" / name, tmp_path / "handin.json")
    monkeypatch.chdir(tmp_path)
    result = run_cli("responses", "import", "handin.json", "--responses", "copies")
    assert (result.code, result.err.splitlines()) == (1, [HANDINS[name]])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handin.json"]  # nothing written
