"""Terms: frequencies, collocations, TF-IDF keywords, keyness, concordance and term trends.

Every function takes the articles table (one row an article, see :mod:`analysis.corpus.schema`) with a
``tokens`` column of token lists (made by :func:`analysis.text.add_tokens`; added on the fly when
missing) and returns a new tidy DataFrame; the input is never changed.

Multiword terms are plain strings with single spaces between their words («مقام معظم رهبری»), so a
phrase and a word live in the same column of every table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

#: a token that carries meaning: at least one letter (Persian or Latin), not only digits/punctuation
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_ZWNJ = "\u200c"


# ----------------------------------------------------------------------------------------------
# tokens and vocabulary helpers (shared with analysis.topics)


def token_lists(articles: pd.DataFrame, column: str = "tokens") -> pd.Series:
    """The token list of every article (a Series aligned with ``articles``).

    Uses ``articles[column]`` when present; otherwise tokenises ``body`` with
    :func:`analysis.text.add_tokens` (the input is not changed).
    """
    if column in articles.columns:
        return articles[column].map(lambda tokens: list(tokens) if tokens is not None else [])
    from analysis.text import add_tokens

    if "body" not in articles.columns:
        raise ValueError(f"articles table has neither a {column!r} column nor a 'body' column to tokenise")
    # punctuation kept: it marks the boundaries no phrase may cross (it is never counted as a word)
    return add_tokens(articles, punctuation=True)["tokens"].map(list)


def default_stopwords() -> frozenset[str]:
    """Stopwords of the text pipeline (function words plus news boilerplate)."""
    from analysis.text import stopwords

    return frozenset(stopwords())


def is_content_token(token: str, stopwords: frozenset[str] | set[str]) -> bool:
    """True for a token worth counting: has a letter, is longer than one character, not a stopword."""
    return len(token) > 1 and token not in stopwords and _WORD.search(token) is not None


def stopword_set(stopwords: Iterable[str] | None) -> frozenset[str]:
    """The stopwords, with multiword entries also in hazm's joined-verb spelling («گفته_شده_است»)."""
    words = default_stopwords() if stopwords is None else frozenset(stopwords)
    return words | {w.replace(" ", "_") for w in words if " " in w}


def mark_stopword_phrases(tokens: Sequence[str], stopwords: frozenset[str]) -> list[str]:
    """Tokens with each run forming a multiword stopword («به گزارش», «اظهار داشت») joined into one
    token — itself a stopword, so it is not counted and no phrase runs across it."""
    index = _stopword_phrase_index(stopwords)
    return merge_with_index(tokens, index) if index else list(tokens)


