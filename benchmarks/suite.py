"""What the whole test suite costs this machine: wall time, the CPU it uses, and who uses it.

Runs pytest as ``make test`` does (``-n 2 --dist worksteal``, ``CI=true`` so no browser test can
skip; extra arguments are passed on) and reads ``/proc`` every half second meanwhile. It prints:

- the wall time and the machine's busy CPU-seconds over it (``/proc/stat``, every process: run
  it on an otherwise idle machine);
- those CPU-seconds by kind of process (Chromium, Playwright's driver, kernels, Jupyter servers,
  the test processes, ...), from each process's own counters; a process that lives less than
  half a second can be missed, and so can a process's last half second and the kernel's
  interrupt work: they are counted under "not attributed";
- the floor this sets: busy CPU-seconds divided by the cores is the least wall time the same
  work can take here, against issue 17's goal (pytest under 2 minutes, end-to-end tests included).

Run: ``.venv/bin/python benchmarks/suite.py [pytest arguments]``; exit status is pytest's.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.batch import load  # noqa: E402

GOAL_SECONDS = 120
TICK = os.sysconf("SC_CLK_TCK")
# Python processes: (kind, words that all appear in the command line); the first match wins
PYTHON_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Jupyter kernels", ("ipykernel",)),
    ("hub users' servers", ("singleuser",)),
    ("the hub service", ("clinician_workbook.hub",)),
    ("JupyterHub", ("jupyterhub",)),
    ("Voila (workbook app)", ("voila",)),
    ("JupyterLab servers", ("jupyter", "lab")),
    ("batch workers (forkserver)", ("multiprocessing",)),
    ("pytest and its workers", ("pytest",)),
    ("pytest and its workers", ("sys.stdin.readline",)),  # a pytest-xdist worker (execnet)
)


def kind_of(command: str) -> str:
    """What a process is, from its command line."""
    program = os.path.basename(command.split(" ", 1)[0])
    if "chrom" in program or "headless_shell" in program:
        if "--type=renderer" in command:
            return "Chromium renderers"
        return "Chromium helpers (GPU, network, ...)" if "--type=" in command else "Chromium browser"
    if program == "node":
        return "Playwright's driver (node)" if "playwright" in command else "other node (hub proxy, Lab's start-up)"
    for kind, words in PYTHON_KINDS:
        if all(word in command for word in words):
            return kind
    return "other processes"


def busy_ticks() -> int:
    """Every CPU's busy time so far (user, nice, system, irq, softirq), in clock ticks."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    return sum(fields[:3]) + fields[5] + fields[6]


class Sampler(threading.Thread):
    """Each process's CPU ticks, as last seen, keyed by (pid, start time); a process already
    running at the start counts only what it uses from then on."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.seen: dict[tuple[str, str], tuple[str, int, int]] = {}  # key -> (kind, first ticks, last ticks)
        self.stopping = threading.Event()

    def sample(self, first: bool) -> None:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                ticks, key = int(fields[11]) + int(fields[12]), (pid, fields[19])
                if key in self.seen:
                    kind, since, _ = self.seen[key]
                    self.seen[key] = (kind, since, ticks)
                    continue
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, IndexError, ValueError):  # gone meanwhile
                continue
            self.seen[key] = (kind_of(command), ticks if first else 0, ticks)

    def run(self) -> None:
        self.sample(first=True)
        while not self.stopping.wait(0.5):
            self.sample(first=False)

    def by_kind(self) -> dict[str, float]:
        seconds: dict[str, float] = {}
        for kind, since, last in self.seen.values():
            seconds[kind] = seconds.get(kind, 0.0) + (last - since) / TICK
        return seconds


def main(argv: list[str]) -> int:
    cores = os.cpu_count() or 1
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}; {load()}")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "worksteal", *argv]
    sampler = Sampler()
    busy, started = busy_ticks(), time.monotonic()
    sampler.start()
    done = subprocess.run(command, cwd=ROOT, env={**os.environ, "CI": "true"}, stdout=subprocess.PIPE, text=True)
    sampler.stopping.set()
    sampler.join()
    wall, used = time.monotonic() - started, (busy_ticks() - busy) / TICK
    summary = [line for line in done.stdout.splitlines() if " passed" in line or " failed" in line or " error" in line]
    print(f"pytest: {summary[-1].strip('= ') if summary else f'exit {done.returncode}'}")
    print(f"wall {wall:.0f} s; machine busy {used:.0f} CPU-s ({used / wall / cores:.0%} of {cores} cores); {load()}")
    kinds = sampler.by_kind()
    for kind, seconds in sorted(kinds.items(), key=lambda item: -item[1]):
        print(f"  {seconds:6.1f} CPU-s  {kind}")
    print(f"  {max(0.0, used - sum(kinds.values())):6.1f} CPU-s  not attributed (short-lived processes, interrupts)")
    floor = used / cores
    verdict = "within" if floor < GOAL_SECONDS else "over"
    print(
        f"floor: {floor:.0f} s of wall time for this work on {cores} cores at 100%; goal {GOAL_SECONDS} s "
        f"({GOAL_SECONDS * cores} CPU-s): the work alone is {verdict} it"
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
