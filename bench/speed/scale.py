"""Scale: ingest and the report's analyses on 10,000 / 100,000 / 1,000,000 demo articles.

For each size: a demo corpus (written once with ``analysis.demo``, not timed), then each stage in a
fresh subprocess, timed with its peak memory (the summed resident memory of the process and all its
children, sampled every 0.2 s with psutil; PSS, so pages forked workers share count once) and CPU
seconds (the process's rusage, which counts the descendants it waited for, or the psutil samples of
every process seen in the tree, whichever is larger):

- ``ingest``: ``python -m analysis ingest-dataset CORPUS --out DATASET`` (streaming, parallel);
- ``counts``: volume by site and month, by category and month, by day; category share per site —
  ``analysis.scale.engine`` over the dataset, part by part;
- ``terms``: tokens (``analysis.text.add_tokens``) and term frequencies per site with a bounded
  vocabulary, part by part;
- ``topics``: ``analysis.topics.TopicModel(k="auto")`` fitted on a uniform sample of at most
  20,000 articles (``engine.sample_articles``; ``TopicModel.partial_fit`` is the other way, not
  measured here), then topic prevalence
  by Jalali month and by site, every part tokenised and transformed once
  (``engine.topic_prevalence``);
- ``entities``: mentions part by part (``entities.article_mentions``) counted by (site, entity) on
  one Dask worker a core (``engine.counts``), then the top 20 entities of each site;
- ``republication``: ``analysis.patterns.republication.find_republications`` out of core
  (``engine.republication``: LSH band keys part by part, then the shingles of candidates only).

Targets (issue 8): 1,000,000 articles complete with peak memory under 4 GiB; ingest at least 80% as
fast per article as at 10,000 (the ratio is measured in the same run). Writes
``bench/results/scale.md``, ``scale.json`` and ``scale.png`` (log-log wall time, CPU time and peak
memory against size); every finished stage is saved at once, and runs of other sizes or stages already
in the JSON are kept, so sizes and stages can be measured in separate runs.

    python bench/speed/scale.py --sizes 10000 100000 1000000 [--work data/processed/scale] [--stages ingest counts]
                          [--corpus 100000=/path/to/existing/demo/corpus] [--note TEXT] [--report-only]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results"
STAGES = ("ingest", "counts", "terms", "topics", "entities", "republication")
#: articles the topic model is fitted on (a uniform sample when the corpus is larger)
TOPIC_SAMPLE = 20_000
GIB = 1024**3


# ------------------------------------------------------------------------------------ measuring


class PeakMemory:
    """Samples the memory of a process tree in a thread; ``peak`` in bytes.

    Summed PSS (proportional set size: a page shared by k processes counts 1/k in each), so forked
    workers sharing the parent's lexicons are not counted several times; RSS where PSS is unknown.
    ``cpu_seconds``: user + system time of every process seen in the tree.
    """

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval, self.peak = pid, interval, 0
        self.cpu: dict = {}  # (pid, start time) -> last CPU seconds seen: the tree's CPU is their sum
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += _pss(proc)
                        times = proc.cpu_times()
                        self.cpu[(proc.pid, proc.create_time())] = times.user + times.system
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    @property
    def cpu_seconds(self) -> float:
        return float(sum(self.cpu.values()))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _pss(proc) -> int:
    try:
        return proc.memory_full_info().pss
    except (AttributeError, OSError):  # no PSS on this platform
        return proc.memory_info().rss


def measure(command: list[str], env: dict | None = None) -> dict:
    """Run ``command``; wall and CPU seconds (of the process tree), peak tree memory (bytes), exit code
    and its last output lines."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with PeakMemory(process.pid) as memory:
        output = process.stdout.read()
        # the process's own rusage counts every descendant it (or they) waited for: worker processes
        # that end between two samples are counted too
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    cpu = max(usage.ru_utime + usage.ru_stime, memory.cpu_seconds)
    return {"seconds": seconds, "cpu_seconds": cpu, "cpu_seconds_sampled": memory.cpu_seconds,
            "peak_bytes": memory.peak, "returncode": process.returncode, "output": output.strip().splitlines()[-6:]}


# --------------------------------------------------------------------------------- the stages


