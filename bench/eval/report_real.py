"""Render the full report for real corpora and check the pages: the shared Fars articles in both layouts.

    .venv/bin/python bench/eval/report_real.py [CORPUS ...] [--out DIR] [--no-browser]

Default corpora: ``../shared/corpora/fars-news-txt`` (one text file an article, the seed's layout)
and ``../shared/corpora/fars-news`` (JSON lists of records), relative to the repository. Each is
rendered with ``python -m analysis report`` into ``DIR/<name>/`` (default: a temporary folder), then
every page is checked: every notebook ran, only the report's own two scripts are present, and, when
headless Chromium is installed, the page loads with no console error or network request and draws
its charts. Figures go to ``bench/results/report_real.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPORA = [REPO.parent / "shared" / "corpora" / "fars-news-txt", REPO.parent / "shared" / "corpora" / "fars-news"]


def _browser():
    if not (Path("/usr/bin/chromium").is_file() and Path("/usr/bin/chromedriver").is_file()):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check_page(page: Path, driver) -> dict:
    """Static and (with a driver) in-browser checks of one page."""
    markup = page.read_text(encoding="utf-8")
    result = {
        "page": page.name,
        "MB": page.stat().st_size / 1e6,
        "scripts": len(re.findall(r"<script[\s>]", markup)),
        "failed": "run-error" in markup and 'class="run-error"' in markup,
    }
    if driver is not None:
        driver.get(page.as_uri())
        deadline = time.time() + 60
        while time.time() < deadline and driver.execute_script(
            "return document.querySelectorAll('div.analysis-chart:not(.loaded)').length"
        ):
            time.sleep(0.3)
        result.update(
            driver.execute_script(
                "return {charts: document.querySelectorAll('div.analysis-chart').length,"
                " drawn: document.querySelectorAll('div.analysis-chart.loaded .main-svg').length ? document.querySelectorAll('div.analysis-chart.loaded').length : 0,"
                " images: document.querySelectorAll('main img').length,"
                " requests: performance.getEntriesByType('resource').length,"
                " direction: getComputedStyle(document.body).direction}"
            )
        )
        result["console errors"] = len([e for e in driver.get_log("browser") if e["level"] == "SEVERE"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--out", type=Path, default=None, help="where the reports go (default: a temporary folder)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results" / "report_real.md")
    args = parser.parse_args(argv)
    out_root = args.out or Path(tempfile.mkdtemp(prefix="report-real-"))
    driver = None if args.no_browser else _browser()
    lines = [
        "# The report on real corpora",
        "",
        f"Command: `.venv/bin/python bench/eval/report_real.py` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"load average {os.getloadavg()[0]:.1f}; browser checks: {'headless Chromium' if driver else 'none'}).",
        "",
    ]
    ok = True
    for corpus in args.corpora:
        if not corpus.exists():
            print(f"skipping {corpus}: not found", file=sys.stderr)
            lines += [f"## {corpus.name}", "", f"not found: `{corpus}`", ""]
            ok = False
            continue
        out = out_root / corpus.name
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "analysis", "report", "--corpus", str(corpus), "--out", str(out),
             "--cache", str(out_root / "cache")],
            cwd=REPO, capture_output=True, text=True, env=dict(os.environ, TQDM_DISABLE="1"),
        )
        seconds = time.perf_counter() - started
        summary = (done.stdout.strip().splitlines() or [""])[-1]
        errors = [line for line in done.stderr.splitlines() if line.startswith("report:")]
        ok &= done.returncode == 0
        print(f"{corpus.name}: exit {done.returncode} in {seconds:.0f} s — {summary}", flush=True)
        lines += [f"## {corpus.name}", "", f"`python -m analysis report --corpus {corpus}`: exit {done.returncode} "
                  f"in {seconds:.0f} s — {summary}", ""]
        lines += [f"- {e}" for e in errors]
        pages = [out / "index.html"] + sorted(out.glob("[0-9][0-9]_*.html"))
        checks = [check_page(p, driver) for p in pages if p.is_file()]
        if checks:
            columns = list(checks[0])
            lines += ["", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
            for check in checks:
                lines.append("| " + " | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in check.values()) + " |")
                ok &= check["scripts"] in (0, 2) and not check["failed"]
                ok &= check.get("console errors", 0) == 0 and check.get("requests", 0) == 0
                ok &= check.get("drawn", 0) >= check.get("charts", 0)
        lines.append("")
    if driver is not None:
        driver.quit()
    lines.append(f"All checks passed: **{'yes' if ok else 'no'}**. Reports written to `{out_root}`.")
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.results}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
