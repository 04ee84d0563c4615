"""Triage: choose the urgency tier and number the actions; scored against the key.

Two actions given the same number are done together, and the tie is saved as given. Safety-critical
wrong answers (promising secrecy, not telling the supervisor, waiting when danger is imminent)
get an explanation that cannot be missed; the case's help-seeking guidance follows every answer.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from ..content.catalog import Catalog
from ..content.models import URGENCY_LABELS, TriageCase
from ..feedback import content_note, triage_feedback
from ..markup import inline, prose, spoken
from ..responses.answers import TriageAnswer, read_answer
from ..scoring import score_triage, steps_from_numbers, triage_options
from .base import Exercise, HTMLView, Recorder, button, named

NOT_CHOSEN = "not chosen"


class Triage(Exercise):
    exercise = "triage"

    def __init__(self, catalog: Catalog, case: TriageCase, recorder: Recorder, seed: int = 0) -> None:
        super().__init__(recorder, case.id)
        self.catalog, self.case = catalog, case
        self.urgency = widgets.RadioButtons(options=URGENCY_LABELS, value=None, layout=widgets.Layout(width="auto"))
        options = triage_options(case, seed)
        positions = [NOT_CHOSEN, *[str(n) for n in range(1, len(options) + 1)]]
        labels = {a.id: a.text for a in catalog.triage_actions}
        # each dropdown is named for a screen reader by its case and action (a label only they read)
        self.numbers = {
            action: named(
                widgets.Dropdown(options=positions, value=NOT_CHOSEN, layout=widgets.Layout(width="9em")),
                f"{spoken(case.title)}: order of “{spoken(labels[action])}”",
            )
            for action in options
        }
        rows = [widgets.HBox([dropdown, HTMLView(inline(labels[action]))]) for action, dropdown in self.numbers.items()]
        self.check = button("Check my triage")
        self.check.on_click(self.guarded(self._on_check))
        self.children = [
            HTMLView(
                Markup('<div class="wb-case"><h4>{}</h4>{}{}</div>').format(
                    inline(case.title), content_note(case.content_notes), prose(case.body)
                )
            ),
            HTMLView("<b>How urgent is this?</b>"),
            self.urgency,
            HTMLView(
                "<b>Which actions would you take, in what order?</b> Number the ones you would take (1 = first). "
                "Give actions the same number if you would do them at the same time."
            ),
            *rows,
            self.check,
            self.status,
            self.feedback,
        ]
        self.guarded(self._refill)()

    @property
    def steps(self) -> list[list[str]]:
        """The numbered actions as steps; actions sharing a number are one step."""
        return steps_from_numbers({a: int(d.value) for a, d in self.numbers.items() if d.value != NOT_CHOSEN})

    def _on_check(self, _: object = None) -> None:
        if self.urgency.value is None or not self.steps:
            self.status.value = '<span class="wb-hint">Choose an urgency and number at least one action.</span>'
            return
        result = score_triage(self.catalog, self.case, self.urgency.value, self.steps)
        self.save({"urgency": self.urgency.value, "steps": self.steps})
        self.feedback.value = triage_feedback(self.catalog, self.case, result)

    def _refill(self) -> None:
        saved = self.recorder.latest(self.exercise, self.item)
        answer = read_answer(self.exercise, "trainee", saved.answer) if saved is not None else None
        if not isinstance(answer, TriageAnswer):
            return
        self.urgency.value = answer.urgency
        for number, step in enumerate(answer.steps, 1):
            for action in step:
                if action in self.numbers:
                    self.numbers[action].value = str(number)
        if self.steps:
            self.feedback.value = triage_feedback(
                self.catalog, self.case, score_triage(self.catalog, self.case, answer.urgency, self.steps)
            )
