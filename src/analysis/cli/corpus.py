"""``ingest``: load a corpus into a Parquet articles table and its rejects."""

from __future__ import annotations

from pathlib import Path

from analysis._core.exports import atomic_output, spreadsheet_safe, write_failure
from analysis.cli._common import CommandError
from analysis.corpus import NORMALIZED, CorpusError, read_corpus
from analysis.corpus.loader import MAX_BYTES


def rejects_path(out: Path) -> Path:
    """``FILE.parquet`` -> ``FILE.rejects.csv`` beside it."""
    return out.with_name(out.name.removesuffix(out.suffix) + ".rejects.csv")


def _ingest(args) -> int:
    out = Path(args.out)
    try:
        loaded = read_corpus(args.source, errors=args.errors, normalize=args.normalize,
                             workers=args.workers, progress=False if args.no_progress else None,
                             max_bytes=args.max_bytes, follow_symlinks=args.follow_symlinks,
                             categories_from=args.categories_from)
    except (FileNotFoundError, CorpusError) as error:
        raise CommandError(str(error), exit_code=2) from error
    out.parent.mkdir(parents=True, exist_ok=True)
    table = loaded.articles.copy()
    table.attrs = {NORMALIZED: True} if args.normalize else {}
    rejects_file = rejects_path(out)
    try:  # both files whole, or neither replaced
        with atomic_output(out) as articles_partial, atomic_output(rejects_file) as rejects_partial:
            table.to_parquet(articles_partial, index=False)
            spreadsheet_safe(loaded.rejects).to_csv(rejects_partial, index=False)
    except OSError as error:
        raise CommandError(f"{write_failure(error, out)}; nothing was left half-written (an earlier {out.name} "
                           "and its rejects file, if any, are unchanged)", exit_code=1) from error
    print(f"{loaded.n_inputs} inputs: {len(loaded.articles)} articles loaded "
          f"({loaded.n_duplicates} exact duplicates marked), {len(loaded.rejects)} rejected")
    print(f"articles -> {out}")
    print(f"rejects  -> {rejects_file}")
    if len(loaded.rejects):
        for reason, count in loaded.rejects["reason"].str.split(r"[:(]", regex=True).str[0].str.strip() \
                .value_counts().head(5).items():
            print(f"  {count:>6}  {reason}")
    if loaded.articles.empty:
        raise CommandError("no article could be read", exit_code=1)
    return 0


def configure_ingest(parser) -> None:
    parser.description = ("Load articles (files, folders, globs, archives) into FILE.parquet and list the "
                    "inputs that could not be read in FILE.rejects.csv beside it.")
    parser.add_argument("source", nargs="+", help="file, folder, glob or archive")
    parser.add_argument("--out", required=True, help="Parquet file to write (rejects go beside it)")
    parser.add_argument("--errors", choices=["collect", "raise"], default="collect",
                        help="'raise' stops at the first bad input (default: collect them)")
    parser.add_argument("--normalize", action="store_true",
                        help="normalise the text while loading (else it is kept as published and "
                             "the analysis commands normalise it when they read the table)")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES,
                        help=f"largest article read: a file or archive member, a JSON Lines line, a CSV "
                             f"row (default {MAX_BYTES:,})")
    parser.add_argument("--follow-symlinks", action="store_true",
                        help="read symbolic links that lead outside the folders given")
    parser.add_argument("--categories-from", choices=["folder"], default=None,
                        help="'folder': an article without categories gets its folder's name")
    parser.set_defaults(func=_ingest)
