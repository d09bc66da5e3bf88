"""Corpora of millions of articles on one machine or a Dask cluster, beside the in-memory pipeline.

- :mod:`~analysis.scale.dataset`: :func:`ingest_dataset`, a partitioned, resumable Parquet dataset
  written in bounded memory, and its readers;
- :mod:`~analysis.scale.engine`: the analyses part by part (:func:`run` over a :class:`Reduction`),
  locally or on Dask, with each part's result cached.

Imports the core and the stages before it (corpus, text, patterns, topics, entities).
"""

from analysis._core.lazy import lazy_exports

_DATASET = ["ingest_dataset", "IngestSummary", "is_dataset", "read_dataset", "iter_dataset", "dataset_size",
            "dask_articles", "read_rejects", "read_manifest", "to_articles_frame", "CHUNK_SIZE"]
_ENGINE = ["Reduction", "run", "rows", "counts", "sample_articles", "find_republications", "volume_reduction",
           "category_share_reduction", "term_frequencies_reduction", "entities_reduction",
           "topic_prevalence_reduction", "republication_reduction"]
__all__ = [*_DATASET, *_ENGINE, "dataset", "engine"]
__getattr__, __dir__ = lazy_exports(__name__, __all__, {"dataset": _DATASET, "engine": _ENGINE})
