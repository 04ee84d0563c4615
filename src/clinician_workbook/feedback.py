"""Feedback as HTML, from scoring results: shared by the widgets and the static review pages.

Pure functions, no ipywidgets. The HTML is in ``render/templates/feedback.html.j2`` (one macro
per piece); everything returned is :class:`~markupsafe.Markup`: course prose went through
:mod:`.markup`, every other value was escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from .content.catalog import Catalog
from .content.models import URGENCY_LABELS, ClientStatement, RedFlag, SkillCriterion, TriageCase
from .markup import inline
from .render import render
from .scoring import ChoiceResult, ClassifyResult, SpotResult, TriageResult

T = "feedback.html.j2"
TOGETHER = "Together, in any order:"
CHECKING_IS_NEVER_WRONG = "When you are unsure, checking with your supervisor is never wrong."


def urgency_label(tier: str) -> str:
    """What a trainee reads for an urgency tier (never the raw value)."""
    return next((label for label, value in URGENCY_LABELS if value == tier), tier)


def urgency_html(tier: str) -> Markup:
    """An urgency tier's label as HTML; a tier we do not know came from an answer, so it is escaped."""
    known = any(value == tier for _, value in URGENCY_LABELS)
    return inline(urgency_label(tier)) if known else escape(tier)


def spot_feedback(result: SpotResult) -> Markup:
    return render(T, "spot", result=result)


def classify_feedback(result: ClassifyResult) -> Markup:
    return render(T, "classify", result=result)


def criterion_name(criterion: SkillCriterion) -> str:
    """A criterion's short name: the first sentence of its text."""
    return criterion.text.split(". ", 1)[0].rstrip(".")


def examples_html(statement: ClientStatement, criteria: dict[str, SkillCriterion]) -> Markup:
    names = {cid: criterion_name(c) for cid, c in criteria.items()}
    return render(T, "examples", statement=statement, criteria=criteria, names=names)


def content_note(notes: Sequence[str]) -> Markup:
    """A visible content note, shown before the material it warns about; empty when there is none."""
    return render(T, "content_note", notes=list(dict.fromkeys(notes)))


def help_seeking_box(text: str | None) -> Markup:
    """A case's or red flag's help-seeking guidance, shown whatever the trainee answered."""
    return render(T, "help_box", text=text)


def triage_feedback(catalog: Catalog, case: TriageCase, result: TriageResult) -> Markup:
    return render(
        T,
        "triage",
        result=result,
        kept=round(result.order_score * 100),
        rationale=case.rationale,
        help=case_help_seeking(catalog, case),
        labels={a.id: a.text for a in catalog.triage_actions},
        urgency=urgency_html(result.urgency),
        expected_urgency=urgency_html(result.expected_urgency),
        together=TOGETHER,
        checking=CHECKING_IS_NEVER_WRONG,
    )


def triage_answer_html(catalog: Catalog, result: TriageResult) -> Markup:
    """What the trainee chose: the urgency by its label, then their steps (ties shown as together)."""
    labels = {a.id: a.text for a in catalog.triage_actions}
    return render(T, "triage_answer", result=result, labels=labels, urgency=urgency_html(result.urgency))


def case_help_seeking(catalog: Catalog, case: TriageCase) -> str | None:
    """The case's own help-seeking text, or else its red flag's."""
    if case.help_seeking:
        return case.help_seeking
    flag = catalog.items.get("red_flag", {}).get(case.red_flag or "")
    return flag.help_seeking if isinstance(flag, RedFlag) else None


def choice_feedback(result: ChoiceResult) -> Markup:
    return render(T, "choice", result=result)
