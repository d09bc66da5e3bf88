"""Near-duplicate republication: MinHash + LSH, exact verification, first publisher, site table, graph."""

from __future__ import annotations

import random

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.plots.patterns import republication_network
from analysis.patterns.republication import (
    RepublicationDetector,
    find_republications,
    lsh_params,
    republication_graph,
    shingle_jaccard,
    site_republication,
)

#: a small Persian vocabulary; articles are random sentences over it, sharing topic words
WORDS = ("استان", "بسیج", "مردم", "دولت", "مجلس", "نماینده", "شهر", "روستا", "آب", "برق", "جاده", "مدرسه",
         "دانشگاه", "بیمارستان", "پروژه", "افتتاح", "بودجه", "میلیارد", "ریال", "سال", "جاری", "رئیس", "سازمان",
         "کارگر", "کشاورز", "تولید", "اقتصاد", "فرهنگ", "جوان", "ورزش", "تیم", "مسابقه", "همایش", "برگزار",
         "گفت", "افزود", "کرد", "شد", "است", "در", "به", "از", "با", "برای", "این", "که", "را", "و", "تا", "هم")
SITES = ("semnan", "yazd", "qom", "tehran", "fars", "gilan")


def random_text(rng: random.Random, n_words: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n_words)]
    for i in range(12, n_words, 13):
        words[i] += "."
    return " ".join(words)


def edited(rng: random.Random, text: str, rate: float) -> str:
    words = text.split()
    for i in range(len(words)):
        if rng.random() < rate:
            words[i] = rng.choice(WORDS)
    return " ".join(words)


def planted_corpus(n_originals: int = 300, seed: int = 1):
    """Originals on random sites/days plus planted copies (exact, edited, truncated, re-titled) on
    other sites, hours later. Returns (articles, truth: copy doc_id -> original doc_id)."""
    rng = random.Random(seed)
    rows, truth = [], {}
    start = pd.Timestamp("2022-03-21")
    for i in range(n_originals):
        body = random_text(rng, rng.randint(80, 400))
        when = start + pd.Timedelta(hours=rng.randint(0, 24 * 300))
        rows.append({"doc_id": f"o{i}", "site": rng.choice(SITES), "published": when, "title": f"عنوان {i}", "body": body})
        if i % 3 == 0:
            kind = ("exact", "edited", "truncated", "retitled", "heavy")[(i // 3) % 5]
            copy = {"exact": body, "retitled": body, "edited": edited(rng, body, 0.01),
                    "truncated": " ".join(body.split()[: int(len(body.split()) * 0.9)]),
                    "heavy": edited(rng, body, 0.25)}[kind]
            site = rng.choice([s for s in SITES if s != rows[-1]["site"]])
            lag = pd.Timedelta(hours=rng.randint(1, 72))
            rows.append({"doc_id": f"c{i}", "site": site, "published": when + lag,
                         "title": f"تیتر تازه {i}" if kind == "retitled" else f"عنوان {i}", "body": copy})
            truth[f"c{i}"] = f"o{i}"
    rows.append({"doc_id": "empty1", "site": "qom", "published": start, "title": "", "body": ""})
    rows.append({"doc_id": "empty2", "site": "yazd", "published": start, "title": "", "body": ""})
    articles = pd.DataFrame(rows)
    articles["domain"] = "basij.ir"
    return articles.sample(frac=1, random_state=seed).reset_index(drop=True), truth


@pytest.fixture(scope="module")
def planted():
    articles, truth = planted_corpus()
    detector = RepublicationDetector(progress=False).fit(articles)
    return articles, truth, detector


def test_precision_and_recall_on_planted_copies(planted):
    articles, truth, detector = planted
    body = articles.set_index("doc_id")["body"]
    strong = {c: o for c, o in truth.items() if shingle_jaccard(body[c], body[o]) >= 0.8}
    weak = set(truth) - set(strong)
    assert len(strong) >= 60 and weak  # the heavily edited copies are below the threshold
    copies = detector.copies_
    found = dict(zip(copies.loc[~copies["is_first"], "doc_id"], copies.loc[~copies["is_first"], "first_doc_id"]))
    correct = sum(found.get(c) == o for c, o in strong.items())
    assert correct / len(strong) >= 0.95  # recall, with the right first publisher
    assert sum(truth.get(c) == o for c, o in found.items()) / len(found) >= 0.95  # precision
    assert all(copies["similarity"] >= 0.8 - 1e-9)
    assert "empty1" not in set(copies["doc_id"])  # empty texts are not copies of each other


def test_copies_carry_lag_similarity_and_first_publisher(planted):
    articles, truth, detector = planted
    copies = detector.copies_
    first = copies[copies["is_first"]]
    assert (first["lag_hours"] == 0).all() and (first["similarity"] == 1).all()
    later = copies[~copies["is_first"]]
    assert (later["lag_hours"] > 0).all()
    assert copies.groupby("cluster_id")["is_first"].sum().eq(1).all()
    retitled = later[later["title"].str.startswith("تیتر تازه")]
    assert len(retitled) > 0  # a new title does not hide a copy (the body is compared)


def test_site_table_and_graph_agree(planted):
    _, _, detector = planted
    copies = detector.copies_
    table = site_republication(copies)
    assert table["n_copies"].sum() == (~copies["is_first"]).sum()
    graph = republication_graph(copies)
    assert isinstance(graph, nx.DiGraph)
    assert sum(d["n_copies"] for _, _, d in graph.edges(data=True)) == table.loc[table["source"] != table["copier"], "n_copies"].sum()
    for u, v, d in graph.edges(data=True):
        assert d["median_lag_hours"] > 0 and d["weight"] == d["n_copies"]
    ax = republication_network(graph)
    assert isinstance(ax, plt.Axes)
    plt.close("all")


def test_nothing_to_find():
    articles = pd.DataFrame({"doc_id": ["a", "b"], "published": pd.to_datetime(["2020-01-01", "2020-01-02"]),
                             "body": ["یک متن کاملا متفاوت درباره آب", "متن دیگری درباره برق و جاده"],
                             "site": ["x", "y"]})
    copies = find_republications(articles, progress=False)
    assert copies.empty and list(copies.columns)[:2] == ["cluster_id", "doc_id"]
    assert site_republication(copies).empty
    assert republication_graph(copies).number_of_nodes() == 0


def test_missing_text_column_is_named():
    with pytest.raises(KeyError, match="body"):
        RepublicationDetector().fit(pd.DataFrame({"doc_id": ["a"], "published": [pd.NaT]}))


def test_undated_article_is_never_first_when_a_dated_copy_exists():
    text = random_text(random.Random(3), 120)
    articles = pd.DataFrame({"doc_id": ["undated", "dated"], "published": [pd.NaT, pd.Timestamp("2021-01-01")],
                             "body": [text, text], "site": ["a", "b"]})
    copies = find_republications(articles, progress=False)
    assert copies.loc[copies["is_first"], "doc_id"].item() == "dated"
    assert pd.isna(copies.loc[~copies["is_first"], "lag"]).all()


def test_minhash_estimates_jaccard(planted):
    articles, _, detector = planted
    rng = np.random.default_rng(0)
    body = articles["body"].tolist()
    pairs = [tuple(p) for p in rng.integers(0, len(body) - 2, size=(40, 2)) if p[0] != p[1]]
    pairs += [(i, j) for i, j in zip(detector.pairs_["doc_a"], detector.pairs_["doc_b"])][:40]
    sig = detector.signatures_
    errors = [abs((sig[i] == sig[j]).mean() - shingle_jaccard(body[i], body[j])) for i, j in pairs]
    assert np.mean(errors) < 0.05 and max(errors) < 0.2


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=0.3, max_value=0.95), st.sampled_from([64, 128, 256]))
def test_lsh_params_catch_pairs_at_the_threshold(threshold, num_perm):
    bands, rows = lsh_params(threshold, num_perm)
    assert bands * rows <= num_perm
    assert 1 - (1 - threshold**rows) ** bands >= 0.995


