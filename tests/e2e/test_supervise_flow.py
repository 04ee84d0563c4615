"""A supervisor opens `workbook supervise`, saves feedback in the browser, and the trainee sees it
under the answer in their own notebook."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from clinician_workbook.cli import main
from clinician_workbook.content import load_bundled
from clinician_workbook.pages import find_page
from clinician_workbook.responses import ResponseStore, store_path
from tests.e2e.conftest import Lab
from tests.e2e.lab_ui import open_from_path, open_notebook, panel, run_all

COMMENT = "Good, tentative opening. Next time name the shift in the first minute."


def test_feedback_saved_in_the_browser_reaches_the_trainee(
    lab: Lab, page: Any, shots: Path, answered_store: Path, capsys: Any
) -> None:
    store = store_path(lab.workspace.responses, "Ada Test")
    shutil.copy(store_path(answered_store, "Ada Test"), store)
    folder = lab.workspace.root / "supervision"
    command = ["supervise", str(store), "--supervisor", "Dr Ngozi Okafor", "--dir", str(folder), "--prepare-only"]
    assert main(command) == 0
    notebook = Path(capsys.readouterr().out.strip())

    open_notebook(page, lab.open(f"supervision/{notebook.name}"))
    run_all(page)
    form = panel(page).locator(".wb-exercise", has=page.locator("button", has_text="Save feedback")).first
    form.wait_for(timeout=60_000)
    form.locator("textarea").first.fill(COMMENT)
    form.locator("button", has_text="Save feedback").click()
    form.locator(".wb-saved").wait_for(timeout=10_000)
    page.screenshot(path=str(shots / "20-supervisor-feedback-saved.png"))

    with ResponseStore(store, "Ada Test") as trainee:
        (note,) = trainee.attempts(role="supervisor")
    assert note.author == "Dr Ngozi Okafor" and note.answer["comment"] == COMMENT
    own = find_page(load_bundled(), note.challenge)
    open_from_path(page, lab.path(own.notebook))  # the trainee's page, in the same Lab
    run_all(page)
    shown = panel(page).locator(".wb-supervisor", has_text=COMMENT)
    shown.first.wait_for(timeout=60_000)
    assert "Dr Ngozi Okafor" in shown.first.inner_text()
    shown.first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "21-trainee-sees-feedback.png"))
