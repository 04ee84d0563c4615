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
from .errors import Problem, RosterError

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
    """The roster's trainees, or RosterError listing every problem (``file:line: column: problem``)."""
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
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        listed = ", ".join(columns) if columns else "none"
        message = f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {listed})"
        raise RosterError([Problem(shown, 1, "", message)])
    problems: list[Problem] = []
    trainees: list[Trainee] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        values = {(k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if None in row:
            problems.append(Problem(shown, line, "", "more values than columns"))
            continue
        trainee_id = values.get("trainee_id", "")
        if not trainee_id:
            problems.append(Problem(shown, line, "trainee_id", "empty"))
        elif trainee_id in seen:
            problems.append(
                Problem(shown, line, "trainee_id", f"duplicate {trainee_id!r} (first on line {seen[trainee_id]})")
            )
        else:
            seen[trainee_id] = line
        if not values.get("name"):
            problems.append(Problem(shown, line, "name", "empty"))
        difficulty = values.get("difficulty") or "beginner"
        if difficulty not in DIFFICULTIES:
            problems.append(
                Problem(shown, line, "difficulty", f"{difficulty!r} is not one of {', '.join(DIFFICULTIES)}")
            )
        trainees.append(
            Trainee(
                trainee_id,
                values.get("name", ""),
                values.get("cohort", ""),
                values.get("supervisor", ""),
                difficulty,
                line,
            )
        )
    if problems:
        raise RosterError(problems)
    if not trainees:
        raise RosterError([Problem(shown, None, "", "no trainees: the roster has a header but no rows")])
    return trainees
