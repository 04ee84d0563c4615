"""The welcome page's hand-in button, on a hub: hand in to the programme's hub service, with a
live status line saying what happened (attempt, answers, new feedback) or why not, in one line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets
from markupsafe import Markup

from ..clock import local_time
from .base import HTMLView, StatusView, button

INTRO = Markup(
    "<h3>Hand in</h3><p>Send your answers to your supervisor through the programme's hand-in service: "
    "your own answers and the reflections you chose to share (private reflections and drafts stay here). "
    "Each hand-in is kept as a new attempt; you can hand in again at any time.</p>"
)
DONE = Markup('<span class="wb-saved" data-attempt="{}">Handed in attempt {} ({} answers) at {}.</span>{}')
NEW_FEEDBACK = Markup(" {} new feedback note(s) from your supervisor, shown under the answers.")
FAILED = Markup('<span class="wb-hint">Not handed in: {}</span>')


class HandInPanel(widgets.VBox):
    """Hands in the trainee's store at ``path`` when its button is pressed."""

    def __init__(self, path: Path, trainee: str) -> None:
        super().__init__()
        self.path, self.trainee = path, trainee
        self.button = button("Hand in to my supervisor")
        self.status = StatusView("", layout=widgets.Layout(min_height="1.5em"))
        self.button.on_click(self._hand_in)
        self.children = [HTMLView(INTRO), self.button, self.status]
        self.add_class("wb-handin")

    def _hand_in(self, _: object = None) -> None:
        from ..hub.client import HubClient, reason
        from ..hub.exchange import hand_in
        from ..responses import ResponseStore

        self.button.disabled = True
        self.status.value = "Handing in…"
        try:
            if not self.path.exists():
                self.status.value = FAILED.format("you have not answered anything yet.")
                return
            with ResponseStore(self.path, self.trainee) as store:
                done = hand_in(HubClient.from_env(), store)
            more = NEW_FEEDBACK.format(done.feedback_added) if done.feedback_added else ""
            self.status.value = DONE.format(
                done.attempt, done.attempt, done.answers, local_time(datetime.now(UTC).isoformat()), more
            )
        except Exception as err:  # the page stays; the line says why, and the button is there to try again
            self.status.value = FAILED.format(reason(err))
        finally:
            self.button.disabled = False
