"""Republication out of core (``analysis.scale.engine.find_republications``) gives the in-memory tables."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from analysis.patterns.republication import find_republications, site_republication
from analysis.scale.engine import find_republications as out_of_core
from tests.patterns.test_republication import SITES, in_chunks, planted, random_text  # noqa: F401 (fixture)


def test_out_of_core_gives_the_in_memory_tables(planted):
    articles, _, detector = planted
    got = out_of_core(in_chunks(articles, 70))
    assert len(got) > 100
    pd.testing.assert_frame_equal(got, detector.copies_)
    pd.testing.assert_frame_equal(site_republication(got), site_republication(detector.copies_))


def test_out_of_core_with_one_large_bucket_spread_over_chunks():
    rng = random.Random(6)
    bodies = ["تصاویر این خبر را در ادامه ببینید و به اشتراک بگذارید"] * 400 + [random_text(rng, 60) for _ in range(40)]
    articles = pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(len(bodies))],
        "published": pd.Timestamp("2022-01-01") + pd.to_timedelta(np.arange(len(bodies)) % 97, unit="h"),
        "body": bodies, "site": [SITES[i % len(SITES)] for i in range(len(bodies))], "title": "",
    }).sample(frac=1, random_state=2).reset_index(drop=True)
    expected = find_republications(articles, progress=False)
    pd.testing.assert_frame_equal(out_of_core(in_chunks(articles, 33)), expected)


def test_out_of_core_on_an_ingested_demo_dataset(demo_dir, tmp_path):
    from analysis.scale.dataset import ingest_dataset, read_dataset

    ingest_dataset(demo_dir, tmp_path / "ds", workers=1, chunk_size=50)
    expected = find_republications(read_dataset(tmp_path / "ds"), progress=False)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(out_of_core(tmp_path / "ds"), expected)


def test_a_one_shot_iterator_is_refused(planted):
    articles, _, _ = planted
    with pytest.raises(TypeError, match="twice"):
        out_of_core(iter(in_chunks(articles, 100)))


def test_a_chunk_of_texts_without_words_has_no_shingles():
    from analysis.patterns.republication import shingle_hashes

    offsets, shingles = shingle_hashes(["", " ؟ "], chunk_size=2)
    assert offsets.tolist() == [0, 0, 0] and len(shingles) == 0
