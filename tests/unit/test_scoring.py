"""Pure scoring: deterministic, key-based, safety-critical answers flagged."""

from __future__ import annotations

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.scoring import (
    next_difficulty,
    score_classify,
    score_knowledge_check,
    score_spot_signs,
    score_strategy_match,
    score_triage,
    sign_options,
    triage_options,
)


def test_spot_signs_perfect_and_empty(catalog: Catalog) -> None:
    vignette = catalog.vignettes[0]
    key = [s.sign for s in vignette.signs_present]
    perfect = score_spot_signs(catalog, vignette, key)
    assert perfect.score == 1.0 and perfect.missed == 0 and perfect.false_alarms == 0
    assert all(v.evidence for v in perfect.verdicts if v.present)
    nothing = score_spot_signs(catalog, vignette, [])
    assert nothing.hits == 0 and nothing.missed == len(key)
    assert nothing.score == pytest.approx(len(vignette.distractors) / (len(key) + len(vignette.distractors)), abs=1e-3)
    everything = score_spot_signs(catalog, vignette, sign_options(vignette, 0))
    assert everything.false_alarms == len(vignette.distractors)


def test_options_order_is_fixed_by_seed(catalog: Catalog) -> None:
    vignette = catalog.vignettes[0]
    assert sign_options(vignette, 3) == sign_options(vignette, 3)
    assert sorted(sign_options(vignette, 3)) == sorted(sign_options(vignette, 4))


def test_classify(catalog: Catalog) -> None:
    vignette = next(v for v in catalog.vignettes if v.rupture == "withdrawal")
    right = score_classify(catalog, vignette, vignette.challenges[0], "withdrawal")
    assert right.score == 1.0
    wrong = score_classify(
        catalog,
        vignette,
        "feeling-stuck" if vignette.challenges[0] != "feeling-stuck" else "resistance-avoidance",
        "confrontation",
    )
    assert wrong.score == 0.0 and "withdrawal" in wrong.why_rupture


@pytest.mark.parametrize(
    ("current", "felt", "ratings", "expected"),
    [
        ("beginner", "too easy", [1, 1], "intermediate"),
        ("beginner", "about right", [2, 3], "beginner"),
        ("beginner", "about right", [3, 4], "intermediate"),
        ("intermediate", "too hard", [4, 4], "beginner"),
        ("beginner", "too hard", [0, 0], "beginner"),
        ("advanced", "too easy", [4, 4], "advanced"),
    ],
)
def test_difficulty_steps(current: str, felt: str, ratings: list[int], expected: str) -> None:
    assert next_difficulty(current, felt, ratings) == expected  # type: ignore[arg-type]


def test_triage_key_scores_full(catalog: Catalog) -> None:
    case = next(c for c in catalog.triage_cases if c.id == "triage-self-harm-clear")
    result = score_triage(catalog, case, case.urgency, case.actions)
    assert result.passed and result.score == 1.0 and not result.safety_critical


def test_triage_safety_critical_choices_are_flagged(catalog: Catalog) -> None:
    case = next(c for c in catalog.triage_cases if c.id == "triage-self-harm-clear")
    critical = {c.choice for c in case.safety_critical}
    actions = [a for a in critical if a.startswith("act-")]
    tier = next(c for c in critical if not c.startswith("act-"))
    result = score_triage(catalog, case, tier, [*case.actions[:2], *actions])
    assert {c.choice for c in result.safety_critical} == critical
    assert not result.passed and not result.urgency_correct
    assert all(c.why for c in result.safety_critical)


def test_triage_order_and_missing(catalog: Catalog) -> None:
    case = next(c for c in catalog.triage_cases if len(c.actions) >= 3 and c.variant == "clear")
    backwards = score_triage(catalog, case, case.urgency, list(reversed(case.actions)))
    assert backwards.order_score == 0.0 and not backwards.missing
    partial = score_triage(catalog, case, case.urgency, case.actions[:1])
    assert partial.missing == case.actions[1:] and partial.order_score == 1.0
    assert partial.score < 1.0
    assert sorted(triage_options(case, 1)) == sorted([*case.actions, *case.distractor_actions])


def test_every_triage_key_passes_and_is_deterministic(catalog: Catalog) -> None:
    for case in catalog.triage_cases:
        first = score_triage(catalog, case, case.urgency, case.actions)
        assert first.passed, case.id
        assert first == score_triage(catalog, case, case.urgency, case.actions)


def test_choice_items(catalog: Catalog) -> None:
    check = catalog.knowledge_checks[0]
    right = next(i for i, o in enumerate(check.options) if o.correct)
    assert score_knowledge_check(check, right).correct
    assert not score_knowledge_check(check, (right + 1) % len(check.options)).correct
    match = catalog.strategy_matches[0]
    assert score_strategy_match(catalog, match, match.answer).correct
    assert not score_strategy_match(catalog, match, match.options[0]).correct
