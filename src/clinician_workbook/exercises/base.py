"""What every exercise widget shares: saving through a recorder, status, feedback, own errors.

An exercise is a composite ``VBox`` that owns its controls. Handlers are wrapped so that an
error is shown inside the widget (and the kernel keeps running) instead of escaping into the
notebook. Every exercise can be driven from code: set control values, call ``button.click()``.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import ipywidgets as widgets
from markupsafe import Markup, escape
from traitlets import validate

from ..clock import local_datetime, local_time

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


class Saved(Protocol):
    """What exercises read back from a saved attempt."""

    @property
    def answer(self) -> dict[str, Any]: ...

    @property
    def time(self) -> str: ...

    @property
    def shared(self) -> bool: ...


class Recorder(Protocol):
    """Saves and recalls one trainee's attempts for one challenge."""

    def save(self, exercise: str, item: str, answer: dict[str, Any], *, shared: bool = False) -> Saved: ...

    def latest(self, exercise: str, item: str) -> Saved | None: ...

    def history(self, exercise: str, item: str | None = None) -> Sequence[Saved]: ...

    def save_draft(self, exercise: str, item: str, fields: dict[str, str]) -> Saved | None: ...

    def draft(self, exercise: str, item: str) -> dict[str, str]: ...


class HTMLView(widgets.HTML):
    """An HTML widget whose value is a plain ``str``, even when given ``Markup``.

    Markup is the trust boundary up to the widget; past it, code that reads ``value`` (and adds
    to it or parses it) must get an ordinary string, not one whose operators escape.
    """

    @validate("value")
    def _plain(self, proposal: Any) -> str:
        return str(proposal["value"])


def button(label: str) -> widgets.Button:
    """An exercise's button: Lab's primary style (white on blue, 4.6:1; its "success" and "info"
    styles fall below 4.5:1), with the workbook's visible focus ring (``wb-button``)."""
    made = widgets.Button(description=label, button_style="primary", layout=widgets.Layout(width="auto"))
    made.add_class("wb-button")
    return made


W = TypeVar("W", bound=widgets.DOMWidget)


def named(control: W, name: str) -> W:
    """``control`` with an accessible name a screen reader reads and the page does not show
    (its description label, hidden visually by ``wb-named`` in workbook.css, not from the reader)."""
    control.description = name
    control.add_class("wb-named")
    return control


def scale(name: str, unset: str) -> widgets.RadioButtons:
    """A 0-4 rating, ``unset`` until chosen: radio buttons in a row (the choice is announced and
    arrow keys move within it, which toggle buttons do not give), named for a screen reader."""
    made = named(widgets.RadioButtons(options=[unset, "0", "1", "2", "3", "4"], value=unset), name)
    made.add_class("wb-scale")
    return made


