"""Pure scoring and feedback for every exercise. Never imports ipywidgets.

Each function takes content items and the trainee's answer and returns a frozen result with
the score and the feedback to show. Same input, same result: triage in particular is scored
deterministically against the answer key, and nothing here predicts or rates a risk level.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

from .content.catalog import Catalog
from .content.models import (
    DIFFICULTIES,
    URGENCIES,
    URGENCY_LABELS,
    Difficulty,
    KnowledgeCheck,
    Strategy,
    StrategyMatch,
    TriageCase,
    Vignette,
    WrongChoice,
    flatten,
)
from .responses.answers import (
    Answer,
    ClassifyAnswer,
    KnowledgeCheckAnswer,
    ReflectAnswer,
    RespondAnswer,
    SpotSignsAnswer,
    StrategyMatchAnswer,
    TriageAnswer,
    read_answer,
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
    rupture_note: str | None = None  # the case's own reason, where it could be read two ways

    @property
    def score(self) -> float:
        return (self.challenge_correct + self.rupture_correct) / 2


_RUPTURE_WHY = {
    "withdrawal": "the client moves away from the work or the relationship (going quiet, shifting topic, "
    "over-agreeing, missing sessions, or wanting to stop said politely)",
    "confrontation": "the client moves against the therapist or the work (complaints, defensiveness, "
    "pressure for solutions, or wanting to stop said as a complaint)",
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
        vignette.rupture_why,
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


def distinct_steps(steps: Sequence[Sequence[str]], keep: Callable[[str], bool] = bool) -> list[list[str]]:
    """``steps`` with each action once (at its first step), only those ``keep`` accepts, no empty step."""
    seen: set[str] = set()
    found: list[list[str]] = []
    for step in steps:
        fresh = [a for a in dict.fromkeys(step) if a not in seen and keep(a)]
        seen.update(fresh)
        if fresh:
            found.append(fresh)
    return found


def steps_from_numbers(numbers: Mapping[str, int]) -> list[list[str]]:
    """``{action: position}`` -> steps; actions given the same number form one step (a tie)."""
    by_number: dict[int, list[str]] = {}
    for action, number in numbers.items():
        by_number.setdefault(number, []).append(action)
    return [sorted(by_number[n]) for n in sorted(by_number)]


Severity = Literal["safety-critical", "important"]


@dataclass(frozen=True)
class FlaggedChoice:
    choice: str  # the action or urgency chosen; "" for key steps left out
    label: str
    why: str
    severity: Severity


@dataclass(frozen=True)
class TriageResult:
    urgency: str
    expected_urgency: str
    urgency_verdict: Literal["right", "more-than-needed", "wrong"]
    expected_steps: list[list[str]]
    chosen_steps: list[list[str]]  # only actions the case offers
    included: list[str]
    missing: list[str]
    wrong: list[str]  # offered actions that are not right for this case
    not_needed: list[str]  # bring the supervisor in sooner than needed: shown, never counted against
    fine: list[str]  # the case's acceptable actions: fine to do, outside the key, never counted against
    out_of_order: list[tuple[str, str]]  # (a, b): the key puts a before b; the trainee did not
    order_score: float  # share of the key's precedences (between chosen actions) kept
    safety_critical: list[FlaggedChoice] = field(default_factory=list)
    important: list[FlaggedChoice] = field(default_factory=list)

    @property
    def urgency_correct(self) -> bool:
        return self.urgency_verdict == "right"

    @property
    def expected_actions(self) -> list[str]:
        return flatten(self.expected_steps)

    @property
    def together(self) -> list[list[str]]:
        """The steps where the trainee put several actions together (ties they gave)."""
        return [step for step in self.chosen_steps if len(step) > 1]

    @property
    def score(self) -> float:
        """0..1: urgency, coverage of the key and order weigh equally; each wrong action costs 0.1.

        An urgency that only brings the supervisor in sooner than needed earns half the urgency
        credit; actions that only do that cost nothing.
        """
        urgency = {"right": 1.0, "more-than-needed": 0.5, "wrong": 0.0}[self.urgency_verdict]
        coverage = len(self.included) / len(self.expected_actions)
        raw = (urgency + coverage + self.order_score) / 3 - 0.1 * len(self.wrong)
        return round(max(0.0, min(1.0, raw)), 3)

    @property
    def passed(self) -> bool:
        """Urgency met (or exceeded by checking with the supervisor), the whole key, nothing wrong."""
        return (
            self.urgency_verdict != "wrong"
            and not self.missing
            and not self.wrong
            and not self.safety_critical
            and not self.important
        )


def triage_options(case: TriageCase, seed: int) -> list[str]:
    """The actions offered for a case: the key mixed with its distractors and acceptable actions."""
    return shuffled([*case.key_actions, *case.distractor_actions, *case.acceptable_actions], seed, case.id)


def score_triage(catalog: Catalog, case: TriageCase, urgency: str, steps: Sequence[Sequence[str]]) -> TriageResult:
    """Score an answer against the case's key, a partial order of steps.

    Only the precedences the key states count (an action of one step before an action of a
    later step); order inside a key step is free. A tie the trainee gives on a precedence the
    key states is not that precedence kept. Choices the case lists as safety-critical or
    important are reported with their reason; choosing to bring the supervisor in sooner than
    the case needs is never scored as an error.
    """
    if urgency not in URGENCIES:
        raise ValueError(f"unknown urgency {urgency!r}")
    offered = set(case.key_actions) | set(case.distractor_actions) | set(case.acceptable_actions)
    chosen = distinct_steps(steps, offered.__contains__)  # what the case does not offer is never scored or shown
    picked = flatten(chosen)
    key_rank = {a: n for n, step in enumerate(case.actions) for a in step}
    my_rank = {a: n for n, step in enumerate(chosen) for a in step}
    included = [a for a in picked if a in key_rank]
    ordered = sorted(
        (
            (a, b) if key_rank[a] < key_rank[b] else (b, a)
            for a, b in combinations(included, 2)
            if key_rank[a] != key_rank[b]
        ),
        key=lambda pair: (key_rank[pair[0]], key_rank[pair[1]]),
    )
    out_of_order = [(a, b) for a, b in ordered if not my_rank[a] < my_rank[b]]
    order_score = 1.0 if not ordered else 1 - len(out_of_order) / len(ordered)
    labels = {a.id: a.text for a in catalog.triage_actions} | {tier: label for label, tier in URGENCY_LABELS}
    key_tier = URGENCIES.index(case.urgency)
    # Telling the supervisor late is no error when the answer also tells them in time.
    in_time = any(catalog.supervisor_tier(a) >= key_tier for a in picked)
    late = {a for a in picked if 0 <= catalog.supervisor_tier(a) < key_tier} if in_time else set()
    hits: list[FlaggedChoice] = []
    flagged: set[str] = set()
    severities: list[tuple[Severity, list[WrongChoice]]] = [
        ("safety-critical", case.safety_critical),
        ("important", case.important),
    ]
    for severity, wrongs in severities:
        for wrong in wrongs:
            if wrong.choice is not None:
                flagged.add(wrong.choice)
                if (wrong.choice in picked and wrong.choice not in late) or wrong.choice == urgency:
                    label = labels.get(wrong.choice, wrong.choice)
                    hits.append(FlaggedChoice(wrong.choice, label, wrong.why, severity))
            elif not set(wrong.missing) & set(picked):
                label = "Left out: " + " or ".join(labels.get(a, a) for a in wrong.missing)
                hits.append(FlaggedChoice("", label, wrong.why, severity))
    fine = [a for a in picked if a in case.acceptable_actions]
    needless = [
        a
        for a in picked
        if a not in key_rank
        and a not in fine
        and (a in late or (a not in flagged and catalog.supervisor_tier(a) >= key_tier))
    ]
    if urgency == case.urgency:
        verdict: Literal["right", "more-than-needed", "wrong"] = "right"
    elif urgency not in flagged and case.acts_sooner(urgency):
        verdict = "more-than-needed"
    else:
        verdict = "wrong"
    return TriageResult(
        urgency=urgency,
        expected_urgency=case.urgency,
        urgency_verdict=verdict,
        expected_steps=[list(step) for step in case.actions],
        chosen_steps=chosen,
        included=included,
        missing=[a for a in case.key_actions if a not in my_rank],
        wrong=[a for a in picked if a not in key_rank and a not in needless and a not in fine],
        not_needed=needless,
        fine=fine,
        out_of_order=out_of_order,
        order_score=round(order_score, 3),
        safety_critical=[h for h in hits if h.severity == "safety-critical"],
        important=[h for h in hits if h.severity == "important"],
    )


def score_triage_answer(catalog: Catalog, case: TriageCase, answer: Mapping[str, Any]) -> TriageResult | None:
    """Score a saved answer (either format); None when it is not a triage answer."""
    read = read_answer("triage", "trainee", answer)
    return score_triage(catalog, case, read.urgency, read.steps) if isinstance(read, TriageAnswer) else None


# -- single-choice items ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceResult:
    correct: bool
    chosen_explanation: str
    answer: str
    answer_explanation: str


def check_options(check: KnowledgeCheck, seed: int) -> list[int]:
    """The positions of a check's options in the order a trainee sees them (fixed by the seed)."""
    return [int(i) for i in shuffled([str(i) for i in range(len(check.options))], seed, check.id)]


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


