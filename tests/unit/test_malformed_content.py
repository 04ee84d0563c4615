"""A corpus of malformed content files: each gives a clear one-line error, never a traceback.

Every fixture is dropped into a copy of the (valid) bundled course, so exactly one thing is
wrong; the test asserts the file, the field (or line) and the problem are named.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

MALFORMED = FIXTURES / "malformed"

# fixture file -> (field named in the message, words the message must contain)
CASES: dict[str, tuple[str, str]] = {
    "bad-yaml-syntax.yaml": (":5:", "YAML syntax error"),  # where the parser notices
    "missing-required-field.yaml": ("text", "required field is missing"),
    "wrong-type.yaml": ("order", "valid integer"),
    "unknown-id.md": ("signs_present[0].sign", "did you mean 'ra-changing-subject'"),
    "duplicate-id.yaml": ("id", "duplicate id 'cope-grounding'"),
    "bad-difficulty.md": ("difficulty", "'expert'"),
    "empty.yaml": ("", "file is empty"),
    "not-utf8.yaml": (":2:", "not UTF-8"),
    "unclosed-front-matter.md": ("", "no closing '---'"),
    "list-instead-of-mapping.yaml": ("stages", "got list"),
    "unknown-field.yaml": ("txt", "did you mean 'text'"),
    "bad-rupture.yaml": ("signs[0].rupture", "'angry'"),
    "bad-urgency.yaml": ("urgency", "'tomorrow'"),
    "bad-review-status.yaml": ("review", "'approved'"),
    "reviewed-without-reviewer.yaml": ("review", "needs both reviewer"),
    "self-harm-without-help-seeking.md": ("help_seeking", "required when self_harm"),
    "two-correct-options.yaml": ("options", "exactly one option"),
    "unknown-collection.yaml": ("strategys", "did you mean 'strategies'"),
    "bad-id-pattern.yaml": ("id", "'Act_Extra'"),
    "anchors-incomplete.yaml": ("anchors", "0, 1, 2, 3 and 4"),
    "top-level-list.yaml": ("", "top level must be a mapping"),
    "bad-doi.yaml": ("doi", "https://doi.org"),
    "item-not-a-mapping.yaml": ("triage_actions[0]", "must be a mapping"),
}


def test_corpus_is_complete() -> None:
    assert sorted(CASES) == sorted(p.name for p in MALFORMED.iterdir())
    assert len(CASES) >= 15


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file_is_reported(name: str, content_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    field, words = CASES[name]
    shutil.copy(MALFORMED / name, content_copy / name)
    result = run_cli("validate", str(content_copy))
    assert result.code == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    # a duplicate is reported where it is met second, naming the first: both files appear
    assert f"content/{name}" in line and line.startswith("content/"), line
    if field.startswith(":"):
        assert f"content/{name}{field}" in line
    elif field:
        assert f": {field}: " in line, line
    assert words in line, line
    assert "Traceback" not in result.err


def test_cli_process_prints_no_traceback(content_copy: Path) -> None:
    shutil.copy(MALFORMED / "not-utf8.yaml", content_copy / "not-utf8.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "clinician_workbook.cli", "validate", str(content_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == ("content/not-utf8.yaml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8")
