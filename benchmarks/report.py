"""Cohort report speed: a synthetic cohort of 200 trainees' stores, then ``workbook report``.

    .venv/bin/python benchmarks/report.py [--trainees 200] [--formats html,csv]

Prints the time for the report (HTML and CSV by default; add pdf to include printing) and
the goal: under 5 s for 200 trainees.
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

from tests.factories import make_cohort  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--formats", default="html,csv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="wb-report-") as name:
        folder = Path(name) / "cohort"
        folder.mkdir()
        started = time.monotonic()
        planted = make_cohort(folder, args.trainees)
        print(
            f"made {args.trainees} stores in {time.monotonic() - started:.1f} s ({len(planted.misses)} planted misses)"
        )
        times = []
        for _ in range(args.repeat):
            started = time.monotonic()
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "workbook"),
                    "report",
                    str(folder),
                    "--format",
                    args.formats,
                    "--out",
                    str(Path(name) / "report"),
                ],
                check=True,
                capture_output=True,
            )
            times.append(time.monotonic() - started)
        best, worst = min(times), max(times)
        verdict = "PASS" if worst < 5 else "FAIL"
        print(
            f"workbook report, {args.trainees} trainees, {args.formats}: best {best:.2f} s, worst {worst:.2f} s "
            f"over {args.repeat} runs (whole command, Python start included)  {verdict} < 5 s"
        )


if __name__ == "__main__":
    main()
