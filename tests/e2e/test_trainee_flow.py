"""A trainee in JupyterLab: answer, restart the kernel, run all, find the answers again, export a PDF."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from clinician_workbook.responses import ResponseStore, store_path
from tests.e2e.conftest import Lab
from tests.e2e.lab_ui import open_from_path, open_notebook, panel, restart_and_run_all, run_all

TYPED = "I notice we moved off your mother again — Råbu’s “opening up”, Ελληνικά, кириллица."


def _exercise(page: Any, button: str) -> Any:
    return panel(page).locator(".wb-exercise", has=page.locator("button", has_text=button)).first


def test_answers_survive_a_kernel_restart_and_reach_the_pdf(lab: Lab, page: Any, shots: Path) -> None:
    open_notebook(page, lab.open("02-resistance-avoidance.ipynb"))
    page.screenshot(path=str(shots / "01-opened.png"))
    run_all(page)
    # the trainee sees no code: every code cell's input is hidden
    assert panel(page).locator(".jp-CodeCell").count() >= 8
    assert panel(page).locator(".jp-CodeCell .jp-InputArea .cm-editor:visible").count() == 0
    spot = _exercise(page, "Check my answer")
    spot.wait_for(timeout=60_000)
    boxes = spot.locator(".widget-checkbox input[type=checkbox]")
    assert boxes.count() >= 4
    boxes.nth(0).check()
    boxes.nth(2).check()
    spot.locator("button", has_text="Check my answer").click()
    spot.locator(".wb-saved").wait_for(timeout=10_000)
    spot.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "02-signs-checked.png"))

    respond = _exercise(page, "Submit my response")
    respond.locator("textarea").fill(TYPED)
    respond.locator("button", has_text="Submit my response").click()
    respond.locator(".wb-saved").wait_for(timeout=10_000)
    respond.locator(".wb-example").first.wait_for(timeout=10_000)  # examples only after the attempt
    respond.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "03-response-submitted.png"))

    restart_and_run_all(page)
    spot = _exercise(page, "Check my answer")
    spot.wait_for(timeout=60_000)
    boxes = spot.locator(".widget-checkbox input[type=checkbox]")
    assert boxes.nth(0).is_checked() and boxes.nth(2).is_checked() and not boxes.nth(1).is_checked()
    respond = _exercise(page, "Submit my response")
    assert respond.locator("textarea").input_value() == TYPED
    respond.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "04-after-restart.png"))

    # the triage cases live in 05: same workspace, same store (opened from the same Lab)
    open_from_path(page, lab.path("05-when-concerning.ipynb"))
    run_all(page)
    triage = _exercise(page, "Check my triage")
    triage.wait_for(timeout=60_000)
    triage.locator(".widget-radio-box input[type=radio]").nth(2).check()  # "Tell your supervisor today"
    triage.locator("select").first.select_option("1")
    triage.locator("button", has_text="Check my triage").click()
    triage.locator(".wb-saved").wait_for(timeout=10_000)
    triage.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "05-triage-answered.png"))
    restart_and_run_all(page)
    triage = _exercise(page, "Check my triage")
    triage.wait_for(timeout=60_000)
    assert triage.locator(".widget-radio-box input[type=radio]").nth(2).is_checked()
    assert triage.locator("select").first.input_value() == "1"

    with ResponseStore(store_path(lab.workspace.responses, "Ada Test"), "Ada Test") as store:
        assert store.attempts(exercise="respond")[-1].answer["response"] == TYPED
        assert len(store.attempts(exercise="triage")) == 1

    out = lab.workspace.root / "build" / "export"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "clinician_workbook.cli",
            "export",
            "--challenge",
            "resistance-avoidance",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        cwd=lab.workspace.root,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (pdf,) = out.glob("*/02-resistance-avoidance.pdf")
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert re.sub(r"\s+", "", TYPED) in re.sub(r"\s+", "", text)  # line breaks fall where the page wraps
