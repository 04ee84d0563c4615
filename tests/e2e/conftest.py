"""End-to-end fixtures: JupyterLab and Voilà servers, and Debian's Chromium through Playwright.

Without a browser these tests skip with a reason locally; under CI=true they fail instead,
so a CI run can never pass by silently skipping them.

What costs time here is starting things: a Chromium, a Jupyter server, a kernel. So:

- ``browser`` is one Chromium for the whole session (the exporter's, :data:`BROWSER`); ``page``
  and ``offline_page`` give each test a fresh browser context (no cookies, storage or routes
  carried over from another test).
- ``lab`` gives each test a fresh trainee workspace (``Ada Test``) in a subfolder of one JupyterLab
  server shared by the session (``lab_server``). The subfolder is a workspace of its own: a
  notebook's kernel starts in the notebook's folder and finds that workspace's ``workbook.json``,
  so answers land in the test's own store. ``Lab.open`` opens paths inside that subfolder, each in
  a Lab layout (``/lab/workspaces/...``) named after the test, so no tab of another test is
  restored; the test's kernels are shut down when it ends.
- ``fresh_lab`` is a server of its own, for a test about what a trainee sees the first time Lab
  starts (nothing another test clicked may have been saved in its settings); its saves are as slow
  as a busy hub's (:mod:`tests.e2e.slow_save`).
- ``app`` is ``workbook app``'s server (Voilà) on a fresh workspace, for a test that answers
  (writes the store) or looks at the front door; ``shared_app`` is one server for the session,
  for tests that only read pages (never answer anything there).

A new end-to-end test should use ``lab`` and ``shared_app`` unless it needs a server of its own.
Under pytest-xdist each worker process has its own session, so its own shared servers.
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.app import app_command, app_environment
from clinician_workbook.export.browser import BROWSER
from clinician_workbook.lab import lab_command, lab_environment
from clinician_workbook.workspace import Workspace, init_workspace
from tests.e2e.slow_save import late_keep_no_outputs

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "e2e"
TRAINEE = "Ada Test"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Any:
    """One Chromium for the session: the exporter's (one Playwright per process: a second sync
    Playwright cannot start)."""
    return BROWSER.get()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context of its own, 1280x900."""
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
    """A trainee workspace served by JupyterLab: ``workspace.root`` is ``folder`` under the server's root."""

    url: str
    token: str
    workspace: Workspace
    folder: str = ""  # the workspace's path under the server's root ("" when it is the root)
    layout: str = ""  # the Lab layout name every open() uses unless told another

    def open(self, path: str, workspace: str = "") -> str:
        """URL of ``path`` (relative to the workspace) in Lab; a named ``workspace`` starts from an
        empty layout (one tab). On a shared server the layout's name is prefixed with this test's."""
        name = "-".join(part for part in (self.layout, workspace) if part)
        where = f"/lab/workspaces/{name}" if name else "/lab"
        return f"{self.url}{where}/tree/{self.path(path)}?token={self.token}"

    def path(self, path: str) -> str:
        """``path`` (relative to the workspace) from the server's root: what Lab's Open from Path takes."""
        return f"{self.folder}/{path}" if self.folder else path


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


@dataclass
class LabServer:
    """One JupyterLab server whose root holds a workspace per test (see :func:`lab`)."""

    url: str
    token: str
    root: Path
    made: list[str] = field(default_factory=list)

    def api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(f"{self.url}{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def stop_kernels_under(self, folder: str) -> None:
        """Shut down the kernels of the notebooks in ``folder`` (a test's workspace)."""
        for session in self.api("GET", "/api/sessions"):
            if session["path"].startswith(f"{folder}/"):
                self.api("DELETE", f"/api/sessions/{session['id']}")


@contextmanager
def _running_lab(root: Path, home: Path, *extra: str) -> Iterator[tuple[str, str]]:
    """``jupyter lab`` serving ``root`` (with ``extra`` arguments) until the block ends; its URL and token."""
    port, token = _free_port(), secrets.token_hex(16)
    env = _isolated(home, lab_environment(root))
    if extra:
        env["PYTHONPATH"] = str(ROOT)  # the server can import a hook from tests/
    command = [*lab_command(root, port=port, open_browser=False), f"--IdentityProvider.token={token}", *extra]
    url = f"http://127.0.0.1:{port}"
    with _serving(command, env, root, f"{url}/api/status?token={token}", home / "lab.log"):
        yield url, token


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """``jupyter lab`` for the session (its own port, token and config folders), serving a folder
    that holds one workspace per test; use it through :func:`lab`."""
    home = tmp_path_factory.mktemp("lab-server")
    root = home / "root"
    root.mkdir()
    with _running_lab(root, home) as (url, token):
        yield LabServer(url, token, root)


@pytest.fixture
def lab(lab_server: LabServer, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """A fresh workspace for 'Ada Test' in the session's JupyterLab (:func:`lab_server`), opened in
    Lab layouts of this test's own; its kernels are shut down afterwards."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name).strip("-")[:60].lower() or "test"
    folder = f"{name}-{len(lab_server.made)}"
    lab_server.made.append(folder)
    workspace = init_workspace(lab_server.root / folder, TRAINEE)
    yield Lab(lab_server.url, lab_server.token, workspace, folder=folder, layout=folder)
    lab_server.stop_kernels_under(folder)


@pytest.fixture
def fresh_lab(tmp_path: Path) -> Iterator[Lab]:
    """``jupyter lab`` of its own on a fresh workspace (its own port, token and config folders), for
    what a trainee sees when Lab first starts, with every save as slow as on a busy hub; other
    tests use :func:`lab`."""
    workspace = init_workspace(tmp_path / "ws", TRAINEE)
    hook = f"--ContentsManager.pre_save_hook={late_keep_no_outputs.__module__}.{late_keep_no_outputs.__name__}"
    with _running_lab(workspace.root, tmp_path, hook) as (url, token):
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


@contextmanager
def _running_app(home: Path) -> Iterator[App]:
    """``workbook app``'s server on a fresh workspace in ``home`` until the block ends."""
    workspace = init_workspace(home / "ws", TRAINEE)
    port, token = _free_port(), secrets.token_hex(16)
    env = _isolated(home, app_environment())
    command = app_command(workspace.root, port=port, open_browser=False, token=token)
    url = f"http://127.0.0.1:{port}"
    with _serving(command, env, workspace.root, f"{url}/?token={token}", home / "app.log"):
        yield App(url, token, workspace)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    """``workbook app``'s server (Voilà with our template) on a fresh workspace, for this test alone."""
    with _running_app(tmp_path) as running:
        yield running


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One ``workbook app`` server for the session, on a fresh workspace: for tests that only look
    at pages. A test that answers anything, or needs the store empty, uses :func:`app`."""
    with _running_app(tmp_path_factory.mktemp("shared-app")) as running:
        yield running


__all__ = ["App", "Lab", "LabServer", "sys"]
