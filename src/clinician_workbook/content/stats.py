"""Counts of the course content, as a one-line summary and as a table per challenge."""

from __future__ import annotations

from .catalog import Catalog
from .models import DIFFICULTIES

# kind -> (singular, plural) for the summary line, in reading order
_LABELS = {
    "challenge": ("challenge", "challenges"),
    "sign": ("sign", "signs"),
    "red_flag": ("red flag", "red flags"),
    "strategy": ("strategy", "strategies"),
    "reference": ("reference", "references"),
    "triage_action": ("triage action", "triage actions"),
    "vignette": ("vignette", "vignettes"),
    "client_statement": ("client statement", "client statements"),
    "skill_criterion": ("skill criterion", "skill criteria"),
    "knowledge_check": ("knowledge check", "knowledge checks"),
    "reflection_prompt": ("reflection prompt", "reflection prompts"),
    "triage_case": ("triage case", "triage cases"),
    "strategy_match": ("strategy match", "strategy matches"),
}


def format_summary(catalog: Catalog) -> str:
    """One line: 'content OK: 4 challenges, 13 signs, ... (all draft)'."""
    counts = catalog.counts()
    parts = []
    for kind, (one, many) in _LABELS.items():
        n = counts.get(kind, 0)
        parts.append(f"{n} {one if n == 1 else many}")
    responses = sum(len(s.example_responses) for s in catalog.client_statements)
    parts.insert(8, f"{responses} example responses")
    drafts = sum(
        getattr(item, "review", None) == "draft" for items in catalog.items.values() for item in items.values()
    )
    return f"content OK: {', '.join(parts)}; {drafts} clinical items draft (not yet clinically reviewed)"


def format_stats(catalog: Catalog) -> str:
    """A plain-text table: rows are challenges, columns are what each has."""
    table = catalog.counts_by_challenge()
    columns = [f"vignettes {d}" for d in DIFFICULTIES] + [f"statements {d}" for d in DIFFICULTIES]
    columns += ["skill criteria", "knowledge checks", "reflection prompts"]
    columns += [f"triage {v}" for v in ("clear", "subtle", "look-alike")]
    heads = [
        "challenge",
        *[c.replace("vignettes ", "vig ").replace("statements ", "stm ") for c in columns],
    ]
    rows = [[cid, *[str(counts.get(c, 0)) for c in columns]] for cid, counts in table.items()]
    rows.append(["total", *[str(sum(counts.get(c, 0) for counts in table.values())) for c in columns]])
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [heads, *rows]
    ]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("")
    lines.append(f"strategy matches: {len(catalog.strategy_matches)}")
    lines.append(f"triage actions: {len(catalog.triage_actions)}; red flags: {len(catalog.red_flags)}")
    lines.append(f"references: {len(catalog.references)} (reading list: {len(catalog.course.reading_list)})")
    noted = [sum(bool(i.supervisor_notes) for i in items) for items in (catalog.challenges, catalog.triage_cases)]
    lines.append(
        f"supervisor notes: {noted[0]} of {len(catalog.challenges)} challenges, "
        f"{noted[1]} of {len(catalog.triage_cases)} triage cases"
    )
    reviewed = [getattr(i, "review", None) for items in catalog.items.values() for i in items.values()]
    lines.append(f"review: {reviewed.count('draft')} items draft, {reviewed.count('reviewed')} reviewed")
    return "\n".join(lines)
