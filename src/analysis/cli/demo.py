"""``demo-corpus``: write the synthetic demo corpus and its ground truth."""

from __future__ import annotations

import time
from pathlib import Path

from analysis.cli._common import CommandError
from analysis.demo import GROUND_TRUTH_FILE, write_demo_files


def _run_demo_corpus(args) -> int:
    started = time.perf_counter()
    try:
        counts = write_demo_files(args.out_dir, args.n, args.seed, processes=args.processes)
    except (ValueError, FileExistsError) as error:
        raise CommandError(str(error), exit_code=2) from error
    seconds = time.perf_counter() - started
    print(
        f"wrote {counts['files']:,} file{'s' if counts['files'] != 1 else ''} to {args.out_dir} in {seconds:.1f} s "
        f"({counts['files'] / seconds:,.0f} files/s): {counts['copies']:,} republished copies, "
        f"{counts['damaged']:,} damaged files ({counts['unreadable']:,} unreadable); "
        f"ground truth in {Path(args.out_dir) / GROUND_TRUTH_FILE}"
    )
    return 0


def configure_demo_corpus(parser) -> None:
    parser.description = ("Write N synthetic Persian news articles in the seed's layout into OUT_DIR, "
                          "with a hidden ground-truth sidecar (.ground_truth.jsonl).")
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path)
    parser.add_argument("--n", type=int, default=600, help="number of files (default 600)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--processes", type=int, default=None,
                        help="worker processes (default: all cores from 20,000 files)")
    parser.set_defaults(func=_run_demo_corpus)
