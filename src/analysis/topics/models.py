"""Topic models over the articles table: NMF on TF-IDF or LDA on counts, k chosen by coherence.

``TopicModel`` is a scikit-learn style estimator: explicit parameters, nothing done in ``__init__``,
``fit(articles)`` learns (state ending in ``_``), ``transform(articles)`` gives each article's topic
shares. Its vocabulary is the corpus' content words — nouns, adjectives and names by hazm's lexicon,
plurals counted as their lemma, stopwords and news boilerplate removed, pruned by document
frequency — plus the multiword phrases found by :func:`analysis.topics.terms.collocations`, so «مقام معظم
رهبری» is one term. Republished copies are fitted once. With ``k="auto"`` the number of topics is
chosen by the coherence of its topics on the corpus itself (mean NPMI of each topic's top terms,
Bouma 2009 / Lau et al. 2014) averaged over resamples, taking the smallest k within one standard
error of the best; the curve is kept in ``coherence_``, with the stability of each k (do topics fitted
on different resamples match?) beside it. ``fit_vocabulary`` + ``partial_fit`` fit a corpus too large for memory chunk by chunk.

The functions below take a fitted model and the articles table and return tidy tables: the
document-topic table, representative articles, the two levels linked (:func:`topic_tree`), what each
topic is (:func:`topic_summary`: terms, phrases, articles), prevalence over time/site/category, a
2-D topic map and stability across seeds.

With ``k="auto"`` the topics come in two linked levels: the fine topics (the stories; ``fine_k_``
chosen by coherence among the stable k, :func:`analysis.topics.selection.choose_fine_k`) and the
coarse topics (the subjects; ``k_``): fine topics merged while they explain the same articles more
than chance (PMI of the articles' squared cosines to the topics > 0, merged pair by pair; see
:mod:`analysis.topics.hierarchy`, the merges in ``grouping_``). ``k_``, ``labels_``,
``components_``, ``transform``, ``dominant_topics`` and ``document_topics`` are the coarse level
unless ``level="fine"`` is asked for.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator
from sklearn.decomposition import NMF, LatentDirichletAllocation, MiniBatchNMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from threadpoolctl import threadpool_limits

from analysis._core.progress import progress_bar
from analysis.topics.hierarchy import coarse_components, coarse_shares, group_by_cooccurrence, topic_affinity
from analysis.topics.selection import choose_fine_k, heldout_fit, topic_distinctness
from analysis.topics.terms import (
    collocations,
    mark_stopword_phrases,
    merge_with_index,
    period_labels,
    phrase_index,
    stopword_set,
    token_lists,
    TopicWords,
)

#: candidate numbers of topics tried by ``k="auto"``
DEFAULT_K_RANGE = tuple(range(4, 21))


def _identity(doc):
    return doc


@contextmanager
def _quiet_blas():
    """One BLAS thread (the matrices are small and skinny, and threads only fight on a busy machine),
    and no warning for the rounding error scikit-learn's NMF reports as "invalid value in sqrt"."""
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "invalid value encountered in sqrt", RuntimeWarning)
        yield


