"""JupyterLab asks a trainee nothing they should not have to answer: no toast about fetching
Jupyter news when it first starts, no check of whether Lab should be rebuilt (Node run on the
server, and maybe a "Build Recommended" question), and no "File Changed" question when its saves
are slow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.conftest import Lab
from tests.e2e.lab_ui import PANEL, wait_idle
from tests.e2e.slow_save import SECONDS

WELCOME = "00-welcome.ipynb"


def test_lab_asks_nothing_on_first_open_or_when_its_saves_are_slow(fresh_lab: Lab, page: Any, shots: Path) -> None:
    written = (fresh_lab.workspace.root / WELCOME).read_bytes()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(fresh_lab.open(WELCOME))
    page.wait_for_selector(PANEL, timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(3000)  # the news question shows a moment after Lab starts
    page.screenshot(path=str(shots / "30-lab-first-open.png"))
    assert page.locator(".Toastify__toast", has_text="news").count() == 0
    assert [url for url in asked if "/lab/api/build" in url] == []  # no build check

    # Run All as the page says (Lab's menus, not our helpers, which answer Lab's kernel question):
    # each save takes longer than the autosave interval, so the next autosave starts first
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu .lm-Menu-item[data-command='runmenu:run-all']").first.click()
    page.locator(f"{PANEL} .jp-OutputArea-output").first.wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_timeout(3 * SECONDS * 1000)  # overlapping saves, and the last one answered
    questions = [" ".join(text.split()) for text in page.locator(".jp-Dialog").all_inner_texts()]
    assert questions == []
    assert (fresh_lab.workspace.root / WELCOME).read_bytes() == written  # saved as it was: no outputs
