"""The store's promises under real processes: two kernels lose nothing; SIGKILL loses nothing acknowledged;
the ``.sqlite`` file alone (what a supervisor copies) holds every acknowledged save.

Writers are separate Python processes running a small script, as two Jupyter kernels would be:
threads in one process would share the store's mutex and prove much less.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from clinician_workbook.errors import StoreError
from clinician_workbook.responses import Attempt, ResponseStore, read_store

TRAINEE = "alice"

# argv: responses, name, count, pause, ready-file, go-file. Opens the store, says it is ready,
# waits for the go signal (so both writers really overlap), then saves `count` answers, pausing
# `pause` seconds after each (a kernel's think time). Save i writes str(i) as its reflection's
# description (see `numbers`), so a test can tell the saves apart and check their order.
PAIRED_WRITER = """
import sys, time
from pathlib import Path
from clinician_workbook.responses import ResponseStore

responses, name, count, pause, ready, go = sys.argv[1:]
with ResponseStore.open(responses, "alice") as store:
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.005)
    for i in range(int(count)):
        answer = {"stages": {"description": str(i), "feelings": "x" * 400}}
        store.save("c", "reflect", f"item-{i % 7}", answer, author=name)
        time.sleep(float(pause))
"""

# argv: responses. Saves forever; prints each uid only after save() has returned (acknowledged).
ENDLESS_WRITER = """
import sys
from clinician_workbook.responses import ResponseStore

store = ResponseStore.open(sys.argv[1], "alice")
i = 0
while True:
    answer = {"stages": {"description": str(i), "feelings": "y" * 400}}
    attempt = store.save("c", "reflect", f"item-{i % 5}", answer)
    print(attempt.uid, flush=True)
    i += 1
"""


# argv: responses, done-file. Saves exactly 50 answers (numbered as PAIRED_WRITER's), printing each
# uid once save() has returned, then says it is done and idles with the store still open, as a
# kernel does until it is killed.
FIFTY_THEN_IDLE = """
import sys, time
from pathlib import Path
from clinician_workbook.responses import ResponseStore

store = ResponseStore.open(sys.argv[1], "alice")
for i in range(50):
    answer = {"stages": {"description": str(i), "feelings": "z" * 400}}
    attempt = store.save("c", "reflect", f"item-{i % 5}", answer)
    print(attempt.uid, flush=True)
Path(sys.argv[2]).touch()
time.sleep(600)
"""

# argv: store file. A store as clinician-workbook left it before it stopped using WAL mode: WAL, one
# answer, and an exit without close (os._exit), so the answer and even the tables are only in -wal.
OLD_VERSION_KERNEL = """
import os, sqlite3, sys
from clinician_workbook.responses.store import _COLUMNS, _SCHEMA

conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=FULL")
conn.executescript(_SCHEMA)
conn.executemany("INSERT INTO meta VALUES (?, ?)", [("schema_version", "1"), ("trainee", "alice")])
conn.execute(
    f"INSERT INTO attempts ({_COLUMNS}) VALUES (NULL, ?, 'alice', ?, 'c', 'reflect', 'i', ?, 'trainee', NULL, 0)",
    ("0" * 32, "2024-01-01T00:00:00.000000+00:00", '{"stages": {"feelings": "saved by the old version"}}'),
)
print("0" * 32, flush=True)
os._exit(0)
"""

# argv: store file. This version: one save, then an exit without close() or interpreter shutdown.
SAVE_ONCE_NO_CLOSE = """
import os, sys
from pathlib import Path
from clinician_workbook.responses import ResponseStore

store = ResponseStore(Path(sys.argv[1]), "alice")
print(store.save("c", "reflect", "i", {"stages": {"feelings": "saved by this version"}}).uid, flush=True)
os._exit(0)
"""

# argv: store file. Cut off mid-commit: a transaction big enough to spill into the .sqlite file
# before COMMIT, then SIGKILL, leaving a hot -journal beside the store.
KILLED_MID_COMMIT = """
import os, signal, sqlite3, sys

conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size=1")
conn.execute("BEGIN IMMEDIATE")
for n in range(500):
    conn.execute("INSERT INTO meta VALUES (?, ?)", (f"filler-{n}", "f" * 500))