class TopicModel(BaseEstimator):
    """Topics of a corpus of articles.

    Parameters
    ----------
    method : "nmf" (NMF on sublinear TF-IDF; sharp topics, fast) or "lda" (LDA on counts).
    k : number of topics, or "auto" to choose it from ``k_range`` by coherence.
    k_range : candidates for ``k="auto"`` (capped at the number of articles and terms).
    top_n : top terms per topic used for labels and coherence.
    phrases : add collocation phrases (2–3 words) to the vocabulary.
    max_phrases : at most this many phrases (the strongest by log-likelihood).
    content_words : keep only nouns, adjectives and names (verbs, numbers and function words left
        out with hazm's lexicon, see :class:`analysis.topics.terms.TopicWords`).
    lemmas : count a plural or suffixed noun as its lemma («کتاب‌های» as «کتاب»).
    drop_duplicates : fit on one copy of each article (rows marked in ``duplicate_of`` and rows with
        the same tokens as an earlier one are left out of the fit); every article is still transformed.
    min_df, max_df : document-frequency pruning (count / fraction, as in scikit-learn); relaxed
        automatically on corpora too small for them.
    max_features : vocabulary size cap (most frequent terms kept).
    selection_sample : at most this many articles are used to compare candidate k (and to find
        phrases); the final model is fitted on all of them.
    hierarchy : with ``k="auto"``, group the fine topics into coarse ones
        (:mod:`analysis.topics.hierarchy`); False: one level.
    column : token column (added with :func:`analysis.text.add_tokens` when missing).
    stopwords : words left out (default: the text pipeline's stopwords incl. news boilerplate).
    max_iter, random_state : passed to the scikit-learn model.

    Learned: ``k_``, ``phrases_``, ``vocabulary_`` (term -> column), ``terms_`` (column -> term),
    ``components_`` (k × terms), ``topic_terms_`` (tidy top terms), ``labels_``, ``prevalence_``
    (mean topic share over the fitted articles), ``coherence_`` (one row a candidate k tried:
    ``npmi`` and its standard error ``npmi_se`` over resamples, ``diversity`` — the share of distinct
    top terms —, ``stability`` — how alike the topics fitted on different resamples are, see
    :func:`resample_stability` —, ``heldout`` and ``distinctness`` — see
    :mod:`analysis.topics.selection` —, ``chosen``: the fine k), ``topic_coherence_`` (NPMI of each topic kept), ``n_fitted_`` (articles the topics were fitted
    on, duplicates left out), ``estimator_`` (fitted with the fine topics). The two levels: ``k_``,
    ``components_``, ``labels_``, ``topic_terms_``, ``prevalence_`` are the coarse topics (the
    subjects); ``fine_k_``, ``fine_components_``, ``fine_labels_``, ``fine_topic_terms_``,
    ``fine_prevalence_``, ``fine_topic_coherence_`` the fine ones (the stories); ``parent_`` the coarse
    topic of each fine one; ``grouping_`` the merges of the fine topics (``groups``, ``pmi``, ``chosen``; see :func:`analysis.topics.hierarchy.group_by_cooccurrence`).
    With a fixed ``k`` or ``hierarchy=False`` the two levels are the same topics.

    ``fit`` learns everything from one table in memory. For corpora that do not fit in memory,
    :meth:`fit_vocabulary` on a sample and then :meth:`partial_fit` chunk by chunk.
    """

    def __init__(
        self,
        method: str = "nmf",
        k: int | str = "auto",
        *,
        k_range: Sequence[int] = DEFAULT_K_RANGE,
        top_n: int = 10,
        phrases: bool = True,
        max_phrases: int = 2000,
        content_words: bool = True,
        lemmas: bool = True,
        drop_duplicates: bool = True,
        min_df: int | float = 2,
        max_df: float = 0.4,
        max_features: int | None = 30000,
        selection_sample: int = 5000,
        selection_repeats: int = 3,
        hierarchy: bool = True,
        column: str = "tokens",
        stopwords: Iterable[str] | None = None,
        max_iter: int = 400,
        random_state: int | None = 0,
    ):
        self.method = method
        self.k = k
        self.k_range = k_range
        self.top_n = top_n
        self.phrases = phrases
        self.max_phrases = max_phrases
        self.content_words = content_words
        self.lemmas = lemmas
        self.drop_duplicates = drop_duplicates
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.selection_sample = selection_sample
        self.selection_repeats = selection_repeats
        self.hierarchy = hierarchy
        self.column = column
        self.stopwords = stopwords
        self.max_iter = max_iter
        self.random_state = random_state

    # -- fitting -------------------------------------------------------------------------------

    def fit(self, articles: pd.DataFrame, y=None) -> TopicModel:
        """Learn vocabulary, phrases, the number of topics (if "auto") and the topics."""
        self._check_params()
        with _quiet_blas():
            matrix, sample = self._learn_vocabulary(articles)
            if matrix is None:
                return self._without_topics()
            self.estimator_ = self._estimator(self.fine_k_).fit(matrix)
            shares = self._fine_shares(matrix)
            self._reset_counts()
            self._count_terms(matrix, shares)
            self._finish_topics(matrix)
        self.fine_prevalence_ = shares.mean(axis=0)
        self.prevalence_ = coarse_shares(shares, self.parent_).mean(axis=0)
        return self

    def fit_vocabulary(self, articles: pd.DataFrame) -> TopicModel:
        """Learn what :meth:`partial_fit` needs before the first chunk, from a sample of the corpus:
        phrases, vocabulary, TF-IDF weights and (with ``k="auto"``) the number of topics ``k_``.

        A few thousand articles drawn at random from the whole corpus are enough (the vocabulary is
        fixed from here on: a term unseen in the sample is never counted). Returns the model; the
        topics themselves are learned by :meth:`partial_fit` (or by ``fit``, which redoes all).
        """
        self._check_params()
        with _quiet_blas():
            matrix, _ = self._learn_vocabulary(articles)
        if matrix is None:
            return self._without_topics()
        self.estimator_ = None
        self._reset_counts()
        return self

    def partial_fit(self, articles: pd.DataFrame, y=None) -> TopicModel:
        """Update the topics with one chunk of articles (out-of-core fitting of a large corpus).

        Call :meth:`fit_vocabulary` on a sample of the whole corpus first (otherwise the first chunk
        is used as that sample), then ``partial_fit(chunk)`` for each chunk, e.g. each part of a
        Parquet dataset; pass over the chunks again for a closer fit. NMF is scikit-learn's
        ``MiniBatchNMF`` (one mini-batch a chunk), LDA its online variational Bayes. After each call
        the model is usable (``transform``, ``labels_``, ...); ``prevalence_`` is the mean topic
        share over all chunks seen and ``n_fitted_`` their number of articles (duplicates left out).
        """
        if not hasattr(self, "vocabulary_") or getattr(self, "_vectorizer", None) is None:
            if getattr(self, "k_", None) == 0:  # the vocabulary sample had nothing to model
                return self
            self.fit_vocabulary(articles)
            if self.k_ == 0:
                return self
        if self.estimator_ is not None and not hasattr(self.estimator_, "partial_fit"):
            raise ValueError("partial_fit cannot continue an NMF model fitted with fit(); start with "
                             "fit_vocabulary(sample) and then partial_fit(chunk) for each chunk")
        tokens = token_lists(articles, self.column).tolist()
        docs = [self._terms(mark_stopword_phrases(tokens[i], self._stop)) for i in self._fit_rows(articles, tokens)]
        if not docs:
            return self
        matrix = self._weigh(self._vectorizer.transform(docs), fit=False)
        with _quiet_blas():
            if self.estimator_ is None:
                self.estimator_ = self._online_estimator(self.fine_k_, matrix.shape[0])
            self.estimator_.partial_fit(matrix)
            shares = self._fine_shares(matrix)
            self._count_terms(matrix, shares)
            self._finish_topics(matrix)
        self.fine_prevalence_ = self._share_sum / max(self.n_fitted_, 1)
        self.prevalence_ = coarse_shares(self.fine_prevalence_[None, :], self.parent_)[0]
        return self

    def _learn_vocabulary(self, articles: pd.DataFrame):
        """Phrases, vocabulary, weights and ``k_`` from the articles. Returns the weighted matrix of
        the articles fitted on (duplicates left out) and the row numbers of the selection sample, or
        ``(None, None)`` when nothing is left to model."""
        stop = stopword_set(self.stopwords)
        self._stop = stop
        tokens = [mark_stopword_phrases(t, stop) for t in token_lists(articles, self.column)]
        tokens = [tokens[i] for i in self._fit_rows(articles, tokens)]
        rng = np.random.default_rng(self.random_state)
        sample = np.sort(rng.permutation(len(tokens))[: self.selection_sample])

        self.phrases_ = self._learn_phrases([tokens[i] for i in sample], stop) if self.phrases else []
        self._phrase_index = phrase_index(self.phrases_)
        self._words = TopicWords(stop, lexical=self.content_words, lemmas=self.lemmas)
        docs = [self._terms(t) for t in progress_bar(tokens, desc="topic vocabulary", leave=False)]
        try:
            counts = self._fit_vectorizer(docs)
        except ValueError as error:  # nothing to model: a model without topics, every table empty
            warnings.warn(f"TopicModel: {error}; the model has no topics", stacklevel=4)
            return None, None
        matrix = self._weigh(counts, fit=True)
        # the corpus the coherence of topics is measured on (document co-occurrence of terms)
        self._reference = (counts[sample] > 0).astype(np.float64).tocsc()
        limit = min(counts.shape[1], int((counts.getnnz(axis=1) > 0).sum()))
        if self.k == "auto":
            self.fine_k_, self.coherence_ = self._choose_k(matrix[sample], limit)
            self.k_, self.grouping_ = self._choose_groups(matrix[sample])
        else:
            self.k_ = self.fine_k_ = max(1, min(int(self.k), limit))
            self.coherence_ = None
            self.grouping_ = pd.DataFrame({"groups": [self.k_], "pmi": [np.nan], "chosen": [True]})
        self._n_groups = self.k_
        return matrix, sample

    def _choose_groups(self, matrix) -> tuple[int, pd.DataFrame]:
        """How many coarse topics (subjects) the fine topics fall into: the fine model fitted on the
        selection sample, its topics merged while they explain the same articles more than chance
        (:func:`analysis.topics.hierarchy.topic_affinity`, :func:`~analysis.topics.hierarchy.group_by_cooccurrence`). Returns the number and the table of
        merges (``groups``, ``pmi``, ``chosen``)."""
        if not self.hierarchy or self.fine_k_ <= 1:
            return self.fine_k_, pd.DataFrame({"groups": [self.fine_k_], "pmi": [np.nan], "chosen": [True]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            estimator = self._estimator(self.fine_k_).fit(matrix)
        groups, table = group_by_cooccurrence(topic_affinity(matrix, estimator.components_))
        return int(groups.max()) + 1, table

    def _fit_rows(self, articles: pd.DataFrame, tokens: list[list[str]]) -> np.ndarray:
        """Row numbers the topics are fitted on, in a fixed order (by ``doc_id`` when there is one, so
        the same articles in another row order give the same model), duplicates left out."""
        n = len(tokens)
        order = np.arange(n)
        if "doc_id" in articles and n:
            order = np.argsort(articles["doc_id"].astype(str).to_numpy(), kind="stable")
        if not self.drop_duplicates:
            return order
        copy = np.zeros(n, dtype=bool)
        if "duplicate_of" in articles:
            marked = articles["duplicate_of"]
            copy = (marked.notna() & (marked.astype(str).str.len() > 0)).to_numpy(dtype=bool)
        seen: set[int] = set()
        keep = []
        for i in order:
            if copy[i]:
                continue
            key = hash(tuple(tokens[i]))
            if key in seen and tokens[i]:
                continue
            seen.add(key)
            keep.append(i)
        return np.array(keep, dtype=np.int64) if keep else order

    def _choose_k(self, matrix, limit: int) -> tuple[int, pd.DataFrame]:
        """Choose the number of topics by evidence from the corpus itself.

        Each candidate k is fitted ``selection_repeats`` times, on random 80% resamples of the
        articles (the same resamples for every k), and scored by the mean NPMI coherence of each
        topic's top terms, measured on all the sample's articles; a k's score is the mean over the
        resamples, with its standard error. Candidates are searched coarse to fine (every second one,
        then the neighbours of the best until the best stays). The choice is the smallest k whose
        NPMI is within one standard error of the best (the one-standard-error rule: where the curve
        is flat, fewer topics). Topic diversity and stability (do the resamples find the same
        topics?), the held-out fit (how much of the articles left out of a resample the topics
        reconstruct) and distinctness (1 − the largest cosine similarity between two topics) are
        recorded beside it. This k is the fine level (the stories); the coarse level (the subjects)
        groups its topics (:meth:`_choose_groups`). Returns k and the curve of the candidates tried:
        ``k``, ``npmi``, ``npmi_se``, ``diversity``, ``stability``, ``heldout``, ``distinctness``."""
        rng = np.random.default_rng(self.random_state)
        n = matrix.shape[0]
        repeats = max(1, int(self.selection_repeats))
        size = max(1, int(round(0.8 * n)))
        # the same resamples for every k, so candidates are compared on the same data
        subsets = [np.arange(n)] if repeats == 1 else \
            [np.sort(rng.choice(n, size=size, replace=False)) for _ in range(repeats)]
        limit = min(limit, min(len(subset) for subset in subsets))
        candidates = sorted({min(k, limit) for k in self.k_range if k >= 1}) or [1]
        scores: dict[int, list[tuple[float, float, float, float]]] = {}
        stability: dict[int, float] = {}
        held_out = [np.setdiff1d(np.arange(n), subset) for subset in subsets]
        progress = progress_bar(total=len(candidates), desc="choosing k", leave=False)

        def score(k: int) -> float:
            if k not in scores:
                scores[k], fitted = [], []
                for subset, rest in zip(subsets, held_out):
                    with warnings.catch_warnings():  # candidates only rank k; the final fit still warns
                        warnings.simplefilter("ignore", ConvergenceWarning)
                        estimator = self._estimator(k, ranking=True).fit(matrix[subset])
                    top = _top_ids(estimator.components_, self.top_n)
                    scores[k].append((float(np.mean(npmi_coherence(top, self._reference))), topic_diversity(top),
                                      heldout_fit(estimator, matrix[rest], self.method),
                                      topic_distinctness(estimator.components_)))
                    fitted.append(estimator.components_)
                stability[k] = resample_stability(fitted)
                progress.update()
            return float(np.mean([row[0] for row in scores[k]]))

        for k in candidates[::2]:
            score(k)
        while True:
            best = max(scores, key=lambda k: (score(k), -k))
            at = candidates.index(best)
            todo = [candidates[j] for j in (at - 1, at + 1) if 0 <= j < len(candidates) and candidates[j] not in scores]
            if not todo:
                break
            for k in todo:
                score(k)
        progress.close()
        rows = []
        for k in sorted(scores):
            npmi, diversity, heldout, distinct = (np.array(scores[k], dtype=float).T)
            error = float(npmi.std(ddof=1) / math.sqrt(len(npmi))) if len(npmi) > 1 else 0.0
            rows.append((k, npmi.mean(), error, diversity.mean(), stability[k], np.nanmean(heldout)
                         if np.isfinite(heldout).any() else np.nan, distinct.mean()))
        curve = pd.DataFrame(rows, columns=["k", "npmi", "npmi_se", "diversity", "stability", "heldout",
                                            "distinctness"])
        return choose_fine_k(curve), curve

    def _finish_topics(self, matrix) -> None:
        """Topic tables from the estimator's components (after fit or each partial_fit; ``matrix``:
        the articles just fitted, whose topic centroids group the fine topics)."""
        fine = self.fine_components_ = self.estimator_.components_
        wanted = getattr(self, "_n_groups", self.k_)
        if wanted < self.fine_k_:
            self.parent_ = group_by_cooccurrence(topic_affinity(matrix, fine), n_groups=wanted)[0]
        else:
            self.parent_ = np.arange(self.fine_k_, dtype=np.int64)
        self.k_ = int(self.parent_.max()) + 1
        self.components_ = coarse_components(fine, self.parent_)
        overall = self._docs_holding / max(self.n_fitted_, 1)
        fine_ranking = _ranking(term_relevance(self._held_sum, self._share_sum, overall), fine)
        ranking = _ranking(term_relevance(coarse_components(self._held_sum, self.parent_),
                                          coarse_shares(self._share_sum[None, :], self.parent_)[0], overall),
                           self.components_)
        fine_top = _top_ids(fine_ranking, self.top_n)
        self.fine_topic_coherence_ = npmi_coherence(fine_top, self._reference)
        top = _top_ids(ranking, self.top_n)
        per_topic = npmi_coherence(top, self._reference)
        curve = getattr(self, "coherence_", None)
        if curve is None or self.k != "auto":  # a fixed k: its one row, from the topics kept
            curve = pd.DataFrame([(self.k_, float(np.mean(per_topic)), np.nan, topic_diversity(top), np.nan,
                                   np.nan, topic_distinctness(self.components_))],
                                 columns=["k", "npmi", "npmi_se", "diversity", "stability", "heldout", "distinctness"])
        curve["chosen"] = curve["k"] == self.fine_k_
        self.coherence_ = curve
        self.topic_coherence_ = per_topic
        self.topic_terms_ = self._topic_terms(self.components_, ranking)
        self.labels_ = [topic_label(g["term"].tolist()) for _, g in self.topic_terms_.groupby("topic", sort=True)]
        self.fine_topic_terms_ = self._topic_terms(fine, fine_ranking)
        self.fine_labels_ = [topic_label(g["term"].tolist())
                             for _, g in self.fine_topic_terms_.groupby("topic", sort=True)]

    def _without_topics(self) -> TopicModel:
        self.k_ = self.fine_k_ = 0
        self.vocabulary_, self.terms_ = {}, np.array([], dtype=object)
        self.components_ = self.fine_components_ = np.zeros((0, 0))
        self.parent_ = np.zeros(0, dtype=np.int64)
        self.grouping_ = pd.DataFrame(columns=["groups", "pmi", "chosen"])
        self.estimator_ = self._vectorizer = None
        self.coherence_ = pd.DataFrame({"k": pd.Series(dtype="int64"), "npmi": pd.Series(dtype=float),
                                        "npmi_se": pd.Series(dtype=float), "diversity": pd.Series(dtype=float),
                                        "stability": pd.Series(dtype=float),
                                        "heldout": pd.Series(dtype=float), "distinctness": pd.Series(dtype=float),
                                        "chosen": pd.Series(dtype=bool)})
        self.topic_coherence_ = self.fine_topic_coherence_ = np.zeros(0)
        self.topic_terms_ = pd.DataFrame(columns=["topic", "rank", "term", "weight"])
        self.fine_topic_terms_ = self.topic_terms_.copy()
        self.labels_, self.fine_labels_ = [], []
        self.prevalence_ = self.fine_prevalence_ = np.zeros(0)
        self.n_fitted_ = 0
        return self

    def transform(self, articles: pd.DataFrame, level: str = "coarse") -> pd.DataFrame:
        """Topic shares of each article: rows indexed by ``doc_id``, one column a topic, rows sum to 1
        (all zero for an article with no known term). ``level``: ``"coarse"`` (the ``k_`` subjects,
        ``labels_``) or ``"fine"`` (the ``fine_k_`` stories, ``fine_labels_``; a coarse share is the sum
        of its fine topics' shares)."""
        self._check_fitted()
        _check_level(level)
        index = articles["doc_id"] if "doc_id" in articles else pd.RangeIndex(len(articles))
        k = self.k_ if level == "coarse" else self.fine_k_
        if self.k_ == 0:
            return pd.DataFrame(index=pd.Index(index, name="doc_id"), columns=pd.RangeIndex(0, name="topic"), dtype=float)
        matrix = self.term_matrix(articles)
        with _quiet_blas():
            shares = self._shares(matrix, level=level)
        return pd.DataFrame(shares, index=pd.Index(index, name="doc_id"), columns=pd.RangeIndex(k, name="topic"))

    def term_matrix(self, articles: pd.DataFrame) -> sparse.csr_matrix:
        """The articles as the model reads them: a sparse articles × ``terms_`` matrix (row i is
        ``articles``' row i) of sublinear, L2-normalised TF-IDF weights for ``method="nmf"``, of
        counts for ``"lda"`` — e.g. to cluster or classify the articles on the same features."""
        self._check_fitted()
        if self.k_ == 0:
            return sparse.csr_matrix((len(articles), 0))
        docs = [self._terms(mark_stopword_phrases(t, self._stop)) for t in token_lists(articles, self.column)]
        return sparse.csr_matrix(self._weigh(self._vectorizer.transform(docs), fit=False))

    def _shares(self, matrix, level: str = "coarse") -> np.ndarray:
        """Topic shares of documents: the weights times each topic's total term mass (so that, for
        NMF, a share is the part of the document's reconstruction the topic accounts for); coarse
        shares are the sums of their fine topics'."""
        shares = self._fine_shares(matrix)
        return shares if level == "fine" else coarse_shares(shares, self.parent_)

    def _fine_shares(self, matrix) -> np.ndarray:
        return self._weights_to_shares(self.estimator_.transform(matrix), self.estimator_.components_)

    def _reset_counts(self) -> None:
        """No article counted yet in the sums :meth:`_count_terms` adds to."""
        self._share_sum, self._held_sum = np.zeros(self.fine_k_), np.zeros((self.fine_k_, len(self.terms_)))
        self._docs_holding, self.n_fitted_ = np.zeros(len(self.terms_)), 0

    def _count_terms(self, matrix, shares: np.ndarray) -> None:
        """Add the articles of ``matrix`` (their fine shares ``shares``) to the sums the topics' terms
        are ranked by (:func:`term_relevance`): topic mass, share-weighted articles holding each term,
        articles holding each term, articles."""
        held = sparse.csr_matrix(matrix, dtype=np.float64, copy=True)
        held.data[:] = 1.0
        self._share_sum = self._share_sum + shares.sum(axis=0)
        self._held_sum = self._held_sum + np.asarray((held.T @ shares).T)
        self._docs_holding = self._docs_holding + np.asarray(held.sum(axis=0)).ravel()
        self.n_fitted_ += matrix.shape[0]

    def _weights_to_shares(self, weights: np.ndarray, components: np.ndarray) -> np.ndarray:
        if self.method == "nmf":
            weights = weights * components.sum(axis=1)
        return _normalise_rows(weights)

    def fit_transform(self, articles: pd.DataFrame, y=None) -> pd.DataFrame:
        return self.fit(articles).transform(articles)

    def level_labels(self, level: str = "coarse") -> list[str]:
        """The topic labels of one level (``labels_`` or ``fine_labels_``)."""
        _check_level(level)
        return list(self.labels_ if level == "coarse" else self.fine_labels_)

    # -- pieces --------------------------------------------------------------------------------

    def _check_params(self) -> None:
        if self.method not in ("nmf", "lda"):
            raise ValueError(f"method must be 'nmf' or 'lda', not {self.method!r}")
        if not (self.k == "auto" or (isinstance(self.k, (int, np.integer)) and self.k >= 1)):
            raise ValueError(f"k must be a positive integer or 'auto', not {self.k!r}")

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            raise RuntimeError("this TopicModel is not fitted yet: call fit(articles) (or partial_fit) first")

    def _learn_phrases(self, tokens: list[list[str]], stop: frozenset[str]) -> list[str]:
        """Collocations frequent enough to be vocabulary terms (same document-frequency floor)."""
        floor = max(3, self._min_df_count(len(tokens)))
        table = collocations(pd.DataFrame({"tokens": tokens}), min_count=floor, stopwords=stop)
        table = table[(table["doc_freq"] >= floor) & (table["npmi"] > 0.25)]
        return table["phrase"].head(self.max_phrases).tolist()

    def _min_df_count(self, n_docs: int) -> int:
        return int(math.ceil(self.min_df * n_docs)) if isinstance(self.min_df, float) else int(self.min_df)

    def _terms(self, tokens: Sequence[str]) -> list[str]:
        words = self._words
        return [term for term in map(words, merge_with_index(list(tokens), self._phrase_index)) if term is not None]

    def _fit_vectorizer(self, docs: list[list[str]]):
        n_docs = len(docs)
        attempts = [(self.min_df, self.max_df), (1, self.max_df), (1, 1.0)]
        if n_docs < 10:  # too few articles for document-frequency pruning to mean anything
            attempts = [(1, 1.0)]
        counts = None
        for min_df, max_df in attempts:
            candidate = CountVectorizer(analyzer=_identity, min_df=min_df, max_df=max_df,
                                        max_features=self.max_features)
            try:
                matrix = candidate.fit_transform(docs)
            except ValueError:  # nothing left after pruning
                continue
            counts, vectorizer = matrix, candidate
            if matrix.shape[1] >= 2:
                break
        if counts is None:
            raise ValueError("no content words left to model topics on (is the corpus empty or all stopwords?)")
        self._vectorizer = vectorizer
        self.vocabulary_ = dict(vectorizer.vocabulary_)
        self.terms_ = vectorizer.get_feature_names_out()
        return counts.tocsr()

    def _weigh(self, counts, fit: bool):
        if self.method == "lda":
            return counts
        if fit:
            self._tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
        return self._tfidf.transform(counts)

    def _estimator(self, k: int, *, ranking: bool = False):
        """The scikit-learn model for k topics; ``ranking``: a cheaper LDA (fewer passes) that only
        has to rank candidate k."""
        if self.method == "nmf":
            return NMF(n_components=k, init="nndsvda", max_iter=self.max_iter, tol=1e-3,
                       random_state=self.random_state)
        return LatentDirichletAllocation(n_components=k, learning_method="online", batch_size=512,
                                         max_iter=min(self.max_iter, 10 if ranking else 30),
                                         random_state=self.random_state, n_jobs=1)

    def _online_estimator(self, k: int, first_chunk: int):
        if self.method == "nmf":
            # NNDSVD starts need at least k documents in the first chunk
            init = "nndsvda" if first_chunk >= k else "random"
            return MiniBatchNMF(n_components=k, init=init, batch_size=1024, max_iter=self.max_iter,
                                random_state=self.random_state)
        return LatentDirichletAllocation(n_components=k, learning_method="online", batch_size=512,
                                         random_state=self.random_state, n_jobs=1)

    def _topic_terms(self, components: np.ndarray, ranking: np.ndarray | None = None) -> pd.DataFrame:
        """Top terms of each topic: ranked by ``ranking`` (default the weights; the model's is
        :func:`term_relevance`), ``weight`` the term's share of the topic."""
        rows = []
        weights = components / np.maximum(components.sum(axis=1, keepdims=True), 1e-12)
        for topic, ids in enumerate(_top_ids(components if ranking is None else ranking, self.top_n)):
            for rank, j in enumerate(ids):
                rows.append((topic, rank + 1, self.terms_[j], float(weights[topic, j])))
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


# ----------------------------------------------------------------------------------------------
# coherence


def _check_level(level: str) -> None:
    if level not in ("coarse", "fine"):
        raise ValueError(f"level must be 'coarse' or 'fine', not {level!r}")


def _top_ids(components: np.ndarray, n: int) -> list[np.ndarray]:
    n = min(n, components.shape[1])
    return [np.argsort(-row, kind="stable")[:n] for row in components]


def resample_stability(components: Sequence[np.ndarray]) -> float:
    """How alike topic sets fitted on different resamples are (Greene, O'Callaghan and Cunningham
    2014): for each pair of sets, topics matched one-to-one (Hungarian) on the cosine similarity of
    their term weights, the mean matched similarity; averaged over the pairs. 1 = the same topics
    every time; NaN with fewer than two sets."""
    values = []
    for i in range(len(components)):
        for j in range(i + 1, len(components)):
            a, b = (c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
                    for c in (components[i], components[j]))
            similarity = a @ b.T
            rows, cols = linear_sum_assignment(-similarity)
            values.append(float(similarity[rows, cols].mean()))
    return float(np.mean(values)) if values else float("nan")


def npmi_coherence(top_ids: Sequence[Sequence[int]], binary) -> np.ndarray:
    """Mean NPMI over the pairs of each topic's top terms, from document co-occurrence.

    ``binary`` is a documents × terms 0/1 matrix (the corpus the topics should make sense on);
    pairs that never co-occur score −1. Returns one value a topic, in [−1, 1].
    """
    binary = sparse.csc_matrix(binary, dtype=np.float64)
    n_docs = max(binary.shape[0], 1)
    out = []
    for ids in top_ids:
        ids = np.asarray(ids)
        if len(ids) < 2:
            out.append(0.0)
            continue
        sub = binary[:, ids]
        joint = (sub.T @ sub).toarray() / n_docs
        single = np.diag(joint).copy()
        upper = np.triu_indices(len(ids), k=1)
        p_ij = joint[upper]
        p_i, p_j = single[upper[0]], single[upper[1]]
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log(p_ij / (p_i * p_j))
            npmi = np.where(p_ij >= 1, 1.0, pmi / -np.log(p_ij))
        npmi = np.where(p_ij > 0, npmi, -1.0)
        out.append(float(np.mean(npmi)))
    return np.array(out)


def topic_diversity(top_ids: Sequence[Sequence[int]]) -> float:
    """Share of distinct terms among all topics' top terms (1 = no two topics share a top term)."""
    flat = [int(j) for ids in top_ids for j in ids]
    return len(set(flat)) / len(flat) if flat else 0.0


def topic_label(terms: Sequence[str], size: int = 3) -> str:
    """A short label from a topic's top terms: the first ``size`` that do not repeat each other."""
    chosen: list[str] = []
    for term in terms:
        words = set(term.split(" "))
        if any(words & set(c.split(" ")) for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == size:
            break
    return "، ".join(chosen)


def term_relevance(held: np.ndarray, mass: np.ndarray, overall: np.ndarray) -> np.ndarray:
    """How characteristic each term is of each topic's articles (topics × terms), from sums over the
    articles: ``held`` (topics × terms) the articles holding the term, each counted by its share of the
    topic; ``mass`` (topics) the shares summed; ``overall`` (terms) the part of all articles holding it.

    With p(t|k) = held / mass, the part of topic k's articles holding t, the score is t's term of the
    divergence of k's articles from the corpus, p(t|k)·log(p(t|k) / overall) (0 where negative), times
    t's exclusivity to k, p(t|k) / Σ_j p(t|j) (cf. FREX, Bischof & Airoldi 2012; BERTopic's class-based
    TF-IDF): terms the topic's articles hold far more often than the others, and no other topic does.
    Ranking by it rather than by the factor weights keeps words of every article (reporting verbs,
    «مردم») out of the top terms and lifts the topic's own. Topics with no mass score 0."""
    mass = np.asarray(mass, dtype=np.float64)
    within = np.divide(held, mass[:, None], out=np.zeros_like(held, dtype=np.float64), where=mass[:, None] > 0)
    gain = within * np.log(np.maximum(within, 1e-12) / np.maximum(np.asarray(overall, dtype=np.float64), 1e-12))
    exclusivity = within / np.maximum(within.sum(axis=0, keepdims=True), 1e-12)
    return np.maximum(gain, 0.0) * exclusivity


def _ranking(scores: np.ndarray, components: np.ndarray) -> np.ndarray:
    """``scores`` with ties (and topics scoring nothing) broken by the factor weights."""
    weights = _normalise_rows(components)
    return scores + 1e-9 * weights / max(float(weights.max(initial=0.0)), 1e-12)


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float), where=totals > 0)


# ----------------------------------------------------------------------------------------------
# tables from a fitted model


def document_topics(model: TopicModel, articles: pd.DataFrame, *, min_weight: float = 0.0,
                    level: str = "coarse") -> pd.DataFrame:
    """Long document-topic table: one row per (doc_id, topic) with ``label``, ``weight`` (share of the
    article) and ``dominant`` (the article's largest topic). Rows below ``min_weight`` are dropped.
    ``level``: the coarse topics (default) or the fine ones (:meth:`TopicModel.transform`)."""
    shares = model.transform(articles, level=level)
    if model.k_ == 0:
        return pd.DataFrame(columns=["doc_id", "topic", "label", "weight", "dominant"])
    table = shares.stack().rename("weight").reset_index()
    table["topic"] = table["topic"].astype("int64")
    best = shares.to_numpy().argmax(axis=1) if model.k_ else np.zeros(len(shares), dtype=int)
    has_topic = shares.to_numpy().sum(axis=1) > 0
    dominant = pd.Series(np.where(has_topic, best, -1), index=shares.index)
    table["dominant"] = table["topic"].to_numpy() == dominant.reindex(table["doc_id"]).to_numpy()
    table["label"] = table["topic"].map(dict(enumerate(model.level_labels(level))))
    table = table[table["weight"] >= min_weight] if min_weight > 0 else table
    return table[["doc_id", "topic", "label", "weight", "dominant"]].reset_index(drop=True)


def dominant_topics(model: TopicModel, articles: pd.DataFrame, *, level: str = "coarse") -> pd.DataFrame:
    """One row an article: ``doc_id``, its dominant ``topic`` (−1 when it has no known term),
    ``label`` and ``weight``, at the coarse (default) or fine ``level``."""
    shares = model.transform(articles, level=level).to_numpy()
    has_topic = shares.sum(axis=1) > 0
    topic = np.where(has_topic, shares.argmax(axis=1) if shares.size else 0, -1)
    labels = dict(enumerate(model.level_labels(level))) | {-1: ""}
    doc_ids = articles["doc_id"].to_numpy() if "doc_id" in articles else np.arange(len(articles))
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            "topic": topic.astype("int64"),
            "label": [labels[t] for t in topic],
            "weight": np.where(has_topic, shares.max(axis=1) if shares.size else 0.0, 0.0),
        }
    )


