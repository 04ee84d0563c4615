"""`workbook singleuser`: the workspace made once (a second spawn keeps answers and notebooks), the
trainee from the hub user (or one clear line), the server's command line and environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinician_workbook.cli import main
from clinician_workbook.errors import UsageError
from clinician_workbook.hub.spawn import hub_trainee, prepare
from clinician_workbook.responses import ResponseStore, read_store
from tests.unit.conftest import COURSE, PRACTICE

HUB_ENV = {"JUPYTERHUB_USER": "ana", "WORKBOOK_CONTENT": str(COURSE), "PATH": "/usr/bin"}


def test_the_workspace_is_made_once_and_never_overwritten(tmp_path: Path) -> None:
    _, _, root = prepare(HUB_ENV, tmp_path)
    assert root == (tmp_path / "workbook").resolve()
    config = json.loads((root / "workbook.json").read_text(encoding="utf-8"))
    assert config["trainee"] == "ana" and config["content"] == str(COURSE.resolve())
    welcome = root / "00-welcome.ipynb"
    welcome.write_text(welcome.read_text(encoding="utf-8").replace("wb.welcome()", "wb.welcome()  # mine"))
    with ResponseStore.open(root / "responses", "ana") as store:
        store.save(PRACTICE, "knowledge-check", "kc-1", {"choice": 1})
    (root / "my-notes.ipynb").write_text("{}", encoding="utf-8")
    notebooks = sorted(p.name for p in root.glob("*.ipynb"))
    (root / notebooks[1]).unlink()  # a page the trainee deleted comes back; nothing else changes

    again = dict(HUB_ENV, WORKBOOK_CONTENT="")  # even if the hub's course setting changed meanwhile
    _, _, same = prepare(again, tmp_path)
    assert same == root
    assert "# mine" in welcome.read_text(encoding="utf-8")
    assert (root / "my-notes.ipynb").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in root.glob("*.ipynb")) == notebooks
    assert len(read_store(next((root / "responses").glob("*.sqlite")))[1]) == 1
    assert json.loads((root / "workbook.json").read_text(encoding="utf-8")) == config


def test_another_users_workspace_is_refused(tmp_path: Path) -> None:
    prepare(HUB_ENV, tmp_path)
    with pytest.raises(UsageError, match="belongs to 'ana'"):
        prepare(dict(HUB_ENV, JUPYTERHUB_USER="bob"), tmp_path)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "JUPYTERHUB_USER: not set"),
        ("   ", "JUPYTERHUB_USER: empty"),
        ("ana  lee", "'ana  lee' would be saved as 'ana lee'"),
        ("ａｎａ", "would be saved as 'ana'"),  # fullwidth letters
    ],
)
def test_a_hub_name_the_workbook_cannot_use_is_one_line(name: str, says: str) -> None:
    with pytest.raises(UsageError, match=says.replace("(", r"\(")):
        hub_trainee({"JUPYTERHUB_USER": name} if name else {})


def test_the_server_command_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    command, env, root = prepare(HUB_ENV, tmp_path, extra=["--debug"])
    assert command[1:3] == ["-m", "jupyterhub.singleuser"] and command[-1] == "--debug"
    assert f"--ServerApp.root_dir={root}" in command
    config = json.loads(Path(command[3].removeprefix("--config=")).read_text(encoding="utf-8"))
    assert set(config["ServerApp"]) == {"contents_manager_class"}  # the hub chooses the address and port, not us
    assert config["ServerApp"]["contents_manager_class"].endswith(".LargeFileManager")  # one file request at a time
    assert config["LabApp"]["news_url"] is None and config["LabApp"]["custom_css"] is True
    assert config["ContentsManager"]["pre_save_hook"] == "clinician_workbook.lab.keep_no_outputs"
    assert env["JUPYTER_CONFIG_DIR"] == str(root / ".workbook" / "jupyter")
    assert (root / ".workbook" / "jupyter" / "custom" / "custom.css").is_file()
    page_config = json.loads((root / ".workbook" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert page_config["buildCheck"] is False  # no Node run, no "rebuild Lab?" question, on each page load
    assert env["JUPYTERHUB_DEFAULT_URL"] == "/lab/tree/00-welcome.ipynb" and "WORKBOOK_FRONTEND" not in env
    assert env["JUPYTERHUB_USER"] == "ana"  # the hub's own variables pass on

    command, env, _ = prepare(HUB_ENV, tmp_path, app=True)
    assert "--VoilaConfiguration.template=workbook" in command
    assert env["JUPYTERHUB_DEFAULT_URL"] == "/voila/render/00-welcome.ipynb" and env["WORKBOOK_FRONTEND"] == "app"
    assert "app_templates" in env["JUPYTER_PATH"]


def test_cli_singleuser_with_a_bad_name_says_so_and_starts_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("JUPYTERHUB_USER", " ana")
    assert main(["singleuser", "--SingleUserNotebookApp.something=1"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: JUPYTERHUB_USER: ' ana' would be saved as 'ana'; give the hub user a name without "
        "spaces at the ends, invisible or look-alike characters"
    ]
    assert not (tmp_path / "workbook").exists()
    with pytest.raises(SystemExit):
        main(["validate", "--stray"])  # only singleuser passes unknown options on
