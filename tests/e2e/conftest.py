"""End-to-end fixtures: a private JupyterLab server and Debian's Chromium through Playwright.

Without a browser these tests skip with a reason locally; under CI=true they fail instead,
so a CI run can never pass by silently skipping them.
"""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.app import app_command, app_environment
from clinician_workbook.export.browser import BROWSER
from clinician_workbook.lab import lab_command, lab_environment
from clinician_workbook.workspace import Workspace, init_workspace

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Any:
    # the exporter's browser: one Playwright per process (a second sync Playwright cannot start)
    return BROWSER.get()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def offline_page(browser: Any) -> Iterator[Any]:
    """A page that may load file:// URLs only: any other request is aborted (and fails)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_files)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Lab:
    url: str
    token: str
    workspace: Workspace

    def open(self, path: str, workspace: str = "") -> str:
        """URL of ``path`` in Lab; a named ``workspace`` starts from an empty layout (one tab)."""
        where = f"/lab/workspaces/{workspace}" if workspace else "/lab"
        return f"{self.url}{where}/tree/{path}?token={self.token}"


def _isolated(tmp_path: Path, base: dict[str, str]) -> dict[str, str]:
    """The server's environment with Jupyter's runtime, IPython and Lab's settings in ``tmp_path``."""
    home = tmp_path / "jupyter"
    env = {
        **base,
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
    }
    # render every cell (Lab's default windowing only attaches cells near the viewport, and the
    # tests look for widgets far down a notebook)
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text('{"windowingMode": "none"}', encoding="utf-8")
    return env


@contextmanager
def _serving(command: list[str], env: dict[str, str], cwd: Path, ready: str, log_path: Path) -> Iterator[None]:
    """Run a server until ``ready`` (a URL) answers; stop it afterwards."""
    log = log_path.open("w")
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(ready, timeout=2):
                    break
            except OSError as err:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(f"{command[2]} did not start:\n" + log_path.read_text()[-3000:]) from err
                time.sleep(0.25)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    """``jupyter lab`` on a fresh workspace, its own port, token and config folders."""
    workspace = init_workspace(tmp_path / "ws", "Ada Test")
    port, token = _free_port(), secrets.token_hex(16)
    env = _isolated(tmp_path, lab_environment(workspace.root))
    command = [*lab_command(workspace, port=port, open_browser=False), f"--IdentityProvider.token={token}"]
    url = f"http://127.0.0.1:{port}"
    with _serving(command, env, workspace.root, f"{url}/api/status?token={token}", tmp_path / "lab.log"):
        yield Lab(url, token, workspace)


@dataclass
class App:
    url: str
    token: str
    workspace: Workspace

    def open(self, notebook: str = "") -> str:
        """URL of a page of the app (its front door when no notebook is given)."""
        where = f"/voila/render/{notebook}" if notebook else "/"
        return f"{self.url}{where}?token={self.token}"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    """``workbook app``'s server (Voilà with our template) on a fresh workspace."""
    workspace = init_workspace(tmp_path / "ws", "Ada Test")
    port, token = _free_port(), secrets.token_hex(16)
    env = _isolated(tmp_path, app_environment())
    command = app_command(workspace.root, port=port, open_browser=False, token=token)
    url = f"http://127.0.0.1:{port}"
    with _serving(command, env, workspace.root, f"{url}/?token={token}", tmp_path / "app.log"):
        yield App(url, token, workspace)


__all__ = ["Lab", "sys"]
