"""A real JupyterHub for the hub e2e: jupyterhub from the `hub` extra, configurable-http-proxy
from npm (scripts/install-hub-deps.sh), DummyAuthenticator with a password, SimpleLocalProcessSpawner
with homes in a temp folder, and the project's own deploy/jupyterhub_config.py loaded first, so the
deployment file is what is tested. Everything binds 127.0.0.1 on free ports; every process the hub
starts (proxy, service, users' servers, their kernels) carries a marker, and none may outlive it."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.test_process_hygiene import MARK, marked

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy" / "jupyterhub_config.py"
START_SECONDS = 120.0  # the hub, its proxy and its service, on a loaded 2-core machine
STOP_SECONDS = 60.0  # the hub stops every server, the service and the proxy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Hub:
    url: str  # the public address (the proxy), e.g. http://127.0.0.1:PORT
    service: str  # the service's own address with prefix: what users' servers call
    password: str
    homes: Path
    log: Path
    mark: str

    def token(self, user: str) -> str:
        """A new API token of ``user``, asked for with their own password (as a script would)."""
        body = json.dumps({"auth": {"username": user, "password": self.password}, "note": "e2e"}).encode()
        request = urllib.request.Request(f"{self.url}/hub/api/users/{user}/tokens", data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as answer:
            return str(json.loads(answer.read())["token"])

    def workspace(self, user: str) -> Path:
        return self.homes / user / "workbook"


def _config(
    tmp: Path, ports: dict[str, int], password: str, mark: str, groups: dict[str, list[str]], app_users: list[str]
) -> Path:
    settings = tmp / "lab-settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"windowingMode": "none"}', encoding="utf-8")  # every cell rendered (tests find widgets)
    users = sorted({u for members in groups.values() for u in members})
    text = f"""
load_subconfig({str(DEPLOY)!r})  # the deployment file under test; below, what a test machine needs
c.JupyterHub.bind_url = "http://127.0.0.1:{ports["public"]}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{ports["hub"]}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports["proxy_api"]}"
c.ConfigurableHTTPProxy.command = [{str(BIN / "configurable-http-proxy")!r}]
c.ConfigurableHTTPProxy.pid_file = {str(tmp / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{tmp / "hub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(tmp / "cookie_secret")!r}
c.JupyterHub.pid_file = {str(tmp / "hub.pid")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allowed_users = set({users!r})
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp / "homes" / "{username}")!r}
c.Spawner.cmd = [{str(BIN / "workbook")!r}, "singleuser"]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment.update({{
    {MARK!r}: {mark!r},
    "JUPYTERLAB_SETTINGS_DIR": {str(tmp / "lab-settings")!r},
    "PATH": {str(BIN) + os.pathsep + os.environ.get("PATH", "")!r},
}})
c.JupyterHub.services[0]["environment"][{MARK!r}] = {mark!r}
c.JupyterHub.load_groups = {{name: {{"users": members}} for name, members in {groups!r}.items()}}

def _app_for_some(spawner):  # these users get the app (as WORKBOOK_FRONTEND=app would give everyone)
    if spawner.user.name in {app_users!r}:
        spawner.cmd = [*spawner.cmd, "--app"]

c.Spawner.pre_spawn_hook = _app_for_some
"""
    path = tmp / "jupyterhub_config.py"
    path.write_text(text, encoding="utf-8")
    return path


def _answers(url: str, *, ok_only: bool = False) -> bool:
    """Whether ``url`` answers; ``ok_only``: with a 200 (through the proxy, a 404 only means the
    hub's route is not added yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return not ok_only  # up, and saying something (the service's 401 is an answer)
    except OSError:
        return False


@contextmanager
def running_hub(tmp: Path, groups: dict[str, list[str]], app_users: list[str] | None = None) -> Iterator[Hub]:
    if not (BIN / "configurable-http-proxy").exists():
        pytest.fail("configurable-http-proxy is not installed: run `bash scripts/install-hub-deps.sh` (make test does)")
    ports = {name: free_port() for name in ("public", "hub", "proxy_api", "service")}
    password, mark = secrets.token_urlsafe(12), secrets.token_hex(8)
    config = _config(tmp, ports, password, mark, groups, app_users or [])
    state = tmp / "state"
    state.mkdir(mode=0o700)
    env = {
        **os.environ,
        MARK: mark,
        "PATH": str(BIN) + os.pathsep + os.environ.get("PATH", ""),
        "WORKBOOK_HUB_PORT": str(ports["service"]),
        "WORKBOOK_HUB_STATE": str(state),
    }
    for name in ("WORKBOOK_HUB_URL", "JUPYTERHUB_API_TOKEN", "WORKBOOK_HUB_DB", "WORKBOOK_CONTENT"):
        env.pop(name, None)
    log = tmp / "hub.log"
    url = f"http://127.0.0.1:{ports['public']}"
    service = f"http://127.0.0.1:{ports['service']}/services/workbook/"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(config)], cwd=tmp, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not (_answers(f"{url}/hub/api/", ok_only=True) and _answers(f"{service}api/me")):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("JupyterHub did not start:\n" + log.read_text(encoding="utf-8", errors="replace")[-4000:])
            time.sleep(0.5)
        yield Hub(url, service, password, tmp / "homes", log, mark)
    finally:
        stop(process, mark, log)


def stop(process: subprocess.Popen[bytes], mark: str, log: Path) -> None:
    """SIGTERM the hub (it stops the servers, the service and the proxy); then no marked process may
    be left. Anything left is killed, and the test fails naming it."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 30
    while (left := marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    if left:
        names = sorted(f"{p.pid}:{p.info['name']}" for p in left)
        for orphan in left:
            orphan.kill()
        pytest.fail(f"{len(left)} processes outlived the hub: {names}\n" + log.read_text(errors="replace")[-2000:])
