"""Classify: which challenge is this case, and is it a withdrawal or a confrontation marker?"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from ..content.catalog import Catalog
from ..content.models import Vignette
from ..feedback import classify_feedback
from ..markup import inline
from ..responses.answers import ClassifyAnswer, read_answer
from ..scoring import score_classify
from .base import Exercise, HTMLView, Recorder, button

RUPTURES = [
    ("Withdrawal: moving away", "withdrawal"),
    ("Confrontation: moving against", "confrontation"),
    ("No rupture", "none"),
]


class Classify(Exercise):
    exercise = "classify"

    def __init__(self, catalog: Catalog, vignette: Vignette, recorder: Recorder) -> None:
        super().__init__(recorder, vignette.id)
        self.catalog, self.vignette = catalog, vignette
        practice = [c for c in catalog.challenges if c.signs]
        self.challenge = widgets.RadioButtons(options=[(c.title, c.id) for c in practice], value=None)
        self.rupture = widgets.RadioButtons(options=RUPTURES, value=None)
        self.check = button("Check")
        self.check.on_click(self.guarded(self._on_check))
        self.children = [
            HTMLView(
                Markup("<b>In the case “{}”, which challenge is in the foreground?</b>").format(inline(vignette.title))
            ),
            self.challenge,
            HTMLView("<b>Is there an alliance rupture, and of which kind?</b>"),
            self.rupture,
            self.check,
            self.status,
            self.feedback,
        ]
        self.guarded(self._refill)()

    def _on_check(self, _: object = None) -> None:
        if self.challenge.value is None or self.rupture.value is None:
            self.status.value = '<span class="wb-hint">Choose an answer to both questions first.</span>'
            return
        result = score_classify(self.catalog, self.vignette, self.challenge.value, self.rupture.value)
        self.save({"challenge": self.challenge.value, "rupture": self.rupture.value})
        self.feedback.value = classify_feedback(result)

    def _refill(self) -> None:
        saved = self.recorder.latest(self.exercise, self.item)
        answer = read_answer(self.exercise, "trainee", saved.answer) if saved is not None else None
        if not isinstance(answer, ClassifyAnswer):
            return
        known = [value for _, value in self.challenge.options]
        self.challenge.value = answer.challenge if answer.challenge in known else None
        self.rupture.value = answer.rupture
        if self.challenge.value and self.rupture.value:
            result = score_classify(self.catalog, self.vignette, self.challenge.value, self.rupture.value)
            self.feedback.value = classify_feedback(result)
