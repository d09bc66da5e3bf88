"""The text pages from a dataset of any size: the topic model fitted on a bounded sample and applied
to every article part by part, entities recognised by part and counted over every article; the same
tables as the in-memory path on the same corpus, though the sample is smaller than the corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import entities as ent
from analysis._core.cache import CACHE_ENV
from analysis.report import data as report_data
from analysis.text import add_tokens

SAMPLE = 50


@pytest.fixture(scope="module")
def dataset(demo_dir, tmp_path_factory):
    from analysis.scale.dataset import ingest_dataset

    out = tmp_path_factory.mktemp("dataset") / "ds"
    ingest_dataset(demo_dir, out, workers=1, chunk_size=60, progress=False)  # several parts
    return out


@pytest.fixture(scope="module")
def corpora(demo_dir, dataset, tmp_path_factory):
    """The demo corpus in memory and from the dataset, with a sample smaller than the corpus."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        patch.setenv(report_data.SAMPLE_ENV, str(SAMPLE))
        memory, parts = report_data.open_corpus(str(demo_dir)), report_data.open_corpus(str(dataset))
        assert memory.in_memory and not parts.in_memory
        assert len(list((parts.dataset / "articles").glob("*.parquet"))) > 1
        assert len(parts.sample()) == SAMPLE < parts.n_articles == memory.n_articles
        yield memory, parts


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False,
                                  check_categorical=False)


def test_entity_counts_from_a_dataset_cover_every_article(corpora):
    memory, parts = corpora
    for options in ({}, {"by": "site"}, {"by": "month"}, {"sources": True}, {"types": ["PER"]}):
        _same(memory.entity_counts(**options), parts.entity_counts(**options))
    _same(memory.top_entities(n=5, by="site"), parts.top_entities(n=5, by="site"))
    _same(memory.top_entities(n=15, sources=True), parts.top_entities(n=15, sources=True))
    _same(memory.entity_timeline(n=6, types=["PER", "ORG"]), parts.entity_timeline(n=6, types=["PER", "ORG"]))
    assert memory.entity_numbers() == parts.entity_numbers()
    # more articles are counted than the sample holds
    named = parts.entity_counts(by="site").groupby("site")["articles"].max().sum()
    assert parts.top_entities(n=1)["articles"].iloc[0] > SAMPLE or named > SAMPLE
    # the networks and quotes read the sample's mentions, spelled as over all the articles
    sampled = parts.mentions()
    assert set(sampled["doc_id"]) <= set(parts.sample()["doc_id"]) and len(sampled)
    whole = memory.mentions()
    _same(whole[whole["doc_id"].isin(set(parts.sample()["doc_id"]))], sampled)
    # the mentions of each part are found once
    files = sorted((parts.dataset / "entities").glob("*.parquet"))
    assert len(files) == len(list((parts.dataset / "articles").glob("*.parquet")))
    stamps = [f.stat().st_mtime_ns for f in files]
    parts._entities = None
    parts.entity_counts()
    assert [f.stat().st_mtime_ns for f in files] == stamps


def test_entity_tables_in_memory_are_the_entities_functions(corpora):
    memory, _ = corpora
    mentions = ent.entities(memory.articles)
    _same(memory.top_entities(n=15), ent.top_entities(mentions, n=15))
    _same(memory.top_entities(n=15, types=["LOC"]), ent.top_entities(mentions, n=15, types=["LOC"]))
    _same(memory.top_entities(n=5, by="site"), ent.top_entities(mentions, memory.articles, by="site", n=5))
    _same(memory.top_entities(n=15, sources=True),
          ent.top_entities(ent.source_mentions(mentions), n=15, include_sources=True))
    _same(memory.entity_timeline(n=6, types=["PER", "ORG"]),
          ent.entity_timeline(mentions, memory.articles, n=6, types=["PER", "ORG"]))
    assert memory.entity_numbers() == {"mentions": len(mentions),
                                       "entities": len(mentions[["canonical", "type"]].drop_duplicates())}


def test_topic_prevalence_from_a_dataset_covers_every_article(corpora):
    from analysis.topics import TopicModel, topic_prevalence

    memory, parts = corpora
    sample = add_tokens(parts.sample(), punctuation=True, progress=False)
    model = TopicModel(k=4, phrases=False, max_iter=100, random_state=0).fit(sample)
    tokenised = add_tokens(memory.articles, punctuation=True, progress=False)
    groups = ("month", "site", "categories")
    got = parts.topic_prevalence(model, sample, by=groups, tokens={"punctuation": True})
    for by in groups:
        expected = topic_prevalence(model, tokenised, by=by)
        _same(memory.topic_prevalence(model, tokenised, by=by), expected)
        _same(got[by], expected)
    per_topic = got["site"].groupby("topic")["n_docs"].sum()  # every article with a term, not only the sample's
    assert (per_topic > SAMPLE).all() and (per_topic >= parts.n_articles - 5).all()
    _same(parts.topic_prevalence(model, sample, by="site", tokens={"punctuation": True}), got["site"])


def test_each_page_says_what_comes_from_the_sample(corpora):
    memory, parts = corpora
    sample = parts.sample()
    note = report_data.sample_note(parts, sample, whole="سهم موضوع‌ها", sampled="بسامد واژه‌ها")
    assert "سهم موضوع‌ها از همهٔ" in note and "بسامد واژه‌ها از نمونه" in note
    assert "۵۰" in note and report_data.persian_number(parts.n_articles) in note
    assert report_data.sample_note(memory, memory.sample(), whole="x", sampled="y") == ""
    whole = parts.sample(parts.n_articles)  # a sample holding every article: all figures cover all
    assert "هیچ‌کدام از نمونه نیست" in report_data.sample_note(parts, whole, whole="x", sampled="y")
