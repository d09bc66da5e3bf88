"""``report``: execute the notebooks on a corpus and write the HTML report."""

from __future__ import annotations

import glob
import sys
import time
from pathlib import Path

from analysis.cli._common import CommandError
from analysis.corpus import parse_day
from analysis.demo import ensure_demo_corpus
from analysis.report import render_report, topic_count


def _run(args) -> int:
    parameters = {
        "date_from": args.date_from,
        "date_to": args.date_to,
        "sites": args.site or [],
        "categories": args.category or [],
        "n_topics": args.n_topics,
    }
    for name in ("date_from", "date_to"):
        if parameters[name]:
            try:
                parse_day(parameters[name])
            except ValueError as error:
                raise CommandError(f"--{name.replace('_', '-')}: {error}", exit_code=2) from error
    corpus = args.corpus
    missing = [c for c in corpus or [] if not Path(c).exists() and not glob.glob(c, recursive=True)]
    if missing:
        raise CommandError(f"corpus not found: {', '.join(missing)}", exit_code=2)
    if not corpus:  # the demo corpus, written on first use
        corpus = [str(ensure_demo_corpus())]
    started = time.perf_counter()
    results = render_report(
        corpus[0] if corpus and len(corpus) == 1 else corpus,
        args.out,
        notebooks_dir=args.notebooks,
        parameters=parameters,
        jobs=args.jobs,
        cache=args.cache,
        sample_size=args.sample_size,
        large_source=args.large_source,
    )
    failed = [r for r in results if not r.ok]
    print(
        f"report: {len(results) - len(failed)} of {len(results)} notebooks rendered into "
        f"{Path(args.out) / 'index.html'} in {time.perf_counter() - started:.0f} s"
    )
    for result in failed:
        log = Path(args.out) / "executed" / f"{result.name}.log"
        print(f"report: {result.name} failed: {result.error} (page: {Path(args.out) / result.page}; log: {log})",
              file=sys.stderr)
    return 1 if failed else 0


def configure_report(parser) -> None:
    parser.description = ("Execute every notebooks/NN_*.py on a corpus and write self-contained HTML pages "
                          "(code hidden, charts embedded, readable offline) and index.html. SOURCE may be a "
                          "dataset folder from ingest-dataset: the pages are then computed part by part.")
    parser.add_argument("--corpus", action="append", metavar="SOURCE",
                        help="file, folder, glob or archive (repeatable); default: the demo corpus data/demo")
    parser.add_argument("--out", default="reports", help="output folder (default: reports)")
    parser.add_argument("--date-from", default="", help="first day kept, Jalali 1402-01-01 or ISO 2023-03-21")
    parser.add_argument("--date-to", default="", help="last day kept, same forms")
    parser.add_argument("--site", action="append", help="keep this site (repeatable)")
    parser.add_argument("--category", action="append", help="keep this category (repeatable)")
    parser.add_argument(
        "--n-topics", type=topic_count, default="auto", help="number of topics, or 'auto' to choose it by coherence (default)"
    )
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks run at once (default: up to 2; from a dataset 1, its passes over parts using every core)")
    parser.add_argument("--notebooks", default=None, help="folder of the notebooks (default: notebooks/)")
    parser.add_argument("--cache", default=None, help="corpus cache folder (default: data/processed/cache)")
    parser.add_argument("--sample-size", type=int, default=None,
                        help="with a dataset: articles the terms, topics and entities pages read, a seeded "
                             "sample (default: 5000)")
    parser.add_argument("--large-source", type=int, default=None, metavar="N",
                        help="a source folder of more than N files is ingested to a dataset under "
                             "data/processed/datasets/ first (default: 50000)")
    parser.set_defaults(func=_run)
