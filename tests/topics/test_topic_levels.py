"""The number of topics and the two levels, on synthetic corpora whose structure is known.

Articles are drawn from word distributions directly: each subject has its own vocabulary, each of
its stories a vocabulary of its own on top, and every article also draws from a shared general
vocabulary (Zipf-distributed within each). Sizes, numbers of subjects and stories, subject sizes and
seeds vary; nothing here is tuned to one corpus.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from analysis import topics
from analysis.topics.hierarchy import (coarse_shares, group_by_cooccurrence, group_topics, topic_affinity,
                                       topic_centroids, topic_cooccurrence, topic_similarity)
from analysis.topics.selection import choose_fine_k, heldout_fit, topic_distinctness

LETTERS = list("بپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")
PLAIN = dict(content_words=False, lemmas=False, phrases=False)  # pseudo-words: no lexicon, no phrases


def _words(n, rng, used):
    out = []
    while len(out) < n:
        word = "".join(rng.choice(LETTERS, size=int(rng.integers(4, 7))))
        if word not in used:
            used.add(word)
            out.append(word)
    return out


def _zipf(n):
    p = 1 / np.arange(1, n + 1) ** 0.9
    return p / p.sum()


def synthetic(n_docs=1500, n_subjects=5, n_stories=3, seed=0, subject_share=0.45, story_share=0.3, balance=4.0):
    """Articles with a known subject (and story within it); subject sizes drawn unequal (Dirichlet
    with concentration ``balance``: the larger, the closer to equal)."""
    rng = np.random.default_rng(seed)
    used: set[str] = set()
    general = _words(300, rng, used)
    subjects = [_words(40, rng, used) for _ in range(n_subjects)]
    stories = [[_words(20, rng, used) for _ in range(max(n_stories, 1))] for _ in range(n_subjects)]
    sizes = rng.dirichlet(np.full(n_subjects, float(balance)))
    story_share = story_share if n_stories else 0.0
    rows = []
    for i in range(n_docs):
        s, t = int(rng.choice(n_subjects, p=sizes)), int(rng.integers(max(n_stories, 1)))
        parts = rng.multinomial(int(rng.integers(40, 160)), [subject_share, story_share, 1 - subject_share - story_share])
        tokens = list(rng.choice(subjects[s], size=parts[0], p=_zipf(40)))
        if n_stories:
            tokens += list(rng.choice(stories[s][t], size=parts[1], p=_zipf(20)))
        tokens += list(rng.choice(general, size=parts[2], p=_zipf(300)))
        rng.shuffle(tokens)
        rows.append((f"d{i:05d}", s, s * 100 + t, tokens))
    frame = pd.DataFrame(rows, columns=["doc_id", "subject", "story", "tokens"])
    frame["title"] = frame["tokens"].map(lambda t: " ".join(t[:5]))
    return frame


@pytest.mark.slow
@pytest.mark.parametrize("n_docs, n_subjects, n_stories, seed", [
    (1500, 5, 3, 0),   # 5 subjects × 3 stories: 5 coarse topics, the stories at the fine level
    (600, 5, 3, 3),    # the same structure, fewer articles
    (2500, 8, 2, 1),   # more subjects (16 stories: the fine level must reach them within k_range)
    (1000, 4, 2, 4),   # fewer, with two stories each
    (1500, 5, 0, 0),   # no sub-topics: one level, k = 5
    (900, 7, 0, 5),
])
def test_auto_k_finds_the_subjects(n_docs, n_subjects, n_stories, seed):
    frame = synthetic(n_docs, n_subjects, n_stories, seed)
    model = topics.TopicModel(random_state=0, **PLAIN).fit(frame)
    assert model.k_ == n_subjects
    coarse = topics.dominant_topics(model, frame)["topic"]
    assert normalized_mutual_info_score(frame["subject"], coarse) > 0.95
    if n_stories:  # the fine level holds the stories, each inside its subject's coarse topic
        assert model.fine_k_ >= n_subjects * n_stories - 1
        fine = topics.dominant_topics(model, frame, level="fine")["topic"]
        assert normalized_mutual_info_score(frame["story"], fine) > 0.9
        assert (model.parent_[fine.to_numpy()] == coarse.to_numpy()).mean() > 0.95
    else:
        assert model.fine_k_ == n_subjects


@pytest.mark.slow
@pytest.mark.parametrize("n_docs, n_stories, subject_share, story_share, seed", [
    (3000, 3, 0.25, 0.3, 12),  # five sections of equal size, their own words a quarter of an article
    (2000, 4, 0.2, 0.35, 13),  # weaker still, four stories each
])
def test_equal_sections_give_five_subjects(n_docs, n_stories, subject_share, story_share, seed):
    frame = synthetic(n_docs, 5, n_stories, seed, subject_share=subject_share, story_share=story_share, balance=1000)
    model = topics.TopicModel(random_state=0, **PLAIN).fit(frame)
    assert model.k_ == 5 and model.fine_k_ > 5
    assert normalized_mutual_info_score(frame["subject"], topics.dominant_topics(model, frame)["topic"]) > 0.95


@pytest.mark.slow
def test_weak_subjects_are_still_grouped():
    # the subject's own words are a fifth of an article, its story's more: the pieces' likeness by
    # vocabulary alone shows no substantial structure (the old silhouette rule kept 20 topics), but
    # pieces of a subject still explain each other's articles more than chance
    frame = synthetic(1000, 6, 4, seed=4, subject_share=0.2, story_share=0.35)
    model = topics.TopicModel(random_state=0, **PLAIN).fit(frame)
    assert model.fine_k_ >= 12 and model.k_ == 6
    coarse = topics.dominant_topics(model, frame)["topic"]
    assert normalized_mutual_info_score(frame["subject"], coarse) > 0.95
    matrix = model.term_matrix(frame)
    shares = model.transform(frame, level="fine").to_numpy()
    assert group_topics(topic_similarity(topic_centroids(matrix, shares)))[1]["silhouette"].max() <= 0.25
    table = model.grouping_
    assert table.loc[table["chosen"], "groups"].item() == 6
    assert (table["pmi"].dropna().iloc[:model.fine_k_ - 6] > 0).all()  # merges kept: above chance
    assert table.loc[table["groups"] == 5, "pmi"].item() <= 0  # the next one is not


@pytest.mark.slow
def test_coarse_k_does_not_grow_with_the_range_scanned():
    frame = synthetic(1200, 5, 3, seed=2)
    short = topics.TopicModel(k_range=range(4, 17), random_state=0, **PLAIN).fit(frame)
    long = topics.TopicModel(k_range=range(4, 31), random_state=0, **PLAIN).fit(frame)
    assert short.k_ == long.k_ == 5


def test_levels_are_linked(planted_levels):
    model, frame = planted_levels
    fine = model.transform(frame, level="fine").to_numpy()
    coarse = model.transform(frame).to_numpy()
    assert fine.shape[1] == model.fine_k_ and coarse.shape[1] == model.k_
    np.testing.assert_allclose(coarse, coarse_shares(fine, model.parent_))  # a subject = its stories
    np.testing.assert_allclose(model.components_.sum(axis=0), model.fine_components_.sum(axis=0))
    tree = topics.topic_tree(model)
    assert len(tree) == model.fine_k_ and set(tree["coarse"]) == set(range(model.k_))
    assert np.isclose(tree["fine_prevalence"].sum(), 1) and np.isclose(model.prevalence_.sum(), 1)
    long = topics.document_topics(model, frame, level="fine")
    assert len(long) == len(frame) * model.fine_k_ and set(long["label"]) == set(model.fine_labels_)
    with pytest.raises(ValueError, match="level"):
        model.transform(frame, level="middle")


def test_topic_summary_names_each_topic(planted_levels):
    model, frame = planted_levels
    for level, k in (("coarse", model.k_), ("fine", model.fine_k_)):
        summary = topics.topic_summary(model, frame, level=level, n_articles=2)
        assert len(summary) == k and summary["terms"].str.len().gt(0).all()
        assert summary["articles"].str.count(r" \| ").eq(1).all()
        assert np.allclose(summary["npmi"], model.topic_coherence_ if level == "coarse" else model.fine_topic_coherence_)
    assert "parent" in topics.topic_summary(model, frame, level="fine")


@pytest.fixture(scope="module")
def planted_levels():
    frame = synthetic(700, 4, 3, seed=6)
    return topics.TopicModel(random_state=0, k_range=range(4, 17), **PLAIN).fit(frame), frame


def test_grouping_rule():
    rng = np.random.default_rng(0)
    # three families of three topics: pieces share their family's terms
    family = rng.random((3, 60)) * (rng.random((3, 60)) < 0.3)
    pieces = np.vstack([family[f] + 0.6 * rng.random(60) * (rng.random(60) < 0.1) for f in range(3) for _ in range(3)])
    groups, table = group_topics(topic_similarity(pieces))
    assert len(set(groups)) == 3 and all(len(set(groups[i:i + 3])) == 1 for i in (0, 3, 6))
    assert table.loc[table["chosen"], "groups"].item() == 3
    # unrelated topics (disjoint terms): no substantial structure, every topic its own group
    disjoint = np.kron(np.eye(6), np.ones(10)) + 0.01 * rng.random((6, 60))
    groups, table = group_topics(topic_similarity(disjoint))
    assert sorted(groups) == list(range(6)) and table["silhouette"].max() <= 0.25
    assert list(group_topics(topic_similarity(pieces), n_groups=1)[0]) == [0] * 9


def test_cooccurrence_grouping_rule():
    rng = np.random.default_rng(0)
    # 300 articles, three subjects of two pieces each: an article weighs on its subject's two pieces
    subject = rng.integers(3, size=300)
    affinity = 0.02 * rng.random((300, 6))
    for piece in range(2):
        mix = rng.random(300)
        affinity[np.arange(300), 2 * subject + piece] += mix if piece == 0 else 1 - mix
    pmi = topic_cooccurrence(affinity)
    assert pmi[0, 1] > 0 and pmi[0, 2] < 0 and np.allclose(pmi, pmi.T)
    groups, table = group_by_cooccurrence(affinity)
    assert list(groups) == [0, 0, 1, 1, 2, 2] and table.loc[table["chosen"], "groups"].item() == 3
    assert list(table["groups"]) == [6, 5, 4, 3, 2, 1] and (table["pmi"].iloc[1:4] > 0).all()
    assert (table["pmi"].iloc[4:] <= 0).all()
    # pieces that never share an article: nothing is merged; a given number of groups is obeyed
    exclusive = np.eye(6)[rng.integers(6, size=300)]
    assert list(group_by_cooccurrence(exclusive)[0]) == list(range(6))
    assert len(set(group_by_cooccurrence(affinity, n_groups=2)[0])) == 2
    assert list(group_by_cooccurrence(affinity, n_groups=1)[0]) == [0] * 6
    # affinity: the squared cosine of an article with a topic's terms; 0 for an empty article
    components = np.array([[1.0, 0, 0], [0, 1.0, 1.0]])
    docs = np.array([[2.0, 0, 0], [0, 1.0, 0], [0, 0, 0]])
    np.testing.assert_allclose(topic_affinity(docs, components), [[1, 0], [0, 0.5], [0, 0]])
    from scipy import sparse
    np.testing.assert_allclose(topic_affinity(sparse.csr_matrix(docs), components), topic_affinity(docs, components))


def test_selection_measures():
    from sklearn.decomposition import NMF
    from scipy import sparse

    rng = np.random.default_rng(1)
    basis = np.kron(np.eye(3), np.ones(20))
    X = sparse.csr_matrix(rng.random((200, 3)) @ basis + 0.01 * rng.random((200, 60)))
    nmf = NMF(3, init="nndsvda", max_iter=500, random_state=0).fit(X[:150])
    assert heldout_fit(nmf, X[150:]) > 0.95 and heldout_fit(nmf, X[150:]) <= 1
    assert heldout_fit(NMF(1, random_state=0).fit(X[:150]), X[150:]) < heldout_fit(nmf, X[150:])
    assert topic_distinctness(basis) == pytest.approx(1.0)
    assert topic_distinctness(np.vstack([basis, basis[0] + 0.01])) < 0.01  # a topic split in two
    curve = pd.DataFrame({"k": [4, 5, 6, 7], "npmi": [0.30, 0.40, 0.41, 0.45], "npmi_se": [0.01, 0.02, 0.02, 0.01],
                          "stability": [0.99, 0.98, 0.97, 0.60]})
    assert choose_fine_k(curve) == 5  # the unstable k = 7 is left out; 5 is within one error of 6


def test_level_charts_draw(planted_levels, tmp_path):
    import matplotlib.pyplot as plt

    from analysis.plots import topics as charts

    model, frame = planted_levels
    axes = charts.selection_chart(model.coherence_, model.grouping_)
    assert len(axes) == 2 and len(axes[0].get_lines()) >= 4  # every criterion is drawn
    axes[0].figure.savefig(tmp_path / "selection.png")
    ax = charts.hierarchy_chart(topics.topic_tree(model))
    assert len(ax.patches) == model.k_ + model.fine_k_
    ax.figure.savefig(tmp_path / "tree.png")
    empty = charts.hierarchy_chart(topics.topic_tree(model).iloc[:0])
    for figure in (axes[0].figure, ax.figure, empty.figure):
        plt.close(figure)
