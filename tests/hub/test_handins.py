"""POST api/handins: validated like `workbook responses import`, bounded, kept per attempt, never partial."""

from __future__ import annotations

import hashlib
import http.client
import json
from typing import Any

import pytest

from clinician_workbook.errors import HandinError
from clinician_workbook.responses.handin import read_handin_bytes

from .conftest import MAX_BYTES, PREFIX, Service
from .helpers import edited, edited_row, feedback_row


def problems_of(raw: bytes) -> list[dict[str, Any]]:
    """What `responses import` reports for ``raw`` (read_handin_bytes, the same checks), as the service sends it."""
    with pytest.raises(HandinError) as caught:
        read_handin_bytes(raw, "hand-in")
    return [{"where": p.path, "line": p.line, "field": p.field, "message": p.message} for p in caught.value.problems]


def test_a_hand_in_is_stored_as_received_and_numbered(service: Service, handin_of: Any) -> None:
    body = handin_of("ada")
    reply = service.post("api/handins", "ada", body)
    assert reply.status == 201
    created = reply.json()
    answers = len(json.loads(body)["attempts"])
    assert created["trainee"] == "ada" and created["attempt"] == 1 and created["answers"] == answers > 0
    assert created["received"].endswith("+00:00")
    fetched = service.get("api/handins/ada/1", "ada")
    assert fetched.body == body and fetched.headers["Content-Type"] == "application/json"


def test_attempts_are_kept_and_never_overwritten(service: Service, handin_of: Any) -> None:
    first = handin_of("ada")
    second = edited_row(first, 0, time="2025-01-01T00:00:00+00:00")  # a different, later export
    assert service.post("api/handins", "ada", first).json()["attempt"] == 1
    assert service.post("api/handins", "ada", second).json()["attempt"] == 2
    assert hashlib.sha256(service.get("api/handins/ada/1", "ada").body).digest() == hashlib.sha256(first).digest()
    assert service.get("api/handins/ada/2", "ada").body == second
    assert service.get("api/handins/ada/latest", "ada").body == second
    listed = service.get("api/handins/ada", "ada").json()["handins"]
    assert [h["attempt"] for h in listed] == [1, 2]
    assert listed[0]["received"] <= listed[1]["received"]


def test_the_same_document_twice_is_two_attempts(service: Service, handin_of: Any) -> None:
    body = handin_of("ada")
    assert [service.post("api/handins", "ada", body).json()["attempt"] for _ in range(3)] == [1, 2, 3]
    assert service.storage.count_handins() == 3


def test_attempts_are_numbered_per_trainee(service: Service, handin_of: Any) -> None:
    assert service.post("api/handins", "ada", handin_of("ada")).json()["attempt"] == 1
    assert service.post("api/handins", "bob", handin_of("bob")).json()["attempt"] == 1
    assert service.post("api/handins", "ada", handin_of("ada")).json()["attempt"] == 2


def test_someone_elses_hand_in_is_refused(service: Service, handin_of: Any) -> None:
    reply = service.post("api/handins", "bob", handin_of("ada"))
    assert reply.status == 403
    assert reply.json() == {
        "message": "hand-in: trainee: is 'ada', but you are 'bob': hand in your own work",
        "problems": [
            {
                "where": "hand-in",
                "line": None,
                "field": "trainee",
                "message": "is 'ada', but you are 'bob': hand in your own work",
            }
        ],
    }
    assert service.storage.count_handins() == 0