def representative_articles(model: TopicModel, articles: pd.DataFrame, n: int = 3, *,
                            level: str = "coarse") -> pd.DataFrame:
    """The ``n`` articles most about each topic (largest share; ties broken by length):
    ``topic``, ``label``, ``rank``, ``doc_id``, ``title``, ``weight``."""
    shares = model.transform(articles, level=level)
    labels = model.level_labels(level)
    titles = articles["title"].to_numpy() if "title" in articles else np.full(len(articles), "")
    rows = []
    for topic in range(shares.shape[1]):
        weights = shares[topic].to_numpy()
        order = np.argsort(-weights, kind="stable")[:n]
        for rank, i in enumerate(o for o in order if weights[o] > 0):
            rows.append((topic, labels[topic], rank + 1, shares.index[i], titles[i], float(weights[i])))
    return pd.DataFrame(rows, columns=["topic", "label", "rank", "doc_id", "title", "weight"])


def topic_tree(model: TopicModel) -> pd.DataFrame:
    """The two levels linked: one row a fine topic, with its coarse parent. Columns ``coarse``,
    ``coarse_label``, ``coarse_prevalence``, ``fine``, ``fine_label``, ``fine_prevalence`` (mean share
    over the fitted articles), ``npmi`` (the fine topic's coherence), sorted by coarse then fine
    prevalence."""
    model._check_fitted()
    columns = ["coarse", "coarse_label", "coarse_prevalence", "fine", "fine_label", "fine_prevalence", "npmi"]
    if model.k_ == 0:
        return pd.DataFrame(columns=columns)
    parent = np.asarray(model.parent_)
    table = pd.DataFrame({
        "coarse": parent,
        "coarse_label": [model.labels_[p] for p in parent],
        "coarse_prevalence": [float(model.prevalence_[p]) for p in parent],
        "fine": np.arange(model.fine_k_),
        "fine_label": model.fine_labels_,
        "fine_prevalence": np.asarray(model.fine_prevalence_, dtype=float),
        "npmi": np.asarray(model.fine_topic_coherence_, dtype=float),
    })
    return table.sort_values(["coarse_prevalence", "coarse", "fine_prevalence"],
                             ascending=[False, True, False]).reset_index(drop=True)[columns]


