"""Reflect: a prompt worked through the Gibbs cycle; private unless the trainee shares it."""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from ..content.models import ReflectionPrompt
from ..markup import inline
from ..render import privacy_notice
from ..responses.answers import ReflectAnswer, read_answer
from .base import DraftKeeper, Exercise, HTMLView, Recorder, button

STAGES = [
    ("description", "What happened?"),
    ("feelings", "What were you thinking and feeling?"),
    ("evaluation", "What was good and bad about it?"),
    ("analysis", "What sense can you make of it?"),
    ("conclusion", "What else could you have done?"),
    ("action_plan", "What will you do next time?"),
]


class Reflect(Exercise):
    exercise = "reflect"

    def __init__(self, prompt: ReflectionPrompt, recorder: Recorder, privacy: str) -> None:
        super().__init__(recorder, prompt.id)
        self.prompt = prompt
        guide = prompt.stages.model_dump()
        self.texts = {
            key: widgets.Textarea(placeholder=guide[key], layout=widgets.Layout(width="100%", height="4.5em"))
            for key, _ in STAGES
        }
        self.share = widgets.Checkbox(value=False, description="Share this reflection with my supervisor", indent=False)
        self.save_button = button("Save my reflection")
        self.save_button.on_click(self.guarded(self._on_save))
        rows: list[widgets.Widget] = []
        for key, title in STAGES:
            rows += [
                HTMLView(Markup("<b>{}</b> <small>{}</small>").format(title, inline(guide[key]))),
                self.texts[key],
            ]
        self.children = [
            HTMLView(Markup("<h4>{}</h4><p>{}</p>").format(inline(prompt.title), inline(prompt.prompt))),
            HTMLView('<p class="wb-private">🔒 Private: only you see this, unless you tick “share” below.</p>'),
            HTMLView(privacy_notice(privacy)),
            *rows,
            self.share,
            self.save_button,
            self.status,
        ]
        self.drafts = DraftKeeper(self, self.texts)
        self.guarded(self._refill)()

    def _on_save(self, _: object = None) -> None:
        stages = {key: box.value.strip() for key, box in self.texts.items()}
        if not any(stages.values()):
            self.status.value = '<span class="wb-hint">Write something in at least one stage first.</span>'
            return
        self.save({"stages": stages}, shared=bool(self.share.value))

    def _refill(self) -> None:
        saved = self.recorder.latest(self.exercise, self.item)
        answer = read_answer(self.exercise, "trainee", saved.answer) if saved is not None else None
        if saved is not None and isinstance(answer, ReflectAnswer):
            stages = answer.stages.model_dump()
            for key in self.texts:
                self.drafts.set_quietly(key, stages[key])
            self.share.value = bool(saved.shared)
        self.drafts.refill()  # typed after the last save and never saved: newer than the saved text
