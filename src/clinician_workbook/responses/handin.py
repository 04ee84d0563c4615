"""JSON hand-in and backup of a trainee's response store: export, validate, import.

A hand-in is plain JSON so a trainee can email it, a supervisor can read it in any editor and
a backup outlives this package. Import is all-or-nothing: the file is validated completely
first (every problem reported, one per line, with its JSON path), and only a clean file is
added -- in one transaction, skipping attempts whose uid the store already has, so handing
in the same file twice changes nothing.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from ..errors import HandinError, Problem, UsageError
from ..files import write_atomic
from .answers import AnswerProblem, check_answer
from .attempts import ROLES, Attempt, Role, current
from .store import ResponseStore

__all__ = [
    "FORMAT",
    "VERSION",
    "ImportResult",
    "attempt_row",
    "export_responses",
    "export_text",
    "import_handin",
    "read_handin",
    "read_handin_bytes",
    "write_export",
]

FORMAT = "clinician-workbook-responses"
VERSION = 1

_UID = re.compile(r"[0-9a-f]{32}")
MAX_BYTES = 64 * 2**20  # a year of daily practice is a few MiB
CLOCK_SKEW = timedelta(minutes=10)  # how far ahead of this computer's clock a hand-in's times may be
# field -> (JSON types accepted, what to call them in a message)
_ROW_FIELDS: dict[str, tuple[tuple[type[Any], ...], str]] = {
    "uid": ((str,), "a string"),
    "time": ((str,), "a string"),
    "challenge": ((str,), "a string"),
    "exercise": ((str,), "a string"),
    "item": ((str,), "a string"),
    "answer": ((dict,), "an object"),
    "role": ((str,), "a string"),
    "author": ((str, type(None)), "a string or null"),
    "shared": ((bool,), "true or false"),
}


@dataclass(frozen=True)
class ImportResult:
    """What ``import_handin`` did: whose store, where, and how many attempts were new."""

    trainee: str
    store: Path
    added: int
    skipped_existing: int


# -- export -------------------------------------------------------------------------------------


def export_responses(store: ResponseStore, *, backup: bool = False) -> dict[str, Any]:
    """``store`` as a hand-in document (a JSON-ready dict), attempts oldest first.

    A hand-in (the default) is what a trainee sends a supervisor: the trainee's own answers,
    with reflections only where the trainee chose to share them. A backup (``backup=True``)
    holds every answer and every supervisor note, for restoring the trainee's own store.
    Unsubmitted drafts are in neither.
    """

    now = current(store.attempts())

    def handed_in(a: Attempt) -> bool:
        if a.role == "draft":
            return False
        if backup:
            return True
        if a.role != "trainee":
            return False
        # a reflection goes only while the trainee shares it now: un-sharing takes back every version
        return a.exercise != "reflect" or (a.shared and now[(a.challenge, a.exercise, a.item)].shared)

    return {
        "format": FORMAT,
        "version": VERSION,
        "trainee": store.trainee,
        "exported_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "attempts": [attempt_row(a) for a in store.attempts() if handed_in(a)],
    }


def attempt_row(a: Attempt) -> dict[str, Any]:
    """One attempt as a row of a hand-in document."""
    return {
        "uid": a.uid,
        "time": a.time,
        "challenge": a.challenge,
        "exercise": a.exercise,
        "item": a.item,
        "answer": a.answer,
        "role": a.role,
        "author": a.author,
        "shared": a.shared,
    }


def export_text(store: ResponseStore, *, backup: bool = False) -> str:
    """The hand-in (or backup) file's text, exactly as ``write_export`` writes it."""
    return json.dumps(export_responses(store, backup=backup), ensure_ascii=False, indent=1) + "\n"


def write_export(store: ResponseStore, out: Path, *, backup: bool = False) -> Path:
    """Write ``store``'s hand-in to ``out`` atomically, owner-only (0600); return ``out``.

    Written to a temporary file beside ``out``, fsynced, then renamed over it: a crash or a
    full disk leaves either the old file or the new one, never half a backup.
    """
    out = Path(out)
    text = export_text(store, backup=backup)
    try:
        return write_atomic(out, text, mode=0o600, make_parents=False)
    except OSError as err:
        raise UsageError(f"{out}: cannot write the hand-in here: {err.strerror}") from err


