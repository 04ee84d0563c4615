"""Open JupyterLab on a trainee workspace, with nothing phoned home.

Lab's news feed, update check and extension manager would contact hosts on the internet;
a trainee's workbook makes no network calls, so all three are switched off in a config
file written next to the workspace.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .workspace import Workspace

LAB_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "extension_manager": "readonly",
        "default_url": "/lab/tree/00-welcome.ipynb",
    },
    "ServerApp": {"ip": "127.0.0.1"},
}


def write_lab_config(workspace: Workspace) -> Path:
    folder = workspace.root / ".workbook"
    folder.mkdir(mode=0o700, exist_ok=True)
    config = folder / "jupyter_lab_config.json"
    config.write_text(json.dumps(LAB_CONFIG, indent=1) + "\n", encoding="utf-8")
    return config


def lab_command(workspace: Workspace, port: int | None = None, open_browser: bool = True) -> list[str]:
    """The ``jupyter lab`` command line for ``workspace``."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--config={write_lab_config(workspace)}",
        f"--ServerApp.root_dir={workspace.root}",
    ]
    if port:
        command.append(f"--ServerApp.port={port}")
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # Jupyter refuses to run as root without it
    return command


def run_lab(workspace: Workspace, port: int | None = None, open_browser: bool = True) -> int:
    """Run JupyterLab in the foreground until the user stops it (Ctrl-C)."""
    print(f"Opening JupyterLab on {workspace.root} (trainee: {workspace.trainee}). Stop it with Ctrl-C.")
    try:
        return subprocess.call(lab_command(workspace, port, open_browser), cwd=workspace.root)
    except KeyboardInterrupt:
        return 0
