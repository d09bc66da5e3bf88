"""The report on N demo articles from a dataset: wall and CPU time, peak memory of all its processes.

    python bench/speed/report_scale.py --sizes 20000,200000,1000000 [--work /tmp/report_scale]

For each N: a demo corpus of N files (``demo-corpus``, seed 7) is written to ``WORK/demo-N`` and
ingested to ``WORK/ds-N`` (``ingest-dataset``), both reused when present (not timed). Then
``python -m analysis report --corpus WORK/ds-N`` runs with a fresh cache (normalising the dataset by
parts is part of the report's time) while this script samples, every half second, the resident memory
of the report process and all its descendants (the notebook workers and their kernels) summed, and
keeps the peak. CPU time is user + system of every process of the run: ``RUSAGE_CHILDREN`` of the waited-for
descendants, or the sum of the per-process CPU times sampled, whichever is larger. Results are merged into ``bench/results/report_scale.json`` (so
sizes can be run separately), and written as a table (``report_scale.md``) and a log-log chart
(``report_scale.png``).

Targets (issue 19): peak under 4 GiB at every size; time per article at 1,000,000 no worse than
1.2x that at 200,000.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
GIB = 1024**3


def _python_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _step(args: list[str], log: Path) -> None:
    with open(log, "a", encoding="utf-8") as out:
        subprocess.run([sys.executable, "-m", "analysis", *args], check=True, stdout=out, stderr=out,
                       env=_python_env(), cwd=ROOT)


def prepare(n: int, work: Path, seed: int) -> Path:
    """The dataset of N demo articles (corpus written and ingested when missing; ingest resumes)."""
    corpus, dataset = work / f"demo-{n}", work / f"ds-{n}"
    log = work / f"prepare-{n}.log"
    if not (corpus / ".ground_truth.jsonl").is_file():
        _step(["demo-corpus", str(corpus), "--n", str(n), "--seed", str(seed)], log)
    if not (dataset / "rejects.csv").is_file():
        _step(["ingest-dataset", str(corpus), "--out", str(dataset), "--no-progress"], log)
    return dataset


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def _tree_cpu(process: psutil.Process, seen: dict) -> None:
    """Record the CPU seconds (user + system) of every live process of the tree, by pid."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for member in members:
        try:
            times = member.cpu_times()
            seen[member.pid] = times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass


