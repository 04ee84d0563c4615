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


def _case(catalog: Catalog, case_id: str) -> TriageCase:
    return catalog.get("triage_case", case_id, TriageCase)


# The table of review 1.1 (../shared/clinical-review-1.md): the most dangerous choices, each of
# which must be flagged safety-critical on its case. Also used by the report's misses test.
SAFETY_TABLE = [
    ("triage-self-harm-clear", "routine"),
    ("triage-self-harm-clear", "next-supervision"),
    ("triage-self-harm-clear", "act-tell-supervisor-today"),
    ("triage-self-harm-subtle", "act-wait-until-next-session"),
    ("triage-self-harm-subtle", "routine"),
    ("triage-self-harm-subtle", "next-supervision"),
    ("triage-worsening-clear", "act-keep-to-yourself"),
    ("triage-function-clear", "act-end-session-as-usual"),
    ("triage-function-subtle", "act-wait-until-next-session"),
    ("triage-worsening-subtle", "act-end-session-as-usual"),
    ("triage-unsafe-subtle", "act-defend-yourself"),
    ("triage-unsafe-subtle", "routine"),
    ("triage-unsafe-clear", "routine"),
    ("triage-unsafe-clear", "act-normalise-and-continue"),
]


def answer_with(catalog: Catalog, case: TriageCase, choice: str) -> tuple[str, list[list[str]]]:
    """The key's answer with ``choice`` made instead: an urgency instead of the key's, an action as
    a last step (a late supervisor action instead of the key's timely ones)."""
    key = [list(step) for step in case.actions]
    if choice in URGENCIES:
        return choice, key
    if catalog.supervisor_tier(choice) >= 0:
        in_time = URGENCIES.index(case.urgency)
        key = [kept for step in key if (kept := [a for a in step if catalog.supervisor_tier(a) < in_time])]
    return case.urgency, [*key, [choice]]


def test_triage_key_scores_full(catalog: Catalog) -> None:
    for case in catalog.triage_cases:
        result = score_triage(catalog, case, case.urgency, case.actions)
        assert result.passed and result.score == 1.0 and not result.safety_critical, case.id
        assert result == score_triage(catalog, case, case.urgency, case.actions)  # deterministic


@pytest.mark.parametrize(("case_id", "choice"), SAFETY_TABLE)
def test_review_table_choice_is_safety_critical(catalog: Catalog, case_id: str, choice: str) -> None:
    case = _case(catalog, case_id)
    urgency, steps = answer_with(catalog, case, choice)
    result = score_triage(catalog, case, urgency, steps)
    assert choice in {c.choice for c in result.safety_critical}
    assert not result.passed
    assert "wb-critical" in triage_feedback(catalog, case, result)


def test_routine_with_a_safety_plan_on_imminent_danger_is_flagged(catalog: Catalog) -> None:
    # the reproduction in the issue: urgency routine, only a safety plan and a record
    case = _case(catalog, "triage-self-harm-clear")
    result = score_triage(catalog, case, "routine", [["act-safety-plan"], ["act-record-session"]])
    assert "routine" in {c.choice for c in result.safety_critical}
    assert result.score < 0.4 and not result.passed
    # a safety plan while waiting for help is fine to do (review 1.3); relying on it alone is not
    assert result.fine == ["act-safety-plan"] and result.missing


@pytest.mark.parametrize(
    ("case_id", "kept"),
    [
        ("triage-self-harm-clear", ["act-listen-and-acknowledge", "act-explain-confidentiality-limits"]),
        ("triage-self-harm-subtle", ["act-listen-and-acknowledge", "act-ask-directly", "act-safety-plan"]),
    ],
)
def test_leaving_out_getting_help_on_a_self_harm_case_is_safety_critical(
    catalog: Catalog, case_id: str, kept: list[str]
) -> None:
    case = _case(catalog, case_id)
    result = score_triage(catalog, case, case.urgency, [kept, ["act-record-session"]])
    left_out = [c for c in result.safety_critical if c.label.startswith("Left out:")]
    assert left_out and not result.passed
    assert "Left out:" in triage_feedback(catalog, case, result)


