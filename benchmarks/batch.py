"""Batch handouts: the naive loop against ``workbook batch``, throughput and peak memory.

Naive loop (as a coordinator might script it): per handout, the papermill CLI, then
``jupyter nbconvert --to html`` (and, for the PDF comparison, ``jupyter nbconvert --to webpdf``
on the same system Chromium). Measured on a small sample, since it takes seconds per handout.
``workbook batch`` runs at N=100 (20 trainees x 5 challenges) for HTML and for HTML+PDF, and at
N=1000 for the memory check. Peak RSS is the whole process tree (batch, workers, Chromium),
sampled every 0.1 s from /proc.

    .venv/bin/python benchmarks/batch.py [--sample 4] [--big 1000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHALLENGES = [
    "01-emotional-overwhelm",
    "02-resistance-avoidance",
    "03-feeling-stuck",
    "04-navigating-challenges",
    "05-when-concerning",
]


def write_roster(path: Path, trainees: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["trainee_id", "name", "cohort", "supervisor"])
        for i in range(trainees):
            writer.writerow([f"t{i:04d}", f"Trainee {i}", "Benchmark cohort", "Dr Bench"])
    return path


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def run_measured(command: list[str], cwd: Path) -> tuple[float, int]:
    """(seconds, peak RSS of the process tree) for one command."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err.decode()[-2000:]}")
    return time.monotonic() - started, peak


def webpdf_browsers(tmp: Path) -> dict[str, str]:
    """A PLAYWRIGHT_BROWSERS_PATH where nbconvert's webpdf finds the system Chromium."""
    import playwright

    browsers = json.loads((Path(playwright.__file__).parent / "driver/package/browsers.json").read_text())
    revision = next(b["revision"] for b in browsers["browsers"] if b["name"] == "chromium-headless-shell")
    shell = tmp / "browsers" / f"chromium_headless_shell-{revision}" / "chrome-headless-shell-linux64"
    shell.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or os.environ.get("WORKBOOK_CHROMIUM", "")
    if not chromium:
        raise SystemExit("no chromium: run scripts/install-system-deps.sh")
    link = shell / "chrome-headless-shell"
    if not link.exists():
        link.symlink_to(chromium)
    return {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(tmp / "browsers")}


def naive(sample: int, pdf: bool, tmp: Path) -> float:
    """Handouts per second of the papermill-CLI + nbconvert-CLI loop."""
    env = webpdf_browsers(tmp) if pdf else dict(os.environ)
    work = tmp / ("naive-pdf" if pdf else "naive")
    work.mkdir()
    started = time.monotonic()
    for i in range(sample):
        notebook = ROOT / "notebooks" / f"{CHALLENGES[i % len(CHALLENGES)]}.ipynb"
        out = work / f"h{i}.ipynb"
        steps = [
            [
                str(BIN / "papermill"),
                str(notebook),
                str(out),
                "-p",
                "mode",
                "handout",
                "-p",
                "trainee",
                f"Trainee {i}",
                "-p",
                "cohort",
                "Benchmark cohort",
                "--cwd",
                str(work),
            ],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)],
        ]
        if pdf:
            steps.append([str(BIN / "jupyter"), "nbconvert", "--to", "webpdf", str(out)])
        for step in steps:
            subprocess.run(step, cwd=work, env=env, check=True, capture_output=True)
    return sample / (time.monotonic() - started)


def batch(items: int, formats: str, jobs: int, tmp: Path) -> tuple[float, int]:
    """(handouts per second, peak RSS) of ``workbook batch`` over ``items`` handouts."""
    trainees = items // len(CHALLENGES)
    work = tmp / f"batch-{items}-{formats.replace(',', '-')}"
    work.mkdir()
    roster = write_roster(work / "roster.csv", trainees)
    seconds, peak = run_measured(
        [
            str(BIN / "workbook"),
            "batch",
            str(roster),
            "--format",
            formats,
            "--jobs",
            str(jobs),
            "--date",
            "2026-01-01",
            "--out",
            str(work / "out"),
        ],
        work,
    )
    produced = len(list((work / "out").rglob("*.html")))
    if produced != items:
        raise SystemExit(f"batch made {produced} documents, expected {items}")
    return items / seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=4, help="handouts for the naive loops")
    parser.add_argument("--n", type=int, default=100, help="handouts for the batch runs")
    parser.add_argument("--big", type=int, default=1000, help="handouts for the memory check (0: skip)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as name:
        tmp = Path(name)
        naive_html = naive(args.sample, False, tmp)
        naive_pdf = naive(args.sample, True, tmp)
        html_rate, html_peak = batch(args.n, "html", args.jobs, tmp)
        pdf_rate, pdf_peak = batch(args.n, "html,pdf", args.jobs, tmp)
        print(f"naive loop, HTML        : {naive_html:7.3f} handouts/s  (sample of {args.sample})")
        print(f"naive loop, HTML + PDF  : {naive_pdf:7.3f} handouts/s  (sample of {args.sample}, nbconvert webpdf)")
        n = args.n
        print(
            f"workbook batch, HTML    : {html_rate:7.2f} handouts/s  N={n}  ratio {html_rate / naive_html:5.1f}x (goal 40x)"
        )
        print(
            f"workbook batch, HTML+PDF: {pdf_rate:7.2f} handouts/s  N={n}  ratio {pdf_rate / naive_pdf:5.1f}x (goal 25x)"
        )
        print(f"peak RSS N={args.n} HTML+PDF: {pdf_peak / 2**20:7.0f} MiB")
        if args.big:
            big_rate, big_peak = batch(args.big, "html,pdf", args.jobs, tmp)
            growth = big_peak / pdf_peak - 1
            print(
                f"peak RSS N={args.big} HTML+PDF: {big_peak / 2**20:6.0f} MiB  ({growth:+.1%} vs N={args.n}, goal within 10%)"
                f"  {big_rate:.2f} handouts/s"
            )
        print(f"peak RSS N={args.n} HTML: {html_peak / 2**20:7.0f} MiB")


if __name__ == "__main__":
    main()
