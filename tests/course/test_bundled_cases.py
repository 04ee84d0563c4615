"""The bundled course's own cases and keys: the review-table rows, the flags and warnings that
specific bundled cases must carry. The code behind them is tested on the fixture course in tests/unit."""

from __future__ import annotations

from typing import Any

import pytest

from clinician_workbook import session as session_module
from clinician_workbook.content import Catalog
from clinician_workbook.content.models import TriageCase
from clinician_workbook.feedback import case_help_seeking, triage_feedback
from clinician_workbook.render.review import Review
from clinician_workbook.responses import Attempt
from clinician_workbook.scoring import score_triage
from tests.factories import answer_with

pytestmark = pytest.mark.course


def shown(monkeypatch: pytest.MonkeyPatch, call: Any) -> str:
    """Everything a session method displays, as one HTML string."""
    out: list[str] = []
    monkeypatch.setattr(session_module, "display", lambda obj: out.append(getattr(obj, "data", "")))
    call()
    return "".join(out)


def _case(catalog: Catalog, case_id: str) -> TriageCase:
    return catalog.get("triage_case", case_id, TriageCase)


# The table of review item 1.1 (docs/review-log.md): the most dangerous choices, each of
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


def test_getting_help_at_once_is_one_group_in_the_imminent_danger_key(catalog: Catalog) -> None:
    case = _case(catalog, "triage-self-harm-clear")
    get_help = next(step for step in case.actions if "act-call-emergency-services" in step)
    assert {"act-stay-with-client", "act-contact-supervisor-now"} <= set(get_help)  # one group in the key
    steps = [["act-stay-with-client", "act-call-emergency-services"], ["act-contact-supervisor-now"]]
    result = score_triage(catalog, case, "immediate", steps)
    assert result.order_score == 1.0 and not result.out_of_order
    assert result.together == [["act-stay-with-client", "act-call-emergency-services"]]


@pytest.mark.parametrize("case_id", ["triage-lookalike-tearful", "triage-lookalike-missed-session"])
def test_these_look_alikes_offer_consulting_the_supervisor(catalog: Catalog, case_id: str) -> None:
    case = _case(catalog, case_id)
    consult = [a for a in case.distractor_actions if catalog.supervisor_tier(a) >= 0]
    assert consult
    result = score_triage(catalog, case, case.urgency, [*case.actions, consult])
    assert result.passed and result.score == 1.0 and result.not_needed == consult and not result.wrong


def test_calling_emergency_services_in_the_tearful_look_alike_is_a_mistake(catalog: Catalog) -> None:
    case = _case(catalog, "triage-lookalike-tearful")
    result = score_triage(catalog, case, case.urgency, [*case.actions, ["act-call-emergency-services"]])
    assert result.wrong == ["act-call-emergency-services"] and not result.passed


def test_next_supervision_is_important_on_the_unsafe_subtle_case(catalog: Catalog) -> None:
    case = _case(catalog, "triage-unsafe-subtle")
    result = score_triage(catalog, case, "next-supervision", case.actions)
    assert [c.choice for c in result.important] == ["next-supervision"] and not result.safety_critical


def test_most_triage_cases_carry_help_seeking(catalog: Catalog) -> None:
    assert sum(case_help_seeking(catalog, c) is not None for c in catalog.triage_cases) >= 8


def test_self_harm_subtle_review_shows_its_notes_and_help(catalog: Catalog) -> None:
    case = _case(catalog, "triage-self-harm-subtle")
    attempts = [
        Attempt(
            "a" * 32,
            "Ada",
            "2027-01-01T10:00:00+00:00",
            "when-concerning",
            "triage",
            case.id,
            {"urgency": case.urgency, "steps": case.actions},
        ),
    ]
    page = Review(catalog, "when-concerning", attempts, include_private=False).triage()
    section = page[page.index(case.title.replace('"', "&quot;")[:20]) :]
    assert "Content note:</b> suicide, self-harm, bereavement" in section
    assert "Where to get help" in section and "wb-critical" not in section


def test_welcome_lists_the_courses_heaviest_topics(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    page = shown(monkeypatch, session_module.Session("welcome", trainee="Ada", catalog=catalog).welcome)
    assert all(topic in page for topic in ("suicide", "self-harm", "pregnancy loss", "bereavement"))


def test_red_flag_page_carries_the_self_harm_note(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    page = shown(monkeypatch, session_module.Session("when-concerning", trainee="Ada", catalog=catalog).red_flags)
    assert "Content note:</b> suicide, self-harm" in page


def test_bundled_course_passes_the_severity_rules(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("validate")
    assert result.code == 0 and result.out.startswith("content OK"), result.err
