"""Batch handouts: the naive loop against ``workbook batch``, throughput and peak memory.

Naive loop (as a coordinator might script it): per handout, the papermill CLI, then
``jupyter nbconvert --to html`` (and, for the PDF comparison, ``jupyter nbconvert --to webpdf``
on the same system Chromium). Measured on a small sample, since it takes seconds per handout.
``workbook batch`` runs at N=100 (20 trainees x 5 challenges) for HTML and for HTML+PDF, timed
alone; then HTML+PDF again at N=100 and at N=1000 for the memory check. Peak RSS is the whole
process tree (batch, workers, Chromium), sampled every 0.1 s from /proc: reading every process's
memory map costs about 0.04 CPU-s a sample, an eighth of this 2-core machine at that rate, so the
timed runs are not sampled.

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


def load() -> str:
    """The load average, printed with timings: on a shared machine the seconds move with it."""
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def write_roster(path: Path, trainees: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["trainee_id", "name", "cohort", "supervisor"])
        for i in range(trainees):
            writer.writerow([f"t{i:04d}", f"Trainee {i}", "Benchmark cohort", "Dr Bench"])
    return path


def tree_memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of ``pid`` and all its descendants.

    The RSS sum counts shared pages (libraries, Chromium's shared memory) once per process;
    PSS splits them between the processes sharing them, so its sum is the real footprint.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


def run_measured(command: list[str], cwd: Path, sampled: bool) -> tuple[float, tuple[int, int]]:
    """(seconds, (peak RSS, peak PSS) of the process tree, or zeros when not ``sampled``) for one command."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = tree_memory(process.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    if sampled:
        sampler.start()
    _, err = process.communicate()
    done.set()
    if sampled:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err.decode()[-2000:]}")
    return time.monotonic() - started, (peak[0], peak[1])


def webpdf_browsers(tmp: Path) -> dict[str, str]:
    """A PLAYWRIGHT_BROWSERS_PATH where nbconvert's webpdf finds the system Chromium."""
    import playwright

    browsers = json.loads((Path(playwright.__file__).parent / "driver/package/browsers.json").read_text())
    revision = next(b["revision"] for b in browsers["browsers"] if b["name"] == "chromium-headless-shell")
    shell = tmp / "browsers" / f"chromium_headless_shell-{revision}" / "chrome-headless-shell-linux64"
    shell.mkdir(parents=True, exist_ok=True)
    # the browser workbook itself would pick (the headless shell first): the same on both sides
    chromium = (
        os.environ.get("WORKBOOK_CHROMIUM") or shutil.which("chromium-headless-shell") or shutil.which("chromium")
    )
    if not chromium:
        raise SystemExit("no chromium: run scripts/install-system-deps.sh")
    link = shell / "chrome-headless-shell"
    if not link.exists():
        link.symlink_to(chromium)
    return {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(tmp / "browsers")}


def naive_steps(notebook: Path, out: Path, parameters: dict[str, str], pdf: bool, work: Path) -> list[list[str]]:
    """The naive route for one notebook: the papermill CLI, then the nbconvert CLI to HTML (and webpdf)."""
    pairs = [arg for name, value in parameters.items() for arg in ("-p", name, value)]
    steps = [
        [str(BIN / "papermill"), str(notebook), str(out), *pairs, "--cwd", str(work)],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)],
    ]
    if pdf:
        steps.append([str(BIN / "jupyter"), "nbconvert", "--to", "webpdf", str(out)])
    return steps


def naive(sample: int, pdf: bool, tmp: Path) -> float:
    """Handouts per second of the papermill-CLI + nbconvert-CLI loop."""
    env = webpdf_browsers(tmp) if pdf else dict(os.environ)
    work = tmp / ("naive-pdf" if pdf else "naive")
    work.mkdir()
    started = time.monotonic()
    for i in range(sample):
        notebook = ROOT / "notebooks" / f"{CHALLENGES[i % len(CHALLENGES)]}.ipynb"
        parameters = {"mode": "handout", "trainee": f"Trainee {i}", "cohort": "Benchmark cohort"}
        for step in naive_steps(notebook, work / f"h{i}.ipynb", parameters, pdf, work):
            subprocess.run(step, cwd=work, env=env, check=True, capture_output=True)
    return sample / (time.monotonic() - started)


def batch(items: int, formats: str, jobs: int, tmp: Path, sampled: bool = False) -> tuple[float, tuple[int, int]]:
    """(handouts per second, (peak RSS, peak PSS) when ``sampled``) of ``workbook batch`` over ``items`` handouts."""
    trainees = items // len(CHALLENGES)
    work = tmp / f"batch-{items}-{formats.replace(',', '-')}{'-sampled' if sampled else ''}"
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
        sampled,
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
    parser.add_argument("--memory-only", action="store_true", help="skip the naive loops and the HTML run")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {load()}")
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as name:
        tmp = Path(name)
        n, mib = args.n, 2**20
        if not args.memory_only:
            naive_html = naive(args.sample, False, tmp)
            naive_pdf = naive(args.sample, True, tmp)
            html_rate, _ = batch(n, "html", args.jobs, tmp)
            pdf_rate, _ = batch(n, "html,pdf", args.jobs, tmp)
            print(f"naive loop, HTML        : {naive_html:7.3f} handouts/s  (sample of {args.sample})")
            print(f"naive loop, HTML + PDF  : {naive_pdf:7.3f} handouts/s  (sample of {args.sample}, nbconvert webpdf)")
            print(
                f"workbook batch, HTML    : {html_rate:7.2f} handouts/s  N={n}  ratio {html_rate / naive_html:5.1f}x (goal 150x)"
            )
            print(
                f"workbook batch, HTML+PDF: {pdf_rate:7.2f} handouts/s  N={n}  ratio {pdf_rate / naive_pdf:5.1f}x (goal 90x)"
            )
        _, pdf_peak = batch(n, "html,pdf", args.jobs, tmp, sampled=True)
        print(f"peak memory N={n} HTML+PDF: RSS {pdf_peak[0] / mib:6.0f} MiB, PSS {pdf_peak[1] / mib:6.0f} MiB")
        if args.big:
            big_rate, big_peak = batch(args.big, "html,pdf", args.jobs, tmp, sampled=True)
            rss_growth, pss_growth = big_peak[0] / pdf_peak[0] - 1, big_peak[1] / pdf_peak[1] - 1
            print(
                f"peak memory N={args.big} HTML+PDF: RSS {big_peak[0] / mib:6.0f} MiB ({rss_growth:+.1%} vs N={n}), "
                f"PSS {big_peak[1] / mib:6.0f} MiB ({pss_growth:+.1%}); goal within 10%; {big_rate:.2f} handouts/s (sampled)"
            )
        print(f"at the end: {load()}")


if __name__ == "__main__":
    main()
