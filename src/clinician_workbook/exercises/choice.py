"""Single-choice items: knowledge checks and strategy matching, with an explanation either way."""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from ..content.catalog import Catalog
from ..content.models import KnowledgeCheck, StrategyMatch
from ..feedback import choice_feedback
from ..markup import inline
from ..responses.answers import read_answer
from ..scoring import ChoiceResult, check_options, match_options, score_knowledge_check, score_strategy_match
from .base import Exercise, HTMLView, Recorder, button


class _Choice(Exercise):
    def _build(self, question: str, options: list[tuple[str, object]]) -> None:
        self.choice = widgets.RadioButtons(options=options, value=None, layout=widgets.Layout(width="auto"))
        self.check = button("Check")
        self.check.on_click(self.guarded(self._on_check))
        self.children = [
            HTMLView(Markup("<b>{}</b>").format(inline(question))),
            self.choice,
            self.check,
            self.status,
            self.feedback,
        ]
        self.guarded(self._refill)()

    def score(self) -> ChoiceResult:
        raise NotImplementedError

    def _on_check(self, _: object = None) -> None:
        if self.choice.value is None:
            self.status.value = '<span class="wb-hint">Choose an answer first.</span>'
            return
        result = self.score()
        self.save({"choice": self.choice.value})
        self.feedback.value = choice_feedback(result)

    def _refill(self) -> None:
        saved = self.recorder.latest(self.exercise, self.item)
        answer = read_answer(self.exercise, "trainee", saved.answer) if saved is not None else None
        choice = getattr(answer, "choice", None)
        if choice is not None and choice in [v for _, v in self.choice.options]:  # never another option
            self.choice.value = choice
            self.feedback.value = choice_feedback(self.score())


class KnowledgeCheckQuiz(_Choice):
    exercise = "knowledge-check"

    def __init__(self, check: KnowledgeCheck, recorder: Recorder, seed: int = 0) -> None:
        super().__init__(recorder, check.id)
        self.check_item = check
        # shown in the trainee's own order; the answer saved is the option's place in the content
        self._build(check.question, [(check.options[i].text, i) for i in check_options(check, seed)])

    def score(self) -> ChoiceResult:
        return score_knowledge_check(self.check_item, int(self.choice.value))


class StrategyMatchQuiz(_Choice):
    exercise = "strategy-match"

    def __init__(self, catalog: Catalog, match: StrategyMatch, recorder: Recorder, seed: int = 0) -> None:
        super().__init__(recorder, match.id)
        self.catalog, self.match = catalog, match
        titles = {s.id: s.title for s in catalog.strategies}
        question = f"{match.situation} Which strategy fits best?"
        self._build(question, [(titles[s], s) for s in match_options(match, seed)])

    def score(self) -> ChoiceResult:
        return score_strategy_match(self.catalog, self.match, str(self.choice.value))
