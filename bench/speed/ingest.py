"""Ingest benchmark: ``load_corpus`` against a plain baseline on a demo corpus, side by side.

    .venv/bin/python bench/speed/ingest.py [--n 100000] [--seed 5] [--corpus DIR] [--workers N] [--repeat 1]

Writes the demo corpus (``analysis.demo.write_demo_corpus``; or reuses ``--corpus DIR``), then runs,
each in a fresh Python process, alternately:

- baseline: read each file (UTF-8), split its lines, take the ``## `` line as title and the rest as
  body, build a DataFrame (path, title, body) — one process, nothing else;
- loader: ``analysis.load_corpus(DIR)`` as a user calls it (all cores; the text as published) — the
  row the targets are about;
- loader with normalisation (for information): ``load_corpus(DIR, normalize=True)``, which also runs
  the next stage, ``analysis.text.normalize`` on every title and paragraph, in the same workers.

Time is wall-clock, and CPU seconds of all the processes involved (which other load on the machine
does not inflate). Memory is the peak, over the run, of the summed proportional set size (PSS) of
the process and all its children (workers, fork server), sampled every 100 ms; "extra" is that peak
minus the process's own size just before loading. Figures go to ``bench/results/ingest.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _results import write_results

REPO = Path(__file__).resolve().parents[2]
TARGET_TIME_RATIO = 1.5
TARGET_MEMORY_RATIO = 2.0


# --------------------------------------------------------------------------- measured in a child


class TreeMonitor:
    """Samples this process and its children (workers, fork server) in a thread: ``peak`` is the
    highest summed PSS in bytes, ``cpu`` the CPU seconds (user + system) they used meanwhile, less
    the sampling thread's own (reading a process's PSS costs the reader ~9 ms of kernel time for a
    400 MB process, charged to this process: at 20 samples/s over four processes that was a large
    share of the loader's "CPU seconds" and of one core)."""

    def __init__(self, interval: float = 0.1):
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._cpu_seen: dict[int, float] = {}
        self._cpu_start: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                info = proc.memory_full_info()
                times = proc.cpu_times()
            except Exception:  # a worker that just ended
                continue
            total += getattr(info, "pss", info.rss)
            self._cpu_seen[proc.pid] = times.user + times.system
        return total

    def _run(self) -> None:
        started = time.thread_time()
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)
        self.monitor_cpu = time.thread_time() - started

    def __enter__(self):
        self.before = self._sample()
        self._cpu_start = dict(self._cpu_seen)
        self.peak = self.before
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())
        self.cpu = sum(t - self._cpu_start.get(pid, 0.0) for pid, t in self._cpu_seen.items())
        self.cpu -= self.monitor_cpu


def baseline(corpus: Path):
    """Read each file, split lines, build the DataFrame: the plainest possible loader."""
    import pandas as pd

    paths, titles, bodies = [], [], []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
            title = next((line[3:] for line in lines if line.startswith("## ")), "")
            paths.append(path)
            titles.append(title)
            bodies.append("\n".join(line for line in lines if line and not line.startswith("## ")))
    return pd.DataFrame({"path": paths, "title": titles, "body": bodies}, dtype="string")


def child(method: str, corpus: Path, workers: int | None) -> dict:
    """Run one method in this (fresh) process; returns its figures."""
    os.environ["TQDM_DISABLE"] = "1"
    import pandas as pd  # noqa: F401  (imported before measuring, as a user would have)

    if method != "baseline":
        from analysis import corpus as loader

    with TreeMonitor() as memory:
        started = time.perf_counter()
        if method == "baseline":
            table = baseline(corpus)
            rejects = 0
        else:
            table = loader.load_corpus(corpus, workers=workers, normalize=method == "loader-normalize")
            rejects = len(table.attrs["rejects"])
        seconds = time.perf_counter() - started
    return {"method": method, "seconds": seconds, "cpu_seconds": memory.cpu, "rows": len(table), "rejects": rejects,
            "memory_before": memory.before, "memory_peak": memory.peak,
            "table_bytes": int(table.memory_usage(deep=True).sum())}


# --------------------------------------------------------------------------- driver


def run_child(method: str, corpus: Path, workers: int | None) -> dict:
    command = [sys.executable, __file__, "--child", method, "--corpus", str(corpus)]
    if workers:
        command += ["--workers", str(workers)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO).stdout
    return json.loads(out.strip().splitlines()[-1])


def text_bytes(corpus: Path) -> tuple[int, int]:
    files = [p for p in corpus.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(corpus).parts)]
    return len(files), sum(p.stat().st_size for p in files)


