"""Validation time against content size: it must grow linearly.

Each run copies the bundled course to a temporary folder and adds one generated YAML file of
1, 2 and 4 MB of valid items (alternating strategies and vignettes, so references and the
cross-file vignette rules are exercised), then times ``validate_content`` on the folder, best of
``--repeat`` runs (``--median``: their median, for comparing two versions of the reader). It prints each time and its ratio to the 1 MB time: linear is about 1 : 2 : 4,
quadratic 1 : 4 : 16. It exits 1 when the 4 MB time is more than ``--max-ratio`` times the 1 MB
time (default 8: twice linear, half quadratic). Linear runs measured 4.2-6.2 here: Python's cyclic
garbage collector walks every live object now and then, so a larger heap costs a little more than
its share, and a busy two-core machine adds noise on top.

The generated files are larger than the 2 MiB a content file may be (``docs/content-format.md``),
so the benchmark lifts that limit and the value count with it: it times the reader, not the limit.

Run: ``.venv/bin/python benchmarks/validate.py [--repeat N] [--median] [--max-ratio R]``.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from clinician_workbook.content import validate_content
from clinician_workbook.content.sources import ReadLimits
from clinician_workbook.paths import bundled_content_dir

MB = 1_000_000
SIZES_MB = (1, 2, 4)
LIMITS = ReadLimits(max_bytes=8 * 1024 * 1024, max_nodes=2_000_000)

STRATEGY = """\
  - id: bench-strategy-{n}
    kind: coping
    title: Generated strategy number {n}
    text: >-
      A generated strategy used to time validation. It says nothing clinical; it only has the
      shape and size of a real strategy, so the validator does the same work for each item.
    used_by: client-self-help
    when: between-sessions
    references: [ref-liu-facing-challenges]
    review: draft
"""
# repeated to give a body the length of a real vignette, so the word count is checked as it would be
FILLER = (
    "      The generated text goes on in the same plain way, sentence after sentence, so that the\n"
    "      body has the length a real vignette has and the word count is checked as it would be.\n"
) * 7
VIGNETTE = """\
  - id: bench-vignette-{n}
    title: Generated vignette number {n}
    challenges: [resistance-avoidance]
    difficulty: beginner
    client: A fictional adult client in a community clinic, fourth session.
    learning_objectives: [Recognise a change of subject as possible avoidance.]
    signs_present:
      - sign: ra-changing-subject
        evidence: She talked about the weather each time her sister came up.
    distractors: [ow-flooded]
    review: draft
    body: >-
      When the trainee asked about the family, she smiled and moved on. She talked about the
      weather each time her sister came up. Later she said the sessions were going fine.
{filler}"""


def generated_yaml(size: int) -> str:
    """At least ``size`` bytes of valid strategies and vignettes."""
    strategies, vignettes, total, n = ["strategies:\n"], ["vignettes:\n"], 24, 0
    while total < size:
        for template, target in ((STRATEGY, strategies), (VIGNETTE, vignettes)):
            item = template.format(n=n, filler=FILLER)
            target.append(item)
            total += len(item)
        n += 1
    return "".join(strategies) + "".join(vignettes)


def time_validation(root: Path, repeat: int, median: bool = False) -> float:
    """The best (or the median) time of ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        gc.collect()  # start each run without the garbage of the one before
        started = time.perf_counter()
        validate_content(root, limits=LIMITS)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) if median else min(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best counts (default 3)")
    parser.add_argument("--median", action="store_true", help="report the median of the runs, not the best")
    parser.add_argument("--max-ratio", type=float, default=8.0, help="fail above this 4 MB : 1 MB ratio")
    args = parser.parse_args(argv)
    times: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as temp:
        for size in SIZES_MB:
            root = Path(temp) / f"content-{size}mb"
            shutil.copytree(bundled_content_dir(), root)
            (root / "generated.yaml").write_text(generated_yaml(size * MB), encoding="utf-8")
            times[size] = time_validation(root, args.repeat, args.median)
    print(f"{'size':>6}  {'seconds':>8}  {'ratio':>6}  {'linear':>6}")
    for size, seconds in times.items():
        print(f"{size:>4}MB  {seconds:8.2f}  {seconds / times[1]:6.2f}  {size:6.2f}")
    ratio = times[SIZES_MB[-1]] / times[1]
    if ratio > args.max_ratio:
        print(f"super-linear: 4 MB took {ratio:.1f}x the 1 MB time (limit {args.max_ratio})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
