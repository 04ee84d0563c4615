"""Open JupyterLab on a trainee workspace, with nothing phoned home.

Lab's news feed, update check and extension manager would contact hosts on the internet;
a trainee's workbook makes no network calls, so all three are switched off in a config
file written next to the workspace.

The server never outlives ``workbook lab``. It runs in its own session, so a Ctrl-C in the
terminal reaches only us (Jupyter would otherwise stop to ask "Shutdown this Jupyter server?");
on SIGINT or SIGTERM we send it SIGTERM (a clean shutdown: kernels stopped, files closed),
wait up to STOP_SECONDS, then kill its process group. If ``workbook lab`` itself is killed
(SIGKILL), Linux sends the server SIGKILL (``PR_SET_PDEATHSIG``, see :mod:`.lifetime`); its
kernels watch their parent and exit after it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from .lifetime import Stopped, parent_death_preexec, stop_on_signals
from .workspace import Workspace

STOP_SECONDS = 10.0  # for the server to shut down cleanly before it is killed

LAB_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "extension_manager": "readonly",
        "default_url": "/lab/tree/00-welcome.ipynb",
    },
    "ServerApp": {"ip": "127.0.0.1"},
}


# Lab's own defaults for this server (its app settings' overrides.json): news off, so no toast
# asks a trainee whether to fetch news from the internet (news_url=None alone still asks).
LAB_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


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
    return run_server(lab_command(workspace, port, open_browser), workspace.root)


def run_supervision(folder: Path, notebook: Path, port: int | None = None, open_browser: bool = True) -> int:
    """JupyterLab on a supervisor's folder, opening the supervisor notebook ready to run."""
    print(f"Opening the supervisor notebook {notebook} in JupyterLab. Run All, then give feedback. Stop with Ctrl-C.")
    return run_server(lab_command(folder, port, open_browser, notebook.name), folder)


def run_server(command: list[str], cwd: Path, stop_seconds: float = STOP_SECONDS) -> int:
    """Run ``command`` as a server that ends with us; its exit code, or 0 when we stopped it."""
    with stop_on_signals():
        server = subprocess.Popen(command, cwd=cwd, start_new_session=True, preexec_fn=parent_death_preexec())
        try:
            return server.wait()
        except Stopped:
            stop_server(server, stop_seconds)
            print("JupyterLab stopped.")
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