def normalize_share(corpus: Path, sample: int = 400) -> float:
    """CPU seconds ``analysis.text.normalize`` takes per MB of article text (UTF-8), on a sample."""
    from analysis.text import load_lexicons, normalize

    load_lexicons()
    files = sorted(p for p in corpus.rglob("*.txt") if not p.name.startswith("."))[:sample]
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    started = time.process_time()
    for text in texts:
        normalize(text)
    seconds = time.process_time() - started
    return seconds / (sum(len(t.encode("utf-8")) for t in texts) / 1e6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="demo articles to write")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--corpus", type=Path, help="existing corpus folder (default: a new demo corpus)")
    parser.add_argument("--workers", type=int, default=None, help="loader processes (default: all cores)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each method (best is kept)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "ingest.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.workers)))
        return 0

    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        corpus = args.corpus
        generate_seconds = None
        if corpus is None or not corpus.exists():
            from analysis.demo import write_demo_corpus

            corpus = corpus or Path(tmp) / "demo"
            started = time.perf_counter()
            write_demo_corpus(corpus, n=args.n, seed=args.seed, progress=False)
            generate_seconds = time.perf_counter() - started
        n_files, n_bytes = text_bytes(corpus)
        runs: dict[str, list[dict]] = {}
        for _ in range(args.repeat):
            for method in ("baseline", "loader", "loader-normalize"):
                result = run_child(method, corpus, args.workers)
                runs.setdefault(method, []).append(result)
                print(json.dumps(result), flush=True)
        seconds_per_mb = normalize_share(corpus)
    best = {method: min(results, key=lambda r: r["seconds"]) for method, results in runs.items()}
    base, load, normalizing = best["baseline"], best["loader"], best["loader-normalize"]
    time_ratio = load["seconds"] / base["seconds"]
    extra = load["memory_peak"] - load["memory_before"]
    memory_ratio = extra / n_bytes
    workers = args.workers or os.cpu_count()

    def row(r: dict) -> str:
        return (f"| {r['method']} | {r['seconds']:.1f} | {r['rows'] / r['seconds']:,.0f} | "
                f"{r['seconds'] / base['seconds']:.2f}x | {r['cpu_seconds']:.1f} | "
                f"{r['cpu_seconds'] / base['cpu_seconds']:.2f}x | {r['memory_peak'] / 1e6:,.0f} | "
                f"{(r['memory_peak'] - r['memory_before']) / 1e6:,.0f} | "
                f"{(r['memory_peak'] - r['memory_before']) / n_bytes:.2f}x | {r['table_bytes'] / 1e6:,.0f} |")

    lines = [
        "# Ingest benchmark",
        "",
        f"`bench/speed/ingest.py {' '.join(argv if argv is not None else sys.argv[1:])}`".replace(" `", "`"),
        "",
        f"- corpus: {n_files:,} files ({args.n:,} demo articles, seed {args.seed}; a few are damaged on "
        f"purpose), {n_bytes / 1e6:,.0f} MB of text"
        + (f"; written in {generate_seconds:.0f} s" if generate_seconds else ""),
        f"- machine: {os.cpu_count()} cores; loader workers: {workers}; best of {args.repeat} run(s) "
        "each, methods alternated, each in a fresh process",
        f"- loaded {load['rows']:,} articles + {load['rejects']} rejects = {load['rows'] + load['rejects']:,} "
        f"inputs (files: {n_files:,})",
        "",
        "| method | seconds | articles/s | time vs baseline | CPU seconds (all processes) | CPU vs baseline "
        "| peak MB (process tree) | extra MB | extra / text | table MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
        row(base),
        row(load),
        row(normalizing),
        "",
        f"Targets: time within {TARGET_TIME_RATIO}x of the baseline — "
        f"{'met' if time_ratio <= TARGET_TIME_RATIO else 'NOT met'} ({time_ratio:.2f}x); "
        f"peak memory under {TARGET_MEMORY_RATIO:.0f}x the text size — "
        f"{'met' if memory_ratio < TARGET_MEMORY_RATIO else 'NOT met'} ({memory_ratio:.2f}x extra over the "
        f"idle interpreter); parallel across {workers} cores.",
        "",
        f"`analysis.text.normalize` alone: {seconds_per_mb:.2f} CPU seconds per MB of text "
        f"(≈ {seconds_per_mb * n_bytes / 1e6:.0f} CPU seconds for this corpus, "
        f"{seconds_per_mb * n_bytes / 1e6 / workers:.0f} s over {workers} cores): loading with "
        f"`normalize=True` takes {normalizing['seconds']:.1f} s "
        f"({normalizing['seconds'] / base['seconds']:.2f}x the baseline). The loader keeps the text as "
        "published and normalising is the text stage's job (`analysis.corpus.normalize_articles`, or "
        "`add_tokens`, which normalises what it tokenises), so a user pays for it once, where it is used.",
        "",
    ]
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