class Exercise(widgets.VBox):
    """Base of every exercise widget: a status line and a feedback area below the controls."""

    exercise = "exercise"
    saved_label = "Submitted"  # what the acknowledgement says ("Draft kept" is the other state)

    def __init__(self, recorder: Recorder, item: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.recorder = recorder
        self.item = item
        self.status = HTMLView("", layout=widgets.Layout(min_height="1.5em"))
        self.feedback = HTMLView("")
        self._drafts: DraftKeeper | None = None  # set by a DraftKeeper on this exercise's text areas
        self.add_class("wb-exercise")
        self.add_class(f"wb-{self.exercise}")  # its kind, for styles and for tests that find it

    def save(self, answer: dict[str, Any], *, shared: bool = False) -> Saved:
        """Save and show the acknowledgement only once the store has committed."""
        if self._drafts is None:
            attempt = self.recorder.save(self.exercise, self.item, answer, shared=shared)
        else:
            with self._drafts.writing:  # a draft being kept right now lands first, then goes with this
                self._drafts.cancel()  # a draft pending from the last keystrokes is now submitted
                attempt = self.recorder.save(self.exercise, self.item, answer, shared=shared)
        self.status.value = Markup('<span class="wb-saved" data-saved="{}">{} {}</span>').format(
            attempt.time, self.saved_label, local_time(attempt.time)
        )
        return attempt

    @staticmethod
    def shown_time(iso: str) -> Markup:
        """A stored (UTC) time for a status line, as escaped HTML: local date and time to the minute."""
        return escape(local_datetime(iso))

    def show_error(self, err: BaseException) -> None:
        log.exception("exercise %s/%s failed", self.exercise, self.item, exc_info=err)
        self.status.value = Markup(
            '<span class="wb-error">Something went wrong and this answer may not be saved: {}. Your other '
            "answers are safe; try again, and tell your trainer if it keeps happening.</span>"
        ).format(str(err) or type(err).__name__)

    def guarded(self, handler: F) -> F:
        """Wrap a handler so its errors are shown in the widget, never raised into the kernel."""

        @functools.wraps(handler)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except Exception as err:  # shown to the trainee; the kernel must survive
                self.show_error(err)
                return None

        return run  # type: ignore[return-value]


class DraftKeeper:
    """Keeps what is typed in text areas but not yet submitted, as the item's draft in the store.

    Saved after a pause in typing (``delay`` seconds after the last change: one write per
    pause, not per keystroke), and on ``flush()``. A draft is never an attempt: the store
    replaces it on every change and drops it when the answer is submitted. The widget's status
    line says "Draft kept" so the trainee can tell a draft from a submitted answer.
    """

    def __init__(self, exercise: Exercise, boxes: dict[str, Any], delay: float = 1.5) -> None:
        self.exercise, self.boxes, self.delay = exercise, boxes, delay
        exercise._drafts = self
        self._timer: threading.Timer | None = None
        self.writing = threading.Lock()  # one draft write or submission at a time
        self._quiet = False  # while refilling, a change is not typing
        self._lock = threading.Lock()
        for box in boxes.values():
            box.observe(self._changed, names="value")

    def _changed(self, _: object) -> None:
        if self._quiet:
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            timer = threading.Timer(self.delay, self.exercise.guarded(self._due))
            timer.args = (timer,)  # the callback checks it is still the pending one
            self._timer = timer
            timer.daemon = True
            timer.start()

    def _due(self, timer: threading.Timer) -> None:
        with self.writing:
            with self._lock:
                if self._timer is not timer:
                    return  # cancelled (submitted) or replaced by later typing after it fired
                self._timer = None
            self._keep()

    def cancel(self) -> None:
        """Drop a pending draft: what it would keep is being submitted."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def flush(self) -> None:
        """Keep the current text now."""
        with self.writing:
            self.cancel()
            self._keep()

    def _keep(self) -> None:
        if any(box.disabled for box in self.boxes.values()):
            return  # submitted and locked: nothing unsubmitted to keep
        fields = {name: str(box.value) for name, box in self.boxes.items()}
        kept = self.exercise.recorder.save_draft(self.exercise.exercise, self.exercise.item, fields)
        if kept is not None:
            self.exercise.status.value = Markup(
                '<span class="wb-draft-kept">Draft kept {} (not submitted yet)</span>'
            ).format(local_time(kept.time))

    def set_quietly(self, name: str, value: str) -> None:
        """Set a box's text from code (a new statement, a refill): not typing, so no draft."""
        self._quiet = True
        try:
            self.boxes[name].value = value
        finally:
            self._quiet = False

    def refill(self) -> bool:
        """Put the kept draft back into the boxes; True if there was one."""
        kept = self.exercise.recorder.draft(self.exercise.exercise, self.exercise.item)
        if not kept:
            return False
        for name in self.boxes:
            if name in kept:
                self.set_quietly(name, kept[name])
        self.exercise.status.value = '<span class="wb-draft-kept">Draft kept from last time (not submitted yet)</span>'
        return True
