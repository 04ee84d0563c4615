"""Pure scoring: deterministic, key-based, safety-critical answers flagged."""

from __future__ import annotations

from typing import Any

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.content.models import URGENCIES, TriageCase
from clinician_workbook.feedback import case_help_seeking, classify_feedback, triage_feedback
from clinician_workbook.responses.answers import TriageAnswer, read_answer
from clinician_workbook.scoring import (
    check_options,
    distinct_steps,
    next_difficulty,
    score_classify,
    score_knowledge_check,
    score_spot_signs,
    score_strategy_match,
    score_triage,
    sign_options,
    steps_from_numbers,
    triage_options,
)
from tests.factories import answer_with


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
    other = next(c.id for c in catalog.challenges if c.id not in vignette.challenges)
    wrong = score_classify(catalog, vignette, other, "confrontation")
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


def _self_harm_case(catalog: Catalog) -> TriageCase:
    return next(c for c in catalog.triage_cases if c.self_harm)


def _look_alike(catalog: Catalog) -> TriageCase:
    return next(c for c in catalog.triage_cases if c.variant == "look-alike")


def _grouped_case(catalog: Catalog) -> TriageCase:
    """A case whose key has a group of actions done together, after at least two single steps."""
    return next(c for c in catalog.triage_cases if any(len(step) > 1 for step in c.actions) and len(c.actions) > 2)


def _declared_choices(catalog: Catalog) -> list[tuple[str, str]]:
    """Every (case, choice) the course flags safety-critical."""
    return [(c.id, w.choice) for c in catalog.triage_cases for w in c.safety_critical if w.choice]


def test_triage_key_scores_full(catalog: Catalog) -> None:
    for case in catalog.triage_cases:
        result = score_triage(catalog, case, case.urgency, case.actions)
        assert result.passed and result.score == 1.0 and not result.safety_critical, case.id
        assert result == score_triage(catalog, case, case.urgency, case.actions)  # deterministic


def test_every_declared_safety_critical_choice_is_flagged(catalog: Catalog) -> None:
    declared = _declared_choices(catalog)
    assert {choice in URGENCIES for _, choice in declared} == {True, False}  # urgencies and actions both
    for case_id, choice in declared:
        case = catalog.get("triage_case", case_id, TriageCase)
        urgency, steps = answer_with(catalog, case, choice)
        result = score_triage(catalog, case, urgency, steps)
        assert choice in {c.choice for c in result.safety_critical}, (case_id, choice)
        assert not result.passed, (case_id, choice)
        assert "wb-critical" in triage_feedback(catalog, case, result), (case_id, choice)


def test_routine_with_only_an_acceptable_action_on_a_self_harm_case_is_flagged(catalog: Catalog) -> None:
    # the shape of the reproduction: urgency routine, only an acceptable action and the last key step
    case = _self_harm_case(catalog)
    assert case.acceptable_actions
    fine, last = case.acceptable_actions[0], case.actions[-1]
    result = score_triage(catalog, case, "routine", [[fine], list(last)])
    assert "routine" in {c.choice for c in result.safety_critical}
    assert result.score < 0.4 and not result.passed
    # an acceptable action is fine to do; relying on it alone is not
    assert result.fine == [fine] and result.missing


def test_leaving_out_getting_help_on_a_self_harm_case_is_safety_critical(catalog: Catalog) -> None:
    case = _self_harm_case(catalog)
    kept = [a for a in case.key_actions if catalog.supervisor_tier(a) < 0]  # everything but the supervisor
    result = score_triage(catalog, case, case.urgency, [kept])
    left_out = [c for c in result.safety_critical if c.label.startswith("Left out:")]
    assert left_out and not result.passed
    assert "Left out:" in triage_feedback(catalog, case, result)


def test_telling_the_supervisor_again_later_is_no_error(catalog: Catalog) -> None:
    # flagged when it replaces the key's timely supervisor action, not when it follows it
    case = _self_harm_case(catalog)
    timely = max(catalog.supervisor_tier(a) for a in case.key_actions)
    late = next(a for a in case.distractor_actions if 0 <= catalog.supervisor_tier(a) < timely)
    assert late in {w.choice for w in case.safety_critical}
    result = score_triage(catalog, case, case.urgency, [*case.actions, [late]])
    assert result.passed and result.score == 1.0 and result.not_needed == [late]
    assert not result.safety_critical and not result.important


def test_acting_at_once_on_a_self_harm_disclosure_is_never_an_error(catalog: Catalog) -> None:
    case = _self_harm_case(catalog)
    assert case.urgency != "immediate"
    result = score_triage(catalog, case, "immediate", case.actions)
    assert result.urgency_verdict == "more-than-needed" and result.passed


