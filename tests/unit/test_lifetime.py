"""Children that end with their parent; SIGTERM and SIGINT as one catchable stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from clinician_workbook.lifetime import Stopped, stop_on_signals

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")

# A middle process that starts a grandchild the way lab.py starts its server, prints its pid, waits.
MIDDLE = """
import subprocess, sys, time
from clinician_workbook.lifetime import parent_death_preexec
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], preexec_fn=parent_death_preexec())
print(child.pid, flush=True)
time.sleep(60)
"""

# A middle process that is itself the child: it asks to die with its parent, as a batch worker does.
WORKER = """
import os, sys, time
from clinician_workbook.lifetime import die_with_parent
die_with_parent(int(sys.argv[1]))
print("ready", flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@linux_only
def test_a_server_started_with_the_preexec_dies_when_its_parent_is_killed() -> None:
    with subprocess.Popen([sys.executable, "-c", MIDDLE], stdout=subprocess.PIPE, text=True) as middle:
        assert middle.stdout is not None
        grandchild = int(middle.stdout.readline())
        assert _alive(grandchild)
        middle.kill()
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_a_worker_started_for_another_parent_exits_at_once() -> None:
    # the race die_with_parent guards against: our parent is already not the one we were made for
    worker = subprocess.run([sys.executable, "-c", WORKER, str(os.getpid() + 999_999)], capture_output=True, timeout=30)
    assert worker.returncode == 1 and b"ready" not in worker.stdout


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_raises_stopped_once_then_handlers_come_back(signum: signal.Signals) -> None:
    before = signal.getsignal(signum)
    with pytest.raises(Stopped) as caught, stop_on_signals():
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler runs before this returns
    assert caught.value.exit_code == 128 + signum
    assert str(caught.value) == f"stopped by {signum.name}"
    assert isinstance(caught.value, KeyboardInterrupt)
    assert signal.getsignal(signum) is before
