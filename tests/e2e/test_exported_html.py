"""An exported document opened in Chromium with the network blocked: nothing fails, nothing runs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.export.document import ExportRequest, export_workbook
from clinician_workbook.responses import ResponseStore, store_path

PLANTED = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "[x](javascript:alert(3))"]


@pytest.fixture
def exported_html(tmp_path: Path, answered_store: Path) -> Path:
    responses = tmp_path / "responses"
    shutil.copytree(answered_store, responses)
    with ResponseStore(store_path(responses, "Ada Test"), "Ada Test") as store:
        for text in PLANTED:
            store.save(
                "resistance-avoidance",
                "respond",
                "ra-cs-beginner-1",
                {"statement": "ra-cs-beginner-1", "difficulty": "beginner", "response": text},
            )
        store.save("resistance-avoidance", "reflect", "ra-reflect-1", {"stages": {"feelings": PLANTED[0]}}, shared=True)
    request = ExportRequest(
        "Ada Test", responses, ("resistance-avoidance", "when-concerning"), ("html",), tmp_path / "out"
    )
    return next(p for p in export_workbook(request) if p.name == "workbook.html")


def test_export_is_quiet_and_inert_offline(offline_page: Any, exported_html: Path, shots: Path) -> None:
    page = offline_page  # the network is blocked: any other request fails, and we record it
    requests: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(exported_html.as_uri(), wait_until="load")
    page.wait_for_timeout(500)
    assert page.get_by_text(PLANTED[0]).first.is_visible()
    assert page.locator("script, iframe, img, object, embed").count() == 0
    page.get_by_text(PLANTED[0]).first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "06-export-planted-script-as-text.png"))
    assert failed == [] and errors == [] and dialogs == []
    assert requests == [exported_html.as_uri()]
