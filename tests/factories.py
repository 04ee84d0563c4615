"""Synthetic trainee answers for tests and demos (fixed seeds; fictional trainees)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinician_workbook.content import Catalog, load_bundled
from clinician_workbook.content.models import URGENCIES, TriageCase
from clinician_workbook.notebooks import calls
from clinician_workbook.pages import find_page, strategies_page_id, triage_page_id
from clinician_workbook.responses import ResponseStore, store_path
from clinician_workbook.scoring import FELT, next_difficulty, sign_options

# a name or id with no space and wider than any page, unless the page breaks it
LONG_NAME = "L" + "x" * 298 + "Z"
RESPONSES = [
    "I notice we moved away from that just now — could we stay with it a moment?",
    "It makes sense that part of you wants to stop; you’ve been carrying a lot.",
    "Can we look together at what has changed since we started, even a little?",
    "Thank you for telling me straight. What did I miss that mattered to you?",
]


@dataclass
class Plan:
    """What a synthetic trainee did: how much, and which safety-critical misses (case ids)."""

    completeness: float = 1.0
    critical_misses: list[str] = field(default_factory=list)
    share_reflections: bool = True


def fill_store(store: ResponseStore, catalog: Catalog, rng: random.Random, plan: Plan) -> None:
    """Answer ``catalog``'s pages as ``plan`` says; the pages come from the course, so any course works."""
    triage_page = triage_page_id(catalog)
    for challenge in [c.id for c in catalog.challenges if c.signs]:
        for v in [v for v in catalog.vignettes if challenge in v.challenges]:
            if rng.random() > plan.completeness:
                continue
            options = sign_options(v, 0)
            chosen = [s for s in options if (s in {p.sign for p in v.signs_present}) != (rng.random() < 0.2)]
            if chosen:  # an empty submission is not an attempt
                store.save(challenge, "spot-signs", v.id, {"chosen": chosen})
            rupture = v.rupture if rng.random() < 0.7 else "none"
            store.save(challenge, "classify", v.id, {"challenge": v.challenges[0], "rupture": rupture})
        level = "beginner"
        criteria = [c.id for c in catalog.skill_criteria if c.challenge == challenge]
        for _ in range(3 if rng.random() < plan.completeness else 0):
            statement = next(s for s in catalog.client_statements if s.challenge == challenge and s.difficulty == level)
            text = rng.choice(RESPONSES)
            store.save(
                challenge, "respond", statement.id, {"statement": statement.id, "difficulty": level, "response": text}
            )
            ratings = {c: rng.randint(1, 4) for c in criteria}
            felt = rng.choice(FELT)
            after = next_difficulty(level, felt, list(ratings.values()))
            store.save(
                challenge,
                "respond",
                statement.id,
                {
                    "statement": statement.id,
                    "difficulty": level,
                    "response": text,
                    "ratings": ratings,
                    "felt": felt,
                    "next_difficulty": after,
                },
            )
            level = after
        for k in [k for k in catalog.knowledge_checks if k.challenge == challenge]:
            if rng.random() < plan.completeness:
                store.save(challenge, "knowledge-check", k.id, {"choice": rng.randrange(len(k.options))})
        for p in [p for p in catalog.reflection_prompts if p.challenge == challenge]:
            if rng.random() < plan.completeness:
                stages = {
                    "description": "A session where the client went quiet.",
                    "feelings": "Anxious, then calmer.",
                    "action_plan": "Name the shift gently next time.",
                }
                store.save(challenge, "reflect", p.id, {"stages": stages}, shared=plan.share_reflections)
    for m in catalog.strategy_matches:
        if rng.random() < plan.completeness:
            store.save(
                strategies_page_id(catalog),
                "strategy-match",
                m.id,
                {"choice": m.answer if rng.random() < 0.7 else m.options[0]},
            )
    for case in sorted(catalog.triage_cases, key=lambda c: c.id) if triage_page else []:
        key = [list(step) for step in case.actions]
        if case.id in plan.critical_misses:
            critical = next(c.choice for c in case.safety_critical if c.choice is not None)
            urgency = critical if critical in URGENCIES else case.urgency
            steps = key if critical in URGENCIES else [[critical], *key[1:]]
            store.save(triage_page, "triage", case.id, {"urgency": urgency, "steps": steps})
        elif rng.random() < plan.completeness:
            store.save(triage_page, "triage", case.id, {"urgency": case.urgency, "steps": key})


