"""Read the plain-text and CSV data files shipped in ``analysis/data/``.

Word lists are UTF-8, one item a line; lines starting with ``#`` are comments (the header says where
the facts come from) and blank lines are ignored. Tables are CSV with a header row, after any ``#``
comment lines.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

DATA_PACKAGE = "analysis.data"


def data_path(name: str):
    """Path-like handle of a shipped data file, e.g. ``data_path("stopwords/news.txt")``."""
    return resources.files(DATA_PACKAGE).joinpath(name)


def _data_lines(name: str) -> list[str]:
    text = data_path(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()]


@lru_cache(maxsize=None)
def read_wordlist(name: str) -> tuple[str, ...]:
    """Items of a one-item-a-line data file, in file order, without comments and blanks."""
    return tuple(line for line in _data_lines(name) if line and not line.startswith("#"))


def _table_lines(name: str) -> list[str]:
    return [line for line in _data_lines(name) if not line.startswith("#")]


def read_rows(name: str) -> list[tuple[str, ...]]:
    """The rows of a shipped CSV table as tuples of strings, without its header (no pandas needed:
    the loader's worker processes use it)."""
    return [tuple(row) for row in csv.reader(_table_lines(name))][1:]


def read_table(name: str) -> pd.DataFrame:
    """A shipped CSV table as a DataFrame of strings (comment lines skipped)."""
    lines = _table_lines(name)
    import pandas as pd  # here, not at the top: the loader's workers parse without pandas

    return pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
