"""What a notebook calls: one ``Session`` per notebook run, one method per section.

Notebooks stay thin: a parameters cell, then ``wb = start(...)`` and one call per section.
Each section renders according to ``mode``:

- ``interactive``: exercise widgets whose answers go to the trainee's store as they are given
  (the store is created on the first answer, so a plain papermill run writes nothing);
- ``handout``: a printable blank worksheet (static HTML: boxes, ruled space);
- ``review``: the trainee's saved answers, scored, with feedback (static HTML from the store).

Static modes never display a widget: exports need no widget state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from IPython.display import HTML
from IPython.display import display as _untyped_display
from markupsafe import Markup

from .app import in_app
from .citations import format_reference
from .content import Catalog
from .content.models import DIFFICULTIES, Difficulty, Reference, Strategy, Vignette
from .courses import load_course
from .curriculum import progress
from .errors import UsageError
from .exercises import Classify, KnowledgeCheckQuiz, Reflect, Respond, SpotSigns, StrategyMatchQuiz, Triage
from .exercises.base import Exercise, HTMLView
from .exercises.handin import HandInPanel
from .feedback import TOGETHER, urgency_html
from .hub.client import on_hub
from .hub.exchange import pull_feedback_quietly
from .options import check_trainee, parse_date
from .pages import find_page, items_for, page_title, pages
from .render import draft_notice, handout, render
from .render.review import LABELS, Review, feedback_notes, supervisor_feedback
from .responses import Attempt, ResponseStore, in_order, read_store, store_path
from .workspace import find_workspace

log = logging.getLogger(__name__)
MODES = ("interactive", "handout", "review")
CSS = (Path(__file__).parent / "static" / "workbook.css").read_text(encoding="utf-8")
T = "notebook.html.j2"
SHOWN = Markup('<div class="wb wb-{}">{}</div>')  # every section's output, classed by mode


display = cast(Callable[..., None], _untyped_display)


class StoreRecorder:
    """Saves one challenge's answers to the trainee's store; opens the store only when needed."""

    def __init__(self, path: Path, trainee: str, challenge: str) -> None:
        self.path, self.trainee, self.challenge = path, trainee, challenge
        self._store: ResponseStore | None = None
        self.on_save: list[Callable[[], None]] = []  # told after every saved answer (live progress)

    def _open(self, create: bool) -> ResponseStore | None:
        if self._store is None and (create or self.path.exists()):
            self._store = ResponseStore(self.path, self.trainee)
        return self._store

    def save(self, exercise: str, item: str, answer: dict[str, Any], *, shared: bool = False) -> Attempt:
        store = self._open(create=True)
        assert store is not None
        attempt = store.save(self.challenge, exercise, item, answer, shared=shared)
        for listener in self.on_save:
            try:
                listener()
            except Exception:  # a summary that failed to refresh must not say the answer was lost
                log.exception("refreshing after a save failed")
        return attempt

    def latest(self, exercise: str, item: str) -> Attempt | None:
        """The current answer, by the one rule (``responses.current``)."""
        found = self.history(exercise, item)
        return found[-1] if found else None

    def history(self, exercise: str, item: str | None = None) -> list[Attempt]:
        """The trainee's attempts, oldest first in the order of the current rule."""
        store = self._open(create=False)
        if store is None:
            return []
        return in_order(store.attempts(challenge=self.challenge, exercise=exercise, item=item, role="trainee"))

    def save_draft(self, exercise: str, item: str, fields: dict[str, str]) -> Attempt | None:
        if not any(text.strip() for text in fields.values()) and not self.path.exists():
            return None  # nothing typed and no store yet: nothing to keep or clear
        store = self._open(create=True)
        assert store is not None
        return store.save_draft(self.challenge, exercise, item, fields)

    def draft(self, exercise: str, item: str) -> dict[str, str]:
        store = self._open(create=False)
        return {} if store is None else store.draft(self.challenge, exercise, item)

    def all(self) -> list[Attempt]:
        """Every attempt of this challenge, all roles (for ``curriculum.progress``)."""
        store = self._open(create=False)
        return [] if store is None else store.attempts(challenge=self.challenge)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _on(exercise: Exercise, feedback_exercise: str, item: str) -> bool:
    """Whether feedback on ``feedback_exercise``/``item`` belongs under ``exercise``: its own item,
    or, for deliberate practice (one widget for every statement of the page), any statement."""
    return feedback_exercise == exercise.exercise and (item == exercise.item or exercise.exercise == "respond")


