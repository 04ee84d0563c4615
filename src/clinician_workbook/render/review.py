"""Review mode: a trainee's latest answers, attempts, scores, feedback and supervisor notes.

Built from the store's attempts only (never from widget state). The latest attempt of each
item is current; the number of attempts is shown beside it. Reflections are shown only when
shared, unless the trainee is exporting their own workbook.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from markupsafe import Markup

from ..content.catalog import Catalog
from ..content.models import DIFFICULTIES
from ..curriculum import progress
from ..feedback import (
    choice_feedback,
    classify_feedback,
    content_note,
    criterion_name,
    examples_html,
    spot_feedback,
    triage_answer_html,
    triage_feedback,
)
from ..markup import inline
from ..responses import Attempt, in_order
from ..responses.answers import (
    Answer,
    ClassifyAnswer,
    FeedbackAnswer,
    KnowledgeCheckAnswer,
    ReflectAnswer,
    RespondAnswer,
    SpotSignsAnswer,
    StrategyMatchAnswer,
    TriageAnswer,
    read_answer,
)
from ..scoring import (
    score_classify,
    score_knowledge_check,
    score_spot_signs,
    score_strategy_match,
    score_triage,
)
from . import render, supervisor_notes

A = TypeVar("A", bound=Answer)

NOT_ANSWERED = Markup('<p class="wb-empty">Not answered yet.</p>')
UNREADABLE = Markup(
    '<p class="wb-empty">⚠ The saved answer could not be read (it is not in the form this exercise saves).</p>'
)
EMPTY = Markup()
ANSWER_GIVEN = Markup("<p><b>Answer given:</b> {}</p>")
FEEDBACK = "feedback"  # supervisor attempts: exercise "feedback", item "<exercise>/<item>"
STAGES = [
    ("description", "Description"),
    ("feelings", "Feelings"),
    ("evaluation", "Evaluation"),
    ("analysis", "Analysis"),
    ("conclusion", "Conclusion"),
    ("action_plan", "Action plan"),
]
LABELS = {
    "spot-signs": "Spot the signs",
    "classify": "Classify",
    "respond": "Respond (deliberate practice)",
    "knowledge-check": "Knowledge checks",
    "reflect": "Reflections",
    "strategy-match": "Strategy matching",
    "triage": "Triage",
}


@dataclass
class Entry:
    title: str
    attempts: int
    feedback: Markup
    answer: Markup = EMPTY
    context: Markup = EMPTY
    notes: list[dict[str, Any]] = field(default_factory=list)


def feedback_notes(catalog: Catalog, attempts: list[Attempt]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Supervisor feedback by (exercise, item), oldest first: what a review page and a trainee's
    own notebook show under the answer. A note that cannot be read is left out."""
    names = {c.id: criterion_name(c) for c in catalog.skill_criteria}
    notes: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for a in in_order(attempts):
        if a.role != "supervisor" or a.exercise != FEEDBACK or "/" not in a.item:
            continue
        note = read_answer(FEEDBACK, "supervisor", a.answer)
        if isinstance(note, FeedbackAnswer):
            exercise, item = a.item.split("/", 1)
            notes[(exercise, item)].append(
                {
                    "author": a.author,
                    "time": a.time,
                    "comment": note.comment,
                    "next_step": note.next_step,
                    # never a raw key as markup
                    "ratings": [(names[k], v) for k, v in note.ratings.items() if k in names],
                }
            )
    return notes


def supervisor_feedback(notes: list[dict[str, Any]]) -> Markup:
    """Notes from ``feedback_notes`` as HTML (empty when there are none)."""
    return render("review.html.j2", "supervisor", notes=notes)


