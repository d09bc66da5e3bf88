"""Do the topics find what the articles are about? Two checks, written to bench/results/eval_topics.md.

1. Fars News (labelled real news): normalised mutual information (NMI) between each article's
   dominant topic and its main category (``cat``), with k chosen automatically, side by side with a
   plain baseline (hazm ``WordTokenizer`` tokens minus hazm's stopwords, scikit-learn
   ``TfidfVectorizer`` + ``NMF(k=8)``), and the NPMI coherence of both. The JSON files are split:
   the files named by ``--dev`` (default ``fars-news-1.json``) were used while developing; the
   figures that count are on the others (held out). Main categories: ``cat`` values holding at
   least 2% of the labelled articles of the set evaluated (smaller desks are left out, as are
   articles without ``cat``).
2. Demo corpus: the planted topics (ground truth ``topic``) against the dominant topics, matched
   one-to-one with the Hungarian algorithm: NMI, matched accuracy and the matching itself.

    python bench/eval_topics.py [--fars ../shared/corpora/fars-news] [--dev fars-news-1.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import normalized_mutual_info_score

from _results import write_results

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "eval_topics.md"
MIN_CATEGORY_SHARE = 0.02
NMI_BY_K = (6, 8, 10, 12, 14, 16, 20)


# ---------------------------------------------------------------------------------------- fars


def read_fars(files: list[Path]) -> pd.DataFrame:
    """Fars records as an articles table (normalised title/body, tokens) plus ``raw`` text and ``cat``."""
    from analysis.text import add_tokens, normalize

    records = []
    for path in files:
        records.extend(json.loads(path.read_text(encoding="utf-8")))
    raw_body = ["\n".join([r.get("abstract") or ""] + list(r.get("paragraphs") or [])) for r in records]
    articles = pd.DataFrame(
        {
            "doc_id": [f"{i:05d}" for i in range(len(records))],
            "title": [normalize(r.get("title") or "") for r in records],
            "body": [normalize(text) for text in raw_body],
            "raw": [(r.get("title") or "") + "\n" + text for r, text in zip(records, raw_body)],
            "cat": [r.get("cat") or "" for r in records],
        }
    )
    # the loader puts the title beside the body; the topic model reads both
    articles["text"] = articles["title"] + "\n" + articles["body"]
    return add_tokens(articles, column="text", punctuation=True, progress=False)


def main_categories(articles: pd.DataFrame) -> pd.DataFrame:
    labelled = articles[articles["cat"] != ""]
    shares = labelled["cat"].value_counts(normalize=True)
    keep = shares[shares >= MIN_CATEGORY_SHARE].index
    return labelled[labelled["cat"].isin(keep)].reset_index(drop=True)


def bootstrap_se(labels, predicted, n: int = 200, seed: int = 0) -> float:
    """Standard error of the NMI from resampling the articles (with replacement), the topics fixed:
    how much of a difference in NMI the sample of articles alone could make."""
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        rows = rng.integers(0, len(labels), len(labels))
        values.append(normalized_mutual_info_score(labels[rows], predicted[rows]))
    return float(np.std(values, ddof=1))


def baseline(articles: pd.DataFrame, k: int = 8, seed: int = 0) -> dict:
    """The plain baseline: hazm tokens of the raw text minus hazm's stopwords, TF-IDF, NMF(k)."""
    from hazm import WordTokenizer, stopwords_list
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.topics import npmi_coherence

    tokenizer, stop = WordTokenizer(), set(stopwords_list())
    docs = [[w for w in tokenizer.tokenize(text) if w not in stop] for text in articles["raw"]]
    vectorizer = TfidfVectorizer(analyzer=lambda d: d)
    matrix = vectorizer.fit_transform(docs)
    nmf = NMF(n_components=k, random_state=seed)
    weights = nmf.fit_transform(matrix)
    top = [np.argsort(-row)[:10] for row in nmf.components_]
    return {
        "k": k,
        "nmi": normalized_mutual_info_score(articles["cat"], weights.argmax(axis=1)),
        "nmi_se": bootstrap_se(articles["cat"], weights.argmax(axis=1)),
        "npmi": float(np.mean(npmi_coherence(top, (matrix > 0).astype(float)))),
    }


def ours(articles: pd.DataFrame, k="auto", seed: int = 0) -> dict:
    from analysis.topics import TopicModel, dominant_topics

    model = TopicModel(method="nmf", k=k, random_state=seed).fit(articles)
    dominant = dominant_topics(model, articles)
    return {
        "k": model.k_,
        "nmi": normalized_mutual_info_score(articles["cat"], dominant["topic"]),
        "nmi_se": bootstrap_se(articles["cat"], dominant["topic"]),
        "npmi": float(np.mean(model.topic_coherence_)),
        "model": model,
    }


def curve_table(curve: pd.DataFrame) -> list[str]:
    """The k-selection curve (``model.coherence_``) as a markdown table, the chosen k marked."""
    return ["| k | NPMI | ± (standard error) | diversity |", "|---|---|---|---|"] + [
        f"| {r.k}{' ←' if r.chosen else ''} | {r.npmi:.3f} | {r.npmi_se:.3f} | {r.diversity:.3f} |"
        for r in curve.itertuples()
    ]


