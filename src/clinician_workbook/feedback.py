"""Feedback as HTML, from scoring results: shared by the widgets and the static review pages.

Pure functions, no ipywidgets: course prose goes through :mod:`.markup`, trainee text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .content.catalog import Catalog
from .content.models import URGENCY_LABELS, ClientStatement, RedFlag, SkillCriterion, TriageCase
from .markup import inline
from .scoring import ChoiceResult, ClassifyResult, FlaggedChoice, SpotResult, TriageResult


def urgency_label(tier: str) -> str:
    """What a trainee reads for an urgency tier (never the raw value)."""
    return next((label for label, value in URGENCY_LABELS if value == tier), tier)


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


def neutral(text: str) -> str:
    """A line that informs without marking anything wrong (icon and words, no ✗)."""
    return f'<div class="wb-neutral"><b aria-hidden="true">ℹ</b> {text}</div>'


def content_note(notes: Sequence[str]) -> str:
    """A visible content note, shown before the material it warns about; '' when there is none."""
    if not notes:
        return ""
    topics = ", ".join(inline(n) for n in dict.fromkeys(notes))
    return f'<p class="wb-content-note" role="note"><b>Content note:</b> {topics}.</p>'


def help_seeking_box(text: str | None) -> str:
    """A case's or red flag's help-seeking guidance, shown whatever the trainee answered."""
    if not text:
        return ""
    return f'<div class="wb-help" role="note"><h4>Where to get help</h4><p>{inline(text)}</p></div>'


TOGETHER = "Together, in any order:"
CHECKING_IS_NEVER_WRONG = "When you are unsure, checking with your supervisor is never wrong."


def _flagged_box(choices: Sequence[FlaggedChoice], css: str, heading: str, role: str) -> str:
    items = "".join(f"<li><b>{inline(c.label)}</b>: {inline(c.why)}</li>" for c in choices)
    return f'<div class="{css}" role="{role}"><h4>{heading}</h4><ul>{items}</ul></div>'


def steps_html(steps: Sequence[Sequence[str]], action_html: Callable[[str], str], together: str) -> str:
    """An ordered list of steps; a step of several actions is one item introduced by ``together``."""
    items = []
    for step in steps:
        if len(step) == 1:
            items.append(f"<li>{action_html(step[0])}</li>")
        else:
            inner = "".join(f"<li>{action_html(a)}</li>" for a in step)
            items.append(f"<li>{together}<ul>{inner}</ul></li>")
    return f"<ol>{''.join(items)}</ol>"


def _names(actions: Sequence[str], labels: dict[str, str]) -> str:
    return "; ".join(f"<b>{inline(labels.get(a, a))}</b>" for a in actions)


def triage_feedback(catalog: Catalog, case: TriageCase, result: TriageResult) -> str:
    labels = {a.id: a.text for a in catalog.triage_actions}
    parts = []
    if result.safety_critical:
        parts.append(
            _flagged_box(
                result.safety_critical, "wb-critical", "⚠ Safety-critical: please read this carefully", "alert"
            )
        )
    if result.important:
        parts.append(_flagged_box(result.important, "wb-important", "! Important: worth going over", "note"))
    expected = f"<b>{inline(urgency_label(result.expected_urgency))}</b>"
    if result.urgency_verdict == "more-than-needed":
        parts.append(
            neutral(
                f"Urgency: you chose <b>{inline(urgency_label(result.urgency))}</b>; this case needs only {expected}. "
                + CHECKING_IS_NEVER_WRONG
            )
        )
    else:
        parts.append(verdict(result.urgency_correct, f"Urgency: the key is {expected}."))
    marked = steps_html(
        result.expected_steps,
        lambda a: f"{'✓' if a in result.included else '✗ missed:'} {inline(labels[a])}",
        TOGETHER,
    )
    parts.append(f"<p><b>The key's steps, in order:</b></p>{marked}")
    if result.wrong:
        parts.append(verdict(False, "Not right for this case: " + _names(result.wrong, labels)))
    if result.not_needed:
        parts.append(neutral("Not needed here: " + _names(result.not_needed, labels) + ". " + CHECKING_IS_NEVER_WRONG))
    for step in result.together:
        parts.append(f"<p>You did these together: {_names(step, labels)}.</p>")
    kept = round(result.order_score * 100)
    if result.out_of_order:
        shown = [
            f"<li>The key puts <b>{inline(labels[a])}</b> before <b>{inline(labels[b])}</b>.</li>"
            for a, b in result.out_of_order[:4]
        ]
        more = len(result.out_of_order) - len(shown)
        if more:
            shown.append(f"<li>and {more} more.</li>")
        parts.append(f"<p><b>Order:</b> {kept}% of the sequences the key sets were kept.</p><ul>{''.join(shown)}</ul>")
    elif len(result.included) > 1:
        parts.append("<p><b>Order:</b> your order fits the key. Steps the key puts together may come in any order.</p>")
    parts.append(f'<div class="wb-rationale"><b>Why:</b> {inline(case.rationale)}</div>')
    parts.append(help_seeking_box(case_help_seeking(catalog, case)))
    return "".join(parts)


def triage_answer_html(catalog: Catalog, result: TriageResult) -> str:
    """What the trainee chose: the urgency by its label, then their steps (ties shown as together)."""
    labels = {a.id: a.text for a in catalog.triage_actions}
    steps = steps_html(result.chosen_steps, lambda a: inline(labels[a]), "Together:")
    return f"<p><b>Urgency chosen:</b> {inline(urgency_label(result.urgency))}</p>{steps}"


def case_help_seeking(catalog: Catalog, case: TriageCase) -> str | None:
    """The case's own help-seeking text, or else its red flag's."""
    if case.help_seeking:
        return case.help_seeking
    flag = catalog.items.get("red_flag", {}).get(case.red_flag or "")
    return flag.help_seeking if isinstance(flag, RedFlag) else None


def choice_feedback(result: ChoiceResult) -> str:
    if result.correct:
        return verdict(True, inline(result.chosen_explanation))
    return verdict(False, inline(result.chosen_explanation)) + (
        f"<p>The best answer: <b>{inline(result.answer)}</b>. {inline(result.answer_explanation)}</p>"
    )
