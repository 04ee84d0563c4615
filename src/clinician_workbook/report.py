"""``workbook report``: a cohort at a glance, safety-critical triage misses first.

Built from each trainee's latest answers (stores and hand-ins, see :mod:`.cohort`): the
safety-critical misses by trainee and case, then completion, automatic scores, difficulty
reached and supervisor ratings per trainee and challenge, an inline SVG heatmap (works
offline), and a section per trainee, each kept whole on a page. Reflection text never appears
in the report.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from statistics import mean
from typing import TYPE_CHECKING

from markupsafe import Markup

from .content import Catalog, load_bundled
from .content.models import TriageCase
from .curriculum import progress
from .errors import UsageError
from .feedback import urgency_label
from .files import write_atomic
from .outputs import check_file, check_files
from .pages import foreign_pages, foreign_warning, page_title, triage_page_id, work_pages
from .render import render
from .render.review import FEEDBACK
from .responses import Attempt, current
from .responses.answers import FeedbackAnswer, read_answer
from .responses.cohort import Cohort, TraineeRecord, read_cohort
from .scoring import TriageResult, score_triage_answer

if TYPE_CHECKING:
    from .export.printing import BackgroundPrinter

FORMATS = ("html", "pdf", "csv")
CSV_COLUMNS = [
    "trainee",
    "challenge",
    "items_done",
    "items_total",
    "completion_pct",
    "attempts",
    "auto_score_pct",
    "difficulty_reached",
    "supervisor_rating_mean",
    "supervisor_notes",
    "safety_critical_misses",
    "safety_critical_corrected",
]


@dataclass(frozen=True)
class Miss:
    """A triage answer with safety-critical choices: current, or later corrected by the trainee."""

    trainee: str
    case: str
    case_title: str
    chosen_urgency: str
    chosen_steps: list[list[str]]  # action labels, a step of several = done together
    key_urgency: str
    key_steps: list[list[str]]
    critical: list[tuple[str, str]]  # (what was chosen, why it is safety-critical)
    time: str
    corrected: str | None = None  # when a later answer without safety-critical choices was given


@dataclass
class Row:
    trainee: str
    challenge: str
    title: str
    done: int
    total: int
    attempts: int
    score: float | None
    reached: str | None
    supervisor_rating: float | None
    notes: int
    misses: int
    corrected: int = 0

    @property
    def completion(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass
class Report:
    when: str
    trainees: list[str]
    misses: list[Miss] = field(default_factory=list)  # in current answers
    corrected: list[Miss] = field(default_factory=list)  # made, then corrected in a later answer
    rows: list[Row] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files left out, "file: why"
    unchecked: list[str] = field(default_factory=list)  # everything the misses list cannot vouch for
    checked: int = 0  # current triage answers read and scored

    def rows_of(self, trainee: str) -> list[Row]:
        return [r for r in self.rows if r.trainee == trainee]

    @property
    def all_clear(self) -> bool:
        """Only then may the report say there are no misses: everything was read and checked."""
        return not self.misses and not self.unchecked and self.checked > 0


def _note(attempt: Attempt) -> FeedbackAnswer | None:
    read = read_answer(FEEDBACK, "supervisor", attempt.answer)
    return read if isinstance(read, FeedbackAnswer) else None


def _miss(catalog: Catalog, trainee: str, case: TriageCase, attempt: Attempt, result: TriageResult) -> Miss:
    labels = {a.id: a.text for a in catalog.triage_actions}
    return Miss(
        trainee,
        case.id,
        case.title,
        urgency_label(result.urgency),
        [[labels[a] for a in step] for step in result.chosen_steps],
        urgency_label(case.urgency),
        [[labels[a] for a in step] for step in case.actions],
        [(c.label, c.why) for c in result.safety_critical],
        attempt.time,
    )


@dataclass
class _TriageCheck:
    misses: list[Miss] = field(default_factory=list)
    corrected: list[Miss] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    checked: int = 0
    answered: set[str] = field(default_factory=set)
    assessed: dict[str, tuple[bool, float | None]] = field(default_factory=dict)  # by uid, as assess_saved


def _check_triage(catalog: Catalog, record: TraineeRecord, attempts: Sequence[Attempt]) -> _TriageCheck:
    """Every safety-critical choice in a trainee's triage answers: current ones, and corrected ones.

    An answer that cannot be read is said so; the latest readable answer before it then stands
    as current, so an unreadable answer can never hide a safety-critical one.
    """
    found = _TriageCheck()
    cases = {c.id: c for c in catalog.triage_cases}
    history: dict[str, list[tuple[Attempt, TriageResult | None]]] = {}
    pages = {p.id for p in work_pages(catalog) if "triage" in p.exercises}  # where triage is answered
    for a in attempts:  # in time order: the last one is current
        if a.role == "trainee" and a.exercise == "triage" and a.item in cases and a.challenge in pages:
            result = score_triage_answer(catalog, cases[a.item], a.answer)
            history.setdefault(a.item, []).append((a, result))
            found.assessed[a.uid] = (result is not None, None if result is None else result.score)
    for item, scored in history.items():
        case = cases[item]
        found.answered.add(item)
        unreadable = sum(1 for _, r in scored if r is None)
        if unreadable:
            found.unreadable.append(
                f"{record.trainee}: {unreadable} answer{'s' if unreadable > 1 else ''} to “{case.title}” "
                "could not be read"
            )
        readable = [(a, r) for a, r in scored if r is not None]
        if not readable:
            continue
        found.checked += 1
        (current, result), earlier = readable[-1], readable[:-1]
        if result.safety_critical:
            found.misses.append(_miss(catalog, record.trainee, case, current, result))
            continue
        seen: set[tuple[str, ...]] = set()
        for attempt, old in earlier:  # every earlier critical answer, each distinct one once
            if old.safety_critical and (key := tuple(c.label for c in old.safety_critical)) not in seen:
                seen.add(key)
                miss = _miss(catalog, record.trainee, case, attempt, old)
                found.corrected.append(replace(miss, corrected=current.time))
    return found


def build_report(cohort: Cohort, catalog: Catalog | None = None, today: str | None = None) -> Report:
    catalog = catalog or load_bundled()
    report = Report(today or date.today().isoformat(), [r.trainee for r in cohort.trainees], skipped=cohort.skipped)
    report.unchecked += [f"left out: {line}" for line in cohort.skipped]
    if not cohort.trainees:
        report.unchecked.append("no answers of any trainee could be read from this folder")
    n_cases = len(catalog.triage_cases)
    unanswered: list[str] = []  # trainees with triage cases still to answer, said in one line
    for record in cohort.trainees:
        attempts = record.ordered()
        notes = [a for a in attempts if a.role == "supervisor" and a.exercise == FEEDBACK]
        triage = _check_triage(catalog, record, attempts)
        misses = triage.misses
        report.misses += misses
        report.corrected += triage.corrected
        report.checked += triage.checked
        report.unchecked += triage.unreadable
        now = current(attempts).values()
        unreadable = [a for a in now if a.exercise != "triage" and not read_answer(a.exercise, a.role, a.answer)]
        if unreadable:  # triage answers are said one by one above; these count as not done
            report.unchecked.append(
                f"{record.trainee} ({', '.join(record.sources)}): {len(unreadable)} other saved answer(s) could not "
                "be read and count as not done"
            )
        foreign = foreign_pages(catalog, [a.challenge for a in attempts if a.role == "trainee"])
        if foreign:  # read against the wrong course, these would vanish from the report without a word
            report.unchecked.append(f"{record.trainee} ({', '.join(record.sources)}): {foreign_warning(foreign)}")
        if not attempts:
            report.unchecked.append(f"{record.trainee} ({', '.join(record.sources)}): no answers saved yet")
        elif len(triage.answered) < n_cases:
            unanswered.append(f"{record.trainee} ({n_cases - len(triage.answered)} of {n_cases})")
        triage_page = triage_page_id(catalog)
        for page in (p.id for p in work_pages(catalog)):
            done = progress(catalog, page, attempts, triage.assessed)  # triage answers scored once
            page_notes = [a for a in notes if a.challenge == page]
            ratings = [v for a in page_notes if (n := _note(a)) is not None for v in n.ratings.values()]
            report.rows.append(
                Row(
                    record.trainee,
                    page,
                    page_title(catalog, page),
                    done.done,
                    done.total,
                    done.attempts,
                    done.score,
                    done.reached,
                    mean(ratings) if ratings else None,
                    len(page_notes),
                    len(misses) if page == triage_page else 0,
                    len(triage.corrected) if page == triage_page else 0,
                )
            )
    if unanswered:
        report.unchecked.append("triage cases not answered yet: " + ", ".join(unanswered))
    report.misses.sort(key=lambda m: (m.trainee.lower(), m.case))
    report.corrected.sort(key=lambda m: (m.trainee.lower(), m.case))
    return report


# -- output -------------------------------------------------------------------------------------


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance of an sRGB colour given as 0-255 channels."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ink(rgb: tuple[int, int, int]) -> str:
    """White or black text on ``rgb``, whichever contrasts more (one of them always reaches 4.5:1)."""
    light = _luminance(rgb) + 0.05
    return "#fff" if 1.05 / light >= light / 0.05 else "#000"


def heatmap_svg(report: Report, pages: Sequence[tuple[str, str]]) -> Markup:
    """Completion per trainee (rows) and page (columns), as a self-contained SVG."""
    cell_w, cell_h, label_w, head_h = 92, 16, 190, 34
    width = label_w + cell_w * len(pages) + 10
    height = head_h + cell_h * len(report.trainees) + 30
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="wb-heatmap" width="{0}" height="{1}" '
            'viewBox="0 0 {0} {1}" role="img" aria-label="Completion per trainee and challenge">'
        ).format(width, height),
        Markup('<style>text{font:11px "DejaVu Sans",Arial,sans-serif;fill:#222}</style>'),
    ]
    for col, (_, short) in enumerate(pages):
        x = label_w + col * cell_w + cell_w / 2
        parts.append(Markup('<text x="{:.0f}" y="{}" text-anchor="middle">{}</text>').format(x, head_h - 10, short))
    by_key = {(r.trainee, r.challenge): r for r in report.rows}
    for row, trainee in enumerate(report.trainees):
        y = head_h + row * cell_h
        parts.append(
            Markup('<text x="{}" y="{}" text-anchor="end">{}</text>').format(label_w - 6, y + 12, trainee[:28])
        )
        for col, (page, _) in enumerate(pages):
            r = by_key[(trainee, page)]
            shade = int(245 - 170 * r.completion)
            cell = (shade, min(255, shade + 25), min(255, shade + 60))
            fill = "rgb({},{},{})".format(*cell)
            x = label_w + col * cell_w
            parts.append(
                Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>').format(
                    x, y, cell_w - 2, cell_h - 2, fill
                )
            )
            parts.append(
                Markup('<text x="{:.0f}" y="{}" text-anchor="middle" style="fill:{}">{}%</text>').format(
                    x + cell_w / 2 - 1, y + 12, _ink(cell), round(100 * r.completion)
                )
            )
    legend_y = head_h + cell_h * len(report.trainees) + 18
    parts.append(
        Markup('<text x="{}" y="{}">Share of items answered; darker = more complete.</text>').format(label_w, legend_y)
    )
    parts.append(Markup("</svg>"))
    return Markup().join(parts)


def render_html(report: Report, catalog: Catalog | None = None) -> str:
    from .export.styles import document_css

    catalog = catalog or load_bundled()
    pages = [(p.id, p.short_title) for p in work_pages(catalog)]
    body = render(
        "report.html.j2",
        "report",
        report=report,
        pages=pages,
        heatmap=heatmap_svg(report, pages),
        course=catalog.course,
        safety=catalog.safety_notice,
    )
    page = Markup(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{}</title>'
        '<style>{}</style></head><body><main class="wb-doc wb">{}</main></body></html>'
    )
    # the stylesheet is our own, shipped with the package
    return str(page.format(f"Cohort report, {report.when}", Markup(document_css()), body))


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: one it would read as a formula gets a leading quote."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA) else value


def render_csv(report: Report) -> str:
    out = io.StringIO()
    # CRLF rows (RFC 4180): a carriage return inside a name is then quoted, never a new row
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in report.rows:
        writer.writerow(
            [
                _cell(r.trainee),
                r.challenge,
                r.done,
                r.total,
                round(100 * r.completion),
                r.attempts,
                "" if r.score is None else round(100 * r.score),
                r.reached or "",
                "" if r.supervisor_rating is None else round(r.supervisor_rating, 2),
                r.notes,
                r.misses,
                r.corrected,
            ]
        )
    return out.getvalue()


def write_report(
    folder: Path,
    out: Path,
    formats: Sequence[str],
    today: str | None = None,
    content: Path | None = None,
    printer: BackgroundPrinter | None = None,
) -> tuple[Report, list[Path]]:
    """Read the cohort and write the report in each of ``formats``. The PDF goes to ``printer`` (the CLI
    starts one before it imports this module); without one, a printer is started here when it is needed."""
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"--format: {', '.join(bad) or 'nothing'} is not one of {', '.join(FORMATS)}")
    if "pdf" in formats:
        from .export.browser import require_playwright

        require_playwright()
    check_file(out)
    stem = out.with_suffix("") if out.suffix.lstrip(".") in FORMATS else out
    check_files(stem.with_suffix(f".{fmt}") for fmt in FORMATS if fmt in formats)  # before any reading
    with contextlib.ExitStack() as stack:
        if printer is None:
            from .export.printing import printer_for

            # Chromium starts now, in a thread of its own, while the cohort is read and the report built
            printer = stack.enter_context(printer_for(formats))
        catalog = load_bundled(content)
        report = build_report(read_cohort(folder), catalog, today)
        written = []
        html = render_html(report, catalog) if {"html", "pdf"} & set(formats) else ""
        if "html" in formats:
            written.append(write_atomic(stem.with_suffix(".html"), html, mode=0o600))
        if "pdf" in formats:
            assert printer is not None
            pdf = printer.print(html, header=f"Cohort report {report.when}")
            written.append(write_atomic(stem.with_suffix(".pdf"), pdf, mode=0o600))
        if "csv" in formats:
            written.append(write_atomic(stem.with_suffix(".csv"), render_csv(report), mode=0o600))
    return report, written
