"""The course as typed records: one pydantic model per kind of content item.

Every model forbids unknown keys, so a misspelt field is an error rather than silently
ignored. Fields that name another item are annotated with :class:`Ref`, which the
cross-file validator reads to check that every reference resolves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Difficulty = Literal["beginner", "intermediate", "advanced"]
DIFFICULTIES: tuple[Difficulty, ...] = ("beginner", "intermediate", "advanced")
Rupture = Literal["withdrawal", "confrontation", "none"]
Urgency = Literal["next-supervision", "same-day", "immediate"]
TriageUrgency = Literal["routine", "next-supervision", "same-day", "immediate"]
URGENCIES: tuple[TriageUrgency, ...] = ("routine", "next-supervision", "same-day", "immediate")
# Every tier but routine and immediate means "tell your supervisor": choosing one of them when a
# case needs less is checking with the supervisor, which is never scored as an error.
SUPERVISOR_TIERS: tuple[TriageUrgency, ...] = ("next-supervision", "same-day")
# What a trainee reads for each tier, everywhere a tier is shown (never the raw value).
URGENCY_LABELS: list[tuple[str, TriageUrgency]] = [
    ("Routine: a normal challenge; keep working and bring it to routine supervision", "routine"),
    ("Raise it at your next supervision, and before you see the client again", "next-supervision"),
    ("Tell your supervisor today; after talk of self-harm, before the client leaves", "same-day"),
    ("Act immediately", "immediate"),
]
ReviewStatus = Literal["draft", "reviewed"]
StrategyKind = Literal["reframe", "self-compassion", "coping", "curiosity", "small-step", "rupture-repair"]
UsedBy = Literal["client-self-help", "clinician-intervention"]
When = Literal["in-the-moment", "between-sessions", "later-sessions"]
Variant = Literal["clear", "subtle", "look-alike"]
WELCOME_PAGE = "welcome"  # the course's first page: never a challenge's id


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of an item of ``kind``."""

    kind: str


ItemId = Annotated[str, Field(pattern=ID_PATTERN)]
ChallengeId = Annotated[str, Ref("challenge")]
SignId = Annotated[str, Ref("sign")]
StrategyId = Annotated[str, Ref("strategy")]
ActionId = Annotated[str, Ref("triage_action")]
RedFlagId = Annotated[str, Ref("red_flag")]
ReferenceId = Annotated[str, Ref("reference")]
CriterionId = Annotated[str, Ref("skill_criterion")]
Text = Annotated[str, Field(min_length=1)]


def _as_steps(value: Any) -> Any:
    """``[a, [b, c], d]`` -> ``[[a], [b, c], [d]]``: a bare id is a step of one action."""
    if isinstance(value, list):
        return [[step] if isinstance(step, str) else step for step in value]
    return value


def flatten(steps: list[list[str]]) -> list[str]:
    """Every action of a partial order, step by step."""
    return [action for step in steps for action in step]


# A partial order of actions: steps in sequence, where one step may be a group of actions done
# together. Only "this step before that step" is a precedence; order inside a group is free.
Steps = Annotated[list[Annotated[list[ActionId], Field(min_length=1)]], BeforeValidator(_as_steps)]