def topic_summary(model: TopicModel, articles: pd.DataFrame, *, level: str = "coarse", n_terms: int = 10,
                  n_phrases: int = 3, n_articles: int = 3) -> pd.DataFrame:
    """What each topic is, one row a topic: ``topic``, ``label``, ``prevalence``, ``npmi`` (coherence
    of its top terms), ``terms`` (top ``n_terms``, joined by «، »), ``phrases`` (its strongest
    collocation phrases — the multiword terms of the vocabulary with the most weight in it),
    ``articles`` (titles of its ``n_articles`` most representative articles, joined by « | ») and,
    for the fine level, ``parent``."""
    model._check_fitted()
    _check_level(level)
    columns = ["topic", "label", "prevalence", "npmi", "terms", "phrases", "articles"] + (["parent"] if level == "fine" else [])
    if model.k_ == 0:
        return pd.DataFrame(columns=columns)
    components = model.components_ if level == "coarse" else model.fine_components_
    terms = model.topic_terms_ if level == "coarse" else model.fine_topic_terms_
    prevalence = model.prevalence_ if level == "coarse" else model.fine_prevalence_
    npmi = model.topic_coherence_ if level == "coarse" else model.fine_topic_coherence_
    phrase_ids = np.array([j for j, term in enumerate(model.terms_) if " " in term], dtype=np.int64)
    reps = representative_articles(model, articles, n=n_articles, level=level)
    rows = []
    for topic, label in enumerate(model.level_labels(level)):
        top = terms[terms["topic"] == topic].sort_values("rank")["term"].head(n_terms)
        phrases = []
        if len(phrase_ids):
            weights = components[topic, phrase_ids]
            phrases = [model.terms_[phrase_ids[j]] for j in np.argsort(-weights, kind="stable")[:n_phrases] if weights[j] > 0]
        titles = reps[reps["topic"] == topic].sort_values("rank")["title"].astype(str)
        row = [topic, label, float(prevalence[topic]), float(npmi[topic]), "، ".join(top), "، ".join(phrases),
               " | ".join(titles)]
        if level == "fine":
            row.append(int(model.parent_[topic]))
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def topic_prevalence(
    model: TopicModel,
    articles: pd.DataFrame,
    by: str = "month",
    *,
    calendar: str = "jalali",
) -> pd.DataFrame:
    """How much of each group is about each topic.

    ``by`` is ``"month"`` or ``"year"`` (Jalali by default; undated articles left out) or a column
    (``site``, ``categories`` — an article counts in each of its categories). One row per
    (group, topic): ``label``, ``share`` (mean topic share of the group's articles), ``n_dominant``
    (articles whose dominant topic it is) and ``n_docs`` (articles in the group).
    """
    if by not in ("month", "year") and by not in articles.columns:
        raise KeyError(f"by must be 'month', 'year' or a column of the articles table, not {by!r}")
    columns = [by, "topic", "label", "share", "n_dominant", "n_docs"]
    if model.k_ == 0:
        return pd.DataFrame(columns=columns)
    shares = model.transform(articles).reset_index(drop=True)
    if by in ("month", "year"):
        groups = period_labels(articles, by, calendar).reset_index(drop=True)
    elif by in articles.columns:
        groups = articles[by].reset_index(drop=True)
    else:
        raise KeyError(f"by must be 'month', 'year' or a column of the articles table, not {by!r}")
    frame = shares.copy()
    frame.columns = [int(c) for c in frame.columns]
    frame["_group"] = groups
    frame["_dominant"] = np.where(shares.to_numpy().sum(axis=1) > 0, shares.to_numpy().argmax(axis=1), -1) \
        if model.k_ else -1
    if frame["_group"].map(lambda g: isinstance(g, (list, tuple, np.ndarray))).any():
        frame = frame.explode("_group")
    frame = frame[frame["_group"].notna() & (frame["_group"].astype(str) != "")]
    frame["_group"] = frame["_group"].astype(str)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    topics = list(range(model.k_))
    share = frame.groupby("_group")[topics].mean().stack().rename("share")
    share.index.names = ["_group", "topic"]
    dominant = frame.groupby(["_group", "_dominant"]).size()
    dominant.index.names = ["_group", "topic"]
    table = share.to_frame().join(dominant.rename("n_dominant")).reset_index()
    table["n_dominant"] = table["n_dominant"].fillna(0).astype("int64")
    table["n_docs"] = table["_group"].map(frame.groupby("_group").size()).astype("int64")
    table["label"] = table["topic"].map(dict(enumerate(model.labels_)))
    table = table.rename(columns={"_group": by})
    return table[columns].sort_values([by, "topic"]).reset_index(drop=True)


