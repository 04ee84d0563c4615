"""Hand-ins through a real JupyterHub: 30 trainees with their own tokens hand in 20 times each, at once.

Starts a real JupyterHub (``jupyterhub`` from this venv, ``configurable-http-proxy`` from
``scripts/install-hub-deps.sh``, DummyAuthenticator, no single-user servers) with the workbook
service as a managed service, exactly as ``python -m clinician_workbook.hub`` runs under a hub.
Through the hub's REST API (an admin service token from the config) it creates the trainees, a
cohort group and a supervisor, and asks the hub for each trainee's own API token. Then every
trainee, in a thread of its own, POSTs a real hand-in document (a store filled by
``tests.factories``, exported as ``workbook responses export`` does) ``--rounds`` times to the
service on 127.0.0.1, timing each request. At the end it counts what the service's database holds.

Prints: handed in, found in the store (0 lost; attempt numbers 1..rounds for every trainee),
p50/p95/max latency (goal p95 < 200 ms), total time. Exits non-zero on any loss, any failed
request, or when ``--timeout`` seconds pass.

Run: ``.venv/bin/python benchmarks/hub.py [--trainees 30] [--rounds 20] [--timeout 300]``
(first ``bash scripts/install-hub-deps.sh``).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.factories

from tests.factories import Plan, fill_store  # noqa: E402

from clinician_workbook.content import load_bundled  # noqa: E402
from clinician_workbook.hub.storage import Storage  # noqa: E402
from clinician_workbook.responses import ResponseStore, store_path  # noqa: E402
from clinician_workbook.responses.handin import export_responses  # noqa: E402

GOAL_P95_MS = 200.0
COHORT = "cohort-bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proxy_command() -> str:
    """The project's configurable-http-proxy (scripts/install-hub-deps.sh), else one on PATH."""
    local = Path(sys.executable).parent / "configurable-http-proxy"
    found = str(local) if local.exists() else shutil.which("configurable-http-proxy")
    if not found:
        sys.exit("error: configurable-http-proxy not found: run bash scripts/install-hub-deps.sh")
    return found


def hub_config(folder: Path, ports: dict[str, int], admin_token: str, db: Path) -> Path:
    config = folder / "jupyterhub_config.py"
    config.write_text(
        textwrap.dedent(
            f"""
            import sys
            c = get_config()  # noqa
            c.JupyterHub.ip = "127.0.0.1"
            c.JupyterHub.port = {ports["public"]}
            c.JupyterHub.hub_ip = "127.0.0.1"
            c.JupyterHub.hub_port = {ports["hub"]}
            c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports["proxy_api"]}"
            c.ConfigurableHTTPProxy.command = [{proxy_command()!r}]
            c.JupyterHub.db_url = "sqlite:///{folder / "jupyterhub.sqlite"}"
            c.JupyterHub.cookie_secret_file = "{folder / "jupyterhub_cookie_secret"}"
            c.JupyterHub.authenticator_class = "dummy"
            c.Authenticator.allow_all = True
            c.JupyterHub.spawner_class = "simple"  # never started here
            c.JupyterHub.services = [
                {{
                    "name": "workbook",
                    "url": "http://127.0.0.1:{ports["service"]}",
                    "command": [sys.executable, "-m", "clinician_workbook.hub", "--db", "sqlite:///{db}"],
                    "oauth_no_confirm": True,
                }},
                {{"name": "bench-admin", "api_token": {admin_token!r}}},
            ]
            c.JupyterHub.load_roles = [
                {{
                    "name": "workbook-service",
                    "services": ["workbook"],
                    "scopes": ["list:users", "read:users", "list:groups", "read:groups", "read:users:groups"],
                }},
                {{"name": "bench-admin", "services": ["bench-admin"], "scopes": ["admin:users", "admin:groups", "tokens"]}},
                {{"name": "user", "scopes": ["self", "access:services!service=workbook"]}},
            ]
            """
        )
    )
    return config


