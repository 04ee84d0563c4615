"""A training programme on a real JupyterHub: two trainees and a supervisor in Chromium (and a
third trainee on the app).

Each trainee logs in on the hub's form, lands on their own workspace's welcome page, answers,
and hands in with the page's button (the third in the app, Voilà); the supervisor sees the
hand-ins on the service's page,
opens one with `workbook supervise --hub` in the supervisor notebook and saves feedback on an
answer; that trainee sees it under the answer after running the page again. The other trainee's
own token gets 403 on the first trainee's hand-in and feedback and on the supervisors' routes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.hub.client import HubClient, HubError
from clinician_workbook.responses import ResponseStore, store_path
from tests.e2e.hub_server import BIN, ROOT, Hub, running_hub
from tests.e2e.lab_ui import open_from_path, open_notebook, panel, run_all
from tests.e2e.test_a11y_pages import LAB_THIRD_PARTY, check

pytestmark = [pytest.mark.slow, pytest.mark.requires_browser]

GROUPS = {"cohort-a": ["ana", "ben", "cai", "sup"], "supervisors": ["sup"]}
APP_USERS = ["cai"]  # lands on the app (Voilà), not JupyterLab
PAGE = "02-resistance-avoidance.ipynb"
RESPONSE = "It sounds like coming here today was hard; what made it hard?"
COMMENT = "A warm, tentative opening. Next time name the shift you noticed."
SPAWN_MS = 240_000  # login -> spawn -> Lab open, on a loaded 2-core machine


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    with running_hub(tmp_path, GROUPS, APP_USERS) as running:
        yield running


@pytest.fixture
def contexts(browser: Any) -> Iterator[list[Any]]:
    """Each user's browser context, closed after the test (before the hub stops), so no page of
    theirs keeps polling a server that is gone while the next tests run."""
    made: list[Any] = []
    yield made
    for context in made:
        context.close()


def _exercise(page: Any, button: str) -> Any:
    return panel(page).locator(".wb-exercise", has=page.locator("button", has_text=button)).first


def log_in(contexts: list[Any], browser: Any, hub: Hub, user: str, landing: str = "lab", axe_csp: bool = False) -> Any:
    """A fresh browser context (its own cookies), logged in on the hub's form, on the landing page.
    ``axe_csp``: the test may inject axe into a page whose Content-Security-Policy loads nothing
    (the service's page); the page itself is served as it is."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=axe_csp)
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/{landing}/**", timeout=SPAWN_MS)
    return page


def open_and_run(page: Any, hub: Hub, user: str, path: str, load: bool = False) -> None:
    """Open a notebook (``path`` in the user's workspace) from the Lab the page shows (``load``: the
    page is elsewhere, so Lab is loaded at the notebook), and Run All. On a loaded machine Lab may
    ask for a kernel before the notebook's own is known, and keep asking: then Lab is loaded again
    at that notebook, once (the kernel is running by then, so Lab no longer asks)."""
    for attempt in range(2):
        if load or attempt:
            open_notebook(page, f"{hub.url}/user/{user}/lab/workspaces/load-{attempt}/tree/{path}")
        else:
            open_from_path(page, path)
        try:
            run_all(page)
            return
        except Exception:
            if attempt:
                raise
            page.screenshot(path=str(ROOT / "build" / "e2e" / "hub-run-all-retried.png"))


def answer_and_hand_in(page: Any, hub: Hub, user: str, shots: Path) -> None:
    assert page.url.endswith(f"/user/{user}/lab/tree/00-welcome.ipynb"), page.url  # the welcome page
    assert (hub.workspace(user) / "workbook.json").is_file()

    open_and_run(page, hub, user, PAGE)
    if user == "ana":
        respond = _exercise(page, "Submit my response")
        respond.wait_for(timeout=60_000)
        respond.locator("textarea").fill(RESPONSE)
        respond.locator("button", has_text="Submit my response").click()
        respond.locator(".wb-saved").wait_for(timeout=30_000)
    else:
        spot = _exercise(page, "Check my answer")
        spot.wait_for(timeout=60_000)
        spot.locator(".widget-checkbox input[type=checkbox]").nth(0).check()
        spot.locator("button", has_text="Check my answer").click()
        spot.locator(".wb-saved").wait_for(timeout=30_000)

    open_and_run(page, hub, user, "00-welcome.ipynb")
    handin = panel(page).locator(".wb-handin")
    handin.wait_for(timeout=60_000)
    button = handin.get_by_role("button", name="Hand in to my supervisor")
    button.focus()
    page.keyboard.press("Enter")  # a keyboard user hands in too
    done = handin.locator("[role=status] .wb-saved")
    done.wait_for(timeout=60_000)
    assert "Handed in attempt 1" in done.inner_text()
    handin.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"30-{user}-handed-in.png"))
    check(page, f"hub-lab-welcome-{user}", LAB_THIRD_PARTY, shots)  # the page with its hand-in panel


def app_trainee_hands_in(page: Any, hub: Hub, user: str, shots: Path) -> None:
    """The app behind the hub: the welcome page in Voilà, an answer, the same hand-in button."""
    assert page.url.endswith(f"/user/{user}/voila/render/00-welcome.ipynb"), page.url
    page.goto(f"{hub.url}/user/{user}/voila/render/{PAGE}")
    spot = page.locator(".wb-spot-signs").first
    spot.wait_for(timeout=120_000)
    spot.locator("input[type=checkbox]").first.check()
    spot.get_by_role("button", name="Check my answer").click()
    spot.locator(".wb-saved").first.wait_for(timeout=30_000)
    page.goto(f"{hub.url}/user/{user}/voila/render/00-welcome.ipynb")
    handin = page.locator(".wb-handin")
    handin.wait_for(timeout=120_000)
    handin.get_by_role("button", name="Hand in to my supervisor").click()
    done = handin.locator("[role=status] .wb-saved")
    done.wait_for(timeout=60_000)
    assert "Handed in attempt 1" in done.inner_text()
    page.screenshot(path=str(shots / f"30-{user}-handed-in-app.png"))
    check(page, f"hub-app-welcome-{user}", {}, shots)


def test_two_trainees_hand_in_and_feedback_comes_back(hub: Hub, browser: Any, contexts: list[Any], shots: Path) -> None:
    started = time.monotonic()
    trainees = {user: log_in(contexts, browser, hub, user) for user in ("ana", "ben")}
    for user, page in trainees.items():
        answer_and_hand_in(page, hub, user, shots)
    app_trainee_hands_in(log_in(contexts, browser, hub, "cai", landing="voila"), hub, "cai", shots)

    # the supervisor: both hand-ins on the service's page (the hub's OAuth, no second password)
    sup = log_in(contexts, browser, hub, "sup", axe_csp=True)
    sup.goto(f"{hub.url}/services/workbook/")
    for user in ("ana", "ben", "cai"):
        sup.get_by_text(user, exact=True).first.wait_for(timeout=60_000)
    assert "workbook supervise --hub ana" in sup.content()
    sup.screenshot(path=str(shots / "31-supervisor-service-page.png"))
    check(sup, "hub-service-page", {}, shots)

    # `workbook supervise --hub ana`, as the supervisor would type it in their Lab's terminal
    env = {
        **os.environ,
        "WORKBOOK_HUB_URL": hub.service,
        "JUPYTERHUB_API_TOKEN": hub.token("sup"),
        "JUPYTERHUB_USER": "sup",
    }
    done = subprocess.run(
        [str(BIN / "workbook"), "supervise", "--hub", "ana"],
        cwd=hub.workspace("sup"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    notebook = Path(done.stdout.strip().rsplit(": ", 1)[1])
    assert notebook.parts[0] == "supervision" and (hub.workspace("sup") / notebook).is_file()

    open_and_run(sup, hub, "sup", notebook.as_posix(), load=True)  # from the service's page
    panel(sup).get_by_text("also sent to the programme's hub service").wait_for(timeout=60_000)
    form = panel(sup).locator(".wb-exercise", has=sup.locator("button", has_text="Save feedback")).first
    form.wait_for(timeout=60_000)
    assert RESPONSE in form.inner_text()
    form.locator("textarea").first.fill(COMMENT)
    form.locator("button", has_text="Save feedback").click()
    form.locator(".wb-saved").wait_for(timeout=30_000)
    assert "not sent" not in form.inner_text()
    sup.screenshot(path=str(shots / "32-supervisor-feedback-saved.png"))

    # ana runs her page again: the feedback is pulled into her store and shown under her answer
    ana = trainees["ana"]
    open_and_run(ana, hub, "ana", PAGE)
    shown = panel(ana).locator(".wb-supervisor", has_text=COMMENT).first
    shown.wait_for(timeout=60_000)
    assert "sup" in shown.inner_text()
    shown.scroll_into_view_if_needed()
    ana.screenshot(path=str(shots / "33-trainee-sees-hub-feedback.png"))
    with ResponseStore(store_path(hub.workspace("ana") / "responses", "ana"), "ana") as store:
        (note,) = store.attempts(role="supervisor")
        assert note.author == "sup" and note.answer["comment"] == COMMENT

    # ben's own token: his own hand-ins yes; ana's, her feedback and the supervisors' routes no
    ben = HubClient(hub.service, hub.token("ben"))
    assert [h["attempt"] for h in ben.handins("ben")["handins"]] == [1]
    refused = {
        "ana's hand-ins": lambda: ben.handins("ana"),
        "ana's hand-in": lambda: ben.handin("ana", 1),
        "ana's latest": lambda: ben.handin("ana"),
        "ana's feedback": lambda: ben.feedback("ana"),
        "feedback on ana": lambda: ben.send_feedback("ana", []),
        "the trainee list": ben.trainees,
    }
    for what, call in refused.items():
        with pytest.raises(HubError, match=r"refused \(403\)"):
            call()
            pytest.fail(f"ben's token reached {what}")
    print(f"hub e2e: {time.monotonic() - started:.0f} s from the first login", file=sys.stderr)
