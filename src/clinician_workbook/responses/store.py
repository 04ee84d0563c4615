"""The response store: every attempt a trainee makes, appended to one SQLite file per trainee.

Deliberate practice repeats exercises, so nothing is ever overwritten: each answer is a new
row and the most recent one is "current" (``latest``). The contract the rest of the package
relies on:

- ``save`` returns only after its transaction has committed to the ``.sqlite`` file itself and
  been fsynced (rollback journal: ``journal_mode=DELETE``, ``synchronous=EXTRA``). So an answer the
  widget has acknowledged survives the kernel being killed (SIGKILL included) or a power cut,
  and the ``.sqlite`` file alone holds every acknowledged answer: copying just that file, as a
  supervisor does, copies all of them. (Earlier versions used WAL mode, where commits stay in
  ``-wal`` until a checkpoint and a copy of the ``.sqlite`` alone could even be empty.)
- A store an earlier version left in WAL mode is converted when opened. SQLite can only leave WAL
  mode when no other connection has the file open, so while an older kernel still has it open
  (or puts it back into WAL mode) the store stays in WAL mode and every commit is followed by
  ``PRAGMA wal_checkpoint(FULL)`` before ``save`` returns, which copies it into the ``.sqlite``
  file; the conversion is retried after each save. A checkpoint held up for longer than the busy
  timeout by an older kernel's open read leaves that save in ``-wal`` only (still durable) until
  the next save's checkpoint.
- Several kernels (processes) and several threads may write the same store at once; each save
  is one ``BEGIN IMMEDIATE`` transaction, serialised by SQLite's lock and a per-store mutex.
- Tools that only look at a store (the cohort report, batch keys, export checks) use
  ``read_store``: a read-only connection that takes no write lock and creates or changes no file.
- A ``-journal`` file left beside a store means a save was cut off mid-commit (the kernel died in
  it): the next ``ResponseStore`` to open the store rolls it back, and until then ``read_store``
  refuses the store and a copy of the ``.sqlite`` alone may hold part of that unfinished save.
- Files and folders are created owner-only (0600 / 0700) before anything is written to them:
  trainees' reflections are clinical training material.
- Trainee ids become file names through ``safe_filename``, which never lets an id escape the
  responses folder and never lets two different ids share a file.

Only stdlib ``sqlite3`` is used, so the store works wherever Jupyter runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import threading
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ..errors import StoreError, StoreVersionError
from ..files import make_private_dir
from .answers import AnswerProblem, DraftAnswer, check_answer, read_answer
from .attempts import ROLES, Attempt, Key, Role, current
from .naming import store_path

__all__ = ["SCHEMA_VERSION", "ResponseStore", "read_store", "store_owner"]

SCHEMA_VERSION = "1"

_BUSY_TIMEOUT_MS = 10_000
# EXTRA rather than FULL: in rollback-journal mode the commit point is the journal's deletion, and
# only EXTRA fsyncs the folder after it; with FULL a power cut just after save() returned could
# bring the journal back and roll the acknowledged answer back.
_SYNCHRONOUS = "EXTRA"
# read_store of a store an older version left in WAL mode reads the file as immutable (see there);
# a writer changing it meanwhile makes that read void, and it is tried again this often.
_READ_TRIES = 3
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS attempts (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    uid       TEXT UNIQUE NOT NULL,
    trainee   TEXT NOT NULL,
    time      TEXT NOT NULL,
    challenge TEXT NOT NULL,
    exercise  TEXT NOT NULL,
    item      TEXT NOT NULL,
    answer    TEXT NOT NULL,
    role      TEXT NOT NULL,
    author    TEXT,
    shared    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_item ON attempts (challenge, exercise, item);
"""
_DELETE_DRAFT = "DELETE FROM attempts WHERE role = 'draft' AND challenge = ? AND exercise = ? AND item = ?"
_COLUMNS = "seq, uid, trainee, time, challenge, exercise, item, answer, role, author, shared"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _encode_answer(answer: object) -> str:
    if not isinstance(answer, dict):
        raise StoreError(f"answer must be a JSON object (dict), not {type(answer).__name__}")
    try:
        # allow_nan=False: NaN is not JSON, and the hand-in must be readable by any JSON tool.
        return json.dumps(answer, ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as err:
        raise StoreError(f"answer is not JSON-serialisable: {err}") from err


def _checked(exercise: str, role: str, answer: object) -> dict[str, Any]:
    """The answer in the form its exercise's model keeps; a one-line StoreError if it does not fit."""
    try:
        return check_answer(exercise, role, answer)
    except AnswerProblem as err:
        raise StoreError(f"not saved: {exercise} {err}") from err


def _check_fields(challenge: str, exercise: str, item: str, role: str) -> None:
    for name, value in (("challenge", challenge), ("exercise", exercise), ("item", item)):
        if not isinstance(value, str) or not value:
            raise StoreError(f"{name} must be a non-empty string, not {value!r}")
    if role not in ROLES:
        raise StoreError(f"role must be one of {', '.join(ROLES)}, not {role!r}")


class ResponseStore:
    """One trainee's attempts in one SQLite file; see the module docstring for the guarantees.

    Use as a context manager (or call ``close``). One instance may be shared by the threads of
    a kernel: every use of the connection holds ``self._lock``.
    """

    def __init__(self, path: Path, trainee: str) -> None:
        if not trainee:
            raise StoreError("trainee id is empty")
        try:  # checked before any file exists: a name SQLite cannot store must not leave a stub store
            trainee.encode("utf-8")
        except UnicodeEncodeError:
            raise StoreError(f"trainee id {trainee!r} is not valid text") from None
        self.path = Path(path)
        self.trainee = trainee
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        try:  # only a folder made here is tightened: an existing one is the user's choice
            make_private_dir(self.path.parent)
        except OSError as err:
            raise StoreError(f"{self.path.parent}: cannot create the responses folder: {err.strerror or err}") from err
        self._create_private_file()
        try:
            self._conn = self._connect()
            # The first write. The -journal SQLite creates for each commit (and the -wal/-shm of a
            # store still in WAL mode) gets the database file's mode, so it is owner-only too.
            self._check_schema()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, responses: str | Path, trainee: str) -> ResponseStore:
        """Open (creating if needed) ``trainee``'s store at ``store_path(responses, trainee)``."""
        return cls(store_path(responses, trainee), trainee)

    # -- opening ---------------------------------------------------------------------------

    def _create_private_file(self) -> bool:
        # Create the file ourselves, owner-only, before SQLite writes a byte: sqlite3.connect
        # would create it with the umask's mode (often world-readable). O_EXCL makes a race
        # with another kernel harmless: whoever loses just opens the winner's file.
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        except OSError as err:
            raise StoreError(f"{self.path}: cannot create the response store: {err.strerror}") from err
        os.close(fd)
        os.chmod(self.path, 0o600)  # the mode given to open() was filtered by the umask
        return True

    def _connect(self) -> sqlite3.Connection:
        try:
            # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves, so the moment
            # of acknowledgement is explicit. check_same_thread=False: self._lock serialises use.
            conn = sqlite3.connect(
                self.path,
                timeout=_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: cannot open the response store: {err}") from err
        try:
            conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            conn.execute(f"PRAGMA synchronous={_SYNCHRONOUS}")  # before _leave_wal: its checkpoint is synced too
            _leave_wal(conn)  # the first read: a file that is not a database fails here
        except sqlite3.Error as err:
            conn.close()
            if "not a database" in str(err):
                raise StoreError(f"{self.path}: not a response store (not an SQLite database)") from err
            raise StoreError(f"{self.path}: cannot open the response store: {err}") from err
        except BaseException:
            conn.close()
            raise
        return conn

    def _check_schema(self) -> None:
        with self._transaction("open") as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            tables.discard("sqlite_sequence")
            if not tables:
                # Statement by statement: executescript() would COMMIT and drop our write lock.
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema_version", SCHEMA_VERSION), ("trainee", self.trainee)],
                )
                return
            if "meta" not in tables:
                raise StoreError(f"{self.path}: not a clinician-workbook response store (no meta table)")
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        _check_meta(self.path, meta, self.trainee)

    # -- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` ... ``COMMIT``; leaving the block normally means committed."""
        with self._lock:
            conn = self._connection()
            try:
                # IMMEDIATE takes the write lock up front, so two kernels never both read,
                # then both try to upgrade and one fails with SQLITE_BUSY mid-transaction.
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                _settle(conn)
            except sqlite3.OperationalError as err:
                raise StoreError(self._describe(err, doing)) from err
            except sqlite3.Error as err:
                raise StoreError(f"{self.path}: cannot {doing}: {err}") from err

    def _describe(self, err: sqlite3.Error, doing: str) -> str:
        if "locked" in str(err) or "busy" in str(err):
            return (
                f"{self.path}: cannot {doing}: the store stayed locked by another program for "
                f"more than {_BUSY_TIMEOUT_MS // 1000} s"
            )
        return f"{self.path}: cannot {doing}: {err}"

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: the response store is closed")
        return self._conn

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            conn = self._connection()
            try:
                return conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as err:
                raise StoreError(self._describe(err, "read")) from err

    # -- writing ---------------------------------------------------------------------------

    def save(
        self,
        challenge: str,
        exercise: str,
        item: str,
        answer: dict[str, Any],
        *,
        role: Role = "trainee",
        author: str | None = None,
        shared: bool = False,
    ) -> Attempt:
        """Append one attempt; return it only once it is committed (the acknowledgement).

        A trainee's attempt replaces any draft of the same item in the same transaction: what
        was typed has now been submitted.
        """
        _check_fields(challenge, exercise, item, role)
        encoded = _encode_answer(_checked(exercise, role, answer))
        uid, time = uuid.uuid4().hex, _now()
        with self._transaction("save") as conn:
            if role in ("trainee", "draft"):
                conn.execute(_DELETE_DRAFT, (challenge, exercise, item))
            cursor = conn.execute(
                f"INSERT INTO attempts ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (uid, self.trainee, time, challenge, exercise, item, encoded, role, author, int(shared)),
            )
            seq = cursor.lastrowid
        assert seq is not None  # an INSERT into a rowid table always sets it
        return Attempt(
            uid=uid,
            trainee=self.trainee,
            time=time,
            challenge=challenge,
            exercise=exercise,
            item=item,
            answer=json.loads(encoded),  # a copy: later changes to the caller's dict are not "saved"
            role=role,
            author=author,
            shared=bool(shared),
            seq=seq,
        )

    def save_draft(self, challenge: str, exercise: str, item: str, fields: dict[str, str]) -> Attempt | None:
        """Keep the text typed but not submitted (one draft per item, replacing the last one).

        A draft is never an attempt: readers skip role ``draft``, hand-ins and reports leave it
        out. All fields are kept, emptied ones too; an all-empty draft of an item never
        submitted clears the draft (None).
        """
        _check_fields(challenge, exercise, item, "draft")
        given = _checked(exercise, "draft", {"fields": fields})["fields"]
        if not any(text.strip() for text in given.values()) and not self.attempts(
            challenge=challenge, exercise=exercise, item=item, role="trainee"
        ):
            with self._transaction("clear a draft") as conn:  # nothing typed, nothing submitted
                conn.execute(_DELETE_DRAFT, (challenge, exercise, item))
            return None
        # every field is kept, emptied ones too: a box the trainee cleared must stay clear on refill
        return self.save(challenge, exercise, item, {"fields": given}, role="draft")

    def draft(self, challenge: str, exercise: str, item: str) -> dict[str, str]:
        """The text kept for an item since its last submission ({} when there is none)."""
        found = self.attempts(challenge=challenge, exercise=exercise, item=item, role="draft")
        read = read_answer(exercise, "draft", found[-1].answer) if found else None
        return dict(read.fields) if isinstance(read, DraftAnswer) else {}

    def add_imported(self, attempt: Attempt) -> bool:
        """Insert an attempt from a hand-in, keeping its uid and time; False if already here."""
        return self.add_imported_many([attempt]) == 1

    def add_imported_many(self, attempts: Iterable[Attempt]) -> int:
        """Insert several imported attempts in ONE transaction (all or none); return how many were new.

        Attempts whose uid is already in the store are skipped, so importing the same hand-in
        twice adds nothing the second time.
        """
        rows = []
        for attempt in attempts:
            if attempt.trainee != self.trainee:
                raise StoreError(
                    f"{self.path}: attempt {attempt.uid} belongs to trainee {attempt.trainee!r}, not {self.trainee!r}"
                )
            _check_fields(attempt.challenge, attempt.exercise, attempt.item, attempt.role)
            rows.append(
                (
                    attempt.uid,
                    self.trainee,
                    attempt.time,
                    attempt.challenge,
                    attempt.exercise,
                    attempt.item,
                    _encode_answer(_checked(attempt.exercise, attempt.role, attempt.answer)),
                    attempt.role,
                    attempt.author,
                    int(attempt.shared),
                )
            )
        added = 0
        with self._transaction("import") as conn:
            for row in rows:
                cursor = conn.execute(
                    f"INSERT INTO attempts ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (uid) DO NOTHING",
                    row,
                )
                added += cursor.rowcount
        return added

    # -- reading ---------------------------------------------------------------------------

    def attempts(
        self,
        challenge: str | None = None,
        exercise: str | None = None,
        item: str | None = None,
        role: Role | None = None,
    ) -> list[Attempt]:
        """Every attempt matching the filters (None = any), oldest first (seq order)."""
        filters = {"challenge": challenge, "exercise": exercise, "item": item, "role": role}
        used = {name: value for name, value in filters.items() if value is not None}
        where = " AND ".join(f"{name} = ?" for name in used)
        sql = f"SELECT {_COLUMNS} FROM attempts {'WHERE ' + where if where else ''} ORDER BY seq"
        return [_decode_attempt(self.path, row) for row in self._query(sql, used.values())]

    def latest(
        self,
        challenge: str | None = None,
        exercise: str | None = None,
        role: Role = "trainee",
    ) -> dict[Key, Attempt]:
        """The current answer per (challenge, exercise, item), by the one rule in ``attempts.current``."""
        return current(self.attempts(challenge=challenge, exercise=exercise, role=role), role)

    def count(self) -> int:
        """How many attempts the store holds."""
        return int(self._query("SELECT COUNT(*) FROM attempts")[0][0])

    # -- lifetime --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent).

        Nothing is waiting to be written: every save is already in the ``.sqlite`` file when it
        returns, so a kernel that exits (or is killed) without closing loses nothing. For a store
        still in WAL mode (see the module docstring) the last connection to close removes ``-wal``.
        """
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"ResponseStore({str(self.path)!r}, trainee={self.trainee!r}, {state})"


def store_owner(path: Path) -> str:
    """The trainee a store file belongs to, read like ``read_store`` (nothing is created or changed).

    For tools that meet a store without knowing whose it is (a supervisor's folder).
    """
    return read_store(path)[0]


def read_store(path: Path, trainee: str | None = None) -> tuple[str, list[Attempt]]:
    """A store's owner and every attempt in it, oldest first (seq order), read without writing.

    For tools that only look: the connection is read-only (``mode=ro``), takes no write lock (a
    kernel saving at the same moment is not held up beyond the few milliseconds of the read) and
    creates or changes no file, so it also works on a copy in a read-only folder. With
    ``trainee``, a store belonging to someone else is refused, as ``ResponseStore`` refuses it.
    Anything that is not a readable response store raises ``StoreError`` (one line, naming the file).

    A store an older version left in WAL mode and closed (no ``-wal`` beside it) is read as
    immutable: a plain read-only connection would create ``-wal`` and ``-shm`` beside it. Such a
    read takes no lock, so it is repeated if the file changed while it ran.
    """
    path = Path(path)
    for _ in range(_READ_TRIES):
        before = _file_state(path)
        immutable = _closed_wal_store(path)
        try:
            found = _read(path, trainee, immutable=immutable, empty=before[1] == 0)
        except StoreError:
            if immutable and _file_state(path) != before:
                continue  # a half-changed file read without a lock: the error may be that
            raise
        if not immutable or _file_state(path) == before:
            return found
    raise StoreError(f"{path}: the response store kept changing while it was being read; try again")


def _file_state(path: Path) -> tuple[int, int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise StoreError(f"{path}: no such response store") from None
    except OSError as err:
        raise StoreError(f"{path}: cannot read the response store: {err.strerror}") from err
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(f"{path}: not a response store (not a file)")
    return st.st_ino, st.st_size, st.st_mtime_ns


def _closed_wal_store(path: Path) -> bool:
    """Whether the file is an SQLite database in WAL mode with no ``-wal`` beside it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False  # the read-only connection reports why
    # Bytes 18 and 19 of the header are the write and read format versions: 2 means WAL.
    return header[:16] == b"SQLite format 3\x00" and 2 in header[18:20] and not Path(f"{path}-wal").exists()


def _read(path: Path, trainee: str | None, *, immutable: bool, empty: bool) -> tuple[str, list[Attempt]]:
    uri = f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"
    try:
        # isolation_level=None and an explicit BEGIN: the owner and the attempts come from one
        # snapshot, under a shared (read) lock only.
        conn = sqlite3.connect(uri, uri=True, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreError(_read_error(path, err)) from err
    with contextlib.closing(conn):
        try:
            conn.execute("BEGIN")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "meta" not in tables:
                why = "empty file" if empty else "no meta table"
                raise StoreError(f"{path}: not a clinician-workbook response store ({why})")
            owner = _check_meta(path, dict(conn.execute("SELECT key, value FROM meta").fetchall()), trainee)
            rows = conn.execute(f"SELECT {_COLUMNS} FROM attempts ORDER BY seq").fetchall()
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            raise StoreError(_read_error(path, err)) from err
    return owner, [_decode_attempt(path, row) for row in rows]


def _read_error(path: Path, err: sqlite3.Error) -> str:
    code = getattr(err, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_READONLY_ROLLBACK:
        return (
            f"{path}: a save into this store was cut off (a -journal file is beside it); "
            "open it once with clinician-workbook, not read-only, to roll that save back"
        )
    if code is not None and code & 0xFF == sqlite3.SQLITE_NOTADB:
        return f"{path}: not a response store (not an SQLite database)"
    if code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        seconds = _BUSY_TIMEOUT_MS // 1000
        return f"{path}: cannot read: the store stayed locked by another program for more than {seconds} s"
    return f"{path}: cannot read the response store: {err}"


def _check_meta(path: Path, meta: dict[Any, Any], trainee: str | None) -> str:
    """The store's owner, once its meta table shows the schema this release reads (and ``trainee``)."""
    found = meta.get("schema_version")
    if found != SCHEMA_VERSION:
        raise StoreVersionError(str(path), found or "missing", SCHEMA_VERSION)
    owner = meta.get("trainee")
    if trainee is not None and owner != trainee:
        raise StoreError(f"{path}: this store belongs to trainee {owner!r}, not {trainee!r}")
    if not owner or not isinstance(owner, str):
        raise StoreError(f"{path}: not a clinician-workbook response store (no owner in its meta table)")
    return owner


def _decode_attempt(path: Path, row: tuple[Any, ...]) -> Attempt:
    """One ``attempts`` row (``_COLUMNS`` order) as an Attempt; shared by the store and ``read_store``."""
    seq, uid, trainee, time, challenge, exercise, item, answer, role, author, shared = row
    try:
        decoded = json.loads(answer)
    except (TypeError, ValueError, RecursionError):  # TypeError: not text at all (a hand-edited row)
        decoded = None
    # A damaged row must not cost the rest of the store: it is read as an answer that fits no
    # model, so every reader shows it as "could not be read" and goes on with the others.
    return Attempt(
        uid=uid,
        trainee=trainee,
        time=time,
        challenge=challenge,
        exercise=exercise,
        item=item,
        answer=decoded if isinstance(decoded, dict) else {},
        role=role,
        author=author,
        shared=bool(shared),
        seq=seq,
    )


def _leave_wal(conn: sqlite3.Connection) -> bool:
    """Put the store in rollback-journal mode; False while another connection keeps it in WAL mode.

    Leaving WAL mode checkpoints ``-wal`` into the ``.sqlite`` file and deletes it. SQLite refuses
    (at once, without waiting for the busy timeout) when any other connection has the file open.
    """
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError as err:
        if getattr(err, "sqlite_errorcode", 0) & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise
        return False
    return str(mode).lower() == "delete"


def _settle(conn: sqlite3.Connection) -> None:
    """After a COMMIT: make sure the ``.sqlite`` file alone holds it (see the module docstring)."""
    # Rollback-journal mode, the normal case: the commit already wrote the .sqlite file. A store
    # still in WAL mode (an older kernel has it open, or has put it back into WAL mode) keeps the
    # commit in -wal: try to leave WAL mode again, else copy -wal into the file.
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        return
    if not _leave_wal(conn):
        # FULL waits (busy handler) for other writers and for readers of older snapshots; the
        # busy flag it returns is not an error: the commit is durable in -wal regardless.
        conn.execute("PRAGMA wal_checkpoint(FULL)").fetchall()
