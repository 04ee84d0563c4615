"""The service's store: every hand-in attempt as received, and supervisors' feedback rows.

SQLAlchemy Core, so one code path serves SQLite (the default: one file, WAL, owner-only) and
PostgreSQL (``postgresql+psycopg://user@host/db`` when the hub runs on more than one node;
documented, not tested here). Hand-ins are append-only: attempt n of a trainee is written once
and never changed; the document is kept byte-for-byte as it arrived. Attempt numbers are
unique per trainee by a constraint; a writer that loses a race for a number takes the next one.

The calls are blocking (a few milliseconds on SQLite); the service runs them in a thread pool.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from ..errors import UsageError

__all__ = ["Handin", "Storage", "default_url"]

_metadata = sa.MetaData()

handins = sa.Table(
    "handins",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("trainee", sa.Unicode(400), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("received", sa.Unicode(40), nullable=False),  # ISO-8601 UTC, microseconds
    sa.Column("answers", sa.Integer, nullable=False),
    sa.Column("document", sa.LargeBinary, nullable=False),  # as received, byte for byte
    sa.UniqueConstraint("trainee", "attempt", name="one_attempt_number_per_trainee"),
)

feedback = sa.Table(
    "feedback",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("trainee", sa.Unicode(400), nullable=False),
    sa.Column("uid", sa.String(32), nullable=False),
    sa.Column("author", sa.Unicode(400), nullable=False),
    sa.Column("received", sa.Unicode(40), nullable=False),
    sa.Column("row", sa.UnicodeText, nullable=False),  # the row as JSON, in the hand-in row format
    sa.UniqueConstraint("trainee", "uid", name="one_row_per_uid"),
)

_RETRIES = 20
_WRITE = "workbook_write"  # execution option: this transaction writes (SQLite: take the write lock first)


def default_url() -> str:
    """``sqlite:///<cwd>/workbook-hub.sqlite``: beside the hub's own database when the hub starts us."""
    return f"sqlite:///{Path.cwd() / 'workbook-hub.sqlite'}"


