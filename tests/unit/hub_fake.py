"""A tiny stand-in for the hub service (the contract's routes, in memory) on 127.0.0.1, for the
client's unit tests: it checks the token, records what it was sent, and can be told to fail."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote


@dataclass
class Fake:
    url: str
    tokens: dict[str, str]  # token -> hub name
    handins: dict[str, list[bytes]] = field(default_factory=dict)
    feedback: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str, str, bytes]] = field(default_factory=list)  # method, path, auth, body
    fail: tuple[int, bytes] | None = None  # answer every request with this status and body
    delay: float = 0.0  # seconds before each answer (cut short when the fake stops)
    stopping: threading.Event = field(default_factory=threading.Event)


def _handler(fake: Fake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

        def _send(self, status: int, body: bytes | dict[str, Any]) -> None:
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            auth = self.headers.get("Authorization", "")
            fake.requests.append((method, self.path, auth, body))
            fake.stopping.wait(fake.delay)
            if fake.fail:
                return self._send(fake.fail[0], fake.fail[1])
            me = fake.tokens.get(auth.removeprefix("token "))
            if me is None:
                return self._send(401, {"message": "log in first"})
            parts = [unquote(p) for p in self.path.split("/services/workbook/", 1)[1].split("/")]
            if parts == ["api", "me"]:
                return self._send(200, {"name": me, "admin": False, "supervisor": me == "sup", "trainees": []})
            if method == "POST" and parts == ["api", "handins"]:
                doc = json.loads(body)
                if doc["trainee"] != me:
                    return self._send(403, {"message": f"{me} may not hand in for {doc['trainee']}"})
                fake.handins.setdefault(me, []).append(body)
                n = len(fake.handins[me])
                return self._send(201, {"trainee": me, "attempt": n, "answers": len(doc["attempts"]), "received": ""})
            if parts[:2] == ["api", "handins"] and len(parts) == 3:
                listed = fake.handins.get(parts[2], [])
                rows = [{"attempt": i + 1, "received": "", "answers": 0} for i in range(len(listed))]
                return self._send(200, {"trainee": parts[2], "handins": rows})
            if parts[:2] == ["api", "handins"] and len(parts) == 4:
                listed = fake.handins.get(parts[2], [])
                index = len(listed) if parts[3] == "latest" else int(parts[3])
                return self._send(200, listed[index - 1]) if 0 < index <= len(listed) else self._send(404, {})
            if parts[:2] == ["api", "feedback"] and method == "GET":
                doc = {
                    "format": "clinician-workbook-responses",
                    "version": 1,
                    "trainee": parts[2],
                    "attempts": fake.feedback.get(parts[2], []),
                }
                return self._send(200, doc)
            if parts[:2] == ["api", "feedback"] and method == "POST":
                rows = json.loads(body)["attempts"]
                known = {r["uid"] for r in fake.feedback.get(parts[2], [])}
                new = [r for r in rows if r["uid"] not in known]
                fake.feedback.setdefault(parts[2], []).extend(new)
                return self._send(201, {"added": len(new), "skipped_existing": len(rows) - len(new)})
            return self._send(404, {"message": "no such route"})

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler


@contextmanager
def fake_service(tokens: dict[str, str]) -> Iterator[Fake]:
    fake = Fake("", tokens)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = False  # server_close() waits for every answer: none is left for a later test
    host, port = server.server_address[:2]
    fake.url = f"http://{host!s}:{port}/services/workbook/"
    # shutdown() waits for the loop to look at its flag: every 0.05 s, not the default 0.5 s, per test
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
