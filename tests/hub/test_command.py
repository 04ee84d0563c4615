"""`python -m clinician_workbook.hub`: one-line errors for what an admin can get wrong, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinician_workbook.hub.__main__ import main


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith(("JUPYTERHUB_", "WORKBOOK_HUB_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_help_lists_the_options_and_their_env_vars(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for option in ("--db", "--max-bytes", "--supervisors-group", "--admins-group", "WORKBOOK_HUB_DB"):
        assert option in out


def test_outside_a_hub_it_says_who_starts_it(clean_env: Path) -> None:
    """The real command, in a process of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "WORKBOOK_HUB_"))}
    done = subprocess.run(
        [sys.executable, "-m", "clinician_workbook.hub"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stdout.strip().splitlines() == [
        "error: JUPYTERHUB_API_TOKEN is not set: JupyterHub starts this service (c.JupyterHub.services)"
    ]
    assert list(clean_env.iterdir()) == []  # nothing created


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--db", "sqlite://"], {}, "an in-memory database would lose every hand-in"),
        ([], {"WORKBOOK_HUB_DB": "nonsense"}, "not a database URL"),
        (["--max-bytes", "10"], {}, "--max-bytes 10: too small for a hand-in"),
        ([], {"WORKBOOK_HUB_MAX_BYTES": "lots"}, "WORKBOOK_HUB_MAX_BYTES='lots': not a whole number of bytes"),
    ],
)
def test_bad_settings_are_one_line(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    env: dict[str, str],
    expected: str,
) -> None:
    for name, value in {"JUPYTERHUB_API_TOKEN": "x", **env}.items():
        monkeypatch.setenv(name, value)
    assert main(args) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], lines
