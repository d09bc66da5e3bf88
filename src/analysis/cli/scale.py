"""``ingest-dataset`` and ``analyse-dataset``: corpora of millions of articles, part by part."""

from __future__ import annotations

import time
from pathlib import Path

from analysis._core.exports import write_csv, write_failure
from analysis.cli._common import CommandError
from analysis.corpus import CorpusError
from analysis.patterns import site_republication
from analysis.scale import engine
from analysis.scale.dataset import CHUNK_SIZE, ingest_dataset, is_dataset


def _ingest_dataset_command(args) -> int:
    scheduler = args.scheduler
    if args.engine == "dask" and not scheduler:
        raise CommandError("--engine dask needs --scheduler ADDRESS (e.g. tcp://host:8786)", exit_code=2)
    try:
        summary = ingest_dataset(args.source, args.out, workers=args.workers, chunk_size=args.chunk_size,
                                 errors=args.errors, verify=args.verify, engine=args.engine,
                                 scheduler=scheduler, progress=False if args.no_progress else None)
    except (FileNotFoundError, CorpusError, RuntimeError) as error:
        raise CommandError(str(error), exit_code=2) from error
    except OSError as error:  # a full disk: what was written is whole (parts renamed when complete)
        raise CommandError(f"{write_failure(error, args.out)}; no part was left half-written, and a rerun with "
                           "more space goes on from the files ingested so far", exit_code=1) from error
    rate = summary.n_ingested / summary.seconds if summary.seconds else 0.0
    print(f"{summary.n_inputs} input files: {summary.n_ingested} ingested ({summary.n_changed} changed), "
          f"{summary.n_skipped} unchanged and skipped; {summary.n_articles} articles and "
          f"{summary.n_rejects} rejects in this run ({summary.seconds:.1f} s, {rate:,.0f} files/s)")
    print(f"dataset {summary.out_dir}: {summary.total_articles} articles "
          f"({summary.n_parts_rewritten} earlier parts rewritten); rejects -> {summary.out_dir / 'rejects.csv'}")
    if summary.total_articles == 0:
        raise CommandError("no article could be read", exit_code=1)
    return 0


def configure_ingest_dataset(parser) -> None:
    parser.description = ("Load articles (files, folders, globs, archives) chunk by chunk into a partitioned "
                    "Parquet dataset in DIR, in bounded memory and in parallel. Running it again skips the "
                    "files already ingested and adds new or changed ones.")
    parser.add_argument("source", nargs="+", help="file, folder, glob or archive")
    parser.add_argument("--out", required=True, help="dataset folder (created if missing)")
    parser.add_argument("--workers", type=int, default=None, help="local processes (default: all cores)")
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE,
                        help=f"input files a part (default {CHUNK_SIZE})")
    parser.add_argument("--errors", choices=["collect", "raise"], default="collect",
                        help="'raise' stops at the first bad input (default: collect them)")
    parser.add_argument("--verify", action="store_true",
                        help="compare known files by content hash, not by size and modification time")
    parser.add_argument("--engine", choices=["processes", "dask"], default="processes",
                        help="run the chunks in local processes (default) or on a Dask cluster")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address for --engine dask")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=_ingest_dataset_command)



#: analyses of ``analyse-dataset``: name -> (file name, reduction factory)
COMMAND_ANALYSES = {
    "volume": [("volume_site_month.csv", lambda: engine.volume_reduction(by="site", freq="month")),
               ("volume_category_month.csv", lambda: engine.volume_reduction(by="category", freq="month")),
               ("volume_day.csv", lambda: engine.volume_reduction(by=None, freq="day"))],
    "category-share": [("category_share_site.csv", lambda: engine.category_share_reduction(by="site"))],
    "terms": [("terms_site.csv", lambda: engine.term_frequencies_reduction("site", max_terms=50_000, top=200))],
    "entities": [("entities.csv", lambda: engine.entities_reduction())],
    "republication": [("republication_copies.csv", lambda: engine.republication_reduction())],
}
#: tables derived from an analysis's table: file name -> (file name, function of that table)
DERIVED_TABLES = {
    "republication_copies.csv": [("republication_sites.csv", site_republication)],
}


def _analyse_dataset_command(args) -> int:
    if args.engine == "dask" and not args.scheduler:
        raise CommandError("--engine dask needs --scheduler ADDRESS (e.g. tcp://host:8786)", exit_code=2)
    if not is_dataset(args.dataset):
        raise CommandError(f"{args.dataset}: not an articles dataset (write one with ingest-dataset)", exit_code=2)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.analyses:
        for filename, make in COMMAND_ANALYSES[name]:
            started = time.perf_counter()
            table = engine.run(make(), args.dataset, engine=args.engine, scheduler=args.scheduler,
                        progress=False if args.no_progress else None)
            write_csv(table, out / filename)
            print(f"{filename}: {len(table):,} rows in {time.perf_counter() - started:.1f} s")
            for derived_name, derive in DERIVED_TABLES.get(filename, []):
                derived = derive(table)
                write_csv(derived, out / derived_name)
                print(f"{derived_name}: {len(derived):,} rows")
    return 0


def configure_analyse_dataset(parser) -> None:
    parser.description = ("Run analyses part by part over a dataset written by ingest-dataset and write their "
                    "tables as CSV files into DIR: volume (by site, category, day), category share per "
                    "site, term frequencies per site, entities, republication (copies and the site-to-site "
                    "table).")
    parser.add_argument("dataset", help="dataset folder (from ingest-dataset)")
    parser.add_argument("--out", required=True, help="folder for the CSV tables")
    parser.add_argument("--analyses", nargs="+", choices=list(COMMAND_ANALYSES),
                        default=["volume", "category-share"], help="default: volume category-share")
    parser.add_argument("--engine", choices=["pandas", "dask"], default="pandas",
                        help="part after part in this process (default) or on a Dask cluster")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address for --engine dask")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=_analyse_dataset_command)