def answer_all(folder: Path, trainees: tuple[str, ...], seed: int | None = None) -> None:
    """Each trainee's store in ``folder`` with the whole workbook answered (the default plan), from
    ``random.Random(seed)``, or seeded by the trainee's id when no seed is given."""
    catalog = load_bundled()
    for trainee in trainees:
        with ResponseStore(store_path(folder, trainee), trainee) as store:
            fill_store(store, catalog, random.Random(trainee if seed is None else seed), Plan())


@dataclass
class Planted:
    """What a synthetic cohort was made with, for tests to check the report against."""

    misses: set[tuple[str, str]] = field(default_factory=set)  # (trainee, case id)
    incomplete: set[str] = field(default_factory=set)
    with_feedback: set[str] = field(default_factory=set)
    private_marker: str = "PRIVATE-REFLECTION-DO-NOT-SHOW"


def make_cohort(folder: Path, size: int, seed: int = 2027) -> Planted:
    """``size`` fictional trainees' stores in ``folder``: some misses, some incomplete, some feedback."""
    catalog = load_bundled()
    rng = random.Random(seed)
    planted = Planted()
    critical_cases = sorted(c.id for c in catalog.triage_cases if c.safety_critical)
    for i in range(size):
        trainee = f"Trainee {i:03d}"
        misses = rng.sample(critical_cases, k=rng.choice([0, 0, 0, 1, 2])) if i % 3 == 0 else []
        complete = 0.35 if i % 4 == 1 else 1.0
        planted.misses |= {(trainee, case) for case in misses}
        if complete < 1:
            planted.incomplete.add(trainee)
        with ResponseStore(store_path(folder, trainee), trainee) as store:
            fill_store(
                store, catalog, random.Random(f"{seed}-{i}"), Plan(complete, misses, share_reflections=i % 2 == 0)
            )
            store.save("feeling-stuck", "reflect", "st-reflect-3", {"stages": {"feelings": planted.private_marker}})
            if i % 5 == 0:
                planted.with_feedback.add(trainee)
                criterion = next(c.id for c in catalog.skill_criteria if c.challenge == "feeling-stuck")
                store.save(
                    "feeling-stuck",
                    "feedback",
                    "respond/st-cs-beginner-1",
                    {"ratings": {criterion: 3}, "comment": "Good", "next_step": "Slow down"},
                    role="supervisor",
                    author="Dr Sup",
                )
    return planted


def answer_with(catalog: Catalog, case: TriageCase, choice: str) -> tuple[str, list[list[str]]]:
    """The key's answer with ``choice`` made instead: an urgency instead of the key's, an action as
    a last step (a late supervisor action instead of the key's timely ones)."""
    key = [list(step) for step in case.actions]
    if choice in URGENCIES:
        return choice, key
    if catalog.supervisor_tier(choice) >= 0:
        in_time = URGENCIES.index(case.urgency)
        key = [kept for step in key if (kept := [a for a in step if catalog.supervisor_tier(a) < in_time])]
    return case.urgency, [*key, [choice]]


def run_page(wb: Any, section: str | None = None) -> None:
    """Run a session's page as its notebook does, call by call (a section call and one call per
    item); only the calls of ``section`` (e.g. ``"triage"``) if given."""
    for call in calls(find_page(wb.catalog, wb.challenge)):
        if section is None or call.startswith(f"wb.{section}("):
            exec(call, {"wb": wb})  # our own generated calls, e.g. wb.triage('case-id')
