"""The documents people read outside JupyterLab are accessible: review exports and the cohort report.

Each document is opened from disk in Chromium with the network blocked. axe-core must find no
serious or critical violation: these documents are entirely our own markup, so nothing is
excused. Our own checks go further than axe's serious/critical rules: a title and a language,
one ``main`` holding all the text, exactly one h1, heading levels that never skip, table headers
that say what they head (``scope``), no meaning carried by red alone, and text on the report's
heatmap at 4.5:1 contrast or more. What axe said lands in build/e2e/axe/<document>.json.
"""

from __future__ import annotations

import re
import shutil
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.content import load_bundled
from clinician_workbook.content.models import TriageCase
from clinician_workbook.export.document import ExportRequest, export_workbook
from clinician_workbook.pages import find_page, triage_page_id, work_pages
from clinician_workbook.report import write_report
from clinician_workbook.responses import ResponseStore, store_path
from tests.e2e.axe import audit, own, report
from tests.factories import answer_with, make_cohort

from .conftest import SHOTS

CATALOG = load_bundled()
REVIEWS = [page.stem for page in work_pages(CATALOG)]
TRIAGE = find_page(CATALOG, triage_page_id(CATALOG) or "", "triage").stem  # the page with the planted miss
DOCUMENTS = [*REVIEWS, "workbook", "cohort-report"]
MARKER = re.compile(r"[⚠✗]|safety-critical", re.IGNORECASE)

HEADINGS = "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => [+h.tagName[1], h.innerText])"
TEXT_OUTSIDE_MAIN = """() => {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const outside = [];
  while (walk.nextNode()) {
    const node = walk.currentNode;
    if (node.textContent.trim() && !node.parentElement.closest('main, style')) outside.push(node.textContent.trim());
  }
  return outside;
}"""
TABLES = """() => [...document.querySelectorAll('table')].map(t => ({
  headers: t.querySelectorAll('th').length,
  scoped: [...t.querySelectorAll('th')].filter(th => ['col', 'row', 'colgroup', 'rowgroup'].includes(th.scope)).length,
  first: t.innerText.slice(0, 60),
}))"""
# every element drawn in red that has text of its own, with the text of the block it sits in
RED_TEXT = """() => [...document.querySelectorAll('main *')].filter(el => {
  const [r, g, b] = getComputedStyle(el).color.match(/\\d+/g).map(Number);
  const ownText = [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  return ownText && r >= 120 && g < r / 2 && b < r / 2;
}).map(el => el.closest('p, li, td, th, h1, h2, h3, h4, h5, h6, div, section').innerText)"""
# each heatmap label with its fill and the fill of the cell it sits on (the page where it sits on none)
HEATMAP_TEXT = """() => [...document.querySelectorAll('svg.wb-heatmap text')].map(t => {
  const box = t.getBBox(), x = box.x + box.width / 2, y = box.y + box.height / 2;
  const cell = [...t.ownerSVGElement.querySelectorAll('rect')].find(r => {
    const c = r.getBBox();
    return x >= c.x && x <= c.x + c.width && y >= c.y && y <= c.y + c.height;
  });
  const ground = cell ? getComputedStyle(cell).fill : getComputedStyle(document.body).backgroundColor;
  return [t.textContent, getComputedStyle(t).fill, ground];
})"""


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a computed ``rgb(r, g, b)`` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory, answered_store: Path) -> dict[str, Path]:
    """Ada's review of every challenge (answers everywhere, a safety-critical and an important
    triage mistake, supervisor feedback), the combined workbook, and a cohort report with a
    current miss, a corrected one and a file it could not read."""
    root = tmp_path_factory.mktemp("a11y")
    responses = root / "responses"
    shutil.copytree(answered_store, responses)
    cases = sorted(CATALOG.triage_cases, key=lambda c: c.id)
    important = next(c for c in cases if c.important and c.important[0].choice)
    criterion = next(c for c in CATALOG.skill_criteria if c.challenge == "feeling-stuck")
    with ResponseStore(store_path(responses, "Ada Test"), "Ada Test") as store:
        urgency, steps = answer_with(CATALOG, important, str(important.important[0].choice))
        store.save("when-concerning", "triage", important.id, {"urgency": urgency, "steps": steps})
        store.save(
            "feeling-stuck",
            "feedback",
            "respond/st-cs-beginner-1",
            {"ratings": {criterion.id: 3}, "comment": "Warm and clear.", "next_step": "Slow down"},
            role="supervisor",
            author="Dr Sup",
        )
    challenges = tuple(page.id for page in work_pages(CATALOG))
    found = {p.stem: p for p in export_workbook(ExportRequest("Ada Test", responses, challenges, ("html",), root))}

    cohort = root / "cohort"
    make_cohort(cohort, 3)
    shutil.copy(store_path(responses, "Ada Test"), store_path(cohort, "Ada Test"))  # her current miss
    case = CATALOG.get("triage_case", "triage-self-harm-clear", TriageCase)
    with ResponseStore(store_path(cohort, "Cora Rected"), "Cora Rected") as store:
        urgency, steps = answer_with(CATALOG, case, str(next(c.choice for c in case.safety_critical if c.choice)))
        store.save("when-concerning", "triage", case.id, {"urgency": urgency, "steps": steps})
        store.save("when-concerning", "triage", case.id, {"urgency": case.urgency, "steps": case.actions})
    (cohort / "broken.sqlite").write_bytes(b"not a store" * 50)
    write_report(cohort, root / "cohort-report", ["html"])
    return {**found, "cohort-report": root / "cohort-report.html"}


