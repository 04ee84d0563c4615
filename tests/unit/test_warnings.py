"""Warnings where they belong: content notes before the material in every mode, help-seeking
after every triage answer and on the red-flag page, urgency tiers by label, never by id."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clinician_workbook import session as session_module
from clinician_workbook.content import Catalog
from clinician_workbook.content.models import URGENCIES
from clinician_workbook.render import handout
from clinician_workbook.render.review import Review
from clinician_workbook.responses import Attempt


def shown(monkeypatch: pytest.MonkeyPatch, call: Any) -> str:
    """Everything a session method displays, as one HTML string."""
    out: list[str] = []
    monkeypatch.setattr(session_module, "display", lambda obj: out.append(getattr(obj, "data", "")))
    call()
    return "".join(out)


def note_before(page: str, notes: list[str], text: str) -> bool:
    """The content note naming ``notes`` comes before ``text`` on ``page``."""
    note = page.find("Content note:</b> " + ", ".join(notes))
    return 0 <= note < page.find(text)


def first_words(text: str) -> str:
    return " ".join(text.split()[:6])


def test_handout_notes_come_first(catalog: Catalog) -> None:
    page = handout.triage(catalog, seed=0)
    for case in catalog.triage_cases:
        if case.content_notes:
            assert note_before(page, case.content_notes, first_words(case.body)), case.id
    assert "may share a number" in page
    noted = {v.id for v in catalog.vignettes if v.content_notes}
    assert noted  # the check below bites
    for challenge in (c.id for c in catalog.challenges if c.signs):
        vignettes = handout.spot_signs(catalog, challenge, seed=0)
        for v in (v for v in catalog.vignettes if challenge in v.challenges and v.content_notes):
            assert note_before(vignettes, v.content_notes, first_words(v.client)), v.id
        statements = handout.respond(catalog, challenge)
        for s in (s for s in catalog.client_statements if s.challenge == challenge and s.content_notes):
            assert note_before(statements, s.content_notes, first_words(s.context)), s.id


def test_review_notes_and_help_follow_the_case(catalog: Catalog) -> None:
    case = next(c for c in catalog.triage_cases if c.self_harm and c.content_notes and c.help_seeking)
    red_flag_page = next(c.id for c in catalog.challenges if not c.signs)
    attempts = [
        Attempt(
            "a" * 32,
            "Ada",
            "2027-01-01T10:00:00+00:00",
            red_flag_page,
            "triage",
            case.id,
            {"urgency": case.urgency, "steps": case.actions},
        ),
    ]
    page = Review(catalog, red_flag_page, attempts, include_private=False).triage()
    section = page[page.index(case.title.replace('"', "&quot;")[:20]) :]
    assert "Content note:</b> " + ", ".join(case.content_notes) + "." in section
    assert "Where to get help" in section and "wb-critical" not in section


def test_welcome_states_the_topics_and_how_to_pace(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = session_module.Session("welcome", trainee="Ada", catalog=catalog)
    page = shown(monkeypatch, wb.welcome)
    topics = re.search(r"Topics in this course:</b> ([^<]+)\.</p>", page)
    assert topics is not None
    listed = set(topics.group(1).split(", "))
    assert listed == {n.lower() for n in catalog.content_notes()}
    assert {"suicide", "self-harm", "panic"} <= listed  # from red flags, triage cases and vignettes alike
    assert first_words(catalog.course.content_statement) in " ".join(page.split())


def test_red_flag_page_shows_labels_and_help(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    red_flag_page = next(c.id for c in catalog.challenges if not c.signs)
    wb = session_module.Session(red_flag_page, trainee="Ada", catalog=catalog)
    page = shown(monkeypatch, wb.red_flags)
    for tier in URGENCIES:
        assert f"Urgency:</b> {tier}<" not in page  # never the raw id
    assert "Raise it at your next supervision, and before you see the client again" in page
    for flag in catalog.red_flags:
        if flag.help_seeking:
            assert first_words(flag.help_seeking) in " ".join(page.split()), flag.id
    assert page.count("Where to get help") == sum(1 for f in catalog.red_flags if f.help_seeking)
    noted = [f for f in catalog.red_flags if f.content_notes]
    assert noted
    for flag in noted:
        assert "Content note:</b> " + ", ".join(flag.content_notes) in page, flag.id