class Hub:
    """The hub's REST API with the admin service token."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token

    def call(self, method: str, path: str, body: object = None) -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            raw = json.dumps(body).encode() if body is not None else None
            connection.request(method, f"/hub/api/{path}".rstrip("/"), raw, {"Authorization": f"token {self.token}"})
            response = connection.getresponse()
            text = response.read()
            if response.status >= 300:
                raise RuntimeError(f"hub API {method} {path}: {response.status} {text[:200]!r}")
            return json.loads(text) if text else None
        finally:
            connection.close()


def wait_for(what: str, check: Any, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, RuntimeError):  # not listening yet, or the proxy has no route to it yet
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not come up in time")


def documents(names: list[str], folder: Path) -> dict[str, bytes]:
    """A real hand-in for each trainee: a store answered in part, exported as `responses export` does."""
    catalog = load_bundled()
    found = {}
    for i, name in enumerate(names):
        with ResponseStore(store_path(folder, name), name) as store:
            fill_store(store, catalog, random.Random(i), Plan(completeness=0.4))
            found[name] = json.dumps(export_responses(store), ensure_ascii=False, indent=1).encode()
    return found


def hand_in(port: int, token: str, body: bytes) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            "/services/workbook/api/handins",
            body,
            {"Authorization": f"token {token}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        reply = response.read()
        return time.perf_counter() - started, response.status, reply
    finally:
        connection.close()


def child_running(parent: int, marker: str) -> int:
    """The pid of ``parent``'s child whose command line holds ``marker`` (Linux /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and marker in command:
            return int(entry.name)
    raise RuntimeError(f"no process running {marker} under the hub")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(args: argparse.Namespace, folder: Path) -> int:
    ports = {k: free_port() for k in ("public", "hub", "proxy_api", "service")}
    admin_token = secrets.token_hex(32)
    db = folder / "service" / "workbook-hub.sqlite"
    config = hub_config(folder, ports, admin_token, db)
    deadline = time.monotonic() + args.timeout
    log = (folder / "jupyterhub.log").open("wb")
    hub_process = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        hub = Hub(ports["public"], admin_token)
        wait_for("JupyterHub", lambda: hub.call("GET", "") is not None, deadline)
        names = [f"trainee{i:02d}" for i in range(args.trainees)]
        hub.call("POST", "users", {"usernames": [*names, "supervisor"]})
        hub.call("POST", f"groups/{COHORT}", {})
        hub.call("POST", f"groups/{COHORT}/users", {"users": [*names, "supervisor"]})
        hub.call("POST", "groups/supervisors", {"users": ["supervisor"]})
        tokens = {
            n: hub.call("POST", f"users/{n}/tokens", {"note": "benchmark", "expires_in": 3600})["token"]
            for n in [*names, "supervisor"]
        }
        bodies = documents(names, folder / "stores")

        def service_ready() -> bool:
            conn = http.client.HTTPConnection("127.0.0.1", ports["service"], timeout=5)
            try:
                conn.request("GET", "/services/workbook/api/me", headers={"Authorization": f"token {tokens[names[0]]}"})
                return conn.getresponse().status == 200
            finally:
                conn.close()

        wait_for("the workbook service", service_ready, deadline)
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def trainee(name: str) -> None:
            for _ in range(args.rounds):
                if time.monotonic() > deadline:
                    with lock:
                        failures.append(f"{name}: timeout")
                    return
                seconds, status, reply = hand_in(ports["service"], tokens[name], bodies[name])
                with lock:
                    latencies.append(seconds)
                    if status != 201:
                        failures.append(f"{name}: {status} {reply[:200]!r}")

        load_before = os.getloadavg()[0]
        service_pid = child_running(hub_process.pid, "clinician_workbook.hub")
        cpu_before = cpu_seconds(service_pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(len(names)) as pool:
            list(pool.map(trainee, names))
        total = time.perf_counter() - started
        service_cpu = cpu_seconds(service_pid) - cpu_before

        # through the proxy too, once: the public route a browser or a single-user server on another node uses
        conn = http.client.HTTPConnection("127.0.0.1", ports["public"], timeout=10)
        conn.request(
            "GET", "/services/workbook/api/trainees", headers={"Authorization": f"token {tokens['supervisor']}"}
        )
        listed = json.loads(conn.getresponse().read())["trainees"]
        conn.close()

        storage = Storage(f"sqlite:///{db}")
        stored = storage.count_handins()
        numbering_ok = all([h.attempt for h in storage.handins(n)] == list(range(1, args.rounds + 1)) for n in names)
        storage.close()
        sent = args.trainees * args.rounds
        ordered = sorted(latencies)
        p50, p95, top = (1000 * percentile(ordered, p) for p in (50, 95, 100))
        size = statistics.mean(len(b) for b in bodies.values()) / 1024
        lost = sent - stored
        from jupyterhub import __version__ as hub_version

        print(
            f"hub: JupyterHub {hub_version}, {args.trainees} trainees x {args.rounds} hand-ins ({size:.0f} KiB each) concurrently: "
            f"{len(latencies) - len(failures)} handed in, {stored} in the store ({lost} lost), "
            f"attempts 1..{args.rounds} for every trainee: {'yes' if numbering_ok else 'NO'}; "
            f"latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {top:.0f} ms "
            f"(goal p95 < {GOAL_P95_MS:.0f} ms: {'ok' if p95 < GOAL_P95_MS else 'FAIL'}); "
            f"total {total:.2f} s ({sent / total:.0f} hand-ins/s); supervisor lists {len(listed)} trainees via the proxy; "
            f"service CPU {1000 * service_cpu / max(1, len(latencies)):.1f} ms per hand-in; "
            f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
        )
        for failure in failures[:10]:
            print(f"failed: {failure}")
        return 0 if not failures and lost == 0 and numbering_ok and time.monotonic() < deadline else 1
    finally:
        stop(hub_process, folder)
        log.close()


def stop(hub_process: subprocess.Popen[bytes], folder: Path) -> None:
    """Stop the hub (it stops the managed service), then its proxy if it is still there.

    The hub starts configurable-http-proxy in a session of its own, so a hub stopped while it
    was still starting can leave the proxy behind: its pid is in the hub's pid file.
    """
    os.killpg(hub_process.pid, signal.SIGTERM)
    try:
        hub_process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(hub_process.pid, signal.SIGKILL)
        hub_process.wait()
    pid_file = folder / "jupyterhub-proxy.pid"
    try:
        proxy = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return  # the hub removed it: the proxy stopped with the hub
    with contextlib.suppress(ProcessLookupError):
        os.kill(proxy, signal.SIGTERM)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300.0, help="give up (exit 1) after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (hub log, databases)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="workbook-hub-bench-"))
    try:
        return run(args, folder)
    except (TimeoutError, RuntimeError) as err:
        print(f"error: {err} (hub log: {folder / 'jupyterhub.log'})")
        args.keep = True
        return 1
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
