"""The hub service's tornado app: hand-ins and feedback as JSON routes, and one HTML page.

Every request is authenticated by JupyterHub's own machinery (``HubOAuthenticated``): a program
sends ``Authorization: token <the user's hub token>``, a browser carries the cookie the OAuth
login set. The token must grant ``access:services!service=<this service>`` (JupyterHub's
``hub_scopes`` check). Who the caller may see is then decided by ``access`` from the hub's
groups; the caller's token is only ever used to learn the caller's name.

Routes (under the service prefix, JSON unless said; errors are ``{"message": "one line"}``):
    GET  api/me                         who am I, and whom do I supervise
    POST api/handins                    hand in (a ``responses export`` document) -> attempt n
    GET  api/handins/{trainee}          the trainee's attempts
    GET  api/handins/{trainee}/{n}      one attempt (a number or ``latest``), byte-for-byte
    GET  api/trainees                   supervisors and admins: trainees with their latest hand-in
    POST api/feedback/{trainee}         supervisors and admins: add feedback rows
    GET  api/feedback/{trainee}         the feedback rows, as a backup document
    GET  /                              the page (HTML)
    GET  oauth_callback                 JupyterHub's OAuth login lands here
"""

from __future__ import annotations

import json
import logging
import os
import shlex
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated, UserNotAllowed
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.web import Application, HTTPError, RequestHandler, stream_request_body

from ..errors import HandinError, Problem
from ..responses.handin import FORMAT, VERSION, attempt_row, read_handin_bytes
from ..responses.naming import trainee_id
from .access import Access, HubDirectory, HubUnavailable
from .storage import Storage

__all__ = ["DEFAULT_MAX_BYTES", "Settings", "make_app", "make_server"]

log = logging.getLogger("clinician_workbook.hub")
T = TypeVar("T")

DEFAULT_MAX_BYTES = 8 * 2**20
_TEMPLATES = Path(__file__).with_name("templates")
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


@dataclass
class Settings:
    """What the handlers share: the store, the hub's directory, the bounds, the auth object."""

    storage: Storage
    directory: HubDirectory
    hub_auth: HubOAuth
    prefix: str  # e.g. /services/workbook/
    max_bytes: int = DEFAULT_MAX_BYTES
    # reads run in ``readers``; writes in one thread of their own: SQLite takes one writer at a
    # time anyway, and queueing them here beats threads sleeping in SQLite's busy handler
    readers: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(4, thread_name_prefix="read"))
    writer: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="write"))

    def close(self) -> None:
        self.readers.shutdown()
        self.writer.shutdown()
        self.storage.close()


class Refused(HTTPError):
    """An answer other than success, with its one-line message (and located problems, if any)."""

    def __init__(self, status: int, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(status, reason=None)
        self.message = message
        self.problems = problems or []


def _problem_model(problem: Problem) -> dict[str, Any]:
    return {"where": problem.path, "line": problem.line, "field": problem.field, "message": problem.message}


class _Base(HubOAuthenticated, RequestHandler):
    """Authenticates in ``prepare`` (asynchronously), then leaves ``self.access`` to the route."""

    page = False  # a browser page: an unauthenticated visit is sent to the hub's login
    access: Access

    def initialize(self) -> None:
        self.workbook: Settings = self.settings["workbook"]
        self.hub_auth = self.workbook.hub_auth

    def set_default_headers(self) -> None:
        # private answers: never cached, never sniffed into another type; the page loads nothing
        # from anywhere (its style is inline) and is not framed by other sites
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Content-Security-Policy", _POLICY)

    async def prepare(self) -> None:
        # JupyterHub's own lookup (token header first, then the OAuth cookie with its XSRF check),
        # awaited here instead of blocking in get_current_user; then its scope check (hub_scopes).
        model = await self.hub_auth.get_user(self, sync=False)
        if model:
            try:
                model = self.check_hub_user(model)
            except UserNotAllowed:
                scopes = ", ".join(sorted(self.hub_scopes or ())) or "access to this service"
                raise Refused(403, f"{model.get('name')!r} may not use this service (needs {scopes})") from None
        self._hub_auth_user_cache = model  # what get_current_user (and current_user) then return
        if not model:
            if self.page and self.request.method in ("GET", "HEAD"):
                self.redirect(self.get_login_url())
                return
            if self.get_cookie(self.hub_auth.cookie_name):  # expired, or refused by JupyterHub's XSRF check
                message = "login cookie not accepted (expired, or no _xsrf token with this request): reload the page"
                raise Refused(401, message)
            raise Refused(401, "not logged in: send 'Authorization: token <your JupyterHub API token>'")
        if model.get("kind", "user") != "user":
            kind = model.get("kind")
            raise Refused(403, f"only hub users hand in and give feedback, not the {kind} {model['name']!r}")
        try:
            self.access = await self.workbook.directory.access(model["name"])
        except HubUnavailable as err:
            raise Refused(502, f"cannot read the hub's groups: {err}") from err

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """A blocking storage read, off the event loop."""
        return await IOLoop.current().run_in_executor(self.workbook.readers, partial(call, *args))

    async def run_write(self, call: Callable[..., T], *args: Any) -> T:
        """A blocking storage write, off the event loop, one at a time."""
        return await IOLoop.current().run_in_executor(self.workbook.writer, partial(call, *args))

    def send(self, status: int, model: object) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(model, ensure_ascii=False))

    async def trainee_rows(self) -> list[dict[str, Any]]:
        """Supervisors' trainees (and, for admins, everyone who handed in) with their latest hand-in."""
        latest = await self.run(self.workbook.storage.latest)
        counts = await self.run(self.workbook.storage.feedback_counts)
        names = set(self.access.trainees) | (set(latest) if self.access.admin else set())
        return [
            {
                "trainee": name,
                "latest": latest[name].model() if name in latest else None,
                "feedback": counts.get(name, 0),
            }
            for name in sorted(names)
        ]

    def readable(self, trainee: str) -> None:
        if not self.access.may_read(trainee):
            raise Refused(403, f"{self.access.name!r} may not see {trainee!r}'s hand-ins or feedback")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, Refused):
            message, problems = error.message, error.problems
        elif isinstance(error, HTTPError) and error.log_message:
            message, problems = str(error.log_message), []
        else:
            message, problems = self._reason, []
        if self.page:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(_render("error.html.j2", status=status_code, message=message))
            return
        self.set_header("Content-Type", "application/json; charset=utf-8")
        body: dict[str, Any] = {"message": message}
        if problems:
            body["problems"] = [_problem_model(p) for p in problems]
        self.finish(json.dumps(body, ensure_ascii=False))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, Refused):  # an answer, not a fault: one line, no traceback
            log.info("%s %s -> %d: %s", self.request.method, self.request.path, value.status_code, value.message)
        else:
            super().log_exception(typ, value, tb)


