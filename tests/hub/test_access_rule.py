"""Who may see whom: the rule itself (access.decide) and the hub directory that feeds it."""

from __future__ import annotations

import asyncio
import time

import pytest

from clinician_workbook.hub.access import HubDirectory, HubUnavailable, decide

from .conftest import Loop, Service
from .fakehub import SERVICE_TOKEN

GROUPS = {
    "cohort-a": frozenset({"ada", "bob", "sam"}),
    "cohort-b": frozenset({"cy", "sue", "sam2"}),
    "supervisors": frozenset({"sam", "sue"}),
    "workbook-admins": frozenset({"wanda"}),
}


def rule(name: str, hub_admin: bool = False) -> object:
    return decide(name, hub_admin, GROUPS, supervisors_group="supervisors", admins_group="workbook-admins")


def test_a_trainee_sees_only_their_own_work() -> None:
    ada = rule("ada")
    assert (ada.admin, ada.supervisor, ada.trainees) == (False, False, frozenset())
    assert ada.may_read("ada") and not ada.may_read("bob") and not ada.may_read("cy")
    assert not ada.may_give_feedback("ada") and not ada.sees_trainees


def test_a_supervisor_sees_the_cohorts_they_share_and_not_themselves() -> None:
    sam = rule("sam")
    assert sam.supervisor and not sam.admin
    assert sam.trainees == {"ada", "bob"}
    assert sam.may_read("ada") and sam.may_give_feedback("bob") and not sam.may_read("cy")
    assert not sam.may_give_feedback("sam")  # never feedback on your own work


def test_sharing_only_the_supervisors_group_is_not_supervising() -> None:
    assert "sue" not in rule("sam").trainees and "sam" not in rule("sue").trainees


def test_a_cohort_member_not_in_the_supervisors_group_supervises_nobody() -> None:
    sam2 = rule("sam2")  # in cohort-b, not a supervisor
    assert not sam2.supervisor and sam2.trainees == frozenset() and not sam2.may_read("cy")


def test_admins_are_hub_admins_or_the_admins_group() -> None:
    for access in (rule("root", hub_admin=True), rule("wanda")):
        assert access.admin and access.sees_trainees
        assert access.may_read("ada") and access.may_give_feedback("cy")


def test_other_group_names_are_honoured() -> None:
    custom = decide(
        "ada",
        False,
        {"leads": frozenset({"ada"}), "c": frozenset({"ada", "bob"})},
        supervisors_group="leads",
        admins_group="x",
    )
    assert custom.supervisor and custom.trainees == {"bob"}


def test_groups_are_read_page_by_page_once_while_fresh(service: Service, loop: Loop) -> None:
    directory = HubDirectory(service.settings.directory.api_url, SERVICE_TOKEN, max_age=30)

    async def many() -> list[object]:
        return list(await asyncio.gather(*(directory.access("sam") for _ in range(30))))

    found = loop.run(many())
    assert all(a == found[0] for a in found)
    assert found[0].trainees == {"ada", "bob", "eve"}  # type: ignore[attr-defined]
    # 4 groups at 2 per page (the fake hub's max_limit): 2 requests, once for 30 callers
    assert service.hub.calls["groups"] == 2
    assert service.hub.calls["users"] == 1


def test_a_change_of_groups_shows_once_the_cache_expires(service: Service, loop: Loop) -> None:
    api = service.settings.directory.api_url
    directory = HubDirectory(api, SERVICE_TOKEN, max_age=0.2)
    assert loop.run(directory.access("ada")).trainees == frozenset()
    service.hub.groups["supervisors"].add("ada")
    assert loop.run(directory.access("ada")).supervisor is False  # still cached
    time.sleep(0.25)
    assert loop.run(directory.access("ada")).trainees == {"bob", "sam", "eve"}


def test_a_hub_that_refuses_the_service_token_is_reported(service: Service, loop: Loop) -> None:
    directory = HubDirectory(service.settings.directory.api_url, "not-the-service-token")
    with pytest.raises(HubUnavailable) as refused:
        loop.run(directory.access("ada"))
    assert str(refused.value) == (
        "the hub answered 403 to GET groups (the service's role needs "
        "list:users, read:users, list:groups, read:groups, read:users:groups)"
    )
    assert service.get("api/me", "ada").status == 200  # the service's own token still works


def test_the_service_says_so_when_the_hub_is_unreachable(service: Service, loop: Loop) -> None:
    service.settings.directory.api_url = "http://127.0.0.1:9/hub/api/"  # nothing listens on port 9
    reply = service.get("api/me", "ada")
    assert reply.status == 502
    assert reply.message.startswith("cannot read the hub's groups: cannot reach the hub API")