def topic_map(model: TopicModel) -> pd.DataFrame:
    """Topics placed in 2-D so that topics with similar term distributions lie close together.

    Classical multidimensional scaling of the Jensen–Shannon distances between topics (as in LDAvis).
    One row a topic: ``topic``, ``label``, ``x``, ``y``, ``prevalence``.
    """
    model._check_fitted()
    if model.k_ == 0:
        return pd.DataFrame(columns=["topic", "label", "x", "y", "prevalence"])
    dist = model.components_ / np.maximum(model.components_.sum(axis=1, keepdims=True), 1e-12)
    k = len(dist)
    distances = np.zeros((k, k))
    for i in range(k):
        for j in range(i + 1, k):
            distances[i, j] = distances[j, i] = _js_distance(dist[i], dist[j])
    coords = _classical_mds(distances, 2)
    return pd.DataFrame(
        {
            "topic": np.arange(k),
            "label": model.labels_,
            "x": coords[:, 0],
            "y": coords[:, 1],
            "prevalence": model.prevalence_,
        }
    )


def _js_distance(p: np.ndarray, q: np.ndarray) -> float:
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_pm = np.nansum(np.where(p > 0, p * np.log2(p / m), 0.0))
        kl_qm = np.nansum(np.where(q > 0, q * np.log2(q / m), 0.0))
    return float(np.sqrt(max((kl_pm + kl_qm) / 2, 0.0)))


