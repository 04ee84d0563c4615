"""The service's store: owner-only SQLite in WAL mode, attempts unique per trainee under concurrency."""

from __future__ import annotations

import sqlite3
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.errors import UsageError
from clinician_workbook.hub.storage import Storage

from .conftest import Service


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_is_owner_only_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "new" / "hub.sqlite"
    storage = Storage(f"sqlite:///{db}")
    storage.add_handin("ada", b"{}", 0)
    assert mode(db.parent) == 0o700 and mode(db) == 0o600
    for side in db.parent.iterdir():  # -wal and -shm take the database's mode
        assert mode(side) == 0o600, side
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    storage.close()


def test_an_existing_readable_file_is_made_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite"
    db.touch(mode=0o644)
    db.chmod(0o644)
    Storage(f"sqlite:///{db}").close()
    assert mode(db) == 0o600


@pytest.mark.parametrize(
    ("url", "message"),
    [("sqlite://", "an in-memory database would lose every hand-in"), ("not a url", "not a database URL")],
)
def test_bad_database_urls_are_one_line_errors(url: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        Storage(url)


def test_an_unwritable_folder_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(UsageError, match="cannot create the service's database here"):
        Storage(f"sqlite:///{blocker}/hub.sqlite")


def test_threads_writing_at_once_lose_nothing_and_number_uniquely(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    stores = [Storage(url), Storage(url)]  # two engines: as two service processes would
    barrier = threading.Barrier(12)

    def hand_in(i: int) -> list[int]:
        barrier.wait()
        return [stores[i % 2].add_handin(f"t{i % 3}", f"{i}-{k}".encode(), k).attempt for k in range(15)]

    with ThreadPoolExecutor(12) as pool:
        numbers = list(pool.map(hand_in, range(12)))
    assert stores[0].count_handins() == 12 * 15
    for t in range(3):
        assert [h.attempt for h in stores[0].handins(f"t{t}")] == list(range(1, 61))
    assert sum(len(n) for n in numbers) == 180
    for s in stores:
        s.close()


def test_thirty_trainees_handing_in_at_once_through_the_service(service: Service, handin_of: Any) -> None:
    names = [f"t{i:02d}" for i in range(30)]
    for name in names:
        service.hub.add_user(name, "cohort-a")
    bodies = {name: handin_of("ada").replace(b'"trainee": "ada"', f'"trainee": "{name}"'.encode()) for name in names}
    barrier = threading.Barrier(30)

    def trainee(name: str) -> list[int]:
        barrier.wait()
        return [service.post("api/handins", name, bodies[name]).json()["attempt"] for _ in range(4)]

    with ThreadPoolExecutor(30) as pool:
        results = dict(zip(names, pool.map(trainee, names), strict=True))
    assert all(sorted(r) == [1, 2, 3, 4] for r in results.values())
    assert service.storage.count_handins() == 120
    assert all(service.storage.document(n, 4) == bodies[n] for n in names)