os.kill(os.getpid(), signal.SIGKILL)
"""


def run_script(script: str, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("ascii").split()


def numbers(attempts: list[Attempt]) -> list[int]:
    """The number each writer script gave its saves, in the order given (see PAIRED_WRITER)."""
    return [int(a.answer["stages"]["description"]) for a in attempts]


def integrity(path: Path) -> list[tuple[str]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


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
    ResponseStore.open(responses, TRAINEE).close()  # created before the race
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
        assert numbers([a for a in found if a.author == name]) == list(range(500))
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


def test_the_store_file_alone_holds_every_acknowledged_save_of_a_killed_kernel(tmp_path: Path) -> None:
    responses = tmp_path / "responses"
    done = tmp_path / "done"
    out = tmp_path / "acks.txt"
    with (
        out.open("wb") as sink,
        subprocess.Popen(
            [sys.executable, "-c", FIFTY_THEN_IDLE, str(responses), str(done)], stdout=sink, stderr=subprocess.PIPE
        ) as proc,
    ):
        try:
            wait_for("the writer's 50 saves", lambda: done.exists() or proc.poll() is not None, timeout=60)
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        finally:
            proc.send_signal(signal.SIGKILL)  # no close(), no checkpoint, no interpreter shutdown
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    acknowledged = read_acknowledged(out)
    assert len(acknowledged) == 50

    original = responses / "alice.sqlite"
    copy = tmp_path / "supervisor" / "alice.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)  # the .sqlite only: no -journal, -wal or -shm comes along
    owner, attempts = read_store(copy, TRAINEE)
    assert owner == TRAINEE
    assert [a.uid for a in attempts] == acknowledged
    assert numbers(attempts) == list(range(50))
    assert integrity(copy) == [("ok",)]
    assert sorted(os.listdir(responses)) == ["alice.sqlite"]  # and there was nothing else to copy


def test_an_old_wal_store_is_converted_on_open_and_its_file_alone_then_holds_everything(tmp_path: Path) -> None:
    path = tmp_path / "responses" / "alice.sqlite"
    path.parent.mkdir()
    copy = tmp_path / "supervisor" / "alice.sqlite"
    copy.parent.mkdir()
    [old_uid] = run_script(OLD_VERSION_KERNEL, str(path))
    assert Path(f"{path}-wal").exists()
    shutil.copyfile(path, copy)
    with pytest.raises(StoreError, match="no meta table"):  # the problem: the .sqlite alone held nothing
        read_store(copy)

    [new_uid] = run_script(SAVE_ONCE_NO_CLOSE, str(path))
    assert sorted(os.listdir(path.parent)) == ["alice.sqlite"]  # -wal checkpointed into the file, then removed
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback-journal mode from now on
    shutil.copyfile(path, copy)
    _, attempts = read_store(copy, TRAINEE)
    assert [(a.uid, a.answer["stages"]["feelings"]) for a in attempts] == [
        (old_uid, "saved by the old version"),
        (new_uid, "saved by this version"),
    ]
    assert integrity(copy) == [("ok",)]


def test_a_save_cut_off_mid_commit_is_refused_by_readers_until_a_writer_rolls_it_back(tmp_path: Path) -> None:
    path = tmp_path / "alice.sqlite"
    with ResponseStore(path, TRAINEE) as store:
        saved = store.save("c", "reflect", "i", {"stages": {"feelings": "acknowledged"}})
    done = subprocess.run([sys.executable, "-c", KILLED_MID_COMMIT, str(path)], capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert sorted(os.listdir(tmp_path)) == ["alice.sqlite", "alice.sqlite-journal"]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    with pytest.raises(StoreError) as caught:
        read_store(path, TRAINEE)
    message = str(caught.value)
    assert message.startswith(f"{path}: a save into this store was cut off") and "\n" not in message
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # a reader repairs nothing

    ResponseStore(path, TRAINEE).close()  # a writer rolls the unfinished save back
    assert sorted(os.listdir(tmp_path)) == ["alice.sqlite"]
    assert read_store(path, TRAINEE)[1] == [saved]
    assert integrity(path) == [("ok",)]
