"""The workbook's pages, read from the course: the one list every command and notebook follows.

A course has a welcome page; a page per challenge with signs (practice: spot the signs,
respond, knowledge checks, reflections), in the challenges' ``order``; a strategies page
(strategy matching); and a page per challenge without signs (its red flags and the triage
cases), again in ``order``. Pages are numbered in that sequence, and a page's notebook is
``NN-<page id>.ipynb``. Nothing here names a page of any particular course.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .content.catalog import Catalog
from .content.loader import suggest
from .content.models import DIFFICULTIES, WELCOME_PAGE
from .errors import UsageError

PageKind = Literal["welcome", "practice", "strategies", "concerns"]
WELCOME = WELCOME_PAGE
# The exercises a page can hold, in the order a trainee meets them.
PRACTICE = ("spot-signs", "classify", "respond", "knowledge-check", "reflect")
EXERCISE_ORDER = (*PRACTICE, "strategy-match", "triage")


@dataclass(frozen=True)
class Page:
    id: str
    number: int
    title: str
    short_title: str  # for narrow places: the cohort report's columns
    kind: PageKind
    exercises: tuple[str, ...]  # only exercises with at least one item on this page
    items: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (exercise, its items on this page), in order

    def items_of(self, exercise: str) -> tuple[str, ...]:
        return next((found for e, found in self.items if e == exercise), ())

    @property
    def stem(self) -> str:
        """The page's notebook and document name: ``NN-<page id>``."""
        return f"{self.number:02d}-{self.id}"

    @property
    def notebook(self) -> str:
        return f"{self.stem}.ipynb"


def items_for(catalog: Catalog, page: str, exercise: str) -> list[str]:
    """The ids of the items ``exercise`` offers on ``page``, in the order the trainee meets them."""
    if exercise in ("spot-signs", "classify"):
        vignettes = [v for v in catalog.vignettes if page in v.challenges]
        return [v.id for v in sorted(vignettes, key=lambda v: DIFFICULTIES.index(v.difficulty))]
    if exercise == "respond":
        return [s.id for s in catalog.client_statements if s.challenge == page]
    if exercise == "knowledge-check":
        return [k.id for k in catalog.knowledge_checks if k.challenge == page]
    if exercise == "reflect":
        return [p.id for p in catalog.reflection_prompts if p.challenge == page]
    if exercise == "strategy-match":
        return [m.id for m in catalog.strategy_matches] if page == strategies_page_id(catalog) else []
    if exercise == "triage":
        return sorted(c.id for c in catalog.triage_cases) if page == triage_page_id(catalog) else []
    raise ValueError(f"unknown exercise {exercise!r}")


def strategies_page_id(catalog: Catalog) -> str:
    return catalog.course.strategies_page.id


def triage_page_id(catalog: Catalog) -> str | None:
    """The page that holds the triage cases: the first challenge without signs, if any."""
    return next((c.id for c in catalog.challenges if not c.signs), None)


_BUILT: dict[int, tuple[Catalog, list[Page]]] = {}  # catalogs are loaded once per process


def pages(catalog: Catalog) -> list[Page]:
    """Every page of the course, in the order a trainee works through them."""
    built = _BUILT.get(id(catalog))
    if built is None or built[0] is not catalog:
        built = _BUILT[id(catalog)] = (catalog, _build(catalog))
    return list(built[1])


def _build(catalog: Catalog) -> list[Page]:
    practice = [c for c in catalog.challenges if c.signs]
    concerns = [c for c in catalog.challenges if not c.signs]
    course = catalog.course
    strategies = course.strategies_page
    planned: list[tuple[str, str, str | None, PageKind]] = [
        (WELCOME, "Welcome", None, "welcome"),
        *[(c.id, c.title, c.short_title, "practice") for c in practice],
        (strategies.id, strategies.title, strategies.short_title, "strategies"),
        *[(c.id, c.title, c.short_title, "concerns") for c in concerns],
    ]
    built = []
    for number, (page_id, title, short, kind) in enumerate(planned):
        found = [(e, tuple(items_for(catalog, page_id, e))) for e in EXERCISE_ORDER if kind != "welcome"]
        items = tuple((e, ids) for e, ids in found if ids)
        built.append(Page(page_id, number, title, short or title, kind, tuple(e for e, _ in items), items))
    return built


def work_pages(catalog: Catalog) -> list[Page]:
    """The pages a trainee answers on or a supervisor reviews: every page but the welcome page."""
    return [p for p in pages(catalog) if p.kind != "welcome"]


def find_page(catalog: Catalog, page_id: str, option: str = "challenge", *, work: bool = False) -> Page:
    """The page ``page_id``; a one-line UsageError naming ``option`` and the known pages if none."""
    known = work_pages(catalog) if work else pages(catalog)
    for page in known:
        if page.id == page_id:
            return page
    ids = [p.id for p in known]
    hint = suggest(page_id, ids) or f" (known: {', '.join(ids)})"
    raise UsageError(f"{option}: unknown {page_id!r}{hint}")


def parse_challenges(value: str, catalog: Catalog, option: str = "--challenge") -> tuple[str, ...]:
    """Page ids from ``all`` or ``id,id``; every id a page a trainee works on in this course."""
    if value == "all":
        return tuple(p.id for p in work_pages(catalog))
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    if not chosen:
        raise UsageError(f"{option}: give one or more page ids, or all")
    return tuple(find_page(catalog, page, option, work=True).id for page in chosen)


def foreign_pages(catalog: Catalog, challenges: list[str]) -> dict[str, int]:
    """Pages answers were filed under that this course does not have, with how many answers:
    a sign that a store is being read against the wrong course (``--content``)."""
    known = {p.id for p in pages(catalog)}
    found: dict[str, int] = {}
    for challenge in challenges:
        if challenge not in known:
            found[challenge] = found.get(challenge, 0) + 1
    return dict(sorted(found.items()))


def foreign_warning(found: dict[str, int]) -> str:
    listed = ", ".join(f"{page} ({n})" for page, n in found.items())
    return f"answers filed under pages this course does not have: {listed}; is --content the trainee's course?"


def page_title(catalog: Catalog, page_id: str) -> str:
    return next((p.title for p in pages(catalog) if p.id == page_id), page_id)
