"""Respond (deliberate practice): answer a client statement, then see examples, rate, and step.

A round: the trainee reads a client statement at the current difficulty and types a response
(saved at once); only then are the example responses and the skill criteria revealed; the
trainee rates their own response against each criterion (0-4) and says how hard it felt; the
next statement steps up, stays or steps down. Every round is kept in the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..content.catalog import Catalog
from ..content.models import ClientStatement, Difficulty
from ..feedback import content_note, criterion_name, examples_html
from ..markup import inline, plain, spoken
from ..responses.answers import RespondAnswer, read_answer
from ..scoring import FELT, Felt, next_difficulty, step_word
from .base import DraftKeeper, Exercise, HTMLView, Recorder, Saved, button, named, scale

NOT_RATED = "not rated"
ANCHOR = Markup("<li><b>{}</b> {}</li>")
CRITERION = Markup(
    '<b>{}</b><details><summary>What 0 to 4 mean</summary><p>{}</p><ul class="wb-anchors">{}</ul></details>'
)
STATEMENT = Markup(
    '<div class="wb-statement">{}<p><span class="wb-level">{}</span> <i>{}</i></p><blockquote>{}</blockquote></div>'
)
STEP = Markup(
    '<p class="wb-step">You rated this round “{}”: <b>{}</b> to <b>{}</b>. '
    "Next step for practice: look again at the criterion you rated lowest.</p>"
)
ROUND = Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>")
ROUNDS = Markup(
    "<details><summary>Your rounds so far: {}</summary><table class='wb-table'>"
    "<tr><th scope='col'>statement</th><th scope='col'>level</th><th scope='col'>felt</th>"
    "<th scope='col'>your response</th></tr>{}</table></details>"
)


def rated_rounds(history: Sequence[Saved]) -> list[RespondAnswer]:
    """The finished (rated) rounds in ``history``, oldest first; answers that cannot be read are skipped."""
    return [
        read
        for h in history
        if isinstance(read := read_answer("respond", "trainee", h.answer), RespondAnswer) and read.rated
    ]


def pick_statement(statements: list[ClientStatement], difficulty: str, history: Sequence[Saved]) -> ClientStatement:
    """The statement at ``difficulty`` the trainee has rated least often (ties: content order)."""
    level = [s for s in statements if s.difficulty == difficulty]
    rated = [r.statement for r in rated_rounds(history)]
    return min(level, key=lambda s: (rated.count(s.id), level.index(s)))


class Respond(Exercise):
    exercise = "respond"

    def __init__(
        self, catalog: Catalog, challenge: str, recorder: Recorder, difficulty: Difficulty = "beginner"
    ) -> None:
        self.statements = [s for s in catalog.client_statements if s.challenge == challenge]
        super().__init__(recorder, self.statements[0].id)
        self.criteria = {c.id: c for c in catalog.skill_criteria if c.challenge == challenge}
        self.difficulty: Difficulty = difficulty
        self.statement = self.statements[0]
        self.prompt = HTMLView()
        self.response = widgets.Textarea(
            placeholder="Type what you would say to the client, in your own words…",
            layout=widgets.Layout(width="100%", height="7em"),
        )
        self.submit = button("Submit my response")
        self.submit.on_click(self.guarded(self._on_submit))
        self.examples = HTMLView()
        # Every rating starts "not rated", and a round cannot be saved until each criterion is
        # rated: an untouched control is never recorded as 0.
        self.ratings = {
            cid: scale(f"Your rating for {spoken(criterion_name(c))}, 0 to 4", NOT_RATED)
            for cid, c in self.criteria.items()
        }
        self.felt = named(widgets.RadioButtons(options=list(FELT), value=None), "How did this statement feel?")
        self.felt.add_class("wb-scale")
        self.rate = button("Save my ratings and continue")
        self.rate.on_click(self.guarded(self._on_rate))
        rating_rows: list[widgets.Widget] = []
        for cid, slider in self.ratings.items():
            criterion = self.criteria[cid]
            anchors = Markup().join(ANCHOR.format(k, inline(v)) for k, v in sorted(criterion.anchors.items()))
            explain = CRITERION.format(inline(criterion_name(criterion)), inline(criterion.text), anchors)
            rating_rows += [
                HTMLView(explain),
                slider,
            ]
        self.reveal = widgets.VBox(
            [
                self.examples,
                HTMLView("<h4>Rate your own response against each criterion (0-4)</h4>"),
                *rating_rows,
                HTMLView("<b>How did this statement feel?</b>"),
                self.felt,
                self.rate,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.history_view = HTMLView()
        self.drafts = DraftKeeper(self, {"response": self.response})
        self.children = [
            self.prompt,
            self.response,
            self.submit,
            self.status,
            self.reveal,
            self.feedback,
            self.history_view,
        ]
        self.guarded(self._refill)()

    # -- rounds ----------------------------------------------------------------------------
    def _show(self, statement: ClientStatement, response: str = "", revealed: bool = False) -> None:
        self.statement, self.item = statement, statement.id
        self.prompt.value = STATEMENT.format(
            content_note(statement.content_notes),
            statement.difficulty,
            inline(statement.context),
            inline(statement.text),
        )
        self.drafts.set_quietly("response", response)
        self.response.disabled = revealed
        self.submit.disabled = revealed
        self.examples.value = examples_html(statement, self.criteria) if revealed else Markup()
        self.reveal.layout.display = "" if revealed else "none"
        for rating in self.ratings.values():
            rating.value = NOT_RATED
        self.felt.value = None
        if not revealed:
            self.drafts.refill()  # text typed for this statement last time, never submitted

    def _on_submit(self, _: object = None) -> None:
        text = self.response.value.strip()
        if not text:
            self.status.value = '<span class="wb-hint">Write your response first; the examples appear after.</span>'
            return
        self.save({"statement": self.statement.id, "difficulty": self.difficulty, "response": text})
        self._show(self.statement, text, revealed=True)

    def _on_rate(self, _: object = None) -> None:
        if self.felt.value is None:
            self.status.value = (
                '<span class="wb-hint">Say how the statement felt (too easy, about right, too hard).</span>'
            )
            return
        if any(rating.value == NOT_RATED for rating in self.ratings.values()):
            self.status.value = '<span class="wb-hint">Rate your response on every criterion first (0-4).</span>'
            return
        felt: Felt = self.felt.value
        ratings = {cid: int(rating.value) for cid, rating in self.ratings.items()}
        after = next_difficulty(self.difficulty, felt, list(ratings.values()))
        answer: dict[str, Any] = {
            "statement": self.statement.id,
            "difficulty": self.difficulty,
            "response": self.response.value.strip(),
            "ratings": ratings,
            "felt": felt,
            "next_difficulty": after,
        }
        self.save(answer)
        self.feedback.value = STEP.format(felt, step_word(self.difficulty, after), after)
        self.difficulty = after
        self._next()

    def _next(self) -> None:
        history = self.recorder.history(self.exercise)
        self._show(pick_statement(self.statements, self.difficulty, history))
        self._render_history(history)

    def _render_history(self, history: Sequence[Saved]) -> None:
        rounds = rated_rounds(history)
        if not rounds:
            self.history_view.value = ""
            return

        def excerpt(text: str, limit: int = 120) -> Markup:
            # cut the trainee's text, then escape it: cutting escaped HTML can split an entity
            return plain(text if len(text) <= limit else text[:limit] + "…")

        rows = Markup().join(
            ROUND.format(r.statement, r.difficulty, str(r.felt), excerpt(r.response)) for r in rounds[-5:]
        )
        self.history_view.value = ROUNDS.format(len(rounds), rows)

    def _refill(self) -> None:
        history = [
            (h, read)
            for h in self.recorder.history(self.exercise)
            if isinstance(read := read_answer(self.exercise, "trainee", h.answer), RespondAnswer)
        ]
        by_id = {s.id: s for s in self.statements}
        last = history[-1][1] if history else None
        if last is None or last.statement not in by_id:
            self._next()
            return
        if last.rated and last.next_difficulty is not None:  # the last round was finished: carry on from there
            self.difficulty = last.next_difficulty
            self._next()
            return
        self.difficulty = last.difficulty
        self._show(by_id[last.statement], last.response, revealed=True)
