"""``workbook app``: a trainee's pages in Voilà, with no code and no Jupyter chrome in sight.

The same notebooks and the same store as JupyterLab: Voilà runs each page's notebook in a kernel
started in the workspace, which finds its trainee in ``workbook.json``, so an answer given in the
app is there in Lab and the other way round. The page frame is our Voilà template ``workbook``
(``app_templates/``, put on ``JUPYTER_PATH`` for the server only): landmarks, a skip link, a
readable width, nothing fetched from another host. The server listens on 127.0.0.1 with a token,
like ``workbook lab``, and ends with us (:func:`.lab.run_server`).

Pages know they are in the app from ``WORKBOOK_FRONTEND=app`` in their kernel's environment
(:func:`in_app`), and word their instructions for it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .workspace import Workspace

TEMPLATES = Path(__file__).parent / "app_templates"  # a Jupyter data folder: voila/templates/workbook
FRONTEND = "WORKBOOK_FRONTEND"
DEFAULT_PORT = 8866


def in_app() -> bool:
    """Whether this kernel serves a page of ``workbook app`` (not JupyterLab, not an export)."""
    return os.environ.get(FRONTEND) == "app"


def app_command(root: Path, port: int | None = None, open_browser: bool = True, token: str | None = None) -> list[str]:
    """The ``voila`` command line for a workspace: our template, loopback only, a token."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(root),
        "--template=workbook",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port or DEFAULT_PORT}",
        f"--Voila.open_browser={open_browser}",
        "--VoilaConfiguration.show_tracebacks=False",
    ]
    command.append(f"--Voila.token={token}" if token else "--Voila.auto_token=True")
    return command


def app_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: our template on ``JUPYTER_PATH``, pages told they are in the app."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATES), env.get("JUPYTER_PATH", "")) if p)
    env[FRONTEND] = "app"
    return env


def run_app(workspace: Workspace, port: int | None = None, open_browser: bool = True) -> int:
    """Serve the workspace's pages until the user stops it (Ctrl-C) or we get SIGTERM."""
    from .lab import run_server  # the kernel's in_app() needs none of the server side

    print(f"Opening the workbook app on {workspace.root} (trainee: {workspace.trainee}). Stop it with Ctrl-C.")
    command = app_command(workspace.root, port, open_browser)
    return run_server(command, workspace.root, env=app_environment(), name="The workbook app")