def score_saved(catalog: Catalog, exercise: str, item: str, answer: Mapping[str, Any]) -> float | None:
    """The 0..1 score of a saved answer, or None where nothing is auto-scored (reflections) or
    the answer cannot be read. Review pages, progress and the cohort report all use this, so
    they agree with what the widget showed."""
    return assess_saved(catalog, exercise, item, answer)[1]


def answers_item(catalog: Catalog, exercise: str, item: str, answer: Mapping[str, Any]) -> bool:
    """Whether a saved answer can be read and answers ``item`` as the course offers it.

    What "done" counts (``curriculum.progress``): an answer that fits its model but points
    outside the course (a choice past the last option, a statement that is not this item)
    is shown as "could not be read", so it is not done either.
    """
    return assess_saved(catalog, exercise, item, answer)[0]


def assess_saved(catalog: Catalog, exercise: str, item: str, answer: Mapping[str, Any]) -> tuple[bool, float | None]:
    """(whether the answer answers ``item`` as offered, its score or None): one reading of it."""
    read = read_answer(exercise, "trainee", answer)
    if isinstance(read, RespondAnswer):
        fits = read.statement == item and item in catalog.items.get("client_statement", {})
        return fits, (sum(read.ratings.values()) / (4 * len(read.ratings)) if read.ratings else None)
    if isinstance(read, ReflectAnswer):
        return item in catalog.items.get("reflection_prompt", {}), None
    score = _score_read(catalog, read, item)
    return score is not None, score


