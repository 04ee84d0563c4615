"""Each cross-file rule, broken once in a copy of the fixture course, gives one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinician_workbook.content import load_bundled
from tests.unit.conftest import COURSE, PRACTICE

ITEM_HEAD = "review: draft\n"


def _vignette(extra: str, body: str = "Body text with the evidence. It is here.") -> str:
    return (
        f"---\nkind: vignette\nid: extra-vignette\ntitle: Extra\nchallenges: [{PRACTICE}]\n"
        "difficulty: beginner\nclient: A fictional client.\nlearning_objectives: [Recognise it]\n"
        f"{extra}review: draft\n---\n{body}\n"
    )


def _cases() -> dict[str, tuple[str, str, str, str]]:
    """rule -> (file name, file text, field, words in the message)."""
    catalog = load_bundled(COURSE)
    criterion = next(c.id for c in catalog.skill_criteria if c.challenge == PRACTICE)
    sign = next(s.id for s in catalog.challenge(PRACTICE).signs)
    absent = catalog.challenge(PRACTICE).signs[-1].id
    other = next(c.id for c in catalog.challenges if c.id != PRACTICE)
    strategy = catalog.strategies[0].id
    second = catalog.strategies[1].id
    return {
        "evidence must quote the body": (
            "extra.md",
            _vignette(f"signs_present:\n  - sign: {sign}\n    evidence: Not in the text.\ndistractors: [{absent}]\n"),
            "signs_present[0].evidence",
            "must quote a sentence",
        ),
        "a distractor must be absent": (
            "extra.md",
            _vignette(f"signs_present:\n  - sign: {sign}\n    evidence: It is here.\ndistractors: [{sign}]\n"),
            "distractors[0]",
            "a distractor must be absent",
        ),
        "criteria belong to the statement's challenge": (
            "extra.yaml",
            # a criterion of the course's other challenge, added here: the fixture course has one set
            f"skill_criteria:\n  - id: extra-criterion\n    challenge: {other}\n    text: Other.\n"
            "    anchors: {0: a, 1: b, 2: c, 3: d, 4: e}\n    review: draft\n"
            f"client_statements:\n  - id: extra-cs\n    challenge: {PRACTICE}\n"
            "    difficulty: beginner\n    context: Session four.\n    text: Nothing changes.\n"
            f"    signs: [{sign}]\n    example_responses:\n"
            f"      - text: One.\n        meets: [{criterion}]\n        note: Fine.\n"
            "      - text: Two.\n        meets: [extra-criterion]\n        note: Wrong challenge.\n"
            "    review: draft\n",
            "example_responses[1].meets[0]",
            "belongs to another challenge",
        ),
        "safety-critical choice is not part of the key": (
            "extra.md",
            "---\nkind: triage_case\nid: extra-triage\ntitle: Extra\nred_flag: rf-persistent-worsening\n"
            "variant: clear\nurgency: next-supervision\n"
            "actions: [act-review-progress-with-client, act-raise-next-supervision]\n"
            "safety_critical:\n  - choice: act-raise-next-supervision\n    why: Contradiction.\n"
            "rationale: Because.\nhelp_seeking: H.\nreview: draft\n---\nA fictional case.\n",
            "safety_critical[0].choice",
            "part of the correct answer",
        ),
        "safety-critical choice exists": (
            "extra.md",
            "---\nkind: triage_case\nid: extra-triage\ntitle: Extra\nred_flag: rf-persistent-worsening\n"
            "variant: clear\nurgency: next-supervision\nactions: [act-raise-next-supervision]\n"
            "safety_critical:\n  - choice: act-promise-confidentialty\n    why: Typo.\n"
            "rationale: Because.\nhelp_seeking: H.\nreview: draft\n---\nA fictional case.\n",
            "safety_critical[0].choice",
            "did you mean 'act-promise-confidentiality'",
        ),
        "a distractor action is not also correct": (
            "extra.md",
            "---\nkind: triage_case\nid: extra-triage\ntitle: Extra\nred_flag: rf-persistent-worsening\n"
            "variant: clear\nurgency: next-supervision\nactions: [act-raise-next-supervision]\n"
            "distractor_actions: [act-raise-next-supervision]\n"
            "rationale: Because.\nhelp_seeking: H.\nreview: draft\n---\nA fictional case.\n",
            "distractor_actions[0]",
            "also a correct action",
        ),
        "a self-harm red flag makes a self-harm case": (
            "extra.md",
            "---\nkind: triage_case\nid: extra-triage\ntitle: Extra\nred_flag: rf-self-harm-thoughts\n"
            "variant: clear\nurgency: same-day\nactions: [act-ask-directly, act-tell-supervisor-today]\n"
            "rationale: Because.\nhelp_seeking: H.\nreview: draft\n---\nA fictional case.\n",
            "self_harm",
            "must be true",
        ),
        "a look-alike has no red flag": (
            "extra.md",
            "---\nkind: triage_case\nid: extra-triage\ntitle: Extra\nred_flag: rf-persistent-worsening\n"
            "variant: look-alike\nurgency: routine\nactions: [act-normalise-and-continue]\n"
            "rationale: Because.\nhelp_seeking: H.\nreview: draft\n---\nA fictional case.\n",
            "red_flag",
            "a look-alike has no red flag",
        ),
        "the strategy answer is not among the options": (
            "extra.yaml",
            f"strategy_matches:\n  - id: extra-sm\n    situation: A client.\n    answer: {strategy}\n"
            f"    options: [{strategy}, {second}]\n    why: Because.\n    review: draft\n",
            "options",
            "is the answer",
        ),
        "a red flag's safety-critical error is not a required action": (
            "extra.yaml",
            "red_flags:\n  - id: rf-extra\n    title: Extra\n    criterion: C.\n    meaning: M.\n"
            "    urgency: same-day\n    actions: [act-tell-supervisor-today]\n"
            "    safety_critical_errors:\n      - action: act-tell-supervisor-today\n        why: W.\n"
            "    references: [ref-liu-facing-challenges]\n    review: draft\n",
            "safety_critical_errors[0].action",
            "also a required action",
        ),
        "only one course": (
            "extra.yaml",
            "course:\n  - id: extra-course\n    title: T\n    subtitle: S\n"
            "    source: ref-liu-facing-challenges\n    central_idea: C\n    closing: C\n"
            "    draft_notice: D\n    content_statement: S\n    privacy_notice: P\n    review: draft\n",
            "id",
            "only one course",
        ),
    }


@pytest.mark.parametrize("rule", sorted(_cases()))
def test_rule_reports_one_line(rule: str, fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    name, text, field, words = _cases()[rule]
    (fixture_copy / name).write_text(text, encoding="utf-8")
    result = run_cli("validate", str(fixture_copy))
    assert result.code == 1
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"content/{name}:"), lines[0]
    assert f": {field}: " in lines[0] and words in lines[0], lines[0]


def test_every_difficulty_is_covered(fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    vignette = next(fixture_copy.glob("vignettes/*.md"))
    difficulty = next(
        line.split(":", 1)[1].strip()
        for line in vignette.read_text(encoding="utf-8").splitlines()
        if line.startswith("difficulty:")
    )
    vignette.unlink()
    result = run_cli("validate", str(fixture_copy))
    assert result.code == 1
    assert f"no {difficulty} vignette for challenge" in result.err
    assert len(result.err.splitlines()) == 1


def test_broken_reference_names_file_and_id(fixture_copy: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    vignette = sorted(fixture_copy.glob("vignettes/*.md"))[0]
    text = vignette.read_text(encoding="utf-8")
    sign = next(line.split("sign:", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("- sign:"))
    vignette.write_text(text.replace(f"sign: {sign}", "sign: no-such-sign", 1), encoding="utf-8")
    result = run_cli("validate", str(fixture_copy))
    assert result.code == 1
    (line,) = result.err.splitlines()
    assert line.startswith(f"content/vignettes/{vignette.name}:")
    assert "unknown sign 'no-such-sign'" in line
