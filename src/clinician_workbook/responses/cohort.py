"""Read a folder of trainee stores and hand-in files as one cohort; report what cannot be read.

Stores (``*.sqlite``) are read through a read-only connection (``read_store``: no lock that
would hold up a trainee's kernel, no file created or changed); hand-ins (``*.json``)
are validated as for import. Anything else, or anything unreadable, is reported by name and
left out, and the rest of the cohort still loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WorkbookError
from .attempts import Attempt, in_order
from .handin import read_handin
from .store import read_store

SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's own companions of a store
ANSWER_FILES = (".sqlite", ".json")


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
        return in_order(self.attempts.values())


@dataclass
class Cohort:
    trainees: list[TraineeRecord]
    skipped: list[str]  # "file: why", one per file that was left out


def read_cohort(folder: Path) -> Cohort:
    if not folder.is_dir():
        raise WorkbookError(f"{folder}: no such folder")
    records: dict[str, TraineeRecord] = {}
    skipped: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(SIDE_FILES) or (path.name.startswith(".") and path.suffix not in ANSWER_FILES):
            continue  # SQLite's companions, and hidden files that cannot hold answers (.DS_Store)
        if path.is_dir():
            skipped.append(f"{path.name}/: a folder; only the files directly in {folder.name or folder} are read")
            continue
        if path.name.startswith("."):
            skipped.append(f"{path.name}: a hidden file; rename it without the leading dot to include it")
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
