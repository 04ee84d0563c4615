"""What every exercise widget shares: saving through a recorder, status, feedback, own errors.

An exercise is a composite ``VBox`` that owns its controls. Handlers are wrapped so that an
error is shown inside the widget (and the kernel keeps running) instead of escaping into the
notebook. Every exercise can be driven from code: set control values, call ``button.click()``.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import ipywidgets as widgets

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


def button(label: str, style: str = "primary") -> widgets.Button:
    return widgets.Button(description=label, button_style=style, layout=widgets.Layout(width="auto"))


def block(title: str, html_body: str, css: str = "wb-card") -> widgets.HTML:
    return widgets.HTML(f'<div class="{css}"><h4>{html.escape(title)}</h4>{html_body}</div>')


class Exercise(widgets.VBox):
    """Base of every exercise widget: a status line and a feedback area below the controls."""

    exercise = "exercise"

    def __init__(self, recorder: Recorder, item: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.recorder = recorder
        self.item = item
        self.status = widgets.HTML("", layout=widgets.Layout(min_height="1.5em"))
        self.feedback = widgets.HTML("")
        self.add_class("wb-exercise")

    def save(self, answer: dict[str, Any], *, shared: bool = False) -> Saved:
        """Save and show the acknowledgement only once the store has committed."""
        attempt = self.recorder.save(self.exercise, self.item, answer, shared=shared)
        stamp = attempt.time[11:19]
        self.status.value = f'<span class="wb-saved" data-saved="{html.escape(attempt.time)}">Saved {stamp}</span>'
        return attempt

    def show_error(self, err: BaseException) -> None:
        log.exception("exercise %s/%s failed", self.exercise, self.item, exc_info=err)
        self.status.value = (
            '<span class="wb-error">Something went wrong and this answer may not be saved: '
            f"{html.escape(str(err) or type(err).__name__)}. Your other answers are safe; "
            "try again, and tell your trainer if it keeps happening.</span>"
        )

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
