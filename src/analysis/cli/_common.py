"""What the commands share: :class:`CommandError`, the articles a command reads, the tables it writes."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class CommandError(Exception):
    """A command cannot go on; the message says why in words a user can act on."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def command_articles(sources) -> pd.DataFrame:
    """The articles table a command works on (a corpus or an ingested ``.parquet``).

    Raises :class:`CommandError`: exit code 2 when a source cannot be read, 1 when it holds no article.
    """
    from analysis.corpus import load_corpus

    named = " ".join(map(str, [sources] if isinstance(sources, str) else sources))
    try:
        articles = load_corpus(sources, normalize=True)
    except (FileNotFoundError, ValueError, OSError) as error:
        raise CommandError(f"cannot read {named}: {error}", exit_code=2) from error
    if articles.empty:
        raise CommandError(f"no article could be read from {named}", exit_code=1)
    return articles


def add_source_argument(parser: argparse.ArgumentParser) -> None:
    """The positional ``SOURCE...`` that :func:`command_articles` reads, as ``args.source``."""
    parser.add_argument("source", metavar="SOURCE", nargs="+",
                        help="corpus file, folder, glob or archive, or a .parquet written by ingest")


def write_tables(out, tables: dict) -> str:
    """Write each table of ``{file name: DataFrame}`` as CSV into the folder ``out`` (spreadsheet-safe
    and whole or absent: ``analysis._core.exports.write_csv``); a summary line."""
    from pathlib import Path

    from analysis._core.exports import write_csv, write_failure

    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            write_csv(table, folder / name)
    except OSError as error:  # a full disk: the tables written so far are whole, the others absent
        raise CommandError(f"{write_failure(error, folder)}; the tables written before are whole, "
                           "the others were not written") from error
    return f"tables -> {folder}/ ({', '.join(tables)})"