def evaluate_fars(folder: Path, dev_names: list[str]) -> list[str]:
    files = sorted(folder.glob("*.json"))
    if not files:
        raise SystemExit(f"{folder}: no .json files (expected Fars News records with a 'cat' field)")
    dev = [f for f in files if f.name in dev_names]
    held_out = [f for f in files if f.name not in dev_names]
    lines = ["## Fars News: dominant topic vs main category", ""]
    lines += [
        f"Data: `{folder}` · development files: {', '.join(f.name for f in dev) or 'none'} · "
        f"held-out files: {', '.join(f.name for f in held_out) or 'none'}. Main categories: `cat` values with "
        f"≥ {MIN_CATEGORY_SHARE:.0%} of the set's labelled articles. ± is the bootstrap standard error of an NMI "
        "(articles resampled, topics fixed).",
        "",
        "| set | articles | categories | baseline NMI (k=8) | baseline NPMI | ours NMI (k auto) | k chosen | ours NPMI "
        "| ours NMI at k=8 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    extra = []
    for name, subset in (("development", dev), ("**held out**", held_out)):
        if not subset:
            continue
        articles = main_categories(read_fars(subset))
        start = time.perf_counter()
        base = baseline(articles)
        mine = ours(articles)
        fixed = ours(articles, k=8)
        seconds = time.perf_counter() - start
        lines.append(
            f"| {name} | {len(articles)} | {articles['cat'].nunique()} | {base['nmi']:.3f} ± {base['nmi_se']:.3f} | "
            f"{base['npmi']:.3f} | **{mine['nmi']:.3f}** ± {mine['nmi_se']:.3f} | {mine['k']} | {mine['npmi']:.3f} | "
            f"{fixed['nmi']:.3f} |"
        )
        print(name, len(articles), base, {k: v for k, v in mine.items() if k != "model"}, f"{seconds:.0f}s", flush=True)
        by_k = [(k, baseline(articles, k=k)["nmi"], ours(articles, k=k)["nmi"]) for k in NMI_BY_K]
        extra += ["", f"NMI by a fixed k, {name.strip('*')} set (how much rides on the choice of k):", "",
                  "| k | " + " | ".join(str(k) for k, _, _ in by_k) + " |", "|---" * (len(by_k) + 1) + "|",
                  "| baseline | " + " | ".join(f"{b:.3f}" for _, b, _ in by_k) + " |",
                  "| ours | " + " | ".join(f"{o:.3f}" for _, _, o in by_k) + " |"]
        if subset is held_out:
            curve = mine["model"].coherence_
            extra += ["", "k chosen on the held-out set (NPMI on the corpus itself, mean ± standard error over "
                      "resamples; the smallest k within one standard error of the best):", ""]
            extra += curve_table(curve)
            extra += ["", "Topics found (held-out set):", ""]
            extra += [f"{i + 1}. {label}" for i, label in enumerate(mine["model"].labels_)]
    return lines + extra + [""]


# ---------------------------------------------------------------------------------------- demo


def evaluate_demo(n: int, seed: int) -> list[str]:
    from analysis.corpus import load_corpus
    from analysis.demo import read_ground_truth, write_demo_corpus
    from analysis.text import add_tokens
    from analysis.topics import TopicModel, dominant_topics

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        write_demo_corpus(folder, n=n, seed=seed)
        truth = read_ground_truth(folder)
        articles = add_tokens(load_corpus(folder), punctuation=True, progress=False)
        files = articles["path"].map(lambda p: os.path.relpath(str(p), folder))
    articles["truth"] = files.map(truth.set_index("file")["topic"]).fillna("")
    articles = articles[articles["truth"] != ""].reset_index(drop=True)
    model = TopicModel(k="auto", random_state=0).fit(articles)
    predicted = dominant_topics(model, articles)["topic"].to_numpy()
    table = pd.crosstab(articles["truth"], predicted)
    rows, cols = linear_sum_assignment(-table.to_numpy())
    accuracy = table.to_numpy()[rows, cols].sum() / len(articles)
    nmi = normalized_mutual_info_score(articles["truth"], predicted)
    lines = [
        "## Demo corpus: planted topics recovered",
        "",
        f"`write_demo_corpus(n={n}, seed={seed})`, {len(articles)} readable articles with a planted topic, "
        f"{articles['truth'].nunique()} planted topics; `TopicModel(k=\"auto\")` chose **k = {model.k_}**.",
        "",
        f"NMI (dominant topic vs planted topic) **{nmi:.3f}** · Hungarian-matched accuracy **{accuracy:.3f}**",
        "",
        "| planted topic | matched model topic | label | articles | of them in the matched topic |",
        "|---|---|---|---|---|",
    ]
    for r, c in zip(rows, cols):
        topic = table.columns[c]
        total = int(table.iloc[r].sum())
        lines.append(f"| {table.index[r]} | {topic + 1} | {model.labels_[topic]} | {total} | {int(table.iloc[r, c])} |")
    lines += ["", "How k was chosen on the demo corpus:", ""] + curve_table(model.coherence_)
    print("demo", {"k": model.k_, "nmi": nmi, "accuracy": accuracy}, flush=True)
    return lines + [""]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fars", type=Path, default=REPO.parent / "shared" / "corpora" / "fars-news")
    parser.add_argument("--dev", default="fars-news-1.json",
                        help="comma-separated file names used during development ('' = none)")
    parser.add_argument("--demo-n", type=int, default=1000)
    parser.add_argument("--demo-seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ.setdefault("TQDM_DISABLE", "1")
    lines = [
        "# Topic model evaluation",
        "",
        f"Command: `python bench/eval_topics.py --fars {args.fars} --dev '{args.dev}'` · "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
    ]
    lines += evaluate_fars(args.fars, [name for name in args.dev.split(",") if name])
    lines += evaluate_demo(args.demo_n, args.demo_seed)
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