def measure(dataset: Path, out: Path, cache: Path, extra: list[str]) -> dict:
    """Run the report on ``dataset``; wall seconds, CPU seconds, peak summed RSS, exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    log = out.with_suffix(".log")
    with open(log, "w", encoding="utf-8") as sink:
        child = subprocess.Popen([sys.executable, "-m", "analysis", "report", "--corpus", str(dataset), "--out",
                                  str(out), "--cache", str(cache), *extra], stdout=sink, stderr=sink,
                                 env=_python_env(), cwd=ROOT)
        watched = psutil.Process(child.pid)
        peak = {"rss": 0, "processes": 0}
        cpu_seen: dict = {}
        done = threading.Event()

        def sample():
            while not done.is_set():
                _tree_cpu(watched, cpu_seen)
                rss = _tree_rss(watched)
                if rss > peak["rss"]:
                    peak["rss"] = rss
                    try:
                        peak["processes"] = 1 + len(watched.children(recursive=True))
                    except psutil.NoSuchProcess:
                        pass
                done.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = child.wait()
        done.set()
        sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # processes not waited for by their parent escape RUSAGE_CHILDREN: take the larger of the two
    # (the sampled sum misses at most the last half second of each process)
    cpu = max(cpu, sum(cpu_seen.values()))
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_bytes": peak["rss"], "processes_at_peak": peak["processes"],
            "exit_code": code, "log": str(log)}


def _load(path: Path) -> dict:
    return json.loads(path.read_text()) if path.is_file() else {}


def write_outputs(results: dict, command: str) -> None:
    rows = sorted(results.values(), key=lambda r: r["n_files"])
    lines = [
        "# The report from a dataset, by corpus size",
        "",
        f"Command: `{command}` (machine: {os.cpu_count()} cores; wall times are those of a machine where"
        " nothing else heavy ran, CPU times count only the report's processes).",
        "Each run: `python -m analysis report --corpus DATASET` with a fresh cache (the dataset is normalised",
        "by parts inside the run). Memory: resident memory of the report process and all its descendants",
        "(notebook workers, kernels) summed, sampled every 0.5 s; CPU: user + system of all of them.",
        "",
        "| files | articles | wall s | CPU s | wall ms / article | CPU ms / article | peak memory (GiB) | processes | ok |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        n = max(r["n_articles"], 1)
        lines.append(f"| {r['n_files']:,} | {r['n_articles']:,} | {r['wall_s']:.0f} | {r['cpu_s']:.0f} | "
                     f"{1000 * r['wall_s'] / n:.2f} | {1000 * r['cpu_s'] / n:.2f} | "
                     f"{r['peak_rss_bytes'] / GIB:.2f} | {r['processes_at_peak']} | "
                     f"{'yes' if r['exit_code'] == 0 else 'NO'} |")
    by_n = {r["n_files"]: r for r in rows}
    lines += ["", "Targets: peak memory under 4 GiB at every size: "
              + ("met" if rows and all(r["peak_rss_bytes"] < 4 * GIB for r in rows) else "not met or not measured")
              + f" (sizes measured: {', '.join(f'{r['n_files']:,}' for r in rows) or 'none'})."]
    if 200_000 in by_n and 1_000_000 in by_n:
        ratio = ((by_n[1_000_000]["wall_s"] / by_n[1_000_000]["n_articles"])
                 / (by_n[200_000]["wall_s"] / by_n[200_000]["n_articles"]))
        lines.append(f"Time per article at 1,000,000 / at 200,000: {ratio:.2f}x (target <= 1.2x).")
    else:
        lines.append("Time per article at 1,000,000 against 200,000: not measured yet "
                     "(`python bench/speed/report_scale.py --sizes 200000,1000000`).")
    (RESULTS / "report_scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    ns = [r["n_articles"] for r in rows]
    left.loglog(ns, [r["wall_s"] for r in rows], "o-", label="wall")
    left.loglog(ns, [r["cpu_s"] for r in rows], "s-", label="CPU")
    if ns:
        base = rows[0]
        left.loglog(ns, [base["wall_s"] * n / base["n_articles"] for n in ns], ":", color="0.5", label="linear")
    left.set_xlabel("articles")
    left.set_ylabel("seconds")
    left.legend()
    right.loglog(ns, [r["peak_rss_bytes"] / GIB for r in rows], "o-", color="#c0392b")
    right.axhline(4, color="0.4", linestyle="--", linewidth=1)
    right.set_xlabel("articles")
    right.set_ylabel("peak memory, all processes (GiB)")
    from matplotlib.ticker import NullFormatter

    for ax in (left, right):
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        if ns:
            ax.set_xticks(ns, [f"{n / 1000:,.0f}k" for n in ns])
    seconds = [60, 120, 300, 600, 1200, 3000, 6000, 12000]
    low, high = left.get_ylim()
    left.set_yticks([t for t in seconds if low <= t <= high] or seconds[:1], [str(t) for t in seconds if low <= t <= high] or ["60"])
    right.set_yticks([0.5, 1, 2, 3, 4], ["0.5", "1", "2", "3", "4"])
    fig.savefig(RESULTS / "report_scale.png", dpi=110)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,200000,1000000", help="demo corpus sizes (files)")
    parser.add_argument("--work", default="/tmp/report_scale", help="folder for the corpora, datasets and reports")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample-size", type=int, default=None, help="passed to the report (default: its own)")
    parser.add_argument("--redraw", action="store_true", help="only rewrite the table and chart from the JSON")
    args = parser.parse_args(argv)
    if args.redraw:
        results = _load(RESULTS / "report_scale.json")
        sizes = ",".join(str(r["n_files"]) for r in sorted(results.values(), key=lambda r: r["n_files"]))
        write_outputs(results, f"python bench/speed/report_scale.py --sizes {sizes}")
        return 0
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    store = RESULTS / "report_scale.json"
    results = _load(store)
    extra = ["--sample-size", str(args.sample_size)] if args.sample_size else []
    for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
        dataset = prepare(n, work, args.seed)
        from analysis.scale.dataset import dataset_size

        out, cache = work / f"report-{n}", work / f"cache-{n}"
        subprocess.run(["rm", "-rf", str(out), str(cache)], check=True)
        row = measure(dataset, out, cache, extra)
        row.update({"n_files": n, "n_articles": dataset_size(dataset)})
        results[str(n)] = row
        store.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"{n:,} files: {row['wall_s']:.0f} s wall, {row['cpu_s']:.0f} s CPU, "
              f"peak {row['peak_rss_bytes'] / GIB:.2f} GiB, exit {row['exit_code']}", flush=True)
    write_outputs(results, "python bench/speed/report_scale.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