@stream_request_body
class _Upload(_Base):
    """A POST whose body is bounded: Content-Length first, then the bytes actually received."""

    def initialize(self) -> None:
        super().initialize()
        self._chunks: list[bytes] = []
        self._received = 0

    async def prepare(self) -> None:
        await super().prepare()
        declared = self.request.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > self.workbook.max_bytes:
            raise self._too_large()

    def data_received(self, chunk: bytes) -> None:
        self._received += len(chunk)
        if self._received <= self.workbook.max_bytes:
            self._chunks.append(chunk)
        else:
            self._chunks = []  # keep counting, hold nothing: post() answers 413

    def body(self) -> bytes:
        if self._received > self.workbook.max_bytes:
            raise self._too_large()
        return b"".join(self._chunks)

    def _too_large(self) -> Refused:
        limit = self.workbook.max_bytes
        size = f"{limit // 2**20} MiB" if limit % 2**20 == 0 else f"{limit} bytes"
        return Refused(413, f"larger than {size}: not stored (the service's --max-bytes)")


class MeHandler(_Base):
    async def get(self) -> None:
        a = self.access
        self.send(200, {"name": a.name, "admin": a.admin, "supervisor": a.supervisor, "trainees": sorted(a.trainees)})


class HandinsHandler(_Upload):
    async def post(self) -> None:
        raw = self.body()
        try:
            trainee, attempts = read_handin_bytes(raw, "hand-in")
        except HandinError as err:
            raise Refused(400, str(err.problems[0]), err.problems) from None
        me = self.access.name
        if trainee not in (me, trainee_id(me)):
            problem = Problem("hand-in", None, "trainee", f"is {trainee!r}, but you are {me!r}: hand in your own work")
            raise Refused(403, str(problem), [problem])
        stored = await self.run_write(self.workbook.storage.add_handin, me, raw, len(attempts))
        log.info("hand-in: %s attempt %d, %d answers", me, stored.attempt, stored.answers)
        self.send(201, {"trainee": me, **stored.model()})


class HandinListHandler(_Base):
    async def get(self, trainee: str) -> None:
        self.readable(trainee)
        found = await self.run(self.workbook.storage.handins, trainee)
        self.send(200, {"trainee": trainee, "handins": [h.model() for h in found]})


class HandinHandler(_Base):
    async def get(self, trainee: str, attempt: str) -> None:
        self.readable(trainee)
        number = None if attempt == "latest" else int(attempt)  # the route admits only digits or "latest"
        document = await self.run(self.workbook.storage.document, trainee, number)
        if document is None:
            which = "no hand-in" if number is None else f"no attempt {number}"
            raise Refused(404, f"{which} from {trainee!r}")
        self.set_header("Content-Type", "application/json")
        self.finish(document)


