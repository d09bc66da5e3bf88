"""Charts: each function takes a tidy table from an analysis module and returns matplotlib objects.

One submodule an analysis (``plots.patterns``, ``plots.terms``, ``plots.topics``, ``plots.entities``,
``plots.overview``); ``plots.style`` sets fonts and right-to-left conventions for Persian labels.
"""