def run_analyses(stage: str, dataset: str) -> None:
    """The work of one analysis stage, run inside the measured subprocess."""
    from analysis import engine

    fresh = {"cache": False}  # measure the work, not the engine's cache of earlier runs
    if stage == "counts":
        engine.run(engine.volume_reduction(by="site", freq="month"), dataset, **fresh)
        engine.run(engine.volume_reduction(by="category", freq="month"), dataset, **fresh)
        engine.run(engine.volume_reduction(by=None, freq="day"), dataset, **fresh)
        engine.run(engine.category_share_reduction(by="site"), dataset, **fresh)
    elif stage == "terms":
        engine.run(engine.term_frequencies_reduction("site", max_terms=20_000, top=100), dataset, **fresh)
    elif stage == "topics":
        from analysis.text import add_tokens
        from analysis.topics import TopicModel

        sample = engine.sample_articles(dataset, TOPIC_SAMPLE, columns=["doc_id", "body"])
        model = TopicModel(k="auto", random_state=0).fit(add_tokens(sample, cache=False))
        tables = engine.run(engine.topic_prevalence_reduction(model, by=("month", "site")), dataset, **fresh)
        print(f"{model.k_} topics fitted on {len(sample):,} articles; "
              f"{len(tables['month']):,} (month, topic) and {len(tables['site']):,} (site, topic) rows")
    elif stage == "entities":
        from distributed import Client, LocalCluster

        from analysis.entities import rank_entities

        counting = engine.counts(site_entity_counts, keys=["site", "canonical", "type"],
                                 values=["articles", "mentions"], columns=["doc_id", "body", "site"],
                                 name="entities by site")
        workers = os.cpu_count() or 1
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            counts = engine.run(counting, dataset, scheduler=client)
        top = rank_entities(counts, by="site", n=20)
        print(f"{int(counts['mentions'].sum()):,} mentions of {len(counts):,} (site, entity) pairs on {workers} "
              f"Dask workers; {len(top):,} top-entity rows over {top['site'].nunique()} sites")
    elif stage == "republication":
        copies = engine.run(engine.republication_reduction(), dataset, **fresh)
        print(f"{copies['cluster_id'].nunique() if len(copies) else 0:,} clusters, {len(copies):,} articles")
    else:
        raise ValueError(stage)


def site_entity_counts(chunk):
    """Articles and mentions of each (site, entity) in a part: the entities stage's partial table,
    so memory holds counts, not every mention of the corpus."""
    from analysis.entities import article_mentions, entity_counts

    return entity_counts(article_mentions(chunk[["doc_id", "body"]]), chunk[["doc_id", "site"]], by="site")


def corpus_for(n: int, work: Path, seed: int, given: dict | None = None) -> Path:
    if given and n in given:  # an existing demo corpus of this size
        return given[n]
    corpus = work / f"demo_{n}"
    if not (corpus / ".ground_truth.jsonl").exists():
        from analysis.demo import write_demo_corpus

        print(f"writing a demo corpus of {n:,} articles to {corpus} (not timed)", file=sys.stderr)
        write_demo_corpus(corpus, n=n, seed=seed, progress=True)
    return corpus


