"""Answer -> acknowledged save latency of the response store.

What a trainee waits for between clicking "Submit" and seeing "Saved": one ``ResponseStore.save``
on a fresh store, i.e. a ``BEGIN IMMEDIATE`` transaction committed in rollback-journal mode
(``journal_mode=DELETE``, ``synchronous=EXTRA``): the ``-journal`` written and fsynced, the
``.sqlite`` file written and fsynced, the journal deleted and the folder fsynced. The budget is
p95 < 20 ms, so saving stays invisible next to widget rendering.

Run: ``.venv/bin/python benchmarks/save_latency.py [--saves N] [--dir FOLDER]``. The store goes in a
temporary folder under ``--dir`` (default: the system temp folder). Put it on the disk trainees
really use: a tmpfs makes fsync free and the figures meaningless.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from clinician_workbook.content.models import DIFFICULTIES
from clinician_workbook.responses import ResponseStore
from clinician_workbook.scoring import FELT, next_difficulty

BUDGET_P95_MS = 20.0
REPLY = (
    "I notice that when we come close to talking about your father you change the subject, and I "
    "wonder whether it feels safer to stay with the practical things for now. It makes sense that "
    "part of you would want to protect yourself. Could we slow down and notice together what "
    "happens in your body as we approach it, without needing to go any further than feels okay?"
)
WORDS = REPLY.split()
# The resistance-avoidance practice set: its client statements with their difficulty (a round is
# saved under its statement's id) and the skill criteria a trainee rates their response against.
STATEMENTS = [(f"ra-cs-{level}-{n}", level) for level in DIFFICULTIES for n in (1, 2, 3)]
CRITERIA = ["ra-crit-name-the-shift", "ra-crit-validate-protection", "ra-crit-explore-rupture", "ra-crit-non-defensive"]


def realistic_answer(rng: random.Random, i: int) -> dict[str, object]:
    """What the respond exercise saves for a rated round: a ~400-character response, self-ratings 0-4,
    how the statement felt and the difficulty it steps to (the answer shape ``check_answer`` accepts)."""
    statement, difficulty = STATEMENTS[i % len(STATEMENTS)]
    text = " ".join(rng.choice(WORDS) for _ in range(80))[:400].strip()
    ratings = {criterion: rng.randint(0, 4) for criterion in CRITERIA}
    felt = rng.choice(FELT)
    return {
        "statement": statement,
        "difficulty": difficulty,
        "response": text,
        "ratings": ratings,
        "felt": felt,
        "next_difficulty": next_difficulty(difficulty, felt, list(ratings.values())),
    }


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def measure(folder: Path, saves: int) -> list[float]:
    """Latencies in milliseconds of ``saves`` consecutive saves on a fresh store in ``folder``."""
    rng = random.Random(7)
    answers = [realistic_answer(rng, i) for i in range(saves)]
    latencies: list[float] = []
    with ResponseStore.open(folder, "benchmark-trainee") as store:
        # One save first, to keep first-save costs (page cache, file growth) apart.
        store.save("warm-up", "respond", str(answers[0]["statement"]), answers[0])
        for answer in answers:
            start = time.perf_counter()
            store.save("resistance-avoidance", "respond", str(answer["statement"]), answer)
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the temporary store")
    args = parser.parse_args(argv)

    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="save-latency-") as folder:
        latencies = measure(Path(folder), args.saves)
    ordered = sorted(latencies)
    p95 = percentile(ordered, 95)
    where = args.dir or Path(tempfile.gettempdir())
    print(f"{len(ordered)} saves on {where} (python {sys.version.split()[0]}, {os.cpu_count()} cpu)")
    print(f"p50 {percentile(ordered, 50):.2f} ms")
    print(f"p95 {p95:.2f} ms")
    print(f"p99 {percentile(ordered, 99):.2f} ms")
    print(f"max {ordered[-1]:.2f} ms")
    print(f"mean {statistics.fmean(ordered):.2f} ms")
    verdict = "PASS" if p95 < BUDGET_P95_MS else "FAIL"
    print(f"{verdict} p95 < {BUDGET_P95_MS:g} ms")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
