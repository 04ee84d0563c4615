"""Review mode: a trainee's latest answers, attempts, scores, feedback and supervisor notes.

Built from the store's attempts only (never from widget state). The latest attempt of each
item is current; the number of attempts is shown beside it. Reflections are shown only when
shared, unless the trainee is exporting their own workbook.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from ..content.catalog import Catalog
from ..content.models import DIFFICULTIES
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
from ..scoring import (
    score_classify,
    score_knowledge_check,
    score_saved,
    score_spot_signs,
    score_strategy_match,
    score_triage,
    triage_answer,
)
from ..store import Attempt
from . import render

UNREADABLE = '<p class="wb-empty">⚠ The saved answer could not be read (it is not in the form this exercise saves).</p>'
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
    feedback: str
    answer: str = ""
    context: str = ""
    notes: list[dict[str, Any]] = field(default_factory=list)


class Review:
    """Everything a review page shows for one trainee and one challenge."""

    def __init__(self, catalog: Catalog, challenge: str, attempts: list[Attempt], include_private: bool) -> None:
        self.catalog, self.challenge, self.include_private = catalog, challenge, include_private
        self.mine: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
        self.notes: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for a in attempts:
            if a.challenge != challenge:
                continue
            if a.role == "trainee":
                self.mine[(a.exercise, a.item)].append(a)
            elif a.exercise == FEEDBACK and "/" in a.item:
                exercise, item = a.item.split("/", 1)
                self.notes[(exercise, item)].append(self._note(a))
        self.reached: str | None = None

    def _note(self, a: Attempt) -> dict[str, Any]:
        names = {c.id: criterion_name(c) for c in self.catalog.skill_criteria}
        ratings = [(names.get(k, k), v) for k, v in a.answer.get("ratings", {}).items()]
        return {
            "author": a.author,
            "time": a.time,
            "comment": str(a.answer.get("comment", "")),
            "next_step": str(a.answer.get("next_step", "")),
            "ratings": ratings,
        }

    def _latest(self, exercise: str, item: str) -> tuple[Attempt | None, int]:
        found = self.mine.get((exercise, item), [])
        return (found[-1] if found else None), len(found)

    def _items(self, heading: str, entries: list[Entry], empty: str = "Not answered yet.") -> str:
        return render("review.html.j2", "items", heading=heading, entries=entries, empty=empty)

    # -- sections ------------------------------------------------------------------------------
    def spot_signs(self) -> str:
        entries = []
        vignettes = [v for v in self.catalog.vignettes if self.challenge in v.challenges]
        for v in sorted(vignettes, key=lambda v: DIFFICULTIES.index(v.difficulty)):
            spot, n_spot = self._latest("spot-signs", v.id)
            cls, n_cls = self._latest("classify", v.id)
            parts = []
            if spot is not None:
                result = score_spot_signs(self.catalog, v, spot.answer.get("chosen", []))
                parts.append(spot_feedback(result))
            if cls is not None:
                c = score_classify(self.catalog, v, str(cls.answer.get("challenge")), str(cls.answer.get("rupture")))
                parts.append("<p><b>Classification</b></p>" + classify_feedback(c))
            entries.append(
                Entry(
                    title=f"{v.title} ({v.difficulty})",
                    attempts=max(n_spot, n_cls),
                    feedback="".join(parts) or '<p class="wb-empty">Not answered yet.</p>',
                    context=content_note(v.content_notes),
                    notes=self.notes.get(("spot-signs", v.id), []) + self.notes.get(("classify", v.id), []),
                )
            )
        return self._items("Case vignettes: signs and classification", entries)

    def respond(self) -> str:
        statements = {s.id: s for s in self.catalog.client_statements if s.challenge == self.challenge}
        criteria = {c.id: c for c in self.catalog.skill_criteria if c.challenge == self.challenge}
        history = sorted(
            (a for (ex, _), found in self.mine.items() if ex == "respond" for a in found), key=lambda a: a.seq
        )
        # a round is saved twice (submitted, then rated): show rated rounds, and the last one if pending
        shown = [a for a in history if "felt" in a.answer or a is history[-1]]
        counts: dict[str, int] = defaultdict(int)
        for a in shown:
            counts[str(a.answer.get("statement"))] += 1
        rounds: list[dict[str, Any]] = []
        reached = None
        for a in shown:
            s = statements.get(str(a.answer.get("statement")))
            if s is None:
                continue
            given = a.answer.get("ratings", {})
            ratings = [(criterion_name(criteria[k]), v) for k, v in given.items() if k in criteria]
            reached = a.answer.get("next_difficulty", a.answer.get("difficulty"))
            rounds.append(
                {
                    "statement": s,
                    "difficulty": a.answer.get("difficulty"),
                    "response": str(a.answer.get("response", "")),
                    "ratings": ratings,
                    "felt": a.answer.get("felt"),
                    "next": a.answer.get("next_difficulty"),
                    "examples": examples_html(s, criteria),
                    "attempts": counts[s.id],
                    "notes": self.notes.get(("respond", s.id), []),
                }
            )
        self.reached = reached if reached in DIFFICULTIES else None
        return render("review.html.j2", "rounds", entries=rounds, reached=self.reached)

    def knowledge_checks(self) -> str:
        entries = []
        for k in [k for k in self.catalog.knowledge_checks if k.challenge == self.challenge]:
            latest, n = self._latest("knowledge-check", k.id)
            feedback = '<p class="wb-empty">Not answered yet.</p>'
            answer = ""
            if latest is not None and isinstance(latest.answer.get("choice"), int):
                result = score_knowledge_check(k, latest.answer["choice"])
                answer = f"<p><b>Answer given:</b> {inline(k.options[latest.answer['choice']].text)}</p>"
                feedback = choice_feedback(result)
            entries.append(Entry(k.question, n, feedback, answer, notes=self.notes.get(("knowledge-check", k.id), [])))
        return self._items("Knowledge checks", entries)

    def strategy_matches(self) -> str:
        titles = {s.id: s.title for s in self.catalog.strategies}
        entries = []
        for m in self.catalog.strategy_matches:
            latest, n = self._latest("strategy-match", m.id)
            feedback, answer = '<p class="wb-empty">Not answered yet.</p>', ""
            if latest is not None:
                chosen = str(latest.answer.get("choice"))
                result = score_strategy_match(self.catalog, m, chosen)
                answer = f"<p><b>Answer given:</b> {inline(titles.get(chosen, chosen))}</p>"
                feedback = choice_feedback(result)
            entries.append(Entry(m.situation, n, feedback, answer, notes=self.notes.get(("strategy-match", m.id), [])))
        return self._items("Strategy matching", entries)

    def triage(self) -> str:
        entries = []
        for c in sorted(self.catalog.triage_cases, key=lambda c: c.id):
            latest, n = self._latest("triage", c.id)
            feedback, answer = '<p class="wb-empty">Not answered yet.</p>', ""
            given = triage_answer(latest.answer) if latest is not None else None
            if latest is not None and given is None:
                feedback = UNREADABLE
            elif given is not None:
                result = score_triage(self.catalog, c, given.urgency, given.steps)
                answer = triage_answer_html(self.catalog, result)
                feedback = triage_feedback(self.catalog, c, result)
            entries.append(
                Entry(c.title, n, feedback, answer, content_note(c.content_notes), self.notes.get(("triage", c.id), []))
            )
        return self._items("Triage cases", entries)

    def reflections(self) -> str:
        shown, hidden = [], 0
        for p in [p for p in self.catalog.reflection_prompts if p.challenge == self.challenge]:
            latest, _ = self._latest("reflect", p.id)
            if latest is None:
                continue
            if not (latest.shared or self.include_private):
                hidden += 1
                continue
            stages = latest.answer.get("stages", {})
            shown.append(
                {
                    "title": p.title,
                    "shared": latest.shared,
                    "stages": [(title, str(stages.get(key, ""))) for key, title in STAGES],
                    "notes": self.notes.get(("reflect", p.id), []),
                }
            )
        return render("review.html.j2", "reflections", entries=shown, hidden=hidden)

    def summary(self, title: str, exercises: tuple[str, ...], totals: dict[str, int]) -> str:
        rows = []
        for exercise in exercises:
            done = len({item for (ex, item) in self.mine if ex == exercise})
            attempts = sum(len(v) for (ex, _), v in self.mine.items() if ex == exercise)
            latest = [(item, found[-1]) for (ex, item), found in self.mine.items() if ex == exercise and found]
            scored = [score_saved(self.catalog, exercise, item, a.answer) for item, a in latest]
            scores = [x for x in scored if x is not None]
            score = f"{round(100 * mean(scores))}%" if scores else "–"
            rows.append(
                {
                    "label": LABELS[exercise],
                    "done": done,
                    "total": totals[exercise],
                    "attempts": attempts,
                    "score": score,
                }
            )
        return render("review.html.j2", "summary", title=title, rows=rows, reached=self.reached)
