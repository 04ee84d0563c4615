"""nbformat without the IRI grammar: rfc3987_syntax is imported on the first IRI check, not before."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("rfc3987_syntax")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_runner_builds_no_grammar() -> None:
    code = "import clinician_workbook.runner, nbformat, jsonschema, sys; print('lark' in sys.modules)"
    assert _run(code) == "False"


def test_an_iri_is_still_checked_as_before() -> None:
    code = (
        "import clinician_workbook, sys\n"
        "from jsonschema import Draft202012Validator, FormatChecker\n"
        "check = Draft202012Validator({'format': 'iri'}, format_checker=FormatChecker())\n"
        "print(check.is_valid('https://example.org/ä'), check.is_valid('not an iri'), 'lark' in sys.modules)"
    )
    assert _run(code) == "True False True"