def test_a_tie_inside_a_key_group_scores_full_order(catalog: Catalog) -> None:
    case = _grouped_case(catalog)
    group = next(step for step in case.actions if len(step) > 1)
    before = case.actions[: case.actions.index(group)]
    steps = [*before, list(reversed(group))]  # the group's actions given together, in either order
    result = score_triage(catalog, case, case.urgency, steps)
    assert result.order_score == 1.0 and not result.out_of_order
    assert result.together == [list(reversed(group))]
    assert "You did these together" in triage_feedback(catalog, case, result)


def test_ties_across_key_steps_do_not_earn_order_credit(catalog: Catalog) -> None:
    case = _grouped_case(catalog)
    first, second, *_, last = case.actions
    all_first = [[first[0], second[0], last[0]]]  # three actions all numbered 1
    result = score_triage(catalog, case, "immediate", all_first)
    assert result.order_score == 0.0
    assert (first[0], second[0]) in result.out_of_order
    assert "The key puts" in triage_feedback(catalog, case, result)


def test_only_the_keys_precedences_count(catalog: Catalog) -> None:
    case = _grouped_case(catalog)
    forwards = [list(step) for step in case.actions]
    shuffled_groups = [list(reversed(step)) for step in forwards]  # order inside groups is free
    assert score_triage(catalog, case, case.urgency, shuffled_groups).order_score == 1.0
    one_by_one = [[a] for step in shuffled_groups for a in step]  # groups split into a sequence: fine too
    assert score_triage(catalog, case, case.urgency, one_by_one).order_score == 1.0
    backwards = score_triage(catalog, case, case.urgency, list(reversed(one_by_one)))
    assert backwards.order_score == 0.0 and not backwards.missing
    partial = score_triage(catalog, case, case.urgency, case.actions[:1])
    assert partial.missing == case.key_actions[len(case.actions[0]) :] and partial.order_score == 1.0
    assert partial.score < 1.0
    offered = [*case.key_actions, *case.distractor_actions, *case.acceptable_actions]
    assert sorted(triage_options(case, 1)) == sorted(offered)


def test_consulting_the_supervisor_in_a_look_alike_is_never_an_error(catalog: Catalog) -> None:
    case = _look_alike(catalog)
    consult = [a for a in case.distractor_actions if catalog.supervisor_tier(a) >= 0]
    assert consult
    key = score_triage(catalog, case, case.urgency, case.actions)
    result = score_triage(catalog, case, case.urgency, [*case.actions, consult])
    assert result.passed and result.score == key.score == 1.0
    assert result.not_needed == consult and not result.wrong
    feedback = triage_feedback(catalog, case, result)
    assert "✗" not in feedback and "never wrong" in feedback and "Not needed here" in feedback
    higher = score_triage(catalog, case, "same-day", case.actions)  # the urgency too: checking in early
    assert higher.passed and higher.urgency_verdict == "more-than-needed"
    assert "✗" not in triage_feedback(catalog, case, higher)
    emergency = score_triage(catalog, case, "immediate", case.actions)  # not "checking": a real mistake
    assert not emergency.passed and emergency.urgency_verdict == "wrong"


def test_a_real_mistake_in_a_look_alike_still_counts(catalog: Catalog) -> None:
    case = _look_alike(catalog)
    mistake = next(a.id for a in catalog.triage_actions if a.id == "act-promise-confidentiality")
    case = case.model_copy(update={"distractor_actions": [*case.distractor_actions, mistake]})
    result = score_triage(catalog, case, case.urgency, [*case.actions, [mistake]])
    assert result.wrong == [mistake] and not result.passed


def test_important_is_amber_not_red(catalog: Catalog) -> None:
    case, tier = next(
        (c, w.choice) for c in catalog.triage_cases for w in c.important if w.choice in URGENCIES and c.red_flag
    )
    result = score_triage(catalog, case, tier, case.actions)
    assert [c.choice for c in result.important] == [tier] and not result.safety_critical
    feedback = triage_feedback(catalog, case, result)
    assert "wb-important" in feedback and "wb-critical" not in feedback and not result.passed


def test_help_seeking_follows_every_answer(catalog: Catalog) -> None:
    for case in catalog.triage_cases:
        help_text = case_help_seeking(catalog, case)
        for result in (
            score_triage(catalog, case, case.urgency, case.actions),
            score_triage(catalog, case, "routine", []),
        ):
            feedback = triage_feedback(catalog, case, result)
            assert (help_text is None) or "Where to get help" in feedback, case.id
    assert any(case_help_seeking(catalog, c) is not None for c in catalog.triage_cases)  # the check above bit


