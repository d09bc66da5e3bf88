"""Saved-page ingest speed: how many HTML pages a second ``load_corpus`` reads (``analysis.corpus.web``).

    .venv/bin/python bench/speed/html_ingest.py [--n 1000] [--seed 5]

Writes ``--n`` demo articles (``analysis.demo.write_demo_corpus``), renders each as a saved page in
the layout of a real Persian news site (alternately the Drupal/Basij layout with breadcrumb and
Jalali date line, and the Fars layout with og:/article: meta tags: ``tests/corpus/web_pages.py``), then
times ``load_corpus`` on the folder of pages (in one process, and on all cores), and on a WARC
file holding the same pages (with a request record before each response). The same articles as
text files are timed too, for scale. Figures go to ``bench/results/html_ingest.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _results import write_results

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "corpus"))

from web_pages import basij_page, fars_page, write_warc  # noqa: E402


#: kB of inline scripts and styles a page carries (real news pages weigh 50-300 kB, mostly these)
PAGE_WEIGHT = 60


def render(row, i: int) -> str:
    paragraphs = row["body"].split("\n\n")
    category = (list(row["categories"]) or ["اخبار"])[0]
    if i % 2:
        return basij_page(node=100000 + i, title=row["title"], paragraphs=paragraphs, category=category,
                          date_line=f"تاریخ انتشار: {row['published_jalali'].replace('-', '/')} - ۱۰:۳۰",
                          weight=PAGE_WEIGHT)
    return fars_page(number=f"1402{i:010d}", title=row["title"], lead=paragraphs[0], paragraphs=paragraphs[1:],
                     section=category, published=f"{row['published']:%Y-%m-%dT%H:%M:%S}+03:30",
                     keywords=list(row["tags"])[:4], weight=PAGE_WEIGHT)


def _cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(source, workers: int):
    """(wall seconds, CPU seconds of this process and its workers, the load)."""
    from analysis.corpus import read_corpus

    started, cpu = time.perf_counter(), _cpu()
    loaded = read_corpus(source, workers=workers, progress=False)
    return time.perf_counter() - started, _cpu() - cpu, loaded


class _Loaded:
    """Stands for a load of ``n`` articles and no rejects in the table."""

    def __init__(self, n: int):
        self.articles, self.rejects = range(n), ()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
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
        cores = os.cpu_count() or 1
        load = os.getloadavg()[0]
        txt_seconds, txt_cpu, _ = timed(tmp / "txt", 1)
        html_seconds, html_cpu, html = timed(tmp / "html", 1)
        parallel_seconds, parallel_cpu, parallel = timed(tmp / "html", cores)
        warc_seconds, warc_cpu, warc = timed(tmp / "warc", 1)
        load = max(load, os.getloadavg()[0])
        got = html.articles.set_index("path").sort_index()
        same_titles = int((got["title"].to_numpy() == articles["title"].to_numpy()).sum())
        untitled = int((articles["title"] == "").sum())
        same_dates = int((got["published_jalali"].to_numpy() == articles["published_jalali"].to_numpy()).sum())
        html_mb = sum(p.stat().st_size for p in (tmp / "html").iterdir()) / 1e6
    lines = [
        "# Saved-page ingest (HTML and WARC)",
        "",
        f"`bench/speed/html_ingest.py --n {args.n} --seed {args.seed}` on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} cores, shared), Python {platform.python_version()}; {n_pages} demo articles rendered "
        f"as pages in the Basij (Drupal) and Fars layouts, each with {PAGE_WEIGHT} kB of inline scripts and styles as "
        f"real pages carry ({html_mb:.1f} MB of HTML).",
        "",
        f"The machine was shared (load average up to {load:.1f} on {cores} cores during the run), so wall time "
        "depends on the other work; articles per CPU second do not.",
        "",
        "| input | articles | rejects | wall s | articles/s (wall) | CPU s | articles per CPU s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *[f"| {label} | {len(got.articles)} | {len(got.rejects)} | {wall:.2f} | {len(got.articles) / wall:,.0f} | "
          f"{cpu:.2f} | {len(got.articles) / cpu:,.0f} |"
          for label, wall, cpu, got in [
              (f"{n_pages} `.html` pages, one process", html_seconds, html_cpu, html),
              (f"the same pages, {cores} worker processes", parallel_seconds, parallel_cpu, parallel),
              (f"one `.warc.gz` ({2 * n_pages} records), one process", warc_seconds, warc_cpu, warc),
              ("the same articles as `.txt`, one process (for scale)", txt_seconds, txt_cpu, _Loaded(n_pages)),
          ]],
        "",
        f"Titles as written: {same_titles} of {n_pages} ({untitled} demo articles have no title; their pages' "
        "title is the site's name, which a Basij-layout page without og:site_name cannot tell from a title); "
        f"Jalali dates as written: {same_dates} of {n_pages}.",
        "Most of the time is trafilatura's main-text extraction; a WARC file is one input, read by one",
        "process, while a folder of pages is spread over the workers.",
        "",
    ]
    write_results(REPO / "bench" / "results" / "html_ingest.md", lines)


if __name__ == "__main__":
    main()
