"""The entities stage: people, organisations and places, and who said what.

- :mod:`~analysis.entities.ner`: the project's own recogniser (IOB reading, features, CRF, tagger, clusters);
- :mod:`~analysis.entities.mentions`: rules over the recogniser's tags (titles, roles, aliases);
- :mod:`~analysis.entities.tables`: :func:`entities` (one row a mention, with its canonical form),
  top entities, co-occurrence, timelines;
- :mod:`~analysis.entities.quotes`: statements and their speakers.

Imports the core, the text and the corpus stages.
"""

from analysis._core.lazy import lazy_exports

_TABLES = ["ENTITY_COLUMNS", "entities", "article_entities", "article_mentions", "canonical_form", "entity_key",
           "analyse", "consistent_spellings", "cooccurrence", "cooccurrence_graph", "top_entities", "entity_counts",
           "rank_entities", "entity_timeline", "empty_entities"]
_QUOTES = ["QUOTE_COLUMNS", "article_quotes", "speakers", "empty_quotes"]  # quotes(): analysis.entities.quotes.quotes
__all__ = [*_TABLES, *_QUOTES, "load_model", "ner", "mentions", "tables", "quotes"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {
    "tables": _TABLES, "quotes": _QUOTES, "ner.model": ["load_model"], "mentions": [], "ner": [],
})
