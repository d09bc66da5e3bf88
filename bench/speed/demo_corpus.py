"""Demo-corpus generation speed: files per second at several sizes, serial and on all cores.

    python bench/speed/demo_corpus.py [--sizes 10000,100000] [--seed 7] [--work data/processed/bench-demo]

For every size it writes ``analysis.demo.write_demo_corpus`` into ``--work`` (deleted afterwards) with
one process and with all cores, side by side in one run, and reports seconds, files per second, MB
written and the speed-up of the parallel path; the bytes of the two runs are checked to be the same
(their ground-truth sidecars must match). Results: bench/results/demo_corpus.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results"


def _size_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def run(sizes: list[int], seed: int, work: Path, processes: int) -> list[dict]:
    from analysis.demo import GROUND_TRUTH_FILE, write_demo_corpus

    rows = []
    for n in sizes:
        timings = {}
        digests = {}
        for label, procs in (("1 process", 1), (f"{processes} processes", processes)):
            out = work / f"demo-{n}-{procs}"
            shutil.rmtree(out, ignore_errors=True)
            started, cpu_started = time.perf_counter(), _cpu_seconds()
            write_demo_corpus(out, n=n, seed=seed, processes=procs, progress=False)
            seconds = time.perf_counter() - started
            cpu = _cpu_seconds() - cpu_started
            timings[label] = seconds
            digests[label] = _digest(out / GROUND_TRUTH_FILE)
            rows.append({"files": n, "run": label, "seconds": seconds, "files_per_s": n / seconds,
                         "cpu": cpu, "files_per_cpu_s": n / cpu, "mb": _size_mb(out)})
            shutil.rmtree(out, ignore_errors=True)
            print(f"{n:>9,} files, {label}: {seconds:7.1f} s, {n / seconds:8,.0f} files/s, "
                  f"{cpu:7.1f} CPU s", flush=True)
        assert len(set(digests.values())) == 1, f"serial and parallel runs differ at n={n}"
        rows[-1]["speedup"] = timings["1 process"] / rows[-1]["seconds"]
    return rows


def write_results(rows: list[dict], command: str, processes: int, load: float) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Demo corpus generation speed",
        "",
        f"Command: `{command}` (machine: {os.cpu_count()} cores; load average at the start "
        f"{load:.1f}: other jobs were running).",
        f"Serial (1 process) and parallel ({processes} processes) runs side by side; both wrote the same",
        "bytes (identical ground-truth sidecars).",
        "",
        "CPU seconds add up all processes (user + system): files per CPU second does not depend on how",
        "busy the machine was; wall-clock files/s does.",
        "",
        "| files | run | seconds | files/s | CPU seconds | files per CPU second | MB written | speed-up |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        speedup = f"{r['speedup']:.2f}x" if "speedup" in r else ""
        lines.append(f"| {r['files']:,} | {r['run']} | {r['seconds']:.1f} | {r['files_per_s']:,.0f} | "
                     f"{r['cpu']:.1f} | {r['files_per_cpu_s']:,.0f} | {r['mb']:,.0f} | {speedup} |")
    path = RESULTS / "demo_corpus.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=REPO / "data" / "processed" / "bench-demo")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    load = os.getloadavg()[0]
    rows = run(sizes, args.seed, args.work, args.processes)
    command = "python bench/speed/demo_corpus.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(write_results(rows, command.strip(), args.processes, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
