"""Small helpers for driving JupyterLab 4 like a person would (menus, not keyboard shortcuts)."""

from __future__ import annotations

from typing import Any

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the visible tab
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']"


def dismiss_toasts(page: Any) -> None:
    for label in ("No", "Dismiss"):
        button = page.locator(".Toastify__toast button", has_text=label)
        if button.count():
            button.first.click()


def wait_idle(page: Any, timeout: float = 60_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout)


def accept_kernel_dialog(page: Any) -> None:
    """On a loaded machine Lab may ask which kernel to start (its "Select Kernel" dialog) before the
    notebook's own kernel is up; the notebook names python3, which the dialog offers: accept it."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    if dialog.count():
        dialog.locator(".jp-mod-accept").first.click()
        wait_idle(page)


def menu(page: Any, title: str, command: str) -> None:
    accept_kernel_dialog(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=title).first.click()
    page.locator(f".lm-Menu .lm-Menu-item[data-command='{command}']").first.click()


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
    page.goto(url)
    page.wait_for_selector(PANEL, timeout=60_000)
    wait_idle(page)
    dismiss_toasts(page)
