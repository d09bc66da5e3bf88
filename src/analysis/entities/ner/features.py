"""Token features for the CRF named-entity recogniser.

``NerFeaturizer(...).sentence(tokens) -> list[list[str]]`` turns one tokenised sentence into one list
of feature names a token (python-crfsuite's string form: every present feature has value 1).

Feature groups (each can be switched off, so the same code builds the plain baseline):

- ``word``: the word itself, folded (Arabic ي/ك → Persian ی/ک, digits → 0, diacritics and tatweel
  dropped), its length bucket and shape;
- ``affix``: prefixes and suffixes of 1–4 letters;
- ``context``: the neighbours' words within ``window`` tokens, and word bigrams;
- ``lexicon``: hazm's ``words.dat`` (193,750 words with frequencies and coarse POS classes): the
  word's POS classes and frequency decade, or "unknown";
- ``clusters``: word clusters learned from unlabeled news (:mod:`analysis.entities.ner.clusters`), at every
  granularity the cluster file holds, for the word and its neighbours;
- ``gazetteer``: longest matches against the project's gazetteers (places, countries, first names,
  organisations, titles, organisation head words), as B-/I- marks for the word and its neighbours.

Words are looked up through per-word caches, so featurising is fast enough for whole corpora.
"""

from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
import importlib.util
from pathlib import Path

from analysis._core.persian import (ARABIC_DIGITS, LATIN_DIGITS, LETTER_FOLDS, PERSIAN_DIGITS, fold_letters,
                                    remove_diacritics)
from analysis._core.resources import read_table, read_wordlist

# ---------------------------------------------------------------- folding of word keys

#: the core letter folds, plus every digit written as 0 (the shape of a number, not its value)
_FOLD = str.maketrans({**LETTER_FOLDS, **{d: "0" for d in PERSIAN_DIGITS + ARABIC_DIGITS + LATIN_DIGITS}})


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The lookup key of a word: Persian letters, digits as 0, no diacritics/tatweel, ZWNJ kept."""
    return remove_diacritics(word.translate(_FOLD))


def _shape(word: str) -> str:
    if not word:
        return "empty"
    if all(ch.isdigit() for ch in word):
        return "digits"
    if any(ch.isdigit() for ch in word):
        return "hasdigit"
    if all(unicodedata.category(ch).startswith("P") or unicodedata.category(ch).startswith("S") for ch in word):
        return "punct"
    if all("a" <= ch.lower() <= "z" for ch in word):
        return "Latin-upper" if word[0].isupper() else "latin"
    if any("a" <= ch.lower() <= "z" for ch in word):
        return "mixed-latin"
    if "\u200c" in word:
        return "persian-zwnj"
    return "persian"


def _length_bucket(word: str) -> str:
    n = len(word)
    return str(n) if n < 8 else "8+"


# ---------------------------------------------------------------- lexicon (hazm words.dat)


@lru_cache(maxsize=1)
def hazm_lexicon() -> dict[str, tuple[str, int]]:
    """hazm's ``words.dat`` as ``{folded word: (POS classes, frequency decade)}``."""
    spec = importlib.util.find_spec("hazm")  # locate hazm without importing it (its import is slow)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("hazm is not installed: its data/words.dat is needed for lexicon features")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "words.dat"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if len(r) >= 3]
    # fold all words in one pass (one translate and one regex over the joined text)
    words = remove_diacritics("\n".join(r[0] for r in rows).translate(_FOLD)).split("\n")
    lexicon: dict[str, tuple[str, int]] = {}
    for word, (_, freq, pos, *_rest) in zip(words, rows):
        decade = int(math.log10(int(freq) + 1)) if freq.isdigit() else 0
        lexicon.setdefault(word, (pos, decade))
    return lexicon


# ---------------------------------------------------------------- gazetteers

#: gazetteer files and the mark each contributes (files are data/gazetteers/<name>.txt)
GAZETTEER_FILES: dict[str, str] = {
    "provinces": "LOC",
    "cities": "LOC",
    "countries": "LOC",
    "world_cities": "LOC",
    "first_names": "PERNAME",
    "organisations": "ORG",
    "titles": "TITLE",
    "org_heads": "ORGHEAD",
    "roles": "ROLE",
}


