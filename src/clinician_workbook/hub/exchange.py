"""Hand-in and feedback through the hub service: what the trainee's and the supervisor's sides do
with their stores and :class:`.client.HubClient`.

- Trainee: :func:`hand_in` sends exactly what ``workbook responses export`` writes (own answers
  and shared reflections; private reflections, drafts and supervisor notes left out), then
  :func:`pull_feedback`: the supervisors' rows for this trainee, checked like any backup, added to
  the trainee's store (a uid already there is skipped, so pulling twice adds nothing).
- Pages call :func:`pull_feedback_quietly` when they start: a short timeout, never an exception.
- Supervisor: :func:`fetch_for_review` saves a hand-in owner-only, imports it into the supervisor's
  copy, and pulls the feedback already given (by anyone) into that copy; :class:`FeedbackSender`
  sends the supervisor's own feedback rows after each save.

Retry: the service skips a feedback row whose uid it already has, so each send carries every
feedback row of this supervisor in the copy. A send that failed is simply made again, whole,
with the next save or the next run of the supervisor notebook; nothing is queued anywhere else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..files import PRIVATE, write_atomic
from ..responses import ResponseStore
from ..responses.handin import attempt_row, export_text, import_handin, read_handin_bytes
from ..responses.naming import safe_filename
from .client import HubClient, HubError, reason

log = logging.getLogger(__name__)
PAGE_TIMEOUT = 3.0  # seconds a page waits for feedback before it shows without it


@dataclass(frozen=True)
class HandedIn:
    trainee: str
    attempt: int
    answers: int
    url: str
    feedback_added: int


def hand_in(client: HubClient, store: ResponseStore) -> HandedIn:
    """Send ``store``'s hand-in as a new attempt, then pull feedback; what the service recorded."""
    receipt = client.hand_in(export_text(store).encode("utf-8"))
    try:
        attempt, answers = int(receipt["attempt"]), int(receipt["answers"])
    except (KeyError, TypeError, ValueError):
        raise HubError(f"the hub service at {client.url} sent an unexpected receipt for the hand-in") from None
    return HandedIn(store.trainee, attempt, answers, client.url, pull_feedback(client, store))


def pull_feedback(client: HubClient, store: ResponseStore) -> int:
    """Add the service's feedback on ``store``'s trainee to it; how many rows were new."""
    raw = client.feedback(store.trainee)
    trainee, rows = read_handin_bytes(raw, f"{client.url}api/feedback", backup=True)
    if trainee != store.trainee:
        raise HubError(f"the hub service sent feedback for {trainee!r}, not {store.trainee!r}")
    return store.add_imported_many(r for r in rows if r.role == "supervisor")


def pull_feedback_quietly(path: Path, trainee: str, timeout: float = PAGE_TIMEOUT) -> str | None:
    """A page's pull when it starts: None when done (or nothing to do), else a one-line note.

    Only into an existing store (a trainee who never answered has handed nothing in), with a
    short timeout; whatever goes wrong is logged and returned, never raised.
    """
    if not path.exists():
        return None
    try:
        with ResponseStore(path, trainee) as store:
            pull_feedback(HubClient.from_env(timeout=timeout), store)
        return None
    except Exception as err:  # a page must open whatever the network does
        log.warning("feedback not fetched: %s", err)
        return reason(err)


def fetch_for_review(client: HubClient, trainee: str, attempt: int | None, folder: Path) -> tuple[Path, int]:
    """The trainee's hand-in ``attempt`` (None: the latest) saved under ``folder``, imported into
    ``folder/supervisor-copies`` with the feedback already given; (the copy's store, attempt)."""
    listed = client.handins(trainee).get("handins") or []
    numbers = [int(h["attempt"]) for h in listed if isinstance(h, dict) and "attempt" in h]
    if not numbers:
        raise HubError(f"{trainee!r} has not handed in anything yet")
    chosen = numbers[-1] if attempt is None else attempt
    if chosen not in numbers:
        raise HubError(f"{trainee!r} has no hand-in attempt {chosen} (attempts: {', '.join(map(str, numbers))})")
    raw = client.handin(trainee, chosen)
    where = f"{client.url}api/handins/{trainee}/{chosen}"
    owner, _ = read_handin_bytes(raw, where)  # checked before anything is written
    if owner != trainee:
        raise HubError(f"{where}: the hand-in names {owner!r}, not {trainee!r}")
    handins = folder / "hub-handins"
    saved = write_atomic(handins / f"{safe_filename(trainee)}-attempt-{chosen}.json", raw, mode=PRIVATE)
    result = import_handin(saved, folder / "supervisor-copies")
    with ResponseStore(result.store, trainee) as copy:
        pull_feedback(client, copy)
    return result.store, chosen


class FeedbackSender:
    """Sends one supervisor's feedback rows in a trainee's copy to the service."""

    def __init__(self, client: HubClient, trainee: str, supervisor: str) -> None:
        self.client, self.trainee, self.supervisor = client, trainee, supervisor

    def send(self, store: ResponseStore) -> str | None:
        """Every feedback row of this supervisor (the service skips those it has): None when sent,
        else the one-line reason it was not."""
        rows = [attempt_row(a) for a in store.attempts(role="supervisor") if a.author == self.supervisor]
        if not rows:
            return None
        try:
            self.client.send_feedback(self.trainee, rows)
            return None
        except HubError as err:
            log.warning("feedback for %s not sent: %s", self.trainee, err)
            return str(err)


__all__ = ["FeedbackSender", "HandedIn", "fetch_for_review", "hand_in", "pull_feedback", "pull_feedback_quietly"]
