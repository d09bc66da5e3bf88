"""Analyses by chunks and on Dask give the tables the pandas functions give on the whole corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import engine, entities, patterns, terms
from analysis.scale.dataset import dask_articles, ingest_dataset


def chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[i:i + size].reset_index(drop=True) for i in range(0, len(frame), size)]


@pytest.fixture(scope="module")
def tokenized(_demo_articles):
    """The demo articles, normalised, with a ``tokens`` column (the text pipeline's tokeniser)."""
    from analysis.corpus import normalize_articles
    from analysis.text import tokenize

    sample = normalize_articles(_demo_articles.head(120))
    return sample.assign(tokens=sample["body"].map(tokenize))


@pytest.fixture(scope="module")
def dataset(demo_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("engine") / "ds"
    ingest_dataset(demo_dir, out, workers=1, chunk_size=40)
    return out


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two worker processes, started once for this module."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as local, \
            Client(local) as client:
        yield client


@pytest.mark.parametrize("by", ["site", None, "category"])
@pytest.mark.parametrize("freq,calendar", [("month", "jalali"), ("week", "jalali"), ("day", "gregorian")])
def test_volume_by_chunks_equals_volume(demo_articles, by, freq, calendar):
    expected = patterns.volume(demo_articles, by=by, freq=freq, calendar=calendar)
    got = engine.run(engine.volume_reduction(by=by, freq=freq, calendar=calendar), chunks(demo_articles, 37), split_every=3)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["n_undated"] == expected.attrs["n_undated"]


@pytest.mark.parametrize("by,primary", [("site", False), ("site", True), ("domain", False)])
def test_category_share_by_chunks_equals_category_share(demo_articles, by, primary):
    expected = patterns.category_share(demo_articles, by=by, primary=primary)
    got = engine.run(engine.category_share_reduction(by=by, primary=primary), chunks(demo_articles, 29))
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("by,ngram", [(None, 1), ("site", 1), ("categories", (1, 2))])
def test_term_frequencies_by_chunks_equal_term_frequencies(tokenized, by, ngram):
    expected = terms.term_frequencies(tokenized, by, ngram=ngram, min_count=2, top=40)
    got = engine.run(engine.term_frequencies_reduction(by, ngram=ngram, min_count=2, top=40), chunks(tokenized, 23))
    pd.testing.assert_frame_equal(got, expected)


def test_a_group_without_counted_terms_in_a_chunk_still_counts_its_articles_and_words():
    stop = frozenset({"و", "از", "به"})
    articles = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"],
        "site": ["x", "y", "x", "y"],
        "tokens": [["بسیج", "و", "استان"], ["و", "از"], ["استان", "به"], ["بسیج", "بسیج"]],
    })
    expected = terms.term_frequencies(articles, "site", stopwords=stop)
    got = engine.run(engine.term_frequencies_reduction("site", stopwords=stop), chunks(articles, 2))
    pd.testing.assert_frame_equal(got, expected)


def test_a_bounded_vocabulary_keeps_at_most_max_terms_with_lower_bound_counts(tokenized):
    exact = terms.term_frequencies(tokenized, "site").set_index(["site", "term"])["count"]
    bounded = engine.run(engine.term_frequencies_reduction("site", max_terms=25), chunks(tokenized, 30))
    assert bounded.groupby("site").size().max() <= 25
    counts = bounded.set_index(["site", "term"])["count"]
    assert (counts <= exact.reindex(counts.index)).all()


def test_entities_by_chunks_equal_entities(demo_articles):
    sample = demo_articles.head(24)
    expected = entities.entities(sample)
    got = engine.run(engine.entities_reduction(), chunks(sample, 7))
    pd.testing.assert_frame_equal(got, expected)


def test_topic_prevalence_by_chunks_equals_topic_prevalence(tokenized):
    from analysis.topics import TopicModel, topic_prevalence

    model = TopicModel(k=4, phrases=False, max_iter=100).fit(tokenized)
    for by in ("month", "site"):
        got = engine.run(engine.topic_prevalence_reduction(model, by=by), chunks(tokenized, 25))
        pd.testing.assert_frame_equal(got, topic_prevalence(model, tokenized, by=by))
    both = engine.run(engine.topic_prevalence_reduction(model, by=("month", "site")), chunks(tokenized.drop(columns="tokens"), 40))
    pd.testing.assert_frame_equal(both["site"], topic_prevalence(model, tokenized, by="site"))


def test_rows_counts_and_sample(demo_articles):
    lengths = engine.run(engine.rows(lambda chunk: chunk[["doc_id", "n_words"]]), chunks(demo_articles, 50))
    pd.testing.assert_frame_equal(lengths, demo_articles[["doc_id", "n_words"]].reset_index(drop=True))
    per_site = engine.run(engine.counts(lambda chunk: chunk.groupby("site").size().rename("n").reset_index(),
                                        keys=["site"], values=["n"]), chunks(demo_articles, 50))
    expected = demo_articles.groupby("site").size().rename("n").reset_index()
    pd.testing.assert_frame_equal(per_site, expected.astype({"site": per_site["site"].dtype}))
    sample = engine.sample_articles(chunks(demo_articles, 50), 30, random_state=1)
    assert len(sample) == 30 and sample["doc_id"].is_unique
    assert set(sample["doc_id"]) <= set(demo_articles["doc_id"])
    again = engine.sample_articles(chunks(demo_articles, 50), 30, random_state=1)
    assert sample["doc_id"].tolist() == again["doc_id"].tolist()


def test_a_dataset_folder_is_read_part_by_part(dataset, demo_articles):
    got = engine.run(engine.volume_reduction(by="site"), dataset)
    pd.testing.assert_frame_equal(got, patterns.volume(demo_articles, by="site"))