class Model(BaseModel):
    """Base of every content record: strict about keys, tolerant of YAML's folded strings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Item(Model):
    """A content item with a stable id."""

    id: ItemId


class Reviewed(Item):
    """A clinical item: draft until a named clinician has reviewed it."""

    review: ReviewStatus
    reviewer: str | None = None
    reviewed_on: str | None = None

    @model_validator(mode="after")
    def _review_is_honest(self) -> Reviewed:
        if self.review == "reviewed" and not (self.reviewer and self.reviewed_on):
            raise ValueError("review: 'reviewed' needs both reviewer and reviewed_on")
        if self.review == "draft" and (self.reviewer or self.reviewed_on):
            raise ValueError("reviewer: a draft item has no reviewer")
        return self


class SafetyFields(Model):
    """Help-seeking fields every item that touches self-harm must fill in."""

    self_harm: bool = False
    help_seeking: str | None = None
    content_notes: list[Text] = []

    @model_validator(mode="after")
    def _self_harm_has_guidance(self) -> SafetyFields:
        if self.self_harm and not self.help_seeking:
            raise ValueError("help_seeking: required when self_harm is true")
        if self.self_harm and not self.content_notes:
            raise ValueError("content_notes: required when self_harm is true")
        return self


class ReadingItem(Model):
    reference: ReferenceId
    why: Text


class PageName(Model):
    id: ItemId
    title: Text
    short_title: Text | None = None  # a column heading in the cohort report


class CourseInfo(Reviewed):
    title: Text
    subtitle: Text
    source: ReferenceId
    central_idea: Text
    closing: Text
    draft_notice: Text
    # Shown on the welcome page under the list of topics (gathered from every content note):
    # how to pace the material, how to step out of it, and whom to talk to.
    content_statement: Text
    # Shown with every reflection prompt (every mode) and on the welcome page: leave out anything
    # that could identify a client.
    privacy_notice: Text
    reading_list: list[ReadingItem] = []
    # The page of strategies and strategy matching, after the practice challenges.
    strategies_page: PageName = PageName(id="strategies", title="Ways to navigate challenges")


class Sign(Reviewed):
    text: Text
    observe: Text
    rupture: Rupture


class Challenge(Reviewed):
    order: int = Field(ge=1)
    title: Text
    short_title: Text | None = None  # a column heading in the cohort report (default: the title)
    summary: Text
    why: Text
    learning_objectives: list[Text] = Field(min_length=1)
    references: list[ReferenceId] = Field(min_length=1)
    signs: list[Sign] = []  # none: the page of red flags and triage cases
    # For supervisors only (supervisor notebook, review exports); never shown in a trainee's page.
    supervisor_notes: Text | None = None

    @field_validator("learning_objectives")
    @classmethod
    def _verb_led(cls, objectives: list[str]) -> list[str]:
        for text in objectives:
            if not re.match(r"^[A-Z][a-z]+\b", text):
                raise ValueError(f"learning objective must start with a verb: {text[:40]!r}")
        return objectives


class Strategy(Reviewed):
    kind: StrategyKind
    title: Text
    text: Text
    used_by: UsedBy
    when: When
    references: list[ReferenceId] = Field(min_length=1)


class TriageAction(Reviewed):
    text: Text
    # When this action brings the supervisor in (None: it does not). A case that needs less
    # never counts such an action against the trainee: checking with a supervisor is never wrong.
    tells_supervisor: Urgency | None = None


class SafetyCriticalError(Model):
    action: ActionId
    why: Text


class RedFlag(Reviewed, SafetyFields):
    title: Text
    criterion: Text
    meaning: Text
    urgency: Urgency
    actions: Steps = Field(min_length=1)
    safety_critical_errors: list[SafetyCriticalError] = []
    references: list[ReferenceId] = Field(min_length=1)

    @property
    def key_actions(self) -> list[str]:
        return flatten(self.actions)


class Resource(Model):
    name: Text
    how: Text


class SafetyNotice(Reviewed):
    title: Text
    text: Text
    resources: list[Resource] = Field(min_length=1)


class Reference(Item):
    authors: list[Text] = Field(min_length=1)
    year: int | Literal["n.d."]
    title: Text
    venue: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    publisher: str | None = None
    edition: str | None = None
    url: Annotated[str, Field(pattern=r"^https://\S+$")] | None = None  # printed as text, never fetched
    published: date | None = None  # exact publication date, for web pages and guidance
    accessed: date | None = None  # when the online text was read (needs url)
    note: str | None = None

    @model_validator(mode="after")
    def _accessed_needs_url(self) -> Reference:
        if self.accessed and not self.url:
            raise ValueError("accessed: needs url (the page that was read)")
        return self


class EvidencedSign(Model):
    sign: SignId
    evidence: Text


class Vignette(Reviewed, SafetyFields):
    title: Text
    challenges: list[ChallengeId] = Field(min_length=1)
    difficulty: Difficulty
    client: Text
    learning_objectives: list[Text] = Field(min_length=1)
    signs_present: list[EvidencedSign] = Field(min_length=1)
    distractors: list[SignId] = Field(min_length=1)
    rupture: Rupture = "none"
    # Why this case is that kind of rupture (or none), where a reader could take it two ways:
    # shown in the rupture feedback.
    rupture_why: Text | None = None
    body: Text


class SkillCriterion(Reviewed):
    challenge: ChallengeId
    text: Text
    anchors: dict[int, Text]

    @field_validator("anchors")
    @classmethod
    def _zero_to_four(cls, anchors: dict[int, str]) -> dict[int, str]:
        if sorted(anchors) != [0, 1, 2, 3, 4]:
            raise ValueError("needs exactly the anchors 0, 1, 2, 3 and 4")
        return anchors


class ExampleResponse(Model):
    text: Text
    meets: list[CriterionId] = Field(min_length=1)
    note: Text


class ClientStatement(Reviewed):
    challenge: ChallengeId
    difficulty: Difficulty
    context: Text
    text: Text
    signs: list[SignId] = Field(min_length=1)
    example_responses: list[ExampleResponse] = Field(min_length=2, max_length=2)
    content_notes: list[Text] = []


class Option(Model):
    text: Text
    correct: bool = False
    explanation: Text


class KnowledgeCheck(Reviewed):
    challenge: ChallengeId
    question: Text
    options: list[Option]

    @field_validator("options")
    @classmethod
    def _one_correct(cls, options: list[Option]) -> list[Option]:
        # one message at a time, the answer key first: a check with no right answer is the
        # bigger mistake whatever its length
        if sum(option.correct for option in options) != 1:
            raise ValueError("exactly one option must be correct")
        if not 3 <= len(options) <= 5:
            raise ValueError(f"a knowledge check offers 3-5 options; this one has {len(options)}")
        return options


class GibbsStages(Model):
    description: Text
    feelings: Text
    evaluation: Text
    analysis: Text
    conclusion: Text
    action_plan: Text


class ReflectionPrompt(Reviewed):
    challenge: ChallengeId
    title: Text
    prompt: Text
    stages: GibbsStages
    references: list[ReferenceId] = []


class WrongChoice(Model):
    """A wrong answer and why: a choice made (``choice``), or key steps all left out (``missing``)."""

    choice: Text | None = None  # a triage action id or an urgency value; checked across files
    missing: list[ActionId] = []  # flagged when the answer includes none of these key actions
    why: Text

    @model_validator(mode="after")
    def _one_kind(self) -> WrongChoice:
        if (self.choice is None) == (not self.missing):
            raise ValueError("give either 'choice' or 'missing', not both or neither")
        return self


class TriageCase(Reviewed, SafetyFields):
    title: Text
    red_flag: RedFlagId | None
    variant: Variant
    urgency: TriageUrgency
    actions: Steps = Field(min_length=1)
    distractor_actions: list[ActionId] = []
    # Offered, not in the key, never counted against the trainee: "fine to do here".
    acceptable_actions: list[ActionId] = []
    safety_critical: list[WrongChoice] = []  # red box, and the cohort report's misses
    important: list[WrongChoice] = []  # amber: a real mistake that puts no one at risk
    rationale: Text
    supervisor_notes: Text | None = None  # for supervisors only, as on challenges
    body: Text

    @property
    def key_actions(self) -> list[str]:
        return flatten(self.actions)

    def acts_sooner(self, tier: str) -> bool:
        """Whether choosing urgency ``tier`` only brings help in sooner than this case needs.

        A tier above the key that means telling the supervisor, or, when the case concerns
        self-harm, acting at once: never scored as an error.
        """
        if tier not in URGENCIES or URGENCIES.index(tier) <= URGENCIES.index(self.urgency):
            return False
        return tier in SUPERVISOR_TIERS or (self.self_harm and tier == "immediate")

    @model_validator(mode="after")
    def _consistent(self) -> TriageCase:
        if not self.help_seeking:  # shown after every answer, whatever the case
            raise ValueError("help_seeking: required for every triage case")
        if (self.variant == "look-alike") != (self.red_flag is None):
            raise ValueError("red_flag: a look-alike has no red flag, every other case has one")
        if self.variant == "look-alike" and self.urgency != "routine":
            raise ValueError("urgency: a look-alike case is 'routine'")
        return self


class StrategyMatch(Reviewed):
    situation: Text
    answer: StrategyId
    options: list[StrategyId] = Field(min_length=2, max_length=4)  # the other strategies offered
    why: Text