class Gazetteer:
    """Phrases (token tuples, folded) with marks; finds the longest match at each position."""

    def __init__(self):
        self.phrases: dict[tuple[str, ...], set[str]] = {}
        self.max_len = 1
        self._lengths: dict[str, list[int]] | None = None  # first token -> phrase lengths, longest first

    def add(self, phrase: str, mark: str) -> None:
        """Add a phrase; ZWNJ compounds match written joined («خرم‌آباد») or apart («خرم آباد»)."""
        for variant in (phrase.split(), phrase.replace("\u200c", " ").split()):
            tokens = tuple(fold_letters(t) for t in variant)
            if tokens:
                self.add_tokens(tokens, {mark})

    def add_tokens(self, tokens: tuple[str, ...], marks: set[str]) -> None:
        """Add a phrase given as folded tokens."""
        self.phrases.setdefault(tokens, set()).update(marks)
        self.max_len = max(self.max_len, len(tokens))
        self._lengths = None

    def _index(self) -> dict[str, list[int]]:
        if self._lengths is None:
            lengths: dict[str, set[int]] = {}
            for phrase in self.phrases:
                lengths.setdefault(phrase[0], set()).add(len(phrase))
            self._lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}
        return self._lengths

    def matches(self, keys: list[str]) -> list[tuple[int, int, set[str]]]:
        """``(start, length, marks)`` of the longest phrase starting at each position of folded ``keys``
        (:func:`fold_letters`), left to right; a match does not stop others starting inside it."""
        index = self._index()
        phrases = self.phrases
        n = len(keys)
        found = []
        for i, key in enumerate(keys):
            lengths = index.get(key)
            if lengths:
                for length in lengths:
                    if i + length <= n:
                        marks = phrases.get(tuple(keys[i : i + length]))
                        if marks:
                            found.append((i, length, marks))
                            break
        return found

    def marks(self, tokens: list[str], keys: list[str] | None = None) -> list[list[str]]:
        """For each token, marks like ``B-LOC`` / ``I-ORG`` from the longest phrases covering it.

        ``keys``: the tokens already folded with :func:`fold_letters` (computed when not given).
        """
        if keys is None:
            keys = [fold_letters(t) for t in tokens]
        out: list[list[str]] = [[] for _ in keys]
        for i, length, marks in self.matches(keys):
            for mark in marks:
                out[i].append("B-" + mark)
                for j in range(i + 1, i + length):
                    out[j].append("I-" + mark)
        return out


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The project's gazetteers (see ``data/gazetteers/``) in one matcher."""
    gazetteer = Gazetteer()
    for name, mark in GAZETTEER_FILES.items():
        for line in read_wordlist(f"gazetteers/{name}.txt"):
            gazetteer.add(line.split("\t")[0], mark)
    for alias in read_table("gazetteers/leader_aliases.csv")["alias"]:
        gazetteer.add(alias, "ALIAS")
    return gazetteer


def learn_dictionary(sentences, min_ratio: float = 0.3, other_types: float | None = None,
                     min_evidence: int = 1) -> Gazetteer:
    """Entity phrases seen in training (``(tokens, tags)`` pairs) as a :class:`Gazetteer`.

    A phrase is kept when at least ``min_ratio`` of its occurrences in the training text are
    tagged as an entity; its mark is the most frequent type and a confidence bucket
    (``ORG`` / ``ORG?`` below 0.7), with ``1`` added when it was tagged fewer than ``min_evidence``
    times (``ORG?1``: one annotator's tag on a word seen twice, such as PEYMA's lone «قاریان» PER,
    is not the evidence of a name tagged forty times, and the CRF can learn to trust it apart; default 1:
    no such marks, since cross-validation and the held-out fifth did not favour them, ner_cv.md).
    ``other_types``: also mark every other type with at least this share of the phrase's entity tags
    («ایران» as LOC and ORG), so the context can choose.
    """
    from analysis.entities.ner.iob import entity_chunks

    typed: dict[tuple[str, ...], dict[str, int]] = {}
    for tokens, tags in sentences:
        keys = [fold_letters(t) for t in tokens]
        for kind, a, b in entity_chunks(tags):
            counts = typed.setdefault(tuple(keys[a:b]), {})
            counts[kind] = counts.get(kind, 0) + 1
    max_len = max((len(p) for p in typed), default=1)
    seen = dict.fromkeys(typed, 0)
    for tokens, _ in sentences:
        keys = [fold_letters(t) for t in tokens]
        for i in range(len(keys)):
            for length in range(1, min(max_len, len(keys) - i) + 1):
                phrase = tuple(keys[i : i + length])
                if phrase in seen:
                    seen[phrase] += 1
    dictionary = Gazetteer()
    for phrase, counts in typed.items():
        kind, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        total = sum(counts.values())
        ratio = total / max(seen[phrase], 1)
        if ratio >= min_ratio:
            bucket = ("" if ratio >= 0.7 else "?") + ("1" if total < min_evidence else "")
            kinds = {kind}
            if other_types is not None:
                kinds |= {k for k, c in counts.items() if c / total >= other_types}
            dictionary.add_tokens(phrase, {k + bucket for k in kinds})
    return dictionary


