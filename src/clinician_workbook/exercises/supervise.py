"""Supervisor feedback on one trainee answer: rubric ratings, a comment and one next step.

Saved to the trainee's store with role ``supervisor`` and the supervisor's name, as a new
attempt (exercise ``feedback``, item ``<exercise>/<item>``): the trainee's own attempts are
never touched. Shown again when the notebook runs again, and in the trainee's review export.
"""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from ..clock import local_time
from ..content.models import SkillCriterion
from ..feedback import criterion_name
from ..markup import inline, spoken
from ..responses.answers import FeedbackAnswer, read_answer
from .base import Exercise, HTMLView, Recorder, button, scale

NOT_RATED = "–"
ANCHOR = Markup("<li><b>{}</b> {}</li>")
UNSENT = Markup(
    '<span class="wb-saved" data-saved="{}">Saved here {}</span> '
    '<span class="wb-hint">but not sent to the hub service: {}. Your next save sends it again.</span>'
)
RUBRIC = Markup("<b>{}</b><details><summary>Rubric anchors</summary><ul>{}</ul></details>")


class FeedbackForm(Exercise):
    exercise = "feedback"
    saved_label = "Saved"

    def __init__(
        self, recorder: Recorder, target: str, shown: Markup, criteria: list[SkillCriterion] | None = None
    ) -> None:
        """``target`` is ``<exercise>/<item>`` of the trainee answer; ``shown`` the HTML showing it."""
        super().__init__(recorder, target)
        self.ratings = {
            c.id: scale(f"Your rating of the answer for {spoken(criterion_name(c))}, 0 to 4", NOT_RATED)
            for c in criteria or []
        }
        rows: list[widgets.Widget] = []
        for c in criteria or []:
            anchors = Markup().join(ANCHOR.format(k, inline(v)) for k, v in sorted(c.anchors.items()))
            rows += [
                HTMLView(RUBRIC.format(inline(criterion_name(c)), anchors)),
                self.ratings[c.id],
            ]
        self.comment = widgets.Textarea(placeholder="Your comment for the trainee", layout=widgets.Layout(width="100%"))
        self.next_step = widgets.Text(placeholder="One concrete next step", layout=widgets.Layout(width="100%"))
        self.save_button = button("Save feedback")
        self.save_button.on_click(self.guarded(self._on_save))
        self.children = [HTMLView(shown), *rows, self.comment, self.next_step, self.save_button, self.status]
        self.guarded(self._refill)()

    def _refill(self) -> None:
        previous = self.recorder.latest(self.exercise, self.item)
        note = read_answer(self.exercise, "supervisor", previous.answer) if previous is not None else None
        if previous is None or not isinstance(note, FeedbackAnswer):
            return
        for cid, value in note.ratings.items():
            if cid in self.ratings:
                self.ratings[cid].value = str(value)
        self.comment.value = note.comment
        self.next_step.value = note.next_step
        self.status.value = Markup('<span class="wb-saved">Feedback saved {}</span>').format(
            self.shown_time(previous.time)
        )

    def _on_save(self, _: object = None) -> None:
        answer = {
            "ratings": {cid: int(w.value) for cid, w in self.ratings.items() if w.value != NOT_RATED},
            "comment": self.comment.value.strip(),
            "next_step": self.next_step.value.strip(),
        }
        if not (answer["ratings"] or answer["comment"] or answer["next_step"]):
            self.status.value = '<span class="wb-hint">Rate, comment or give a next step first.</span>'
            return
        attempt = self.save(answer)
        unsent = getattr(self.recorder, "unsent", None)  # on a hub: why it did not reach the service
        if unsent:
            self.status.value = UNSENT.format(attempt.time, local_time(attempt.time), unsent)
