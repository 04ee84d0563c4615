"""What the supervisor notebook calls: walk a trainee's answers and give feedback on each.

The trainee's work comes from their store or from a hand-in file (``workbook responses
export``); a hand-in is first imported into a supervisor-side store, and the feedback goes
there. Feedback is saved with role ``supervisor`` and the supervisor's name, never over the
trainee's attempts. Private reflections are not shown; shared ones can get a comment.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from IPython.display import HTML
from IPython.display import display as _untyped_display
from markupsafe import Markup

from .content import Catalog
from .courses import load_course
from .errors import UsageError
from .exercises.supervise import FeedbackForm
from .feedback import criterion_name, triage_answer_html, triage_feedback
from .hub.client import HubClient
from .hub.exchange import FeedbackSender
from .pages import triage_page_id
from .render import render
from .render.review import STAGES, UNREADABLE
from .responses import Attempt, ResponseStore, in_order, store_owner
from .responses.answers import ReflectAnswer, RespondAnswer, read_answer
from .responses.handin import import_handin
from .scoring import score_triage_answer
from .session import CSS

display = cast(Callable[..., None], _untyped_display)
T = "supervision.html.j2"
SHOWN = Markup('<div class="wb wb-supervisor-view">{}</div>')


class SupervisorRecorder:
    """Saves a supervisor's feedback for one challenge into the trainee's store; on a hub, then
    sends it to the hub service too (``sender``). ``unsent`` is why the last send failed, or None:
    the feedback is saved here either way, and the next save sends it again."""

    def __init__(self, store: ResponseStore, challenge: str, author: str, sender: FeedbackSender | None = None) -> None:
        self.store, self.challenge, self.author, self.sender = store, challenge, author, sender
        self.unsent: str | None = None

    def save(self, exercise: str, item: str, answer: dict[str, Any], *, shared: bool = False) -> Attempt:
        attempt = self.store.save(self.challenge, exercise, item, answer, role="supervisor", author=self.author)
        if self.sender is not None:
            self.unsent = self.sender.send(self.store)
        return attempt

    def history(self, exercise: str, item: str | None = None) -> list[Attempt]:
        return in_order(self.store.attempts(challenge=self.challenge, exercise=exercise, item=item, role="supervisor"))

    def latest(self, exercise: str, item: str) -> Attempt | None:
        found = self.history(exercise, item)
        return found[-1] if found else None

    def save_draft(self, exercise: str, item: str, fields: dict[str, str]) -> Attempt | None:
        return None  # a supervisor's unsaved comments are not kept in the trainee's store

    def draft(self, exercise: str, item: str) -> dict[str, str]:
        return {}


def open_trainee_store(responses: str | Path, copies: str | Path | None = None) -> ResponseStore:
    """A trainee's store from a ``.sqlite`` file, or from a hand-in ``.json`` imported into ``copies``."""
    path = Path(responses)
    if path.suffix == ".json":
        result = import_handin(path, Path(copies) if copies else path.parent / "supervisor-copies")
        return ResponseStore(result.store, result.trainee)
    if path.suffix == ".sqlite":
        return ResponseStore(path, store_owner(path))
    raise UsageError(f"responses: {path} is neither a trainee store (.sqlite) nor a hand-in file (.json)")


