"""The plots stage: charts of the analyses' tables, one submodule an analysis.

One contract, seaborn's: ``f(data, *, ..., ax=None) -> Axes`` draws ``data`` on ``ax`` (the axes of
a new figure when None); a chart of several panels (small multiples) returns its ``Figure``.
``plots.interactive`` draws the same tables with plotly (a ``plotly.graph_objects.Figure``).
``plots.style`` sets fonts and right-to-left conventions for Persian labels (matplotlib >= 3.11
shapes Persian itself: nothing is reshaped).

Imports the core and the analysis stages (text, corpus, patterns, topics, entities).
"""

from analysis._core.lazy import lazy_exports

__all__ = ["style", "overview", "patterns", "terms", "topics", "entities", "interactive"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {name: [] for name in __all__})
