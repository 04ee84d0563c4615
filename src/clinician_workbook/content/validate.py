"""Cross-file rules: references resolve, answer keys are consistent, the library is complete.

Single-item rules (required fields, value sets, types) are the models' job; this module
checks what needs more than one item at a time, and then the prose rules of
:mod:`.wording` (safe messaging, body lengths) on every item.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from ..errors import ContentError, Problem
from .catalog import Catalog
from .loader import load_catalog, suggest
from .models import (
    DIFFICULTIES,
    URGENCIES,
    WELCOME_PAGE,
    ClientStatement,
    CourseInfo,
    Item,
    RedFlag,
    Ref,
    StrategyMatch,
    TriageCase,
    Vignette,
)
from .sources import DEFAULT_LIMITS, ReadLimits, format_field
from .wording import check_length, find_unsafe

Loc = tuple[str | int, ...]


def _refs_in(annotation: Any, value: Any, loc: Loc) -> Iterator[tuple[Loc, str, str]]:
    """Yield (field path, target kind, id) for every Ref-annotated value inside ``value``."""
    if value is None:
        return
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = get_args(annotation)
        ref = next((m for m in meta if isinstance(m, Ref)), None)
        if ref is not None:
            yield loc, ref.kind, value
        else:
            yield from _refs_in(base, value, loc)
    elif origin in (typing.Union, types.UnionType):
        for option in get_args(annotation):
            if option is not type(None):
                yield from _refs_in(option, value, loc)
    elif origin is list:
        (inner,) = get_args(annotation)
        for index, element in enumerate(value):
            yield from _refs_in(inner, element, (*loc, index))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in type(value).model_fields.items():
            hint = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            yield from _refs_in(hint, getattr(value, name), (*loc, name))


def references_of(item: Item) -> Iterator[tuple[Loc, str, str]]:
    """Every (field path, target kind, id) that ``item`` refers to."""
    yield from _refs_in(type(item), item, ())


class _Checker:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.problems: list[Problem] = []

    def report(self, item: Item, loc: Loc, message: str) -> None:
        where = self.catalog.locations[item.id]
        self.problems.append(Problem(where.path, where.line_of(loc), format_field(loc), message))

    def run(self) -> list[Problem]:
        for kind_items in list(self.catalog.items.values()):
            for item in kind_items.values():
                self.check_references(item)
        self.check_singletons()
        self.check_orders()
        for vignette in self.catalog.vignettes:
            self.check_vignette(vignette)
        for statement in self.catalog.client_statements:
            self.check_statement(statement)
        for flag in self.catalog.red_flags:
            self.check_red_flag(flag)
        for case in self.catalog.triage_cases:
            self.check_triage_case(case)
        for match in self.catalog.strategy_matches:
            self.check_strategy_match(match)
        self.check_coverage()
        if not self.problems:  # which page shows what: worth saying once each item is sound
            self.check_pages()
        return self.problems

    def check_references(self, item: Item) -> None:
        for loc, kind, target in references_of(item):
            known = self.catalog.items.get(kind, {})
            if target in known:
                continue
            hint = suggest(target, list(known))
            if not hint:
                listed = sorted(known)
                hint = (
                    f" (valid: {', '.join(listed[:12])}{', ...' if len(listed) > 12 else ''})"
                    if listed
                    else f" (there is no {kind.replace('_', ' ')} yet)"
                )
            self.report(item, loc, f"unknown {kind.replace('_', ' ')} {target!r}{hint}")

    def check_singletons(self) -> None:
        for kind in ("course", "safety_notice"):
            found = self.catalog.items.get(kind, {})
            if not found:
                self.problems.append(Problem("content", None, kind, f"no {kind.replace('_', ' ')} defined"))
            for extra in list(found.values())[1:]:
                self.report(extra, ("id",), f"only one {kind.replace('_', ' ')} is allowed")

    def check_orders(self) -> None:
        """Challenges are pages in ``order``: two with one number would have no fixed order."""
        first: dict[int, Item] = {}
        for challenge in self.catalog.challenges:
            taken = first.setdefault(challenge.order, challenge)
            if taken is not challenge:
                self.report(
                    challenge,
                    ("order",),
                    f"order {challenge.order} is taken by challenge {taken.id!r} "
                    f"({self.catalog.locations[taken.id]}); give each challenge its own",
                )

    def check_vignette(self, vignette: Vignette) -> None:
        body = _squash(vignette.body)
        present = set()
        for index, entry in enumerate(vignette.signs_present):
            present.add(entry.sign)
            if _squash(entry.evidence) not in body:
                self.report(
                    vignette,
                    ("signs_present", index, "evidence"),
                    "evidence must quote a sentence of the vignette's text exactly",
                )
        for index, sign in enumerate(vignette.distractors):
            if sign in present:
                self.report(
                    vignette,
                    ("distractors", index),
                    f"{sign!r} is in signs_present; a distractor must be absent",
                )

    def check_statement(self, statement: ClientStatement) -> None:
        for r_index, response in enumerate(statement.example_responses):
            for c_index, criterion_id in enumerate(response.meets):
                criterion = self.catalog.items.get("skill_criterion", {}).get(criterion_id)
                if criterion is not None and getattr(criterion, "challenge", None) != statement.challenge:
                    self.report(
                        statement,
                        ("example_responses", r_index, "meets", c_index),
                        f"criterion {criterion_id!r} belongs to another challenge",
                    )

    def check_red_flag(self, flag: RedFlag) -> None:
        self.check_steps(flag, flag.actions)
        self.check_supervisor_in_key(flag, flag.urgency, flag.actions)
        for index, error in enumerate(flag.safety_critical_errors):
            if error.action in flag.key_actions:
                self.report(
                    flag,
                    ("safety_critical_errors", index, "action"),
                    f"{error.action!r} is also a required action",
                )

    def check_steps(self, item: RedFlag | TriageCase, steps: list[list[str]]) -> None:
        seen: set[str] = set()
        for s_index, step in enumerate(steps):
            for a_index, action in enumerate(step):
                if action in seen:
                    self.report(item, ("actions", s_index, a_index), f"{action!r} appears twice in the key")
                seen.add(action)

    def check_supervisor_in_key(self, item: RedFlag | TriageCase, urgency: str, steps: list[list[str]]) -> None:
        """A tier that needs the supervisor has a key step that brings the supervisor in that soon;
        after talk of self-harm, before the client leaves (``tells_supervisor: immediate``)."""
        tier = URGENCIES.index(urgency)
        soonest = max((self.catalog.supervisor_tier(a) for step in steps for a in step), default=-1)
        if item.self_harm and soonest < URGENCIES.index("immediate"):
            self.report(
                item,
                ("actions",),
                "after talk of self-harm the supervisor (or duty clinician) is brought in before the client "
                "leaves: the key needs an action whose tells_supervisor is 'immediate'",
            )
        elif tier > 0 and soonest < tier:
            self.report(
                item,
                ("actions",),
                f"no step brings the supervisor in as soon as the urgency {urgency!r} needs "
                "(an action whose tells_supervisor is that soon or sooner)",
            )

    def check_triage_case(self, case: TriageCase) -> None:
        actions = self.catalog.items.get("triage_action", {})
        self.check_steps(case, case.actions)
        self.check_supervisor_in_key(case, case.urgency, case.actions)
        flagged: dict[str, str] = {}  # choice -> the list it is in
        for severity in ("safety_critical", "important"):
            for index, wrong in enumerate(getattr(case, severity)):
                if wrong.choice is not None:
                    self.check_wrong_choice(case, severity, index, wrong.choice, actions, flagged)
                for a_index, action in enumerate(wrong.missing):
                    if action not in case.key_actions:
                        self.report(case, (severity, index, "missing", a_index), f"{action!r} is not in the key")
        seen: set[str] = set()
        for index, action in enumerate(case.distractor_actions):
            if action in case.key_actions:
                self.report(case, ("distractor_actions", index), f"{action!r} is also a correct action")
            elif action in seen:
                self.report(case, ("distractor_actions", index), f"{action!r} is offered twice")
            seen.add(action)
        flag = self.catalog.items.get("red_flag", {}).get(case.red_flag or "")
        self.check_acceptable(case, seen, flagged, flag if isinstance(flag, RedFlag) else None)
        if isinstance(flag, RedFlag):
            if flag.self_harm and not case.self_harm:
                self.report(case, ("self_harm",), "must be true: the red flag concerns self-harm")
            if URGENCIES.index(case.urgency) < URGENCIES.index(flag.urgency):
                self.report(case, ("urgency",), f"is below its red flag's urgency {flag.urgency!r}")
        self.check_severity_floor(case, flag if isinstance(flag, RedFlag) else None, flagged)

    def check_acceptable(self, case: TriageCase, seen: set[str], flagged: dict[str, str], flag: RedFlag | None) -> None:
        """Acceptable actions are offered once, outside the key, and never a wrong choice."""
        critical_errors = {e.action for e in flag.safety_critical_errors} if flag else set()
        key_tier = URGENCIES.index(case.urgency)
        for index, action in enumerate(case.acceptable_actions):
            loc = ("acceptable_actions", index)
            if action in case.key_actions:
                self.report(case, loc, f"{action!r} is also a correct action")
            elif action in case.distractor_actions:
                self.report(case, loc, f"{action!r} is also in distractor_actions")
            elif action in seen:
                self.report(case, loc, f"{action!r} is offered twice")
            elif action in flagged:
                self.report(case, loc, f"{action!r} is listed under {flagged[action]}; it cannot also be acceptable")
            elif action in critical_errors and flag is not None:
                self.report(case, loc, f"{action!r} is a safety-critical error of red flag {flag.id!r}")
            elif 0 <= self.catalog.supervisor_tier(action) < key_tier:
                self.report(case, loc, f"{action!r} tells the supervisor later than this case needs")
            seen.add(action)

    def check_wrong_choice(
        self,
        case: TriageCase,
        severity: str,
        index: int,
        choice: str,
        actions: dict[str, Item],
        flagged: dict[str, str],
    ) -> None:
        loc = (severity, index, "choice")
        if choice not in actions and choice not in URGENCIES:
            self.report(
                case,
                loc,
                f"{choice!r} is neither a triage action nor an urgency" + suggest(choice, [*actions, *URGENCIES]),
            )
            return
        if choice in case.key_actions or choice == case.urgency:
            self.report(case, loc, f"{choice!r} is part of the correct answer")
            return
        if choice in flagged:
            self.report(case, loc, f"{choice!r} is already listed under {flagged[choice]}")
            return
        flagged[choice] = severity
        if choice in actions and choice not in case.distractor_actions and choice not in case.acceptable_actions:
            self.report(case, loc, f"{choice!r} is not offered in this case (add it to distractor_actions)")
        if self.catalog.supervisor_tier(choice) >= URGENCIES.index(case.urgency) or case.acts_sooner(choice):
            self.report(
                case,
                loc,
                f"{choice!r} brings the supervisor in at least as soon as this case needs: "
                "checking with a supervisor is never an error",
            )

    def check_severity_floor(self, case: TriageCase, flag: RedFlag | None, flagged: dict[str, str]) -> None:
        """Wrong choices a case must flag, derived from its red flag and its urgency tier."""
        key_tier = URGENCIES.index(case.urgency)
        critical_errors = {e.action for e in flag.safety_critical_errors} if flag else set()
        for s_index, step in enumerate(case.actions):
            for a_index, action in enumerate(step):
                if action in critical_errors and flag is not None:
                    self.report(
                        case,
                        ("actions", s_index, a_index),
                        f"{action!r} is a safety-critical error of red flag {flag.id!r}; it cannot be in the key",
                    )
        for index, action in enumerate(case.distractor_actions):
            if action in critical_errors and flag is not None:
                reason, needed = f"is a safety-critical error of red flag {flag.id!r}", "safety_critical"
            elif 0 <= self.catalog.supervisor_tier(action) < key_tier:
                reason = "tells the supervisor later than this case needs"
                needed = "safety_critical" if case.self_harm else "safety_critical or important"
            else:
                continue
            if flagged.get(action) == "safety_critical" or (action in flagged and needed != "safety_critical"):
                continue
            self.report(case, ("distractor_actions", index), f"{action!r} {reason}; list it under {needed}")
        if not case.self_harm:
            return
        for tier in URGENCIES[:key_tier]:
            if flagged.get(tier) != "safety_critical":
                self.report(
                    case,
                    ("safety_critical",),
                    f"urgency {tier!r} is below this self-harm case's {case.urgency!r}; list it under safety_critical",
                )
        covered = {a for wrong in case.safety_critical for a in wrong.missing}
        for s_index, step in enumerate(case.actions):
            for a_index, action in enumerate(step):
                if self.catalog.supervisor_tier(action) >= 0 and action not in covered:
                    self.report(
                        case,
                        ("actions", s_index, a_index),
                        f"leaving out {action!r} must be safety-critical in a self-harm case: "
                        "list it in a 'missing' entry under safety_critical",
                    )

    def check_strategy_match(self, match: StrategyMatch) -> None:
        if match.answer in match.options:
            self.report(match, ("options",), f"{match.answer!r} is the answer; options are the others")

    def check_pages(self) -> None:
        """Page ids are unique (a challenge is never called like the welcome or strategies page),
        and one challenge without signs at most: its page shows the red flags and every triage case."""
        course = self.catalog.items.get("course", {})
        strategies = next((c.strategies_page.id for c in course.values() if isinstance(c, CourseInfo)), None)
        clashing = [c for c in self.catalog.challenges if c.id in (WELCOME_PAGE, strategies)]
        for challenge in clashing:
            self.report(challenge, ("id",), f"{challenge.id!r} is the id of a page of its own; choose another")
        concerns = [c for c in self.catalog.challenges if not c.signs and c not in clashing]
        for extra in concerns[1:]:
            self.report(
                extra,
                ("signs",),
                f"a second challenge without signs (the first is {concerns[0].id!r}); only one page "
                "holds the red flags and triage cases: give this one signs",
            )
        if concerns:
            return
        for kind in ("triage_case", "red_flag"):
            for item in list(self.catalog.items.get(kind, {}).values())[:1]:
                self.report(
                    item,
                    ("id",),
                    "no challenge without signs to show it on: add one (e.g. 'when challenges become concerning')",
                )

    def check_coverage(self) -> None:
        """Every challenge that has signs has a vignette and statements at every difficulty."""
        for challenge in self.catalog.challenges:
            if not challenge.signs:
                continue
            for label, items in (
                ("vignette", self.catalog.vignettes),
                ("client statement", self.catalog.client_statements),
            ):
                for difficulty in DIFFICULTIES:
                    if not any(_covers(item, challenge.id, difficulty) for item in items):
                        self.report(
                            challenge,
                            ("id",),
                            f"no {difficulty} {label} for challenge {challenge.id!r}",
                        )


class _ProseChecker(_Checker):
    """The rules of :mod:`.wording`: safe messaging in every text field, body lengths."""

    def run(self) -> list[Problem]:
        for kind_items in list(self.catalog.items.values()):
            for item in kind_items.values():
                for loc, text in _texts(item, ()):
                    found = find_unsafe(text)
                    if found:
                        phrase, why = found
                        self.report(item, loc, f"safe messaging: {phrase!r} is not used in course text ({why})")
        bodies: list[tuple[Vignette | TriageCase, str]] = [
            *((vignette, "vignette") for vignette in self.catalog.vignettes),
            *((case, "triage case") for case in self.catalog.triage_cases),
        ]
        for item, kind in bodies:
            problem = check_length(kind, item.body)
            if problem:
                self.report(item, ("body",), problem)
        return self.problems


def _texts(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every string inside an item, with its field path; nested items (signs) are items of their own."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        if loc and isinstance(value, Item):
            return
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*loc, name))
    elif isinstance(value, dict):
        for key, element in value.items():
            yield from _texts(element, (*loc, str(key)))
    elif isinstance(value, list):
        for index, element in enumerate(value):
            yield from _texts(element, (*loc, index))


def _covers(item: Vignette | ClientStatement, challenge_id: str, difficulty: str) -> bool:
    challenges = item.challenges if isinstance(item, Vignette) else [item.challenge]
    return item.difficulty == difficulty and challenge_id in challenges


def _squash(text: str) -> str:
    """Compare prose ignoring line wrapping, Markdown emphasis and curly/straight quotes."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", re.sub(r"[*_]", "", text)).strip()


def check_catalog(catalog: Catalog) -> list[Problem]:
    """The cross-file problems of an already loaded catalog, then (if none) its prose problems.

    Prose rules come last, as cross-file rules come after loading: a body a few words short
    is worth a line once the case it tells is sound, not before.
    """
    return _Checker(catalog).run() or check_prose(catalog)


def check_prose(catalog: Catalog) -> list[Problem]:
    """Safe messaging in every text field of every item, and the body lengths of cases."""
    return _ProseChecker(catalog).run()


def validate_content(root: Path, *, limits: ReadLimits = DEFAULT_LIMITS) -> Catalog:
    """Load and check the content under ``root``; raise ContentError listing every problem.

    ``limits`` bounds what one file may hold (size, nesting, number of values); the default
    is what ``docs/content-format.md`` promises.
    """
    if not root.is_dir():
        what = "a file, not a content folder" if root.exists() else "no such content folder"
        raise ContentError([Problem(str(root), None, "", what)])
    catalog, problems = load_catalog(root, limits=limits)
    if not problems:  # cross-file rules on a half-loaded catalog would only add noise
        problems = check_catalog(catalog)
    if problems:
        raise ContentError(problems)
    return catalog