# -- read and validate ----------------------------------------------------------------------


class _NotJson(ValueError):
    """NaN/Infinity: Python's json accepts them, JSON (and the store) do not."""


def _reject_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not valid JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each given once: a repeated key would silently win."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _NotJson(f"duplicate key {key!r}: each field may appear once")
        found[key] = value
    return found


def _read_file(path: Path) -> bytes:
    """The bytes of the hand-in file at ``path``, or ``HandinError`` saying why they cannot be read."""
    where = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise HandinError([Problem(where, None, "", "not a regular file")])
        if info.st_size > MAX_BYTES:
            raise HandinError([_too_large(where)])
        return path.read_bytes()
    except FileNotFoundError:
        raise HandinError([Problem(where, None, "", "file not found")]) from None
    except OSError as err:
        raise HandinError([Problem(where, None, "", f"cannot read the file: {err.strerror}")]) from err


def _too_large(where: str) -> Problem:
    return Problem(where, None, "", f"larger than {MAX_BYTES // 2**20} MiB: not a hand-in")


def _load(raw: bytes, where: str) -> Any:
    """``raw`` parsed as strict JSON (UTF-8, no NaN, no repeated keys), or ``HandinError``."""
    if len(raw) > MAX_BYTES:
        raise HandinError([_too_large(where)])
    try:
        text = raw.decode("utf-8-sig")  # -sig: tolerate the BOM some Windows editors add
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise HandinError([Problem(where, line, "", f"not UTF-8 (byte {err.start})")]) from err
    if not text.strip():
        raise HandinError([Problem(where, None, "", "file is empty")])
    try:
        document = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
        # "\udcff" escapes decode to lone surrogates, which no file, store or page can hold
        json.dumps(document, ensure_ascii=False).encode("utf-8")
        return document
    except json.JSONDecodeError as err:
        message = f"JSON syntax error at column {err.colno}: {err.msg}"
        raise HandinError([Problem(where, err.lineno, "", message)]) from err
    except _NotJson as err:
        raise HandinError([Problem(where, None, "", str(err))]) from err
    except RecursionError as err:
        raise HandinError([Problem(where, None, "", "nested too deeply to be a hand-in")]) from err
    except UnicodeEncodeError as err:
        message = "holds an escaped lone surrogate (\\udc..): not valid text"
        raise HandinError([Problem(where, None, "", message)]) from err
    except ValueError as err:  # e.g. an integer of thousands of digits
        raise HandinError([Problem(where, None, "", f"cannot be read as JSON: {str(err).split(';')[0]}")]) from err


def _parse_time(value: str) -> str | None:
    """``value`` as the store's canonical UTC form, or None if it is not an ISO-8601 time with offset."""
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            return None
        # One canonical form, so string order is time order in the store (``latest`` relies on it).
        return parsed.astimezone(UTC).isoformat(timespec="microseconds")
    except (ValueError, OverflowError):  # OverflowError: the first or last day of the calendar
        return None


def _check_row(row: object, where: str, problem: Callable[[str, str], None]) -> dict[str, Any] | None:
    """The row with its time normalised, or None after reporting each of its problems."""
    if not isinstance(row, dict):
        problem(where, f"must be an object, not {_json_type(row)}")
        return None
    ok = True
    for name in _ROW_FIELDS:
        message = _field_problem(name, row[name]) if name in row else "required field is missing"
        if message:
            problem(f"{where}.{name}", message)
            ok = False
    for name in sorted(set(row) - set(_ROW_FIELDS)):
        problem(f"{where}.{name}", "unknown field")
        ok = False
    if not ok:
        return None
    return {**row, "time": _parse_time(row["time"])}


def _field_problem(name: str, value: Any) -> str | None:
    """What is wrong with one field's value, or None."""
    types, described = _ROW_FIELDS[name]
    # bool is an int in Python but never a string or an object, so isinstance is exact here.
    if not isinstance(value, types):
        return f"must be {described}, not {_json_type(value)}"
    if name == "uid" and not _UID.fullmatch(value):
        return f"must be 32 lowercase hex characters, not {value!r}"
    if name == "time" and _parse_time(value) is None:
        return f"must be an ISO-8601 time with a UTC offset, not {value!r}"
    if name == "role" and value not in ROLES:
        return f"must be one of {', '.join(ROLES)}, not {value!r}"
    if name in ("challenge", "exercise", "item") and not value:
        return "must not be empty"
    return None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def read_handin(path: Path, *, backup: bool = False) -> tuple[str, list[Attempt]]:
    """The trainee and attempts in a hand-in file, or ``HandinError`` listing every problem.

    Everything is checked before anything is returned, so a caller never imports half a file:
    each row's fields, each answer against its exercise's model, no time in the future beyond
    a few minutes of clock skew, and, unless the file is read as the trainee's own ``backup``,
    no supervisor rows (a supervisor's notes come from the supervisor's side, never from a file
    a trainee hands in). Times are returned in the store's canonical form (UTC, microseconds).
    """
    path = Path(path)
    return read_handin_bytes(_read_file(path), str(path), backup=backup)


def read_handin_bytes(raw: bytes, where: str, *, backup: bool = False) -> tuple[str, list[Attempt]]:
    """``read_handin`` for a hand-in already in memory (an upload); ``where`` names it in problems.

    The same checks, in the same order, with the same messages as a file: ``read_handin`` reads
    the file's bytes and calls this.
    """
    document = _load(raw, where)
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(where, None, field, message))

    if not isinstance(document, dict):
        raise HandinError([Problem(where, None, "", f"must be a JSON object, not {_json_type(document)}")])
    if document.get("format") != FORMAT:
        found = document.get("format")
        problem("format", f"not a clinician-workbook hand-in (expected {FORMAT!r}, got {found!r})")
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        problem("version", f"unsupported version {version!r} (this clinician-workbook reads {VERSION})")
    trainee = document.get("trainee")
    if not isinstance(trainee, str) or not trainee:
        problem("trainee", "required: a non-empty string naming the trainee")
    rows = document.get("attempts")
    checked: list[dict[str, Any]] = []
    if not isinstance(rows, list):
        problem("attempts", f"must be an array, not {'missing' if rows is None else _json_type(rows)}")
        rows = []
    first_index: dict[str, int] = {}
    latest = (datetime.now(UTC) + CLOCK_SKEW).isoformat(timespec="microseconds")
    for index, row in enumerate(rows):
        where_row = f"attempts[{index}]"
        good = _check_row(row, where_row, problem)
        if good is None:
            continue
        if good["role"] != "trainee" and not backup:
            problem(f"{where_row}.role", f"a hand-in holds only the trainee's own answers, not {good['role']!r} rows")
            continue
        if good["time"] > latest:
            problem(f"{where_row}.time", f"{row['time']} is in the future; check the computer's clock")
            continue
        try:
            good["answer"] = check_answer(good["exercise"], good["role"], good["answer"])
        except AnswerProblem as err:
            problem(f"{where_row}.{err.field}", err.message)
            continue
        if good["uid"] in first_index:
            problem(f"attempts[{index}].uid", f"duplicate uid (also attempts[{first_index[good['uid']]}])")
            continue
        first_index[good["uid"]] = index
        checked.append(good)
    if problems:
        raise HandinError(problems)
    owner = cast(str, trainee)
    attempts = [
        Attempt(
            uid=row["uid"],
            trainee=owner,
            time=row["time"],
            challenge=row["challenge"],
            exercise=row["exercise"],
            item=row["item"],
            answer=row["answer"],
            role=cast(Role, row["role"]),
            author=row["author"],
            shared=row["shared"],
        )
        for row in checked
    ]
    return owner, attempts


# -- import -------------------------------------------------------------------------------------


def import_handin(path: Path, responses: str | Path, *, backup: bool = False) -> ImportResult:
    """Add a hand-in's attempts to its trainee's store under ``responses``; nothing if it is invalid.

    The trainee named in the file picks the store, so a supervisor can import a whole cohort's
    hand-ins into one folder. Attempts already there (same uid) are skipped and counted.
    ``backup=True`` restores a backup (``responses export --backup``), supervisor notes included.
    """
    trainee, attempts = read_handin(path, backup=backup)
    with ResponseStore.open(responses, trainee) as store:
        added = store.add_imported_many(attempts)
        return ImportResult(trainee, store.path, added, len(attempts) - added)
