"""A corpus of malformed content files: each gives a clear one-line error, never a traceback.

Every fixture is dropped into a copy of the (valid) fixture course, so exactly one thing is
wrong; the test asserts the file, the field (or line) and the problem are named. The one
exception is unknown-id.md: the README's malformed-input table quotes its message as a person
sees it on the bundled course (test_malformed_table.py), so it names bundled ids and is dropped
into a copy of the bundled course.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.content.sources import DEFAULT_LIMITS
from tests.conftest import FIXTURES, Result

MALFORMED = FIXTURES / "malformed"
ON_THE_BUNDLED_COURSE = {"unknown-id.md"}  # quoted by the README for the shipped course

# fixture file -> (field named in the message, or ":LINE:[ field]" after the file name; words the
# message must contain)
CASES: dict[str, tuple[str, str]] = {
    "bad-yaml-syntax.yaml": (":4:", "a '[' list opened here is not closed"),  # where it opens, not line 5
    "unclosed-quote.yaml": (":4:", "a quoted value opened here is not closed"),  # not line 36 (end of file)
    "runaway-quote.yaml": (":4:", "runs on to line 68; is its closing quote missing?"),  # not line 68
    # the line that broke the block, not the next line the parser could not place (line 37)
    "bad-indentation.yaml": (":6:", "this line is indented less than line 37 after it, which then belongs to nothing"),
    "missing-colon.yaml": (":4:", "this line is neither 'key: value' nor '- item' (could not find expected ':'"),
    "billion-laughs.yaml": (":2:", "anchors and aliases (&name, *name) are not allowed"),
    "challenge-called-welcome.yaml": (":2: id", "'welcome' is the id of a page of its own"),
    "second-signless-challenge.yaml": (":2: signs", "a second challenge without signs (the first is"),
    "anchor-in-content.yaml": (":8:", "anchors and aliases (&name, *name) are not allowed"),
    "duplicate-key-top.yaml": (":11: strategies", "duplicate key (first at line 1)"),
    "duplicate-key-nested.yaml": (":8: strategies[0].title", "duplicate key (first at line 4)"),
    "duplicate-key-front-matter.md": (":13: difficulty", "duplicate key (first at line 6)"),
    "too-deep.yaml": (":1:", "nested more than 32 levels deep"),
    "nul-byte.yaml": (":3:", "contains a NUL byte"),
    "impossible-date.yaml": (":11:", "cannot read this as a date (day is out of range for month)"),
    "missing-kind.md": (":2: kind", "required field is missing (one of: vignette, triage_case)"),
    "missing-required-field.yaml": ("text", "required field is missing"),
    "wrong-type.yaml": ("order", "valid integer"),
    "unknown-id.md": ("signs_present[0].sign", "did you mean 'ra-changing-subject'"),
    # reported in the file read second (content/ is read in sorted path order), naming the first
    "duplicate-id.yaml": (
        ":2: id",
        "duplicate id 'test-practice' (first defined at content/challenges/test-practice.yaml:2)",
    ),
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
    # issue 15: every rule of docs/content-format.md, enforced by validate
    "two-options.yaml": (":5: options", "a knowledge check offers 3-5 options; this one has 2"),
    "vignette-too-short.md": (":17: body", "a vignette body has 150-400 words; this one has 53"),
    "triage-too-long.md": (":16: body", "a triage case body has 80-200 words; this one has 234"),
    "unsafe-wording.yaml": (
        ":5: text",
        "safe messaging: 'at high risk' is not used in course text (nothing here rates or predicts a risk level)",
    ),
    "duplicate-order.yaml": (
        ":3: order",
        "order 2 is taken by challenge 'test-concerns' (content/challenges/test-concerns.yaml:2)",
    ),
    "unknown-kind.md": (
        ":2: kind",
        "unknown kind 'triage' (known: vignette, triage_case; did you mean 'triage_case'?)",
    ),
}


def test_corpus_is_complete() -> None:
    assert sorted(CASES) == sorted(p.name for p in MALFORMED.iterdir())
    assert len(CASES) >= 15


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file_is_reported(name: str, request: pytest.FixtureRequest, run_cli) -> None:  # type: ignore[no-untyped-def]
    field, words = CASES[name]
    course: Path = request.getfixturevalue("content_copy" if name in ON_THE_BUNDLED_COURSE else "fixture_copy")
    shutil.copy(MALFORMED / name, course / name)
    result = run_cli("validate", str(course))
    assert result.code == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    # every problem is reported in the file that has it (a duplicate: in the one read second)
    assert line.startswith(f"content/{name}"), line
    if field.startswith(":"):
        # ":4:" is followed by the message, ":4: field" by ": " and the message
        assert line.startswith(f"content/{name}{field}" + (" " if field.endswith(":") else ": ")), line
    elif field:
        assert f": {field}: " in line, line
    assert words in line, line
    assert "Traceback" not in result.err


def _one_line(result: Result, name: str) -> str:
    assert result.code == 1
    assert result.out == ""
    assert "Traceback" not in result.err
    (line,) = result.err.splitlines()
    assert line.startswith(f"content/{name}"), line
    return line


def test_too_large_file_is_refused_unread(fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    # valid YAML, one byte over the limit: refused by size, before any parsing
    big = fixture_copy / "big.yaml"
    big.write_bytes(b"# " + b"x" * (DEFAULT_LIMITS.max_bytes - 1))
    assert big.stat().st_size == DEFAULT_LIMITS.max_bytes + 1
    line = _one_line(run_cli("validate", str(fixture_copy)), "big.yaml")
    assert line == "content/big.yaml: file is larger than 2 MiB, the limit for one content file; split it"


def test_file_at_the_size_limit_is_read(fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    big = fixture_copy / "big.yaml"
    comment = "# " + "x" * 1022 + "\n"
    big.write_text("strategies: []\n" + comment * (DEFAULT_LIMITS.max_bytes // len(comment) - 1))
    assert big.stat().st_size <= DEFAULT_LIMITS.max_bytes
    result = run_cli("validate", str(fixture_copy))
    assert result.code == 0, result.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_unreadable_file(fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    locked = fixture_copy / "locked.yaml"
    locked.write_text("strategies: []\n")
    locked.chmod(0)
    line = _one_line(run_cli("validate", str(fixture_copy)), "locked.yaml")
    assert line == "content/locked.yaml: cannot read the file: permission denied"


def test_unreadable_file_as_any_user(fixture_copy: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # the same path as above for a test run as root, which chmod cannot lock out
    locked = fixture_copy / "locked.yaml"
    locked.write_text("strategies: []\n")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.yaml":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    line = _one_line(run_cli("validate", str(fixture_copy)), "locked.yaml")
    assert line == "content/locked.yaml: cannot read the file: permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a folder whatever its mode")
def test_unlistable_folder(fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (fixture_copy / "vignettes").chmod(0)
    try:
        line = _one_line(run_cli("validate", str(fixture_copy)), "vignettes")
    finally:
        (fixture_copy / "vignettes").chmod(0o755)
    assert line == "content/vignettes: cannot list this folder: permission denied"


def test_unlistable_folder_as_any_user(fixture_copy: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    # its items would otherwise vanish from the course without a word (Path.rglob skips the folder)
    real_scandir = os.scandir

    def refuse(path: Any) -> Any:
        if Path(path).name == "vignettes":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    line = _one_line(run_cli("validate", str(fixture_copy)), "vignettes")
    assert line == "content/vignettes: cannot list this folder: permission denied"


def test_cli_process_prints_no_traceback(fixture_copy: Path) -> None:
    shutil.copy(MALFORMED / "not-utf8.yaml", fixture_copy / "not-utf8.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "clinician_workbook.cli", "validate", str(fixture_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == ("content/not-utf8.yaml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8")