@dataclass(frozen=True)
class Handin:
    """One stored hand-in attempt (without its document)."""

    trainee: str
    attempt: int
    received: str
    answers: int

    def model(self) -> dict[str, Any]:
        return {"attempt": self.attempt, "received": self.received, "answers": self.answers}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Storage:
    """Hand-ins and feedback in the database at ``url`` (tables created on first use)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        _metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self.engine.connect() as db:
            db.execution_options(**{_WRITE: True})
            with db.begin():
                yield db

    # -- hand-ins -----------------------------------------------------------------------------

    def add_handin(self, trainee: str, document: bytes, answers: int) -> Handin:
        """Store ``document`` as ``trainee``'s next attempt (1, 2, ...); earlier attempts stay as they are."""
        for _ in range(_RETRIES):
            try:
                with self._writing() as db:
                    last = db.execute(
                        sa.select(sa.func.max(handins.c.attempt)).where(handins.c.trainee == trainee)
                    ).scalar()
                    row = Handin(trainee, (last or 0) + 1, _now(), answers)
                    db.execute(
                        handins.insert().values(
                            trainee=trainee,
                            attempt=row.attempt,
                            received=row.received,
                            answers=answers,
                            document=document,
                        )
                    )
                    return row
            except IntegrityError:
                continue  # another hand-in of this trainee took the number: take the next one
            except OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
        raise RuntimeError(f"could not number a hand-in of {trainee!r} after {_RETRIES} tries")

    def handins(self, trainee: str) -> list[Handin]:
        """``trainee``'s attempts, oldest first."""
        query = (
            sa.select(handins.c.attempt, handins.c.received, handins.c.answers)
            .where(handins.c.trainee == trainee)
            .order_by(handins.c.attempt)
        )
        with self.engine.connect() as db:
            return [Handin(trainee, a, r, n) for a, r, n in db.execute(query)]

    def document(self, trainee: str, attempt: int | None) -> bytes | None:
        """Attempt ``attempt`` (None: the latest) as received, or None if there is no such attempt."""
        query = sa.select(handins.c.document).where(handins.c.trainee == trainee)
        if attempt is None:
            query = query.order_by(handins.c.attempt.desc()).limit(1)
        else:
            query = query.where(handins.c.attempt == attempt)
        with self.engine.connect() as db:
            found = db.execute(query).scalar()
        return bytes(found) if found is not None else None

    def latest(self) -> dict[str, Handin]:
        """Every trainee who handed in, with their latest attempt."""
        newest = (
            sa.select(handins.c.trainee, sa.func.max(handins.c.attempt).label("attempt"))
            .group_by(handins.c.trainee)
            .subquery()
        )
        query = sa.select(handins.c.trainee, handins.c.attempt, handins.c.received, handins.c.answers).join(
            newest, sa.and_(handins.c.trainee == newest.c.trainee, handins.c.attempt == newest.c.attempt)
        )
        with self.engine.connect() as db:
            return {t: Handin(t, a, r, n) for t, a, r, n in db.execute(query)}

    def count_handins(self) -> int:
        with self.engine.connect() as db:
            return int(db.execute(sa.select(sa.func.count()).select_from(handins)).scalar() or 0)

    # -- feedback -----------------------------------------------------------------------------

    def add_feedback(self, trainee: str, rows: list[dict[str, Any]]) -> tuple[int, int]:
        """Add supervisor ``rows`` (hand-in row format) for ``trainee``; rows whose uid is stored are skipped."""
        for _ in range(_RETRIES):
            try:
                with self._writing() as db:
                    uids = [row["uid"] for row in rows]
                    have = set(
                        db.execute(
                            sa.select(feedback.c.uid).where(feedback.c.trainee == trainee, feedback.c.uid.in_(uids))
                        ).scalars()
                    )
                    new = [row for row in rows if row["uid"] not in have]
                    received = _now()
                    if new:
                        db.execute(
                            feedback.insert(),
                            [
                                {
                                    "trainee": trainee,
                                    "uid": row["uid"],
                                    "author": row["author"],
                                    "received": received,
                                    "row": json.dumps(row, ensure_ascii=False),
                                }
                                for row in new
                            ],
                        )
                    return len(new), len(rows) - len(new)
            except IntegrityError:
                continue  # the same rows sent twice at once: the second pass skips them
            except OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
        raise RuntimeError(f"could not store feedback for {trainee!r} after {_RETRIES} tries")

    def feedback(self, trainee: str) -> list[dict[str, Any]]:
        """The supervisor rows for ``trainee``, in the order they arrived."""
        query = sa.select(feedback.c.row).where(feedback.c.trainee == trainee).order_by(feedback.c.id)
        with self.engine.connect() as db:
            return [json.loads(text) for text in db.execute(query).scalars()]

    def feedback_counts(self) -> dict[str, int]:
        query = sa.select(feedback.c.trainee, sa.func.count()).group_by(feedback.c.trainee)
        with self.engine.connect() as db:
            return {t: int(n) for t, n in db.execute(query)}


def _engine(url: str) -> Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as err:
        raise UsageError(f"--db {url!r}: not a database URL (e.g. sqlite:////srv/workbook/hub.sqlite)") from err
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)
    if not parsed.database or parsed.database == ":memory:":
        raise UsageError(f"--db {url!r}: name a file (an in-memory database would lose every hand-in)")
    path = Path(parsed.database)
    _private_file(path)
    # busy timeout: writers wait for one another; isolation_level=None + our BEGIN IMMEDIATE: a
    # writer takes the write lock at the start of its transaction, so two hand-ins never both
    # read the same last attempt number and then fight over it.
    engine = sa.create_engine(parsed, connect_args={"timeout": 30, "isolation_level": None})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _private_file(path: Path) -> None:
    """Create ``path`` (0600) and, if missing, its folder (0700); refuse a file others can read."""
    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            info = os.fstat(fd)
            if info.st_mode & 0o077:
                os.fchmod(fd, stat.S_IMODE(info.st_mode) & 0o700)
        finally:
            os.close(fd)
    except OSError as err:
        raise UsageError(f"{path}: cannot create the service's database here: {err.strerror}") from err
