"""Triage: choose the urgency tier and put the actions in order; scored against the key.

Safety-critical wrong answers (promising secrecy, not telling the supervisor, waiting when
danger is imminent) get an explanation that cannot be missed, with help-seeking guidance.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..content.catalog import Catalog
from ..content.models import TriageCase
from ..feedback import URGENCY_LABELS, triage_feedback
from ..markup import inline, prose
from ..scoring import score_triage, triage_options
from .base import Exercise, Recorder, button

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
        self.steps = {
            action: widgets.Dropdown(
                options=positions, value=NOT_CHOSEN, description="", layout=widgets.Layout(width="9em")
            )
            for action in options
        }
        rows = [
            widgets.HBox([dropdown, widgets.HTML(inline(labels[action]))]) for action, dropdown in self.steps.items()
        ]
        self.check = button("Check my triage")
        self.check.on_click(self.guarded(self._on_check))
        self.children = [
            widgets.HTML(f'<div class="wb-case"><h4>{inline(case.title)}</h4>{prose(case.body)}</div>'),
            widgets.HTML("<b>How urgent is this?</b>"),
            self.urgency,
            widgets.HTML(
                "<b>Which actions would you take, in what order?</b> Number the ones you would take (1 = first)."
            ),
            *rows,
            self.check,
            self.status,
            self.feedback,
        ]
        self.guarded(self._refill)()

    @property
    def ordered(self) -> list[str]:
        chosen = [(int(d.value), action) for action, d in self.steps.items() if d.value != NOT_CHOSEN]
        return [action for _, action in sorted(chosen)]

    def _on_check(self, _: object = None) -> None:
        if self.urgency.value is None or not self.ordered:
            self.status.value = '<span class="wb-hint">Choose an urgency and number at least one action.</span>'
            return
        result = score_triage(self.catalog, self.case, self.urgency.value, self.ordered)
        self.save(
            {
                "urgency": self.urgency.value,
                "actions": self.ordered,
                "score": result.score,
                "safety_critical": [c.choice for c in result.safety_critical],
            }
        )
        self.feedback.value = triage_feedback(self.catalog, self.case, result)

    def _refill(self) -> None:
        saved = self.recorder.latest(self.exercise, self.item)
        if saved is None:
            return
        self.urgency.value = saved.answer.get("urgency")
        for n, action in enumerate(saved.answer.get("actions", []), 1):
            if action in self.steps:
                self.steps[action].value = str(n)
        if self.urgency.value and self.ordered:
            self.feedback.value = triage_feedback(
                self.catalog,
                self.case,
                score_triage(self.catalog, self.case, self.urgency.value, self.ordered),
            )
