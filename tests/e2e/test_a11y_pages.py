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


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_lab_page_after_run_all(lab: Lab, page: Any, shots: Path, notebook: str) -> None:
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
    # autosave (every second) saves the page, without its outputs: the tab is clean again
    page.wait_for_selector(".lm-TabBar-tab.jp-mod-current:not(.jp-mod-dirty)", timeout=60_000)
    menu(page, "File", "application:close")
    # Lab asks before it closes a tab with unsaved changes: the tab closes, or the question shows
    page.wait_for_function(
        "([panel]) => !document.querySelector(panel) || !!document.querySelector('.jp-Dialog')", arg=[PANEL]
    )
    assert page.locator(".jp-Dialog").count() == 0, (
        f"{notebook}: closing asked: {page.locator('.jp-Dialog').first.inner_text()}"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_app_pages(shared_app: App, page: Any, shots: Path, notebook: str) -> None:
    page.goto(shared_app.open(notebook))
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    assert page.title(), "every page has a title"
    check(page, f"app-{notebook}", APP_THIRD_PARTY, shots)


def test_lab_keeps_the_keyboard_in_the_exercise(lab: Lab, page: Any) -> None:
    """In JupyterLab: after a click in the third knowledge check, Tab goes to its own first control
    (not the first exercise of the page), and an arrow key on its radio buttons picks the next
    option instead of moving Lab to the next cell."""
    open_notebook(page, lab.open("02-resistance-avoidance.ipynb"))
    run_all(page)
    checks = panel(page).locator(".wb-knowledge-check")
    third = checks.nth(2)
    third.wait_for(timeout=60_000)
    third.locator(".widget-html-content").first.click()
    page.keyboard.press("Tab")
    where = "el => [...document.querySelectorAll('.wb-knowledge-check')].indexOf(el.closest('.wb-knowledge-check'))"
    assert page.evaluate(f"() => ({where})(document.activeElement)") == 2
    radios = third.locator("input[type=radio]")
    radios.first.click()
    page.keyboard.press("ArrowDown")
    assert page.evaluate(f"() => ({where})(document.activeElement)") == 2
    assert radios.nth(1).is_checked() and not radios.first.is_checked()