@pytest.fixture(params=DOCUMENTS)
def opened(request: pytest.FixtureRequest, offline_page: Any, documents: dict[str, Path]) -> tuple[str, Any]:
    """(name, page): one document, loaded from disk with the network blocked."""
    name = request.param
    offline_page.goto(documents[name].as_uri(), wait_until="load")
    return name, offline_page


def test_axe_finds_nothing_serious(opened: tuple[str, Any]) -> None:
    name, page = opened
    findings, passes = audit(page)
    mine = own(findings, page, {})
    report(f"document-{name}", mine, len(findings) - len(mine), passes, SHOTS / "axe")
    assert passes > 0
    assert mine == [], "\n".join(map(str, mine))


def test_title_language_and_one_main(opened: tuple[str, Any]) -> None:
    _, page = opened
    assert page.title().strip()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("main, [role=main]").count() == 1
    assert page.evaluate(TEXT_OUTSIDE_MAIN) == []


def test_one_h1_and_heading_levels_never_skip(opened: tuple[str, Any]) -> None:
    _, page = opened
    headings = page.evaluate(HEADINGS)
    levels = [level for level, _ in headings]
    assert levels[:1] == [1] and levels.count(1) == 1, headings
    skips = [(before, text) for (before, _), (level, text) in pairwise(headings) if level > before + 1]
    assert skips == []


def test_every_table_header_has_a_scope(opened: tuple[str, Any]) -> None:
    _, page = opened
    tables = page.evaluate(TABLES)
    assert tables  # every document has a summary or overview table
    assert [t["first"] for t in tables if not t["headers"] or t["scoped"] != t["headers"]] == []


def test_red_text_also_says_what_it_means(opened: tuple[str, Any]) -> None:
    name, page = opened
    red = page.evaluate(RED_TEXT)
    if name in ("cohort-report", "workbook", TRIAGE):  # these show the planted safety-critical miss
        assert red
    assert [text for text in red if not MARKER.search(text)] == []


def test_heatmap_text_has_enough_contrast(offline_page: Any, documents: dict[str, Path]) -> None:
    offline_page.goto(documents["cohort-report"].as_uri(), wait_until="load")
    labels = offline_page.evaluate(HEATMAP_TEXT)
    assert len(labels) > 10
    weak = [(text, fg, bg, round(contrast(fg, bg), 2)) for text, fg, bg in labels if contrast(fg, bg) < 4.5]
    assert weak == []
