"""Killing ``workbook batch`` or ``workbook lab`` leaves no process behind, and keeps finished work.

Every process a command starts (workers, Playwright's driver, Chromium and its helpers, the
Jupyter server) inherits a marker in its environment; after the kill, any live process with
that marker is an orphan. The marker survives re-parenting, which a walk of the process tree
would not: orphans are adopted by init.
"""

from __future__ import annotations

import csv
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from clinician_workbook.batch import JOURNAL, Journal, plan, run_batch
from clinician_workbook.content import load_bundled
from clinician_workbook.pages import work_pages
from clinician_workbook.roster import read_roster

pytestmark = [pytest.mark.slow]

MARK = "WORKBOOK_TEST_PROCESS_MARK"
GONE_WITHIN = 10.0
DATE = "2026-02-03"


PAGES = tuple(p.id for p in work_pages(load_bundled()))


def marked(mark: str) -> list[psutil.Process]:
    """Live (not zombie) processes carrying ``mark`` in their environment."""
    found = []
    for process in psutil.process_iter(["name", "status"]):
        try:
            if process.info["status"] != psutil.STATUS_ZOMBIE and process.environ().get(MARK) == mark:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def wait_for(condition: Callable[[], bool], timeout: float, what: str, log: Path | None = None) -> float:
    """Seconds until ``condition()`` holds; fails the test after ``timeout``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log and log.exists() else ""
            pytest.fail(f"{what}: not within {timeout:.0f} s\n{tail}")
        time.sleep(0.1)
    return time.monotonic() - started


def gone(mark: str, started: float) -> float:
    """Seconds from ``started`` until no process carries ``mark`` (fails after GONE_WITHIN, killing them)."""
    while left := marked(mark):
        if time.monotonic() - started > GONE_WITHIN:
            names = sorted(f"{p.pid}:{p.info['name']}" for p in left)
            for process in left:
                process.kill()
            pytest.fail(f"{len(left)} processes left {GONE_WITHIN:.0f} s after the kill: {names}")
        time.sleep(0.1)
    return time.monotonic() - started


@dataclass
class Batch:
    process: subprocess.Popen[bytes]
    mark: str
    out: Path
    roster: Path
    log: Path

    def journaled(self) -> set[str]:
        path = self.out / JOURNAL
        if not path.exists():
            return set()
        paths = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                paths.add(json.loads(line)["path"])
            except (ValueError, KeyError):
                continue
        return paths

    def working(self) -> bool:
        """Both workers are printing: two Chromiums up."""
        if self.process.poll() is not None:
            pytest.fail("the batch ended before it was killed:\n" + self.log.read_text(encoding="utf-8"))
        return sum(p.info["name"].startswith("chromium") for p in marked(self.mark)) >= 2

    def documents(self) -> set[str]:
        return {str(p) for p in self.out.rglob("*.pdf")}


@pytest.fixture
def batch(tmp_path: Path, chromium_path: str) -> Iterator[Batch]:
    """``workbook batch`` making PDFs for 2 trainees x every challenge on 2 workers, running."""
    roster = tmp_path / "roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["trainee_id", "name", "cohort", "supervisor"])
        writer.writerows([["t1", "Ann One", "C1", "Dr S"], ["t2", "Bob Two", "C1", "Dr S"]])
    out, log, mark = tmp_path / "out", tmp_path / "batch.log", secrets.token_hex(8)
    command = [sys.executable, "-m", "clinician_workbook.cli", "batch", str(roster), "--format", "pdf"]
    command += ["--jobs", "2", "--date", DATE, "--out", str(out)]
    env = {**os.environ, MARK: mark, "WORKBOOK_CHROMIUM": chromium_path}
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    running = Batch(process, mark, out, roster, log)
    try:
        yield running
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for orphan in marked(mark):  # a failed test must not leave its orphans to the next one
            orphan.kill()


@pytest.mark.requires_browser
def test_sigkill_of_a_batch_takes_its_workers_and_browsers_with_it(batch: Batch) -> None:
    wait_for(batch.working, 90, "two workers with a Chromium each", batch.log)
    assert len(marked(batch.mark)) >= 5  # batch, 2 workers, 2 drivers, Chromiums: the test sees them
    killed = time.monotonic()
    batch.process.send_signal(signal.SIGKILL)
    seconds = gone(batch.mark, killed)
    print(f"after SIGKILL: every process gone in {seconds:.2f} s")


@pytest.mark.requires_browser
def test_sigterm_stops_a_batch_says_so_and_a_rerun_skips_what_it_finished(batch: Batch) -> None:
    wait_for(lambda: batch.working() and bool(batch.journaled()), 90, "a first document journaled", batch.log)
    stopped = time.monotonic()
    batch.process.send_signal(signal.SIGTERM)
    assert batch.process.wait(GONE_WITHIN) == 128 + signal.SIGTERM
    seconds = gone(batch.mark, stopped)
    print(f"after SIGTERM: every process gone in {seconds:.2f} s")
    lines = batch.log.read_text(encoding="utf-8").splitlines()
    assert "Traceback" not in "\n".join(lines)
    assert lines[-1].startswith("error: stopped by SIGTERM: ")
    assert "run the same command again" in lines[-1]

    journaled, documents = batch.journaled(), batch.documents()
    assert journaled and journaled <= documents
    assert len(documents - journaled) <= 2  # at most what the 2 workers wrote as they were stopped
    assert not list(batch.out.rglob("*.part"))
    time.sleep(1)
    assert batch.documents() == documents  # nobody is still writing

    items = plan(
        read_roster(batch.roster),
        PAGES,
        "handout",
        ("pdf",),
        batch.out,
        date=DATE,
    )
    finished = [item for item in items if item.outputs[0] in journaled]
    assert len(finished) == len(journaled) < len(items)
    assert all(Journal(batch.out).up_to_date(item) for item in finished)
    rerun = run_batch(finished, batch.out, jobs=1)
    assert rerun.count("skipped") == len(finished) and rerun.count("done") == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(params=["lab", "app"])
def lab(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[subprocess.Popen[bytes], str, str, Path]]:
    """``workbook lab`` (or ``workbook app``) on a new workspace with its own port and Jupyter
    folders, serving."""
    which = request.param
    port, token, mark, home, log = (
        _free_port(),
        secrets.token_hex(16),
        secrets.token_hex(8),
        tmp_path / "j",
        tmp_path / "lab.log",
    )
    env = {
        **os.environ,
        MARK: mark,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTER_TOKEN": token,
    }
    command = [sys.executable, "-m", "clinician_workbook.cli", which, str(tmp_path / "ws"), "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen([*command, "--no-browser"], env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api/status?token={token}" if which == "lab" else f"http://127.0.0.1:{port}/"

    def serving() -> bool:
        if process.poll() is not None:
            pytest.fail(f"workbook {which} ended by itself:\n" + log.read_text(encoding="utf-8"))
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except urllib.error.HTTPError:  # the app asks for its own token: it answers, so it serves
            return True
        except OSError:
            return False

    try:
        wait_for(serving, 60, "JupyterLab serving", log)
        yield process, mark, url, log
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for orphan in marked(mark):
            orphan.kill()


def test_sigterm_of_lab_ends_its_server(lab: tuple[subprocess.Popen[bytes], str, str, Path]) -> None:
    # SIGKILL of the parent is the same PR_SET_PDEATHSIG as tests/unit/test_lifetime.py checks
    process, mark, url, log = lab
    assert len(marked(mark)) >= 2  # workbook lab (or app) and its server
    stopped = time.monotonic()
    process.send_signal(signal.SIGTERM)
    assert process.wait(GONE_WITHIN) == 0
    seconds = gone(mark, stopped)
    print(f"after SIGTERM: workbook lab and its server gone in {seconds:.2f} s")
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)
    output = log.read_text(encoding="utf-8")
    said = "JupyterLab stopped." if "/api/status" in url else "The workbook app stopped."
    assert "Traceback" not in output and output.rstrip().endswith(said)
