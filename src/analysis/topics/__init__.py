"""The terms-and-topics stage: what the corpus talks about.

- :mod:`~analysis.topics.terms`: frequencies, collocations, TF-IDF keywords, keyness, concordance, trends;
- :mod:`~analysis.topics.models`: :class:`TopicModel` (NMF/LDA, k chosen by coherence) and its tables.

Imports the core, the text and the corpus stages.
"""

from analysis._core.lazy import lazy_exports

_MODELS = ["TopicModel", "DEFAULT_K_RANGE", "resample_stability", "npmi_coherence", "topic_diversity", "topic_label",
           "document_topics", "dominant_topics", "representative_articles", "topic_prevalence", "topic_map",
           "topic_stability"]
_TERMS = ["term_frequencies", "frequency_table", "collocations", "merge_phrases", "tfidf_keywords", "keyness", "kwic",
          "term_trends", "stopword_set", "default_stopwords", "token_lists"]
__all__ = [*_MODELS, *_TERMS, "terms", "models"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {"models": _MODELS, "terms": _TERMS})