MALFORMED = {
    "not UTF-8": lambda doc: b'{"format": "\xff"}',
    "not JSON": lambda doc: doc[:-20],
    "empty": lambda doc: b"",
    "an array": lambda doc: b"[]",
    "NaN": lambda doc: doc.replace(b'"version": 1', b'"version": NaN'),
    "wrong format": lambda doc: edited(doc, format="something-else"),
    "wrong version": lambda doc: edited(doc, version=2),
    "no attempts": lambda doc: edited(doc, attempts="none"),
    "a supervisor row": lambda doc: edited(doc, attempts=[*json.loads(doc)["attempts"], feedback_row("sam")]),
    "a bad answer": lambda doc: edited_row(doc, 1, answer={"chosen": []}),
    "an unknown field": lambda doc: edited_row(doc, 0, colour="blue"),
    "a time in the future": lambda doc: edited_row(doc, 2, time="2999-01-01T00:00:00+00:00"),
    "a duplicate uid": lambda doc: edited_row(doc, 3, uid=json.loads(doc)["attempts"][0]["uid"]),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_hand_in_is_refused_with_the_import_problems_and_nothing_stored(
    service: Service, handin_of: Any, case: str
) -> None:
    body = MALFORMED[case](handin_of("ada"))
    reply = service.post("api/handins", "ada", body)
    assert reply.status == 400, reply.body
    expected = problems_of(body)
    got = reply.json()
    assert got["problems"] == expected
    first = expected[0]
    located = f"{first['where']}:{first['line']}" if first["line"] else first["where"]
    assert got["message"] == (
        f"{located}: {first['field']}: {first['message']}" if first["field"] else f"{located}: {first['message']}"
    )
    assert "\n" not in got["message"]
    assert service.storage.count_handins() == 0
    assert service.get("api/handins/ada", "ada").json()["handins"] == []


def test_a_supervisor_row_is_named_by_its_place(service: Service, handin_of: Any) -> None:
    doc = handin_of("ada")
    count = len(json.loads(doc)["attempts"])
    reply = service.post("api/handins", "ada", MALFORMED["a supervisor row"](doc))
    assert reply.json()["problems"] == [
        {
            "where": "hand-in",
            "line": None,
            "field": f"attempts[{count}].role",
            "message": "a hand-in holds only the trainee's own answers, not 'supervisor' rows",
        }
    ]


def test_every_problem_is_listed_not_only_the_first(service: Service, handin_of: Any) -> None:
    body = edited_row(edited_row(handin_of("ada"), 0, colour="blue"), 4, answer="yes")
    fields = [p["field"] for p in service.post("api/handins", "ada", body).json()["problems"]]
    assert fields == ["attempts[0].colour", "attempts[4].answer"]


def test_an_oversize_hand_in_is_413_from_its_content_length(service: Service) -> None:
    body = b" " * (MAX_BYTES + 1)
    reply = service.post("api/handins", "ada", body)
    assert reply.status == 413
    assert reply.message == "larger than 262144 bytes: not stored (the service's --max-bytes)"
    assert service.storage.count_handins() == 0


def test_a_hand_in_at_the_limit_is_read(service: Service, handin_of: Any) -> None:
    body = handin_of("ada")
    padded = body[:-1] + b" " * (MAX_BYTES - len(body)) + body[-1:]
    assert len(padded) == MAX_BYTES
    assert service.post("api/handins", "ada", padded).status == 201


def test_an_oversize_content_length_is_refused_before_the_body_is_sent(service: Service) -> None:
    """The 413 comes from the header alone: a client that has not sent a byte of the body gets it."""
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=10)
    connection.putrequest("POST", PREFIX + "api/handins")
    connection.putheader("Authorization", f"token {service.hub.token_of['ada']}")
    connection.putheader("Content-Length", str(MAX_BYTES + 1))
    connection.endheaders()  # and no body
    response = connection.getresponse()
    assert response.status == 413
    response.read()
    connection.close()
    assert service.storage.count_handins() == 0


def test_an_oversize_chunked_hand_in_is_413_too(service: Service) -> None:
    """No Content-Length (chunked): the bytes are counted as they arrive and not kept past the limit."""
    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    chunks = (b"x" * 65536 for _ in range(MAX_BYTES // 65536 + 2))
    headers = {"Authorization": f"token {service.hub.token_of['ada']}"}
    connection.request("POST", PREFIX + "api/handins", body=chunks, headers=headers, encode_chunked=True)
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["message"].startswith("larger than")
    connection.close()
    assert service.storage.count_handins() == 0


def test_an_oversize_hand_in_from_nobody_is_401_not_read(service: Service) -> None:
    reply = service.post("api/handins", None, b" " * (MAX_BYTES + 1))
    assert reply.status == 401
