"""Pure scoring and feedback for every exercise. Never imports ipywidgets.

Each function takes content items and the trainee's answer and returns a frozen result with
the score and the feedback to show. Same input, same result: triage in particular is scored
deterministically against the answer key, and nothing here predicts or rates a risk level.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

from .content.catalog import Catalog
from .content.models import (
    DIFFICULTIES,
    URGENCIES,
    Difficulty,
    KnowledgeCheck,
    Strategy,
    StrategyMatch,
    TriageCase,
    Vignette,
)

Felt = Literal["too easy", "about right", "too hard"]
FELT: tuple[Felt, ...] = ("too easy", "about right", "too hard")


def shuffled(items: Sequence[str], seed: int, salt: str) -> list[str]:
    """``items`` in an order fixed by (seed, salt): the same for a trainee on every run."""
    order = list(items)
    random.Random(f"{seed}:{salt}").shuffle(order)
    return order


# -- spot the signs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignVerdict:
    sign: str
    label: str
    chosen: bool
    present: bool
    evidence: str | None  # the sentence that shows it, when present
    observe: str  # what a clinician would observe, to explain a distractor

    @property
    def correct(self) -> bool:
        return self.chosen == self.present


@dataclass(frozen=True)
class SpotResult:
    verdicts: list[SignVerdict]
    hits: int
    missed: int
    false_alarms: int
    score: float  # share of signs judged right (ticked if present, left if absent)


def sign_options(vignette: Vignette, seed: int) -> list[str]:
    """The signs offered for a vignette: the answer key mixed with its distractors."""
    ids = [s.sign for s in vignette.signs_present] + list(vignette.distractors)
    return shuffled(ids, seed, vignette.id)


def score_spot_signs(catalog: Catalog, vignette: Vignette, chosen: Sequence[str]) -> SpotResult:
    evidence = {s.sign: s.evidence for s in vignette.signs_present}
    picked = set(chosen)
    verdicts = []
    for sign_id in [s.sign for s in vignette.signs_present] + list(vignette.distractors):
        sign = catalog.sign(sign_id)
        verdicts.append(
            SignVerdict(
                sign_id,
                sign.text,
                sign_id in picked,
                sign_id in evidence,
                evidence.get(sign_id),
                sign.observe,
            )
        )
    hits = sum(v.chosen and v.present for v in verdicts)
    missed = sum(v.present and not v.chosen for v in verdicts)
    false_alarms = sum(v.chosen and not v.present for v in verdicts)
    score = sum(v.correct for v in verdicts) / len(verdicts)
    return SpotResult(verdicts, hits, missed, false_alarms, round(score, 3))


# -- classify ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassifyResult:
    challenge_correct: bool
    rupture_correct: bool
    expected_challenge: str
    expected_rupture: str
    why_challenge: str
    why_rupture: str

    @property
    def score(self) -> float:
        return (self.challenge_correct + self.rupture_correct) / 2


_RUPTURE_WHY = {
    "withdrawal": "the client moves away from the work or the relationship (going quiet, shifting topic, "
    "over-agreeing, missing sessions)",
    "confrontation": "the client moves against the therapist or the work (complaints, defensiveness, "
    "pressure for solutions, threatening to stop)",
    "none": "nothing in the exchange strains the working relationship itself",
}


def score_classify(catalog: Catalog, vignette: Vignette, challenge: str, rupture: str) -> ClassifyResult:
    expected = vignette.challenges[0]
    signs = [catalog.sign(s.sign) for s in vignette.signs_present]
    listed = "; ".join(s.text.rstrip(".") for s in signs)
    why_challenge = f"The signs in this case ({listed}) belong to '{catalog.challenge(expected).title}'."
    why_rupture = f"This is '{vignette.rupture}': {_RUPTURE_WHY[vignette.rupture]}."
    return ClassifyResult(
        challenge == expected,
        rupture == vignette.rupture,
        expected,
        vignette.rupture,
        why_challenge,
        why_rupture,
    )


# -- respond (deliberate practice) ------------------------------------------------------------


def next_difficulty(current: Difficulty, felt: Felt, self_ratings: Sequence[int]) -> Difficulty:
    """Step up, stay or step down after a round of deliberate practice.

    "too hard" steps down; "too easy" steps up; "about right" stays, unless the trainee rated
    every criterion 3 or more, which shows enough mastery to step up.
    """
    index = DIFFICULTIES.index(current)
    if felt == "too hard":
        index -= 1
    elif felt == "too easy" or (self_ratings and min(self_ratings) >= 3):
        index += 1
    return DIFFICULTIES[max(0, min(index, len(DIFFICULTIES) - 1))]


def step_word(before: Difficulty, after: Difficulty) -> str:
    delta = DIFFICULTIES.index(after) - DIFFICULTIES.index(before)
    return "step up" if delta > 0 else "step down" if delta < 0 else "stay"


# -- triage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriticalError:
    choice: str
    label: str
    why: str


@dataclass(frozen=True)
class TriageResult:
    urgency_correct: bool
    expected_urgency: str
    expected_actions: list[str]
    included: list[str]
    missing: list[str]
    wrong: list[str]
    order_score: float  # share of pairs of chosen correct actions in the key's order
    safety_critical: list[CriticalError] = field(default_factory=list)

    @property
    def score(self) -> float:
        """0..1: urgency, coverage of the key and order weigh equally; each wrong action costs 0.1."""
        coverage = len(self.included) / len(self.expected_actions)
        raw = (self.urgency_correct + coverage + self.order_score) / 3 - 0.1 * len(self.wrong)
        return round(max(0.0, min(1.0, raw)), 3)

    @property
    def passed(self) -> bool:
        return self.urgency_correct and not self.missing and not self.wrong and not self.safety_critical


def triage_options(case: TriageCase, seed: int) -> list[str]:
    """The actions offered for a case: the key mixed with its distractors."""
    return shuffled([*case.actions, *case.distractor_actions], seed, case.id)


def score_triage(catalog: Catalog, case: TriageCase, urgency: str, ordered: Sequence[str]) -> TriageResult:
    if urgency not in URGENCIES:
        raise ValueError(f"unknown urgency {urgency!r}")
    key = list(case.actions)
    included = [a for a in ordered if a in key]
    positions = [key.index(a) for a in included]
    pairs = list(combinations(positions, 2))
    order_score = 1.0 if not pairs else sum(a < b for a, b in pairs) / len(pairs)
    labels = {a.id: a.text for a in catalog.triage_actions}
    critical = [
        CriticalError(c.choice, labels.get(c.choice, f"urgency: {c.choice}"), c.why)
        for c in case.safety_critical
        if c.choice in ordered or c.choice == urgency
    ]
    return TriageResult(
        urgency_correct=urgency == case.urgency,
        expected_urgency=case.urgency,
        expected_actions=key,
        included=included,
        missing=[a for a in key if a not in ordered],
        wrong=[a for a in ordered if a not in key],
        order_score=round(order_score, 3),
        safety_critical=critical,
    )


# -- single-choice items ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceResult:
    correct: bool
    chosen_explanation: str
    answer: str
    answer_explanation: str


def score_knowledge_check(check: KnowledgeCheck, chosen: int) -> ChoiceResult:
    right = next(o for o in check.options if o.correct)
    picked = check.options[chosen]
    return ChoiceResult(picked.correct, picked.explanation, right.text, right.explanation)


def match_options(match: StrategyMatch, seed: int) -> list[str]:
    return shuffled([match.answer, *match.options], seed, match.id)


def score_strategy_match(catalog: Catalog, match: StrategyMatch, chosen: str) -> ChoiceResult:
    answer = catalog.get("strategy", match.answer, Strategy)
    return ChoiceResult(chosen == match.answer, match.why, answer.title, answer.text)


# -- saved answers ----------------------------------------------------------------------------


def score_saved(catalog: Catalog, exercise: str, item: str, answer: dict[str, Any]) -> float | None:
    """The 0..1 score of a saved answer, or None where nothing is auto-scored (reflections).

    Used by review pages and the cohort report, so both agree with what the widget showed.
    """
    items = catalog.items
    if exercise == "spot-signs" and item in items.get("vignette", {}):
        return score_spot_signs(catalog, catalog.get("vignette", item, Vignette), answer.get("chosen", [])).score
    if exercise == "classify" and item in items.get("vignette", {}):
        vignette = catalog.get("vignette", item, Vignette)
        return score_classify(catalog, vignette, str(answer.get("challenge")), str(answer.get("rupture"))).score
    if exercise == "respond" and isinstance(answer.get("ratings"), dict) and answer["ratings"]:
        return sum(int(v) for v in answer["ratings"].values()) / (4 * len(answer["ratings"]))
    if exercise == "knowledge-check" and item in items.get("knowledge_check", {}):
        check = catalog.get("knowledge_check", item, KnowledgeCheck)
        choice = answer.get("choice")
        if isinstance(choice, int) and 0 <= choice < len(check.options):
            return float(score_knowledge_check(check, choice).correct)
    if exercise == "strategy-match" and item in items.get("strategy_match", {}):
        match = catalog.get("strategy_match", item, StrategyMatch)
        return float(score_strategy_match(catalog, match, str(answer.get("choice"))).correct)
    if exercise == "triage" and item in items.get("triage_case", {}) and answer.get("urgency") in URGENCIES:
        case = catalog.get("triage_case", item, TriageCase)
        return score_triage(catalog, case, str(answer["urgency"]), [str(a) for a in answer.get("actions", [])]).score
    return None
