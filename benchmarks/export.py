"""One trainee's full review export: the naive route against ``workbook export``, in one run.

A synthetic trainee with every challenge answered (the tests' factories). Naive route, per
challenge notebook: the papermill CLI in review mode on the trainee's store, then
``jupyter nbconvert --to html`` and ``jupyter nbconvert --to webpdf`` (on the system Chromium,
as in ``benchmarks/batch.py``); it makes no combined document, which ``workbook export`` makes
on top. ``workbook export --challenge all --format html,pdf`` is timed as a whole command,
Python start included, best of ``--repeat`` runs. The load average at the start and at the end
is printed: on a shared machine, compare the ratio, not the seconds.

    .venv/bin/python benchmarks/export.py [--repeat 3] [--naive-repeat 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the synthetic trainee comes from the tests' factories

from benchmarks.batch import BIN, load, naive_steps, webpdf_browsers  # noqa: E402
from tests.factories import Plan, fill_store  # noqa: E402

from clinician_workbook.content import load_bundled  # noqa: E402
from clinician_workbook.pages import work_pages  # noqa: E402
from clinician_workbook.responses import ResponseStore, store_path  # noqa: E402

TRAINEE = "Ada Bench"
GOAL = 20


def naive(responses: Path, tmp: Path) -> tuple[float, int]:
    """(seconds, documents) for every challenge through papermill + nbconvert html + webpdf."""
    env = webpdf_browsers(tmp)
    work = tmp / "naive"
    work.mkdir(exist_ok=True)
    parameters = {"mode": "review", "trainee": TRAINEE, "responses": str(responses)}
    started = time.monotonic()
    for page in work_pages(load_bundled()):
        out = work / page.notebook
        for step in naive_steps(ROOT / "notebooks" / page.notebook, out, parameters, True, work):
            subprocess.run(step, cwd=work, env=env, check=True, capture_output=True)
    seconds = time.monotonic() - started
    return seconds, len(list(work.glob("*.html"))) + len(list(work.glob("*.pdf")))


def export(responses: Path, out: Path) -> tuple[float, int]:
    """(seconds, documents) for ``workbook export`` of every challenge plus the combined workbook."""
    started = time.monotonic()
    subprocess.run(
        [
            str(BIN / "workbook"),
            "export",
            "--trainee",
            TRAINEE,
            "--responses",
            str(responses),
            "--challenge",
            "all",
            "--format",
            "html,pdf",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    seconds = time.monotonic() - started
    return seconds, len([p for p in out.rglob("*") if p.suffix in (".html", ".pdf")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of workbook export (best is kept)")
    parser.add_argument("--naive-repeat", type=int, default=1, help="runs of the naive route (best is kept)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {load()}")
    with tempfile.TemporaryDirectory(prefix="wb-export-") as name:
        tmp = Path(name)
        responses = tmp / "responses"
        with ResponseStore(store_path(responses, TRAINEE), TRAINEE) as store:
            fill_store(store, load_bundled(), random.Random(TRAINEE), Plan(share_reflections=True))
        fast = [export(responses, tmp / f"out-{run}") for run in range(args.repeat)]
        slow = [naive(responses, tmp) for _ in range(args.naive_repeat)]
        (fast_s, fast_n), (slow_s, slow_n) = min(fast), min(slow)
        print(
            f"naive route (papermill + nbconvert html + webpdf): {slow_s:6.2f} s for {slow_n} documents "
            f"(best of {args.naive_repeat})"
        )
        print(
            f"workbook export, html+pdf, all challenges + combined: {fast_s:6.2f} s for {fast_n} documents "
            f"(best of {args.repeat}; worst {max(fast)[0]:.2f} s)"
        )
        ratio = slow_s / fast_s
        print(f"ratio {ratio:5.1f}x (goal {GOAL}x) {'PASS' if ratio >= GOAL else 'FAIL'}; {load()}")


if __name__ == "__main__":
    main()
