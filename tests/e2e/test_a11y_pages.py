"""Every page a trainee uses, checked by axe-core (pinned; see axe.py) and by what a trainee sees.

JupyterLab after Run All, for each page's notebook: no code in sight (no grey bars, no prompts),
one title, no "Save changes?" when the tab is closed, and no serious or critical axe finding in
our markup. The app's pages: the same axe check. What axe finds in JupyterLab's or Voilà's own
markup is listed in THIRD_PARTY by rule and the selector of their nodes, so it cannot hide ours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.courses import load_course
from clinician_workbook.pages import pages
from tests.e2e.axe import audit, own, report
from tests.e2e.conftest import App, Lab
from tests.e2e.lab_ui import PANEL, menu, open_notebook, panel, run_all

NOTEBOOKS = [p.notebook for p in pages(load_course())]
# {rule: selector of the third-party nodes it is excused on}
LAB_THIRD_PARTY = {
    # Lab's toolbar buttons (and Voilà's "Render with Voilà" among them) carry aria-pressed on a
    # role that does not allow it
    "aria-allowed-attr": "jp-button.jp-ToolbarButtonComponent",
    # Lab names each cell with aria-label on a div without a role
    "aria-prohibited-attr": ".jp-Notebook-cell",
    # Lab's cell list is role=feed, its cells are not role=article
    "aria-required-children": ".jp-WindowedPanel-viewport[role=feed]",
}
APP_THIRD_PARTY: dict[str, str] = {}


def check(page: Any, name: str, third_party: dict[str, str], shots: Path) -> None:
    findings, passes = audit(page)
    ours = own(findings, page, third_party)
    report(name, ours, len(findings) - len(ours), passes, shots / "axe")
    assert ours == [], "\n".join(map(str, ours))


def test_lab_pages_after_run_all(lab: Lab, page: Any, shots: Path) -> None:
    for notebook in NOTEBOOKS:
        open_notebook(page, lab.open(notebook, workspace=notebook.split(".")[0]))
        run_all(page)
        panel(page).locator(".wb").first.wait_for(timeout=60_000)
        # no code in sight: no editor, no grey bar, no prompt, on any code cell
        hidden = f"{PANEL} .jp-CodeCell .jp-Cell-inputWrapper:visible, {PANEL} .jp-InputPlaceholder:visible"
        assert page.locator(hidden).count() == 0, f"{notebook}: a code cell shows"
        assert panel(page).locator(".jp-OutputPrompt:visible").count() == 0
        assert panel(page).locator("h1").count() == 1, f"{notebook}: one title"
        if notebook == NOTEBOOKS[2]:
            page.screenshot(path=str(shots / "42-lab-after-run-all.png"))
        check(page, f"lab-{notebook}", LAB_THIRD_PARTY, shots)
        page.wait_for_timeout(2500)  # autosave (every second) catches up with Run All
        menu(page, "File", "application:close")
        page.wait_for_timeout(1500)
        assert page.locator(".jp-Dialog").count() == 0, (
            f"{notebook}: closing asked: {page.locator('.jp-Dialog').first.inner_text()}"
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_app_pages(app: App, page: Any, shots: Path, notebook: str) -> None:
    page.goto(app.open(notebook))
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    assert page.title(), "every page has a title"
    check(page, f"app-{notebook}", APP_THIRD_PARTY, shots)
