"""Word clusters learned from unlabeled news, used as features by the entity recogniser.

``WordClusters(...).fit(token_lists)`` counts, for each frequent word, the words seen just left and
right of it (directional window), weighs the counts by positive pointwise mutual information (PPMI),
reduces them with truncated SVD and groups the word vectors with k-means at several granularities
(coarse to fine, like the prefixes of Brown-cluster paths). ``write(path)`` stores one word a line:
``word<TAB>cluster id at each granularity``; :func:`analysis.entities.ner.read_clusters` reads it back.

Command: ``python -m analysis learn-clusters CORPUS_FILES... [--method ppmi|fasttext]
[--labelled ANNOTATED_FILES...] [--iob-train IOB_FILES...] --out FILE`` (``fasttext``: FastText
vectors, :mod:`analysis.entities.ner.vectors`; JSON lists of records with ``title`` / ``abstract`` / ``paragraphs``, or plain-text articles; the
tokens of IOB training files can join them, minus the held-out fifth used for evaluation).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np


class WordClusters:
    """PPMI + SVD word vectors clustered with k-means.

    ``min_count``: words seen fewer times get no cluster; ``max_words``: cap on clustered words
    (most frequent first); ``n_contexts``: context words (most frequent) counted; ``window``: words on
    each side; ``n_components``: SVD dimensions; ``n_clusters``: k at each granularity.
    Learned state: ``words_`` (clustered words), ``labels_`` (array, one column a granularity).
    """

    def __init__(self, min_count=3, max_words=60_000, n_contexts=8_000, window=2, n_components=100,
                 n_clusters=(32, 128, 512, 1024), random_state=0):  # fmt: skip
        self.min_count = min_count
        self.max_words = max_words
        self.n_contexts = n_contexts
        self.window = window
        self.n_components = n_components
        self.n_clusters = n_clusters
        self.random_state = random_state

    def fit(self, token_lists) -> "WordClusters":
        """Learn clusters from an iterable of token lists (one a sentence or document)."""
        from scipy import sparse
        from sklearn.decomposition import TruncatedSVD
        from sklearn.preprocessing import normalize

        from analysis.entities.ner.features import fold

        docs = [[fold(t) for t in tokens] for tokens in token_lists]
        counts = Counter(t for doc in docs for t in doc)
        words = [w for w, c in counts.most_common(self.max_words) if c >= self.min_count]
        if len(words) < max(self.n_clusters):
            raise ValueError(f"only {len(words)} words seen {self.min_count}+ times; need more text")
        word_index = {w: i for i, w in enumerate(words)}
        context_index = {w: i for i, (w, _) in enumerate(counts.most_common(self.n_contexts))}
        n_ctx = len(context_index)
        rows, cols = [], []
        for doc in docs:
            ids = [word_index.get(t, -1) for t in doc]
            ctx = [context_index.get(t, -1) for t in doc]
            n = len(doc)
            for i, wid in enumerate(ids):
                if wid < 0:
                    continue
                for offset in range(1, self.window + 1):
                    if i - offset >= 0 and ctx[i - offset] >= 0:  # left context
                        rows.append(wid)
                        cols.append(ctx[i - offset] + (offset - 1) * 2 * n_ctx)
                    if i + offset < n and ctx[i + offset] >= 0:  # right context
                        rows.append(wid)
                        cols.append(ctx[i + offset] + ((offset - 1) * 2 + 1) * n_ctx)
        shape = (len(words), 2 * self.window * n_ctx)
        matrix = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=shape).tocsr()
        matrix.sum_duplicates()
        total = matrix.sum()
        row_sums = np.asarray(matrix.sum(axis=1)).ravel()
        col_sums = np.asarray(matrix.sum(axis=0)).ravel() ** 0.75  # context distribution smoothing
        col_sums = col_sums / col_sums.sum() * total
        coo = matrix.tocoo()
        pmi = np.log(coo.data * total / (row_sums[coo.row] * col_sums[coo.col] + 1e-12))
        keep = pmi > 0
        ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=shape)
        n_components = min(self.n_components, min(shape) - 1)
        vectors = TruncatedSVD(n_components, random_state=self.random_state).fit_transform(ppmi)
        vectors = normalize(vectors)
        self.words_ = words
        self.labels_ = cluster_labels(vectors, self.n_clusters, random_state=self.random_state)
        return self

    def write(self, path, header: str = "") -> Path:
        """Write ``word<TAB>ids...`` lines, after ``#`` comment lines from ``header``."""
        return write_clusters(path, self.words_, self.labels_, self.n_clusters, header)


def cluster_labels(vectors, n_clusters, *, random_state=0, n_init: int = 3, batch_size: int = 4096) -> np.ndarray:
    """One column of k-means cluster ids per granularity of ``n_clusters``, a row per vector."""
    from sklearn.cluster import MiniBatchKMeans

    labels = []
    for k in n_clusters:
        km = MiniBatchKMeans(n_clusters=k, random_state=random_state, n_init=n_init, batch_size=batch_size)
        labels.append(km.fit_predict(vectors))
    return np.column_stack(labels)


def write_clusters(path, words, labels, n_clusters, header: str = "") -> Path:
    """A word-cluster table: ``#`` comment lines from ``header``, then ``word<TAB>ids...`` lines."""
    path = Path(path)
    lines = [f"# {line}" for line in header.splitlines()]
    lines.append(f"# granularities (k): {' '.join(map(str, n_clusters))}")
    for word, ids in zip(words, labels):
        lines.append(word + "\t" + "\t".join(map(str, ids)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def corpus_texts(paths):
    """Texts of corpus files: JSON lists of records (title, abstract, paragraphs) or plain-text files."""
    for path in paths:
        path = Path(path)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".json":
                for record in json.loads(file.read_text(encoding="utf-8")):
                    parts = [record.get("title") or "", record.get("abstract") or ""]
                    parts += list(record.get("paragraphs") or [])
                    yield "\n".join(str(p) for p in parts)
            elif file.suffix == ".txt":
                yield file.read_text(encoding="utf-8", errors="replace")


def iob_training_tokens(paths) -> list[list[str]]:
    """Token lists of IOB files (read in order, tags ignored), minus the held-out fifth of
    :func:`analysis.entities.ner.holdout_split`, so sentences kept for evaluation stay unseen."""
    from analysis.entities.ner.iob import holdout_split, read_iob

    sentences = []
    for path in paths:
        sentences += read_iob(path)
    train, _ = holdout_split(sentences)
    return [tokens for tokens, _ in train]
