"""A trainee in JupyterLab: run all, answer, restart the kernel, run all, and find the answers again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clinician_workbook.store import ResponseStore, store_path
from tests.e2e.conftest import Lab
from tests.e2e.lab_ui import open_notebook, restart_and_run_all, run_all

TYPED = "I notice we moved off your mother again — Råbu’s “opening up”, Ελληνικά, кириллица."


def test_answers_survive_a_kernel_restart(lab: Lab, page: Any, shots: Path) -> None:
    open_notebook(page, lab.open("02-resistance-avoidance.ipynb"))
    page.screenshot(path=str(shots / "01-opened.png"))
    run_all(page)
    first_case = page.locator(".wb-exercise").first
    first_case.wait_for(timeout=60_000)
    boxes = first_case.locator(".widget-checkbox input[type=checkbox]")
    assert boxes.count() >= 4
    boxes.nth(0).check()
    boxes.nth(2).check()
    first_case.locator("button", has_text="Check my answer").click()
    first_case.locator(".wb-saved").wait_for(timeout=10_000)
    first_case.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "02-signs-checked.png"))

    respond = page.locator(".wb-exercise", has=page.locator("button", has_text="Submit my response")).first
    respond.locator("textarea").fill(TYPED)
    respond.locator("button", has_text="Submit my response").click()
    respond.locator(".wb-saved").wait_for(timeout=10_000)
    respond.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "03-response-submitted.png"))

    # the code is hidden: no code cell shows its input
    assert page.locator(".jp-CodeCell .jp-InputArea:visible .cm-content").count() == 0

    restart_and_run_all(page)
    first_case = page.locator(".wb-exercise").first
    first_case.wait_for(timeout=60_000)
    boxes = first_case.locator(".widget-checkbox input[type=checkbox]")
    assert boxes.nth(0).is_checked() and boxes.nth(2).is_checked() and not boxes.nth(1).is_checked()
    respond = page.locator(".wb-exercise", has=page.locator("button", has_text="Submit my response")).first
    assert respond.locator("textarea").input_value() == TYPED
    respond.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "04-after-restart.png"))

    with ResponseStore(store_path(lab.workspace.responses, "Ada Test"), "Ada Test") as store:
        responses = store.attempts(exercise="respond")
        assert responses[-1].answer["response"] == TYPED
