"""Read a folder of trainee stores and hand-in files as one cohort; report what cannot be read.

Stores (``*.sqlite``) are read through a read-only connection (``read_store``: no lock that
would hold up a trainee's kernel, no file created or changed); hand-ins (``*.json``)
are validated as for import. Anything else, or anything unreadable, is reported by name and
left out, and the rest of the cohort still loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import WorkbookError
from .handin import read_handin
from .store import Attempt, read_store

SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's own companions of a store


@dataclass
class TraineeRecord:
    trainee: str
    sources: list[str] = field(default_factory=list)
    attempts: dict[str, Attempt] = field(default_factory=dict)  # by uid: a store and its hand-in merge

    def add(self, source: str, attempts: list[Attempt]) -> None:
        self.sources.append(source)
        for attempt in attempts:
            self.attempts.setdefault(attempt.uid, attempt)

    def ordered(self) -> list[Attempt]:
        return sorted(self.attempts.values(), key=lambda a: (a.time, a.seq))


@dataclass
class Cohort:
    trainees: list[TraineeRecord]
    skipped: list[str]  # "file: why", one per file that was left out


def read_cohort(folder: Path) -> Cohort:
    if not folder.is_dir():
        raise WorkbookError(f"{folder}: no such folder")
    records: dict[str, TraineeRecord] = {}
    skipped: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.name.endswith(SIDE_FILES):
            continue
        try:
            if path.suffix == ".sqlite":
                trainee, attempts = read_store(path)
            elif path.suffix == ".json":
                trainee, attempts = read_handin(path)
            else:
                skipped.append(f"{path.name}: not a response store (.sqlite) or hand-in file (.json)")
                continue
        except WorkbookError as err:
            why = str(err).splitlines()[0]
            skipped.append(f"{path.name}: {why.removeprefix(f'{path}: ')}")  # the name once, not the path too
            continue
        records.setdefault(trainee, TraineeRecord(trainee)).add(path.name, attempts)
    return Cohort(sorted(records.values(), key=lambda r: r.trainee.lower()), skipped)
