"""Start-up time of the ``workbook`` command: ``--help`` and ``validate`` against a bare Python.

Each command runs as a subprocess, as a user runs it (the ``workbook`` script beside this
Python), ``--repeat`` times; the best wall time counts, since on a shared machine anything slower
is other work getting in the way. ``python -c pass`` is timed the same way, as the floor: the
ratio column says how many bare interpreter starts each command costs. Goals: ``--help`` under
0.3 s (it imports no Jupyter module), ``validate`` under 1 s (the course model and the bundled
course, still no Jupyter). It exits 1 when a goal is missed.

The commands run in an empty temporary folder with ``WORKBOOK_CONTENT`` unset, so ``validate``
checks the bundled course, not a workspace's or one named in the environment.

Run: ``.venv/bin/python benchmarks/cli.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clinician_workbook.courses import ENV

WORKBOOK = str(Path(sys.executable).with_name("workbook"))
# (label, command, goal in seconds; None: the floor the others are compared with)
COMMANDS: tuple[tuple[str, list[str], float | None], ...] = (
    ("python -c pass", [sys.executable, "-c", "pass"], None),
    ("workbook --help", [WORKBOOK, "--help"], 0.3),
    ("workbook validate", [WORKBOOK, "validate"], 1.0),
)


def best_time(command: list[str], repeat: int, cwd: str, env: dict[str, str]) -> float:
    """The best wall time of ``repeat`` runs; a run that fails stops the benchmark."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - started)
    return min(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command; the best counts (default 7)")
    args = parser.parse_args(argv)
    env = {name: value for name, value in os.environ.items() if name != ENV}
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as cwd:
        times = {label: best_time(command, args.repeat, cwd, env) for label, command, _ in COMMANDS}
    floor = times[COMMANDS[0][0]]
    print(f"{'command':<18}  {'best s':>7}  {'x bare':>6}  goal")
    for label, _, goal in COMMANDS:
        seconds = times[label]
        verdict = "-" if goal is None else f"< {goal:.1f} s {'ok' if seconds < goal else 'MISSED'}"
        print(f"{label:<18}  {seconds:7.3f}  {seconds / floor:6.1f}  {verdict}")
    missed = [label for label, _, goal in COMMANDS if goal is not None and times[label] >= goal]
    if missed:
        print(f"goal missed: {', '.join(missed)} (best of {args.repeat})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
