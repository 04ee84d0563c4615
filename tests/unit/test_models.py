"""Single-item rules of the content model."""

from __future__ import annotations

import pickle

import pytest
from pydantic import ValidationError

from clinician_workbook.content.models import KnowledgeCheck, Sign, SkillCriterion, TriageCase
from clinician_workbook.content.validate import references_of
from clinician_workbook.errors import ContentError, Problem, WorkbookError


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Sign.model_validate(
            {
                "id": "s",
                "text": "t",
                "observe": "o",
                "rupture": "none",
                "review": "draft",
                "colour": "red",
            }
        )


def test_reviewed_needs_reviewer_and_draft_has_none() -> None:
    base = {"id": "s", "text": "t", "observe": "o", "rupture": "none"}
    with pytest.raises(ValidationError, match="needs both reviewer"):
        Sign.model_validate({**base, "review": "reviewed"})
    with pytest.raises(ValidationError, match="a draft item has no reviewer"):
        Sign.model_validate({**base, "review": "draft", "reviewer": "Someone"})
    ok = Sign.model_validate({**base, "review": "reviewed", "reviewer": "Dr A", "reviewed_on": "2026-01-01"})
    assert ok.reviewer == "Dr A"


def test_anchors_zero_to_four() -> None:
    anchors = {i: f"level {i}" for i in range(5)}
    criterion = SkillCriterion.model_validate(
        {"id": "c", "challenge": "x", "text": "t", "anchors": anchors, "review": "draft"}
    )
    assert criterion.anchors[4] == "level 4"
    with pytest.raises(ValidationError):
        SkillCriterion.model_validate(
            {
                "id": "c",
                "challenge": "x",
                "text": "t",
                "anchors": {0: "a", 4: "b"},
                "review": "draft",
            }
        )


def test_one_correct_option() -> None:
    option = {"text": "a", "explanation": "e"}
    with pytest.raises(ValidationError, match="exactly one option"):
        KnowledgeCheck.model_validate(
            {
                "id": "k",
                "challenge": "x",
                "question": "q",
                "options": [option, option],
                "review": "draft",
            }
        )


def test_references_are_found_in_nested_fields() -> None:
    case = TriageCase.model_validate(
        {
            "id": "t",
            "title": "T",
            "red_flag": "rf-a",
            "variant": "clear",
            "urgency": "same-day",
            "actions": ["act-a", ["act-b", "act-d"]],
            "distractor_actions": ["act-c"],
            "rationale": "r",
            "help_seeking": "h",
            "body": "b",
            "review": "draft",
        }
    )
    assert case.actions == [["act-a"], ["act-b", "act-d"]]  # a bare id is a step of one
    assert case.key_actions == ["act-a", "act-b", "act-d"]
    refs = sorted((loc, kind, target) for loc, kind, target in references_of(case))
    assert refs == [
        (("actions", 0, 0), "triage_action", "act-a"),
        (("actions", 1, 0), "triage_action", "act-b"),
        (("actions", 1, 1), "triage_action", "act-d"),
        (("distractor_actions", 0), "triage_action", "act-c"),
        (("red_flag",), "red_flag", "rf-a"),
    ]


def test_content_error_is_a_value_error_and_pickles() -> None:
    error = ContentError([Problem("b.yaml", 2, "id", "x"), Problem("a.yaml", None, "", "y")])
    assert isinstance(error, WorkbookError) and isinstance(error, ValueError)
    assert str(error) == "a.yaml: y\nb.yaml:2: id: x"
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems
