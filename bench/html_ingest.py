"""Saved-page ingest speed: how many HTML pages a second ``load_corpus`` reads (``analysis.web``).

    .venv/bin/python bench/html_ingest.py [--n 1000] [--seed 5] [--workers 1]

Writes ``--n`` demo articles (``analysis.demo.write_demo_corpus``), renders each as a saved page in
the layout of a real Persian news site (alternately the Drupal/Basij layout with breadcrumb and
Jalali date line, and the Fars layout with og:/article: meta tags: ``tests/web_pages.py``), then
times ``load_corpus`` on the folder of pages, and on a WARC file holding the same pages (with a
request record before each response), in this process with ``--workers`` processes. The same
articles as text files are timed too, for scale. Figures go to ``bench/results/html_ingest.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from _results import write_results

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from web_pages import basij_page, fars_page, write_warc  # noqa: E402


def render(row, i: int) -> str:
    paragraphs = row["body"].split("\n\n")
    category = (list(row["categories"]) or ["اخبار"])[0]
    if i % 2:
        return basij_page(node=100000 + i, title=row["title"], paragraphs=paragraphs, category=category,
                          date_line=f"تاریخ انتشار: {row['published_jalali'].replace('-', '/')} - ۱۰:۳۰")
    return fars_page(number=f"1402{i:010d}", title=row["title"], lead=paragraphs[0], paragraphs=paragraphs[1:],
                     section=category, published=f"{row['published']:%Y-%m-%dT%H:%M:%S}+03:30",
                     keywords=list(row["tags"])[:4])


def timed(source, workers: int):
    from analysis.corpus import read_corpus

    started = time.perf_counter()
    loaded = read_corpus(source, workers=workers, progress=False)
    return time.perf_counter() - started, loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    from analysis.corpus import load_corpus
    from analysis.demo import write_demo_corpus

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_demo_corpus(tmp / "txt", n=args.n, seed=args.seed)
        articles = load_corpus(tmp / "txt", workers=1).dropna(subset=["published"]).reset_index(drop=True)
        (tmp / "html").mkdir()
        records = []
        for i, row in articles.iterrows():
            page = render(row, i)
            (tmp / "html" / f"{i:06d}.html").write_text(page, encoding="utf-8")
            uri = f"https://example.ir/news/{i}"
            records += [("request", uri), ("response", uri, 200, "text/html; charset=utf-8", page.encode())]
        (tmp / "warc").mkdir()
        write_warc(tmp / "warc" / "crawl.warc.gz", records)
        n_pages = len(articles)
        txt_seconds, _ = timed(tmp / "txt", args.workers)
        html_seconds, html = timed(tmp / "html", args.workers)
        warc_seconds, warc = timed(tmp / "warc", args.workers)
        got = html.articles.set_index("path").sort_index()
        same_titles = int((got["title"].to_numpy() == articles["title"].to_numpy()).sum())
        untitled = int((articles["title"] == "").sum())
        same_dates = int((got["published_jalali"].to_numpy() == articles["published_jalali"].to_numpy()).sum())
        html_mb = sum(p.stat().st_size for p in (tmp / "html").iterdir()) / 1e6
    lines = [
        "# Saved-page ingest (HTML and WARC)",
        "",
        f"`bench/html_ingest.py --n {args.n} --seed {args.seed} --workers {args.workers}` on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} cores, shared), Python {platform.python_version()}; {n_pages} demo articles rendered "
        f"as pages in the Basij (Drupal) and Fars layouts ({html_mb:.1f} MB of HTML).",
        "",
        "| input | articles | rejects | seconds | articles/s |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| {n_pages} `.html` pages | {len(html.articles)} | {len(html.rejects)} | {html_seconds:.2f} | {len(html.articles) / html_seconds:,.0f} |",
        f"| one `.warc.gz` ({2 * n_pages} records) | {len(warc.articles)} | {len(warc.rejects)} | {warc_seconds:.2f} | {len(warc.articles) / warc_seconds:,.0f} |",
        f"| the same articles as `.txt` (for scale) | {n_pages} | 0 | {txt_seconds:.2f} | {n_pages / txt_seconds:,.0f} |",
        "",
        f"Titles as written: {same_titles} of {n_pages} ({untitled} demo articles have no title; their pages' "
        "title is the site's name, which a Basij-layout page without og:site_name cannot tell from a title); "
        f"Jalali dates as written: {same_dates} of {n_pages}.",
        "Most of the time is trafilatura's main-text extraction (a few milliseconds a page); a WARC file is",
        "one input, read by one process, while a folder of pages is spread over the workers.",
        "",
    ]
    write_results(REPO / "bench" / "results" / "html_ingest.md", lines)


if __name__ == "__main__":
    main()