class TraineesHandler(_Base):
    async def get(self) -> None:
        if not self.access.sees_trainees:
            raise Refused(403, f"{self.access.name!r} is not a supervisor: only supervisors and admins list trainees")
        self.send(200, {"trainees": await self.trainee_rows()})


class FeedbackHandler(_Upload):
    async def get(self, trainee: str) -> None:
        self.readable(trainee)
        rows = await self.run(self.workbook.storage.feedback, trainee)
        self.send(200, {"format": FORMAT, "version": VERSION, "trainee": trainee, "attempts": rows})

    async def post(self, trainee: str) -> None:
        me = self.access.name
        if not self.access.may_give_feedback(trainee):
            raise Refused(403, f"{me!r} does not supervise {trainee!r}: no feedback from you here")
        rows = _feedback_rows(self.body(), trainee, me)
        if not await self.run(self.workbook.storage.handins, trainee):
            raise Refused(404, f"no hand-in from {trainee!r} yet: nothing to give feedback on")
        added, skipped = await self.run_write(self.workbook.storage.add_feedback, trainee, rows)
        log.info("feedback: %s on %s, %d added, %d already there", me, trainee, added, skipped)
        self.send(201, {"added": added, "skipped_existing": skipped})


def _feedback_rows(raw: bytes, trainee: str, author: str) -> list[dict[str, Any]]:
    """The rows of a feedback body ``{"attempts": [...]}``, each checked like a backup's; or 400."""
    where = "feedback"

    def refuse(field: str, message: str) -> Refused:
        problem = Problem(where, None, field, message)
        return Refused(400, str(problem), [problem])

    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refuse("", 'not JSON: send {"attempts": [rows]}') from None
    if not isinstance(body, dict) or set(body) != {"attempts"}:
        raise refuse("", 'must be a JSON object with one field, "attempts"')
    document = {"format": FORMAT, "version": VERSION, "trainee": trainee, "attempts": body["attempts"]}
    try:
        _, attempts = read_handin_bytes(json.dumps(document, ensure_ascii=False).encode("utf-8"), where, backup=True)
    except HandinError as err:
        raise Refused(400, str(err.problems[0]), err.problems) from None
    problems = []
    for index, a in enumerate(attempts):
        if a.role != "supervisor":
            problems.append(Problem(where, None, f"attempts[{index}].role", f"must be 'supervisor', not {a.role!r}"))
        elif a.author != author:
            message = f"must be you ({author!r}), not {a.author!r}: feedback is saved under its author's name"
            problems.append(Problem(where, None, f"attempts[{index}].author", message))
    if problems:
        raise Refused(400, str(problems[0]), problems)
    return [attempt_row(a) for a in attempts]


class CallbackHandler(HubOAuthCallbackHandler):
    """JupyterHub's OAuth callback, with this app's ``HubOAuth`` (not the process-wide singleton)."""

    def initialize(self) -> None:
        self.hub_auth = self.settings["workbook"].hub_auth


class PageHandler(_Base):
    page = True

    async def get(self) -> None:
        a = self.access
        own = await self.run(self.workbook.storage.handins, a.name)
        rows = await self.trainee_rows() if a.sees_trainees else []
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(_render("index.html.j2", access=a, own=own, rows=rows))


_jinja = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_jinja.filters["shell_quote"] = shlex.quote


def _render(name: str, **values: Any) -> str:
    return _jinja.get_template(name).render(**values)


TRAINEE = r"([^/]+)"


def make_app(settings: Settings) -> Application:
    """The tornado application serving ``settings.prefix``."""
    p = settings.prefix.rstrip("/")
    handlers: list[Any] = [
        (rf"{p}/api/me", MeHandler),
        (rf"{p}/api/handins", HandinsHandler),
        (rf"{p}/api/handins/{TRAINEE}", HandinListHandler),
        (rf"{p}/api/handins/{TRAINEE}/(\d{{1,9}}|latest)", HandinHandler),
        (rf"{p}/api/trainees", TraineesHandler),
        (rf"{p}/api/feedback/{TRAINEE}", FeedbackHandler),
        (rf"{p}/oauth_callback", CallbackHandler),
        (rf"{p}/?", PageHandler),
    ]
    return Application(
        handlers,
        workbook=settings,
        hub_auth=settings.hub_auth,
        cookie_secret=_cookie_secret(),
        login_url=settings.hub_auth.login_url,
    )


def make_server(app: Application, max_bytes: int) -> HTTPServer:
    """The HTTP server for ``app``: its own body bound well above ``max_bytes``.

    The handlers answer 413 (with a message) to a body over ``max_bytes``, from its
    Content-Length before reading it, or while counting a chunked one; tornado's bound only
    stops a sender that goes on far beyond that (it drops the connection).
    """
    return HTTPServer(app, xheaders=True, max_body_size=max(64 * 2**20, 8 * max_bytes))


def _cookie_secret() -> bytes:
    return os.urandom(32)  # signs the OAuth cookies; a restart only means logging in again through the hub
