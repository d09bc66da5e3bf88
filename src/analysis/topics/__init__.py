"""The terms-and-topics stage: what the corpus talks about.

- :mod:`~analysis.topics.terms`: frequencies, collocations, TF-IDF keywords, keyness, concordance, trends;
- :mod:`~analysis.topics.models`: :class:`TopicModel` (NMF/LDA, k chosen automatically, topics at a coarse
  and a fine level) and its tables;
- :mod:`~analysis.topics.selection`: the evidence k is chosen by (stability, held-out fit, distinctness);
- :mod:`~analysis.topics.hierarchy`: fine topics grouped into coarse subjects (merged while they explain the
  same articles more than chance).

Imports the core, the text and the corpus stages.
"""

from analysis._core.lazy import lazy_exports

_MODELS = ["TopicModel", "DEFAULT_K_RANGE", "resample_stability", "npmi_coherence", "topic_diversity", "topic_label",
           "term_relevance",
           "document_topics", "dominant_topics", "representative_articles", "topic_prevalence", "topic_map",
           "topic_stability", "topic_tree", "topic_summary"]
_TERMS = ["term_frequencies", "frequency_table", "collocations", "merge_phrases", "tfidf_keywords", "keyness", "kwic",
          "term_trends", "stopword_set", "default_stopwords", "token_lists"]
_SELECTION = ["heldout_fit", "topic_distinctness", "choose_fine_k"]
_HIERARCHY = ["topic_affinity", "topic_cooccurrence", "group_by_cooccurrence", "topic_similarity", "topic_centroids",
              "group_topics", "coarse_components", "coarse_shares"]
__all__ = [*_MODELS, *_TERMS, *_SELECTION, *_HIERARCHY, "terms", "models", "selection", "hierarchy"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {"models": _MODELS, "terms": _TERMS, "selection": _SELECTION,
                                                       "hierarchy": _HIERARCHY})
