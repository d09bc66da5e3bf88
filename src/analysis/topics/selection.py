"""Evidence for the number of topics a corpus has, beside coherence: held-out fit and distinctness.

:class:`analysis.topics.TopicModel` with ``k="auto"`` fits each candidate k on resamples of the
articles and records, per k: NPMI coherence (rewards sharp topics, and on real news keeps rising as
subjects split into ever more coherent stories), stability across resamples (do the same topics come
back?), the held-out fit (:func:`heldout_fit`: how much of the articles left out of the resample the
topics reconstruct; it keeps rising with k, but by less and less once topics only split) and
distinctness (:func:`topic_distinctness`: falls sharply when a topic splits into pieces that share
its vocabulary). :func:`choose_fine_k` takes the fine level from the curve; the coarse level (the
subjects) is found by merging those topics while they explain the same articles more than chance
(:mod:`analysis.topics.hierarchy`), which does not grow with the range of k scanned: more pieces
still fall into the same subjects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def heldout_fit(estimator, matrix, method: str = "nmf") -> float:
    """How well a fitted model reconstructs articles it was not fitted on.

    NMF: the share of the held-out matrix's squared Frobenius norm its reconstruction ``W H``
    explains (1 − ‖X − WH‖² / ‖X‖², W from ``estimator.transform``; 0 = nothing, 1 = all). LDA: the
    held-out log-likelihood per token (``estimator.score`` / tokens). NaN on an empty matrix.
    """
    if matrix.shape[0] == 0 or matrix.sum() == 0:
        return float("nan")
    if method == "lda":
        return float(estimator.score(matrix) / matrix.sum())
    weights = estimator.transform(matrix)
    components = estimator.components_
    # ‖X − WH‖² = ‖X‖² − 2 tr(Wᵀ X Hᵀ) + ‖WH‖², without making the dense reconstruction
    total = float(matrix.multiply(matrix).sum()) if hasattr(matrix, "multiply") else float((matrix**2).sum())
    cross = float(np.sum(weights * (matrix @ components.T)))
    square = float(np.sum((weights.T @ weights) * (components @ components.T)))
    return 1.0 - (total - 2 * cross + square) / total


def topic_distinctness(components: np.ndarray) -> float:
    """1 − the largest cosine similarity between the term weights of two topics (1 = no two topics
    share a term; a topic split in two pieces that share its vocabulary brings it down). 1 for a
    single topic."""
    components = np.asarray(components, dtype=float)
    if len(components) < 2:
        return 1.0
    unit = components / np.maximum(np.linalg.norm(components, axis=1, keepdims=True), 1e-12)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    return float(1.0 - similarity.max())


def choose_fine_k(curve: pd.DataFrame) -> int:
    """The fine level's k from a selection curve (``k``, ``npmi``, ``npmi_se``, ``stability``):
    the most coherent k among the stable ones, then the one-standard-error rule (the fewest topics
    whose NPMI is within one standard error of that best).

    Stable: stability at least the median stability of the candidates (topics that come back on
    other resamples; a k whose topics change from resample to resample is splitting arbitrarily).
    """
    if curve.empty:
        return 1
    stable = curve
    if curve["stability"].notna().any():
        stable = curve[curve["stability"].fillna(-np.inf) >= curve["stability"].median()]
    best = stable.loc[stable["npmi"].idxmax()]
    error = best["npmi_se"] if np.isfinite(best["npmi_se"]) else 0.0
    return int(stable.loc[stable["npmi"] >= best["npmi"] - error, "k"].min())