def _score_read(catalog: Catalog, read: Answer | None, item: str) -> float | None:
    items = catalog.items
    if isinstance(read, SpotSignsAnswer) and item in items.get("vignette", {}):
        vignette = catalog.get("vignette", item, Vignette)
        if not set(read.chosen) & set(sign_options(vignette, 0)):
            return None  # none of the signs this case offers: not an answer to it
        return score_spot_signs(catalog, vignette, read.chosen).score
    if isinstance(read, ClassifyAnswer) and item in items.get("vignette", {}):
        return score_classify(catalog, catalog.get("vignette", item, Vignette), read.challenge, read.rupture).score
    if isinstance(read, KnowledgeCheckAnswer) and item in items.get("knowledge_check", {}):
        check = catalog.get("knowledge_check", item, KnowledgeCheck)
        return float(score_knowledge_check(check, read.choice).correct) if read.choice < len(check.options) else None
    if isinstance(read, StrategyMatchAnswer) and item in items.get("strategy_match", {}):
        match = catalog.get("strategy_match", item, StrategyMatch)
        if read.choice not in match_options(match, 0):
            return None
        return float(score_strategy_match(catalog, match, read.choice).correct)
    if isinstance(read, TriageAnswer) and item in items.get("triage_case", {}):
        case = catalog.get("triage_case", item, TriageCase)
        return score_triage(catalog, case, read.urgency, read.steps).score
    return None
