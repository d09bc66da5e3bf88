"""Monthly counts of real Fars articles: analysis.patterns.volume vs. the dates written in the URLs.

The Fars News link number encodes the Jalali publication date: ``8707060255`` is 1387/07/06 (two-digit
year, 13YY) and ``13911222000865`` is 1391/12/22. This script reads the raw JSON records itself,
counts articles per Jalali month from those numbers (no project code involved), loads the same corpus
with ``analysis.corpus.load_corpus`` (JSON and one-file-an-article text layouts), computes
``volume(articles, by=None, freq="month", calendar="jalali")`` and compares month by month.

    python bench/eval/eval_patterns.py [--json ../shared/corpora/fars-news] [--txt ../shared/corpora/fars-news-txt]

Writes bench/results/eval_patterns.md; exits 1 when a month differs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _results import write_results

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results" / "eval_patterns.md"
_NUMBER = re.compile(r"/news/(\d{10}|\d{14})(?:\D|$)")
#: Fars News Agency began publishing in 1382 (2003): a number that decodes to an earlier year belongs to
#: another numbering scheme (e.g. 6010060837), not a date
FARS_FIRST_YEAR = 1382


def month_of_link(link: str) -> str | None:
    """Jalali ``YYYY-MM`` from a Fars link number, or None when the link carries no such number."""
    match = _NUMBER.search(link)
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 10:
        year, month = 1300 + int(digits[:2]), int(digits[2:4])
    else:
        year, month = int(digits[:4]), int(digits[4:6])
    if year < FARS_FIRST_YEAR or not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}"


def url_month_counts(folder: Path) -> tuple[Counter, int, int]:
    """(counts per Jalali month, number of records, records without a dated link)."""
    counts, n_records, undated = Counter(), 0, 0
    for path in sorted(folder.glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            n_records += 1
            month = month_of_link(record.get("link", ""))
            if month is None:
                undated += 1
            else:
                counts[month] += 1
    return counts, n_records, undated


def volume_month_counts(source: Path) -> tuple[Counter, int, int, float]:
    from analysis.corpus import load_corpus
    from analysis.patterns import volume

    started = time.perf_counter()
    articles = load_corpus(source, progress=False)
    table = volume(articles, by=None, freq="month", calendar="jalali")
    elapsed = time.perf_counter() - started
    counts = Counter({row.period: int(row.n_articles) for row in table.itertuples() if row.n_articles})
    return counts, len(articles), table.attrs["n_undated"], elapsed


def compare(expected: Counter, got: Counter) -> list[tuple[str, int, int]]:
    months = sorted(set(expected) | set(got))
    return [(m, expected.get(m, 0), got.get(m, 0)) for m in months if expected.get(m, 0) != got.get(m, 0)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=REPO.parent / "shared" / "corpora" / "fars-news")
    parser.add_argument("--txt", type=Path, default=REPO.parent / "shared" / "corpora" / "fars-news-txt")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    expected, n_records, undated = url_month_counts(args.json)
    lines = [
        "# Monthly counts of Fars articles: `volume()` vs. URL dates",
        "",
        f"Command: `python bench/eval/eval_patterns.py --json {args.json} --txt {args.txt}`",
        "",
        f"Records: {n_records}; with a dated link number: {n_records - undated} (numbers decoding to a year "
        f"before {FARS_FIRST_YEAR}, when Fars began, are not dates); "
        f"months with articles (from the URLs): {len(expected)}.",
        "",
        "| corpus layout | articles loaded | undated (URL / volume) | months compared | months that differ | articles in differing months | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    failed = False
    details = []
    for name, source in (("JSON records", args.json), ("one file an article", args.txt)):
        if not source.exists():
            lines.append(f"| {name} | (missing: {source}) | | | | | |")
            continue
        got, n_loaded, n_undated, seconds = volume_month_counts(source)
        diff = compare(expected, got)
        failed |= bool(diff) or n_undated != undated
        months = len(set(expected) | set(got))
        lines.append(f"| {name} | {n_loaded} | {undated} / {n_undated} | {months} | {len(diff)} | "
                     f"{sum(abs(e - g) for _, e, g in diff)} | {seconds:.1f} |")
        details += [f"- {name}: {m}: URL {e}, volume {g}" for m, e, g in diff]
    lines += ["", "Result: " + ("**differences**" if failed else "**every month equal**"), ""]
    if details:
        lines += ["Differences:", "", *details, ""]
    busiest = ", ".join(f"{m} ({n})" for m, n in expected.most_common(5))
    lines += [f"Busiest months (URL): {busiest}.", ""]
    write_results(args.out, lines)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())
