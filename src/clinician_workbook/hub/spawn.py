"""``workbook singleuser``: what a JupyterHub spawner runs for each user.

The user's workspace is ``~/workbook``, made on the first spawn for the trainee named by the hub
(``JUPYTERHUB_USER``) with the course from ``WORKBOOK_CONTENT`` (else the bundled one), and never
overwritten after: a later spawn only writes notebooks that are missing, so a trainee's answers
and their own notebooks are kept. Then the process becomes ``jupyterhub-singleuser`` on that
workspace with the workbook's Lab settings (:mod:`..lab`: no news, no update check, the code
hidden, notebooks saved without outputs), landing on the welcome page, or on the app's welcome
page (Voilà with the workbook template, :mod:`..app`) with ``--app``.

A hub user name the workbook cannot use as it is (one its trainee-name check would change or
refuse) stops the spawn with one line in the server's log, before anything is written.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from ..app import app_environment
from ..courses import ENV as CONTENT_ENV
from ..errors import UsageError
from ..lab import LAB_CONFIG, lab_environment, write_lab_settings
from ..options import check_trainee
from ..workspace import Workspace, find_workspace, init_workspace
from .client import USER_ENV

FOLDER = "workbook"  # the workspace, in the user's home
WELCOME = "00-welcome.ipynb"
DEFAULT_URL_ENV = "JUPYTERHUB_DEFAULT_URL"  # where jupyterhub-singleuser sends a user who opens /user/NAME/


def hub_trainee(env: Mapping[str, str]) -> str:
    """The trainee name: the hub user's name, exactly, or a one-line error saying why not."""
    name = env.get(USER_ENV, "")
    if not name:
        raise UsageError(f"{USER_ENV}: not set; `workbook singleuser` is the command a JupyterHub spawner runs")
    checked = check_trainee(name, USER_ENV)
    if checked != name:
        raise UsageError(
            f"{USER_ENV}: {name!r} would be saved as {checked!r}; give the hub user a name without "
            "spaces at the ends, invisible or look-alike characters"
        )
    return name


def ensure_workspace(home: Path, trainee: str, content: Path | None) -> Workspace:
    """``home/workbook`` for ``trainee``: made once; later only missing notebooks are added."""
    root = home / FOLDER
    existing = find_workspace(root) if root.exists() else None
    if existing is not None and existing.root == root.resolve():
        # its own trainee and course, as made; init_workspace never overwrites a notebook (keep=True)
        return init_workspace(root, trainee, None)
    return init_workspace(root, trainee, content)


def server_config(root: Path) -> Path:
    """The workbook's Lab config for a hub server: as ``workbook lab``'s, but the hub picks the address."""
    folder = root / ".workbook"
    folder.mkdir(mode=0o700, exist_ok=True)
    settings = json.loads(json.dumps(LAB_CONFIG))
    del settings["ServerApp"]["ip"]
    settings["LabApp"]["default_url"] = landing(app=False)
    config = folder / "jupyter_hub_server_config.json"
    config.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    return config


def landing(app: bool) -> str:
    return f"/voila/render/{quote(WELCOME)}" if app else f"/lab/tree/{quote(WELCOME)}"


def singleuser_command(root: Path, app: bool = False, extra: list[str] | None = None) -> list[str]:
    """``jupyterhub-singleuser`` on the workspace with the workbook's settings (and ``extra``, the
    spawner's own arguments, last so a deployment can still set what it must)."""
    command = [
        sys.executable,
        "-m",
        "jupyterhub.singleuser",
        f"--config={server_config(root)}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={write_lab_settings(root)}",
    ]
    if app:
        command += ["--VoilaConfiguration.template=workbook", "--VoilaConfiguration.show_tracebacks=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # Jupyter refuses to run as root without it
    return [*command, *(extra or [])]


def singleuser_environment(root: Path, app: bool = False, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The server's environment: the workspace's Jupyter config folder (custom CSS), the landing
    page, and for ``app`` the workbook template on ``JUPYTER_PATH`` with pages told so."""
    env = lab_environment(root, dict(os.environ if base is None else base))
    env[DEFAULT_URL_ENV] = landing(app)
    return app_environment(env) if app else env


def prepare(
    env: Mapping[str, str], home: Path, app: bool = False, extra: list[str] | None = None
) -> tuple[list[str], dict[str, str], Path]:
    """(command, environment, working folder) of the user's server; the workspace made if missing."""
    trainee = hub_trainee(env)
    content = env.get(CONTENT_ENV, "").strip()
    workspace = ensure_workspace(home, trainee, Path(content) if content else None)
    return (
        singleuser_command(workspace.root, app, extra),
        singleuser_environment(workspace.root, app, env),
        workspace.root,
    )


def run_singleuser(app: bool = False, extra: list[str] | None = None) -> None:
    """Become the user's server (``os.execvpe``): nothing of ours stays running beside it."""
    command, env, root = prepare(os.environ, Path.home(), app, extra)
    print(f"workbook singleuser: {root} for {env[USER_ENV]!r}, landing on {env[DEFAULT_URL_ENV]}", flush=True)
    os.chdir(root)
    os.execvpe(command[0], command, env)


__all__ = ["ensure_workspace", "hub_trainee", "prepare", "run_singleuser", "singleuser_command"]
