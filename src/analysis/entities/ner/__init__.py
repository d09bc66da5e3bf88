"""The project's own named-entity recogniser, trained here (no hub models).

- :mod:`~analysis.entities.ner.iob`: IOB reading and writing, entity chunks and entity-level scores;
- :mod:`~analysis.entities.ner.model`: :class:`CrfRecognizer`, :func:`load_model`;
- :mod:`~analysis.entities.ner.features`: the features of a token (word shape, affixes, gazetteers, clusters);
- :mod:`~analysis.entities.ner.tagger`: :class:`FastTagger`, the model's Viterbi decoding in numpy;
- :mod:`~analysis.entities.ner.clusters`: :class:`WordClusters` learned from unlabeled news (PPMI + SVD + k-means);
- :mod:`~analysis.entities.ner.vectors`: :class:`FastTextClusters`, the same from gensim FastText vectors.

The shipped model (``data/models/news-crf``) is trained on ArmanPersoNERCorpus (Poostchi et al., COLING 2016,
LREC 2018) and PEYMA (Shahshahani et al., 2018); see ``data/models/MODEL_CARD.md``.
"""

from analysis._core.lazy import lazy_exports

_IOB = ["ENTITY_TYPES", "IOBError", "normalize_tag", "read_iob", "write_iob", "entity_chunks", "evaluate",
        "holdout_split", "read_peyma", "read_annotated", "detect_format", "restrict_types", "PEYMA_EXTRA_TYPES"]
_MODEL = ["DEFAULT_MODEL", "DEFAULT_CLUSTERS", "BASELINE_GROUPS", "read_clusters", "CrfRecognizer", "load_model",
          "format_scores", "COMBINE_STRATEGIES", "PEYMA_MISSING_TYPES", "hidden_entities", "combine_corpora"]
_FEATURES = ["FEATURE_GROUPS", "NerFeaturizer", "Gazetteer", "default_gazetteer", "learn_dictionary", "fold"]
_CLUSTERS = ["WordClusters", "corpus_texts", "iob_training_tokens"]
_TAGGER = ["FastTagger", "WeightTable", "viterbi"]
_VECTORS = ["FastTextClusters"]
__all__ = [*_IOB, *_MODEL, *_FEATURES, *_CLUSTERS, *_TAGGER, *_VECTORS, "iob", "model", "features", "clusters",
           "tagger", "vectors"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {
    "iob": _IOB, "model": _MODEL, "features": _FEATURES, "clusters": _CLUSTERS, "tagger": _TAGGER, "vectors": _VECTORS,
})
