"""The store's promises under real processes: two kernels lose nothing; SIGKILL loses nothing acknowledged.

Writers are separate Python processes running a small script, as two Jupyter kernels would be:
threads in one process would share the store's mutex and prove much less.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from clinician_workbook.store import ResponseStore

TRAINEE = "alice"

# argv: responses, name, count, pause, ready-file, go-file. Opens the store, says it is ready,
# waits for the go signal (so both writers really overlap), then saves `count` answers, pausing
# `pause` seconds after each (a kernel's think time).
PAIRED_WRITER = """
import sys, time
from pathlib import Path
from clinician_workbook.store import ResponseStore

responses, name, count, pause, ready, go = sys.argv[1:]
with ResponseStore.open(responses, "alice") as store:
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.005)
    for i in range(int(count)):
        store.save("c", "respond", f"item-{i % 7}", {"text": "x" * 400, "i": i}, author=name)
        time.sleep(float(pause))
"""

# argv: responses. Saves forever; prints each uid only after save() has returned (acknowledged).
ENDLESS_WRITER = """
import sys
from clinician_workbook.store import ResponseStore

store = ResponseStore.open(sys.argv[1], "alice")
i = 0
while True:
    attempt = store.save("c", "respond", f"item-{i % 5}", {"text": "y" * 400, "i": i})
    print(attempt.uid, flush=True)
    i += 1
"""


def wait_for(condition: str, check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        time.sleep(0.005)


@pytest.mark.parametrize(
    "pause",
    [
        # Back to back: one writer re-takes the lock before the other's busy handler wakes, so the
        # second waits (inside busy_timeout) and the runs come out one after the other.
        0.0,
        # With think time the two interleave save by save.
        0.001,
    ],
)
def test_two_processes_writing_one_store_lose_nothing(tmp_path: Path, pause: float) -> None:
    responses = tmp_path / "responses"
    ResponseStore.open(responses, TRAINEE).close()  # created (and in WAL mode) before the race
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(2)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PAIRED_WRITER, str(responses), f"w{n}", "500", str(pause), str(ready[n]), str(go)],
            stderr=subprocess.PIPE,
        )
        for n in range(2)
    ]
    try:
        wait_for("both writers to open the store", lambda: all(r.exists() for r in ready))
        go.touch()
        errors = [proc.communicate(timeout=60)[1] for proc in procs]
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()
            if proc.stderr:
                proc.stderr.close()
    assert [proc.returncode for proc in procs] == [0, 0], errors

    with ResponseStore.open(responses, TRAINEE) as store:
        found = store.attempts()
    assert len(found) == 1000
    assert len({a.uid for a in found}) == 1000
    assert sorted(a.author or "" for a in found) == ["w0"] * 500 + ["w1"] * 500
    for name in ("w0", "w1"):  # each writer's own saves are all there, in its order
        assert [a.answer["i"] for a in found if a.author == name] == list(range(500))
    if pause:  # the writes really were concurrent: the two writers' rows alternate in the file
        switches = sum(1 for before, after in itertools.pairwise(found) if before.author != after.author)
        assert switches >= 20, switches


def acknowledged_or_exited(out: Path, proc: subprocess.Popen[bytes]) -> bool:
    return out.stat().st_size > 0 or proc.poll() is not None


def read_acknowledged(path: Path) -> list[str]:
    # A line cut off by the kill was never acknowledged: only complete lines count.
    text = path.read_text(encoding="ascii")
    lines = text.split("\n")[:-1]
    assert all(len(line) == 32 for line in lines), lines[-3:]
    return lines


def test_sigkill_loses_no_acknowledged_save(tmp_path: Path) -> None:
    responses = tmp_path / "responses"
    rng = random.Random(20240611)
    acknowledged: list[str] = []
    rounds = 5
    for n in range(rounds):
        out = tmp_path / f"acks-{n}.txt"
        with (
            out.open("wb") as sink,
            subprocess.Popen(
                [sys.executable, "-c", ENDLESS_WRITER, str(responses)], stdout=sink, stderr=subprocess.PIPE
            ) as proc,
        ):
            try:
                started = partial(acknowledged_or_exited, out, proc)
                wait_for("the first acknowledged save", started)
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(rng.uniform(0.01, 0.4))  # a random moment mid-stream
            finally:
                proc.kill()  # SIGKILL: no atexit, no close(), no checkpoint
                proc.wait()
        assert proc.returncode == -9
        acknowledged += read_acknowledged(out)

    assert len(acknowledged) >= rounds
    path = next(responses.glob("*.sqlite"))
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with ResponseStore.open(responses, TRAINEE) as store:
        stored = {a.uid for a in store.attempts()}
    assert set(acknowledged) <= stored
    # At most one save per kill can have committed without its acknowledgement being printed.
    assert len(stored) - len(acknowledged) <= rounds