@lru_cache(maxsize=8)
def _stopword_phrase_index(stopwords: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
    return phrase_index(w for w in stopwords if " " in w)


def prepared_tokens(articles: pd.DataFrame, column: str, stopwords: frozenset[str]) -> list[list[str]]:
    """Token lists of the articles with multiword stopwords marked (see :func:`mark_stopword_phrases`)."""
    return [mark_stopword_phrases(t, stopwords) for t in token_lists(articles, column)]


@lru_cache(maxsize=1)
def phrase_joiners() -> frozenset[str]:
    """Function words a phrase may have inside it («آموزش و پرورش»); from ``data/terms/phrase_joiners.txt``."""
    from analysis._core.resources import read_wordlist

    return frozenset(read_wordlist("terms/phrase_joiners.txt"))


class ContentTest:
    """:func:`is_content_token` for one stopword set, remembered token by token (fast on big corpora)."""

    def __init__(self, stopwords: frozenset[str]):
        self.stopwords = stopwords
        self._memo: dict[str, bool] = {}

    def __call__(self, token: str) -> bool:
        known = self._memo.get(token)
        if known is None:
            known = self._memo[token] = is_content_token(token, self.stopwords)
        return known


#: hazm's coarse word classes (``words.dat``) that carry no topic: pronouns, determiners, prepositions
#: and postpositions, conjunctions, numbers, classifiers («نفر»، «درصد»), interjections and the like.
FUNCTION_CLASSES = frozenset({"PRO", "DET", "P", "POSTP", "CONJ", "NUM", "CL", "INT", "PR", "PS", "COMP"})


@lru_cache(maxsize=1)
def word_classes() -> dict[str, frozenset[str]]:
    """hazm's lexicon (``hazm/data/words.dat``, 193,750 words): word -> its coarse word classes
    (``N`` noun, ``AJ`` adjective, ``ADV``, ``NUM``, ``PRO`` ...; ``0`` when unknown)."""
    from hazm.utils import words_list

    return {word: frozenset(classes) for word, _, classes in words_list()}


class TopicWords:
    """The term a token stands for in a topic model, or ``None`` when it is not a content word.

    A content word (:func:`is_content_token`: a letter, two characters, not a stopword) that is also
    no verb (hazm's lemmatizer gives verbs a ``past#present`` root, and joined verb parts contain
    ``_``), no number and, in hazm's lexicon, of no function class (:data:`FUNCTION_CLASSES`) — so
    nouns, adjectives and names stay. With ``lemmas`` a plural or suffixed noun becomes its lemma
    («کتاب‌های» -> «کتاب», «بیماران» -> «بیمار»). Multiword phrases pass unchanged, unless they are
    multiword stopwords («تصریح کرد»). Remembered token by token.
    """

    def __init__(self, stopwords: frozenset[str], *, lexical: bool = True, lemmas: bool = True):
        self.stopwords = stopwords
        self.lexical = lexical
        self.lemmas = lemmas
        self._memo: dict[str, str | None] = {}

    def __call__(self, token: str) -> str | None:
        try:
            return self._memo[token]
        except KeyError:
            term = self._memo[token] = self._term(token)
            return term

    def __getstate__(self):  # a pickled model (e.g. sent to workers) does not carry the memo
        return {"stopwords": self.stopwords, "lexical": self.lexical, "lemmas": self.lemmas, "_memo": {}}

    def _term(self, token: str) -> str | None:
        if " " in token:  # a phrase, or a multiword stopword marked as one token (mark_stopword_phrases)
            return None if token in self.stopwords else token
        if not is_content_token(token, self.stopwords) or _DIGIT.search(token):
            return None
        if not (self.lexical or self.lemmas):
            return token
        from analysis.text import lemmatize

        lemma = lemmatize(token)
        if self.lexical and ("_" in token or "#" in lemma or word_classes().get(token, frozenset()) & FUNCTION_CLASSES):
            return None
        if self.lemmas and lemma and "#" not in lemma and lemma != token:
            return lemma if is_content_token(lemma, self.stopwords) else None
        return token


_DIGIT = re.compile(r"\d")


def _ngram_tuples(tokens: Sequence[str], n: int, flags: Sequence[bool], joiners: frozenset[str]):
    """n-grams (as tuples) of content words, a joiner such as «و» allowed inside. Punctuation tokens,
    when the token lists keep them, are boundaries no n-gram crosses."""
    for i in range(len(tokens) - n + 1):
        if flags[i] and flags[i + n - 1] and all(flags[j] or tokens[j] in joiners for j in range(i + 1, i + n - 1)):
            yield tuple(tokens[i : i + n])


def terms_of(tokens: Sequence[str], ngram: int | Sequence[int], stopwords: frozenset[str],
             content: ContentTest | None = None) -> list[str]:
    """Content terms of one token list: words (n=1) and/or n-grams, in text order."""
    content = content or ContentTest(stopwords)
    sizes = (ngram,) if isinstance(ngram, int) else tuple(ngram)
    flags = [content(t) for t in tokens]
    out: list[str] = []
    for n in sizes:
        if n == 1:
            out.extend(t for t, keep in zip(tokens, flags) if keep)
        else:
            out.extend(" ".join(g) for g in _ngram_tuples(tokens, n, flags, phrase_joiners()))
    return out


def group_keys(articles: pd.DataFrame, by: str | None) -> pd.Series:
    """Group label of each article; list columns (categories, tags) are exploded by the caller."""
    if by is None:
        return pd.Series("all", index=articles.index, dtype="object")
    if by not in articles.columns:
        raise KeyError(f"no column {by!r} in the articles table (columns: {', '.join(articles.columns)})")
    return articles[by]


def long_terms(articles: pd.DataFrame, by: str | None, column: str, ngram, stopwords) -> pd.DataFrame:
    """One row per (article, group, term occurrence) plus each article's word count."""
    tokens = prepared_tokens(articles, column, stopwords)
    content = ContentTest(stopwords)
    frame = pd.DataFrame(
        {
            "doc": np.arange(len(articles)),
            "group": group_keys(articles, by).to_numpy(),
            "terms": [terms_of(t, ngram, stopwords, content) for t in tokens],
            "n_tokens": [sum(1 for w in t if _WORD.search(w)) for t in tokens],
        }
    )
    if frame["group"].map(lambda g: isinstance(g, (list, tuple, np.ndarray))).any():
        frame = frame.explode("group")
    frame["group"] = frame["group"].fillna("").astype(str)
    return frame


# ----------------------------------------------------------------------------------------------
# frequencies


def term_frequencies(
    articles: pd.DataFrame,
    by: str | None = None,
    *,
    column: str = "tokens",
    ngram: int | Sequence[int] = 1,
    stopwords: Iterable[str] | None = None,
    min_count: int = 1,
    top: int | None = None,
) -> pd.DataFrame:
    """Term frequency table, overall or per group.

    One row per (group, term): ``count`` (occurrences), ``per_1000`` (occurrences per 1,000 words of
    the group), ``doc_freq`` (articles containing the term) and ``doc_share`` (their fraction of the
    group's articles). ``by`` names a column (``site``, ``categories`` — list columns count an article
    in each of its groups); without it the single group is ``"all"``. Sorted by group, then count.
    """
    stop = stopword_set(stopwords)
    frame = long_terms(articles, by, column, ngram, stop)
    sizes = frame.groupby("group").agg(n_words=("n_tokens", "sum"), n_docs=("doc", "nunique"))
    occurrences = frame[["doc", "group", "terms"]].explode("terms").dropna(subset=["terms"])
    occurrences = occurrences.rename(columns={"terms": "term"})
    if occurrences.empty:
        counts = pd.DataFrame(columns=["group", "term", "count", "doc_freq", "n_words", "n_docs"])
    else:
        counts = occurrences.groupby(["group", "term"]).agg(count=("doc", "size"), doc_freq=("doc", "nunique"))
        counts = counts.reset_index().join(sizes, on="group")
    return frequency_table(counts, by, min_count=min_count, top=top)


def frequency_table(counts: pd.DataFrame, by: str | None, *, min_count: int = 1, top: int | None = None) -> pd.DataFrame:
    """:func:`term_frequencies`' table from raw counts.

    ``counts`` has one row per (group, term) with ``count``, ``doc_freq`` and the group's ``n_words``
    and ``n_docs`` (rows with an empty term only carry a group's sizes and are dropped). Adds the
    rates, keeps terms seen ``min_count`` times, the ``top`` of each group, and names the group ``by``.
    """
    columns = ["group", "term", "count", "per_1000", "doc_freq", "doc_share"]
    table = counts[counts["term"] != ""].copy()
    table["per_1000"] = 1000 * table["count"] / table["n_words"].clip(lower=1)
    table["doc_share"] = table["doc_freq"] / table["n_docs"]
    table = table[table["count"] >= min_count]
    table = table.sort_values(["group", "count", "term"], ascending=[True, False, True])
    if top is not None:
        table = table.groupby("group", sort=False).head(top)
    table = table[columns].reset_index(drop=True)
    table = table.astype({"count": "int64", "doc_freq": "int64", "per_1000": "float64", "doc_share": "float64"})
    return table.drop(columns="group") if by is None else table.rename(columns={"group": by})


# ----------------------------------------------------------------------------------------------
# collocations


def _xlogx_ratio(k: np.ndarray, expected: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(k > 0, k * np.log(k / expected), 0.0)


def log_likelihood_ratio(k11, k1_, k_1, n) -> np.ndarray:
    """Dunning's G² for the 2×2 table of a pair: joint count, left count, right count, total."""
    k11, k1_, k_1 = (np.asarray(x, dtype=float) for x in (k11, k1_, k_1))
    n = float(n)
    k12, k21 = k1_ - k11, k_1 - k11
    k22 = np.maximum(n - k11 - k12 - k21, 0)
    cells = [(k11, k1_, k_1), (k12, k1_, n - k_1), (k21, n - k1_, k_1), (k22, n - k1_, n - k_1)]
    g2 = sum(_xlogx_ratio(k, np.maximum(r * c / n, 1e-300)) for k, r, c in cells)
    return 2 * g2


def _pmi(k11, k1_, k_1, n) -> tuple[np.ndarray, np.ndarray]:
    k11, k1_, k_1 = (np.asarray(x, dtype=float) for x in (k11, k1_, k_1))
    p11 = k11 / n
    pmi = np.log2(p11 / ((k1_ / n) * (k_1 / n)))
    npmi = np.where(p11 < 1, pmi / -np.log2(np.minimum(p11, 1 - 1e-12)), 1.0)
    return pmi, npmi


def collocations(
    articles: pd.DataFrame,
    *,
    column: str = "tokens",
    sizes: Sequence[int] = (2, 3),
    min_count: int = 3,
    stopwords: Iterable[str] | None = None,
    min_llr: float = 10.83,
    keep_subsumed: bool = False,
    top: int | None = None,
) -> pd.DataFrame:
    """Multiword expressions scored by PMI, normalised PMI and Dunning's log-likelihood ratio.

    Candidates are runs of 2 or 3 adjacent words starting and ending with a content word, seen at
    least ``min_count`` times. A 3-word run is scored at its weaker split (``ab|c`` or ``a|bc``), so
    it ranks high only if it holds together as a whole. With ``keep_subsumed=False`` a shorter run
    that almost always occurs inside a kept longer one («معظم رهبری» inside «مقام معظم رهبری») is
    dropped, so names surface whole. ``min_llr`` is the G² cut-off (10.83: p < 0.001).

    Returns one row a phrase: ``phrase``, ``n``, ``count``, ``doc_freq``, ``pmi``, ``npmi``, ``llr``,
    sorted by ``llr``.
    """
    stop = stopword_set(stopwords)
    columns = ["phrase", "n", "count", "doc_freq", "pmi", "npmi", "llr"]
    longest = max(sizes, default=1)
    grams: dict[int, Counter] = {n: Counter() for n in range(1, longest + 1)}
    doc_freq: Counter = Counter()
    content, joiners = ContentTest(stop), phrase_joiners()
    total = 0
    for tokens in prepared_tokens(articles, column, stop):
        total += len(tokens)
        grams[1].update(tokens)
        flags = [content(t) for t in tokens]
        seen: set[tuple[str, ...]] = set()
        for n in range(2, longest + 1):
            grams[n].update(zip(*(tokens[j:] for j in range(n))))
            if n in sizes:
                seen.update(_ngram_tuples(tokens, n, flags, joiners))
        doc_freq.update(seen)
    rows = []
    for n in sorted(s for s in sizes if s >= 2):
        cands = [(g, c) for g, c in grams[n].items() if c >= min_count and g in doc_freq]
        if not cands:
            continue
        joint = np.array([c for _, c in cands], dtype=float)
        best_llr = np.full(len(cands), np.inf)
        best_pmi = np.full(len(cands), np.inf)
        best_npmi = np.full(len(cands), np.inf)
        for split in range(1, n):
            left = np.array([_count(grams, g[:split]) for g, _ in cands], dtype=float)
            right = np.array([_count(grams, g[split:]) for g, _ in cands], dtype=float)
            llr = log_likelihood_ratio(joint, left, right, max(total, 1))
            # a negative association (fewer joint than expected) is not a collocation
            llr = np.where(joint * total >= left * right, llr, 0.0)
            pmi, npmi = _pmi(joint, left, right, max(total, 1))
            best_llr, best_pmi, best_npmi = (
                np.minimum(best_llr, llr),
                np.minimum(best_pmi, pmi),
                np.minimum(best_npmi, npmi),
            )
        for (g, c), llr, pmi, npmi in zip(cands, best_llr, best_pmi, best_npmi):
            rows.append((" ".join(g), n, c, doc_freq[g], pmi, npmi, llr))
    table = pd.DataFrame(rows, columns=columns)
    table = table[table["llr"] >= min_llr]
    if not keep_subsumed and not table.empty:
        table = _drop_subsumed(table)
    table = table.sort_values(["llr", "phrase"], ascending=[False, True]).reset_index(drop=True)
    if top is not None:
        table = table.head(top)
    return table.astype({"n": "int64", "count": "int64", "doc_freq": "int64", "pmi": float, "npmi": float, "llr": float})


def _count(grams: dict[int, Counter], gram: tuple[str, ...]) -> int:
    return grams[len(gram)][gram[0] if len(gram) == 1 else gram]


def _drop_subsumed(table: pd.DataFrame, share: float = 0.8) -> pd.DataFrame:
    """Drop phrases that occur mostly (≥ ``share`` of the time) inside a longer kept phrase."""
    longer = table[table["n"] > table["n"].min()]
    containing: dict[str, int] = {}
    for phrase, count in zip(longer["phrase"], longer["count"]):
        words = phrase.split(" ")
        for size in range(2, len(words)):
            for i in range(len(words) - size + 1):
                part = " ".join(words[i : i + size])
                containing[part] = max(containing.get(part, 0), count)
    keep = [containing.get(p, 0) < share * c for p, c in zip(table["phrase"], table["count"])]
    return table[keep]


def merge_phrases(tokens: Sequence[str], phrases: Iterable[str]) -> list[str]:
    """Replace runs of tokens that form one of ``phrases`` by the phrase itself.

    ``phrases`` are in order of preference (e.g. by log-likelihood, as :func:`collocations` sorts
    them): where two phrases overlap («مسئول قرارگاه اقتصاد» / «اقتصاد مقاومتی»), the preferred one is
    kept; at one position a longer phrase wins over a shorter one.
    """
    return merge_with_index(tokens, phrase_index(phrases))


def phrase_index(phrases: Iterable[str]) -> dict[tuple[str, str], list[tuple[int, tuple[str, ...]]]]:
    """Lookup table for :func:`merge_with_index`: first two words -> (preference rank, word tuple)
    of the phrases starting with them, longest first."""
    index: dict[tuple[str, str], list[tuple[int, tuple[str, ...]]]] = {}
    for rank, phrase in enumerate(phrases):
        words = tuple(phrase.split(" "))
        if len(words) > 1:
            index.setdefault(words[:2], []).append((rank, words))
    for start in index:
        index[start].sort(key=lambda item: (-len(item[1]), item[0]))
    return index


def _match_at(tokens: list[str], i: int, index) -> tuple[int, tuple[str, ...]] | None:
    for rank, words in index.get((tokens[i], tokens[i + 1]), ()) if i + 1 < len(tokens) else ():
        if len(words) == 2 or tuple(tokens[i : i + len(words)]) == words:
            return rank, words
    return None


def merge_with_index(tokens: Sequence[str], index) -> list[str]:
    """:func:`merge_phrases` with a prepared :func:`phrase_index`."""
    tokens = list(tokens)
    if not index:
        return tokens
    starts = [i for i, pair in enumerate(zip(tokens, tokens[1:])) if pair in index]
    if not starts:
        return tokens
    out: list[str] = []
    position = 0
    for i in starts:
        if i < position:  # inside a phrase already merged
            continue
        match = _match_at(tokens, i, index)
        if match is None:
            continue
        rank, words = match
        # a preferred phrase starting inside this one and running past it takes the words instead
        rivals = (_match_at(tokens, j, index) for j in range(i + 1, i + len(words)))
        if any(r is not None and r[0] < rank and j + len(r[1]) > i + len(words)
               for j, r in zip(range(i + 1, i + len(words)), rivals)):
            continue
        out.extend(tokens[position:i])
        out.append(" ".join(words))
        position = i + len(words)
    out.extend(tokens[position:])
    return out


# ----------------------------------------------------------------------------------------------
# TF-IDF keywords


def tfidf_keywords(
    articles: pd.DataFrame,
    by: str | None = None,
    *,
    column: str = "tokens",
    top: int = 10,
    phrases: Iterable[str] | None = None,
    stopwords: Iterable[str] | None = None,
    max_df: float = 0.5,
) -> pd.DataFrame:
    """Keywords by TF-IDF (sublinear tf, idf over articles), per article or per group.

    ``phrases`` (e.g. ``collocations(articles)["phrase"]``) are merged into single terms first.
    Without ``by``: one row per (doc_id, rank) with ``term`` and ``score``. With ``by``: a group's
    score is the mean of its articles' TF-IDF vectors; one row per (group, rank).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = stopword_set(stopwords)
    index = phrase_index(() if phrases is None else phrases)
    content = ContentTest(stop)
    docs = [[t for t in merge_with_index(toks, index) if " " in t or content(t)]
            for toks in prepared_tokens(articles, column, stop)]
    key = "doc_id" if by is None else by
    columns = [key, "rank", "term", "score"]
    if not any(docs):
        return pd.DataFrame(columns=columns)
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, max_df=max_df if len(docs) > 2 else 1.0)
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # max_df pruned every term (tiny corpus): keep them all
        vectorizer.set_params(max_df=1.0)
        matrix = vectorizer.fit_transform(docs)
    vocab = vectorizer.get_feature_names_out()
    if by is None:
        labels = articles["doc_id"].astype(str).to_numpy() if "doc_id" in articles else np.arange(len(articles))
        rows_of = [(label, [i]) for i, label in enumerate(labels)]
    else:
        groups = group_keys(articles, by).reset_index(drop=True)
        members: dict[str, list[int]] = {}
        for i, g in enumerate(groups):
            for label in (g if isinstance(g, (list, tuple, np.ndarray)) else [g]):
                members.setdefault("" if pd.isna(label) else str(label), []).append(i)
        rows_of = sorted(members.items())
    out = []
    for label, rows in rows_of:
        scores = np.asarray(matrix[rows].mean(axis=0)).ravel()
        best = np.argsort(-scores, kind="stable")[:top]
        out.extend((label, rank + 1, vocab[j], float(scores[j])) for rank, j in enumerate(best) if scores[j] > 0)
    return pd.DataFrame(out, columns=columns)


def _identity(doc):
    return doc


# ----------------------------------------------------------------------------------------------
# keyness


def keyness(
    articles: pd.DataFrame,
    by: str,
    group=None,
    other=None,
    *,
    column: str = "tokens",
    ngram: int | Sequence[int] = 1,
    stopwords: Iterable[str] | None = None,
    prior_scale: float = 1.0,
    min_count: int = 2,
) -> pd.DataFrame:
    """Which terms distinguish ``group`` from ``other`` (or from all other articles when ``other`` is None).

    Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
    Words", §3.5): the prior is the term distribution of both sides together, with total weight
    ``prior_scale`` × the mean side size in words. Returns one row a term with ``count_group``,
    ``count_other``, ``per_1000_group``, ``per_1000_other``, ``log_odds`` (δ), ``se`` and ``z``
    (δ/σ; |z| > 1.96 is conventionally notable); positive means typical of ``group``. Sorted by z.

    Without ``group`` the largest group is compared with the rest (an empty table when there is no
    rest); a ``group`` or ``other`` that matches no article is an error.
    """
    stop = stopword_set(stopwords)
    frame = long_terms(articles, by, column, ngram, stop)
    columns = ["term", "count_group", "count_other", "per_1000_group", "per_1000_other", "log_odds", "se", "z"]
    if group is None:
        sizes = frame.loc[frame["group"] != "", "group"].value_counts()
        if len(sizes) < 2 and other is None:
            return pd.DataFrame(columns=columns)
        group = sizes.index[0]
    in_group = frame["group"] == str(group)
    in_other = ~in_group if other is None else frame["group"] == str(other)
    # an article in both groups (list column) counts on both sides only when other is named
    if not in_group.any():
        raise ValueError(f"no article has {by} = {group!r}")
    if not in_other.any():
        raise ValueError(f"no article to compare with: {by} = {other!r} matches nothing" if other is not None
                         else f"every article has {by} = {group!r}; nothing to compare with")
    side_a = frame[in_group].drop_duplicates("doc")
    side_b = frame[in_other].drop_duplicates("doc")
    counts_a = Counter(t for terms in side_a["terms"] for t in terms)
    counts_b = Counter(t for terms in side_b["terms"] for t in terms)
    vocab = sorted(t for t in set(counts_a) | set(counts_b) if counts_a[t] + counts_b[t] >= min_count)
    if not vocab:
        return pd.DataFrame(columns=columns)
    ya = np.array([counts_a[t] for t in vocab], dtype=float)
    yb = np.array([counts_b[t] for t in vocab], dtype=float)
    na, nb = ya.sum(), yb.sum()
    alpha0 = prior_scale * (na + nb) / 2
    alpha = alpha0 * (ya + yb) / (na + nb)
    delta = np.log((ya + alpha) / (na + alpha0 - ya - alpha)) - np.log((yb + alpha) / (nb + alpha0 - yb - alpha))
    se = np.sqrt(1 / (ya + alpha) + 1 / (yb + alpha))
    words_a = max(int(side_a["n_tokens"].sum()), 1)
    words_b = max(int(side_b["n_tokens"].sum()), 1)
    table = pd.DataFrame(
        {
            "term": vocab,
            "count_group": ya.astype("int64"),
            "count_other": yb.astype("int64"),
            "per_1000_group": 1000 * ya / words_a,
            "per_1000_other": 1000 * yb / words_b,
            "log_odds": delta,
            "se": se,
            "z": delta / se,
        }
    )
    table = table.sort_values(["z", "term"], ascending=[False, True]).reset_index(drop=True)
    table.attrs.update(by=by, group=str(group), other="" if other is None else str(other))
    return table


# ----------------------------------------------------------------------------------------------
# concordance


_EDGE_PUNCT = re.compile(r"^[^\w\u200c]+|[^\w\u200c]+$", re.UNICODE)


def _bare(word: str) -> str:
    return _EDGE_PUNCT.sub("", word)


def kwic(
    articles: pd.DataFrame,
    keyword: str,
    window: int = 8,
    *,
    column: str = "body",
    match: str = "word",
    limit: int | None = None,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``keyword`` with ``window`` words either side.

    Columns: ``doc_id``, ``title``, ``position`` (word index), ``left`` (the words before the keyword
    in reading order — on the right of it on screen in Persian), ``keyword`` (as written in the text),
    ``right`` (the words after it). ``keyword`` may be several words. ``match="word"`` finds the word
    alone or with a joined suffix after a zero-width non-joiner (بسیج, بسیج‌های); ``"prefix"`` also
    finds longer words starting with it (بسیجی). Show it with
    :func:`analysis.plots.terms.style_kwic` for a right-to-left table.
    """
    if match not in ("word", "prefix"):
        raise ValueError(f"match must be 'word' or 'prefix', not {match!r}")
    query = _normalize_query(keyword).split()
    columns = ["doc_id", "title", "position", "left", "keyword", "right"]
    if not query:
        raise ValueError("kwic needs a non-empty keyword")
    rows = []
    doc_ids = articles["doc_id"] if "doc_id" in articles else pd.Series(range(len(articles)), index=articles.index)
    titles = articles["title"] if "title" in articles else pd.Series("", index=articles.index)
    for doc_id, title, text in zip(doc_ids, titles, articles[column]):
        if not isinstance(text, str) or not text:
            continue
        words = text.split()
        bare = [_bare(w) for w in words]
        size = len(query)
        for i in range(len(words) - size + 1):
            if all(_matches(bare[i + j], q, match if j == size - 1 else "exact") for j, q in enumerate(query)):
                rows.append(
                    (
                        doc_id,
                        title,
                        i,
                        " ".join(words[max(0, i - window) : i]),
                        " ".join(words[i : i + size]),
                        " ".join(words[i + size : i + size + window]),
                    )
                )
                if limit is not None and len(rows) >= limit:
                    return pd.DataFrame(rows, columns=columns)
    return pd.DataFrame(rows, columns=columns)


def _matches(word: str, query: str, match: str) -> bool:
    if word == query:
        return True
    if match == "exact":
        return False
    if match == "word":
        return word.startswith(query + _ZWNJ)
    return word.startswith(query)


def _normalize_query(keyword: str) -> str:
    try:
        from analysis.text import normalize
    except ImportError:  # the text pipeline is the loader's too; without it compare as typed
        return keyword.strip()
    return normalize(keyword).strip()


# ----------------------------------------------------------------------------------------------
# trends


def period_labels(articles: pd.DataFrame, freq: str = "month", calendar: str = "jalali") -> pd.Series:
    """Period of each article as a sortable string: ``YYYY-MM`` (month) or ``YYYY`` (year).

    Jalali periods come from ``published_jalali``, Gregorian ones from ``published``; '' when unknown.
    """
    if freq not in ("month", "year"):
        raise ValueError(f"freq must be 'month' or 'year', not {freq!r}")
    width = 7 if freq == "month" else 4
    if calendar == "jalali":
        values = articles["published_jalali"].fillna("").astype(str)
        return values.str.slice(0, width).where(values.str.len() >= width, "")
    if calendar == "gregorian":
        stamps = pd.to_datetime(articles["published"])
        return stamps.dt.strftime("%Y-%m" if freq == "month" else "%Y").fillna("").astype(str)
    raise ValueError(f"calendar must be 'jalali' or 'gregorian', not {calendar!r}")


def all_periods(labels: Iterable[str], freq: str = "month") -> list[str]:
    """Every period from the first to the last of ``labels`` (gaps filled), in order."""
    known = sorted({p for p in labels if p})
    if not known or freq == "year":
        return [str(y) for y in range(int(known[0]), int(known[-1]) + 1)] if known else []
    (y, m), (y_end, m_end) = (tuple(int(x) for x in p.split("-")) for p in (known[0], known[-1]))
    out = []
    while (y, m) <= (y_end, m_end):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def term_trends(
    articles: pd.DataFrame,
    terms: str | Sequence[str],
    *,
    freq: str = "month",
    calendar: str = "jalali",
    column: str = "tokens",
) -> pd.DataFrame:
    """How often each term (word or phrase) is used per Jalali (or Gregorian) month or year.

    One row per (period, term), every period between the first and last dated article included:
    ``count``, ``per_1000`` (per 1,000 words published that period), ``doc_freq``, ``n_docs``.
    Undated articles are left out.
    """
    terms = [terms] if isinstance(terms, str) else list(terms)
    queries = {t: tuple(_normalize_query(t).split()) for t in terms}
    periods = period_labels(articles, freq, calendar).to_numpy()
    columns = ["period", "term", "count", "per_1000", "doc_freq", "n_docs", "n_words"]
    rows: dict[tuple[str, str], list[int]] = {}
    words_in: Counter = Counter()
    docs_in: Counter = Counter()
    for period, tokens in zip(periods, token_lists(articles, column)):
        if not period:
            continue
        words_in[period] += sum(1 for w in tokens if _WORD.search(w))
        docs_in[period] += 1
        for term, query in queries.items():
            hits = _count_sequence(tokens, query)
            cell = rows.setdefault((period, term), [0, 0])
            cell[0] += hits
            cell[1] += hits > 0
    out = []
    for period in all_periods(docs_in, freq):
        for term in terms:
            count, docs = rows.get((period, term), [0, 0])
            n_words = words_in[period]
            out.append((period, term, count, 1000 * count / n_words if n_words else 0.0, docs, docs_in[period], n_words))
    return pd.DataFrame(out, columns=columns).astype({"count": "int64", "doc_freq": "int64", "n_docs": "int64", "n_words": "int64"})


def _count_sequence(tokens: Sequence[str], query: tuple[str, ...]) -> int:
    if not query:
        return 0
    if len(query) == 1:
        return sum(1 for t in tokens if t == query[0])
    size = len(query)
    return sum(1 for i in range(len(tokens) - size + 1) if tuple(tokens[i : i + size]) == query)
