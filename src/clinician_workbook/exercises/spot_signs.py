"""Spot the signs: tick what you see in a vignette; feedback per sign with the sentence that shows it."""

from __future__ import annotations

import ipywidgets as widgets

from ..content.catalog import Catalog
from ..content.models import Vignette
from ..feedback import content_note, spot_feedback
from ..markup import inline, prose
from ..scoring import score_spot_signs, sign_options
from .base import Exercise, Recorder, button


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
        story = widgets.HTML(
            f'<div class="wb-vignette"><h4>{inline(vignette.title)}</h4>{content_note(vignette.content_notes)}'
            f"<p><i>{inline(vignette.client)}</i></p>{prose(vignette.body)}</div>"
        )
        self.children = [
            story,
            widgets.HTML("<b>Which of these signs do you see in this case? Tick all that apply.</b>"),
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
        result = score_spot_signs(self.catalog, self.vignette, self.chosen)
        self.save({"chosen": self.chosen, "score": result.score})
        self.feedback.value = spot_feedback(result)

    def _refill(self) -> None:
        saved = self.recorder.latest(self.exercise, self.item)
        if saved is None:
            return
        for sign, box in self.boxes.items():
            box.value = sign in saved.answer.get("chosen", [])
        self.feedback.value = spot_feedback(score_spot_signs(self.catalog, self.vignette, self.chosen))
        self.status.value = f'<span class="wb-saved">Your saved answer from {saved.time[:16].replace("T", " ")}</span>'