# ---------------------------------------------------------------- featurizer

FEATURE_GROUPS = ("word", "affix", "context", "lexicon", "clusters", "gazetteer", "dictionary")


class NerFeaturizer:
    """Turns token lists into CRF feature lists.

    ``groups``: which feature groups to use (see module docstring); ``window``: context width;
    ``clusters``: ``{folded word: (cluster id at each granularity, ...)}`` or None;
    ``gazetteer`` / ``dictionary``: :class:`Gazetteer` or None; ``known``: the features a fitted model
    has weights for (any container), others are dropped early.

    Everything a word contributes (its own features and its features as each neighbour) is computed
    once per word type and cached; a sentence's features are assembled from the cached parts.
    """

    def __init__(self, groups=FEATURE_GROUPS, window: int = 2, clusters=None, gazetteer=None, dictionary=None,
                 known=None):  # fmt: skip
        self.groups = frozenset(groups)
        self.dictionary = dictionary
        self.known = known
        self.window = window
        self.clusters = clusters or {}
        self.gazetteer = gazetteer
        self._lexicon = hazm_lexicon() if "lexicon" in self.groups else {}
        self.offsets = (*range(-self.window, 0), *range(1, self.window + 1))
        has_context = "context" in self.groups
        self.pads = tuple(
            self._keep(((f"{o}:BOS" if o < 0 else f"{o}:EOS"),) if has_context else ()) for o in self.offsets
        )
        # the word pairs of the bigram features a fitted model knows (as its right and its left
        # neighbour's feature): other pairs need no feature strings
        self._bigram_pairs = None
        if known is not None:
            pairs: dict[str, set] = {"bi+1=": set(), "bi-1=": set()}
            for f in known:
                if f.startswith(("bi+1=", "bi-1=")):
                    first, _, second = f[5:].partition("|")
                    pairs[f[:5]].add((first, second))
            self._bigram_pairs = (frozenset(pairs["bi+1="]), frozenset(pairs["bi-1="]))
        self._marks_known: dict = {}
        self.word_parts = lru_cache(maxsize=300_000)(self._word_parts)

    def _keep(self, feats) -> tuple[str, ...]:
        known = self.known
        return tuple(feats) if known is None else tuple(f for f in feats if f in known)

    # features of the word itself
    def _own_features(self, word: str) -> tuple[str, ...]:
        key = fold(word)
        feats = ["bias"]
        g = self.groups
        if "word" in g:
            feats += ["w=" + key, "len=" + _length_bucket(key), "shape=" + _shape(word)]
        if "affix" in g:
            bare = key.replace("\u200c", "")
            for k in (1, 2, 3, 4):
                if len(bare) > k:
                    feats.append(f"p{k}=" + bare[:k])
                    feats.append(f"s{k}=" + bare[-k:])
            if "\u200c" in key:
                parts = key.split("\u200c")
                feats += ["zw0=" + parts[0], "zw1=" + parts[-1]]
        if "lexicon" in g:
            entry = self._lexicon.get(key)
            if entry is None:
                feats.append("lex=unk")
            else:
                feats += ["pos=" + p for p in entry[0].split(",")]
                feats.append(f"freq={entry[1]}")
        if "clusters" in g:
            ids = self.clusters.get(key)
            if ids is None:
                feats.append("c=unk")
            else:
                feats += [f"c{i}={c}" for i, c in enumerate(ids)]
        return tuple(feats)

    # features of a word seen as the neighbour at relative position `offset`
    def _context_features(self, word: str, offset: int) -> tuple[str, ...]:
        key = fold(word)
        feats = []
        g = self.groups
        if "context" in g:
            feats.append(f"{offset}:w=" + key)
            if abs(offset) == 1 and "affix" in g:
                bare = key.replace("\u200c", "")
                feats.append(f"{offset}:s2=" + bare[-2:])
        if "lexicon" in g and abs(offset) == 1:
            entry = self._lexicon.get(key)
            feats += [f"{offset}:pos=" + p for p in entry[0].split(",")] if entry else [f"{offset}:lex=unk"]
        if "clusters" in g:
            ids = self.clusters.get(key)
            if ids is None:
                feats.append(f"{offset}:c=unk")
            else:
                use = ids if abs(offset) == 1 else ids[:1]
                feats += [f"{offset}:c{i}={c}" for i, c in enumerate(use)]
        return tuple(feats)

    def _word_parts(self, word: str) -> tuple[tuple[str, ...], ...]:
        """(own features, features as the neighbour at each offset) of one word, known ones only."""
        return (self._keep(self._own_features(word)),
                *(self._keep(self._context_features(word, o)) for o in self.offsets))  # fmt: skip

    def extras(self, tokens: list[str]) -> list[tuple[int, str]]:
        """``(token, feature)`` pairs of the features that depend on more than one word: word bigrams
        and gazetteer / dictionary marks (``B-``/``I-`` positions in a multi-token match)."""
        n = len(tokens)
        extras: list[tuple[int, str]] = []
        if "context" in self.groups and n > 1:
            keys = [fold(t) for t in tokens]
            if self._bigram_pairs is None:
                for i in range(n - 1):
                    pair = keys[i] + "|" + keys[i + 1]
                    extras.append((i, "bi+1=" + pair))
                    extras.append((i + 1, "bi-1=" + pair))
            else:  # a fitted model: only the pairs it has weights for
                plus, minus = self._bigram_pairs
                known = self.known
                for i, pair in enumerate(zip(keys, keys[1:])):
                    if "|" in pair[0] or "|" in pair[1]:  # the feature name cannot be split back: look it up
                        text = pair[0] + "|" + pair[1]
                        extras += [(j, f + text) for j, f in ((i, "bi+1="), (i + 1, "bi-1=")) if f + text in known]
                        continue
                    if pair in plus:
                        extras.append((i, "bi+1=" + pair[0] + "|" + pair[1]))
                    if pair in minus:
                        extras.append((i + 1, "bi-1=" + pair[0] + "|" + pair[1]))
        marked = []
        if "gazetteer" in self.groups and self.gazetteer:
            marked.append((self.gazetteer, "g", (-2, -1, 0, 1)))
        if "dictionary" in self.groups and self.dictionary:
            marked.append((self.dictionary, "d", (-1, 0, 1)))
        if marked:
            letter_keys = [fold_letters(t) for t in tokens]
            known = self.known
            cache = self._marks_known
            for matcher, name, offsets in marked:
                for start, length, marks in matcher.matches(letter_keys):
                    key = (name, length, *sorted(marks))
                    features = cache.get(key)
                    if features is None:
                        # (token relative to the match start, feature) of a match of this length and
                        # marks: token j sees the marks of token j + offset; known features only
                        features = [(i - o, f"{o}:{name}={'B-' if i == 0 else 'I-'}{mark}")
                                    for i in range(length) for mark in sorted(marks) for o in offsets]
                        if known is not None:
                            features = [(d, f) for d, f in features if f in known]
                        cache[key] = features
                    for d, feature in features:
                        j = start + d
                        if 0 <= j < n:
                            extras.append((j, feature))
        return extras

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        """One list of feature names per token of one sentence."""
        n = len(tokens)
        parts = [self.word_parts(t) for t in tokens]
        pads = self.pads
        out = []
        for i in range(n):
            feats = list(parts[i][0])
            for k, offset in enumerate(self.offsets, start=1):
                j = i + offset
                feats += parts[j][k] if 0 <= j < n else pads[k - 1]
            out.append(feats)
        for i, feature in self.extras(tokens):
            out[i].append(feature)
        return out
