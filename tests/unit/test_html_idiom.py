"""One HTML idiom: ``Markup`` is the trust boundary (issue 12).

Course prose becomes HTML only through ``markup.prose``/``markup.inline`` (Markdown, never raw
HTML); trainee text only through ``markup.plain`` (escaped); everything else is escaped by the
templates or by ``Markup.format``. These tests feed hostile text through every section that
shows it, and check that no module builds HTML by interpolating into an f-string.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
from markupsafe import Markup

import clinician_workbook
from clinician_workbook import feedback, markup, session, supervision
from clinician_workbook.content import Catalog, load_bundled
from clinician_workbook.errors import UsageError
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.scoring import score_classify, score_triage
from clinician_workbook.session import Session
from clinician_workbook.supervision import Supervision
from tests.unit.conftest import CONCERNS, COURSE, PRACTICE

from .test_escaping import Parsed

STRATEGIES = load_bundled(COURSE).course.strategies_page.id  # the fixture course's strategies page


# Trainee text that would turn into markup, a link or bold if anything interpreted it.
HOSTILE = "<b>bold</b> & [x](javascript:alert(1)) **strong** <script>alert(2)</script>"
# Course prose with raw HTML: Markdown is allowed, HTML never.
RAW = '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">here</a>'


def inert(fragment: str, text: str = HOSTILE) -> None:
    """``text`` is in ``fragment`` as text, and nothing in it became a tag, link or handler."""
    parsed = Parsed(str(fragment))  # a Markup fragment would escape what the parser adds to it
    assert text in parsed.text, fragment[:400]
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not any(name.startswith("on") or "javascript:" in (value or "") for name, value in parsed.attrs)


def html_of(obj: Any) -> str:
    """The HTML a displayed object shows: an IPython HTML's data, or a widget's HTML children."""
    if isinstance(obj, widgets.HTML):
        return str(obj.value)
    if isinstance(obj, widgets.Box):
        return "".join(html_of(child) for child in obj.children)
    return str(getattr(obj, "data", ""))


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the Session and Supervision display, as HTML strings."""
    seen: list[str] = []

    def display(*objs: Any) -> None:
        seen.extend(html_of(o) for o in objs)

    monkeypatch.setattr(session, "display", display)
    monkeypatch.setattr(supervision, "display", display)
    return seen


def test_the_markup_functions_are_the_boundary() -> None:
    for render in (markup.prose, markup.inline, markup.plain):
        assert isinstance(render("text"), Markup)
    inert(markup.prose(RAW), "<script>alert(1)</script>")
    inert(markup.inline(RAW), "<script>alert(1)</script>")
    assert "<strong>" in markup.inline("**bold**")  # course prose keeps its light Markdown
    assert markup.plain("a\nb") == Markup("a<br>b")
    inert(markup.plain(HOSTILE))
    # a plain str is escaped wherever Markup meets it
    assert Markup("<p>{}</p>").format(HOSTILE) == Markup("<p>{}</p>").format(markup.plain(HOSTILE))


# -- course prose with raw HTML renders as text -------------------------------------------------


@pytest.fixture
def hostile_course(catalog: Catalog) -> Catalog:
    """The fixture course with raw HTML in prose every text section shows."""
    hostile = copy.deepcopy(catalog)

    def spoil(kind: str, item_id: str, **fields: str) -> None:
        hostile.items[kind][item_id] = hostile.items[kind][item_id].model_copy(update=fields)

    course = hostile.course
    spoil("course", course.id, subtitle=RAW, central_idea=RAW, closing=RAW, content_statement=RAW, draft_notice=RAW)
    spoil("safety_notice", hostile.safety_notice.id, title=RAW, text=RAW)
    flag = hostile.red_flags[0]
    spoil("red_flag", flag.id, title=RAW, criterion=RAW, help_seeking=RAW)
    spoil("strategy", hostile.strategies[0].id, text=RAW)
    challenge = hostile.challenges[0]
    spoil("challenge", challenge.id, summary=RAW, why=RAW)
    spoil("reference", hostile.references[0].id, title=RAW)
    return hostile


@pytest.mark.parametrize(
    ("page", "section"),
    [
        ("welcome", "welcome"),
        ("welcome", "header"),
        ("welcome", "safety"),
        ("welcome", "references"),
        (STRATEGIES, "strategies"),
        (CONCERNS, "red_flags"),
        (PRACTICE, "header"),
        (PRACTICE, "signs"),
        (PRACTICE, "progress"),
    ],
)
def test_course_prose_with_raw_html_renders_as_text(
    hostile_course: Catalog, shown: list[str], tmp_path: Path, page: str, section: str
) -> None:
    wb = Session(page, trainee="Ada", responses=tmp_path, catalog=hostile_course)
    getattr(wb, section)()
    assert shown
    for fragment in shown:
        inert(fragment, "<script>alert(1)</script>")


# -- trainee text is escaped, never markup or a link ---------------------------------------------