def bench_size(n: int, work: Path, stages: list[str], seed: int, given: dict | None = None,
               on_row=None) -> list[dict]:
    import shutil

    corpus = corpus_for(n, work, seed, given)
    dataset = work / f"dataset_{n}"
    rows = []
    for stage in stages:
        if stage == "ingest":
            shutil.rmtree(dataset, ignore_errors=True)
            command = [sys.executable, "-m", "analysis", "ingest-dataset", str(corpus), "--out", str(dataset),
                       "--no-progress"]
        else:
            command = [sys.executable, str(Path(__file__).resolve()), "--run-stage", stage, str(dataset)]
        cache = work / f"cache_{n}"
        shutil.rmtree(cache, ignore_errors=True)  # token caches start empty: first-run cost
        load_before = os.getloadavg()[0]
        result = measure(command, env={"TQDM_DISABLE": "1", "ANALYSIS_CACHE_DIR": str(cache)})
        shutil.rmtree(cache, ignore_errors=True)
        row = {"n": n, "stage": stage, **result, "corpus": str(corpus), "load_before": load_before,
               "load_after": os.getloadavg()[0], "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        row["per_second"] = n / result["seconds"] if result["seconds"] else 0.0
        print(f"{n:>9,} {stage:<14} {result['seconds']:9.1f} s {row['per_second']:9.0f} art/s "
              f"CPU {result['cpu_seconds']:8.0f} s peak {result['peak_bytes'] / GIB:6.2f} GiB "
              f"load {load_before:.1f}->{row['load_after']:.1f} rc={result['returncode']}", file=sys.stderr, flush=True)
        if result["returncode"] != 0:
            print("\n".join(result["output"]), file=sys.stderr)
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows


# ------------------------------------------------------------------------------------ reporting


def growth(rows: list[dict], stage: str, measure: str = "seconds") -> list[tuple[int, int, float]]:
    """(n1, n2, exponent b of cost ~ n**b) between consecutive sizes of a stage; ``measure``:
    ``seconds`` (wall) or ``cpu_seconds``."""
    import math

    points = sorted((r["n"], r[measure]) for r in rows
                    if r["stage"] == stage and r["returncode"] == 0 and r.get(measure))
    return [(a, b, math.log(tb / ta) / math.log(b / a)) for (a, ta), (b, tb) in zip(points, points[1:])]


def write_report(rows: list[dict], out: Path, note: str = "") -> None:
    import platform

    ok = [r for r in rows if r["returncode"] == 0]
    lines = ["# Scale: ingest and analyses from 10,000 to 1,000,000 demo articles", "",
             f"`python bench/speed/scale.py --sizes {' '.join(str(n) for n in sorted({r['n'] for r in rows}))}` "
             f"on {os.cpu_count()} cores, {platform.python_version()}; the machine is shared (other jobs "
             "running), so times are upper bounds. Peak memory: summed PSS of the stage's process tree (shared pages counted once).", "",
             "| articles | stage | seconds | articles/s | CPU seconds | CPU ms an article | peak memory (GiB) "
             "| load average (1 min) before → after | ok |",
             "|---:|---|---:|---:|---:|---:|---:|---|:-:|"]
    for r in sorted(rows, key=lambda r: (STAGES.index(r["stage"]), r["n"])):
        cpu = r.get("cpu_seconds")
        cpu_text = f"{cpu:.0f} | {1000 * cpu / r['n']:.2f}" if cpu is not None else "– | –"
        load = f"{r['load_before']:.1f} → {r['load_after']:.1f}" if "load_before" in r else "–"
        lines.append(f"| {r['n']:,} | {r['stage']} | {r['seconds']:.1f} | {r['per_second']:,.0f} | {cpu_text} | "
                     f"{r['peak_bytes'] / GIB:.2f} | {load} | {'yes' if r['returncode'] == 0 else 'FAILED'} |")
    lines += ["", "## Growth (cost ∝ n^b between consecutive sizes)", "",
              "CPU seconds are the steadier measure on a shared machine; wall seconds depend on the load.", "",
              "| stage | sizes | b (CPU seconds) | b (wall seconds) |", "|---|---|---:|---:|"]
    for stage in STAGES:
        wall = {(a, b): e for a, b, e in growth(rows, stage)}
        for a, b, exponent in growth(rows, stage, "cpu_seconds"):
            lines.append(f"| {stage} | {a:,} → {b:,} | {exponent:.2f} | {wall.get((a, b), float('nan')):.2f} |")
    ingest = {r["n"]: r for r in ok if r["stage"] == "ingest"}
    lines += ["", "## Targets", ""]
    if ingest:
        smallest, largest = min(ingest), max(ingest)
        ratio = ingest[largest]["per_second"] / ingest[smallest]["per_second"]
        lines.append(f"- ingest speed per article at {largest:,} vs {smallest:,}: {ratio:.2f} in wall time "
                     f"(target ≥ 0.80: {'met' if ratio >= 0.8 else 'NOT met'})")
        for middle in sorted(n for n in ingest if smallest < n < largest):
            lines.append(f"- ingest speed per article at {largest:,} vs {middle:,}: "
                         f"{ingest[largest]['per_second'] / ingest[middle]['per_second']:.2f} in wall time")
        if ingest[largest].get("cpu_seconds") and ingest[smallest].get("cpu_seconds"):
            cpu_ratio = (ingest[smallest]["cpu_seconds"] / smallest) / (ingest[largest]["cpu_seconds"] / largest)
            lines.append(f"- the same in CPU time per article: {cpu_ratio:.2f} "
                         f"({'met' if cpu_ratio >= 0.8 else 'NOT met'})")
    for n in sorted({r["n"] for r in ok}):
        peak = max(r["peak_bytes"] for r in ok if r["n"] == n) / GIB
        lines.append(f"- peak memory at {n:,}: {peak:.2f} GiB (target at 1,000,000: < 4 GiB"
                     f"{': met' if n == 1_000_000 and peak < 4 else ''})")
    if not any(r["n"] == 1_000_000 for r in ok):
        lines.append("- the 1,000,000 run is not in this file (see the note below)")
    if note:
        lines += ["", "## Note", "", note]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def plot(rows: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_time, ax_cpu, ax_mem) = plt.subplots(1, 3, figsize=(16, 5))
    for stage in STAGES:
        points = sorted((r["n"], r["seconds"], r.get("cpu_seconds") or float("nan"), r["peak_bytes"] / GIB)
                        for r in rows if r["stage"] == stage and r["returncode"] == 0)
        if not points:
            continue
        ns, secs, cpu, mem = zip(*points)
        ax_time.plot(ns, secs, marker="o", label=stage)
        ax_cpu.plot(ns, cpu, marker="o", label=stage)
        ax_mem.plot(ns, mem, marker="o", label=stage)
    ns = sorted({r["n"] for r in rows})
    for ax, key in ((ax_time, "seconds"), (ax_cpu, "cpu_seconds")):
        base = [r[key] for r in rows if r["n"] == ns[0] and r["stage"] == "ingest" and r.get(key)]
        if len(ns) > 1 and base:
            ax.plot(ns, [base[0] * n / ns[0] for n in ns], linestyle=":", color="grey", label="linear (from ingest)")
    for ax, title, unit in ((ax_time, "wall time (shared machine)", "seconds"),
                            (ax_cpu, "CPU time (all processes of the stage)", "CPU seconds"),
                            (ax_mem, "peak memory", "GiB")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("articles")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    from matplotlib.ticker import FuncFormatter

    plain = FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else f"{value:.2g}")
    for ax in (ax_time, ax_cpu, ax_mem):
        ax.xaxis.set_major_formatter(plain)
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda value, _: ""))
    ax_mem.set_yticks([0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8])
    ax_mem.set_yticklabels(["1/16", "1/8", "1/4", "1/2", "1", "2", "4", "8"])
    ax_mem.set_ylim(0.05, 10)
    target = ax_mem.axhline(4, color="red", linestyle="--", linewidth=1, label="4 GiB target (at 1,000,000)")
    handles, labels = ax_cpu.get_legend_handles_labels()  # one legend for the three panels, below them
    fig.legend(handles + [target], labels + [target.get_label()], loc="lower center", ncol=len(handles) + 1,
               frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES))
    parser.add_argument("--work", type=Path, default=REPO / "data" / "processed" / "scale",
                        help="where corpora and datasets go (large: about 8 GB a million articles)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", nargs="+", default=[], metavar="N=DIR",
                        help="use an existing demo corpus for size N instead of writing one")
    parser.add_argument("--results", type=Path, default=RESULTS / "scale.json",
                        help="JSON of all runs; runs of other sizes/stages already in it are kept")
    parser.add_argument("--note", default="", help="a paragraph added to the results file")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the results file and chart from the JSON, measuring nothing")
    parser.add_argument("--run-stage", nargs=2, metavar=("STAGE", "DATASET"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_stage:
        run_analyses(*args.run_stage)
        return 0
    previous = json.loads(args.results.read_text()) if args.results.exists() else []
    if args.report_only:
        write_report(previous, args.results.with_suffix(".md"), args.note)
        plot(previous, args.results.with_suffix(".png"))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    given = {int(n): Path(folder) for n, folder in (item.split("=", 1) for item in args.corpus)}
    rows: list[dict] = []

    def keep(row: dict) -> None:  # every finished stage is saved, even if a later one is stopped
        rows.append(row)
        save(rows, args)

    for n in args.sizes:
        bench_size(n, args.work, args.stages, args.seed, given, on_row=keep)
    return 0 if all(r["returncode"] == 0 for r in rows) else 1


def save(rows: list[dict], args) -> None:
    """Merge ``rows`` into the results JSON (replacing earlier runs of the same size and stage) and
    rewrite the results page and chart."""
    previous = json.loads(args.results.read_text()) if args.results.exists() else []
    measured = {(r["n"], r["stage"]) for r in rows}
    merged = [r for r in previous if (r["n"], r["stage"]) not in measured] + rows
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(merged, indent=1, ensure_ascii=False), encoding="utf-8")
    write_report(merged, args.results.with_suffix(".md"), args.note)
    plot(merged, args.results.with_suffix(".png"))


if __name__ == "__main__":
    sys.exit(main())
