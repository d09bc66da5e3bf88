"""Preloaded by the loader's worker processes (forkserver): imports the loader and loads hazm's
lexicons once in the fork server, so every worker forked from it starts ready to normalise.

The lexicons (a few hundred MB of Python objects) are then frozen out of the garbage collector:
a worker's collections would otherwise walk them, writing to every object's header and so copying
every page the workers share with the server (memory and CPU, per worker)."""

import gc

from analysis.corpus import loader as _loader  # noqa: F401  (imported for the workers)

try:
    from analysis.text import load_lexicons as _load_lexicons

    _load_lexicons()
except ImportError:  # pragma: no cover - text module without the helper
    pass

gc.collect()
gc.freeze()
