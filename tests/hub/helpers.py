"""Small builders for the hub tests: feedback rows and hand-in documents with one thing changed."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any


def feedback_row(author: str, comment: str = "Good noticing of the shift.", **changes: Any) -> dict[str, Any]:
    row = {
        "uid": uuid.uuid4().hex,
        "time": datetime.now(UTC).isoformat(timespec="microseconds"),
        "challenge": "resistance-avoidance",
        "exercise": "feedback",
        "item": "respond/ra-cs-beginner-1",
        "answer": {"comment": comment},
        "role": "supervisor",
        "author": author,
        "shared": False,
    }
    row.update(changes)
    return row


def edited(document: bytes, **changes: Any) -> bytes:
    """``document`` with top-level fields replaced."""
    parsed = json.loads(document)
    parsed.update(changes)
    return json.dumps(parsed).encode()


def edited_row(document: bytes, index: int, **changes: Any) -> bytes:
    """``document`` with fields of row ``index`` replaced."""
    parsed = json.loads(document)
    parsed["attempts"][index].update(changes)
    return json.dumps(parsed).encode()
