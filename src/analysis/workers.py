"""Process pools for the text-heavy jobs (loading, tokenising): workers start ready to normalise.

Workers fork from a clean, single-threaded forkserver that has imported the loader and loaded
hazm's lexicons once (``analysis._corpus_worker``), so no worker pays for them again; on platforms
without forkserver (Windows) they are spawned.
"""

from __future__ import annotations

import multiprocessing


def worker_context():
    """The multiprocessing context to give ``ProcessPoolExecutor(mp_context=...)``."""
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # pragma: no cover - platforms without forkserver
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload(["analysis._corpus_worker"])
    return context
