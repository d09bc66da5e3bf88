"""Command line: ``python -m analysis COMMAND ...``.

Each command lives in the module that does its job; a module offers ``add_commands(subparsers)``,
which adds its sub-parsers and sets ``func`` (taking the parsed args, returning an exit code).
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules that contribute commands, in the order their commands are listed in --help.
COMMAND_MODULES = [
    "analysis.corpus",
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
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
