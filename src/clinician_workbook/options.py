"""Values people type (command-line options, notebook parameters), checked before any work.

Each ``parse_*`` returns the value in the form the library uses, or raises :class:`UsageError`
whose message starts with the option's name, so the CLI prints one line such as
``error: --jobs: 0 is not a number of workers; give 1 or more``. They are used by the CLI and
by :class:`~.session.Session` (papermill parameters), so a value refused on the command line
is refused in a notebook too.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .export.printing import Paper

DOCUMENT_FORMATS = ("html", "pdf")  # what `export` and `batch` write, in the order they write it


def parse_jobs(value: str | int | None, option: str = "--jobs") -> int | None:
    """A number of worker processes (at least 1); ``None`` means "as many as CPUs"."""
    if value is None:
        return None
    try:
        jobs = int(value)
    except ValueError as err:
        raise UsageError(f"{option}: {value!r} is not a whole number; give 1 or more") from err
    if jobs < 1:
        # 0 used to mean "one per CPU" and -1 "one" by accident; neither is what anyone typed them for
        raise UsageError(f"{option}: {jobs} is not a number of workers; give 1 or more")
    return jobs


def parse_date(value: str | None, option: str = "--date") -> str | None:
    """An ISO calendar date (``2025-01-31``), returned in that form; ``None`` means today."""
    if value is None:
        return None
    try:
        # date.fromisoformat also takes "20250131" and week dates; only the one form people read is kept
        parsed = date.fromisoformat(value)
        if parsed.isoformat() != value:
            raise ValueError(value)
    except (TypeError, ValueError) as err:
        raise UsageError(f"{option}: {value!r} is not a date; give one as YYYY-MM-DD, e.g. 2025-01-31") from err
    return value


def check_trainee(value: str, option: str = "--trainee") -> str:
    """A trainee's name or id as an id: refused when empty, blank, or not text a file can hold.

    An argument that is not UTF-8 reaches Python as lone surrogates (``surrogateescape``);
    such a name cannot be stored, exported or printed later, so it is refused here, before
    anything carries it into a store or a file name.
    """
    if not value.strip():
        raise UsageError(f"{option}: empty; give the trainee's name or id")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        bad = value[err.start]
        shown = f"byte 0x{ord(bad) - 0xDC00:02x}" if 0xDC80 <= ord(bad) <= 0xDCFF else f"U+{ord(bad):04X}"
        raise UsageError(f"{option}: not UTF-8 text ({shown}); type the name again in a UTF-8 terminal") from err
    from .responses.naming import trainee_id  # here: the printer-starting commands import this module first

    # names that look the same are one trainee (accents composed or not, fullwidth, zero-width)
    return trainee_id(value)


def parse_formats(value: str) -> tuple[str, ...]:
    """Document formats from ``html,pdf``; asking for PDF checks that Playwright is installed, so a
    missing one is one line before any work, not a failure half-way."""
    from .export.browser import require_playwright

    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    bad = [f for f in chosen if f not in DOCUMENT_FORMATS]
    if bad or not chosen:
        raise UsageError(f"--format: {', '.join(bad) or value!r} is not one of {', '.join(DOCUMENT_FORMATS)}")
    if "pdf" in chosen:
        require_playwright()
    return chosen


def parse_paper(value: str) -> Paper:
    from .export.printing import PAPERS

    for paper in PAPERS:
        if value.lower() == paper.lower():
            return paper
    raise UsageError(f"--paper: {value!r} is not one of {', '.join(PAPERS)}")
