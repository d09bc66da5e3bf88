"""Topics as a two-level hierarchy: fine topics (the stories) grouped into coarse topics (the subjects).

A topic model fitted with many topics splits a subject (sport) into its stories (the league, the
national team, wrestling). Pieces of one subject share the subject's vocabulary, so an article of
one of them is also explained in part by its siblings and hardly by another subject's topics. The
rule the model uses measures exactly that, against chance:

1. :func:`topic_affinity`: how much of each article each topic alone explains, the squared cosine
   between the article's vector and the topic's term weights (= 1 − the residual of the best fit of
   the article by that one topic, relative to the article's squared norm; the squared error NMF
   minimises), documents × topics, one pass over the articles;
2. :func:`topic_cooccurrence`: for two topics (or groups) with affinities ``a`` and ``b`` over the
   articles, PMI = log(mean(a·b) / (mean(a)·mean(b))): > 0 when the articles one explains are also
   explained by the other more than if they were independent, < 0 when they explain different
   articles;
3. :func:`group_by_cooccurrence`: the pair with the highest PMI is merged (a group's affinity is the
   sum of its members'), again and again; the coarse level is the grouping before the first merge
   whose PMI is not above 0.

The threshold is the independence point, not a tuned value. Splitting a subject into more pieces only
adds pieces that explain the same articles, so the number of groups does not grow with the number of
fine topics (nor with the range of k scanned), and distinct topics with no pieces (every PMI < 0) are
not merged. Everything after step 1 works on k × k matrices. Limit: inside a subject covering a
share P of the articles a pair's PMI is bounded by about −log P, so the pieces of a subject that
covers much of the corpus are merged less readily than those of a smaller one.

:func:`topic_similarity` and :func:`group_topics` (likeness of term weights or centroids, average
linkage, cut at the best silhouette) are kept as a tool to group topics by vocabulary alone; on news
their silhouette rarely reaches a substantial structure (0.19–0.25 on Fars), so the model no longer
uses them. :func:`coarse_components` and :func:`coarse_shares` sum the pieces into the coarse topics,
so a coarse topic's share of an article is the sum of its pieces' shares.
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


def topic_affinity(matrix, components: np.ndarray) -> np.ndarray:
    """How much of each article each topic alone explains, documents × topics in [0, 1]: the squared
    cosine between the article's row of ``matrix`` (documents × terms, sparse or dense) and the
    topic's row of ``components`` (topics × terms). 0 for an empty article."""
    unit = _unit_rows(components)
    dots = np.asarray(matrix @ unit.T, dtype=float)
    if hasattr(matrix, "multiply"):
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=float)).ravel()
    else:
        norms = np.linalg.norm(np.asarray(matrix, dtype=float), axis=1)
    cosine = np.divide(dots, norms[:, None], out=np.zeros_like(dots), where=norms[:, None] > 0)
    return np.clip(cosine, 0.0, 1.0) ** 2


def topic_cooccurrence(shares: np.ndarray) -> np.ndarray:
    """PMI of each pair of topics over the articles (``shares``: documents × topics of non-negative
    weights, e.g. :func:`topic_affinity`; all-zero rows ignored): log(mean(a·b) / (mean(a)·mean(b))),
    k × k; > 0 = they weigh on the same articles more than independent topics would, < 0 = less,
    −inf = never together. The diagonal is the topic's own."""
    shares = np.asarray(shares, dtype=float)
    shares = shares[shares.sum(axis=1) > 0]
    return _pmi(shares.T @ shares, shares.sum(axis=0), max(len(shares), 1))


def _pmi(joint: np.ndarray, total: np.ndarray, n: int) -> np.ndarray:
    expected = np.outer(total, total) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, np.log(np.maximum(joint, 0) / expected), -np.inf)


def group_by_cooccurrence(shares: np.ndarray, n_groups: int | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """Group topics that weigh on the same articles (``shares``: documents × topics, non-negative;
    the model passes :func:`topic_affinity`).

    Agglomerative: the pair of groups with the highest PMI (:func:`topic_cooccurrence`, a group's
    shares the sum of its members') is merged, again and again, down to one group. Without
    ``n_groups`` the grouping kept is the one before the first merge whose PMI is not above 0 (no two
    groups share articles more than chance); with it, the one with that many groups. Returns the group
    of each topic (0-based, numbered by first appearance) and the table of merges: ``groups`` (the
    number of groups after the merge; the first row, k, before any), ``pmi`` (of the pair merged to
    reach it, NaN for k) and ``chosen``.
    """
    shares = np.asarray(shares, dtype=float)
    k = shares.shape[1]
    shares = shares[shares.sum(axis=1) > 0]
    n = max(len(shares), 1)
    joint, total = shares.T @ shares, shares.sum(axis=0)
    members = [[t] for t in range(k)]
    rows = [(k, np.nan)]
    kept = [list(group) for group in members] if n_groups is None or n_groups >= k else None
    while len(members) > 1:
        pmi = _pmi(joint, total, n)
        np.fill_diagonal(pmi, -np.inf)
        i, j = sorted(np.unravel_index(int(np.argmax(pmi)), pmi.shape))
        best = float(pmi[i, j])
        # merge j into i: shares add, so do their rows and columns of the joint matrix
        members[i] += members.pop(j)
        joint[i, :] += joint[j, :]
        joint[:, i] += joint[:, j]
        joint = np.delete(np.delete(joint, j, axis=0), j, axis=1)
        total[i] += total[j]
        total = np.delete(total, j)
        rows.append((len(members), best))
        if n_groups is None:
            if best > 0 and all(r[1] > 0 for r in rows[1:]):
                kept = [list(group) for group in members]
        elif len(members) == n_groups:
            kept = [list(group) for group in members]
    labels = np.zeros(k, dtype=np.int64)
    for g, group in enumerate(kept if kept is not None else members):
        labels[group] = g
    table = pd.DataFrame(rows, columns=["groups", "pmi"])
    table["chosen"] = table["groups"] == len(kept if kept is not None else members)
    return _renumber(labels), table


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
