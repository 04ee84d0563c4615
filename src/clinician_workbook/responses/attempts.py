"""One saved answer (``Attempt``) and the one rule for which attempt is current.

Deliberate practice repeats exercises, so a store keeps every attempt. Which one counts is
decided here and only here: the newest by time (equal times: by uid). Times are UTC in one
canonical form (the store writes them so, hand-in import normalises them), so they sort as
strings; an imported older backup gets higher sequence numbers but never shadows newer work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

# "draft": text typed but not submitted; kept one per item, never an attempt (see store.save_draft)
Role = Literal["trainee", "supervisor", "draft"]
ROLES: tuple[Role, ...] = ("trainee", "supervisor", "draft")
Key = tuple[str, str, str]  # (challenge, exercise, item)
_CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")


@dataclass(frozen=True)
class Attempt:
    """One saved answer. ``seq`` is the row id in its store (0 for one read from a hand-in)."""

    uid: str  # uuid4 hex: identifies the attempt across stores, so imports never duplicate it
    trainee: str
    time: str  # ISO-8601 UTC with microseconds, e.g. 2025-01-31T09:15:02.123456+00:00
    challenge: str
    exercise: str
    item: str
    answer: dict[str, Any]
    role: Role = "trainee"
    author: str | None = None
    shared: bool = False  # reflections: whether the trainee shares it with the supervisor
    seq: int = 0


def in_order(attempts: Iterable[Attempt]) -> list[Attempt]:
    """``attempts`` oldest first, in the order the current rule reads them.

    By time; equal times by uid, so a store, a hand-in and a cohort merging both agree (their
    sequence numbers do not). A time that is not the canonical UTC form (a hand-edited row)
    sorts before every real one and never becomes current.
    """
    return sorted(attempts, key=lambda a: (a.time if _CANONICAL.fullmatch(a.time) else "", a.uid))


def current(attempts: Iterable[Attempt], role: Role = "trainee") -> dict[Key, Attempt]:
    """The current attempt of ``role`` per (challenge, exercise, item): the newest by time, then seq."""
    found: dict[Key, Attempt] = {}
    for attempt in in_order(attempts):
        if attempt.role == role:
            found[(attempt.challenge, attempt.exercise, attempt.item)] = attempt
    return found
