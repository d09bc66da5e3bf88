"""Process pools for the loader and the text pipeline.

``worker_context(text=True)``: workers fork from a clean, single-threaded forkserver that has
imported the loader and loaded hazm's lexicons once (``analysis.corpus._worker``), so no worker pays
for them again. ``worker_context(text=False)``: plain spawned workers for jobs that never normalise
(the loader by default), which then carry neither the lexicons' memory nor their start-up time.
On platforms without forkserver (Windows) workers are always spawned.

``worker_pool(n, text=...)``: such a pool whose workers never import the caller's main module, so a
plain script without ``if __name__ == "__main__":``, ``python - <<EOF`` and notebooks all work
(``WorkerPool``); None, with a one-line notice, where no process may be started (``pool_refusal``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
import types
from concurrent.futures import ProcessPoolExecutor


def worker_context(text: bool = True):
    """The multiprocessing context to give ``ProcessPoolExecutor(mp_context=...)``."""
    if not text:
        return multiprocessing.get_context("spawn")
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # pragma: no cover - platforms without forkserver
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload(["analysis.corpus._worker"])
    return context


# --------------------------------------------------------------------------- pools safe in any script


@contextlib.contextmanager
def _main_hidden():
    """``sys.modules["__main__"]`` is a blank module meanwhile, so a process started now is not
    told to import the caller's main module (``multiprocessing.spawn.get_preparation_data``)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers never import the caller's main module.

    spawn and forkserver workers normally re-import ``__main__`` (the user's script) before they
    run anything, which breaks a plain script without ``if __name__ == "__main__":`` (the script
    runs again in every worker, which then starts a pool while bootstrapping: RuntimeError, and
    BrokenProcessPool in the parent) and ``python - <<EOF`` (the main "file" ``<stdin>`` cannot be
    imported). What the loader's workers run lives in ``analysis``, never in ``__main__``, so each
    worker is started while ``__main__`` is hidden (``_main_hidden``).
    """

    def _spawn_process(self):  # the one place a pool starts a process (submit, or a replacement)
        with _MAIN_LOCK, _main_hidden():
            super()._spawn_process()


_MAIN_LOCK = threading.Lock()


def pool_refusal() -> str | None:
    """Why this process cannot start worker processes (None when it can): it is itself a process
    being started (multiprocessing bootstrapping, e.g. an unguarded script imported by another
    library's worker) or a daemon process (which may not have children)."""
    current = multiprocessing.current_process()
    if getattr(current, "_inheriting", False):
        return "this process is being started by multiprocessing (its main module is being imported)"
    if current.daemon:
        return "this is a daemon process, which may not start processes"
    return None


_WARNED: set[str] = set()


def warn_once(message: str) -> None:
    """A one-line notice on stderr, once per process and message."""
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"analysis: {message}", file=sys.stderr)


def worker_pool(workers: int, *, text: bool = True, **options) -> WorkerPool | None:
    """A ``WorkerPool`` of ``workers`` processes (``worker_context(text)``; ``options`` such as
    ``initializer``/``initargs`` go to the pool), or None (after a one-line notice) when this process
    cannot start workers (``pool_refusal``): work in-process."""
    refusal = pool_refusal()
    if refusal is not None:
        warn_once(f"working in one process: {refusal}")
        return None
    return WorkerPool(max_workers=workers, mp_context=worker_context(text=text), **options)
