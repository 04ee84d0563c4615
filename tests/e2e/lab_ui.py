"""Small helpers for driving JupyterLab 4 like a person would (menus, not keyboard shortcuts)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the visible tab
DIALOGS = Path(__file__).resolve().parents[2] / "build" / "e2e" / "dialogs.txt"
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']"


def dismiss_toasts(page: Any) -> None:
    for label in ("No", "Dismiss"):
        button = page.locator(".Toastify__toast button", has_text=label)
        if button.count():
            button.first.click()


def wait_idle(page: Any, timeout: float = 60_000) -> None:
    """Wait until the notebook's kernel is idle, accepting Lab's kernel dialog if it asks on the way
    (under load it can ask which kernel to start after the notebook has opened)."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            page.wait_for_selector(IDLE, timeout=2_000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            _accept_kernel_dialog(page)


def accept_kernel_dialog(page: Any) -> None:
    """Accept Lab's kernel dialog, if one is open, and wait for the kernel to be idle."""
    if _accept_kernel_dialog(page):
        wait_idle(page)


def _accept_kernel_dialog(page: Any) -> bool:
    """A dialog open when we reach for the menu may be Lab asking about the kernel (on a loaded
    machine it can ask which kernel to start before the notebook's own is up): accept its default,
    and keep its text in build/e2e/dialogs.txt so a run that needed it says so. Any other question
    (say, "File Changed") is one a trainee should never get: the test fails with its text."""
    dialog = page.locator(".jp-Dialog")
    if not dialog.count():
        return False
    text = " ".join(dialog.first.inner_text().split())
    DIALOGS.parent.mkdir(parents=True, exist_ok=True)
    with DIALOGS.open("a", encoding="utf-8") as log:
        log.write(text + "\n")
    assert text.startswith("Select Kernel"), f"JupyterLab asked: {text}"
    kernels = dialog.first.locator("select")
    if kernels.count():  # Lab's "Select Kernel" may come with "No Kernel" chosen: choose Python
        option = kernels.first.locator("option", has_text="Python 3")
        value = option.first.get_attribute("value") if option.count() else None
        if value:
            kernels.first.select_option(value)
    dialog.first.locator(".jp-mod-accept").first.click()
    return True


def menu(page: Any, title: str, command: str, timeout: float = 90_000) -> None:
    """Menu ``title``, item ``command``; a kernel dialog that opens on the way is accepted first."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        accept_kernel_dialog(page)
        try:
            page.locator(".lm-MenuBar-itemLabel", has_text=title).first.click(timeout=5_000)
            page.locator(f".lm-Menu .lm-Menu-item[data-command='{command}']").first.click(timeout=5_000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            if not page.locator(".jp-Dialog").count():
                page.keyboard.press("Escape")  # a menu left open


def run_all(page: Any) -> None:
    """Run menu, Run All Cells; retried once if a new notebook's kernel was not ready for it."""
    for _ in range(2):
        wait_idle(page)
        menu(page, "Run", "runmenu:run-all")
        try:
            page.locator(f"{PANEL} .jp-OutputArea-output").first.wait_for(timeout=20_000)
            break
        except Exception:  # nothing ran: the kernel was still starting
            continue
    page.wait_for_timeout(500)
    wait_idle(page)


def restart_and_run_all(page: Any) -> None:
    wait_idle(page)
    menu(page, "Kernel", "runmenu:restart-and-run-all")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_timeout(1000)
    wait_idle(page)


def panel(page: Any) -> Any:
    return page.locator(PANEL)


def open_notebook(page: Any, url: str) -> None:
    """Load Lab at ``url`` (a notebook's): about 4 CPU-s of Chromium's here, each time."""
    page.goto(url)
    _opened(page)


def open_from_path(page: Any, path: str) -> None:
    """Open ``path`` (from the server's root) in the Lab already on the page, as a person can: File,
    Open from Path. Lab is not loaded again: about 1 CPU-s of Chromium's here, not 4. The notebook
    opens in a tab of its own, or its tab comes to the front if it is open already."""
    menu(page, "File", "filebrowser:open-path")
    dialog = page.locator(".jp-Dialog", has_text="Open Path")
    dialog.locator("input").fill(path)
    dialog.locator(".jp-mod-accept").click()
    # Lab shows the document in front in the address: that notebook, not one of the same name
    page.wait_for_url(lambda url: unquote(urlsplit(url).path).endswith(f"/tree/{path}"), timeout=60_000)
    _opened(page)


def _opened(page: Any) -> None:
    page.wait_for_selector(PANEL, timeout=60_000)
    wait_idle(page)
    dismiss_toasts(page)