@pytest.mark.parametrize(
    ("case_id", "late"),
    [("triage-self-harm-clear", "act-tell-supervisor-today"), ("triage-unsafe-subtle", "act-raise-next-supervision")],
)
def test_telling_the_supervisor_again_later_is_no_error(catalog: Catalog, case_id: str, late: str) -> None:
    case = _case(catalog, case_id)
    result = score_triage(catalog, case, case.urgency, [*case.actions, [late]])
    assert result.passed and result.score == 1.0 and result.not_needed == [late]
    assert not result.safety_critical and not result.important


def test_acting_at_once_on_a_self_harm_disclosure_is_never_an_error(catalog: Catalog) -> None:
    case = _case(catalog, "triage-self-harm-subtle")
    result = score_triage(catalog, case, "immediate", case.actions)
    assert result.urgency_verdict == "more-than-needed" and result.passed


def test_a_tie_inside_a_key_group_scores_full_order(catalog: Catalog) -> None:
    case = _case(catalog, "triage-self-harm-clear")
    get_help = next(step for step in case.actions if "act-call-emergency-services" in step)
    assert {"act-stay-with-client", "act-contact-supervisor-now"} <= set(get_help)  # one group in the key
    steps = [["act-stay-with-client", "act-call-emergency-services"], ["act-contact-supervisor-now"]]
    result = score_triage(catalog, case, "immediate", steps)
    assert result.order_score == 1.0 and not result.out_of_order
    assert result.together == [["act-stay-with-client", "act-call-emergency-services"]]
    assert "You did these together" in triage_feedback(catalog, case, result)


def test_ties_across_key_steps_do_not_earn_order_credit(catalog: Catalog) -> None:
    case = _case(catalog, "triage-self-harm-clear")
    first, second, *_ = case.actions
    all_first = [[first[0], second[0], "act-record-session"]]  # three actions all numbered 1
    result = score_triage(catalog, case, "immediate", all_first)
    assert result.order_score == 0.0
    assert (first[0], second[0]) in result.out_of_order
    assert "The key puts" in triage_feedback(catalog, case, result)


def test_only_the_keys_precedences_count(catalog: Catalog) -> None:
    case = _case(catalog, "triage-self-harm-clear")
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


@pytest.mark.parametrize("case_id", ["triage-lookalike-tearful", "triage-lookalike-missed-session"])
def test_consulting_the_supervisor_in_a_look_alike_is_never_an_error(catalog: Catalog, case_id: str) -> None:
    case = _case(catalog, case_id)
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
    case = _case(catalog, "triage-lookalike-tearful")
    result = score_triage(catalog, case, case.urgency, [*case.actions, ["act-call-emergency-services"]])
    assert result.wrong == ["act-call-emergency-services"] and not result.passed


def test_important_is_amber_not_red(catalog: Catalog) -> None:
    case = _case(catalog, "triage-unsafe-subtle")
    result = score_triage(catalog, case, "next-supervision", case.actions)
    assert [c.choice for c in result.important] == ["next-supervision"] and not result.safety_critical
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
    assert sum(case_help_seeking(catalog, c) is not None for c in catalog.triage_cases) >= 8


def test_actions_a_case_does_not_offer_are_ignored(catalog: Catalog) -> None:
    case = _case(catalog, "triage-lookalike-tearful")
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


def _with_acceptable(catalog: Catalog, case_id: str) -> tuple[TriageCase, str]:
    """A copy of a case that also offers one acceptable action (no supervisor timing)."""
    case = _case(catalog, case_id)
    taken = {*case.key_actions, *case.distractor_actions, *(w.choice for w in case.safety_critical + case.important)}
    extra = next(a.id for a in catalog.triage_actions if a.id not in taken and a.tells_supervisor is None)
    return case.model_copy(update={"acceptable_actions": [*case.acceptable_actions, extra]}), extra


def test_an_acceptable_action_is_offered_and_never_counted_against(catalog: Catalog) -> None:
    case, extra = _with_acceptable(catalog, "triage-lookalike-plateau")
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
    vignette = catalog.vignettes[0].model_copy(update={"rupture_why": "Said *gently*, so withdrawal."})
    result = score_classify(catalog, vignette, vignette.challenges[0], "confrontation")
    shown = classify_feedback(result)
    assert "Said <em>gently</em>, so withdrawal." in shown and "wanting to stop said politely" in shown
    plain = score_classify(catalog, catalog.vignettes[0].model_copy(update={"rupture_why": None}), "x", "none")
    assert "gently" not in classify_feedback(plain)
