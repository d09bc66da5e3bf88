"""Writing the tables the command line exports: spreadsheet-safe CSV, and files that are either
whole or absent.

CSV files carry untrusted text (titles, categories, entity names from crawled pages) into
spreadsheets, which run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A1``. :func:`spreadsheet_safe`
neutralises such text cells (and column names) the usual way (OWASP's "CSV injection" rule): a
leading apostrophe, which spreadsheets show as text and do not display. Numbers stay numbers, and
Parquet files are written exact (only CSV is for spreadsheets).

Every output is written under a temporary name beside it and renamed when complete
(:func:`atomic_output`), so a full disk or a killed run leaves the earlier file or none, never a
truncated one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: first characters that make a spreadsheet read a cell as a formula (OWASP: = + - @ tab CR)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: suffix of a file being written (removed, or renamed to the final name)
PARTIAL_SUFFIX = ".partial"


def safe_cell(value):
    """A cell as a spreadsheet reads it as text: a string starting with a formula character gets a
    leading apostrophe; anything else comes back as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells and column names cannot run as spreadsheet formulas
    (:func:`safe_cell`); numeric, date and list columns are left as they are."""
    import pandas as pd

    out = table.copy(deep=False)
    for position, name in enumerate(out.columns):
        column = out.iloc[:, position]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype("object")
        if not (pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype)):
            continue
        try:
            starts = column.str.startswith(FORMULA_STARTS, na=False).astype(bool)  # False for lists, NA...
        except AttributeError:  # an object column without any string (.str refuses it)
            continue
        if starts.any():
            text = column.astype("object")
            out.isetitem(position, text.where(~starts, "'" + text[starts].astype(str)))
    if any(isinstance(c, str) and c.startswith(FORMULA_STARTS) for c in out.columns):
        out.columns = [safe_cell(c) for c in out.columns]
    return out


@contextmanager
def atomic_output(path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write to; on success it is renamed to ``path``
    (replacing any earlier file at once), on failure it is removed and the error goes on."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        yield partial
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_csv(table: pd.DataFrame, path, **options) -> Path:
    """Write ``table`` as a spreadsheet-safe CSV file (:func:`spreadsheet_safe`), whole or not at all
    (:func:`atomic_output`); ``options`` go to ``DataFrame.to_csv`` (``index=False`` by default)."""
    options.setdefault("index", False)
    with atomic_output(path) as partial:
        spreadsheet_safe(table).to_csv(partial, **options)
    return Path(path)


def write_parquet(table: pd.DataFrame, path, **options) -> Path:
    """Write ``table`` as Parquet (exact: no cell is changed), whole or not at all."""
    options.setdefault("index", False)
    with atomic_output(path) as partial:
        table.to_parquet(partial, **options)
    return Path(path)


def is_disk_full(error: BaseException) -> bool:
    """Whether an ``OSError`` says the disk (or the file-size limit, or the quota) is full."""
    import errno

    if not isinstance(error, OSError):
        return False
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    text = str(error).lower()  # pyarrow's errors carry the errno in their text only
    return any(words in text for words in ("no space left", "file too large", "quota exceeded"))


def write_failure(error: OSError, target) -> str:
    """'could not write TARGET: cause (hint)', one line, for an output that could not be written."""
    cause = " ".join((error.strerror or str(error) or type(error).__name__).split())
    hint = " (the disk is full, or a file-size limit or quota is reached)" if is_disk_full(error) else ""
    return f"could not write {target}: {cause}{hint}"