@pytest.mark.parametrize("mode", ["interactive", "handout", "review"])
def test_the_trainee_name_in_a_session_header_is_text(
    catalog: Catalog, shown: list[str], tmp_path: Path, mode: str
) -> None:
    wb = Session(PRACTICE, trainee=HOSTILE, mode=mode, cohort=HOSTILE, responses=tmp_path, catalog=catalog)
    wb.header()
    inert(shown[0])


def test_a_date_that_is_not_a_date_never_reaches_a_page(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^date: .* is not a date; give one as YYYY-MM-DD"):
        Session(PRACTICE, trainee="Ada", date=HOSTILE, responses=tmp_path, catalog=catalog)


@pytest.fixture
def hostile_store(catalog: Catalog, tmp_path: Path) -> Iterator[Path]:
    """A trainee (with a hostile name) whose every free-text answer is hostile, with supervisor notes."""
    path = store_path(tmp_path, HOSTILE)
    statement = next(s for s in catalog.client_statements if s.challenge == PRACTICE)
    criteria = [c.id for c in catalog.skill_criteria if c.challenge == PRACTICE]
    prompt = next(p for p in catalog.reflection_prompts if p.challenge == PRACTICE)
    with ResponseStore(path, HOSTILE) as store:
        respond = {"statement": statement.id, "difficulty": statement.difficulty, "response": HOSTILE}
        store.save(PRACTICE, "respond", statement.id, respond)
        rated = {**respond, "ratings": dict.fromkeys(criteria, 2), "felt": "about right", "next_difficulty": "beginner"}
        store.save(PRACTICE, "respond", statement.id, rated)
        store.save(PRACTICE, "reflect", prompt.id, {"stages": {"description": HOSTILE}}, shared=True)
        note = {"ratings": {criteria[0]: 3}, "comment": HOSTILE, "next_step": HOSTILE}
        store.save(PRACTICE, "feedback", f"respond/{statement.id}", note, role="supervisor", author=HOSTILE)
    yield path


@pytest.mark.parametrize("section", ["respond", "reflections"])
def test_trainee_answers_in_review_sections_are_text(
    catalog: Catalog, hostile_store: Path, shown: list[str], section: str
) -> None:
    wb = Session(
        PRACTICE, trainee=HOSTILE, mode="review", responses=hostile_store.parent, show_private=True, catalog=catalog
    )
    getattr(wb, section)()
    inert(shown[0])


@pytest.mark.parametrize("section", ["header", "responses", "reflections"])
def test_trainee_answers_in_the_supervisor_view_are_text(
    catalog: Catalog, hostile_store: Path, shown: list[str], section: str
) -> None:
    view = Supervision(hostile_store, supervisor=HOSTILE, catalog=catalog)
    try:
        getattr(view, section)()
    finally:
        view.close()
    inert("".join(shown))


def test_an_urgency_from_an_answer_is_text_in_triage_feedback(catalog: Catalog) -> None:
    # an urgency the course does not know can only come from an answer: it is escaped, never Markdown
    case = sorted(catalog.triage_cases, key=lambda c: c.id)[0]
    result = score_triage(catalog, case, case.urgency, [list(step) for step in case.actions])
    spoiled = dataclasses.replace(result, urgency=HOSTILE, urgency_verdict="more-than-needed")
    inert(feedback.triage_answer_html(catalog, spoiled))
    inert(feedback.triage_feedback(catalog, case, spoiled))


def test_scoring_sentences_are_escaped_in_classify_feedback(catalog: Catalog) -> None:
    vignette = catalog.vignettes[0]
    result = score_classify(catalog, vignette, vignette.challenges[0], vignette.rupture)
    inert(feedback.classify_feedback(dataclasses.replace(result, why_challenge=HOSTILE, why_rupture=HOSTILE)))


def test_feedback_pieces_are_markup_and_empty_when_there_is_nothing(catalog: Catalog) -> None:
    notes = catalog.vignettes[0].content_notes or ["a topic"]
    assert isinstance(feedback.content_note(notes), Markup)
    assert isinstance(feedback.help_seeking_box("Call someone."), Markup)
    assert feedback.help_seeking_box(None) == "" and feedback.content_note([]) == ""


# -- no HTML is built by f-string interpolation --------------------------------------------------

SOURCE = Path(clinician_workbook.__file__).parent


def html_fstrings(path: Path) -> list[str]:
    """f-strings in ``path`` that put a value into HTML: a literal part holds '<' and a value follows."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if "<" in literal and any(isinstance(v, ast.FormattedValue) for v in node.values):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_no_module_builds_html_in_an_f_string() -> None:
    modules = sorted(SOURCE.rglob("*.py"))
    assert len(modules) > 30  # the whole package is checked, not an empty glob
    assert [hit for path in modules for hit in html_fstrings(path)] == []


def test_one_escaping_function() -> None:
    # html.escape and markupsafe.escape write quotes differently: the package uses markupsafe only
    users = [p.name for p in SOURCE.rglob("*.py") if "html.escape" in p.read_text(encoding="utf-8")]
    assert users == []
