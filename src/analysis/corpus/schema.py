"""The articles table: the columns every loader produces and every analysis may rely on.

One row an article. Text columns are normalised strings ('' when absent, never NaN); list columns
hold Python lists of strings; ``published`` is a timezone-naive Gregorian timestamp (NaT when
unknown) and ``published_jalali`` its Jalali date as ``YYYY-MM-DD`` ('' when unknown).
"""

from __future__ import annotations

from analysis.text import NORMALIZED  # noqa: F401  (the mark of a normalised table, set by the text stage)

#: column name -> pandas dtype of the articles table, in display order
ARTICLE_COLUMNS: dict[str, str] = {
    "doc_id": "string",  # stable id: hash of the source location (path + member + record index)
    "path": "string",  # file the article came from
    "member": "string",  # archive member or record index inside the file ('' for a plain article file)
    "title": "string",
    "lead": "string",  # the first paragraph / abstract
    "body": "string",  # lead + paragraphs, without category line, date line or URL
    "categories": "object",  # list[str]
    "tags": "object",  # list[str]
    "url": "string",
    "domain": "string",  # registered domain, e.g. basij.ir
    "site": "string",  # subdomain naming the (provincial) site, e.g. semnan; '' for www or none
    "article_id": "string",  # id from the URL (Drupal node number, Fars news number)
    "published": "datetime64[ns]",
    "published_jalali": "string",  # YYYY-MM-DD or ''
    "date_source": "string",  # record | date line | url | none
    "n_chars": "int64",
    "n_words": "int64",
    "encoding": "string",  # detected encoding of the file (utf-8, utf-8-sig, utf-16, cp1256, ...)
    "duplicate_of": "string",  # doc_id of an earlier identical article, or ''
    "n_control_chars": "int64",  # stray control characters (DEL, backspace, U+0001...) dropped from the input
}

#: columns of the rejects table: one row an input that could not be loaded
REJECT_COLUMNS: dict[str, str] = {
    "path": "string",
    "member": "string",
    "reason": "string",
}


def empty_articles() -> pd.DataFrame:
    """An articles table with no rows and the right dtypes."""
    import pandas as pd  # here, not at the top: the loader's workers use the names without pandas

    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in ARTICLE_COLUMNS.items()})


def empty_rejects() -> pd.DataFrame:
    """A rejects table with no rows."""
    import pandas as pd

    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in REJECT_COLUMNS.items()})


def column_from_arrow(column, dtype: str):
    """One Arrow column as the pandas column of the articles table's ``dtype`` (``string``,
    ``int64``, ``object`` for lists, or a numpy dtype such as ``datetime64[ns]``)."""
    import pandas as pd

    if dtype == "object":
        return pd.Series(column.to_pylist(), dtype="object")
    if dtype == "string":
        return pd.array(column, dtype="string")
    if dtype == "int64":
        return column.to_numpy().astype("int64")
    return pd.Series(column.to_numpy(), dtype=dtype)
