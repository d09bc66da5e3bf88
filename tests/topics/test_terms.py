"""Terms: frequency tables, collocations, TF-IDF keywords, keyness, concordance and trends."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import terms
from analysis.text import tokenize

STOP = frozenset({"و", "در", "به", "از", "که", "این", "را", "با", "است", "شد", "کرد"})


def _articles(bodies, **columns) -> pd.DataFrame:
    n = len(bodies)
    frame = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(n)],
            "title": [f"عنوان {i}" for i in range(n)],
            "body": bodies,
            **columns,
        }
    )
    frame["tokens"] = frame["body"].map(tokenize)
    return frame


@pytest.fixture()
def small():
    return _articles(
        [
            "بسیج کارگری در استان سمنان فعال است و بسیج کارگری رشد کرد",
            "مقام معظم رهبری بر اقتصاد مقاومتی تاکید کرد",
            "اقتصاد مقاومتی و تولید ملی در سمنان",
            "تیم فوتبال سمنان در لیگ برتر پیروز شد",
        ],
        site=["semnan", "semnan", "tehran", "tehran"],
        categories=[["اقتصاد", "استان"], ["سیاسی"], ["اقتصاد"], ["ورزش"]],
        published_jalali=["1402-01-05", "1402-01-20", "1402-03-01", ""],
    )


# ------------------------------------------------------------------------------------ frequencies


def test_term_frequencies_counts_rates_and_document_frequency(small):
    before = small.copy()
    table = terms.term_frequencies(small, stopwords=STOP)
    pd.testing.assert_frame_equal(small, before)  # input untouched
    row = table.set_index("term").loc["سمنان"]
    assert row["count"] == 3 and row["doc_freq"] == 3 and row["doc_share"] == pytest.approx(0.75)
    n_words = sum(len(t) for t in small["tokens"])
    assert row["per_1000"] == pytest.approx(1000 * 3 / n_words)
    assert "و" not in set(table["term"])  # stopwords are not terms
    assert table["count"].is_monotonic_decreasing


def test_term_frequencies_per_group_and_list_columns(small):
    by_site = terms.term_frequencies(small, by="site", stopwords=STOP)
    assert set(by_site["site"]) == {"semnan", "tehran"}
    assert by_site.query("site == 'semnan' and term == 'کارگری'")["count"].item() == 2
    by_category = terms.term_frequencies(small, by="categories", stopwords=STOP)
    # an article with two categories counts in both
    assert by_category.query("term == 'کارگری'")["categories"].tolist() == ["استان", "اقتصاد"]
    top = terms.term_frequencies(small, by="site", stopwords=STOP, top=2)
    assert top.groupby("site").size().max() == 2


def test_term_frequencies_bigrams_and_unknown_column(small):
    bigrams = terms.term_frequencies(small, ngram=2, stopwords=STOP)
    assert bigrams.set_index("term").loc["اقتصاد مقاومتی", "count"] == 2
    assert not any(t.startswith("و ") or t.endswith(" و") for t in bigrams["term"])
    with pytest.raises(KeyError, match="nope"):
        terms.term_frequencies(small, by="nope", stopwords=STOP)


def test_term_frequencies_of_an_empty_table_has_the_columns():
    empty = _articles([])
    table = terms.term_frequencies(empty, stopwords=STOP)
    assert list(table.columns) == ["term", "count", "per_1000", "doc_freq", "doc_share"] and table.empty


# ------------------------------------------------------------------------------------ collocations


def _name_corpus():
    filler = ["دولت", "مجلس", "مردم", "کشور", "استان", "شهر", "مدیر", "طرح", "برنامه", "جلسه", "سال", "روز"]
    rng = np.random.default_rng(3)
    bodies = []
    for i in range(60):
        words = list(rng.choice(filler, size=12))
        if i % 2 == 0:
            words[4:4] = ["مقام", "معظم", "رهبری"]
        if i % 3 == 0:
            words[8:8] = ["بسیج", "کارگری"]
        bodies.append(" ".join(words))
    return _articles(bodies)


def test_collocations_surface_names_whole():
    table = terms.collocations(_name_corpus(), stopwords=STOP)
    phrases = table["phrase"].tolist()
    assert phrases[:2] == sorted(phrases[:2], key=lambda p: -table.set_index("phrase").loc[p, "llr"])
    assert "مقام معظم رهبری" in phrases and "بسیج کارگری" in phrases
    # the parts of the three-word name are not listed on their own
    assert "معظم رهبری" not in phrases and "مقام معظم" not in phrases
    row = table.set_index("phrase").loc["مقام معظم رهبری"]
    assert row["count"] == 30 and row["doc_freq"] == 30 and row["n"] == 3
    assert 0 < row["npmi"] <= 1 and row["llr"] > 10.83
    # random pairs of filler words are not collocations
    assert table["npmi"].min() > 0
    kept = terms.collocations(_name_corpus(), stopwords=STOP, keep_subsumed=True)
    assert "معظم رهبری" in set(kept["phrase"])


def test_log_likelihood_ratio_matches_scipy():
    from scipy.stats import chi2_contingency

    k11, k1_, k_1, n = 30, 40, 50, 1000
    table = [[k11, k1_ - k11], [k_1 - k11, n - k1_ - k_1 + k11]]
    g2, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert terms.log_likelihood_ratio(k11, k1_, k_1, n) == pytest.approx(g2)


def test_merge_phrases_longest_first():
    tokens = ["دیدار", "با", "مقام", "معظم", "رهبری", "و", "مقام", "معظم"]
    merged = terms.merge_phrases(tokens, ["مقام معظم", "مقام معظم رهبری"])
    assert merged == ["دیدار", "با", "مقام معظم رهبری", "و", "مقام معظم"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["الف", "ب", "ج", "د", "و"]), max_size=30),
    st.lists(st.lists(st.sampled_from(["الف", "ب", "ج", "د"]), min_size=2, max_size=3), max_size=4),
)
def test_merging_phrases_loses_no_word(tokens, phrases):
    merged = terms.merge_phrases(tokens, [" ".join(p) for p in phrases])
    assert " ".join(merged).split(" ") == tokens if tokens else merged == []


# ------------------------------------------------------------------------------------ tf-idf


def test_tfidf_keywords_per_article_and_group(small):
    per_article = terms.tfidf_keywords(small, top=3, stopwords=STOP)
    assert set(per_article.columns) == {"doc_id", "rank", "term", "score"}
    assert per_article.groupby("doc_id").size().max() <= 3
    assert per_article.query("doc_id == 'd3'")["term"].isin(["تیم", "فوتبال", "لیگ", "برتر", "پیروز"]).all()
    per_site = terms.tfidf_keywords(small, by="site", top=5, stopwords=STOP, phrases=["اقتصاد مقاومتی"])
    assert set(per_site["site"]) == {"semnan", "tehran"}
    assert "اقتصاد مقاومتی" in set(per_site["term"])  # a phrase is one term
    assert (per_site.groupby("site")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()


# ------------------------------------------------------------------------------------ keyness


def _two_sides():
    sport = ["تیم فوتبال در لیگ برتر بازی کرد و گل زد"] * 20
    politics = ["مجلس و دولت درباره بودجه و قانون بحث کردند"] * 20
    shared = ["مردم استان در مراسم حضور یافتند"] * 10
    return _articles(sport + politics + shared, desk=["ورزش"] * 20 + ["سیاسی"] * 20 + ["استان"] * 10)


def test_keyness_log_odds_with_dirichlet_prior():
    corpus = _two_sides()
    table = terms.keyness(corpus, "desk", "ورزش", "سیاسی", stopwords=STOP)
    assert set(table.head(7)["term"]) == {"تیم", "فوتبال", "لیگ", "برتر", "بازی", "گل", "زد"}
    assert set(table.tail(7)["term"]) == {"مجلس", "دولت", "درباره", "بودجه", "قانون", "بحث", "کردند"}
    assert (table["z"].diff().dropna() <= 0).all()
    # the formula: δ / σ with α_w = α0 · p_w
    row = table.set_index("term").loc["فوتبال"]
    ya, yb = row["count_group"], row["count_other"]
    na, nb = table["count_group"].sum(), table["count_other"].sum()
    a0 = (na + nb) / 2
    aw = a0 * (ya + yb) / (na + nb)
    delta = math.log((ya + aw) / (na + a0 - ya - aw)) - math.log((yb + aw) / (nb + a0 - yb - aw))
    assert row["log_odds"] == pytest.approx(delta)
    assert row["z"] == pytest.approx(delta / math.sqrt(1 / (ya + aw) + 1 / (yb + aw)))
    # swapping the sides flips the sign
    swapped = terms.keyness(corpus, "desk", "سیاسی", "ورزش", stopwords=STOP).set_index("term")
    assert swapped.loc["فوتبال", "z"] == pytest.approx(-row["z"])


def test_keyness_against_the_rest_and_bad_groups():
    corpus = _two_sides()
    rest = terms.keyness(corpus, "desk", "استان", stopwords=STOP)
    assert rest.iloc[0]["term"] in {"مراسم", "مردم", "حضور", "یافتند", "استان"}
    with pytest.raises(ValueError, match="no article"):
        terms.keyness(corpus, "desk", "اقتصاد", stopwords=STOP)
    largest = terms.keyness(corpus, "desk", stopwords=STOP)  # the largest desk against the rest
    assert largest.attrs["group"] in {"ورزش", "سیاسی"} and not largest.empty
    assert terms.keyness(corpus.assign(desk="یک"), "desk", stopwords=STOP).empty  # nothing to compare


# ------------------------------------------------------------------------------------ kwic


def test_kwic_windows_suffixes_and_phrases():
    corpus = _articles(
        [
            "یک دو سه چهار پنج شش هفت هشت نه بسیج ده یازده دوازده سیزده چهارده پانزده شانزده هفده هجده",
            "نیروهای بسیج‌های مردمی و «بسیج» و بسیجی و مقام معظم رهبری",
        ]
    )
    table = terms.kwic(corpus, "بسیج", window=8)
    assert list(table.columns) == ["doc_id", "title", "position", "left", "keyword", "right"]
    first = table.iloc[0]
    assert first["left"] == "دو سه چهار پنج شش هفت هشت نه"
    assert first["right"] == "ده یازده دوازده سیزده چهارده پانزده شانزده هفده"
    # ZWNJ suffix and punctuation-wrapped forms match; a longer word only with match="prefix"
    assert table["keyword"].tolist()[1:] == ["بسیج‌های", "«بسیج»"]
    assert "بسیجی" in terms.kwic(corpus, "بسیج", match="prefix")["keyword"].tolist()
    phrase = terms.kwic(corpus, "مقام معظم رهبری", window=2)
    assert phrase["keyword"].tolist() == ["مقام معظم رهبری"] and phrase["right"].tolist() == [""]
    assert terms.kwic(corpus, "ناموجود").empty
    with pytest.raises(ValueError):
        terms.kwic(corpus, "  ")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["بسیج", "سپاه", "مردم", "و", "بسیج،"]), min_size=1, max_size=40),
       st.integers(min_value=1, max_value=6))
def test_kwic_rows_put_the_text_back_together(words, window):
    corpus = _articles([" ".join(words)])
    for row in terms.kwic(corpus, "بسیج", window=window).itertuples():
        joined = " ".join(p for p in (row.left, row.keyword, row.right) if p)
        assert joined in " ".join(words)
        assert len(row.left.split()) == min(window, row.position)


def test_kwic_display_is_right_to_left_and_escaped():
    from analysis.plots.terms import style_kwic

    corpus = _articles(["متن <script>alert(1)</script> بسیج و ادامه"])
    html = style_kwic(terms.kwic(corpus, "بسیج")).to_html()
    assert 'dir="rtl"' in html and "<script>" not in html and "&lt;script&gt;" in html


# ------------------------------------------------------------------------------------ trends


def test_term_trends_fill_months_and_count_phrases(small):
    table = terms.term_trends(small, ["سمنان", "اقتصاد مقاومتی"])
    assert table["period"].unique().tolist() == ["1402-01", "1402-02", "1402-03"]
    got = table.set_index(["period", "term"])
    assert got.loc[("1402-01", "سمنان"), "count"] == 1
    assert got.loc[("1402-01", "اقتصاد مقاومتی"), "count"] == 1
    assert got.loc[("1402-02", "سمنان"), "count"] == 0 and got.loc[("1402-02", "سمنان"), "n_docs"] == 0
    assert got.loc[("1402-03", "اقتصاد مقاومتی"), "per_1000"] == pytest.approx(1000 / len(small["tokens"][2]))
    yearly = terms.term_trends(small, "سمنان", freq="year")
    assert yearly["period"].tolist() == ["1402"] and yearly["count"].tolist() == [2]


# ------------------------------------------------------------------------------------ demo corpus


def test_demo_corpus_terms_end_to_end(demo_articles):
    from analysis.text import add_tokens

    articles = add_tokens(demo_articles)
    names = set(terms.collocations(articles)["phrase"].head(60))
    assert {"مقام معظم رهبری", "اقتصاد مقاومتی"} <= names
    assert not (names & {"معظم رهبری", "مقام معظم"})
    freq = terms.term_frequencies(articles, by="site", top=5)
    assert set(freq["site"]) <= set(demo_articles["site"]) and not freq.empty
    concordance = terms.kwic(articles, "بسیج", window=8)
    assert len(concordance) > 50 and (concordance["keyword"].str.contains("بسیج")).all()


def test_charts_draw_and_survive_empty_tables(small, tmp_path):
    import matplotlib.pyplot as plt

    from analysis.plots import terms as charts

    freq = terms.term_frequencies(small, stopwords=STOP)
    key = terms.keyness(small, "site", "semnan", stopwords=STOP, min_count=1)
    trend = terms.term_trends(small, ["سمنان", "اقتصاد مقاومتی"])
    colls = terms.collocations(_name_corpus(), stopwords=STOP)
    for ax in (charts.frequency_bars(freq), charts.keyness_chart(key, "سمنان", "تهران"),
               charts.trend_lines(trend), charts.collocation_bars(colls),
               charts.frequency_bars(freq.iloc[:0]), charts.keyness_chart(key.iloc[:0]),
               charts.trend_lines(trend.iloc[:0])):
        assert ax.figure is not None
        ax.figure.savefig(tmp_path / "chart.png")
        plt.close(ax.figure)
