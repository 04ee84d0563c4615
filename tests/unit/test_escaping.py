"""Course prose and trainee text reach the widgets as inert HTML, whatever they contain."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.exercises import Classify, Respond
from clinician_workbook.session import StoreRecorder
from tests.unit.conftest import PRACTICE

# an "&" that does not start a whole entity: what cutting escaped HTML leaves behind
BROKEN_ENTITY = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")


class Parsed(HTMLParser):
    """Tags, attributes and text of an HTML fragment, and the text of each table cell."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text = ""
        self.cells: list[str] = []
        self._cell: list[str] | None = None
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def recorder(tmp_path: Path) -> Iterator[StoreRecorder]:
    rec = StoreRecorder(tmp_path / "ada.sqlite", "Ada Test", PRACTICE)
    yield rec
    rec.close()


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("<script>alert(1)</script> & co", "<script>alert(1)</script> & co"),
        ("**x** [click](javascript:alert(1))", "x [click](javascript:alert(1))"),  # Markdown, but no link
    ],
)
def test_classify_shows_a_hostile_vignette_title_as_text(
    catalog: Catalog, recorder: StoreRecorder, title: str, shown: str
) -> None:
    vignette = next(v for v in catalog.vignettes if v.rupture == "withdrawal").model_copy(update={"title": title})
    widget = Classify(catalog, vignette, recorder)
    question = Parsed(widget.children[0].value)
    assert set(question.tags) <= {"b", "strong"} and not question.attrs
    assert f"In the case “{shown}”" in question.text
    assert not BROKEN_ENTITY.search(widget.children[0].value)


def test_respond_history_cuts_the_text_before_escaping_it(catalog: Catalog, recorder: StoreRecorder) -> None:
    response = ("y" * 117 + "&<&" + "<b>tail</b> & &amp; ").ljust(200, "z")  # the cut falls just after "&<&"
    assert len(response) == 200
    widget = Respond(catalog, PRACTICE, recorder, "beginner")
    widget.response.value = response
    widget.submit.click()
    widget.felt.value = "about right"
    for rating in widget.ratings.values():
        rating.value = "2"
    widget.rate.click()
    history = widget.history_view.value
    assert f"<td>{html.escape(response[:120])}…</td>" in history
    assert not BROKEN_ENTITY.search(history)
    parsed = Parsed(history)
    assert parsed.cells[-1] == response[:120] + "…"  # whole up to the cut, nothing after it
    assert "b" not in parsed.tags and "tail" not in parsed.text


def test_respond_history_keeps_a_short_response_whole(catalog: Catalog, recorder: StoreRecorder) -> None:
    response = "Fine & <calm> — ok"
    widget = Respond(catalog, PRACTICE, recorder, "beginner")
    widget.response.value = response
    widget.submit.click()
    widget.felt.value = "too easy"
    for rating in widget.ratings.values():
        rating.value = "2"
    widget.rate.click()
    assert Parsed(widget.history_view.value).cells[-1] == response
