"""A stand-in for JupyterHub's REST API, on 127.0.0.1: the three calls the hub service makes.

What is faked, and only this: the hub's answers to
    GET /hub/api/user            (a token's owner, as JupyterHub's SelfAPIHandler answers it:
                                  kind, name, admin, groups, scopes, session_id, token_id)
    GET /hub/api/groups          (paged like JupyterHub: ``items`` and ``_pagination``; at most
                                  ``max_limit`` per page, so the service's paging is exercised)
    GET /hub/api/users/{name}    (admin flag)
The service under test talks to it over HTTP with its real code: jupyterhub's HubOAuth (token
lookup, cache, scope check) and ``access.HubDirectory``. An unknown token is answered 403, as
JupyterHub does; the groups and users calls need the service's own token.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

from tornado.web import Application, RequestHandler

SERVICE_TOKEN = "service-token-0123456789"
ACCESS = "access:services!service=workbook"


@dataclass
class HubState:
    users: dict[str, bool] = field(default_factory=dict)  # name -> hub admin
    groups: dict[str, set[str]] = field(default_factory=dict)
    tokens: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # token -> (user, scopes)
    token_of: dict[str, str] = field(default_factory=dict)  # user -> token
    calls: Counter[str] = field(default_factory=Counter)
    max_limit: int = 2

    def add_service(self, name: str) -> str:
        token = f"service-token-{name}"
        self.tokens[token] = (f"service:{name}", [ACCESS])
        self.token_of[f"service:{name}"] = token
        return token

    def add_user(self, name: str, *groups: str, admin: bool = False, scopes: list[str] | None = None) -> str:
        self.users[name] = admin
        for group in groups:
            self.groups.setdefault(group, set()).add(name)
        token = f"token-{len(self.tokens)}-{name.encode().hex()}"
        self.token_of[name] = token
        self.tokens[token] = (name, [ACCESS, f"read:users:name!user={name}"] if scopes is None else scopes)
        return token


class _Api(RequestHandler):
    def initialize(self, state: HubState) -> None:
        self.state = state

    def _token(self) -> str:
        header = self.request.headers.get("Authorization", "")
        return header.split(" ", 1)[1] if header.lower().startswith("token ") else ""

    def _deny(self) -> None:
        self.set_status(403)
        self.finish(json.dumps({"status": 403, "message": "Missing or invalid credentials"}))

    def _service_only(self) -> bool:
        if self._token() != SERVICE_TOKEN:
            self._deny()
            return False
        return True


class _Self(_Api):
    def get(self) -> None:
        self.state.calls["user"] += 1
        found = self.state.tokens.get(self._token())
        if found is None:
            return self._deny()
        name, scopes = found
        if name.startswith("service:"):  # a service's own token: JupyterHub answers with a service model
            self.finish(json.dumps({"kind": "service", "name": name[8:], "scopes": scopes, "roles": []}))
            return
        groups = sorted(g for g, members in self.state.groups.items() if name in members)
        model = {
            "kind": "user",
            "name": name,
            "admin": self.state.users[name],
            "groups": groups,
            "scopes": scopes,
            "session_id": None,
            "token_id": "a1",
        }
        self.finish(json.dumps(model))


class _Groups(_Api):
    def get(self) -> None:
        self.state.calls["groups"] += 1
        if not self._service_only():
            return
        offset = int(self.get_argument("offset", "0"))
        limit = min(int(self.get_argument("limit", "200")), self.state.max_limit)
        names = sorted(self.state.groups)
        items = [
            {"kind": "group", "name": g, "users": sorted(self.state.groups[g]), "roles": [], "properties": {}}
            for g in names[offset : offset + limit]
        ]
        following = None
        if offset + limit < len(names):
            following = {"offset": offset + limit, "limit": limit, "url": "http://hub.invalid/ignored"}
        paging = {"offset": offset, "limit": limit, "total": len(names), "next": following}
        page = {"items": items, "_pagination": paging}
        self.finish(json.dumps(page))


class _User(_Api):
    def get(self, name: str) -> None:
        self.state.calls["users"] += 1
        if not self._service_only():
            return
        name = unquote(name)
        if name not in self.state.users:
            self.set_status(404)
            self.finish(json.dumps({"status": 404, "message": "Not Found"}))
            return
        self.finish(json.dumps({"kind": "user", "name": name, "admin": self.state.users[name]}))


def fake_hub(state: HubState) -> Application:
    args = {"state": state}
    return Application(
        [
            (r"/hub/api/user", _Self, args),
            (r"/hub/api/groups", _Groups, args),
            (r"/hub/api/users/([^/]+)", _User, args),
        ]
    )
