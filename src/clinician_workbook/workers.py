"""How the batch's local worker processes start and end (the rendering they do is in :mod:`.batch`).

Workers are forked from a forkserver: a fresh process that imports what a worker needs once
(:data:`PRELOAD`, over half a second of CPU) and holds no thread or browser of the batch. The
``workbook batch`` command starts it first thing (:func:`start_early`), so those imports run on
another core while the batch process itself loads the course and plans the documents; the
workers it forks later start ready. This module imports nothing heavy, for that reason.
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.process import BaseProcess

# What every worker imports before its first item: imported by the forkserver, not by each worker.
PRELOAD = ["clinician_workbook.batch", "clinician_workbook.export.document", "clinician_workbook.runner"]
STOP_SECONDS = 5.0  # a stopped worker that has not exited by then is killed


def context() -> multiprocessing.context.BaseContext:
    """Workers start clean: forked from the forkserver (:data:`PRELOAD` imported), else spawned."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        forkserver = multiprocessing.get_context("forkserver")
        forkserver.set_forkserver_preload(PRELOAD)  # used when this process first starts its forkserver
        return forkserver
    return multiprocessing.get_context("spawn")  # pragma: no cover - no forkserver (Windows)


def start_early() -> None:
    """Start the forkserver now, in the background (it imports :data:`PRELOAD` while the caller
    goes on); a no-op where there is none. If no worker is ever needed it exits with this process."""
    if context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def end(processes: list[BaseProcess]) -> None:
    """SIGTERM every worker, then SIGKILL any still there after STOP_SECONDS.

    The caller reaches into its pool's process table for them: concurrent.futures has no public
    way to end its workers before Python 3.14 (``terminate_workers``).
    """
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
