"""The project's own named-entity recogniser, trained here (no hub models).

- :mod:`~analysis.entities.ner.iob`: IOB reading and writing, entity chunks and entity-level scores;
- :mod:`~analysis.entities.ner.model`: :class:`CrfRecognizer`, :func:`load_model`;
- :mod:`~analysis.entities.ner.features`: the features of a token (word shape, affixes, gazetteers, clusters);
- :mod:`~analysis.entities.ner.tagger`: :class:`FastTagger`, the model's Viterbi decoding in numpy;
- :mod:`~analysis.entities.ner.clusters`: :class:`WordClusters` learned from unlabeled news.
"""

from analysis._core.lazy import lazy_exports

_IOB = ["ENTITY_TYPES", "IOBError", "normalize_tag", "read_iob", "write_iob", "entity_chunks", "evaluate",
        "holdout_split"]
_MODEL = ["DEFAULT_MODEL", "DEFAULT_CLUSTERS", "BASELINE_GROUPS", "read_clusters", "CrfRecognizer", "load_model",
          "format_scores"]
_FEATURES = ["FEATURE_GROUPS", "NerFeaturizer", "Gazetteer", "default_gazetteer", "learn_dictionary", "fold"]
_CLUSTERS = ["WordClusters", "corpus_texts", "iob_training_tokens"]
_TAGGER = ["FastTagger", "WeightTable", "viterbi"]
__all__ = [*_IOB, *_MODEL, *_FEATURES, *_CLUSTERS, *_TAGGER, "iob", "model", "features", "clusters", "tagger"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {
    "iob": _IOB, "model": _MODEL, "features": _FEATURES, "clusters": _CLUSTERS, "tagger": _TAGGER,
})
