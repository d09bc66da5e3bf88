"""Command line: ``python -m analysis COMMAND ...``.

Each command lives in the module that does its job; a module offers ``add_commands(subparsers)``,
which adds its sub-parsers and sets ``func`` (taking the parsed args, returning an exit code).
Commands that write tables share :func:`command_articles` and :func:`write_tables`; a command that
cannot go on raises :class:`CommandError`, which :func:`main` prints and turns into the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Modules that contribute commands, in the order their commands are listed in --help.
COMMAND_MODULES = [
    "analysis.corpus",
    "analysis.text",
    "analysis.demo",
    "analysis.dataset",
    "analysis.patterns",
    "analysis.topics",
    "analysis.entities",
    "analysis.ner",
    "analysis.word_clusters",
    "analysis.engine",
    "analysis.report",
]


class CommandError(Exception):
    """A command cannot go on; the message says why in words a user can act on."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def command_articles(sources) -> pd.DataFrame:
    """The articles table a command works on (a corpus or an ingested ``.parquet``).

    Raises :class:`CommandError`: exit code 2 when a source cannot be read, 1 when it holds no article.
    """
    from analysis.corpus import read_articles

    named = " ".join(map(str, [sources] if isinstance(sources, str) else sources))
    try:
        articles = read_articles(sources)
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
    and whole or absent: ``analysis.exports.write_csv``); a summary line."""
    from pathlib import Path

    from analysis.exports import write_csv, write_failure

    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            write_csv(table, folder / name)
    except OSError as error:  # a full disk: the tables written so far are whole, the others absent
        raise CommandError(f"{write_failure(error, folder)}; the tables written before are whole, "
                           "the others were not written") from error
    return f"tables -> {folder}/ ({', '.join(tables)})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Load corpora of Persian news, analyse their patterns, topics and entities, and render reports.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
