"""Command line: ``python -m analysis COMMAND ...``, the top layer of the package.

The CLI imports the pipeline's stages; no stage imports the CLI. :data:`COMMANDS` names every
command with its one-line help and the module of this package that defines it, so ``--help``
imports no analysis module and a command imports only its own group. A command module defines
``configure_<command>(parser)`` (dashes as underscores), which adds the arguments and sets
``func``: a function of the parsed arguments that returns an exit code, or raises
:class:`CommandError`, which :func:`main` prints and turns into the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from analysis.cli._common import CommandError, command_articles

__all__ = ["COMMANDS", "CommandError", "build_parser", "command_articles", "main"]

#: command -> (module under ``analysis.cli``, one-line help), in the order --help lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("corpus", "load a corpus into a Parquet articles table"),
    "tokens": ("text", "tokenise a corpus into a Parquet table of token lists"),
    "normalize": ("text", "normalise Persian text files (or standard input) to standard output"),
    "demo-corpus": ("demo", "write a synthetic demo corpus with its ground truth"),
    "ingest-dataset": ("scale", "ingest a large corpus into a partitioned Parquet dataset (resumable)"),
    "patterns": ("patterns", "publishing patterns and republication tables as CSV"),
    "topics": ("topics", "fit a topic model to a corpus and write its tables as CSV"),
    "entities": ("entities", "entity mentions, top entities and quotes as CSV"),
    "train-ner": ("entities", "train a CRF entity recogniser on IOB files"),
    "eval-ner": ("entities", "entity-level precision/recall/F1 of a model on an IOB file"),
    "learn-clusters": ("entities", "learn word clusters from unlabeled news (NER features)"),
    "analyse-dataset": ("scale", "run the counting analyses over an articles dataset (locally or on Dask)"),
    "report": ("report", "execute the notebooks and write self-contained HTML pages and index.html"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; only ``command``'s sub-parser is configured (its module imported)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Load corpora of Persian news, analyse their patterns, topics and entities, and render reports.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (group, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if name == command:
            module = importlib.import_module(f"analysis.cli.{group}")
            getattr(module, "configure_" + name.replace("-", "_"))(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command named in ``argv`` (default: ``sys.argv[1:]``); its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    args = build_parser(command if command in COMMANDS else None).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return error.exit_code