class Session:
    def __init__(
        self,
        challenge: str,
        trainee: str | None = None,
        mode: str = "interactive",
        responses: str | Path | None = None,
        difficulty: str = "beginner",
        seed: int = 0,
        cohort: str = "",
        date: str | None = None,
        show_private: bool = False,
        catalog: Catalog | None = None,
        content: str | Path | None = None,
    ) -> None:
        if mode not in MODES:
            raise UsageError(f"mode: {mode!r} is not available (choose from {', '.join(MODES)})")
        if difficulty not in DIFFICULTIES:
            raise UsageError(f"difficulty: {difficulty!r} must be beginner, intermediate or advanced")
        self.catalog = catalog or load_course(content)
        find_page(self.catalog, challenge)  # an unknown page: one line naming the known ones
        if trainee is not None:  # only a missing trainee falls back: an empty one is a mistake, not "demo"
            trainee = check_trainee(trainee, "trainee")
        date = parse_date(date, "date")
        workspace = find_workspace()
        self.trainee = trainee if trainee is not None else (workspace.trainee if workspace else "demo")
        folder = responses or (workspace.responses if workspace else Path("responses"))
        self.challenge, self.mode, self.seed = challenge, mode, seed
        self.cohort, self.show_private = cohort, show_private
        self.date = date or datetime.now().date().isoformat()
        self.difficulty: Difficulty = difficulty
        self.recorder = StoreRecorder(store_path(folder, self.trainee), self.trainee, challenge)
        self._review: Review | None = None
        # on a hub, the supervisors' feedback is fetched as the page starts (a short wait at most)
        self.on_hub = mode == "interactive" and on_hub()
        self.hub_note = pull_feedback_quietly(self.recorder.path, self.trainee) if self.on_hub else None

    @property
    def review(self) -> Review:
        """The trainee's answers for review mode, read once from the store."""
        if self._review is None:
            path = self.recorder.path
            if not path.exists():
                raise UsageError(f"{path}: no saved answers for {self.trainee!r} (check --responses and --trainee)")
            _, attempts = read_store(path, self.trainee)  # read-only: a review never writes
            self._review = Review(self.catalog, self.challenge, attempts, self.show_private)
        return self._review

    # -- text sections -------------------------------------------------------------------------
    def _show(self, body: Markup) -> None:
        # a plain str for IPython: whoever reads the output back gets no escaping operators
        display(HTML(str(SHOWN.format(self.mode, body))))  # type: ignore[no-untyped-call]

    def draft_notice(self) -> Markup:
        return draft_notice(self.catalog.course)

    @property
    def title(self) -> str:
        return page_title(self.catalog, self.challenge)

    def _page(self, macro: str, **context: Any) -> Markup:
        return render(T, macro, **context)

    def header(self) -> None:
        """Title, draft notice and, for a challenge, its summary and learning objectives."""
        # Interactive pages carry the styles themselves; printed documents get them once, from
        # the export template, so a combined workbook does not repeat them per page.
        challenge = self.catalog.items.get("challenge", {}).get(self.challenge)
        self._show(
            self._page(
                "header",
                mode=self.mode,
                css=Markup(CSS),  # our own stylesheet, shipped with the package
                course=self.catalog.course,
                title=self.title,
                trainee=self.trainee,
                cohort=self.cohort,
                date=self.date,
                challenge=challenge,
                app=in_app(),
            )
        )
        if self.hub_note:
            self._show(self._page("hub_note", note=self.hub_note))

    def welcome(self) -> None:
        """The course, and its pages: in the workbook, each a link with what is done on it."""
        attempts = self._every_attempt() if self.mode == "interactive" else None
        titles = [
            (
                p.number,
                p.title,
                p.notebook if attempts is not None and p.id != self.challenge else None,
                self._done(p.id, attempts),
            )
            for p in pages(self.catalog)
        ]
        reading = [
            (format_reference(self.catalog.get("reference", r.reference, Reference)), r.why)
            for r in self.catalog.course.reading_list
        ]
        self._show(
            self._page(
                "welcome",
                course=self.catalog.course,
                titles=titles,
                content=self.content_statement(),
                reading=reading,
                hub=self.on_hub,
            )
        )
        if self.on_hub:
            display(HandInPanel(self.recorder.path, self.trainee))

    def _every_attempt(self) -> list[Attempt]:
        """Every attempt in the trainee's store, all pages (none before the first answer)."""
        return read_store(self.recorder.path, self.trainee)[1] if self.recorder.path.exists() else []

    def _done(self, page: str, attempts: list[Attempt] | None) -> tuple[int, int] | None:
        """(done, total) on ``page``; None for a page without exercises (the welcome page itself)."""
        if attempts is None:
            return None
        done = progress(self.catalog, page, [a for a in attempts if a.challenge == page])
        return (done.done, done.total) if done.total else None

    def content_statement(self) -> Markup:
        """Which hard topics the course touches (from every content note), and how to pace them."""
        topics = sorted({note.lower() for note in self.catalog.content_notes()})
        return self._page("content_statement", topics=topics, statement=self.catalog.course.content_statement)

    def signs(self) -> None:
        self._show(self._page("signs", challenge=self.catalog.challenge(self.challenge)))

    def safety(self) -> None:
        self._show(self._page("safety", notice=self.catalog.safety_notice))

    def references(self) -> None:
        self._show(self._page("references", references=[format_reference(r) for r in self.catalog.references]))

    def strategies(self) -> None:
        kinds: dict[str, list[Strategy]] = {}
        for s in self.catalog.strategies:
            kinds.setdefault(s.kind, []).append(s)
        headed = [(kind.replace("-", " ").capitalize(), items) for kind, items in kinds.items()]
        self._show(self._page("strategies", central_idea=self.catalog.course.central_idea, kinds=headed))

    def red_flags(self) -> None:
        flags = self.catalog.red_flags
        self._show(
            self._page(
                "red_flags",
                flags=flags,
                labels={a.id: a.text for a in self.catalog.triage_actions},
                urgencies={flag.id: urgency_html(flag.urgency) for flag in flags},
                together=TOGETHER,
            )
        )

    # -- exercises: widgets, blank worksheet or reviewed answers -------------------------------
    def _vignettes(self) -> list[Vignette]:
        return [
            self.catalog.get("vignette", v, Vignette) for v in items_for(self.catalog, self.challenge, "spot-signs")
        ]

    def _section(
        self,
        heading: Markup,
        blank: Callable[[], Markup],
        reviewed: Callable[[], Markup],
        exercises: Callable[[str], Iterable[object]],
        items: Iterable[str],
        item: str | None,
        *,
        together: bool = False,
    ) -> None:
        """One exercise section in the session's mode. Without ``item``: the blank worksheet, the
        reviewed answers, or (interactive) the section's heading, and with ``together`` its one
        item's widgets too. With ``item``: that item's exercise widgets, in a cell of their own
        (nothing in a document: its section is whole)."""
        known = list(items)
        if item is None:
            self._show({"handout": blank, "review": reviewed}.get(self.mode, lambda: heading)())
            if not (together and self.mode == "interactive"):
                return
            item = known[0]
        if item not in known:
            raise UsageError(f"{item!r} is not an item of this section (known: {', '.join(known)})")
        if self.mode != "interactive":
            return
        notes = feedback_notes(self.catalog, self.recorder.all())  # the supervisor's, read once
        for exercise in exercises(item):
            display(exercise)
            if isinstance(exercise, Exercise):  # the supervisor's feedback, under the answer it is on
                shown = [n for (ex, on), found in notes.items() for n in found if _on(exercise, ex, on)]
                if shown:
                    self._show(supervisor_feedback(shown))

    def spot_signs(self, item: str | None = None) -> None:
        """A case: its heading, then spot the signs and classify it."""
        vignettes = {v.id: v for v in self._vignettes()}

        def exercises(case: str) -> Iterator[object]:
            v = vignettes[case]
            yield HTML(str(self._page("case_heading", vignette=v)))  # type: ignore[no-untyped-call]
            yield SpotSigns(self.catalog, v, self.recorder, self.seed)
            yield Classify(self.catalog, v, self.recorder)

        self._section(
            Markup("<h2>Case vignettes</h2>"),
            lambda: handout.spot_signs(self.catalog, self.challenge, self.seed),
            lambda: self.review.spot_signs(),
            exercises,
            vignettes,
            item,
        )

    def respond(self) -> None:
        """Deliberate practice: one widget for every statement of the page, under its heading."""
        self._section(
            Markup("<h2>Respond to the client</h2><p>Deliberate practice: respond first, then compare.</p>"),
            lambda: handout.respond(self.catalog, self.challenge),
            lambda: self.review.respond(),
            lambda _: [Respond(self.catalog, self.challenge, self.recorder, self.difficulty)],
            [self.challenge],
            None,
            together=True,
        )

    def knowledge_checks(self, item: str | None = None) -> None:
        checks = {k.id: k for k in self.catalog.knowledge_checks if k.challenge == self.challenge}
        self._section(
            Markup("<h2>Check your knowledge</h2>"),
            lambda: handout.knowledge_checks(self.catalog, self.challenge, self.seed),
            lambda: self.review.knowledge_checks(),
            lambda one: [KnowledgeCheckQuiz(checks[one], self.recorder, self.seed)],
            checks,
            item,
        )

    def reflections(self, item: str | None = None) -> None:
        prompts = {p.id: p for p in self.catalog.reflection_prompts if p.challenge == self.challenge}
        self._section(
            Markup("<h2>Reflect on your own practice</h2>"),
            lambda: handout.reflections(self.catalog, self.challenge),
            lambda: self.review.reflections(),
            lambda one: [Reflect(prompts[one], self.recorder, self.catalog.course.privacy_notice)],
            prompts,
            item,
        )

    def strategy_matches(self, item: str | None = None) -> None:
        matches = {m.id: m for m in self.catalog.strategy_matches}
        self._section(
            Markup("<h2>Which strategy fits?</h2>"),
            lambda: handout.strategy_matches(self.catalog, self.seed),
            lambda: self.review.strategy_matches(),
            lambda one: [StrategyMatchQuiz(self.catalog, matches[one], self.recorder, self.seed)],
            matches,
            item,
        )

    def triage(self, item: str | None = None) -> None:
        cases = {c.id: c for c in sorted(self.catalog.triage_cases, key=lambda c: c.id)}
        self._section(
            Markup("<h2>Triage cases</h2>"),
            lambda: handout.triage(self.catalog, self.seed),
            lambda: self.review.triage(),
            lambda one: [Triage(self.catalog, cases[one], self.recorder, self.seed)],
            cases,
            item,
        )

    def progress(self) -> None:
        """Interactive: what is done so far. Review: the summary table. Handout: nothing."""
        if self.mode == "handout":
            return None
        if self.mode == "review":
            return self._show(self.review.summary(self.title))
        view = HTMLView(self._progress_now())
        self.recorder.on_save.append(lambda: setattr(view, "value", self._progress_now()))
        display(view)  # kept up to date as answers are saved, with no cell to run again
        return None

    def _progress_now(self) -> str:
        done = progress(self.catalog, self.challenge, self.recorder.all())
        rows = [(LABELS[e.exercise], e.done, e.total) for e in done.exercises]
        return str(SHOWN.format(self.mode, self._page("progress", rows=rows, course=self.catalog.course)))


def start(challenge: str, **parameters: Any) -> Session:
    """Begin a notebook: ``wb = start(page_id, trainee=trainee, mode=mode, ...)``."""
    return Session(challenge, **parameters)