def test_demo_copies_found_with_their_originals(demo_articles, demo_truth):
    copies = find_republications(demo_articles, progress=False)
    file_of = {d: p for d, p in zip(demo_articles["doc_id"], demo_articles["path"])}
    loaded = {str(p) for p in demo_articles["path"]}

    def loaded_path(relative):
        return next((p for p in loaded if p.endswith(relative)), None)

    planted = demo_truth[(demo_truth["duplicate_of"] != "") & (demo_truth["duplicate_jaccard"] >= 0.8)]
    expected = {(loaded_path(c), loaded_path(o)) for c, o in zip(planted["file"], planted["duplicate_of"])}
    expected = {(c, o) for c, o in expected if c and o}
    later = copies[~copies["is_first"]]
    found = {(file_of[c], file_of[f]) for c, f in zip(later["doc_id"], later["first_doc_id"])}
    assert expected, "the demo corpus should hold planted copies"
    assert len(expected & found) / len(expected) >= 0.95


def test_many_identical_short_articles_form_one_cluster_quickly():
    rng = random.Random(5)
    boilerplate = "تصاویر این خبر را در ادامه ببینید و به اشتراک بگذارید"
    other = [random_text(rng, 60) for _ in range(50)]
    bodies = [boilerplate] * 3000 + other
    articles = pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(len(bodies))],
        "published": pd.Timestamp("2022-01-01") + pd.to_timedelta(np.arange(len(bodies)), unit="min"),
        "body": bodies, "site": [SITES[i % len(SITES)] for i in range(len(bodies))],
    })
    detector = RepublicationDetector(progress=False).fit(articles)
    assert detector.n_candidates_ < 10 * len(bodies)  # no all-pairs blow-up in the shared bucket
    copies = detector.copies_
    big = copies[copies["cluster_size"] == 3000]
    assert len(big) == 3000 and big.loc[big["is_first"], "doc_id"].item() == "d0"


# ------------------------------------------------------------------------------ out of core


def in_chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[i:i + size].reset_index(drop=True) for i in range(0, len(frame), size)]


def test_first_pass_keeps_every_copy_as_a_candidate(planted):
    from analysis.patterns.republication import band_keys, candidate_ids

    articles, _, detector = planted
    keys = pd.concat([band_keys(chunk) for chunk in in_chunks(articles, 100)], ignore_index=True)
    assert list(keys.columns) == ["doc_id"] + [f"band_{i}" for i in range(detector.bands_)]
    assert keys["band_0"].dtype == np.uint64 and "empty1" not in set(keys["doc_id"])
    wanted = candidate_ids(keys)
    from analysis.patterns.republication import candidate_sketch

    picked = set(pd.concat([candidate_sketch(chunk, wanted).articles for chunk in in_chunks(articles, 100)])["doc_id"])
    assert set(detector.copies_["doc_id"]) <= picked and len(picked) == len(wanted) < len(articles)




def test_a_table_is_required_in_memory(planted):
    articles, _, _ = planted
    with pytest.raises(TypeError, match="scale.engine.find_republications"):
        find_republications(in_chunks(articles, 100))
