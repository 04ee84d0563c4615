"""Who may see whom, from JupyterHub's users and groups (the one access rule of the hub service).

- Every hub user is a trainee of their own work (hub name = trainee name).
- A supervisor is a member of the supervisors group; supervisor S supervises trainee T when T
  is not S and they share a group other than the supervisors and admins groups (a cohort).
- An admin is a hub admin or a member of the admins group, and sees everyone.

The hub is asked with the service's own token (scopes ``read:users``, ``list:groups``,
``read:groups``), never with the caller's: what a caller's token may read does not change what
the caller may see here. Answers are kept for at most ``max_age`` seconds (30 by default), so a
change of groups on the hub takes effect here within that time.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

__all__ = ["Access", "HubDirectory", "HubUnavailable", "decide"]

PAGE = 200  # the hub's default page size for users and groups
SCOPES = ("list:users", "read:users", "list:groups", "read:groups", "read:users:groups")  # the service's role


@dataclass(frozen=True)
class Access:
    """What one hub user may see: their own work, their trainees', or everyone's (``admin``)."""

    name: str
    admin: bool
    supervisor: bool
    trainees: frozenset[str]  # the trainees this user supervises (empty unless a supervisor)

    def may_read(self, trainee: str) -> bool:
        """The trainee's hand-ins and feedback: the trainee, their supervisors, admins."""
        return self.admin or trainee == self.name or trainee in self.trainees

    def may_give_feedback(self, trainee: str) -> bool:
        """Feedback on the trainee's hand-ins: their supervisors and admins (never themselves)."""
        return self.admin or trainee in self.trainees

    @property
    def sees_trainees(self) -> bool:
        """The trainee list (``api/trainees``): supervisors and admins."""
        return self.admin or self.supervisor


def decide(
    name: str,
    hub_admin: bool,
    groups: Mapping[str, frozenset[str]],
    *,
    supervisors_group: str,
    admins_group: str,
) -> Access:
    """``name``'s access given the hub's admin flag and every group's members (the rule above)."""
    supervisor = name in groups.get(supervisors_group, frozenset())
    admin = hub_admin or name in groups.get(admins_group, frozenset())
    trainees: set[str] = set()
    if supervisor:
        for group, members in groups.items():
            if group not in (supervisors_group, admins_group) and name in members:
                trainees |= members
        trainees.discard(name)
    return Access(name, admin, supervisor, frozenset(trainees))


class HubUnavailable(Exception):
    """The hub's API did not answer as expected (the service answers 502 with this message)."""


Fetch = Callable[[str], Awaitable[Any]]


class _Cached:
    """One value fetched at most once per ``max_age`` seconds, however many ask at the same time."""

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self._values: dict[str, tuple[float, Any]] = {}
        self._pending: dict[str, asyncio.Future[Any]] = {}

    async def get(self, key: str, load: Callable[[], Awaitable[Any]]) -> Any:
        found = self._values.get(key)
        if found is not None and time.monotonic() - found[0] < self.max_age:
            return found[1]
        pending = self._pending.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            value = await load()
        except BaseException as err:
            future.set_exception(err)
            future.exception()  # retrieved here, so a future nobody else awaited is not logged
            raise
        else:
            self._values[key] = (time.monotonic(), value)
            future.set_result(value)
            return value
        finally:
            del self._pending[key]


class HubDirectory:
    """The hub's users and groups as ``Access`` values, read with the service's token and cached."""

    def __init__(
        self,
        api_url: str,
        api_token: str,
        *,
        supervisors_group: str = "supervisors",
        admins_group: str = "workbook-admins",
        max_age: float = 30.0,
    ) -> None:
        self.api_url = api_url.rstrip("/") + "/"
        self._token = api_token
        self.supervisors_group = supervisors_group
        self.admins_group = admins_group
        self._cache = _Cached(max_age)

    async def access(self, name: str) -> Access:
        """What hub user ``name`` may see (a name the hub does not know: their own work only)."""
        groups = await self._cache.get("groups", self._groups)
        hub_admin = await self._cache.get(f"admin:{name}", lambda: self._is_admin(name))
        return decide(name, hub_admin, groups, supervisors_group=self.supervisors_group, admins_group=self.admins_group)

    async def _is_admin(self, name: str) -> bool:
        model = await self._get(f"users/{quote(name, safe='')}", missing_ok=True)
        return bool(model and model.get("admin") is True)

    async def _groups(self) -> dict[str, frozenset[str]]:
        """Every group and its members, page by page (the hub pages lists at 200 by default)."""
        found: dict[str, frozenset[str]] = {}
        offset = 0
        while True:
            page = await self._get(f"groups?{urlencode({'offset': offset, 'limit': PAGE})}", paged=True)
            items = page.get("items") if isinstance(page, dict) else page
            if not isinstance(items, list):
                raise HubUnavailable("the hub's group list is not a list")
            for group in items:
                found[str(group["name"])] = frozenset(str(u) for u in group.get("users") or ())
            following = page.get("_pagination", {}).get("next") if isinstance(page, dict) else None
            if not following or not items:
                return found
            offset = int(following.get("offset", offset + len(items)))

    async def _get(self, path: str, *, paged: bool = False, missing_ok: bool = False) -> Any:
        headers = {"Authorization": f"token {self._token}"}
        if paged:
            headers["Accept"] = "application/jupyterhub-pagination+json"
        request = HTTPRequest(self.api_url + path, headers=headers, request_timeout=10)
        try:
            response = await AsyncHTTPClient().fetch(request)
        except HTTPClientError as err:
            if err.code == 404 and missing_ok:
                return None
            hint = f" (the service's role needs {', '.join(SCOPES)})" if err.code == 403 else ""
            raise HubUnavailable(f"the hub answered {err.code} to GET {path.split('?')[0]}{hint}") from err
        except OSError as err:
            raise HubUnavailable(f"cannot reach the hub API at {self.api_url}: {err}") from err
        try:
            return json.loads(response.body)
        except ValueError as err:
            raise HubUnavailable(f"the hub's answer to GET {path.split('?')[0]} is not JSON") from err
