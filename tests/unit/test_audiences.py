"""Each reader sees what is written for them: supervisor notes only in review exports and the
supervisor notebook (never on a trainee's page or a handout), the privacy notice with every
reflection prompt in every mode, the reading list on the welcome page.

The notes are marked here on a copy of the fixture course, so these tests hold for any course."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook import session as session_module
from clinician_workbook.content import Catalog
from clinician_workbook.content.catalog import Catalog as CatalogClass
from clinician_workbook.content.models import ReadingItem
from clinician_workbook.exercises import Reflect
from clinician_workbook.render import handout
from clinician_workbook.render.review import Review
from clinician_workbook.responses import read_store, store_path
from clinician_workbook.session import StoreRecorder
from clinician_workbook.supervision import Supervision
from tests.factories import run_page
from tests.unit.conftest import CONCERNS, PRACTICE

MARK = "FOR-SUPERVISORS-ONLY"


def marked(catalog: Catalog) -> Catalog:
    """The course with a recognisable supervisor note on every challenge and triage case."""
    items: dict[str, dict[str, Any]] = {kind: dict(found) for kind, found in catalog.items.items()}
    for kind in ("challenge", "triage_case"):
        for item_id, item in items[kind].items():
            items[kind][item_id] = item.model_copy(update={"supervisor_notes": f"{MARK} {item_id}."})
    course = catalog.course
    first = catalog.references[1]
    items["course"][course.id] = course.model_copy(
        update={"reading_list": [ReadingItem(reference=first.id, why="Read this *first*.")]}
    )
    return CatalogClass(items=items, locations=dict(catalog.locations))


def shown(monkeypatch: pytest.MonkeyPatch, call: Any) -> str:
    """Everything a session method displays (HTML, and the HTML inside widgets), as one string."""
    out: list[str] = []

    def keep(obj: Any) -> None:
        out.append(str(getattr(obj, "data", "")))
        stack = [obj]
        while stack:
            widget = stack.pop()
            out.append(str(getattr(widget, "value", "")) if type(widget).__name__ == "HTMLView" else "")
            out.append(" ".join(getattr(widget, "_dom_classes", ())))  # e.g. wb-exercise wb-triage
            stack.extend(getattr(widget, "children", ()))

    monkeypatch.setattr(session_module, "display", keep)
    call()
    return "".join(out)


@pytest.fixture
def store_folder(tmp_path: Path, answered_fixture_store: Path) -> Path:
    target = tmp_path / "responses"
    shutil.copytree(answered_fixture_store, target)
    return target


PAGES = [(CONCERNS, "triage"), (PRACTICE, "spot_signs"), (PRACTICE, "reflections")]


@pytest.mark.parametrize(("page", "section"), PAGES)
def test_trainee_pages_and_handouts_never_show_supervisor_notes(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, store_folder: Path, page: str, section: str
) -> None:
    course = marked(catalog)
    for mode in ("interactive", "handout"):
        wb = session_module.Session(page, trainee="Ada Test", mode=mode, responses=store_folder, catalog=course)
        seen = shown(monkeypatch, wb.header) + shown(monkeypatch, lambda wb=wb: run_page(wb, section))
        assert MARK not in seen and ("wb-exercise" in seen) == (mode == "interactive"), mode


def test_review_exports_show_supervisor_notes(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, store_folder: Path
) -> None:
    course = marked(catalog)
    wb = session_module.Session(PRACTICE, trainee="Ada Test", mode="review", responses=store_folder, catalog=course)
    assert f"{MARK} {PRACTICE}." in shown(monkeypatch, wb.header)
    _, attempts = read_store(store_path(store_folder, "Ada Test"), "Ada Test")
    page = Review(course, CONCERNS, attempts, include_private=False).triage()
    sections = page.split("<section")[1:]
    assert len(sections) == len(course.triage_cases)
    for case in course.triage_cases:  # each case's note sits in its own section, once
        (own,) = [s for s in sections if f"{MARK} {case.id}." in s]
        assert own.count('aria-label="For supervisors"') == 1, case.id


def test_the_supervisor_notebook_shows_the_notes(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, store_folder: Path
) -> None:
    out: list[str] = []
    monkeypatch.setattr(
        "clinician_workbook.supervision.display",
        lambda obj: out.append(
            str(getattr(obj, "data", "")) + "".join(str(getattr(c, "value", "")) for c in getattr(obj, "children", ()))
        ),
    )
    sv = Supervision(store_path(store_folder, "Ada Test"), "Dr Okafor", catalog=marked(catalog))
    sv.responses()
    sv.triage()
    page = "".join(out)
    answered = {item for (_, exercise, item) in sv.latest if exercise == "triage"}
    assert answered and all(f"{MARK} {case}." in page for case in answered)
    assert f"{MARK} {PRACTICE}." in page  # the challenge's guidance above its responses


def test_every_reflection_prompt_carries_the_privacy_notice(catalog: Catalog, tmp_path: Path) -> None:
    recorder = StoreRecorder(tmp_path / "ada.sqlite", "Ada Test", PRACTICE)
    notice = " ".join(catalog.course.privacy_notice.split()[:8])
    for prompt in catalog.reflection_prompts:
        widget = Reflect(prompt, recorder, catalog.course.privacy_notice)
        texts = " ".join(str(getattr(c, "value", "")) for c in widget.children)
        assert "Protect client privacy" in texts and notice in " ".join(texts.split()), prompt.id
    recorder.close()
    for challenge in {p.challenge for p in catalog.reflection_prompts}:
        page = " ".join(handout.reflections(catalog, challenge).split())
        prompts = sum(1 for p in catalog.reflection_prompts if p.challenge == challenge)
        assert page.count("Protect client privacy") == prompts and notice in page, challenge


def test_the_welcome_page_has_the_privacy_notice_and_the_reading_list(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = marked(catalog)
    page = shown(monkeypatch, session_module.Session("welcome", trainee="Ada", catalog=course).welcome)
    assert "Protect client privacy" in page
    reference = course.references[1]
    assert "Further reading" in page and reference.title.split(":")[0] in page and "Read this <em>first</em>." in page
    plain = shown(monkeypatch, session_module.Session("welcome", trainee="Ada", catalog=catalog).welcome)
    assert ("Further reading" in plain) == bool(catalog.course.reading_list)
