"""POST api/feedback/{trainee}: supervisor rows only, authored by the caller, answers checked, uid-deduplicated."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Service
from .helpers import feedback_row


@pytest.fixture
def ada_handed_in(service: Service, handin_of: Any) -> Service:
    assert service.post("api/handins", "ada", handin_of("ada")).status == 201
    return service


def test_feedback_is_stored_and_sent_back_in_order(ada_handed_in: Service) -> None:
    rows = [feedback_row("sam", "first"), feedback_row("sam", "second")]
    reply = ada_handed_in.post("api/feedback/ada", "sam", {"attempts": rows})
    assert reply.status == 201 and reply.json() == {"added": 2, "skipped_existing": 0}
    back = ada_handed_in.get("api/feedback/ada", "ada").json()
    assert [r["answer"]["comment"] for r in back["attempts"]] == ["first", "second"]
    assert [r["uid"] for r in back["attempts"]] == [r["uid"] for r in rows]


def test_the_same_rows_again_are_skipped(ada_handed_in: Service) -> None:
    rows = [feedback_row("sam")]
    ada_handed_in.post("api/feedback/ada", "sam", {"attempts": rows})
    again = ada_handed_in.post("api/feedback/ada", "sam", {"attempts": [*rows, feedback_row("sam")]})
    assert again.json() == {"added": 1, "skipped_existing": 1}
    assert len(ada_handed_in.storage.feedback("ada")) == 2


def test_an_author_other_than_the_caller_is_refused(ada_handed_in: Service) -> None:
    rows = [feedback_row("sam"), feedback_row("sue")]
    reply = ada_handed_in.post("api/feedback/ada", "sam", {"attempts": rows})
    assert reply.status == 400
    assert reply.json()["problems"] == [
        {
            "where": "feedback",
            "line": None,
            "field": "attempts[1].author",
            "message": "must be you ('sam'), not 'sue': feedback is saved under its author's name",
        }
    ]
    assert ada_handed_in.storage.feedback("ada") == []  # nothing partial: the good row is not kept either


def test_a_trainee_row_is_not_feedback(ada_handed_in: Service) -> None:
    row = feedback_row("sam", role="trainee", exercise="knowledge-check", answer={"choice": 1})
    reply = ada_handed_in.post("api/feedback/ada", "sam", {"attempts": [row]})
    assert reply.status == 400 and reply.message == "feedback: attempts[0].role: must be 'supervisor', not 'trainee'"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"answer": {}}, "attempts[0].answer", "give a rating, a comment or a next step"),
        ({"answer": {"ratings": {"c": 9}}}, "attempts[0].answer.ratings.c", "must be at most 4"),
        ({"exercise": "respond"}, "attempts[0].exercise", "a supervisor saves only 'feedback', not 'respond'"),
        ({"uid": "xyz"}, "attempts[0].uid", "must be 32 lowercase hex characters, not 'xyz'"),
    ],
)
def test_answers_are_checked_like_an_import(
    ada_handed_in: Service, changes: dict[str, Any], field: str, message: str
) -> None:
    reply = ada_handed_in.post("api/feedback/ada", "sam", {"attempts": [feedback_row("sam", **changes)]})
    assert reply.status == 400
    assert reply.json()["problems"][0] == {"where": "feedback", "line": None, "field": field, "message": message}
    assert ada_handed_in.storage.feedback("ada") == []


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"attempts": [], "trainee": "ada"}', b'{"rows": []}', b"\xff"],
)
def test_a_body_that_is_not_an_attempts_object_is_refused(ada_handed_in: Service, body: bytes) -> None:
    reply = ada_handed_in.post("api/feedback/ada", "sam", body)
    assert reply.status == 400 and reply.message.startswith("feedback: ")
    assert ada_handed_in.storage.feedback("ada") == []


def test_feedback_for_someone_you_do_not_supervise(service: Service, handin_of: Any) -> None:
    assert service.post("api/handins", "cy", handin_of("cy")).status == 201
    reply = service.post("api/feedback/cy", "sam", {"attempts": [feedback_row("sam")]})
    assert reply.status == 403 and reply.message == "'sam' does not supervise 'cy': no feedback from you here"
    assert service.storage.feedback("cy") == []
    assert service.post("api/feedback/cy", "sue", {"attempts": [feedback_row("sue")]}).status == 201


def test_oversize_feedback_is_413(ada_handed_in: Service) -> None:
    from .conftest import MAX_BYTES

    reply = ada_handed_in.post("api/feedback/ada", "sam", b" " * (MAX_BYTES + 1))
    assert reply.status == 413 and ada_handed_in.storage.feedback("ada") == []
