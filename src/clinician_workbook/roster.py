"""A cohort roster (CSV): read and validate every row before any work starts.

Columns: trainee_id, name, cohort, supervisor, and optionally difficulty. Every problem is
reported as one line naming the file, the row's line number and the column; nothing is
rendered from a roster with problems.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .content.models import DIFFICULTIES
from .errors import Problem, RosterError, StoreError
from .responses.naming import trainee_id

REQUIRED = ("trainee_id", "name", "cohort", "supervisor")
OPTIONAL = ("difficulty",)


@dataclass(frozen=True)
class Trainee:
    trainee_id: str
    name: str
    cohort: str
    supervisor: str
    difficulty: str = "beginner"
    line: int = 0


def read_roster(path: Path) -> list[Trainee]:
    """The roster's trainees, or RosterError listing every problem (``file:line: column: problem``).

    Read strictly, because a roster that is read loosely drops trainees without a word: a
    quote left open swallows the rows after it, a repeated column hides one of its values, a
    short row shifts nothing but loses its last values. Each of those is a problem here, at the
    line where its record starts. Blank lines (and rows of empty cells, which spreadsheets
    add) are skipped; extra columns not listed above are ignored, and so are empty cells past
    the last column (spreadsheets pad rows with them).
    """
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RosterError([Problem(shown, None, "", f"cannot read the roster: {err.strerror}")]) from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{raw[err.start]:02x}); save the roster as CSV UTF-8"
        raise RosterError([Problem(shown, line, "", message)]) from err
    records, problems = _records(text, shown)
    if not records:
        raise RosterError(problems or [Problem(shown, None, "", "empty: no header and no rows")])
    header_line, header = records[0]
    columns = [c.strip() for c in header]
    header_problems = _header_problems(shown, header_line, columns, text.splitlines()[header_line - 1])
    if header_problems:  # values cannot be matched to columns: the rows are not worth reading
        raise RosterError(problems + header_problems)
    trainees: list[Trainee] = []
    seen: dict[str, int] = {}
    for line, fields in records[1:]:
        values, row_problems = _row(shown, line, columns, fields)
        problems += row_problems
        if row_problems:
            continue
        trainee_id = _as_id(values["trainee_id"])
        if not trainee_id:
            problems.append(Problem(shown, line, "trainee_id", "empty"))
        elif trainee_id in seen:
            problems.append(
                Problem(shown, line, "trainee_id", f"duplicate {trainee_id!r} (first on line {seen[trainee_id]})")
            )
        else:
            seen[trainee_id] = line
        if not values["name"]:
            problems.append(Problem(shown, line, "name", "empty"))
        difficulty = values.get("difficulty") or "beginner"
        if difficulty not in DIFFICULTIES:
            problems.append(
                Problem(shown, line, "difficulty", f"{difficulty!r} is not one of {', '.join(DIFFICULTIES)}")
            )
        trainees.append(Trainee(trainee_id, values["name"], values["cohort"], values["supervisor"], difficulty, line))
    if problems:
        raise RosterError(problems)
    if not trainees:
        raise RosterError([Problem(shown, None, "", "no trainees: the roster has a header but no rows")])
    return trainees


def _records(text: str, shown: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Each non-blank record with the line it starts on; a CSV syntax error ends the reading."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return records, []
        except csv.Error as err:
            message = str(err)
            if "unexpected end of data" in message:  # the csv module's words for a quote never closed
                message = "unbalanced quote: a '\"' opened here is never closed and swallows every row after it"
            else:
                message = f"not valid CSV ({message}); quote the whole value, doubling any quote in it"
            return records, [Problem(shown, start, "", message)]
        if any(f.strip() for f in fields):
            records.append((start, fields))
        start = reader.line_num + 1


def _header_problems(shown: str, line: int, columns: list[str], first: str) -> list[Problem]:
    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        for separator, said in ((";", "';'"), ("\t", "tabs")):
            if separator in first and first.count(separator) > first.count(","):
                return [Problem(shown, line, "", f"looks separated by {said}: save as CSV with commas")]
        listed = ", ".join(c for c in columns if c) or "none"
        problems += [Problem(shown, line, c, f"missing column (found: {listed})") for c in missing]
    first_at: dict[str, int] = {}
    for number, column in enumerate(columns, start=1):
        if not column:
            continue  # a column without a name holds nothing we read; its cells are checked as extras
        if column in first_at:
            problems.append(Problem(shown, line, column, f"duplicate column (columns {first_at[column]} and {number})"))
        else:
            first_at[column] = number
    return problems


def _row(shown: str, line: int, columns: list[str], fields: list[str]) -> tuple[dict[str, str], list[Problem]]:
    """One record's values by column name, or the problems that make it unreadable."""
    problems: list[Problem] = []
    for column, value in zip(columns, fields, strict=False):
        if "\n" in value or "\r" in value:
            lines = value.count("\n") or value.count("\r")
            problems.append(
                Problem(
                    shown,
                    line,
                    column or "",
                    f"the value runs on over {lines + 1} lines: a quote is not closed, or one is too many",
                )
            )
    if len(fields) < len(columns):
        absent = columns[len(fields)]
        problems.append(
            Problem(shown, line, absent, f"missing: the row has {len(fields)} values, the header {len(columns)}")
        )
    extra = [(n, v) for n, v in enumerate(fields[len(columns) :], start=len(columns) + 1) if v.strip()]
    if extra:
        number, _ = extra[0]
        problems.append(
            Problem(
                shown,
                line,
                f"column {number}",
                f"more values than columns: the row has {len(fields)}, the header {len(columns)}",
            )
        )
    for column, value in zip(columns, fields, strict=False):
        if not column and value.strip():
            problems.append(Problem(shown, line, "", "a value under a column without a name"))
            break
    values = {c: v.strip() for c, v in zip(columns, fields, strict=False) if c}
    return values, problems


def _as_id(value: str) -> str:
    """The trainee id a roster cell becomes: two cells that look the same are one trainee, so a
    second one is a duplicate (it would take the first one's documents)."""
    try:
        return trainee_id(value)
    except StoreError:
        return ""  # only invisible characters: reported as an empty trainee_id
