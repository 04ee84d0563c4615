"""Stored UTC times are shown on the local clock (TZ honoured), and odd values never break a page."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from clinician_workbook import clock
from clinician_workbook.content import Catalog
from clinician_workbook.exercises import SpotSigns
from clinician_workbook.exercises.base import Exercise
from clinician_workbook.exercises.supervise import FeedbackForm
from clinician_workbook.render import environment, render

pytestmark = pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is POSIX only")

STORED = "2025-01-31T20:45:02.123456+00:00"  # 02:15 on 1 February in Kolkata, 15:45 on 31 January in New York
ZONEINFO = Path("/usr/share/zoneinfo")


@pytest.fixture
def zone() -> Iterator[Callable[[str], None]]:
    """Switch this process's local time zone; the previous one is restored afterwards."""
    before = os.environ.get("TZ")

    def use(name: str) -> None:
        if ZONEINFO.is_dir() and not (ZONEINFO / name).exists():
            pytest.skip(f"no tz data for {name}: an unknown TZ silently means UTC")
        os.environ["TZ"] = name
        time.tzset()

    try:
        yield use
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def filters() -> Iterator[None]:
    """The clock filters in the template environment (a no-op once render/__init__.py registers them)."""
    env = environment()
    added = "local_date" not in env.filters
    if added:
        env.filters["local_date"] = clock.local_date
    if env.cache is not None:
        env.cache.clear()  # a template compiled without the filter keeps failing otherwise
    try:
        yield
    finally:
        if added:
            del env.filters["local_date"]
            if env.cache is not None:
                env.cache.clear()


@dataclass
class Stamped:
    answer: dict[str, Any]
    time: str
    shared: bool = False


@dataclass
class FixedTimeRecorder:
    """A recorder whose every attempt was stored at ``time`` (nothing is written anywhere)."""

    time: str
    answer: dict[str, Any] | None = None
    saved: list[Stamped] = field(default_factory=list)

    def save(self, exercise: str, item: str, answer: dict[str, Any], *, shared: bool = False) -> Stamped:
        self.saved.append(Stamped(answer, self.time, shared))
        return self.saved[-1]

    def latest(self, exercise: str, item: str) -> Stamped | None:
        return None if self.answer is None else Stamped(self.answer, self.time)

    def history(self, exercise: str, item: str | None = None) -> list[Stamped]:
        return list(self.saved)


def test_new_york_winter_and_summer(zone: Callable[[str], None]) -> None:
    zone("America/New_York")
    assert clock.local_time("2025-01-31T09:15:02.123456+00:00") == "04:15:02"  # EST, UTC-5
    assert clock.local_datetime("2025-01-31T09:15:02.123456+00:00") == "2025-01-31 04:15"
    assert clock.local_datetime("2025-07-01T03:30:00+00:00") == "2025-06-30 23:30"  # EDT, UTC-4
    assert clock.local_date("2025-07-01T03:30:00+00:00") == "2025-06-30"  # the local date, not the UTC one


def test_kolkata_half_hour_offset_crosses_midnight(zone: Callable[[str], None]) -> None:
    zone("Asia/Kolkata")
    assert clock.local_time(STORED) == "02:15:02"
    assert clock.local_datetime(STORED) == "2025-02-01 02:15"
    assert clock.local_date(STORED) == "2025-02-01"


def test_the_zone_is_read_at_call_time(zone: Callable[[str], None]) -> None:
    zone("Asia/Kolkata")
    first = clock.local_datetime(STORED)
    zone("America/New_York")
    assert (first, clock.local_datetime(STORED)) == ("2025-02-01 02:15", "2025-01-31 15:45")


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2025-01-31T20:45:02Z", "2025-02-01 02:15"),
        ("2025-01-31T21:45:02+01:00", "2025-02-01 02:15"),  # another offset: the same moment
        ("2025-01-31T20:45:02", "2025-02-01 02:15"),  # no offset: stored times are UTC
    ],
)
def test_other_spellings_of_the_same_moment(zone: Callable[[str], None], stored: str, shown: str) -> None:
    zone("Asia/Kolkata")
    assert clock.local_datetime(stored) == shown


@pytest.mark.parametrize(
    "odd",
    [
        "",
        "yesterday",
        "2025-02-30T10:00:00+00:00",  # no such day
        "<script>alert(1)</script>",
        "0001-01-01T00:00:00+00:00",  # before the start of the calendar in New York
        "2025-01-31T09:15:02+99:00",
    ],
)
def test_malformed_values_come_back_as_they_are(zone: Callable[[str], None], odd: str) -> None:
    zone("America/New_York")
    assert clock.local_time(odd) == clock.local_datetime(odd) == clock.local_date(odd) == odd


def test_saved_acknowledgement_on_the_local_clock_keeps_the_exact_time(zone: Callable[[str], None]) -> None:
    zone("Asia/Kolkata")
    widget = Exercise(FixedTimeRecorder(STORED), "item-1")
    widget.save({"choice": 1})
    saved = f'<span class="wb-saved" data-saved="{STORED}">Submitted 02:15:02</span>'
    assert widget.status.value == f'<div role="status" aria-live="polite">{saved}</div>'  # said aloud


def test_a_malformed_stored_time_is_shown_escaped(zone: Callable[[str], None]) -> None:
    zone("Asia/Kolkata")
    widget = Exercise(FixedTimeRecorder("<b>soon</b>"), "item-1")
    widget.save({"choice": 1})
    assert "<b>" not in widget.status.value and "Submitted &lt;b&gt;soon&lt;/b&gt;" in widget.status.value


def test_refilled_widgets_say_when_on_the_local_clock(catalog: Catalog, zone: Callable[[str], None]) -> None:
    zone("America/New_York")
    vignette = next(v for v in catalog.vignettes if v.signs_present)
    signs = SpotSigns(catalog, vignette, FixedTimeRecorder(STORED, {"chosen": [vignette.signs_present[0].sign]}))
    assert "Your saved answer from 2025-01-31 15:45" in signs.status.value
    form = FeedbackForm(FixedTimeRecorder(STORED, {"comment": "Good"}), "respond/x", "<p>shown</p>")
    assert "Feedback saved 2025-01-31 15:45" in form.status.value


@pytest.mark.usefixtures("filters")
def test_review_shows_the_local_date_of_supervisor_feedback(zone: Callable[[str], None]) -> None:
    zone("Asia/Kolkata")
    note = {"author": "Dr Sup", "time": STORED, "comment": "Good", "next_step": "", "ratings": []}
    page = render("review.html.j2", "supervisor", notes=[note])
    assert f'from Dr Sup, <time datetime="{STORED}">2025-02-01</time>' in page


@pytest.mark.usefixtures("filters")
def test_report_shows_local_dates_of_answer_and_correction(zone: Callable[[str], None]) -> None:
    zone("America/New_York")
    miss = {
        "trainee": "Ada Test",
        "case": "case-1",
        "case_title": "A case",
        "time": "2025-03-01T02:00:00+00:00",  # 28 February in New York
        "corrected": "2025-03-02T12:00:00+00:00",
        "critical": [],
        "chosen_urgency": "same day",
        "chosen_steps": [],
        "key_urgency": "immediate",
        "key_steps": [],
    }
    page = render("report.html.j2", "miss_rows", misses=[miss], css="wb-critical")
    assert "answered 2025-02-28, corrected 2025-03-02" in page
