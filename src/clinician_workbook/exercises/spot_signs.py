"""Spot the signs: tick what you see in a vignette; feedback per sign with the sentence that shows it."""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from ..content.catalog import Catalog
from ..content.models import Vignette
from ..feedback import content_note, spot_feedback
from ..markup import inline, prose
from ..responses.answers import SpotSignsAnswer, read_answer
from ..scoring import score_spot_signs, sign_options
from .base import Exercise, HTMLView, Recorder, button

STORY = Markup('<div class="wb-vignette"><h4>{}</h4>{}<p><i>{}</i></p>{}</div>')


class SpotSigns(Exercise):
    exercise = "spot-signs"

    def __init__(self, catalog: Catalog, vignette: Vignette, recorder: Recorder, seed: int = 0) -> None:
        super().__init__(recorder, vignette.id)
        self.catalog, self.vignette = catalog, vignette
        self.boxes = {
            sign_id: widgets.Checkbox(
                value=False,
                description=catalog.sign(sign_id).text,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for sign_id in sign_options(vignette, seed)
        }
        self.check = button("Check my answer")
        self.check.on_click(self.guarded(self._on_check))
        story = HTMLView(
            STORY.format(
                inline(vignette.title),
                content_note(vignette.content_notes),
                inline(vignette.client),
                prose(vignette.body),
            )
        )
        self.children = [
            story,
            HTMLView("<b>Which of these signs do you see in this case? Tick all that apply.</b>"),
            *self.boxes.values(),
            self.check,
            self.status,
            self.feedback,
        ]
        self.guarded(self._refill)()

    @property
    def chosen(self) -> list[str]:
        return [sign for sign, box in self.boxes.items() if box.value]

    def _on_check(self, _: object = None) -> None:
        if not self.chosen:  # not an attempt: nothing is saved and the key stays hidden
            self.status.value = '<span class="wb-hint">Tick the signs you see in the case first.</span>'
            return
        result = score_spot_signs(self.catalog, self.vignette, self.chosen)
        self.save({"chosen": self.chosen})
        self.feedback.value = spot_feedback(result)

    def _refill(self) -> None:
        saved = self.recorder.latest(self.exercise, self.item)
        answer = read_answer(self.exercise, "trainee", saved.answer) if saved is not None else None
        if saved is None or not isinstance(answer, SpotSignsAnswer):
            return
        for sign, box in self.boxes.items():
            box.value = sign in answer.chosen
        self.feedback.value = spot_feedback(score_spot_signs(self.catalog, self.vignette, self.chosen))
        self.status.value = Markup('<span class="wb-saved">Your saved answer from {}</span>').format(
            self.shown_time(saved.time)
        )
