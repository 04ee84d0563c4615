"""Cohort report speed: a synthetic cohort of 200 trainees' stores, then ``workbook report``.

    .venv/bin/python benchmarks/report.py [--trainees 200] [--repeat 3]

Prints the best and worst time of the whole command (Python start included) for HTML and CSV,
goal under 2 s, and for HTML, CSV and PDF, goal under 4 s, for 200 trainees; the PDF's pages
(Chromium's print time grows with them); and the load average, since on a shared machine the
seconds move with it.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the synthetic cohort comes from the tests' factories

from benchmarks.batch import load  # noqa: E402
from tests.factories import make_cohort  # noqa: E402

GOALS = {"html,csv": 2, "html,csv,pdf": 4}  # seconds, best run, for 200 trainees


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {load()}")
    with tempfile.TemporaryDirectory(prefix="wb-report-") as name:
        folder = Path(name) / "cohort"
        folder.mkdir()
        started = time.monotonic()
        planted = make_cohort(folder, args.trainees)
        print(
            f"made {args.trainees} stores in {time.monotonic() - started:.1f} s ({len(planted.misses)} planted misses)"
        )
        for formats, goal in GOALS.items():
            times = []
            for _ in range(args.repeat):
                started = time.monotonic()
                subprocess.run(
                    [
                        str(Path(sys.executable).parent / "workbook"),
                        "report",
                        str(folder),
                        "--format",
                        formats,
                        "--out",
                        str(Path(name) / "report"),
                    ],
                    check=True,
                    capture_output=True,
                )
                times.append(time.monotonic() - started)
            best, worst = min(times), max(times)
            print(
                f"workbook report, {args.trainees} trainees, {formats:12}: best {best:.2f} s, worst {worst:.2f} s "
                f"over {args.repeat} runs (whole command, Python start included)  "
                f"{'PASS' if best < goal else 'FAIL'} < {goal} s; {load()}"
            )
            if "pdf" in formats:
                from pypdf import PdfReader

                print(f"  the PDF: {len(PdfReader(Path(name) / 'report.pdf').pages)} pages")


if __name__ == "__main__":
    main()
