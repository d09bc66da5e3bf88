"""How long `make report` takes: demo corpus + the full HTML report, timed as a fresh clone sees it.

    .venv/bin/python bench/speed/report_time.py [--n 600] [--seed 7] [--runs cold,warm,serial]

Each run is the `make report` recipe in fresh processes, in a fresh temporary folder (so there is no
demo corpus, corpus cache or report yet — as on a fresh clone):

- ``cold``: ``python -m analysis demo-corpus DIR --n 600 --seed 7`` then
  ``python -m analysis report --corpus DIR --out OUT`` (notebooks in parallel, up to 2 at once);
- ``warm``: the report again on the same corpus, with its Parquet cache in place;
- ``serial`` (the baseline for the parallel design): the report again, warm, with ``--jobs 1``.

The target (issue 7) is the cold run under 180 s on this machine. Per-notebook times come from the
executed notebooks (papermill's cell durations, kernel start-up excluded). Figures go to
``bench/results/report.md`` together with the machine's load, which the other work on a shared
machine inflates.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET_SECONDS = 180.0


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], env: dict) -> tuple[float, float, str]:
    """Wall-clock seconds, CPU seconds (the process and all it waited for: workers, kernels) and the
    last line of its output."""
    cpu_before = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    cpu = _cpu_of_children() - cpu_before
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}")
    return seconds, cpu, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _notebook_seconds(out: Path) -> dict[str, float]:
    seconds = {}
    for executed in sorted((out / "executed").glob("*.ipynb")):
        nb = json.loads(executed.read_text(encoding="utf-8"))
        seconds[executed.stem] = sum(
            (cell.get("metadata", {}).get("papermill", {}).get("duration") or 0.0) for cell in nb["cells"]
        )
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", default="cold,warm,serial", help="comma-separated: cold, warm, serial")
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "report.md"))
    args = parser.parse_args(argv)
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]

    python = sys.executable
    env = dict(os.environ, TQDM_DISABLE="1")
    rows, notebooks = [], {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        tmp = Path(tmp)
        corpus, cache = tmp / "demo", tmp / "cache"
        demo_seconds, demo_cpu, _ = _timed(
            [python, "-m", "analysis", "demo-corpus", str(corpus), "--n", str(args.n), "--seed", str(args.seed)], env
        )
        for run in ["cold"] + [r for r in runs if r != "cold"]:
            out = tmp / f"reports-{run}"
            command = [python, "-m", "analysis", "report", "--corpus", str(corpus), "--out", str(out), "--cache", str(cache)]
            if run == "serial":
                command += ["--jobs", "1"]
            seconds, cpu, summary = _timed(command, env)
            total = seconds + (demo_seconds if run == "cold" else 0.0)
            cpu += demo_cpu if run == "cold" else 0.0
            rows.append((run, demo_seconds if run == "cold" else 0.0, seconds, total, cpu, summary))
            notebooks[run] = _notebook_seconds(out)
            print(f"{run}: report {seconds:.1f} s, total {total:.1f} s — {summary}", flush=True)
    load_after = os.getloadavg()

    cold_total, cold_cpu = rows[0][3], rows[0][4]
    lines = [
        "# `make report` time",
        "",
        f"Command: `.venv/bin/python bench/speed/report_time.py --n {args.n} --seed {args.seed} --runs {args.runs}` "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after — other jobs share the machine).",
        "",
        "Each run: fresh processes in a fresh folder, as `make report` on a fresh clone "
        "(demo corpus, then `python -m analysis report`).",
        "",
        "| run | demo corpus (s) | report (s) | total wall (s) | total CPU (s) | summary |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [f"| {run} | {demo:.1f} | {report:.1f} | {total:.1f} | {cpu:.1f} | {summary} |"
              for run, demo, report, total, cpu, summary in rows]
    lines += [
        "",
        f"Target: cold total under {TARGET_SECONDS:.0f} s — **{'met' if cold_total < TARGET_SECONDS else 'NOT met'}** "
        f"({cold_total:.0f} s, {cold_total / TARGET_SECONDS:.2f} of the budget).",
        f"CPU time (of the processes each run waited for: report, workers, kernels — the loader's fork-server workers may be left out) depends little on what else runs: the cold run needs {cold_cpu:.0f} CPU-seconds, so on "
        f"this 2-core machine with nothing else running its wall time lies between {cold_cpu / 2:.0f} s "
        f"(both cores busy throughout) and {cold_cpu:.0f} s (one core).",
    ]
    by_name = {r[0]: r[2] for r in rows}
    if "warm" in by_name and "serial" in by_name:
        lines.append(
            f"Parallel notebooks (2 at once) vs one at a time, warm cache: {by_name['warm']:.1f} s vs "
            f"{by_name['serial']:.1f} s (ratio {by_name['warm'] / by_name['serial']:.2f})."
        )
    if "warm" in by_name:
        lines.append(
            f"Corpus cache: cold report {by_name['cold']:.1f} s vs warm {by_name['warm']:.1f} s "
            f"(the difference is the one corpus load the notebooks share)."
        )
    lines += ["", "Time inside each notebook's cells (s; kernel start-up and page writing excluded):", ""]
    names = sorted({name for times in notebooks.values() for name in times})
    lines.append("| notebook | " + " | ".join(notebooks) + " |")
    lines.append("|---|" + "---:|" * len(notebooks))
    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{notebooks[run].get(name, float('nan')):.1f}" for run in notebooks) + " |")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if cold_total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
