"""Worker processes that end with the process that started them.

A pool's workers outlive a parent killed with SIGKILL (no clean-up runs): a worker busy with its
chunk goes on, and one waiting for work can wait forever, each holding its memory. Given as the
pool's initializer, :func:`watch_parent` makes each worker check a few times a second that the
process that owns the pool is still running (not gone, not a zombie, not a new process under a
reused PID) and exit at once when it is not. On Linux the worker also asks the kernel to kill it
when its own parent dies (``prctl(PR_SET_PDEATHSIG)``), which covers the time before the check runs.

    ProcessPoolExecutor(..., initializer=watch_parent, initargs=owner())
"""

from __future__ import annotations

import os
import sys
import threading
import time

#: seconds between two checks of the owner
CHECK_EVERY = 0.25
_PR_SET_PDEATHSIG = 1


def owner() -> tuple[int, float]:
    """(PID, start time: :func:`start_time`) of this process: the ``initargs`` of :func:`watch_parent`."""
    return os.getpid(), start_time(os.getpid())


def start_time(pid: int) -> float:
    """When ``pid`` started: on Linux the kernel's own count (clock ticks since boot, field 22 of
    ``/proc/PID/stat``), which no change of the wall clock moves; elsewhere psutil's start time."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return float(fields[19])
    except (OSError, IndexError, ValueError):
        pass
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except (psutil.Error, OSError):
        return 0.0


def is_running(pid: int, started: float = 0.0) -> bool:
    """Whether the process ``pid`` (started at ``started``, when known) still runs: not gone, not a
    zombie waiting to be reaped, not another process that reuses the number."""
    import psutil

    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return not started or abs(start_time(pid) - started) < 1.0
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except (psutil.Error, OSError):  # cannot tell (access denied...): assume it runs
        return True


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the check below still runs
        pass


def watch_parent(pid: int, started: float = 0.0) -> None:
    """Pool initializer: end this worker as soon as the process ``pid`` (the pool's owner) is gone."""
    _die_with_parent()
    parent = os.getppid()
    if parent != pid and not is_running(parent):  # the parent died before the kernel was asked
        os.write(2, f"worker {os.getpid()}: its parent ({parent}) is gone; ending\n".encode())
        os._exit(1)

    def check() -> None:
        while True:
            time.sleep(CHECK_EVERY)
            if not is_running(pid, started):
                os.write(2, f"worker {os.getpid()}: the process that started it ({pid}) is gone; ending\n".encode())
                os._exit(1)

    threading.Thread(target=check, name="watch-parent", daemon=True).start()
