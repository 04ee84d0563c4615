"""Open JupyterLab on a trainee workspace, with nothing phoned home and no code in sight.

Lab's news feed, update check and extension manager would contact hosts on the internet;
a trainee's workbook makes no network calls, so all three are switched off in a config
file written next to the workspace.

The workbook's notebooks are pages, not programs: Lab loads ``lab.css`` as its custom CSS
(from the workspace's own Jupyter config folder), which hides their hidden code cells entirely
instead of as grey bars. Their outputs are never written to disk (:func:`keep_no_outputs`, a
save hook): the answers live in the store, so a notebook file stays the page it was, holds
nothing private, and Lab's autosave (every second here) clears "unsaved changes" after Run All,
so closing a page asks nothing.

The server never outlives ``workbook lab``. It runs in its own session, so a Ctrl-C in the
terminal reaches only us (Jupyter would otherwise stop to ask "Shutdown this Jupyter server?");
on SIGINT or SIGTERM we send it SIGTERM (a clean shutdown: kernels stopped, files closed),
wait up to STOP_SECONDS, then kill its process group. If ``workbook lab`` itself is killed
(SIGKILL), Linux sends the server SIGKILL (``PR_SET_PDEATHSIG``, see :mod:`.lifetime`); its
kernels watch their parent and exit after it.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .lifetime import Stopped, parent_death_preexec, stop_on_signals
from .notebooks import KERNEL_METADATA, PAGE_MARK
from .workspace import Workspace

STOP_SECONDS = 10.0  # for the server to shut down cleanly before it is killed

LAB_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "extension_manager": "readonly",
        "default_url": "/lab/tree/00-welcome.ipynb",
        "custom_css": True,
    },
    # Jupyter's default (async) file manager writes a notebook in place from a thread while the
    # server goes on answering; a read that comes in then (Lab checks the file before every save)
    # can find half a file, and Lab asks the trainee whether it "has changed on disk". The
    # synchronous one answers one file request at a time.
    "ServerApp": {
        "ip": "127.0.0.1",
        "contents_manager_class": "jupyter_server.services.contents.largefilemanager.LargeFileManager",
    },
    "ContentsManager": {"pre_save_hook": "clinician_workbook.lab.keep_no_outputs"},
}
CUSTOM_CSS = Path(__file__).parent / "static" / "lab.css"
# Lab's page config (labconfig/page_config.json in the workspace's Jupyter config folder): no
# build check. Otherwise every Lab page load asks the server whether Lab should be rebuilt, which
# runs Node twice there (about 0.7 CPU-s a load, measured; on a hub, on every trainee's), and a
# trainee could be asked to rebuild JupyterLab. The workbook never builds Lab.
PAGE_CONFIG = {"buildCheck": False, "buildAvailable": False}


# Lab's own defaults for this server (its app settings' overrides.json): news off, so no toast
# asks a trainee whether to fetch news from the internet (news_url=None alone still asks).
# Autosave every second: a page's only change after Run All is its outputs, which are never
# saved (keep_no_outputs), so the save is quick and leaves nothing to ask about on closing.
# Lab moves between cells on the arrow keys whenever nothing editable has the focus, so an arrow
# on a radio button or a dropdown in a page left the exercise: those shortcuts stay, but not on
# form controls, where the arrows keep their own meaning (the next option).
COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
ARROWS = {
    "notebook:move-cursor-down": "ArrowDown",
    "notebook:move-cursor-up": "ArrowUp",
    "notebook:move-cursor-heading-above-or-collapse": "ArrowLeft",
    "notebook:move-cursor-heading-below-or-expand": "ArrowRight",
    "notebook:extend-marked-cells-above": "Shift ArrowUp",
    "notebook:extend-marked-cells-below": "Shift ArrowDown",
}
ARROW_SHORTCUTS = [
    shortcut
    for command, key in ARROWS.items()
    for shortcut in (
        {"command": command, "keys": [key], "selector": COMMAND_MODE, "disabled": True},
        {"command": command, "keys": [key], "selector": f"{COMMAND_MODE}:not(input):not(select)"},
    )
]
LAB_OVERRIDES: dict[str, Any] = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension:plugin": {"autosaveInterval": 1},
    # a page opens with its kernel started, never Lab's "Select Kernel" dialog (seen when Lab is slow)
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
    "@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": ARROW_SHORTCUTS},
}


def keep_no_outputs(model: dict[str, Any], **_: Any) -> None:
    """Jupyter's pre-save hook: a workbook notebook is saved without outputs or widget state, and
    with the kernel metadata it was written with (not the running kernel's), so a page nobody
    edited is saved byte for byte as it was.

    That is what keeps Lab's "File Changed" question away: Lab checks the file's hash before each
    save, and on a busy server its next autosave can start before the last one has answered; it
    then finds a hash it has not been told of. A save that writes the same bytes leaves the same
    hash. Other notebooks (a trainee's own) are saved as they are.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    if PAGE_MARK not in notebook.get("metadata", {}):
        return
    notebook["metadata"].pop("widgets", None)
    notebook["metadata"].update(copy.deepcopy(KERNEL_METADATA))
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


def lab_environment(root: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: its Jupyter config folder is the workspace's own, holding the
    custom CSS (``custom/custom.css``) and Lab's page config (``labconfig/page_config.json``), so
    Lab's user settings for this workspace live there too."""
    folder = root / ".workbook" / "jupyter"
    for sub in ("custom", "labconfig"):
        (folder / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
    (folder / "custom" / "custom.css").write_text(CUSTOM_CSS.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG) + "\n", encoding="utf-8")
    env = dict(os.environ if base is None else base)
    env["JUPYTER_CONFIG_DIR"] = str(folder)
    return env


def write_lab_settings(root: Path) -> Path:
    """The folder of Lab's app settings for ``root`` (``overrides.json``)."""
    folder = root / ".workbook" / "lab-settings"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    (folder / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=1) + "\n", encoding="utf-8")
    return folder


def write_lab_config(root: Path, opening: str = "00-welcome.ipynb") -> Path:
    """Lab's config for ``root``, opening on the notebook ``opening``."""
    folder = root / ".workbook"
    folder.mkdir(mode=0o700, exist_ok=True)
    config = folder / "jupyter_lab_config.json"
    settings = json.loads(json.dumps(LAB_CONFIG))
    settings["LabApp"]["default_url"] = f"/lab/tree/{quote(opening)}"
    config.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    return config


def lab_command(
    workspace: Workspace | Path, port: int | None = None, open_browser: bool = True, opening: str = "00-welcome.ipynb"
) -> list[str]:
    """The ``jupyter lab`` command line for a workspace (or any folder), opening on ``opening``."""
    root = workspace.root if isinstance(workspace, Workspace) else workspace
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--config={write_lab_config(root, opening)}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={write_lab_settings(root)}",
    ]
    if port:
        command.append(f"--ServerApp.port={port}")
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # Jupyter refuses to run as root without it
    return command


def run_lab(workspace: Workspace, port: int | None = None, open_browser: bool = True) -> int:
    """Run JupyterLab in the foreground until the user stops it (Ctrl-C) or we get SIGTERM."""
    print(f"Opening JupyterLab on {workspace.root} (trainee: {workspace.trainee}). Stop it with Ctrl-C.")
    return run_server(lab_command(workspace, port, open_browser), workspace.root, env=lab_environment(workspace.root))


def run_supervision(folder: Path, notebook: Path, port: int | None = None, open_browser: bool = True) -> int:
    """JupyterLab on a supervisor's folder, opening the supervisor notebook ready to run."""
    print(f"Opening the supervisor notebook {notebook} in JupyterLab. Run All, then give feedback. Stop with Ctrl-C.")
    return run_server(lab_command(folder, port, open_browser, notebook.name), folder, env=lab_environment(folder))


def run_server(
    command: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    name: str = "JupyterLab",
    stop_seconds: float = STOP_SECONDS,
) -> int:
    """Run ``command`` as a server that ends with us; its exit code, or 0 when we stopped it."""
    with stop_on_signals():
        server = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True, preexec_fn=parent_death_preexec())
        try:
            return server.wait()
        except Stopped:
            stop_server(server, stop_seconds)
            print(f"{name} stopped.")
            return 0


def stop_server(server: subprocess.Popen[bytes], stop_seconds: float = STOP_SECONDS) -> None:
    """SIGTERM the server, then SIGKILL its process group if it is still there after ``stop_seconds``."""
    with contextlib.suppress(ProcessLookupError):
        server.terminate()
    try:
        server.wait(stop_seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # its own session: the group is the server and what it forked
        server.wait()
