"""Topics as a two-level hierarchy: fine topics (the stories) grouped into coarse topics (the subjects).

A topic model fitted with many topics splits a subject (sport) into its stories (the league, the
national team, wrestling). Pieces of one subject share the subject's vocabulary and are read in the
same articles, so they are alike in both their term weights and their document profiles; topics of
different subjects are not. :func:`topic_similarity` measures that likeness, :func:`group_topics`
clusters the fine topics (average linkage) and chooses how many groups the likeness supports: the
cut with the highest mean silhouette, kept only when the silhouette shows substantial structure
(> 0.25, Kaufman & Rousseeuw 1990, *Finding Groups in Data*, ch. 2); otherwise no two topics are
pieces of one subject and every fine topic is its own coarse topic. :func:`coarse_components` sums
the pieces into the coarse topics, so a coarse topic's share of an article is the sum of its pieces'
shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.metrics import silhouette_score

#: mean silhouette above which clusters are a "substantial structure" (Kaufman & Rousseeuw 1990:
#: 0.26-0.50 weak, 0.51-0.70 reasonable, above strong; at or below 0.25 no substantial structure)
SUBSTANTIAL_SILHOUETTE = 0.25


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=float)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def topic_similarity(components: np.ndarray, profiles: np.ndarray | None = None) -> np.ndarray:
    """How alike topics are, k × k in [0, 1]: the cosine similarity of their term weights
    (``components``, k × terms), averaged with the cosine similarity of their document profiles
    (``profiles``, documents × k topic shares) when given. The diagonal is 1."""
    terms = _unit_rows(components)
    similarity = terms @ terms.T
    if profiles is not None and len(profiles):
        docs = _unit_rows(np.asarray(profiles, dtype=float).T)
        similarity = (similarity + docs @ docs.T) / 2
    similarity = np.clip(similarity, 0.0, 1.0)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def topic_centroids(matrix, shares: np.ndarray) -> np.ndarray:
    """Each topic's articles, averaged: topics × terms, the document vectors (``matrix``, documents
    × terms) weighted by the topic's share of each (``shares``, documents × topics). Unlike a topic's
    own term weights, which NMF gives only the terms that set it apart, a centroid keeps the
    vocabulary its articles share with their subject's other stories."""
    return np.asarray((matrix.T @ np.asarray(shares, dtype=float)).T)


def _tree(similarity: np.ndarray):
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    return linkage(squareform((distance + distance.T) / 2, checks=False), method="average")


def group_topics(similarity: np.ndarray, n_groups: int | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """Group topics by their likeness (:func:`topic_similarity`), average linkage on 1 − similarity.

    With ``n_groups`` given the tree is cut into that many groups; otherwise into the number with the
    highest mean silhouette among 2 … k−1, provided it exceeds :data:`SUBSTANTIAL_SILHOUETTE` (else
    k groups: no topic is a piece of another's subject). Returns the group of each topic (0-based,
    numbered by first appearance) and the table of cuts tried: ``groups``, ``silhouette``,
    ``chosen``.
    """
    k = len(similarity)
    if k <= 2:
        groups = np.arange(k) if n_groups is None or n_groups >= k else np.zeros(k, dtype=int)
        table = pd.DataFrame({"groups": [len(set(groups))], "silhouette": [np.nan], "chosen": [True]})
        return groups, table
    tree = _tree(similarity)
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    rows = []
    for c in range(2, k):
        labels = fcluster(tree, c, criterion="maxclust")
        score = silhouette_score(distance, labels, metric="precomputed") if 1 < len(set(labels)) < k else np.nan
        rows.append((c, float(score)))
    table = pd.DataFrame(rows, columns=["groups", "silhouette"])
    if n_groups is None:
        best = table.loc[table["silhouette"].idxmax()] if table["silhouette"].notna().any() else None
        n_groups = int(best["groups"]) if best is not None and best["silhouette"] > SUBSTANTIAL_SILHOUETTE else k
    n_groups = max(1, min(int(n_groups), k))
    if n_groups == k:
        labels = np.arange(k)
    else:
        labels = fcluster(tree, n_groups, criterion="maxclust")
    groups = _renumber(labels)
    table = pd.concat([table, pd.DataFrame({"groups": [k], "silhouette": [np.nan]})], ignore_index=True)
    table["chosen"] = table["groups"] == n_groups
    return groups, table


def _renumber(labels) -> np.ndarray:
    order: dict[int, int] = {}
    for label in labels:
        order.setdefault(int(label), len(order))
    return np.array([order[int(label)] for label in labels], dtype=np.int64)


def coarse_components(components: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Term weights of the coarse topics: the sum of their pieces' rows (groups × terms)."""
    n = int(groups.max()) + 1 if len(groups) else 0
    out = np.zeros((n, components.shape[1]))
    np.add.at(out, groups, components)
    return out


def coarse_shares(fine_shares: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Documents × coarse topics: each coarse topic's share is the sum of its pieces' shares."""
    n = int(groups.max()) + 1 if len(groups) else 0
    out = np.zeros((fine_shares.shape[0], n))
    for g in range(n):
        out[:, g] = fine_shares[:, groups == g].sum(axis=1)
    return out
