"""The thin CLI: workspaces, hand-in and backup; user mistakes are one line, never a traceback."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from clinician_workbook.content import load_bundled
from clinician_workbook.lab import LAB_CONFIG, lab_command
from clinician_workbook.pages import pages
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.workspace import find_workspace
from tests.unit.conftest import COURSE, PRACTICE


def test_init_creates_a_private_workspace(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("init", str(tmp_path / "ws"), "--trainee", "Ada Test")
    assert result.code == 0 and "workspace ready" in result.out
    ws = tmp_path / "ws"
    assert sorted(p.name for p in ws.glob("*.ipynb")) == [p.notebook for p in pages(load_bundled())]
    config = json.loads((ws / "workbook.json").read_text())
    assert config["trainee"] == "Ada Test" and "content" not in config  # the bundled course: no path
    assert stat.S_IMODE((ws / "responses").stat().st_mode) == 0o700
    found = find_workspace(ws / "responses")
    assert found is not None and found.trainee == "Ada Test"
    again = run_cli("init", str(ws), "--trainee", "Someone Else")
    assert again.code == 1 and again.err.strip().startswith("error: ") and len(again.err.splitlines()) == 1


def test_responses_export_and_import(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    run_cli("init", str(tmp_path / "ws"), "--trainee", "Ada Test", "--content", str(COURSE))
    monkeypatch.chdir(tmp_path / "ws")
    nothing = run_cli("responses", "export", "--out", str(tmp_path / "h.json"))
    assert nothing.code == 1 and "no answers saved yet" in nothing.err
    assert not any((tmp_path / "ws" / "responses").iterdir())
    with ResponseStore(store_path(tmp_path / "ws" / "responses", "Ada Test"), "Ada Test") as store:
        store.save(PRACTICE, "reflect", "mh-reflect-1", {"stages": {"feelings": "tired"}})
        store.save(PRACTICE, "reflect", "mh-reflect-1", {"stages": {"feelings": "better"}}, shared=True)
    exported = run_cli("responses", "export", "--out", str(tmp_path / "h.json"))
    assert exported.code == 0 and "exported 1 attempts" in exported.out  # the private reflection stays home
    assert stat.S_IMODE((tmp_path / "h.json").stat().st_mode) == 0o600
    assert "tired" not in (tmp_path / "h.json").read_text(encoding="utf-8")
    backup = run_cli("responses", "export", "--backup", "--out", str(tmp_path / "b.json"))
    assert backup.code == 0 and "exported 2 attempts" in backup.out and "tired" in (tmp_path / "b.json").read_text()
    imported = run_cli("responses", "import", str(tmp_path / "h.json"), "--responses", str(tmp_path / "sup"))
    assert imported.code == 0 and "imported 1 attempts" in imported.out
    again = run_cli("responses", "import", str(tmp_path / "h.json"), "--responses", str(tmp_path / "sup"))
    assert "imported 0 attempts" in again.out and "(1 already there)" in again.out


def test_import_reports_rows_and_imports_nothing(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    bad = {
        "format": "clinician-workbook-responses",
        "version": 1,
        "trainee": "Ada",
        "exported_at": "2026-01-01T00:00:00+00:00",
        "attempts": [{"uid": "x"}, {"uid": "y"}],
    }
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    result = run_cli("responses", "import", str(tmp_path / "bad.json"), "--responses", str(tmp_path / "r"))
    assert result.code == 1 and "Traceback" not in result.err
    assert "attempts[0]" in result.err and "attempts[1]" in result.err
    assert not (tmp_path / "r").exists()


def test_lab_command_is_private_and_offline(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    run_cli("init", str(tmp_path / "ws"), "--trainee", "Ada", "--content", str(COURSE))
    ws = find_workspace(tmp_path / "ws")
    assert ws is not None
    command = lab_command(ws, port=9999, open_browser=False)
    assert "--no-browser" in command and "--ServerApp.port=9999" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    config = json.loads(Path(next(c for c in command if c.startswith("--config=")).split("=", 1)[1]).read_text())
    assert config == LAB_CONFIG and config["LabApp"]["news_url"] is None
    assert config["ServerApp"]["ip"] == "127.0.0.1"
    settings = Path(next(c for c in command if c.startswith("--LabApp.app_settings_dir=")).split("=", 1)[1])
    overrides = json.loads((settings / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"  # no news toast
    assert overrides["@jupyterlab/notebook-extension:tracker"]["autoStartDefaultKernel"] is True  # no kernel dialog
