"""``patterns``: publishing patterns and republication tables as CSV."""

from __future__ import annotations

from analysis.cli._common import add_source_argument, command_articles, write_tables
from analysis.patterns import (CALENDARS, FREQS, bursts, category_share, find_republications, hour_profile,
                               length_summary, occasion_summary, site_republication, volume, weekday_profile)


def _patterns_command(args) -> int:
    articles = command_articles(args.source)
    copies = find_republications(articles, threshold=args.threshold, progress=not args.no_progress)
    tables = {
        f"volume_{args.by}_{args.freq}.csv": volume(articles, by=args.by, freq=args.freq, calendar=args.calendar),
        "category_share.csv": category_share(articles, by="site"),
        "weekday_profile.csv": weekday_profile(articles, by="site"),
        "hour_profile.csv": hour_profile(articles, by="site"),
        "length_summary.csv": length_summary(articles, by="site"),
        "bursts.csv": bursts(articles, by="site", freq="day"),
        "occasions.csv": occasion_summary(articles),
        "republication_copies.csv": copies,
        "republication_sites.csv": site_republication(copies),
    }
    n_copies = int((~copies["is_first"]).sum()) if len(copies) else 0
    print(f"{len(articles)} articles ({int(articles['published'].notna().sum())} dated), "
          f"{articles['site'].nunique()} sites; {len(tables['bursts.csv'])} bursts/silences; "
          f"{n_copies} republished copies in {copies['cluster_id'].nunique() if len(copies) else 0} clusters")
    print(write_tables(args.out, tables))
    return 0


def configure_patterns(parser) -> None:
    parser.description = ("Volume over time (Jalali by default), category mix, weekday/hour profiles, lengths, "
                          "bursts and silences, occasions and near-duplicate republication of a corpus (or of a "
                          "Parquet table written by 'ingest'), written as CSV files into DIR.")
    add_source_argument(parser)
    parser.add_argument("--out", required=True, help="folder for the CSV tables")
    parser.add_argument("--by", default="site", help="group volume by this column or 'category' (default: site)")
    parser.add_argument("--freq", choices=FREQS, default="month")
    parser.add_argument("--calendar", choices=CALENDARS, default="jalali")
    parser.add_argument("--threshold", type=float, default=0.8, help="shingle Jaccard of a copy (default 0.8)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(func=_patterns_command)
