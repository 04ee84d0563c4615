"""What a trainee has done on each page (the pages and their items come from ``pages``).

One definition, used by the notebooks' progress summaries, the review pages and the cohort
report, so that "done 5 of 9" means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean

from .content.catalog import Catalog
from .content.models import DIFFICULTIES
from .pages import items_for, pages
from .responses import Attempt, current, in_order
from .responses.answers import RespondAnswer, read_answer
from .scoring import assess_saved


def exercises_on(catalog: Catalog, page: str) -> tuple[str, ...]:
    """The exercises ``page`` holds (none for an unknown page)."""
    return next((p.exercises for p in pages(catalog) if p.id == page), ())


@dataclass(frozen=True)
class ExerciseProgress:
    exercise: str
    done: int  # items offered on the page with a current answer that can be read
    total: int  # items offered on the page
    attempts: int  # every trainee attempt at those items, repeats included
    score: float | None  # mean automatic score of the current answers (None: nothing scored)


@dataclass(frozen=True)
class Progress:
    page: str
    exercises: list[ExerciseProgress]
    reached: str | None  # the difficulty deliberate practice has led to, if any round was rated

    @property
    def done(self) -> int:
        return sum(e.done for e in self.exercises)

    @property
    def total(self) -> int:
        return sum(e.total for e in self.exercises)

    @property
    def attempts(self) -> int:
        return sum(e.attempts for e in self.exercises)

    @property
    def score(self) -> float | None:
        scores = [e.score for e in self.exercises if e.score is not None]
        return fmean(scores) if scores else None


def progress(
    catalog: Catalog,
    page: str,
    attempts: Iterable[Attempt],
    assessed: Mapping[str, tuple[bool, float | None]] | None = None,
) -> Progress:
    """What a trainee has done on ``page``: the one definition of "done n of m" and its score.

    Counts the trainee's own attempts only (never drafts or supervisor notes), at the items the
    page offers; "done" means the current answer (``responses.current``) can be read and answers
    the item as the course offers it (``scoring.answers_item``). ``assessed`` holds readings a
    caller has already made (``scoring.assess_saved``'s result by attempt uid), so an answer the
    caller scored for its own purpose (the cohort report's triage check) is not scored again.
    """
    known = assessed or {}
    mine = [a for a in attempts if a.role == "trainee" and a.challenge == page]
    now = current(mine)
    rows = []
    for exercise in exercises_on(catalog, page):
        offered = set(items_for(catalog, page, exercise))
        answers = {item: a for (_, ex, item), a in now.items() if ex == exercise and item in offered}
        read = [known.get(a.uid) or assess_saved(catalog, exercise, item, a.answer) for item, a in answers.items()]
        scores = [score for _, score in read if score is not None]
        readable = [fits for fits, _ in read if fits]
        rows.append(
            ExerciseProgress(
                exercise,
                len(readable),
                len(offered),
                sum(1 for a in mine if a.exercise == exercise and a.item in offered),
                fmean(scores) if scores else None,
            )
        )
    rounds = [
        r
        for a in in_order(mine)
        if a.exercise == "respond"
        and isinstance(r := read_answer("respond", "trainee", a.answer), RespondAnswer)
        and r.rated
    ]
    reached = rounds[-1].next_difficulty if rounds else None
    return Progress(page, rows, reached if reached in DIFFICULTIES else None)
