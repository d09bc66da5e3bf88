"""Shared fixtures. Tests read no data from outside the repository: only fixtures written here or the demo corpus."""

from __future__ import annotations

import os

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("TQDM_DISABLE", "1")

#: size and seed of the demo corpus the test session shares
DEMO_N = 240
DEMO_SEED = 11


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    """A small demo corpus written once per test session (articles + hidden ground-truth sidecar)."""
    from analysis.demo import write_demo_corpus

    out = tmp_path_factory.mktemp("demo") / "corpus"
    write_demo_corpus(out, n=DEMO_N, seed=DEMO_SEED)
    return out


@pytest.fixture(scope="session")
def demo_truth(demo_dir):
    """Ground truth of the session's demo corpus (one row an article file)."""
    from analysis.demo import read_ground_truth

    return read_ground_truth(demo_dir)


@pytest.fixture(scope="session")
def _demo_articles(demo_dir):
    from analysis.corpus import load_corpus

    return load_corpus(demo_dir)


@pytest.fixture()
def demo_articles(_demo_articles):
    """The session's demo corpus as an articles table (a fresh copy for each test)."""
    return _demo_articles.copy()
