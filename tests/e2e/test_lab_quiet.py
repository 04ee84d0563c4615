"""JupyterLab as a trainee first opens it: no toast asks about fetching Jupyter news."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.conftest import Lab
from tests.e2e.lab_ui import wait_idle


def test_no_news_toast_on_first_open(fresh_lab: Lab, page: Any, shots: Path) -> None:
    page.goto(fresh_lab.open("00-welcome.ipynb"))
    page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(3000)  # the news question shows a moment after Lab starts
    page.screenshot(path=str(shots / "30-lab-first-open.png"))
    assert page.locator(".Toastify__toast", has_text="news").count() == 0
