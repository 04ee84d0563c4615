"""Child processes that end with the command that started them, however that command ends.

A child left running after its parent is gone holds memory, a browser or a port for nothing,
and keeps writing files nobody records. Three ways a parent ends, three answers:

- SIGTERM / SIGINT: the parent catches them (:func:`stop_on_signals` raises :class:`Stopped`
  in the main thread), stops its children itself, and exits with one line.
- SIGKILL (nothing in the parent runs): on Linux each child asks the kernel for SIGKILL when
  its parent dies (``prctl(PR_SET_PDEATHSIG)``, :func:`die_with_parent` in a child, or
  :func:`parent_death_preexec` before ``exec`` of a server). The signal is sent when the
  *thread* that created the child ends, so children must be started from a thread that lives
  as long as they should (the main thread, here). Elsewhere a daemon thread in the child polls
  ``os.getppid()`` and exits when it changes (children that run our Python only).
- A race: the parent may die before the child has asked; the child then checks that its
  parent is still the one it was started by.
- A worker forked by a forkserver (the batch's) is not the batch's child: it also watches the
  batch itself (:func:`die_with`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 0.5
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(KeyboardInterrupt):
    """The command was asked to stop by a signal.

    A KeyboardInterrupt, so that no ``except Exception`` on the way up swallows it and callers
    that already handle Ctrl-C handle SIGTERM too; ``exit_code`` is the shell's 128 + signal.
    """

    def __init__(self, signum: int, message: str = "") -> None:
        super().__init__(message or f"stopped by {signal.Signals(signum).name}")
        self.signum = signum
        self.exit_code = 128 + signum


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


def set_parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent ends; False where it cannot."""
    prctl = _prctl()
    return prctl is not None and prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def die_with_parent(parent: int) -> None:
    """Call in a child: end this process when ``parent`` (its parent's pid) is gone."""
    if not set_parent_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)  # the parent died before we asked: the signal will never come


def die_with(pid: int) -> None:
    """Call in a process that is not ``pid``'s child: end this process as soon as ``pid`` ends.

    For a batch worker forked from the batch's forkserver: its parent is the forkserver, which
    outlives the batch for as long as a worker holds its end of the forkserver's pipe, so the
    parent-death signal alone would wait for ever. A daemon thread waits on a pidfd (Linux
    5.3+: exact, no polling), else polls ``pid`` every POLL_SECONDS.
    """
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux, an old kernel, or already gone
        handle = None
    if handle is None and not _exists(pid):
        os._exit(1)
    threading.Thread(target=_watch, args=(pid, handle), name="batch-watch", daemon=True).start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process has that pid now
        return False
    return True


def _watch(pid: int, handle: int | None) -> None:
    if handle is not None:
        select.select([handle], [], [])  # readable when the process has ended
    else:
        while _exists(pid):
            time.sleep(POLL_SECONDS)
    os._exit(1)  # no cleanup: whoever we worked for is gone


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)  # no cleanup: whoever we worked for is gone


def parent_death_preexec() -> Callable[[], None] | None:
    """A ``preexec_fn`` giving a child started by ``subprocess`` SIGKILL when we die (Linux), else None.

    The setting survives ``exec``, so it covers servers that are not our Python (``jupyter lab``).
    ``prctl`` is looked up here, in the parent: the function run between fork and exec does as
    little as it can.
    """
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While inside: SIGTERM and SIGINT raise :class:`Stopped` in the main thread (once).

    Later signals are ignored while the caller stops its children (bounded by timeouts there),
    so a second Ctrl-C cannot interrupt the cleanup half-way. Off the main thread (where
    Python cannot set handlers) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        raise Stopped(signum)

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