class Supervision:
    def __init__(
        self,
        responses: str | Path,
        supervisor: str,
        copies: str | Path | None = None,
        catalog: Catalog | None = None,
        content: str | Path | None = None,
        hub: bool = False,
    ) -> None:
        if not supervisor.strip():
            raise UsageError("supervisor: give your name; it is saved with your feedback")
        self.catalog = catalog or load_course(content)
        self.store = open_trainee_store(responses, copies)
        self.supervisor = supervisor
        self.trainee = self.store.trainee
        self.latest = self.store.latest(role="trainee")
        self.sender = FeedbackSender(HubClient.from_env(), self.trainee, supervisor) if hub else None

    def recorder(self, challenge: str) -> SupervisorRecorder:
        return SupervisorRecorder(self.store, challenge, self.supervisor, self.sender)

    def _show(self, body: Markup) -> None:
        display(HTML(str(SHOWN.format(body))))  # type: ignore[no-untyped-call]

    def header(self) -> None:
        self._show(
            render(
                T,
                "header",
                css=Markup(CSS),  # our own stylesheet, shipped with the package
                trainee=self.trainee,
                supervisor=self.supervisor,
                answered=len(self.latest),
                course=self.catalog.course,
            )
        )
        if self.sender is not None:  # feedback saved here but not yet on the service goes now
            unsent = self.sender.send(self.store)
            self._show(render(T, "hub_status", unsent=unsent, url=self.sender.client.url))

    def responses(self) -> None:
        """Deliberate-practice responses: the latest rated round per statement, with the rubric."""
        statements = {s.id: s for s in self.catalog.client_statements}
        found = 0
        guided: set[str] = set()
        for (challenge, exercise, item), attempt in sorted(self.latest.items()):
            if exercise != "respond" or item not in statements or statements[item].challenge != challenge:
                continue  # only answers filed where the course asks them
            found += 1
            if challenge not in guided:  # the challenge's guidance for supervisors, once, above its answers
                guided.add(challenge)
                about = self.catalog.challenge(challenge)
                self._show(render(T, "guidance", title=about.title, notes=about.supervisor_notes))
            s = statements[item]
            criteria = [c for c in self.catalog.skill_criteria if c.challenge == s.challenge]
            page = self.catalog.challenge(challenge).title
            title = render(T, "response_title", page=page, difficulty=s.difficulty)
            given = read_answer("respond", "trainee", attempt.answer)
            if not isinstance(given, RespondAnswer):
                display(FeedbackForm(self.recorder(challenge), f"respond/{item}", title + UNREADABLE, criteria))
                continue
            names = {c.id: criterion_name(c) for c in criteria}
            own = [(names[k], v) for k, v in (given.ratings or {}).items() if k in names]
            shown = render(T, "response", title=title, statement=s.text, response=given.response, own=own)
            display(FeedbackForm(self.recorder(challenge), f"respond/{item}", shown, criteria))
        if not found:
            self._show(render(T, "empty", text="No deliberate-practice responses yet."))

    def triage(self) -> None:
        """Triage answers against the key, with any safety-critical error marked."""
        cases = {c.id: c for c in self.catalog.triage_cases}
        for (challenge, exercise, item), attempt in sorted(self.latest.items()):
            if exercise != "triage" or item not in cases or challenge != triage_page_id(self.catalog):
                continue
            case = cases[item]
            result = score_triage_answer(self.catalog, case, attempt.answer)
            if result is None:
                shown = render(T, "triage", title=case.title, unreadable=UNREADABLE, notes=case.supervisor_notes)
            else:
                shown = render(
                    T,
                    "triage",
                    title=case.title,
                    unreadable=None,
                    critical=bool(result.safety_critical),
                    answer=triage_answer_html(self.catalog, result),
                    feedback=triage_feedback(self.catalog, case, result),
                    notes=case.supervisor_notes,
                )
            display(FeedbackForm(self.recorder(challenge), f"triage/{item}", shown))

    def reflections(self) -> None:
        """Only the reflections the trainee chose to share."""
        prompts = {p.id: p for p in self.catalog.reflection_prompts}
        shared = [
            (k, a)
            for k, a in sorted(self.latest.items())
            if k[1] == "reflect" and a.shared and k[2] in prompts and prompts[k[2]].challenge == k[0]
        ]
        hidden = sum(1 for k, a in self.latest.items() if k[1] == "reflect" and not a.shared)
        for (challenge, _, item), attempt in shared:
            given = read_answer("reflect", "trainee", attempt.answer)
            stages = given.stages.model_dump() if isinstance(given, ReflectAnswer) else {}
            shown = render(
                T,
                "reflection",
                title=prompts[item].title,
                stages=[(title, stages.get(key)) for key, title in STAGES],
                unreadable=UNREADABLE,
            )
            display(FeedbackForm(self.recorder(challenge), f"reflect/{item}", shown))
        note = f"{hidden} private reflection(s) not shown: reflections are private unless the trainee shares them."
        self._show(render(T, "empty", text=note if hidden else ""))

    def close(self) -> None:
        self.store.close()


def supervise(responses: str | Path, supervisor: str, **options: Any) -> Supervision:
    """Begin the supervisor notebook: ``sv = supervise(responses, supervisor)``."""
    return Supervision(responses, supervisor, **options)


__all__ = ["Supervision", "SupervisorRecorder", "open_trainee_store", "supervise"]
