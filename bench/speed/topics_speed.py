"""Speed and memory of topic fitting on a large demo corpus, side by side with the plain baseline.

    python bench/speed/topics_speed.py                 # 100,000 demo articles (generated once, cached)
    python bench/speed/topics_speed.py --n 5000        # a quick run while developing

Steps: write the demo corpus (``analysis.demo``) into ``data/processed/bench/`` if it is not there,
load it (``analysis.corpus.load_corpus``) and tokenise it (``analysis.text.add_tokens``), keeping the
table as Parquet. Then each side runs in its own process, so its peak memory is its own:

- **ours**: ``TopicModel(method="nmf", k="auto")`` — phrases, content words (hazm lexicon classes,
  lemmas), duplicates fitted once, document-frequency pruning, sublinear TF-IDF, k chosen by
  NPMI × diversity over 4..20 (3 resamples of a 5,000-article sample, searched coarse to fine, one-
  standard-error rule), final fit on all;
- **chunked**: ours out of core — ``fit_vocabulary`` on a 5,000-article sample, then ``partial_fit``
  chunk by chunk (MiniBatchNMF), as ``analysis.scale.engine`` can do on a Parquet dataset;
- **baseline**: hazm ``WordTokenizer`` tokens minus hazm's stopwords, ``TfidfVectorizer`` and
  scikit-learn ``NMF(k=8)`` (its tokenisation is timed separately).

Writes ``bench/results/topics_speed.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _results import write_results

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results" / "topics_speed.md"
LIMIT_SECONDS = 300
CHUNK = 10_000  # articles a partial_fit call in the chunked run


def prepare(n: int, seed: int, cache: Path) -> tuple[Path, dict]:
    """The tokenised demo table as Parquet (made once), and how long each step took."""
    import pandas as pd

    table = cache / f"demo-{n}-seed{seed}.parquet"
    times_file = table.with_suffix(".json")
    if table.exists() and times_file.exists():
        return table, json.loads(times_file.read_text())
    from analysis.corpus import load_corpus
    from analysis.demo import write_demo_corpus
    from analysis.text import add_tokens

    corpus = cache / f"demo-{n}-seed{seed}"
    times = {}
    if not (corpus / ".ground_truth.jsonl").exists():
        start = time.perf_counter()
        write_demo_corpus(corpus, n=n, seed=seed)
        times["write demo corpus"] = time.perf_counter() - start
    start = time.perf_counter()
    articles = load_corpus(corpus)
    times["load corpus"] = time.perf_counter() - start
    start = time.perf_counter()
    articles = add_tokens(articles, punctuation=True, cache=False)
    times["tokenise (analysis.text)"] = time.perf_counter() - start
    keep = ["doc_id", "title", "body", "tokens"]
    pd.DataFrame({c: articles[c] for c in keep}).to_parquet(table)
    times_file.write_text(json.dumps(times))
    return table, times


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it does not carry the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_side(side: str, table: Path) -> dict:
    """Fit one side on the table (in this process) and report time, peak memory and k."""
    import pandas as pd

    articles = pd.read_parquet(table)
    articles["tokens"] = articles["tokens"].map(list)
    base_rss = _peak_rss_mb()
    out = {"side": side, "n": len(articles)}
    if side == "ours":
        from analysis.topics import TopicModel

        start, cpu = time.perf_counter(), time.process_time()
        model = TopicModel(method="nmf", k="auto", random_state=0).fit(articles)
        out["fit seconds"] = time.perf_counter() - start
        out["fit CPU seconds"] = time.process_time() - cpu
        out["k"] = model.k_
        out["fine k"] = model.fine_k_
        out["vocabulary"] = len(model.vocabulary_)
        out["phrases"] = len(model.phrases_)
        out["k tried"] = len(model.coherence_)
        out["articles fitted"] = model.n_fitted_
    elif side == "chunked":
        from analysis.topics import TopicModel

        start, cpu = time.perf_counter(), time.process_time()
        model = TopicModel(method="nmf", k="auto", random_state=0)
        model.fit_vocabulary(articles.sample(n=min(5000, len(articles)), random_state=0))
        for begin in range(0, len(articles), CHUNK):
            model.partial_fit(articles.iloc[begin:begin + CHUNK])
        out["fit seconds"] = time.perf_counter() - start
        out["fit CPU seconds"] = time.process_time() - cpu
        out["k"] = model.k_
        out["articles fitted"] = model.n_fitted_
    else:
        from hazm import WordTokenizer, stopwords_list
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfVectorizer

        tokenizer, stop = WordTokenizer(), set(stopwords_list())
        start, cpu = time.perf_counter(), time.process_time()
        texts = (articles["title"] + "\n" + articles["body"]).tolist()
        docs = [[w for w in tokenizer.tokenize(t) if w not in stop] for t in texts]
        out["hazm tokenise seconds"] = time.perf_counter() - start
        out["hazm tokenise CPU seconds"] = time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        matrix = TfidfVectorizer(analyzer=lambda d: d).fit_transform(docs)
        NMF(n_components=8, random_state=0).fit(matrix)
        out["fit seconds"] = time.perf_counter() - start
        out["fit CPU seconds"] = time.process_time() - cpu
        out["k"] = 8
        out["vocabulary"] = matrix.shape[1]
    out["peak RSS MB"] = _peak_rss_mb()
    out["RSS after reading the table MB"] = base_rss
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="demo articles (default 100,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=REPO / "data" / "processed" / "bench")
    parser.add_argument("--side", choices=["ours", "baseline", "chunked"], help=argparse.SUPPRESS)
    parser.add_argument("--table", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ.setdefault("TQDM_DISABLE", "1")
    if args.side:  # worker
        print(json.dumps(run_side(args.side, args.table)))
        return 0

    args.cache.mkdir(parents=True, exist_ok=True)
    table, prep = prepare(args.n, args.seed, args.cache)
    sides = {}
    for side in ("ours", "baseline", "chunked"):
        done = subprocess.run([sys.executable, __file__, "--side", side, "--table", str(table)],
                              capture_output=True, text=True, check=True)
        sides[side] = json.loads(done.stdout.strip().splitlines()[-1])
        print(side, sides[side], flush=True)
    ours, base, chunked = sides["ours"], sides["baseline"], sides["chunked"]
    lines = [
        "# Topic fitting: speed and memory on the demo corpus",
        "",
        f"Command: `python bench/speed/topics_speed.py --n {args.n}` · {ours['n']:,} articles (demo corpus, seed "
        f"{args.seed}) · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| | ours: `TopicModel(k=\"auto\")` | baseline: hazm + TF-IDF + NMF(k=8) | ratio ours / baseline |",
        "|---|---|---|---|",
        f"| fit (seconds) | {ours['fit seconds']:.1f} | {base['fit seconds']:.1f} | "
        f"{ours['fit seconds'] / base['fit seconds']:.2f} |",
        f"| fit (CPU seconds, this process) | {ours['fit CPU seconds']:.1f} | {base['fit CPU seconds']:.1f} | "
        f"{ours['fit CPU seconds'] / base['fit CPU seconds']:.2f} |",
        f"| tokenisation (seconds) | {prep.get('tokenise (analysis.text)', float('nan')):.1f} (analysis.text.add_tokens, all cores, once) | "
        f"{base['hazm tokenise seconds']:.1f} (hazm WordTokenizer, one core) | "
        f"{prep.get('tokenise (analysis.text)', float('nan')) / base['hazm tokenise seconds']:.2f} |",
        f"| peak RSS (MB, own process) | {ours['peak RSS MB']:.0f} | {base['peak RSS MB']:.0f} | "
        f"{ours['peak RSS MB'] / base['peak RSS MB']:.2f} |",
        f"| RSS after reading the table (MB) | {ours['RSS after reading the table MB']:.0f} | "
        f"{base['RSS after reading the table MB']:.0f} | |",
        f"| topics (k) | {ours['k']} coarse, {ours.get('fine k', ours['k'])} fine (chosen) | {base['k']} (fixed) | |",
        f"| vocabulary | {ours['vocabulary']:,} terms (after pruning; {ours['phrases']:,} phrases learned) | "
        f"{base['vocabulary']:,} tokens | |",
        "",
        f"Target: our fit under {LIMIT_SECONDS} s — **{'met' if ours['fit seconds'] < LIMIT_SECONDS else 'NOT met'}** "
        f"({ours['fit seconds']:.0f} s). Our fit includes finding phrases and choosing k ({ours['k tried']} values of k "
        "tried, each fitted on 3 resamples of a 5,000-article sample) before the final fit on "
        f"{ours['articles fitted']:,} articles (duplicates left out). Wall-clock times depend on what else "
        f"runs on the machine (1-minute load average at the end of the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); "
        "CPU seconds do not.",
        "",
        f"Out of core (`fit_vocabulary` on 5,000 articles, then `partial_fit` by chunks of {CHUNK:,}, one pass, "
        f"as analysis.scale.engine can do on a Parquet dataset): {chunked['fit seconds']:.1f} s ({chunked['fit CPU seconds']:.1f} CPU s), "
        f"k = {chunked['k']}, peak RSS {chunked['peak RSS MB']:.0f} MB of which {chunked['RSS after reading the table MB']:.0f} MB "
        "is the table read before fitting.",
        "",
        "Preparation (not part of either fit): "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in prep.items()),
        "",
    ]
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
