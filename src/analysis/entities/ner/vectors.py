"""Word clusters from FastText vectors (subword information) learned on unlabeled text.

``FastTextClusters(...).fit(token_lists)`` trains gensim's FastText (skip-gram with character
n-grams, CPU, seeded) on tokenised sentences, then groups the word vectors with k-means at several
granularities (coarse to fine). Because FastText builds a vector for any word from its n-grams,
``extra_words`` (for example every word of a labelled training corpus, however rare) get clusters
too. ``write(path)`` stores the same ``word<TAB>id<TAB>id...`` table as
:class:`analysis.entities.ner.clusters.WordClusters`; only this table is kept, never the vectors.

Command: ``python -m analysis learn-clusters CORPUS... --method fasttext --out FILE``. In the
project's cross-validation (``bench/results/ner_cv.md``) these clusters scored below the PPMI ones of
:mod:`analysis.entities.ner.clusters`, which the shipped model uses.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from analysis.entities.ner.clusters import cluster_labels, write_clusters


class FastTextClusters:
    """FastText word vectors clustered with k-means.

    ``vector_size``/``window``/``epochs``/``min_n``/``max_n``: FastText settings; ``min_count``: words
    seen fewer times are not trained as words (their n-grams still are); ``max_words``: cap on the
    clustered words (most frequent first, plus ``extra_words``); ``n_clusters``: k at each
    granularity; ``n_init``: k-means restarts (the slow part at large k); ``workers``: FastText
    threads (1 keeps it reproducible with ``random_state``).
    Learned state: ``words_``, ``labels_`` (array, one column a granularity).
    """

    def __init__(self, vector_size=100, window=5, epochs=10, min_count=2, min_n=2, max_n=5, max_words=120_000,
                 n_clusters=(32, 128, 512, 2048), n_init=3, workers=1, random_state=0):  # fmt: skip
        self.vector_size = vector_size
        self.window = window
        self.epochs = epochs
        self.min_count = min_count
        self.min_n = min_n
        self.max_n = max_n
        self.max_words = max_words
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.workers = workers
        self.random_state = random_state

    def fit(self, token_lists, extra_words=(), progress: bool = False) -> "FastTextClusters":
        """Learn vectors from token lists (one a sentence), then cluster the frequent words and ``extra_words``."""
        try:
            from gensim.models import FastText
        except ImportError as exc:  # pragma: no cover - gensim is a dependency
            raise ImportError("gensim is needed for FastText word vectors (pip install gensim)") from exc
        from sklearn.preprocessing import normalize

        from analysis.entities.ner.features import fold

        docs = [[fold(t) for t in tokens] for tokens in token_lists]
        docs = [d for d in docs if d]
        counts = Counter(t for doc in docs for t in doc)
        words = [w for w, c in counts.most_common(self.max_words) if c >= self.min_count]
        seen = set(words)
        words += [w for w in dict.fromkeys(fold(t) for t in extra_words) if w and w not in seen]
        if len(words) < max(self.n_clusters):
            raise ValueError(f"only {len(words)} words to cluster; need at least {max(self.n_clusters)} (more text)")
        model = FastText(vector_size=self.vector_size, window=self.window, min_count=self.min_count,
                         min_n=self.min_n, max_n=self.max_n, sg=1, workers=self.workers,
                         seed=self.random_state + 1)  # fmt: skip
        model.build_vocab(corpus_iterable=docs)
        model.train(corpus_iterable=docs, total_examples=len(docs), epochs=self.epochs)
        vectors = normalize(np.vstack([model.wv[w] for w in words]))
        self.words_ = words
        self.labels_ = cluster_labels(vectors, self.n_clusters, random_state=self.random_state, n_init=self.n_init,
                                      batch_size=8192)
        return self

    def write(self, path, header: str = "") -> Path:
        """Write ``word<TAB>ids...`` lines, after ``#`` comment lines from ``header``."""
        return write_clusters(path, self.words_, self.labels_, self.n_clusters, header)
