"""The bundled course: complete, honest about its draft status, safe in its wording."""

from __future__ import annotations

import re

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.content.models import DIFFICULTIES, Reviewed
from clinician_workbook.content.validate import check_prose
from clinician_workbook.content.wording import BODY_WORDS, check_length, find_unsafe

pytestmark = pytest.mark.course


def test_validate_summary(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("validate")
    assert result.code == 0, result.err
    assert result.out.startswith("content OK: 4 challenges, 13 signs, 4 red flags, ")
    assert len(result.out.splitlines()) == 1


def test_foundation_counts(catalog: Catalog) -> None:
    assert [c.id for c in catalog.challenges] == [
        "emotional-overwhelm",
        "resistance-avoidance",
        "feeling-stuck",
        "when-concerning",
    ]
    assert [len(c.signs) for c in catalog.challenges] == [4, 5, 4, 0]
    assert len(catalog.red_flags) == 4
    assert len(catalog.strategies) >= 15
    assert {s.kind for s in catalog.strategies} == {
        "reframe",
        "self-compassion",
        "coping",
        "curiosity",
        "small-step",
        "rupture-repair",
    }
    assert len(catalog.references) >= 13


def test_case_library_counts(catalog: Catalog) -> None:
    assert len(catalog.vignettes) == 9
    assert len(catalog.client_statements) == 27
    assert sum(len(s.example_responses) for s in catalog.client_statements) == 54
    assert len(catalog.triage_cases) == 12
    assert len(catalog.knowledge_checks) == 12
    assert len(catalog.reflection_prompts) >= 9
    assert len(catalog.strategy_matches) == 8
    for challenge in catalog.challenges[:3]:
        for difficulty in DIFFICULTIES:
            statements = [
                s for s in catalog.client_statements if s.challenge == challenge.id and s.difficulty == difficulty
            ]
            assert len(statements) == 3, (challenge.id, difficulty)
        criteria = [c for c in catalog.skill_criteria if c.challenge == challenge.id]
        assert 3 <= len(criteria) <= 4


def test_triage_cases_cover_each_red_flag_twice_plus_look_alikes(catalog: Catalog) -> None:
    for flag in catalog.red_flags:
        variants = sorted(c.variant for c in catalog.triage_cases if c.red_flag == flag.id)
        assert variants == ["clear", "subtle"], flag.id
    assert sum(c.variant == "look-alike" for c in catalog.triage_cases) == 4


def test_bodies_have_the_documented_length(catalog: Catalog) -> None:
    # the rule lives in the validator (content/wording.py); this pins it on the bundled course
    assert BODY_WORDS == {"vignette": (150, 400), "triage case": (80, 200)}  # as docs/content-format.md says
    assert check_length("vignette", "word " * 149) == "a vignette body has 150-400 words; this one has 149"
    assert [p for p in check_prose(catalog) if p.field == "body"] == []


def test_every_clinical_item_is_draft_without_reviewer(catalog: Catalog) -> None:
    clinical = [i for items in catalog.items.values() for i in items.values() if isinstance(i, Reviewed)]
    assert len(clinical) > 100
    assert all(i.review == "draft" and i.reviewer is None for i in clinical)


def test_references_are_complete(catalog: Catalog) -> None:
    by_id = {r.id: r for r in catalog.references}
    assert catalog.course.source == "ref-liu-facing-challenges"
    assert by_id["ref-kleiven-2020"].doi == "10.3389/fpsyg.2020.591146"
    assert by_id["ref-neff-germer-2013"].doi == "10.1002/jclp.21923"
    assert "randomized controlled trial" in by_id["ref-neff-germer-2013"].title
    journal_articles = [r for r in catalog.references if r.volume]
    assert all(r.doi for r in journal_articles)
    source = by_id["ref-liu-facing-challenges"]
    assert source.url and source.url.startswith("https://www.therapyroute.com/")
    assert source.accessed is not None
    nice = by_id["ref-nice-ng225-2022"]
    assert nice.url == "https://www.nice.org.uk/guidance/ng225"
    assert str(nice.published) == "2022-09-07"
    assert by_id["ref-stanley-brown-2012"].doi == "10.1016/j.cbpra.2011.01.001"
    for added in ("ref-gibbs-1988", "ref-safran-muran-2000", "ref-deliberate-practice"):
        assert by_id[added].publisher, added
    reading = [item.reference for item in catalog.course.reading_list]
    assert 5 <= len(reading) <= 8
    assert len(set(reading)) == len(reading)
    assert all(ref in by_id for ref in reading)


def test_learning_objectives_cover_the_four_trainee_tasks(catalog: Catalog) -> None:
    for challenge in catalog.challenges:
        assert len(challenge.learning_objectives) >= 4, challenge.id


def test_safe_messaging_wording(catalog: Catalog) -> None:
    # the one list (content/wording.py), as validate applies it to every text field
    assert find_unsafe("She committed suicide") is not None
    assert find_unsafe("a risk score of 7") is not None
    assert [p for p in check_prose(catalog) if "safe messaging" in p.message] == []


def test_self_harm_items_carry_help_seeking(catalog: Catalog) -> None:
    flagged = [i for i in [*catalog.triage_cases, *catalog.red_flags, *catalog.vignettes] if i.self_harm]
    assert len(flagged) >= 3
    for item in flagged:
        assert item.help_seeking and item.content_notes, item.id


def test_content_stats_table(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("content", "stats")
    assert result.code == 0
    lines = result.out.splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:7]}
    # per practice challenge: one vignette and three statements at each difficulty
    for challenge in ("emotional-overwhelm", "resistance-avoidance", "feeling-stuck"):
        assert rows[challenge][:6] == ["1", "1", "1", "3", "3", "3"], rows[challenge]
    assert rows["when-concerning"][-3:] == ["4", "4", "4"]  # triage: clear, subtle, look-alike
    assert "strategy matches: 8" in result.out
    assert "supervisor notes: 4 of 4 challenges, 12 of 12 triage cases" in result.out
    assert re.search(r"review: \d+ items draft, 0 reviewed", result.out), result.out
