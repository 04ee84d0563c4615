"""What each page of the workbook asks of a trainee: its exercises and the items of each.

One definition, used by the notebooks' progress summaries, the review pages and the cohort
report, so that "done 5 of 9" means the same everywhere.
"""

from __future__ import annotations

from .content.catalog import Catalog
from .content.models import DIFFICULTIES

PRACTICE = ("spot-signs", "classify", "respond", "knowledge-check", "reflect")
EXERCISES: dict[str, tuple[str, ...]] = {
    "emotional-overwhelm": PRACTICE,
    "resistance-avoidance": PRACTICE,
    "feeling-stuck": PRACTICE,
    "navigating-challenges": ("strategy-match",),
    "when-concerning": ("triage",),
}
PAGES = {"welcome": "Welcome", "navigating-challenges": "Navigating challenges"}  # pages that are not challenges


def page_title(catalog: Catalog, page: str) -> str:
    if page in catalog.items.get("challenge", {}):
        return catalog.challenge(page).title
    return PAGES.get(page, page)


def items_for(catalog: Catalog, page: str, exercise: str) -> list[str]:
    """The ids of the items ``exercise`` offers on ``page``, in the order the trainee meets them."""
    vignettes = sorted(
        (v for v in catalog.vignettes if page in v.challenges), key=lambda v: DIFFICULTIES.index(v.difficulty)
    )
    found = {
        "spot-signs": [v.id for v in vignettes],
        "classify": [v.id for v in vignettes],
        "respond": [s.id for s in catalog.client_statements if s.challenge == page],
        "knowledge-check": [k.id for k in catalog.knowledge_checks if k.challenge == page],
        "reflect": [p.id for p in catalog.reflection_prompts if p.challenge == page],
        "strategy-match": [m.id for m in catalog.strategy_matches],
        "triage": sorted(c.id for c in catalog.triage_cases),
    }
    return found[exercise]
