"""The report's data: Persian site names, why a table is empty, and the report from a dataset
(the same tables as in memory, computed part by part)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.patterns import overview
from analysis.patterns import publishing as patterns
from analysis.report import data as report_data
from analysis.report import notebook
from analysis._core.cache import CACHE_ENV
from analysis._core.resources import read_wordlist
from analysis.corpus.sites import site_label, site_name, site_names, with_site_names

sys.path.insert(0, str(Path(__file__).parent))
from report_corpus import write_report_corpus

# --- site names ---------------------------------------------------------------------------------


def test_every_site_name_is_a_province_of_the_gazetteer():
    provinces = set(read_wordlist("gazetteers/provinces.txt"))
    names = site_names()
    assert names, "site_names.csv is empty"
    assert set(names.values()) <= provinces, set(names.values()) - provinces
    assert all(re.fullmatch(r"[a-z][a-z-]*", sub) for sub in names), "subdomains are lower-case words"


def test_known_subdomains_read_in_persian_and_the_data_keep_theirs():
    sites = pd.Series(["tehran", "khorasan-razavi", "razavi", "Semnan", "", None, "newsite"], dtype="string")
    shown = site_label(sites)
    assert shown.tolist()[:4] == ["تهران", "خراسان رضوی", "خراسان رضوی", "سمنان"]
    assert shown.tolist()[4] == "" and pd.isna(shown.tolist()[5]) and shown.tolist()[6] == "newsite"
    assert shown.index.equals(sites.index) and sites.tolist()[0] == "tehran"  # input untouched


def test_with_site_names_names_every_site_column_and_leaves_the_input():
    frame = pd.DataFrame({"source": ["fars"], "copier": ["qom"], "copy_sites": [["ilam", "x"]], "site": ["kerman"],
                          "title": ["tehran"]})
    shown = with_site_names(frame)
    assert shown.iloc[0].tolist() == ["فارس", "قم", ["ایلام", "x"], "کرمان", "tehran"]
    assert frame.iloc[0].tolist() == ["fars", "qom", ["ilam", "x"], "kerman", "tehran"]


@given(st.text(max_size=20))
def test_an_unknown_site_stays_as_it_is(text):
    if text.strip().lower() not in site_names():
        assert site_name(text) == text


# --- empty tables -------------------------------------------------------------------------------


def test_an_empty_table_says_why_in_one_line():
    frame = pd.DataFrame({"a": pd.Series(dtype="int64")})
    shown = notebook.table(frame, empty="روزها برای یافتن جهش کم است.")
    assert "روزها برای یافتن جهش کم است." in str(shown) and "<table" not in str(shown)
    assert "هیچ ردیفی نیست" in str(notebook.table(frame))  # without a reason: as before
    assert "<table" in str(notebook.table(pd.DataFrame({"a": [1]}), empty="never shown"))


def test_no_bursts_reason_tells_few_days_from_a_quiet_corpus():
    days = pd.to_datetime(["2023-03-21", "2023-03-22", "2023-03-23"])
    short = pd.DataFrame({"published": days, "site": ["a", "a", "b"]})
    assert "کم است" in report_data.no_bursts_reason(short, by="site")
    steady = pd.DataFrame({"published": pd.date_range("2023-01-01", periods=120, freq="D"), "site": "a"})
    assert patterns.bursts(steady.assign(title="t"), by="site").empty
    assert "بیرون نزده" in report_data.no_bursts_reason(steady, by="site")
    undated = pd.DataFrame({"published": pd.Series([pd.NaT], dtype="datetime64[ns]"), "site": ["a"]})
    assert "تاریخ" in report_data.no_bursts_reason(undated, by="site")


# --- the report from a dataset ------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset(demo_dir, tmp_path_factory):
    from analysis.scale.dataset import ingest_dataset

    out = tmp_path_factory.mktemp("dataset") / "ds"
    ingest_dataset(demo_dir, out, workers=1, chunk_size=60, progress=False)  # several parts
    return out


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False,
                                  check_categorical=False)


@pytest.mark.parametrize("filters", [{}, {"sites": ["tehran", "isfahan"], "date_from": "1401-01-01"}])
def test_dataset_pages_count_what_memory_pages_count(demo_dir, dataset, cache, filters):
    memory = report_data.open_corpus(str(demo_dir), **filters)
    parts = report_data.open_corpus(str(dataset), **filters)
    assert memory.in_memory and not parts.in_memory and len(memory.articles) > 0
    assert len(list((parts.dataset / "articles").glob("*.parquet"))) > 1
    assert overview.overview_numbers(memory.articles, memory.rejects) == \
        overview.overview_numbers(parts.articles, parts.rejects)
    for table in (overview.sites, overview.categories, overview.date_coverage,
                  overview.duplicates, overview.encodings, lambda a: overview.monthly_counts(a, by="site"),
                  lambda a: patterns.volume(a, by="site"), lambda a: patterns.category_share(a, by="site"),
                  lambda a: patterns.bursts(a, by="site"), lambda a: patterns.length_summary(a, by="site"),
                  lambda a: patterns.weekday_profile(a, by=None)):
        _same(table(memory.articles), table(parts.articles))
    _same(overview.sources(memory.articles, memory.rejects), overview.sources(parts.articles, parts.rejects))
    copies_memory, copies_parts = memory.copies(), parts.copies()
    assert int((~copies_memory["is_first"]).sum()) == int((~copies_parts["is_first"]).sum())
    occasions_memory, occasions_parts = memory.occasion_summary(), parts.occasion_summary()
    _same(occasions_memory.drop(columns="top_terms"), occasions_parts.drop(columns="top_terms"))
    assert occasions_memory["top_terms"].map(list).tolist() == occasions_parts["top_terms"].map(list).tolist()


def test_document_terms_are_each_articles_words_of_the_columns_joined(demo_articles):
    from analysis.patterns.publishing import document_terms, words

    frame = demo_articles.head(80).copy()
    frame.loc[frame.index[:3], "lead"] = None
    joined = frame[["title", "lead"]].astype("string").fillna("").agg(" ".join, axis=1)  # row by row, as before
    expected = [{w for w in words(text) if len(w) > 1 and not w.isdigit()} for text in joined]
    assert document_terms(frame, ("title", "lead")) == expected
    assert document_terms(frame, ()) == [set()] * len(frame)


def test_text_pages_read_a_seeded_sample_and_say_so(dataset, cache, monkeypatch):
    parts = report_data.open_corpus(str(dataset))
    whole = parts.sample()
    assert len(whole) == parts.n_articles and "sample_of" not in whole.attrs
    monkeypatch.setenv(report_data.SAMPLE_ENV, "50")
    sample, _ = report_data.load_for_notebook(str(dataset))
    assert len(sample) == 50 and sample.attrs["sample_of"] == parts.n_articles
    again, _ = report_data.load_for_notebook(str(dataset))
    assert again["doc_id"].tolist() == sample["doc_id"].tolist()  # seeded
    note = report_data.sample_note(sample)
    assert "۵۰" in note and "نمونه" in note
    assert "هیچ‌کدام از نمونه نیست" in report_data.sample_note(parts)
    assert report_data.sample_note(report_data.open_corpus(str(dataset)).articles.head(0)) == ""


def test_a_large_source_folder_is_ingested_once_and_reused(tmp_path):
    corpus = write_report_corpus(tmp_path / "corpus")
    assert report_data.dataset_for_source(corpus, min_files=100, root=tmp_path) is None  # small: in memory
    made = report_data.dataset_for_source(corpus, min_files=5, root=tmp_path, workers=1, progress=False)
    assert report_data.is_dataset(made) and made.parent == tmp_path / report_data.DATASETS_DIR
    manifest = sorted((made / "manifest").glob("*.parquet"))
    assert report_data.dataset_for_source(corpus, min_files=5, root=tmp_path, workers=1, progress=False) == made
    assert sorted((made / "manifest").glob("*.parquet")) == manifest  # nothing ingested again
    assert report_data.dataset_for_source(made, min_files=5, root=tmp_path) is None  # a dataset already


def _key_numbers(index_html: str) -> list[tuple[str, str]]:
    return re.findall(r'class="value">([^<]*)</span><span class="label">([^<]*)<', index_html)


@pytest.mark.slow
def test_index_page_shows_the_same_key_numbers_from_a_dataset(tmp_path):
    """The whole report, rendered from the tiny corpus in memory and from it as a dataset of two parts."""
    from analysis.scale.dataset import ingest_dataset
    from analysis.report import render_report

    root = Path(__file__).parents[2]
    corpus = write_report_corpus(tmp_path / "corpus")
    ingest_dataset(corpus, tmp_path / "ds", workers=1, chunk_size=9, progress=False)
    pages = {}
    for name, source in (("memory", corpus), ("dataset", tmp_path / "ds")):
        out = tmp_path / f"report-{name}"
        results = render_report(source, out, notebooks_dir=root / "notebooks", cache=tmp_path / f"cache-{name}",
                                progress=False)
        assert all(r.ok for r in results), {r.name: r.error for r in results if not r.ok}
        pages[name] = (out / "index.html").read_text(encoding="utf-8")
    numbers = _key_numbers(pages["memory"])
    assert len(numbers) >= 10 and numbers == _key_numbers(pages["dataset"])
