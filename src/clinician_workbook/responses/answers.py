"""What each exercise saves: one pydantic model per kind of answer, checked on every save and import.

The store keeps answers as JSON objects; this module is the contract for their shape. Every
writer (the widgets, hand-in import) goes through ``check_answer`` and every reader through
``read_answer``, so nothing downstream picks a dict apart by hand, and an answer that does not
fit is refused where it enters (a located problem) or, read back, shown as "could not be read"
instead of breaking a page.

Answers hold what the trainee did, never a derived score: scores are recomputed from the
content when shown, so they always agree with the current answer key. Keys that older versions
stored as such snapshots (``score``, ``correct``, ``safety_critical``) are dropped on reading.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

from ..content.models import Difficulty, TriageUrgency

__all__ = [
    "AnswerProblem",
    "check_answer",
    "read_answer",
]

# Bounds that keep one answer a few hundred KiB at most, whatever a hand-in holds.
MAX_TEXT = 20_000
MAX_ITEMS = 200
Id = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Rating = Annotated[StrictInt, Field(ge=0, le=4)]
Felt = Literal["too easy", "about right", "too hard"]
Rupture = Literal["withdrawal", "confrontation", "none"]
LEGACY = frozenset({"score", "correct", "safety_critical"})  # derived snapshots of older versions


class Answer(BaseModel):
    """Base of every answer: exact keys, immutable; legacy derived snapshots are dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_legacy(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in LEGACY}
        return data


class SpotSignsAnswer(Answer):
    chosen: Annotated[list[Id], Field(min_length=1, max_length=MAX_ITEMS)]


class ClassifyAnswer(Answer):
    challenge: Id
    rupture: Rupture


class RespondAnswer(Answer):
    """One deliberate-practice round: submitted (response only), then rated (all of the rest)."""

    statement: Id
    difficulty: Difficulty
    response: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    ratings: Annotated[dict[Id, Rating], Field(min_length=1, max_length=MAX_ITEMS)] | None = None
    felt: Felt | None = None
    next_difficulty: Difficulty | None = None

    @model_validator(mode="after")
    def _rated_as_a_whole(self) -> RespondAnswer:
        given = [self.ratings is not None, self.felt is not None, self.next_difficulty is not None]
        if any(given) and not all(given):
            raise ValueError("ratings, felt and next_difficulty come together (a rated round) or not at all")
        return self

    @property
    def rated(self) -> bool:
        return self.felt is not None


class KnowledgeCheckAnswer(Answer):
    choice: Annotated[StrictInt, Field(ge=0, le=MAX_ITEMS)]


class StrategyMatchAnswer(Answer):
    choice: Id


class TriageAnswer(Answer):
    """Urgency and steps; actions in one step were given the same number (done together)."""

    urgency: TriageUrgency
    steps: Annotated[
        list[Annotated[list[Id], Field(min_length=1, max_length=MAX_ITEMS)]],
        Field(min_length=1, max_length=MAX_ITEMS),
    ]

    @model_validator(mode="before")
    @classmethod
    def _flat_actions(cls, data: Any) -> Any:
        # answers saved before ties were kept hold a flat "actions" list: one action per step
        if isinstance(data, dict) and "steps" not in data and "actions" in data:
            if not isinstance(data["actions"], list):
                raise ValueError("actions: must be a list of action ids")
            data = {k: v for k, v in data.items() if k != "actions"} | {"steps": [[a] for a in data["actions"]]}
        return data


class Stages(Answer):
    description: Text = ""
    feelings: Text = ""
    evaluation: Text = ""
    analysis: Text = ""
    conclusion: Text = ""
    action_plan: Text = ""


class ReflectAnswer(Answer):
    stages: Stages

    @model_validator(mode="after")
    def _something_written(self) -> ReflectAnswer:
        if not any(str(v).strip() for v in self.stages.model_dump().values()):
            raise ValueError("stages: at least one stage must be written")
        return self