class Review:
    """Everything a review page shows for one trainee and one challenge.

    Attempts are read in the order of the one current rule (``responses.in_order``); answers
    are read through their models, and one that cannot be read says so instead of breaking
    the page.
    """

    def __init__(self, catalog: Catalog, challenge: str, attempts: list[Attempt], include_private: bool) -> None:
        self.catalog, self.challenge, self.include_private = catalog, challenge, include_private
        self.attempts = [a for a in in_order(attempts) if a.challenge == challenge]
        self.mine: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
        for a in self.attempts:
            if a.role == "trainee":
                self.mine[(a.exercise, a.item)].append(a)
        self.notes = feedback_notes(catalog, self.attempts)

    def _latest(self, exercise: str, item: str, model: type[A]) -> tuple[A | None, Attempt | None, int]:
        """The current answer (read, or None if it cannot be), its attempt, and how many attempts."""
        found = self.mine.get((exercise, item), [])
        if not found:
            return None, None, 0
        read = read_answer(exercise, "trainee", found[-1].answer)
        return (read if isinstance(read, model) else None), found[-1], len(found)

    def _items(self, heading: str, entries: list[Entry], empty: str = "Not answered yet.") -> Markup:
        return render("review.html.j2", "items", heading=heading, entries=entries, empty=empty)

    # -- sections ------------------------------------------------------------------------------
    def spot_signs(self) -> Markup:
        entries = []
        vignettes = [v for v in self.catalog.vignettes if self.challenge in v.challenges]
        for v in sorted(vignettes, key=lambda v: DIFFICULTIES.index(v.difficulty)):
            spot, spot_attempt, n_spot = self._latest("spot-signs", v.id, SpotSignsAnswer)
            cls, cls_attempt, n_cls = self._latest("classify", v.id, ClassifyAnswer)
            parts: list[Markup] = []
            if spot is not None:
                parts.append(spot_feedback(score_spot_signs(self.catalog, v, spot.chosen)))
            elif spot_attempt is not None:
                parts.append(UNREADABLE)
            if cls is not None:
                c = score_classify(self.catalog, v, cls.challenge, cls.rupture)
                parts.append(Markup("<p><b>Classification</b></p>") + classify_feedback(c))
            elif cls_attempt is not None:
                parts.append(UNREADABLE)
            entries.append(
                Entry(
                    title=f"{v.title} ({v.difficulty})",
                    attempts=max(n_spot, n_cls),
                    feedback=Markup().join(parts) or NOT_ANSWERED,
                    context=content_note(v.content_notes),
                    notes=self.notes.get(("spot-signs", v.id), []) + self.notes.get(("classify", v.id), []),
                )
            )
        return self._items("Case vignettes: signs and classification", entries)

    def respond(self) -> Markup:
        statements = {s.id: s for s in self.catalog.client_statements if s.challenge == self.challenge}
        criteria = {c.id: c for c in self.catalog.skill_criteria if c.challenge == self.challenge}
        history = [
            r
            for a in self.attempts
            if a.role == "trainee"
            and a.exercise == "respond"
            and isinstance(r := read_answer("respond", "trainee", a.answer), RespondAnswer)
            and r.statement in statements
        ]
        # a round is saved twice (submitted, then rated): show rated rounds, and the last one if pending
        shown = [r for n, r in enumerate(history) if r.rated or n == len(history) - 1]
        counts = Counter(r.statement for r in shown)
        rounds = [
            {
                "statement": statements[r.statement],
                "difficulty": r.difficulty,
                "response": r.response,
                "ratings": [(criterion_name(criteria[k]), v) for k, v in (r.ratings or {}).items() if k in criteria],
                "felt": r.felt,
                "next": r.next_difficulty,
                "examples": examples_html(statements[r.statement], criteria),
                "attempts": counts[r.statement],
                "notes": self.notes.get(("respond", r.statement), []),
            }
            for r in shown
        ]
        reached = progress(self.catalog, self.challenge, self.attempts).reached
        return render("review.html.j2", "rounds", entries=rounds, reached=reached)

    def knowledge_checks(self) -> Markup:
        entries = []
        for k in [k for k in self.catalog.knowledge_checks if k.challenge == self.challenge]:
            given, attempt, n = self._latest("knowledge-check", k.id, KnowledgeCheckAnswer)
            feedback, answer = NOT_ANSWERED if attempt is None else UNREADABLE, EMPTY
            if given is not None and given.choice < len(k.options):
                answer = ANSWER_GIVEN.format(inline(k.options[given.choice].text))
                feedback = choice_feedback(score_knowledge_check(k, given.choice))
            entries.append(Entry(k.question, n, feedback, answer, notes=self.notes.get(("knowledge-check", k.id), [])))
        return self._items("Knowledge checks", entries)

    def strategy_matches(self) -> Markup:
        titles = {s.id: s.title for s in self.catalog.strategies}
        entries = []
        for m in self.catalog.strategy_matches:
            given, attempt, n = self._latest("strategy-match", m.id, StrategyMatchAnswer)
            feedback, answer = NOT_ANSWERED if attempt is None else UNREADABLE, EMPTY
            if given is not None and given.choice in titles:
                answer = ANSWER_GIVEN.format(inline(titles[given.choice]))
                feedback = choice_feedback(score_strategy_match(self.catalog, m, given.choice))
            entries.append(Entry(m.situation, n, feedback, answer, notes=self.notes.get(("strategy-match", m.id), [])))
        return self._items("Strategy matching", entries)

    def triage(self) -> Markup:
        entries = []
        for c in sorted(self.catalog.triage_cases, key=lambda c: c.id):
            given, attempt, n = self._latest("triage", c.id, TriageAnswer)
            feedback, answer = NOT_ANSWERED if attempt is None else UNREADABLE, EMPTY
            if given is not None:
                result = score_triage(self.catalog, c, given.urgency, given.steps)
                answer = triage_answer_html(self.catalog, result)
                feedback = triage_feedback(self.catalog, c, result)
            context = content_note(c.content_notes) + supervisor_notes(c.supervisor_notes)
            entries.append(Entry(c.title, n, feedback, answer, context, self.notes.get(("triage", c.id), [])))
        return self._items("Triage cases", entries)

    def reflections(self) -> Markup:
        shown, hidden = [], 0
        for p in [p for p in self.catalog.reflection_prompts if p.challenge == self.challenge]:
            given, attempt, _ = self._latest("reflect", p.id, ReflectAnswer)
            if attempt is None or given is None:
                continue
            if not (attempt.shared or self.include_private):
                hidden += 1
                continue
            stages = given.stages.model_dump()
            shown.append(
                {
                    "title": p.title,
                    "shared": attempt.shared,
                    "stages": [(title, stages[key]) for key, title in STAGES],
                    "notes": self.notes.get(("reflect", p.id), []),
                }
            )
        return render(
            "review.html.j2", "reflections", entries=shown, hidden=hidden, privacy=self.catalog.course.privacy_notice
        )

    def summary(self, title: str) -> Markup:
        done = progress(self.catalog, self.challenge, self.attempts)
        rows = [
            {
                "label": LABELS[e.exercise],
                "done": e.done,
                "total": e.total,
                "attempts": e.attempts,
                "score": "–" if e.score is None else f"{round(100 * e.score)}%",
            }
            for e in done.exercises
        ]
        return render("review.html.j2", "summary", title=title, rows=rows, reached=done.reached)
