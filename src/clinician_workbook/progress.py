"""Progress for long runs: a bar with rate and ETA on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, width: int = 28) -> None:
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def update(self, label: str, status: str) -> None:
        self.done += 1
        rate = self.rate()
        eta = (self.total - self.done) / rate if rate else 0.0
        if self.tty:
            filled = int(self.width * self.done / max(self.total, 1))
            bar = "#" * filled + "." * (self.width - filled)
            line = f"\r[{bar}] {self.done}/{self.total}  {rate:5.1f}/s  ETA {eta:4.0f}s  {status:<7} {label[:40]:<40}"
            self.stream.write(line)
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{self.done}/{self.total} {status} {label}\n")
        self.stream.flush()
