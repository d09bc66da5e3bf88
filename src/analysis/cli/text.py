"""``tokens`` and ``normalize``: the text stage from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.cli._common import CommandError, add_source_argument, command_articles
from analysis.text import IMPLEMENTATION, add_tokens, normalize, tokenize


def _run_tokens(args) -> int:
    articles = command_articles(args.source)
    try:
        with_tokens = add_tokens(
            articles, args.column, punctuation=args.punctuation, form=args.form,
            stopwords=args.stopwords, cache=not args.no_cache, n_jobs=args.jobs,
            progress=not args.no_progress,
        )
    except KeyError as error:  # no such column: add_tokens names the ones there are
        raise CommandError(error.args[0], exit_code=2) from error
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with_tokens[["doc_id", "tokens"]].to_parquet(out, index=False)
    total = int(with_tokens["tokens"].map(len).sum())
    print(f"{len(with_tokens)} articles, {total:,} tokens ({args.form}s of {args.column!r}) -> {out}")
    print(f"text passes: {IMPLEMENTATION}", file=sys.stderr)
    return 0


def _run_normalize(args) -> int:
    files = args.files or ["-"]
    for name in files:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {name}: {error}", exit_code=2) from error
        for line in text.splitlines():
            if args.tokens:
                print(" ".join(tokenize(normalize(line), punctuation=True)))
            else:
                print(normalize(line))
    return 0


def configure_tokens(parser) -> None:
    parser.description = ("Load SOURCE (normalised), tokenise every article as hazm does (cached, on all "
                          "cores for large corpora) and write OUT.parquet with doc_id and tokens.")
    add_source_argument(parser)
    parser.add_argument("--out", required=True, help="Parquet file to write")
    parser.add_argument("--column", default="body", help="text column to tokenise (default body)")
    parser.add_argument("--form", choices=["token", "lemma", "stem"], default="token")
    parser.add_argument("--stopwords", action="store_true",
                        help="drop hazm's stopwords and the news list (agency boilerplate, reporting verbs)")
    parser.add_argument("--punctuation", action="store_true", help="keep punctuation tokens")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: all cores for large corpora)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the token cache")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=_run_tokens)


def configure_normalize(parser) -> None:
    parser.description = ("Print each FILE (default: standard input) normalised line by line as hazm's "
                          "Normalizer does, or with --tokens its tokens separated by spaces.")
    parser.add_argument("files", metavar="FILE", nargs="*", help='UTF-8 text file ("-": standard input)')
    parser.add_argument("--tokens", action="store_true", help="print tokens separated by spaces instead")
    parser.set_defaults(func=_run_normalize)
