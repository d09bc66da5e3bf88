"""Tests of analysis.entities.ner.tagger: the numpy Viterbi and the per-word score table give crfsuite's tags."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.entities.ner import CrfRecognizer
from analysis.entities.ner.tagger import viterbi

from test_ner import make_sentences


def _brute_force(scores: np.ndarray, transition: np.ndarray) -> tuple[int, ...]:
    n, labels = scores.shape
    def total(path):
        return sum(scores[t, y] for t, y in enumerate(path)) + sum(transition[a, b] for a, b in zip(path, path[1:]))
    return max(itertools.product(range(labels), repeat=n), key=total)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=6), st.integers(0, 10_000))
def test_viterbi_finds_the_best_path_of_every_sentence_in_a_batch(lengths, seed):
    rng = np.random.default_rng(seed)
    transition = rng.normal(size=(3, 3))
    scores = [rng.normal(size=(n, 3)) for n in lengths]
    paths = viterbi(scores, transition)
    assert [tuple(p) for p in paths] == [_brute_force(s, transition) for s in scores]


def test_viterbi_of_nothing_is_nothing():
    assert viterbi([], np.zeros((2, 2))) == []


@pytest.fixture(scope="module")
def model():
    train = make_sentences(120, seed=1)
    return CrfRecognizer(clusters=None, max_iterations=40).fit(train)


def test_fast_tags_equal_crfsuite_tags(model):
    rng = random.Random(5)
    sentences = [tokens for tokens, _ in make_sentences(40, seed=9)]
    # shuffled words too, so that weak and conflicting features decide some tags
    sentences += [rng.sample(tokens, len(tokens)) for tokens in sentences[:20]] + [["علی"], []]
    tagger = model.tagger_
    expected = [list(tagger.tag(model.featurizer_.sentence(tokens))) if tokens else [] for tokens in sentences]
    assert model.predict(sentences) == expected
    assert model.predict(sentences, batch_size=3) == expected


def test_word_table_starts_afresh_when_full_and_tags_stay_the_same(model):
    from analysis.entities.ner.tagger import FastTagger

    sentences = [tokens for tokens, _ in make_sentences(30, seed=4)]
    small = FastTagger(model.featurizer_, model.weights_, max_words=15)
    assert small.tag(sentences[:10]) == model.predict(sentences[:10])
    assert [small.tag([s])[0] for s in sentences] == model.predict(sentences)
    assert len(small._word_rows) <= 15 + max(map(len, sentences))


def test_known_feature_shortcuts_keep_every_known_feature(model):
    """A fitted model's featurizer forms only the bigram and mark features the model knows: exactly the
    known ones among all the features an unfiltered featurizer forms (words with '|' included)."""
    from analysis.entities.ner.features import NerFeaturizer

    fitted = model.featurizer_
    raw = NerFeaturizer(groups=fitted.groups, window=fitted.window, clusters=fitted.clusters,
                        gazetteer=fitted.gazetteer, dictionary=fitted.dictionary, known=None)
    known = fitted.known
    sentences = [tokens for tokens, _ in make_sentences(40, seed=11)]
    sentences += [["|", *tokens[:3], "a|b"] for tokens in sentences[:5]]
    for tokens in sentences:
        assert sorted(fitted.extras(tokens)) == sorted(p for p in raw.extras(tokens) if p[1] in known)