def test_partial_results_of_dataset_parts_are_cached(demo_dir, tmp_path, demo_articles):
    out = tmp_path / "ds"
    ingest_dataset(demo_dir, out, workers=1, chunk_size=80)
    calls = []

    def counted_volume(chunk):
        calls.append(len(chunk))
        return patterns.volume(chunk, by="site")

    reduction = engine.Reduction(map=counted_volume, combine=engine.volume_reduction(by="site").combine,
                                 finish=engine.volume_reduction(by="site").finish, key="test-volume-site")
    first = engine.run(reduction, out)
    n_parts = len(calls)
    assert n_parts > 1
    again = engine.run(reduction, out)
    assert len(calls) == n_parts  # every part's partial came from the cache
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(first, patterns.volume(demo_articles, by="site"))
    engine.run(reduction, out, cache=False)
    assert len(calls) == 2 * n_parts


def test_parts_mapped_in_worker_processes_give_the_same_tables(dataset, demo_articles, tmp_path):
    import shutil

    copy = tmp_path / "ds"
    shutil.copytree(dataset, copy, ignore=shutil.ignore_patterns("cache"))
    got = engine.run(engine.volume_reduction(by="site"), copy, workers=2)  # cached reduction, mapped in workers
    pd.testing.assert_frame_equal(got, patterns.volume(demo_articles, by="site"))
    assert list((copy / "cache" / "engine").glob("*/*.pkl"))  # partials cached as in one process
    pd.testing.assert_frame_equal(engine.run(engine.volume_reduction(by="site"), copy), got)
    rows = engine.run(engine.rows(patterns.length_summary, name="no key"), copy, workers=2, cache=False)
    pd.testing.assert_frame_equal(rows, engine.run(engine.rows(patterns.length_summary), copy))  # parts' order


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="empty"):
        engine.run(engine.volume_reduction(), iter([]))
    with pytest.raises(ValueError, match="engine must be"):
        engine.run(engine.volume_reduction(), [pd.DataFrame()], engine="spark")
    with pytest.raises(FileNotFoundError, match="not an articles dataset"):
        engine.run(engine.volume_reduction(), "no/such/folder")


@pytest.mark.slow
def test_dask_on_a_local_cluster_gives_the_pandas_tables(cluster, dataset, demo_articles, tokenized):
    frame = dask_articles(dataset)
    assert frame.npartitions > 2
    expected = patterns.volume(demo_articles, by="category", freq="week")
    pd.testing.assert_frame_equal(engine.run(engine.volume_reduction(by="category", freq="week"), frame, scheduler=cluster),
                                  expected)
    got = engine.run(engine.category_share_reduction(by="site"), frame, scheduler=cluster)
    pd.testing.assert_frame_equal(got, patterns.category_share(demo_articles, by="site"))
    # a dataset folder with engine="dask" and the scheduler's address
    got = engine.run(engine.volume_reduction(by="site"), dataset, engine="dask", scheduler=cluster.scheduler.address)
    pd.testing.assert_frame_equal(got, patterns.volume(demo_articles, by="site"))
    # term frequencies of a tokenised table, partitions counted on the workers
    import dask
    import dask.dataframe as dd

    with dask.config.set({"dataframe.convert-string": False}):  # keep token lists as lists
        tokens = dd.from_pandas(tokenized, npartitions=4)
    got = engine.run(engine.term_frequencies_reduction("site", min_count=2), tokens, scheduler=cluster)
    pd.testing.assert_frame_equal(got, terms.term_frequencies(tokenized, "site", min_count=2))
    # republication, two passes over the partitions on the workers
    from analysis.scale.dataset import read_dataset
    from analysis.patterns.republication import find_republications

    expected = find_republications(read_dataset(dataset), progress=False)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(engine.run(engine.republication_reduction(), frame, scheduler=cluster), expected)


@pytest.mark.slow
def test_ingest_on_a_local_cluster_equals_the_local_ingest(cluster, demo_dir, dataset, tmp_path):
    from analysis.scale.dataset import read_dataset

    out = tmp_path / "ds"
    summary = ingest_dataset(demo_dir, out, chunk_size=60, engine="dask", scheduler=cluster)
    assert summary.n_ingested == summary.n_inputs
    expected = read_dataset(dataset).sort_values("doc_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(read_dataset(out).sort_values("doc_id").reset_index(drop=True), expected)


def test_command_line(dataset, tmp_path, demo_articles, capsys):
    from analysis.cli import main

    out = tmp_path / "tables"
    assert main(["analyse-dataset", str(dataset), "--out", str(out), "--no-progress"]) == 0
    assert "volume_site_month.csv" in capsys.readouterr().out
    table = pd.read_csv(out / "volume_site_month.csv", keep_default_na=False)
    expected = patterns.volume(demo_articles, by="site")
    assert table["n_articles"].tolist() == expected["n_articles"].tolist()
    assert (out / "category_share_site.csv").exists()
    assert main(["analyse-dataset", str(tmp_path), "--out", str(out)]) == 2
    assert "not an articles dataset" in capsys.readouterr().err
    assert main(["analyse-dataset", str(dataset), "--out", str(out), "--engine", "dask"]) == 2
    assert main(["analyse-dataset", str(dataset), "--out", str(out), "--analyses", "republication",
                 "--no-progress"]) == 0
    copies = pd.read_csv(out / "republication_copies.csv")
    sites = pd.read_csv(out / "republication_sites.csv")
    assert len(copies) > 0 and sites["n_copies"].sum() == (~copies["is_first"]).sum()
