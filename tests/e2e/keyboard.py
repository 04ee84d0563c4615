"""Driving a page with the keyboard alone, as a trainee who uses no mouse would."""

from __future__ import annotations

from typing import Any

TABS = 800  # more than any page of the workbook has tab stops


def tab_to(page: Any, target: Any, limit: int = TABS) -> int:
    """Press Tab until ``target`` has the focus; how many presses that took.

    Fails if it never does: a control the keyboard cannot reach is a bug, not a test to skip.
    """
    handle = target.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if handle.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"Tab never reached {target} in {limit} presses")


def focused(page: Any) -> str:
    """What has the focus, for failure messages: tag, type and text."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement; return e ? `${e.tagName} ${e.type || ''} ${(e.textContent"
            " || '').trim().slice(0, 60)}` : 'nothing' }"
        )
    )
