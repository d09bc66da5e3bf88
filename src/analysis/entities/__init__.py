"""The entities stage: people, organisations and places, and who said what.

- :mod:`~analysis.entities.ner`: the project's own recogniser (IOB reading, features, CRF, tagger, clusters);
- :mod:`~analysis.entities.mentions`: rules over the recogniser's tags (titles, roles, aliases);
- :mod:`~analysis.entities.resolution`: one row per real-world entity: spelling-blind keys, aliases,
  one type per entity, bylines and datelines as sources, what is no entity (adjectives of nationality);
- :mod:`~analysis.entities.tables`: :func:`entities` (one row a mention, with its canonical form and
  role), top entities, co-occurrence, timelines;
- :mod:`~analysis.entities.quotes`: statements and their speakers.

Imports the core, the text and the corpus stages.
"""

from analysis._core.lazy import lazy_exports

_TABLES = ["ENTITY_COLUMNS", "entities", "article_entities", "article_mentions", "canonical_form", "entity_key",
           "analyse", "consistent_spellings", "cooccurrence", "cooccurrence_graph", "top_entities", "entity_counts",
           "rank_entities", "entity_timeline", "empty_entities", "content_mentions", "source_mentions", "SOURCE", "person_canonicals",
           "SpellingStats", "spelling_stats", "combine_spelling_stats", "timeline_grid"]
_RESOLUTION = ["resolution_key", "entity_aliases", "resolve_types", "mention_roles", "is_entity", "publishers",
               "type_votes", "decide_types", "source_counts",
               "nationality_adjectives", "place_adjectives"]
_QUOTES = ["QUOTE_COLUMNS", "article_quotes", "speakers", "empty_quotes"]  # quotes(): analysis.entities.quotes.quotes
__all__ = [*_TABLES, *_RESOLUTION, *_QUOTES, "load_model", "ner", "mentions", "resolution", "tables", "quotes"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {
    "tables": _TABLES, "resolution": _RESOLUTION, "quotes": _QUOTES, "ner.model": ["load_model"], "mentions": [], "ner": [],
})
