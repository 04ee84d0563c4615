"""Handout mode: a printable blank worksheet, drawn boxes and ruled space, no answers."""

from __future__ import annotations

from markupsafe import Markup

from ..content.catalog import Catalog
from ..content.models import URGENCY_LABELS
from ..scoring import check_options, match_options, sign_options, triage_options
from . import render
from .review import STAGES

RUPTURES = ["Withdrawal: moving away", "Confrontation: moving against", "No rupture"]
T = "handout.html.j2"


def cover(catalog: Catalog, title: str, trainee: str, cohort: str, date: str) -> Markup:
    return render(T, "cover", course=catalog.course, title=title, trainee=trainee, cohort=cohort, date=date)


def spot_signs(catalog: Catalog, challenge: str, seed: int) -> Markup:
    vignettes = [v for v in catalog.vignettes if challenge in v.challenges]
    order = {"beginner": 0, "intermediate": 1, "advanced": 2}
    vignettes.sort(key=lambda v: order[v.difficulty])
    return render(
        T,
        "spot",
        vignettes=vignettes,
        options={v.id: [catalog.sign(s).text for s in sign_options(v, seed)] for v in vignettes},
        ruptures=RUPTURES,
        challenge_titles=[c.title for c in catalog.challenges if c.signs],
    )


def respond(catalog: Catalog, challenge: str) -> Markup:
    order = {"beginner": 0, "intermediate": 1, "advanced": 2}
    statements = sorted(
        (s for s in catalog.client_statements if s.challenge == challenge), key=lambda s: order[s.difficulty]
    )
    return render(T, "respond", statements=statements)


def knowledge_checks(catalog: Catalog, challenge: str, seed: int) -> Markup:
    items = [
        {"question": k.question, "options": [k.options[i].text for i in check_options(k, seed)]}
        for k in catalog.knowledge_checks
        if k.challenge == challenge
    ]
    return render(T, "choices", items=items)


def reflections(catalog: Catalog, challenge: str) -> Markup:
    prompts = [p for p in catalog.reflection_prompts if p.challenge == challenge]
    return render(T, "reflections", prompts=prompts, stages=STAGES, privacy=catalog.course.privacy_notice)


def strategy_matches(catalog: Catalog, seed: int) -> Markup:
    titles = {s.id: s.title for s in catalog.strategies}
    items = [
        {"situation": m.situation, "offered": [titles[s] for s in match_options(m, seed)]}
        for m in catalog.strategy_matches
    ]
    return render(T, "matches", items=items)


def triage(catalog: Catalog, seed: int) -> Markup:
    cases = sorted(catalog.triage_cases, key=lambda c: c.id)
    return render(
        T,
        "triage",
        cases=cases,
        offered={c.id: triage_options(c, seed) for c in cases},
        labels={a.id: a.text for a in catalog.triage_actions},
        urgencies=[label for label, _ in URGENCY_LABELS],
    )
