"""The loaded course: every content item by kind and id, with where each was defined."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

from .models import (
    DIFFICULTIES,
    SUPERVISOR_TIERS,
    URGENCIES,
    Challenge,
    ClientStatement,
    CourseInfo,
    Item,
    KnowledgeCheck,
    RedFlag,
    Reference,
    ReflectionPrompt,
    SafetyNotice,
    Sign,
    SkillCriterion,
    Strategy,
    StrategyMatch,
    TriageAction,
    TriageCase,
    Vignette,
)

T = TypeVar("T", bound=Item)


@dataclass(frozen=True)
class Location:
    """Where an item was defined: file (as shown to the user), line, and its fields' lines."""

    path: str
    line: int | None
    fields: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False)

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """The line of a field inside the item (or of its nearest located parent)."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.fields:
                return self.fields[loc[:end]]
        return self.line

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Catalog:
    """Every item of the course, by kind then id, in file order."""

    items: dict[str, dict[str, Item]] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)

    def add(self, kind: str, item: Item, location: Location) -> Location | None:
        """Add ``item``; if its id is taken, add nothing and return where it was first defined."""
        if item.id in self.locations:
            return self.locations[item.id]
        self.items.setdefault(kind, {})[item.id] = item
        self.locations[item.id] = location
        return None

    def of(self, kind: str, model: type[T]) -> list[T]:
        """All items of ``kind``, checked to be ``model`` instances."""
        return [item for item in self.items.get(kind, {}).values() if isinstance(item, model)]

    def get(self, kind: str, item_id: str, model: type[T]) -> T:
        item = self.items.get(kind, {}).get(item_id)
        if not isinstance(item, model):
            raise KeyError(f"no {kind} with id {item_id!r}")
        return item

    # Typed views used by the notebooks, renderers and exercises.
    @property
    def course(self) -> CourseInfo:
        return self.of("course", CourseInfo)[0]

    @property
    def challenges(self) -> list[Challenge]:
        return sorted(self.of("challenge", Challenge), key=lambda c: c.order)

    @property
    def signs(self) -> list[Sign]:
        return self.of("sign", Sign)

    @property
    def strategies(self) -> list[Strategy]:
        return self.of("strategy", Strategy)

    @property
    def triage_actions(self) -> list[TriageAction]:
        return self.of("triage_action", TriageAction)

    @property
    def red_flags(self) -> list[RedFlag]:
        return self.of("red_flag", RedFlag)

    @property
    def safety_notice(self) -> SafetyNotice:
        return self.of("safety_notice", SafetyNotice)[0]

    @property
    def references(self) -> list[Reference]:
        return self.of("reference", Reference)

    @property
    def vignettes(self) -> list[Vignette]:
        return self.of("vignette", Vignette)

    @property
    def skill_criteria(self) -> list[SkillCriterion]:
        return self.of("skill_criterion", SkillCriterion)

    @property
    def client_statements(self) -> list[ClientStatement]:
        return self.of("client_statement", ClientStatement)

    @property
    def knowledge_checks(self) -> list[KnowledgeCheck]:
        return self.of("knowledge_check", KnowledgeCheck)

    @property
    def reflection_prompts(self) -> list[ReflectionPrompt]:
        return self.of("reflection_prompt", ReflectionPrompt)

    @property
    def triage_cases(self) -> list[TriageCase]:
        return self.of("triage_case", TriageCase)

    @property
    def strategy_matches(self) -> list[StrategyMatch]:
        return self.of("strategy_match", StrategyMatch)

    def challenge(self, challenge_id: str) -> Challenge:
        return self.get("challenge", challenge_id, Challenge)

    def sign(self, sign_id: str) -> Sign:
        return self.get("sign", sign_id, Sign)

    def content_notes(self) -> list[str]:
        """Every content note of the course, in file order, once each."""
        found: dict[str, None] = {}
        for kind in self.items.values():
            for item in kind.values():
                found.update(dict.fromkeys(getattr(item, "content_notes", [])))
        return list(found)

    def supervisor_tier(self, choice: str) -> int:
        """How soon a triage choice (action or urgency) brings the supervisor in, as an index
        into ``URGENCIES``; -1 when it does not bring the supervisor in at all."""
        if choice in SUPERVISOR_TIERS:
            return URGENCIES.index(choice)
        action = self.items.get("triage_action", {}).get(choice)
        tier = action.tells_supervisor if isinstance(action, TriageAction) else None
        return URGENCIES.index(tier) if tier else -1

    def counts(self) -> dict[str, int]:
        """How many items of each kind, in a stable order."""
        return {kind: len(items) for kind, items in self.items.items()}

    def counts_by_challenge(self) -> dict[str, Counter[str]]:
        """Per challenge: vignettes and client statements per difficulty, and other items."""
        table: dict[str, Counter[str]] = {c.id: Counter() for c in self.challenges}
        for vignette in self.vignettes:
            for challenge_id in vignette.challenges:
                table[challenge_id][f"vignettes {vignette.difficulty}"] += 1
        for statement in self.client_statements:
            table[statement.challenge][f"statements {statement.difficulty}"] += 1
        labelled: list[tuple[str, list[SkillCriterion] | list[KnowledgeCheck] | list[ReflectionPrompt]]] = [
            ("skill criteria", self.skill_criteria),
            ("knowledge checks", self.knowledge_checks),
            ("reflection prompts", self.reflection_prompts),
        ]
        for label, items in labelled:
            for item in items:
                table[item.challenge][label] += 1
        # triage cases belong to the challenge without signs (the red-flag page)
        holder = next((c.id for c in self.challenges if not c.signs), "triage")
        for case in self.triage_cases:
            table.setdefault(holder, Counter())[f"triage {case.variant}"] += 1
        return table


__all__ = ["DIFFICULTIES", "Catalog", "Location"]
