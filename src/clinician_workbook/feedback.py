"""Feedback as HTML, from scoring results: shared by the widgets and the static review pages.

Pure functions, no ipywidgets: course prose goes through :mod:`.markup`, trainee text is escaped.
"""

from __future__ import annotations

from .content.catalog import Catalog
from .content.models import ClientStatement, SkillCriterion, TriageCase
from .markup import inline
from .scoring import ChoiceResult, ClassifyResult, SpotResult, TriageResult

URGENCY_LABELS = [
    ("Routine: a normal challenge; keep working and bring it to routine supervision", "routine"),
    ("Raise it at the next supervision", "next-supervision"),
    ("Tell your supervisor today", "same-day"),
    ("Act immediately", "immediate"),
]


def verdict(ok: bool, text: str) -> str:
    mark, css = ("✓", "wb-right") if ok else ("✗", "wb-wrong")
    return f'<div class="{css}"><b>{mark}</b> {text}</div>'


def quote(text: str) -> str:
    return f"<q>{inline(text)}</q>"


def spot_feedback(result: SpotResult) -> str:
    lines = []
    for v in result.verdicts:
        if v.present and v.chosen:
            lines.append(verdict(True, f"<b>{inline(v.label)}</b>: yes, the case shows it: {quote(v.evidence or '')}"))
        elif v.present:
            lines.append(verdict(False, f"<b>{inline(v.label)}</b>: present, and missed: {quote(v.evidence or '')}"))
        elif v.chosen:
            lines.append(
                verdict(
                    False,
                    f"<b>{inline(v.label)}</b>: not in this case. You would expect: {inline(v.observe)}",
                )
            )
        else:
            lines.append(verdict(True, f"<b>{inline(v.label)}</b>: rightly left out."))
    head = f"<p><b>{result.hits} found, {result.missed} missed, {result.false_alarms} not in the case.</b></p>"
    return head + "".join(lines)


def classify_feedback(result: ClassifyResult) -> str:
    return verdict(result.challenge_correct, result.why_challenge) + verdict(result.rupture_correct, result.why_rupture)


def criterion_name(criterion: SkillCriterion) -> str:
    """A criterion's short name: the first sentence of its text."""
    return criterion.text.split(". ", 1)[0].rstrip(".")


def examples_html(statement: ClientStatement, criteria: dict[str, SkillCriterion]) -> str:
    parts = ["<h4>Example responses</h4>"]
    for n, example in enumerate(statement.example_responses, 1):
        met = "".join(f"<li>{inline(criterion_name(criteria[c]))}</li>" for c in example.meets if c in criteria)
        parts.append(
            f'<div class="wb-example"><p><b>Example {n}:</b> {inline(example.text)}</p>'
            f"<p><i>Meets:</i></p><ul>{met}</ul><p><i>Why it works:</i> {inline(example.note)}</p></div>"
        )
    return "".join(parts)


def triage_feedback(catalog: Catalog, case: TriageCase, result: TriageResult) -> str:
    labels = {a.id: a.text for a in catalog.triage_actions}
    tiers = {value: label for label, value in URGENCY_LABELS}
    parts = []
    if result.safety_critical:
        items = "".join(f"<li><b>{inline(c.label)}</b>: {inline(c.why)}</li>" for c in result.safety_critical)
        guidance = inline(case.help_seeking or catalog.safety_notice.text)
        parts.append(
            '<div class="wb-critical" role="alert"><h4>⚠ Safety-critical: please read this carefully</h4>'
            f"<ul>{items}</ul><p><b>What to do in practice:</b> {guidance}</p></div>"
        )
    parts.append(
        verdict(result.urgency_correct, f"Urgency: the key is <b>{inline(tiers[result.expected_urgency])}</b>.")
    )
    steps = "".join(
        f"<li>{'✓' if a in result.included else '✗ missed:'} {inline(labels[a])}</li>" for a in result.expected_actions
    )
    parts.append(f"<p><b>The actions, in order:</b></p><ol>{steps}</ol>")
    if result.wrong:
        parts.append(verdict(False, "Not right for this case: " + "; ".join(inline(labels[a]) for a in result.wrong)))
    parts.append(
        f"<p><b>Order:</b> {round(result.order_score * 100)}% of your chosen steps were in the key's order.</p>"
    )
    parts.append(f'<div class="wb-rationale"><b>Why:</b> {inline(case.rationale)}</div>')
    return "".join(parts)


def choice_feedback(result: ChoiceResult) -> str:
    if result.correct:
        return verdict(True, inline(result.chosen_explanation))
    return verdict(False, inline(result.chosen_explanation)) + (
        f"<p>The best answer: <b>{inline(result.answer)}</b>. {inline(result.answer_explanation)}</p>"
    )