def _classical_mds(distances: np.ndarray, dims: int) -> np.ndarray:
    k = len(distances)
    if k == 1:
        return np.zeros((1, dims))
    centre = np.eye(k) - np.ones((k, k)) / k
    gram = -0.5 * centre @ (distances**2) @ centre
    values, vectors = np.linalg.eigh(gram)
    order = np.argsort(values)[::-1][:dims]
    coords = vectors[:, order] * np.sqrt(np.maximum(values[order], 0))
    coords = coords * np.where(coords.sum(axis=0) < 0, -1, 1)  # a fixed orientation
    if coords.shape[1] < dims:
        coords = np.hstack([coords, np.zeros((k, dims - coords.shape[1]))])
    return coords


def topic_stability(
    model: TopicModel,
    articles: pd.DataFrame,
    seeds: Sequence[int] = (1, 2, 3, 4),
    *,
    sample: float = 0.9,
) -> pd.DataFrame:
    """Do the topics come back when the model is refitted with another seed on a resample?

    For each seed, a copy of ``model`` (same parameters, its chosen ``k_``) is fitted on a random
    ``sample`` of the articles with that seed, and its topics are matched one-to-one to the
    model's (Hungarian matching on the cosine similarity of the term weights). One row per
    (seed, topic): ``matched_topic``, ``similarity`` (cosine, 1 = identical) and ``top_overlap``
    (Jaccard overlap of the top terms).
    """
    model._check_fitted()
    columns = ["seed", "topic", "label", "matched_topic", "similarity", "top_overlap"]
    if model.k_ == 0:
        return pd.DataFrame(columns=columns)
    rows = []
    reference_terms = [set(g["term"]) for _, g in model.topic_terms_.groupby("topic", sort=True)]
    for seed in seeds:
        rng = np.random.default_rng(seed)
        size = max(1, int(round(sample * len(articles))))
        subset = articles.iloc[np.sort(rng.choice(len(articles), size=size, replace=False))]
        other = TopicModel(**(model.get_params() | {"k": model.k_, "random_state": seed})).fit(subset)
        similarity = _cosine_between(model, other)
        ref, match = linear_sum_assignment(-similarity)
        other_terms = [set(g["term"]) for _, g in other.topic_terms_.groupby("topic", sort=True)]
        matched = dict(zip(ref, match))
        for topic in range(model.k_):
            j = matched.get(topic)
            if j is None:
                rows.append((seed, topic, model.labels_[topic], -1, 0.0, 0.0))
                continue
            a, b = reference_terms[topic], other_terms[j]
            rows.append((seed, topic, model.labels_[topic], int(j), float(similarity[topic, j]),
                         len(a & b) / max(len(a | b), 1)))
    return pd.DataFrame(rows, columns=columns)


def _cosine_between(model: TopicModel, other: TopicModel) -> np.ndarray:
    """Cosine similarity of two models' topics over the union of their vocabularies."""
    vocab = sorted(set(model.terms_) | set(other.terms_))
    col = {t: i for i, t in enumerate(vocab)}

    def spread(m: TopicModel) -> np.ndarray:
        out = np.zeros((m.k_, len(vocab)))
        out[:, [col[t] for t in m.terms_]] = m.components_
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    return spread(model) @ spread(other).T


# ----------------------------------------------------------------------------------------------
# command line
