"""The hub service in-process on 127.0.0.1, against a fake hub API (see fakehub.py for exactly what is faked).

One event loop runs in a background thread for the session (the fake hub and each test's service
live on it); tests are plain functions making real HTTP requests to the service.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import random
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from jupyterhub.services.auth import HubOAuth
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port

from clinician_workbook.content import load_bundled
from clinician_workbook.hub.access import HubDirectory
from clinician_workbook.hub.service import Settings, make_app, make_server
from clinician_workbook.hub.storage import Storage
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.responses.handin import export_responses
from tests.factories import Plan, fill_store

from .fakehub import ACCESS, SERVICE_TOKEN, HubState, fake_hub

T = TypeVar("T")
PREFIX = "/services/workbook/"
MAX_BYTES = 256 * 1024


class Loop:
    """An asyncio loop in a thread; ``run`` a coroutine on it from a test and wait for the result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="hub-tests-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def close(self) -> None:
        try:
            from jupyterhub.httpclient import JupyterHubHTTPClient  # jupyterhub 6: aiohttp sessions per loop

            async def close_sessions() -> None:
                await JupyterHubHTTPClient.loop_instance().close()

            self.run(close_sessions())
        except ImportError:
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="session")
def loop() -> Iterator[Loop]:
    found = Loop()
    yield found
    found.close()


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def message(self) -> str:
        return str(self.json()["message"])


@dataclass
class Service:
    """The service under test, its store and the fake hub's state."""

    hub: HubState
    storage: Storage
    port: int
    settings: Settings

    def call(
        self,
        method: str,
        path: str,
        who: str | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = dict(headers or {})
        if who is not None:
            sent["Authorization"] = f"token {self.hub.token_of[who]}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, PREFIX + path, body=body, headers=sent)
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, path: str, who: str | None = None, **kwargs: Any) -> Reply:
        return self.call("GET", path, who, **kwargs)

    def post(self, path: str, who: str | None, body: bytes | dict[str, Any], **kwargs: Any) -> Reply:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.call("POST", path, who, raw, **kwargs)


def people(hub: HubState) -> None:
    """Two cohorts, a supervisor of each, a hub admin, a workbook admin, one user without the access scope."""
    hub.add_user("ada", "cohort-a")
    hub.add_user("bob", "cohort-a")
    hub.add_user("cy", "cohort-b")
    hub.add_user("sam", "cohort-a", "supervisors")
    hub.add_user("sue", "cohort-b", "supervisors")
    hub.add_user("root", admin=True)
    hub.add_user("wanda", "workbook-admins")
    hub.add_user("eve", "cohort-a", scopes=["read:users:name!user=eve"])  # no access:services


@pytest.fixture
def service(loop: Loop, tmp_path: Path) -> Iterator[Service]:
    """A fresh fake hub and service, with an empty store, for one test."""
    yield from running(loop, tmp_path)


@pytest.fixture(scope="module")
def shared_service(loop: Loop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One fake hub and service for a module whose tests only read (set up once)."""
    yield from running(loop, tmp_path_factory.mktemp("shared"))


def running(loop: Loop, tmp_path: Path) -> Iterator[Service]:
    hub = HubState()
    people(hub)

    async def start() -> tuple[HTTPServer, HTTPServer, int, Settings]:
        hub_socket, hub_port = bind_unused_port()
        hub_server = HTTPServer(fake_hub(hub))
        hub_server.add_sockets([hub_socket])
        api_url = f"http://127.0.0.1:{hub_port}/hub/api/"
        auth = HubOAuth(
            api_token=SERVICE_TOKEN,
            api_url=api_url,
            oauth_client_id="service-workbook",
            access_scopes={ACCESS},
            base_url=PREFIX,
            hub_prefix="/hub/",
            hub_host=f"http://127.0.0.1:{hub_port}",
            cache_max_age=30,
        )
        settings = Settings(
            storage=Storage(f"sqlite:///{tmp_path / 'hub' / 'workbook-hub.sqlite'}"),
            directory=HubDirectory(api_url, SERVICE_TOKEN),
            hub_auth=auth,
            prefix=PREFIX,
            max_bytes=MAX_BYTES,
        )
        socket, port = bind_unused_port()
        server = make_server(make_app(settings), MAX_BYTES)
        server.add_sockets([socket])
        return hub_server, server, port, settings

    hub_server, server, port, settings = loop.run(start())
    yield Service(hub, settings.storage, port, settings)

    async def stop() -> None:
        server.stop()
        hub_server.stop()
        await server.close_all_connections()
        await hub_server.close_all_connections()

    loop.run(stop())
    settings.close()


@pytest.fixture(scope="session")
def handin_of(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``handin_of(name)``: a real hand-in document (bytes) of ``name``, as ``responses export`` writes it."""
    catalog = load_bundled()
    folder = tmp_path_factory.mktemp("stores")
    made: dict[str, bytes] = {}

    def make(name: str) -> bytes:
        if name not in made:
            with ResponseStore(store_path(folder, name), name) as store:
                fill_store(store, catalog, random.Random(len(made)), Plan(completeness=0.3))
                made[name] = json.dumps(export_responses(store), ensure_ascii=False, indent=1).encode()
        return made[name]

    return make


def url_name(name: str) -> str:
    return quote(name, safe="")
