"""Every route against every kind of caller: the trainee, another trainee, their supervisor, another
cohort's supervisor, a hub admin, a workbook admin, a user without the access scope, nobody.

The service checks a real token lookup (JupyterHub's HubOAuth asks the fake hub's /hub/api/user)
and the real access rule (groups from the fake hub's /hub/api/groups); see fakehub.py.
"""

from __future__ import annotations

import json

import pytest

from .conftest import Service
from .helpers import feedback_row

EVERYONE = ["ada", "bob", "cy", "sam", "sue", "root", "wanda", "eve", None]
# who may read ada's hand-ins and feedback: ada, her supervisor sam, the two kinds of admin
READERS = {"ada": 200, "sam": 200, "root": 200, "wanda": 200}


def expected(who: str | None, allowed: dict[str, int]) -> int:
    if who is None:
        return 401
    return allowed.get(who, 403)


def hand_in_some(service: Service, handin_of: object) -> Service:
    """``ada`` has handed in twice, ``cy`` once; sam has left ada one feedback row."""
    for name, times in (("ada", 2), ("cy", 1)):
        for _ in range(times):
            assert service.post("api/handins", name, handin_of(name)).status == 201  # type: ignore[operator]
    assert service.post("api/feedback/ada", "sam", {"attempts": [feedback_row("sam")]}).status == 201
    return service


@pytest.fixture
def handed_in(service: Service, handin_of: object) -> Service:
    return hand_in_some(service, handin_of)


@pytest.fixture(scope="module")
def handed_in_once(shared_service: Service, handin_of: object) -> Service:
    """The same, set up once for the tests that only read."""
    return hand_in_some(shared_service, handin_of)


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("path", ["api/handins/ada", "api/handins/ada/1", "api/handins/ada/latest", "api/feedback/ada"])
def test_reading_a_trainees_work(handed_in_once: Service, path: str, who: str | None) -> None:
    reply = handed_in_once.get(path, who)
    assert reply.status == expected(who, READERS), reply.body
    assert reply.headers["Cache-Control"] == "no-store"  # answers and refusals alike
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    if reply.status == 200:
        body = reply.json()
        assert body["trainee"] == "ada"
    else:
        assert b"ada" not in reply.body or who is not None  # a 401 says nothing about ada
        assert "attempts" not in reply.json() and "handins" not in reply.json()


@pytest.mark.parametrize("who", EVERYONE)
def test_giving_feedback(handed_in: Service, who: str | None) -> None:
    author = who or "nobody"
    reply = handed_in.post("api/feedback/ada", who, {"attempts": [feedback_row(author)]})
    assert reply.status == expected(who, {"sam": 201, "root": 201, "wanda": 201}), reply.body
    stored = handed_in.storage.feedback("ada")
    assert len(stored) == (2 if reply.status == 201 else 1)
    if reply.status == 403 and who == "ada":
        assert "does not supervise" in reply.message


@pytest.mark.parametrize("who", EVERYONE)
def test_listing_trainees(handed_in_once: Service, who: str | None) -> None:
    reply = handed_in_once.get("api/trainees", who)
    allowed = {"sam": 200, "sue": 200, "root": 200, "wanda": 200}
    assert reply.status == expected(who, allowed), reply.body
    if reply.status != 200:
        return
    rows = {row["trainee"]: row for row in reply.json()["trainees"]}
    if who == "sam":
        assert set(rows) == {"ada", "bob", "eve"}
        assert rows["ada"]["latest"]["attempt"] == 2 and rows["ada"]["feedback"] == 1
        assert rows["bob"]["latest"] is None
    elif who == "sue":
        assert set(rows) == {"cy"} and rows["cy"]["latest"]["attempt"] == 1 and rows["cy"]["feedback"] == 0
    else:  # admins: everyone who handed in
        assert set(rows) == {"ada", "cy"}


@pytest.mark.parametrize("who", EVERYONE)
def test_me(shared_service: Service, who: str | None) -> None:
    reply = shared_service.get("api/me", who)
    assert reply.status == (401 if who is None else 403 if who == "eve" else 200)
    if reply.status != 200:
        return
    me = reply.json()
    assert me["name"] == who
    assert me["admin"] is (who in ("root", "wanda"))
    assert me["supervisor"] is (who in ("sam", "sue"))
    assert me["trainees"] == {"sam": ["ada", "bob", "eve"], "sue": ["cy"]}.get(who, [])


@pytest.mark.parametrize("who", [None, "eve"])
def test_handing_in_needs_a_token_with_access_to_the_service(
    service: Service, handin_of: object, who: str | None
) -> None:
    reply = service.post("api/handins", who, handin_of(who or "ada"))  # type: ignore[operator]
    assert reply.status == (401 if who is None else 403)
    assert service.storage.count_handins() == 0
    if who == "eve":
        assert reply.message == "'eve' may not use this service (needs access:services!service=workbook)"


def test_a_services_token_is_not_a_trainee(service: Service) -> None:
    service.hub.add_service("grader")
    reply = service.get("api/me", "service:grader")
    assert reply.status == 403
    assert reply.message == "only hub users hand in and give feedback, not the service 'grader'"


def test_an_unknown_or_revoked_token_is_401(service: Service) -> None:
    reply = service.get("api/me", headers={"Authorization": "token not-a-token"})
    assert reply.status == 401
    assert set(reply.json()) == {"message"} and "not logged in" in reply.message


def test_a_login_cookie_that_is_not_accepted_is_401_saying_so(service: Service) -> None:
    cookie = service.settings.hub_auth.cookie_name
    reply = service.call("POST", "api/feedback/ada", headers={"Cookie": f"{cookie}=forged"}, body=b"{}")
    assert reply.status == 401
    assert reply.message == "login cookie not accepted (expired, or no _xsrf token with this request): reload the page"


def test_unknown_attempt_and_trainee_without_hand_ins(handed_in: Service) -> None:
    assert handed_in.get("api/handins/ada/3", "ada").status == 404
    assert handed_in.get("api/handins/ada/3", "ada").message == "no attempt 3 from 'ada'"
    assert handed_in.get("api/handins/bob/latest", "sam").status == 404
    assert handed_in.get("api/handins/bob", "sam").json() == {"trainee": "bob", "handins": []}
    # refused before looked up: a trainee learns nothing about another's attempts
    assert handed_in.get("api/handins/bob/3", "ada").status == 403
    # feedback for a trainee with nothing handed in: nothing to attach it to
    reply = handed_in.post("api/feedback/bob", "sam", {"attempts": [feedback_row("sam")]})
    assert reply.status == 404 and handed_in.storage.feedback("bob") == []


def test_names_in_the_path_are_url_decoded(service: Service, handin_of: object) -> None:
    service.hub.add_user("Zoë Ann", "cohort-a")
    body = handin_of("Zoë Ann")  # type: ignore[operator]
    reply = service.post("api/handins", "Zoë Ann", body)
    assert reply.status == 201, reply.body
    assert service.get("api/handins/Zo%C3%AB%20Ann", "sam").json()["handins"][0]["attempt"] == 1
    assert service.get("api/handins/Zo%C3%AB%20Ann/1", "bob").status == 403


def test_feedback_document_reads_back_as_a_backup(handed_in: Service) -> None:
    from clinician_workbook.responses.handin import read_handin_bytes

    raw = handed_in.get("api/feedback/ada", "ada").body
    trainee, attempts = read_handin_bytes(raw, "feedback", backup=True)
    assert trainee == "ada" and [a.role for a in attempts] == ["supervisor"] and attempts[0].author == "sam"
    assert json.loads(raw)["format"] == "clinician-workbook-responses"
