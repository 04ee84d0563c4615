"""`workbook app` by keyboard alone: one exercise of each kind answered, saved, refilled; no code.

The trainee never touches the mouse: every control is reached with Tab and worked with Space,
Enter, the arrow keys and typing. The answers land in the same store JupyterLab uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clinician_workbook.responses import read_store, store_path
from tests.e2e.conftest import App
from tests.e2e.keyboard import tab_to

KINDS = {"spot-signs", "classify", "respond", "knowledge-check", "reflect", "strategy-match", "triage"}
REFLECTION = "I noticed I wanted to rush past the silence."
RESPONSE = "It sounds like part of you would rather not be here today. Can we talk about that?"


def open_page(page: Any, app: App, notebook: str = "") -> None:
    page.goto(app.open(notebook))
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    assert page.locator(".cm-editor, .CodeMirror, .jp-InputArea, .jp-InputPrompt").count() == 0, "code in sight"


def press(page: Any, target: Any, key: str) -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def answer(page: Any, exercise: Any, button: str) -> None:
    """Press the exercise's button with Enter and wait for its acknowledgement."""
    press(page, exercise.get_by_role("button", name=button), "Enter")
    exercise.locator(".wb-saved").first.wait_for(timeout=30_000)


def test_a_trainee_answers_every_kind_of_exercise_by_keyboard(app: App, page: Any, shots: Path) -> None:
    elsewhere: list[str] = []  # any request to a host but the app's own
    page.on("request", lambda r: None if r.url.startswith(app.url) else elsewhere.append(r.url))
    open_page(page, app, "02-resistance-avoidance.ipynb")
    spot = page.locator(".wb-spot-signs").first
    press(page, spot.locator("input[type=checkbox]").first, "Space")
    answer(page, spot, "Check my answer")

    classify = page.locator(".wb-classify").first
    for group in range(2):  # the challenge, then the kind of rupture
        press(page, classify.locator(".widget-radio-box").nth(group).locator("input").first, "Space")
    answer(page, classify, "Check")

    respond = page.locator(".wb-respond").first
    tab_to(page, respond.locator("textarea"))
    page.keyboard.type(RESPONSE)
    answer(page, respond, "Submit my response")
    scales = respond.locator(".wb-scale")
    assert scales.count() >= 2
    for n in range(scales.count()):  # each criterion's rating, then how it felt: arrows move the choice
        press(page, scales.nth(n).locator("input").first, "ArrowRight")
    press(page, respond.get_by_role("button", name="Save my ratings and continue"), "Enter")
    respond.get_by_text("Your rounds so far: 1").wait_for(timeout=30_000)  # the round, rated, is kept

    check = page.locator(".wb-knowledge-check").first
    press(page, check.locator("input[type=radio]").first, "Space")
    answer(page, check, "Check")

    reflect = page.locator(".wb-reflect").first
    tab_to(page, reflect.locator("textarea").first)
    page.keyboard.type(REFLECTION)
    answer(page, reflect, "Save my reflection")

    open_page(page, app, "04-navigating-challenges.ipynb")
    match = page.locator(".wb-strategy-match").first
    press(page, match.locator("input[type=radio]").first, "Space")
    answer(page, match, "Check")

    open_page(page, app, "05-when-concerning.ipynb")
    triage = page.locator(".wb-triage").first
    press(page, triage.locator("input[type=radio]").first, "Space")
    press(page, triage.locator("select").first, "ArrowDown")  # a closed list: the arrow picks "1"
    answer(page, triage, "Check my triage")

    # every kind is in the store Lab uses, under the workspace's trainee
    _, attempts = read_store(store_path(app.workspace.responses, "Ada Test"), "Ada Test")
    assert {a.exercise for a in attempts} >= KINDS

    # reload: the answers are given back
    open_page(page, app, "05-when-concerning.ipynb")
    assert page.locator(".wb-triage").first.locator("select").first.input_value() == "1"
    open_page(page, app, "02-resistance-avoidance.ipynb")
    assert page.locator(".wb-spot-signs").first.locator("input[type=checkbox]").first.is_checked()
    assert page.locator(".wb-classify").first.locator("input[type=radio]").first.is_checked()
    assert page.locator(".wb-reflect").first.locator("textarea").first.input_value() == REFLECTION
    for width in (800, 1600):
        page.set_viewport_size({"width": width, "height": 1000})
        page.locator(".wb-classify").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"40-app-exercise-{width}.png"))

    # the front door is the welcome page: every page listed, with what is done on it
    open_page(page, app)
    pages = page.locator(".wb-pages li")
    assert pages.count() == 6
    assert "answered" in pages.nth(2).inner_text()  # 02: answers given above
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.screenshot(path=str(shots / "41-app-landing.png"))
    assert elsewhere == []
