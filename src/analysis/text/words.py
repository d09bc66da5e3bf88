"""Stopwords, lemmas and stems of Persian words (hazm's lists and lemmatizer, and the project's news list)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from analysis.text.normalizer import normalize

@cache
def stopwords(*, hazm: bool = True, news: bool = True, multiword: bool = True) -> frozenset[str]:
    """Stopwords: hazm's list (``hazm=``) and the news list shipped in ``data/stopwords/news.txt``.

    The news list has agency boilerplate and reporting verbs; some entries are several words
    («به گزارش»، «اظهار داشت»): ``multiword=False`` leaves them out; :func:`remove_stopwords`
    applies them to token sequences.
    """
    from analysis._core.resources import read_wordlist

    words: set[str] = set()
    if hazm:
        from hazm.utils import stopwords_list

        words.update(normalize(w) for w in stopwords_list() if w.strip())
    if news:
        words.update(normalize(w) for w in read_wordlist("stopwords/news.txt"))
    if not multiword:
        words = {w for w in words if " " not in w}
    return frozenset(words)


def remove_stopwords(tokens: Iterable[str], words: Iterable[str] | None = None) -> list[str]:
    """Tokens without stopwords (default: :func:`stopwords`).

    A one-word entry removes equal tokens. A multiword entry («اظهار داشت») removes a run of
    consecutive tokens equal to its words, and also the single token hazm's verb-part joining makes
    of it («گفته شده است» matches «گفته_شده_است»).
    """
    tokens = list(tokens)
    single, phrases = _stopword_matcher(stopwords() if words is None else frozenset(words))
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token in single:
            i += 1
            continue
        for phrase in phrases.get(token, ()):
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            out.append(token)
            i += 1
    return out


@lru_cache(maxsize=8)
def _stopword_matcher(words: frozenset[str]) -> tuple[frozenset[str], dict]:
    """Single-token stopwords (with multiword entries joined by ``_``), and the multiword entries
    as word tuples by first word, longest first."""
    single = {w for w in words if " " not in w} | {w.replace(" ", "_") for w in words if " " in w}
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for w in words:
        if " " in w:
            parts = tuple(w.split())
            phrases.setdefault(parts[0], []).append(parts)
    for v in phrases.values():
        v.sort(key=len, reverse=True)  # longest match first
    return frozenset(single), phrases


@cache
def _lemmatizer():
    from hazm import Lemmatizer

    return Lemmatizer()


@cache
def _stemmer():
    from hazm import Stemmer

    return Stemmer()


@lru_cache(maxsize=200_000)
def lemmatize(word: str) -> str:
    """hazm ``Lemmatizer().lemmatize(word)`` (verbs give ``past#present`` roots, e.g. «رفت#رو»)."""
    if not isinstance(word, str) or not word:
        return "" if not isinstance(word, str) else word
    return _lemmatizer().lemmatize(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """hazm ``Stemmer().stem(word)``: the word without common suffixes («کتاب‌ها» -> «کتاب»)."""
    if not isinstance(word, str) or not word:
        return "" if not isinstance(word, str) else word
    return _stemmer().stem(word)


def lemmatize_tokens(tokens: Iterable[str]) -> list[str]:
    """:func:`lemmatize` of each token."""
    return [lemmatize(t) for t in tokens]


def stem_tokens(tokens: Iterable[str]) -> list[str]:
    """:func:`stem` of each token."""
    return [stem(t) for t in tokens]


