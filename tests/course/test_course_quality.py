"""The bundled course meets the rules of its first clinical review (docs/review-log.md): rules
about this course's writing, not about the code, so they read the content as it is shipped."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from clinician_workbook.content import Catalog
from clinician_workbook.content.models import Item
from clinician_workbook.paths import bundled_content_dir

pytestmark = pytest.mark.course

# A client is introduced as "Name, age," (e.g. "Rosa, 71,"); content-format.md asks for it.
INTRO = re.compile(r"\b([A-Z][^\W\d_]+), (\d{1,2})\b")


def _texts(item: Item) -> str:
    return " ".join(str(v) for v in item.model_dump().values())


def _clients(catalog: Catalog) -> list[tuple[str, int, str]]:
    """(name, age, item id) for every client introduction in the course."""
    found = []
    for kind in ("vignette", "triage_case", "client_statement", "strategy_match", "knowledge_check"):
        for item in catalog.items.get(kind, {}).values():
            found += [(m.group(1), int(m.group(2)), item.id) for m in INTRO.finditer(_texts(item))]
    return found


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def test_every_client_has_a_name_of_their_own(catalog: Catalog) -> None:
    clients = _clients(catalog)
    assert len(clients) >= 30  # the pattern finds the course's clients, not nothing
    by_name: dict[str, set[str]] = {}
    for name, _, item in clients:
        by_name.setdefault(name, set()).add(item)
    shared = {name: items for name, items in by_name.items() if len(items) > 1}
    assert not shared, f"one name, several clients: {shared}"
    names = sorted(by_name, key=_folded)
    for a in names:  # no near-duplicates such as Tom / Tomás / Tomasz
        for b in names:
            assert a == b or not _folded(b).startswith(_folded(a)), (a, b)


def test_a_clients_name_appears_only_in_their_own_file(catalog: Catalog) -> None:
    files = {p: p.read_text(encoding="utf-8") for p in bundled_content_dir().rglob("*") if p.is_file()}
    for name, _, item in _clients(catalog):
        where = [p.name for p, text in files.items() if re.search(rf"\b{name}\b", text)]
        assert len(where) == 1, (name, item, where)


def test_vignette_clients_span_the_ages(catalog: Catalog) -> None:
    ages = [int(m.group(2)) for v in catalog.vignettes if (m := INTRO.search(v.client))]
    assert len(ages) == len(catalog.vignettes)  # every vignette introduces its client
    assert max(ages) >= 70 and min(ages) <= 18, ages
    assert max(Counter(ages).values()) <= 2, ages


def test_the_correct_option_is_not_a_tell(catalog: Catalog) -> None:
    checks = catalog.knowledge_checks
    longest = 0
    for check in checks:
        right = max(len(o.text) for o in check.options if o.correct)
        others = max(len(o.text) for o in check.options if not o.correct)
        longest += right >= others
    assert longest <= len(checks) // 3, f"the correct option is the longest in {longest} of {len(checks)}"


def test_example_responses_ask_one_question(catalog: Catalog) -> None:
    for statement in catalog.client_statements:
        for n, example in enumerate(statement.example_responses, 1):
            assert example.text.count("?") <= 1, f"{statement.id} example {n}"


def test_every_challenge_and_triage_case_has_supervisor_notes(catalog: Catalog) -> None:
    for item in [*catalog.challenges, *catalog.triage_cases]:
        notes = item.supervisor_notes or ""
        assert len(notes.split()) >= 40, item.id
    for case in (c for c in catalog.triage_cases if c.self_harm):
        assert re.search(r"debrief", case.supervisor_notes or "", re.I), case.id


def test_reflections_and_the_welcome_page_ask_for_anonymity(catalog: Catalog) -> None:
    # the notice itself: rendered with every prompt (tests/unit/test_audiences.py)
    notice = catalog.course.privacy_notice.lower()
    assert "identif" in notice and "client" in notice


def test_one_rule_for_a_trainee_hearing_thoughts_of_self_harm(catalog: Catalog) -> None:
    flag = next(f for f in catalog.red_flags if f.id == "rf-self-harm-thoughts")
    check = next(k for k in catalog.knowledge_checks if k.id == "st-kc-2")
    right = next(o for o in check.options if o.correct)
    for text in (flag.help_seeking or "", right.text + " " + right.explanation):
        assert re.search(r"before the client (leaves|goes)", text), text
    subtle = next(c for c in catalog.triage_cases if c.id == "triage-self-harm-subtle")
    assert {"act-contact-supervisor-now", "act-explore-thoughts", "act-record-session"} <= set(subtle.key_actions)


def test_citations_claim_only_what_the_studies_support(catalog: Catalog) -> None:
    cited = {s.id: set(s.references) for s in catalog.strategies}
    for strategy in ("reframe-discomfort-before-breakthrough", "reframe-normal-part-of-healing"):
        assert "ref-kleiven-2020" not in cited.get(strategy, set()), strategy
    for strategy in ("sc-healing-not-linear", "sc-care-between-sessions"):
        assert "ref-neff-germer-2013" not in cited.get(strategy, set()), strategy
    online = [r for r in catalog.references if r.url]
    assert all(r.accessed or r.published for r in online)
