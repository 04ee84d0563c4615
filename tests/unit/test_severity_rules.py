"""Severity by construction: each rule of `workbook validate` on triage keys, broken once, gives
one line naming file, line and field (fixtures in tests/fixtures/severity, one case each), each
dropped into a copy of the fixture course (which holds the actions and red flags they name)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

SEVERITY = FIXTURES / "severity"

# fixture -> (line, field, words in the message)
CASES: dict[str, tuple[int, str, str]] = {
    "unflagged-red-flag-error.md": (11, "distractor_actions[1]", "safety-critical error of red flag"),
    "red-flag-error-only-important.md": (9, "distractor_actions[0]", "list it under safety_critical"),
    "self-harm-lower-tier-unflagged.md": (10, "safety_critical", "urgency 'next-supervision' is below"),
    "supervisor-later-unflagged.md": (10, "distractor_actions[0]", "tells the supervisor later"),
    "self-harm-supervisor-later-only-important.md": (10, "distractor_actions[0]", "list it under safety_critical"),
    "consulting-supervisor-flagged.md": (11, "important[0].choice", "never an error"),
    "checking-in-today-flagged.md": (10, "important[0].choice", "never an error"),
    "flagged-but-not-offered.md": (10, "important[0].choice", "not offered in this case"),
    "listed-twice.md": (14, "important[0].choice", "already listed under safety_critical"),
    "key-action-twice.md": (10, "actions[1][1]", "appears twice in the key"),
    "key-holds-red-flag-error.md": (10, "actions[1][0]", "cannot be in the key"),
    "key-tells-supervisor-too-late.md": (8, "actions", "no step brings the supervisor in"),
    "below-red-flag-urgency.md": (7, "urgency", "below its red flag's urgency 'same-day'"),
    "self-harm-omission-unflagged.md": (10, "actions[1][0]", "a 'missing' entry under safety_critical"),
    "missing-not-in-key.md": (10, "important[0].missing[0]", "is not in the key"),
    "offered-twice.md": (11, "distractor_actions[1]", "offered twice"),
    "choice-and-missing.md": (11, "important[0]", "not both or neither"),
    "self-harm-supervisor-not-before-leaving.md": (8, "actions", "brought in before the client leaves"),
    "acceptable-in-key.md": (10, "acceptable_actions[0]", "is also a correct action"),
    "acceptable-also-distractor.md": (11, "acceptable_actions[0]", "is also in distractor_actions"),
    "acceptable-and-flagged.md": (10, "acceptable_actions[0]", "listed under important; it cannot also be acceptable"),
    "acceptable-red-flag-error.md": (10, "acceptable_actions[0]", "safety-critical error of red flag"),
    "acceptable-tells-supervisor-late.md": (10, "acceptable_actions[0]", "tells the supervisor later"),
}


def test_corpus_is_complete() -> None:
    assert sorted(CASES) == sorted(p.name for p in SEVERITY.iterdir())


@pytest.mark.parametrize("name", sorted(CASES))
def test_severity_rule_gives_one_located_line(name: str, fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    line, field, words = CASES[name]
    shutil.copy(SEVERITY / name, fixture_copy / "triage" / name)
    result = run_cli("validate", str(fixture_copy))
    assert result.code == 1
    (found,) = result.err.splitlines()
    assert found.startswith(f"content/triage/{name}:{line}: {field}: "), found
    assert words in found, found


def test_removing_one_flag_is_caught(fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("validate", str(fixture_copy)).code == 0
    case = fixture_copy / "triage" / "triage-self-harm-clear.md"
    lines = case.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  - choice: act-keep-to-yourself\n")
    # the whole entry goes (its `why:` too): left behind, that line would be a duplicate key
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    case.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    offered = lines.index("  - act-keep-to-yourself\n")  # still offered, no longer flagged
    index = offered - lines.index("distractor_actions:\n") - 1
    result = run_cli("validate", str(fixture_copy))
    assert result.code == 1
    assert result.err.splitlines() == [
        f"content/triage/triage-self-harm-clear.md:{offered + 1}: distractor_actions[{index}]: "
        "'act-keep-to-yourself' is a safety-critical error of red flag 'rf-self-harm-thoughts'; "
        "list it under safety_critical"
    ]