def test_actions_a_case_does_not_offer_are_ignored(catalog: Catalog) -> None:
    case = _look_alike(catalog)
    result = score_triage(catalog, case, case.urgency, [["no-such-action", *case.actions[0]], *case.actions[1:]])
    assert result.passed and "no-such-action" not in str(result)
    twice = score_triage(catalog, case, case.urgency, [*case.actions, case.actions[0]])
    assert twice.chosen_steps == [list(step) for step in case.actions] and twice.passed


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"urgency": "routine", "steps": [["a", "b"], ["c"]]}, [["a", "b"], ["c"]]),
        ({"urgency": "routine", "actions": ["a", "b"]}, [["a"], ["b"]]),  # saved before ties were kept
        ({"urgency": "routine", "steps": [["a", "b"], []]}, None),
        ({"urgency": "soon", "steps": [["a"]]}, None),
        ({"urgency": "routine", "steps": 5}, None),
        ({"urgency": "routine", "actions": 5}, None),
        ({"urgency": "routine", "steps": [["a", 5]]}, None),
        ({"urgency": "routine"}, None),
        ({"urgency": "routine", "steps": [["a"]], "safety_critical": ["x"]}, [["a"]]),  # an old snapshot: dropped
    ],
)
def test_saved_triage_answers_are_read_in_either_format(answer: dict[str, Any], expected: Any) -> None:
    read = read_answer("triage", "trainee", answer)
    assert (read.steps if isinstance(read, TriageAnswer) else None) == expected


def test_an_action_given_twice_counts_once(catalog: Catalog) -> None:
    assert distinct_steps([["a", "a"], ["a", "b"], []]) == [["a"], ["b"]]


def test_numbers_become_steps_and_ties_are_kept() -> None:
    assert steps_from_numbers({"b": 1, "a": 1, "c": 3}) == [["a", "b"], ["c"]]


def test_choice_items(catalog: Catalog) -> None:
    check = catalog.knowledge_checks[0]
    right = next(i for i, o in enumerate(check.options) if o.correct)
    assert score_knowledge_check(check, right).correct
    assert not score_knowledge_check(check, (right + 1) % len(check.options)).correct
    match = catalog.strategy_matches[0]
    assert score_strategy_match(catalog, match, match.answer).correct
    assert not score_strategy_match(catalog, match, match.options[0]).correct


def _with_acceptable(catalog: Catalog) -> tuple[TriageCase, str]:
    """A copy of a look-alike case that also offers one acceptable action (no supervisor timing)."""
    case = _look_alike(catalog)
    taken = {*case.key_actions, *case.distractor_actions, *(w.choice for w in case.safety_critical + case.important)}
    extra = next(a.id for a in catalog.triage_actions if a.id not in taken and a.tells_supervisor is None)
    return case.model_copy(update={"acceptable_actions": [*case.acceptable_actions, extra]}), extra


def test_an_acceptable_action_is_offered_and_never_counted_against(catalog: Catalog) -> None:
    case, extra = _with_acceptable(catalog)
    assert extra in triage_options(case, seed=3)
    result = score_triage(catalog, case, case.urgency, [*case.actions, [extra]])
    assert result.fine == [extra] and extra not in result.wrong and extra not in result.not_needed
    assert result.passed and result.score == 1.0
    shown = triage_feedback(catalog, case, result)
    assert "Fine to do here" in shown and "Not right for this case" not in shown
    assert score_triage(catalog, case, case.urgency, case.actions).fine == []


def test_knowledge_check_options_follow_the_seed_and_keep_their_index(catalog: Catalog) -> None:
    check = max(catalog.knowledge_checks, key=lambda k: len(k.options))
    orders = {tuple(check_options(check, seed)) for seed in range(12)}
    assert len(orders) > 1  # trainees see different orders
    for order in orders:
        assert sorted(order) == list(range(len(check.options)))  # every option, once
    assert check_options(check, 5) == check_options(check, 5)
    last_places = {check_options(check, seed)[-1] for seed in range(40)}
    assert any(check.options[i].correct for i in last_places)  # the right answer is sometimes last


def test_a_cases_own_rupture_reason_is_shown_with_the_verdict(catalog: Catalog) -> None:
    withdrawal = next(v for v in catalog.vignettes if v.rupture == "withdrawal")
    vignette = withdrawal.model_copy(update={"rupture_why": "Said *gently*, so withdrawal."})
    result = score_classify(catalog, vignette, vignette.challenges[0], "confrontation")
    shown = classify_feedback(result)
    assert "Said <em>gently</em>, so withdrawal." in shown and "wanting to stop said politely" in shown
    plain = score_classify(catalog, withdrawal.model_copy(update={"rupture_why": None}), "x", "none")
    assert "gently" not in classify_feedback(plain)
