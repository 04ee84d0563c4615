"""What course text may say and how long it runs: the safe-messaging list and the word counts.

``docs/content-format.md`` ("Safe messaging", and the word counts of vignettes and triage
cases) states these rules; ``workbook validate`` enforces them through this module, and the
tests read the same list rather than a copy of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Unsafe:
    """A phrase safe-messaging guidance asks us not to use, and what to do instead."""

    pattern: re.Pattern[str]
    why: str


def _unsafe(pattern: str, why: str) -> Unsafe:
    return Unsafe(re.compile(pattern, re.IGNORECASE), why)


# The one list: every text field of every content item is checked against it.
UNSAFE_WORDING: tuple[Unsafe, ...] = (
    _unsafe(r"\bcommitted suicide\b", "say 'died by suicide' (not a crime)"),
    _unsafe(r"\b(un)?successful suicide\b", "a suicide is never a success or a failure"),
    _unsafe(r"overdos", "no method or means detail"),
    _unsafe(r"\bpills?\b|\brope\b|\bbridge\b|\bhanging\b|\bblade\b|\brazor", "no method or means detail"),
    _unsafe(
        r"\b(is|at|as) (a )?(low|medium|high)[- ]risk\b|\brisk score of",
        "nothing here rates or predicts a risk level",
    ),
)

# one pass over a text that has none of them (almost every text); the rule is found only on a hit
_ANY_UNSAFE = re.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in UNSAFE_WORDING), re.IGNORECASE)

# body -> (fewest, most) words, by item kind; counted as ``len(text.split())``
BODY_WORDS: dict[str, tuple[int, int]] = {
    "vignette": (150, 400),
    "triage case": (80, 200),
}


def find_unsafe(text: str) -> tuple[str, str] | None:
    """The first unsafe phrase in ``text`` and why it is avoided, or None."""
    if not _ANY_UNSAFE.search(text):
        return None
    for rule in UNSAFE_WORDING:
        found = rule.pattern.search(text)
        if found:
            return found.group(0), rule.why
    return None


def check_length(kind: str, body: str) -> str | None:
    """A problem with the length of a ``kind``'s body (see :data:`BODY_WORDS`), or None."""
    fewest, most = BODY_WORDS[kind]
    words = len(body.split())
    if fewest <= words <= most:
        return None
    return f"a {kind} body has {fewest}-{most} words; this one has {words}"
