"""Process pools for the loader and the text pipeline.

``worker_context(text=True)``: workers fork from a clean, single-threaded forkserver that has
imported the loader and loaded hazm's lexicons once (``analysis.corpus._worker``), so no worker pays
for them again. ``worker_context(text=False)``: plain spawned workers for jobs that never normalise
(the loader by default), which then carry neither the lexicons' memory nor their start-up time.
On platforms without forkserver (Windows) workers are always spawned.
"""

from __future__ import annotations

import multiprocessing


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