class FeedbackAnswer(Answer):
    """A supervisor's feedback on one trainee answer (role ``supervisor``, item ``<exercise>/<item>``)."""

    ratings: Annotated[dict[Id, Rating], Field(max_length=MAX_ITEMS)] = {}
    comment: Text = ""
    next_step: Text = ""

    @model_validator(mode="after")
    def _something_given(self) -> FeedbackAnswer:
        if not (self.ratings or self.comment.strip() or self.next_step.strip()):
            raise ValueError("give a rating, a comment or a next step")
        return self


class DraftAnswer(Answer):
    """Text typed but not submitted (role ``draft``): kept, refilled, never an attempt."""

    fields: Annotated[dict[Id, Text], Field(max_length=MAX_ITEMS)]


MODELS: dict[str, type[Answer]] = {
    "spot-signs": SpotSignsAnswer,
    "classify": ClassifyAnswer,
    "respond": RespondAnswer,
    "knowledge-check": KnowledgeCheckAnswer,
    "strategy-match": StrategyMatchAnswer,
    "triage": TriageAnswer,
    "reflect": ReflectAnswer,
    "feedback": FeedbackAnswer,
}


class AnswerProblem(ValueError):
    """An answer that does not fit its exercise's model; ``field`` and ``message`` locate it."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}" if field else message)


def model_for(exercise: str, role: str) -> type[Answer]:
    """The model an answer of ``exercise`` saved with ``role`` must fit."""
    if role == "supervisor":
        if exercise != "feedback":
            raise AnswerProblem("exercise", f"a supervisor saves only 'feedback', not {exercise!r}")
        return FeedbackAnswer
    model = MODELS.get(exercise)
    if model is None or exercise == "feedback":
        known = ", ".join(e for e in MODELS if e != "feedback")
        raise AnswerProblem("exercise", f"unknown exercise {exercise!r} (known: {known})")
    return DraftAnswer if role == "draft" else model


def check_answer(exercise: str, role: str, answer: object) -> dict[str, Any]:
    """``answer`` checked against its model and returned in the one form the store keeps.

    Raises ``AnswerProblem`` naming the first field that does not fit (``answer.<field>``).
    """
    model = model_for(exercise, role)
    if not isinstance(answer, dict):
        raise AnswerProblem("answer", f"must be an object, not {type(answer).__name__}")
    try:
        parsed = model.model_validate(answer)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = _plain(first)
        if not where and ": " in message:  # a rule of the whole answer that names its field
            where, message = message.split(": ", 1)
        raise AnswerProblem(f"answer.{where}" if where else "answer", message) from None
    return parsed.model_dump(exclude_none=True)


def _plain(error: Any) -> str:
    """A pydantic error in words a supervisor reading an import message understands."""
    kind, ctx = error["type"], error.get("ctx", {})
    words = {
        "missing": "required field is missing",
        "extra_forbidden": "unknown field",
        "dict_type": "must be an object (names and values)",
        "model_type": "must be an object (names and values)",
        "list_type": "must be a list",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "string_type": "must be text",
        "string_unicode": "must be valid text",
        "bool_type": "must be true or false",
        "greater_than_equal": f"must be at least {ctx.get('ge')}",
        "less_than_equal": f"must be at most {ctx.get('le')}",
        "literal_error": f"must be one of {ctx.get('expected')}",
        "too_long": "is too long",
    }
    if kind == "too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else f"needs at least {ctx.get('min_length')}"
    return words.get(kind) or str(error["msg"]).removeprefix("Value error, ")


def read_answer(exercise: str, role: str, answer: object) -> Answer | None:
    """A stored answer as its model, or None when it does not fit (shown as "could not be read")."""
    try:
        model = model_for(exercise, role)
        return model.model_validate(answer) if isinstance(answer, dict) else None
    except (AnswerProblem, ValidationError):
        return None
