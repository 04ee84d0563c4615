"""Talking to the programme's hub service (``clinician_workbook.hub``) from a trainee's or a
supervisor's server: stdlib ``urllib`` only, no JupyterHub import.

On a hub the single-user environment names the service (``WORKBOOK_HUB_URL``, set by the hub's
``Spawner.environment``) and carries the server's own token (``JUPYTERHUB_API_TOKEN``, set by
JupyterHub). Every call sends ``Authorization: token ...`` to that one URL and nowhere else:
proxies from the environment are ignored, so nothing is routed through another host.

Whatever goes wrong (the service refuses, cannot be reached, does not answer in time, answers
with something that is not JSON, or we are not on a hub at all) is a :class:`HubError` whose
message is one line, ready for the CLI or a page's status line.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..errors import WorkbookError

URL_ENV = "WORKBOOK_HUB_URL"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
USER_ENV = "JUPYTERHUB_USER"
TIMEOUT = 20.0  # seconds for a command; pages use a much shorter one
MAX_ANSWER = 64 * 2**20  # bytes read from one answer of the service, at most


class HubError(WorkbookError):
    """The hub service could not do what was asked; the message is one line."""


class NotOnHub(HubError):
    """``WORKBOOK_HUB_URL`` or ``JUPYTERHUB_API_TOKEN`` is missing: this is not a hub server."""


def on_hub(env: Mapping[str, str] | None = None) -> bool:
    """Whether this process runs in a hub's single-user server with the service configured."""
    env = os.environ if env is None else env
    return bool(env.get(URL_ENV, "").strip() and env.get(TOKEN_ENV, "").strip())


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def reason(err: BaseException) -> str:
    """Why ``err`` happened, in one line a page can show (its type when it says nothing)."""
    return one_line(str(err)) or type(err).__name__


@dataclass(frozen=True)
class HubClient:
    """The service at ``url`` (ending in ``/``), called with ``token``."""

    url: str
    token: str
    timeout: float = TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, timeout: float = TIMEOUT) -> HubClient:
        env = os.environ if env is None else env
        if not on_hub(env):
            missing = " and ".join(name for name in (URL_ENV, TOKEN_ENV) if not env.get(name, "").strip())
            raise NotOnHub(
                f"not on a training hub ({missing} not set); hand in a file instead: "
                "workbook responses export --out handin.json"
            )
        url = env[URL_ENV].strip()
        return cls(url if url.endswith("/") else url + "/", env[TOKEN_ENV].strip(), timeout)

    # -- the routes of the contract ----------------------------------------------------------
    def me(self) -> dict[str, Any]:
        return self._json("GET", "api/me")

    def hand_in(self, document: bytes) -> dict[str, Any]:
        return self._json("POST", "api/handins", document)

    def handins(self, trainee: str) -> dict[str, Any]:
        return self._json("GET", f"api/handins/{_part(trainee)}")

    def handin(self, trainee: str, attempt: int | str = "latest") -> bytes:
        return self.call("GET", f"api/handins/{_part(trainee)}/{_part(str(attempt))}")

    def trainees(self) -> dict[str, Any]:
        return self._json("GET", "api/trainees")

    def feedback(self, trainee: str) -> bytes:
        return self.call("GET", f"api/feedback/{_part(trainee)}")

    def send_feedback(self, trainee: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
        body = json.dumps({"attempts": rows}, ensure_ascii=False).encode("utf-8")
        return self._json("POST", f"api/feedback/{_part(trainee)}", body)

    # -- HTTP ------------------------------------------------------------------------------
    def _json(self, method: str, path: str, body: bytes | None = None) -> dict[str, Any]:
        raw = self.call(method, path, body)
        try:
            found = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise HubError(f"the hub service at {self.url} sent an answer that is not JSON ({path})") from None
        if not isinstance(found, dict):
            raise HubError(f"the hub service at {self.url} sent an unexpected answer ({path})")
        return found

    def call(self, method: str, path: str, body: bytes | None = None) -> bytes:
        """The body of the service's answer to ``method path``; a :class:`HubError` otherwise."""
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Authorization", f"token {self.token}")
        request.add_header("Accept", "application/json")
        if body is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with _OPENER.open(request, timeout=self.timeout) as answer:
                return bytes(answer.read(MAX_ANSWER))
        except urllib.error.HTTPError as err:
            raise HubError(f"the hub service refused ({err.code}): {_message(err)}") from None
        except TimeoutError:
            raise HubError(f"the hub service at {self.url} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as err:
            if isinstance(err.reason, TimeoutError):
                raise HubError(f"the hub service at {self.url} did not answer within {self.timeout:g} s") from None
            raise HubError(f"cannot reach the hub service at {self.url}: {one_line(str(err.reason))}") from None
        except (OSError, ValueError) as err:  # a reset connection, a malformed URL
            raise HubError(f"cannot reach the hub service at {self.url}: {one_line(str(err))}") from None


# no proxies from the environment: the service is the only host these calls go to
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _part(value: str) -> str:
    """One path segment: a name with ``/`` or spaces stays one segment."""
    return quote(value, safe="")


def _message(err: urllib.error.HTTPError) -> str:
    """The service's one-line ``message``, else the HTTP reason."""
    try:
        found = json.loads(err.read(65536).decode("utf-8"))
        if isinstance(found, dict) and isinstance(found.get("message"), str) and found["message"].strip():
            return one_line(found["message"])
    except (OSError, ValueError):
        pass
    return one_line(str(err.reason or "no reason given"))


__all__ = ["HubClient", "HubError", "NotOnHub", "on_hub"]
