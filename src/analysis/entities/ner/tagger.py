"""Fast tagging with a fitted crfsuite model: its weights as numpy arrays, Viterbi over many sentences.

python-crfsuite's ``Tagger.tag`` looks every feature name of every token up in the model's string
dictionary, sentence by sentence. :class:`WeightTable` reads the weights out of the model once;
the featurizer then gives each token's features as row numbers (cached per word type,
:meth:`analysis.entities.ner.features.NerFeaturizer.rows`), a token's label scores are one sum of weight
rows, and :func:`viterbi` decodes all sentences of a text together. The labels are the ones
crfsuite's own Viterbi gives (same model: per-token feature weights plus label-transition weights,
no start or end weights).
"""

from __future__ import annotations

import numpy as np


class WeightTable:
    """A crfsuite model's weights: ``rows`` maps a feature name to its row of ``state`` (one column a
    label; row 0 is all zeros), ``transition[a, b]`` is the weight of label a followed by label b."""

    def __init__(self, rows: dict[str, int], state: np.ndarray, transition: np.ndarray, labels: list[str]):
        self.rows = rows
        self.state = state
        self.transition = transition
        self.labels = labels

    @classmethod
    def from_tagger(cls, tagger) -> "WeightTable":
        """The weights of an open ``pycrfsuite.Tagger``."""
        info = tagger.info()
        labels = [name for name, _ in sorted(info.labels.items(), key=lambda kv: int(kv[1]))]
        label_index = {name: k for k, name in enumerate(labels)}
        attributes = sorted({attr for attr, _ in info.state_features})
        rows = {attr: k for k, attr in enumerate(attributes, start=1)}
        state = np.zeros((len(attributes) + 1, len(labels)))
        for (attr, label), weight in info.state_features.items():
            state[rows[attr], label_index[label]] = weight
        transition = np.zeros((len(labels), len(labels)))
        for (a, b), weight in info.transitions.items():
            transition[label_index[a], label_index[b]] = weight
        return cls(rows, state, transition, labels)

    def total(self, features) -> np.ndarray:
        """Sum of the weight rows of some features (label scores; unknown features count 0)."""
        rows = [self.rows[f] for f in features if f in self.rows]
        return self.state[rows].sum(axis=0) if rows else np.zeros(len(self.labels))


class FastTagger:
    """Label scores and Viterbi tags of token lists for a featurizer and the weights of its model.

    A word type's scores (its own features, and its features as each neighbour) are summed once and
    kept in a table; a token's scores are then its word's row plus its neighbours' rows at their
    offsets, plus the few features that depend on several words (bigrams, gazetteer marks).
    ``max_words``: word types kept in the table (about 0.5 kB each); it starts afresh before a batch
    that could overflow it.
    """

    def __init__(self, featurizer, weights: WeightTable, max_words: int = 100_000):
        self.featurizer = featurizer
        self.weights = weights
        self.max_words = max_words
        self._word_rows: dict[str, int] = {}
        self._table = np.zeros((1024, 1 + len(featurizer.offsets), len(weights.labels)))
        self._pads = np.array([weights.total(pad) for pad in featurizer.pads]).reshape(
            len(featurizer.offsets), len(weights.labels)
        )

    def _row(self, word: str) -> int:
        row = self._word_rows.get(word)
        if row is None:
            row = len(self._word_rows)
            if row == len(self._table):
                self._table = np.concatenate([self._table, np.zeros_like(self._table)])
            self._table[row] = [self.weights.total(part) for part in self.featurizer.word_parts(word)]
            self._word_rows[word] = row
        return row

    def scores(self, token_lists: list[list[str]]) -> list[np.ndarray]:
        """Token x label scores of each (non-empty) token list."""
        lengths = np.array([len(tokens) for tokens in token_lists])
        if len(self._word_rows) + int(lengths.sum()) > self.max_words:
            self._word_rows.clear()  # so that no row is reused within this batch
        ids = np.array([self._row(t) for tokens in token_lists for t in tokens], dtype=np.intp)
        words = self._table[ids]  # token x part x label
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        position = np.arange(len(ids)) - starts
        length = np.repeat(lengths, lengths)
        total = words[:, 0, :].copy()
        for k, offset in enumerate(self.featurizer.offsets, start=1):
            inside = (position + offset >= 0) & (position + offset < length)
            where = np.flatnonzero(inside)
            total[where] += words[where + offset, k, :]
            total[~inside] += self._pads[k - 1]
        rows, at = [], []
        first = 0
        known = self.weights.rows
        for tokens in token_lists:
            for i, feature in self.featurizer.extras(tokens):
                rows.append(known[feature])
                at.append(first + i)
            first += len(tokens)
        if rows:
            np.add.at(total, at, self.weights.state[rows])
        bounds = np.cumsum(lengths)
        return np.split(total, bounds[:-1])

    def tag(self, token_lists: list[list[str]]) -> list[list[str]]:
        """Tags of each non-empty token list."""
        labels = self.weights.labels
        paths = viterbi(self.scores(token_lists), self.weights.transition)
        return [[labels[k] for k in path] for path in paths]


def viterbi(scores: list[np.ndarray], transition: np.ndarray) -> list[np.ndarray]:
    """Best label sequence (label numbers) of each sentence, given its token x label scores.

    All sentences are decoded together, longest first: at step t only the sentences longer than t
    move on; the others keep their scores and an identity back-pointer.
    """
    if not scores:
        return []
    order = sorted(range(len(scores)), key=lambda b: -len(scores[b]))
    lengths = [len(scores[b]) for b in order]
    n_labels = transition.shape[0]
    batch, longest = len(order), lengths[0]
    emission = np.zeros((batch, longest, n_labels))
    for row, b in enumerate(order):
        emission[row, : lengths[row]] = scores[b]
    back = np.empty((longest, batch, n_labels), dtype=np.intp)
    back[:] = np.arange(n_labels)
    active = np.searchsorted(-np.asarray(lengths), -np.arange(longest), side="left")  # sentences longer than t
    best = emission[:, 0, :].copy()
    for t in range(1, longest):
        k = int(active[t])
        candidates = best[:k, :, None] + transition  # sentence x from x to
        back[t, :k] = candidates.argmax(axis=1)
        best[:k] = candidates.max(axis=1) + emission[:k, t, :]
    label = best.argmax(axis=1)
    path = np.empty((longest, batch), dtype=np.intp)
    path[longest - 1] = label
    every = np.arange(batch)
    for t in range(longest - 1, 0, -1):
        label = back[t][every, label]
        path[t - 1] = label
    out: list[np.ndarray] = [None] * batch  # type: ignore[list-item]
    for row, b in enumerate(order):
        out[b] = path[: lengths[row], row]
    return out
