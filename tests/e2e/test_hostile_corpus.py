"""Hostile text in every field a trainee or supervisor can fill, and as trainee names, through
export (HTML, PDF), the cohort report (HTML, PDF, CSV) and a review batch: no script, no event
handler, no link or load to anywhere, no formula cell; and in Chromium, with JavaScript on and
every request routed, no dialog and no request beyond the file itself."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.export.document import ExportRequest, export_workbook
from clinician_workbook.report import write_report
from clinician_workbook.responses import ResponseStore, store_path
from tests.conftest import FIXTURES
from tests.integration.test_export import _Audit

CORPUS = json.loads((FIXTURES / "hostile" / "corpus.json").read_text(encoding="utf-8"))
STRINGS: list[str] = CORPUS["strings"]
NAMES: list[str] = CORPUS["names"]
PAGES = ("resistance-avoidance", "navigating-challenges", "when-concerning")


def fill(store: ResponseStore, catalog: Catalog) -> None:
    """Every free-text field, and every id a hand-edited store could hold, filled with the corpus."""
    statement = next(s for s in catalog.client_statements if s.challenge == "resistance-avoidance")
    criteria = [c.id for c in catalog.skill_criteria if c.challenge == "resistance-avoidance"]
    prompts = [p for p in catalog.reflection_prompts if p.challenge == "resistance-avoidance"]
    stages = ["description", "feelings", "evaluation", "analysis", "conclusion", "action_plan"]
    for n, text in enumerate(STRINGS):
        store.save(
            "resistance-avoidance",
            "respond",
            statement.id,
            {
                "statement": statement.id,
                "difficulty": statement.difficulty,
                "response": text,
                "ratings": dict.fromkeys(criteria, n % 5),
                "felt": "about right",
                "next_difficulty": statement.difficulty,
            },
        )
        prompt = prompts[n % len(prompts)]
        store.save("resistance-avoidance", "reflect", prompt.id, {"stages": {stages[n % 6]: text}}, shared=True)
        store.save(
            "resistance-avoidance",
            "feedback",
            f"respond/{statement.id}",
            {"ratings": {criteria[0]: 2, text[:200]: 3}, "comment": text, "next_step": text},
            role="supervisor",
            author=text[:200],
        )
        store.save("navigating-challenges", "strategy-match", catalog.strategy_matches[0].id, {"choice": text[:200]})
        case = catalog.triage_cases[n % len(catalog.triage_cases)]
        store.save(
            "when-concerning",
            "triage",
            case.id,
            {"urgency": "routine", "steps": [[text[:200]], ["act-record-session"]]},
        )


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from clinician_workbook.content import load_bundled

    catalog = load_bundled()
    root = tmp_path_factory.mktemp("hostile")
    responses = root / "responses"
    for name in NAMES:
        with ResponseStore(store_path(responses, name), name) as store:
            fill(store, catalog)
    documents: list[Path] = []
    for n, name in enumerate(NAMES):
        formats = ("html", "pdf") if n == 0 else ("html",)
        documents += export_workbook(
            ExportRequest(name, responses, PAGES, formats, root / "export", include_private=True)
        )
    _, report = write_report(responses, root / "report" / "cohort", ["html", "pdf", "csv"], today=STRINGS[11])
    documents += report
    return {"root": root, "responses": responses, "documents": documents}


def htmls(made: dict[str, Any]) -> list[Path]:
    return [p for p in made["documents"] if p.suffix == ".html"]


def test_no_document_can_act(made: dict[str, Any]) -> None:
    assert len(htmls(made)) >= len(NAMES) * 4
    for path in htmls(made):
        document = path.read_text(encoding="utf-8")
        audit = _Audit()
        audit.feed(document)
        where = path.name
        assert not {"script", "iframe", "object", "embed", "img", "link", "base", "form", "a"} & set(audit.tags), where
        assert audit.handlers == [], (where, audit.handlers[:3])
        assert audit.urls == [], (where, audit.urls[:3])
        assert not any("url(" in css for css in audit.styles if "evil" in css), where
        assert "javascript:" not in " ".join(audit.urls), where


def test_no_cell_is_a_formula(made: dict[str, Any]) -> None:
    (table,) = [p for p in made["documents"] if p.suffix == ".csv"]
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 1 + len(NAMES) * 5  # round trip: one header, one row per trainee and page
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_pdfs_are_made(made: dict[str, Any]) -> None:
    pdfs = [p for p in made["documents"] if p.suffix == ".pdf"]
    assert len(pdfs) >= 2 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


def test_in_chromium_nothing_runs_and_nothing_is_fetched(browser: Any, made: dict[str, Any]) -> None:
    context = browser.new_context(java_script_enabled=True)
    requests: list[str] = []
    dialogs: list[str] = []

    def route(handle: Any) -> None:
        requests.append(handle.request.url)
        handle.continue_() if handle.request.url.startswith("file://") else handle.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in htmls(made):
        requests.clear()
        page.goto(path.as_uri(), wait_until="load")
        page.mouse.move(10, 10)  # hover handlers, if any had survived
        page.keyboard.press("Tab")  # focus handlers
        page.wait_for_timeout(100)
        assert requests == [path.as_uri()], (path.name, requests[:3])
    assert dialogs == []
    context.close()


def test_a_review_batch_of_hostile_names_is_inert(
    run_cli: Callable[..., Any], made: dict[str, Any], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["trainee_id", "name", "cohort", "supervisor"])
    for name in NAMES:
        writer.writerow([name, name, STRINGS[16], STRINGS[0]])
    roster.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "batch"
    result = run_cli(
        "batch",
        str(roster),
        "--mode",
        "review",
        "--challenges",
        "resistance-avoidance",
        "--format",
        "html",
        "--responses",
        str(made["responses"]),
        "--jobs",
        "1",
        "--out",
        str(out),
    )
    assert result.code == 0, result.err
    made_here = sorted(out.rglob("*.html"))
    assert len(made_here) == len(NAMES)
    for path in made_here:
        audit = _Audit()
        audit.feed(path.read_text(encoding="utf-8"))
        assert audit.handlers == [] and audit.urls == [] and "script" not in audit.tags
