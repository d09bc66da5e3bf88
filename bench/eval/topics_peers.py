"""Our topics side by side with the tools a user would pick instead, written to bench/results/topics_peers.md.

Models (each fitted in its own process, so its fit time and peak memory are its own):

- **ours**: ``TopicModel(k="auto")`` — the coarse level (its ``k_``) and the fine level (``fine_k_``);
- **sklearn NMF baseline**: hazm ``WordTokenizer`` tokens of the text minus hazm's stopwords,
  ``TfidfVectorizer`` + ``NMF`` (as in ``bench/eval/eval_topics.py``);
- **gensim LDA** (``LdaModel``, 10 passes), **tomotopy LDA** (collapsed Gibbs, 500 iterations) and
  **BERTopic** (UMAP + HDBSCAN, c-TF-IDF topic terms, k chosen by itself) — all three read the same
  terms as ours (content-word lemmas and phrases, ``TopicModel._terms``); BERTopic's document
  embeddings are computed here, offline: our TF-IDF matrix reduced by ``TruncatedSVD`` (100
  dimensions), L2-normalised (no sentence-transformers, nothing downloaded).

Peers that need k get the true k where one is known (the number of labels), else ours' coarse k.
Corpora: Fars News (the files eval_topics.py holds out; ``cat`` values with ≥ 2% of the articles, as
there), a five-subject set made from the Fars desks (all files) that are subjects (sports, economy, politics, culture with
arts-media, world), Varzesh3 (no labels) and the demo corpus (planted topics).

Scores: NMI of the dominant topic with the labels; NPMI of each topic's top-10 terms, measured for
every model on one reference (document co-occurrence in the corpus' own articles: a term occurs in
an article when it is one of the article's hazm tokens or one of our terms of it); diversity (share
of distinct terms among all top-10 terms); fit time (wall, seconds) and peak resident memory of the
process (MB, including the corpus and the libraries).

    python bench/eval/topics_peers.py                 # every corpus and model
    python bench/eval/topics_peers.py --corpora demo  # one corpus
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

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _results import write_results

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results" / "topics_peers.md"
SHARED = Path(os.environ.get("SHARED_CORPORA", "/work/shared/corpora"))
MODELS = ("ours", "sklearn-nmf", "gensim-lda", "tomotopy-lda", "bertopic")
CORPORA = ("fars", "fars-5", "varzesh3", "demo")
#: the Fars files eval_topics.py holds out (its "held out" figures); "fars" is these files only
FARS_FILES = ("fars-news-2.json", "fars-news-3.json")
SUBJECT_DESKS = {"sports": "sport", "economy": "economy", "politics": "politics", "culture": "culture",
                 "arts-media": "culture", "world": "world"}
DEMO = (1000, 7)


# ------------------------------------------------------------------------------------- corpora


def load(name: str):
    """The articles table (tokens added) and its labels (None without)."""
    import pandas as pd

    from analysis.text import add_tokens

    if name in ("fars", "fars-5"):
        sys.path.insert(0, str(REPO / "bench" / "eval"))
        from eval_topics import main_categories, read_fars

        files = sorted((SHARED / "fars-news").glob("*.json"))
        articles = read_fars([f for f in files if f.name in FARS_FILES] if name == "fars" else files)
        if name == "fars":
            articles = main_categories(articles)
            labels = articles["cat"]
        else:
            articles = articles[articles["cat"].isin(SUBJECT_DESKS)].reset_index(drop=True)
            labels = articles["cat"].map(SUBJECT_DESKS)
        return articles, labels.to_numpy()
    if name == "varzesh3":
        from analysis.text import normalize

        records = []
        for path in sorted((SHARED / "varzesh3").glob("*.json")):
            records.extend(json.loads(path.read_text(encoding="utf-8")))
        body = [normalize("\n".join([r.get("abstract") or ""] + list(r.get("paragraphs") or []))) for r in records]
        articles = pd.DataFrame({"doc_id": [f"{i:05d}" for i in range(len(records))],
                                 "title": [normalize(r.get("title") or "") for r in records], "body": body})
        articles["raw"] = articles["title"] + "\n" + articles["body"]
        return add_tokens(articles, punctuation=True, progress=False), None
    if name == "demo":
        from analysis.corpus import load_corpus
        from analysis.demo import read_ground_truth, write_demo_corpus

        folder = Path(tempfile.gettempdir()) / f"topics-peers-demo-{DEMO[0]}-{DEMO[1]}"
        if not (folder / ".ground_truth.jsonl").exists():
            write_demo_corpus(folder, n=DEMO[0], seed=DEMO[1])
        truth = read_ground_truth(folder).set_index("file")["topic"]
        articles = add_tokens(load_corpus(folder), punctuation=True, progress=False)
        files = articles["path"].map(lambda p: os.path.relpath(str(p), folder))
        articles["truth"] = files.map(truth).fillna("")
        articles = articles[articles["truth"] != ""].reset_index(drop=True)
        articles["raw"] = articles["title"].fillna("") + "\n" + articles["body"].fillna("")
        return articles, articles["truth"].to_numpy()
    raise ValueError(f"unknown corpus {name!r}")


# ------------------------------------------------------------------------------------- models


def our_terms(articles):
    """Our vocabulary pipeline (fitted once with a fixed k, cheap) and each article's term list."""
    from analysis.topics.terms import mark_stopword_phrases, token_lists
    from analysis.topics import TopicModel

    model = TopicModel(k=2, random_state=0).fit(articles)
    docs = [model._terms(mark_stopword_phrases(t, model._stop)) for t in token_lists(articles, "tokens")]
    vocabulary = set(model.vocabulary_)
    return model, [[t for t in doc if t in vocabulary] for doc in docs]


def run_ours(articles, k, seed):
    from analysis.topics import TopicModel, dominant_topics

    model = TopicModel(k="auto", random_state=seed).fit(articles)
    out = {}
    for level, terms in (("coarse", model.topic_terms_), ("fine", model.fine_topic_terms_)):
        out[level] = {
            "k": model.k_ if level == "coarse" else model.fine_k_,
            "dominant": dominant_topics(model, articles, level=level)["topic"].tolist(),
            "top": [g.sort_values("rank")["term"].tolist() for _, g in terms.groupby("topic", sort=True)],
        }
    return out


def run_sklearn(articles, k, seed):
    from hazm import WordTokenizer, stopwords_list
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    tokenizer, stop = WordTokenizer(), set(stopwords_list())
    docs = [[w for w in tokenizer.tokenize(text) if w not in stop] for text in articles["raw"]]
    vectorizer = TfidfVectorizer(analyzer=lambda d: d)
    matrix = vectorizer.fit_transform(docs)
    nmf = NMF(n_components=k, random_state=seed)
    weights = nmf.fit_transform(matrix)
    names = vectorizer.get_feature_names_out()
    top = [[names[j] for j in np.argsort(-row)[:10]] for row in nmf.components_]
    return {"k": k, "dominant": weights.argmax(axis=1).tolist(), "top": top}


def run_gensim(articles, k, seed):
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    _, docs = our_terms(articles)
    start = time.perf_counter()
    dictionary = Dictionary(docs)
    bows = [dictionary.doc2bow(d) for d in docs]
    lda = LdaModel(bows, num_topics=k, id2word=dictionary, passes=10, random_state=seed, alpha="auto", eta="auto")
    dominant = [max(lda.get_document_topics(b, minimum_probability=0), key=lambda p: p[1])[0] if b else -1
                for b in bows]
    top = [[dictionary[j] for j, _ in lda.get_topic_terms(t, topn=10)] for t in range(k)]
    return {"k": k, "dominant": dominant, "top": top, "fit_seconds": time.perf_counter() - start}


def run_tomotopy(articles, k, seed):
    import tomotopy as tp

    _, docs = our_terms(articles)
    start = time.perf_counter()
    model = tp.LDAModel(k=k, seed=seed)
    index = []
    for i, doc in enumerate(docs):
        if doc:
            model.add_doc([t.replace(" ", "_") for t in doc])
            index.append(i)
    model.train(0)
    for _ in range(10):
        model.train(50, workers=1)
    dominant = [-1] * len(docs)
    for i, doc in zip(index, model.docs):
        dominant[i] = int(np.argmax(doc.get_topic_dist()))
    top = [[w.replace("_", " ") for w, _ in model.get_topic_words(t, top_n=10)] for t in range(k)]
    return {"k": k, "dominant": dominant, "top": top, "fit_seconds": time.perf_counter() - start}


def run_bertopic(articles, k, seed):
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize
    from umap import UMAP

    model, docs = our_terms(articles)
    start = time.perf_counter()
    matrix = model.term_matrix(articles)
    embeddings = normalize(TruncatedSVD(n_components=min(100, matrix.shape[1] - 1), random_state=seed)
                           .fit_transform(matrix))
    texts = ["|".join(d) for d in docs]  # BERTopic replaces tabs and newlines; "|" is in no term
    topic_model = BERTopic(
        embedding_model=None,
        umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed),
        hdbscan_model=HDBSCAN(min_cluster_size=max(10, len(docs) // 100), metric="euclidean",
                              cluster_selection_method="eom", prediction_data=True),
        vectorizer_model=CountVectorizer(analyzer=lambda s: [t for t in s.split("|") if t]),
        language="multilingual",  # "english" would strip every Persian letter from the documents
        calculate_probabilities=False,
    )
    assigned, _ = topic_model.fit_transform(texts, embeddings=embeddings)
    assert "sentence_transformers" not in sys.modules, "BERTopic imported sentence-transformers"
    topics = sorted(t for t in set(assigned) if t != -1)
    top = [[w for w, _ in topic_model.get_topic(t)][:10] for t in topics]
    return {"k": len(topics), "dominant": [int(t) for t in assigned], "top": top,
            "fit_seconds": time.perf_counter() - start, "outliers": float(np.mean(np.array(assigned) == -1))}


RUNNERS = {"ours": run_ours, "sklearn-nmf": run_sklearn, "gensim-lda": run_gensim, "tomotopy-lda": run_tomotopy,
           "bertopic": run_bertopic}


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM, MB). Not ``getrusage``'s ru_maxrss: on Linux that
    survives exec, so a worker would report its parent's peak when it is larger."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(corpus: str, model: str, k: int, seed: int) -> dict:
    """Fit one model on one corpus (in this process); the result as JSON-able dict."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    articles, labels = load(corpus)
    start = time.perf_counter()
    result = RUNNERS[model](articles, k, seed)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    results = result if model == "ours" else {"": result}
    out = {}
    for level, r in results.items():
        out[level] = r | {"fit_seconds": r.get("fit_seconds", seconds), "peak_mb": peak}
    return out


# ------------------------------------------------------------------------------------- scores


def reference_sets(articles):
    """Per article, the set of strings a top term may be: hazm tokens of the text and our terms."""
    from hazm import WordTokenizer

    tokenizer = WordTokenizer()
    _, docs = our_terms(articles)
    return [set(tokenizer.tokenize(text)) | set(t for t in tokens) | set(doc)
            for text, tokens, doc in zip(articles["raw"], articles["tokens"], docs)]


def npmi_of(top: list[list[str]], sets: list[set]) -> float:
    from scipy import sparse

    from analysis.topics import npmi_coherence

    terms = sorted({t for topic in top for t in topic})
    col = {t: j for j, t in enumerate(terms)}
    rows, cols = [], []
    for i, s in enumerate(sets):
        for t in s & col.keys():
            rows.append(i)
            cols.append(col[t])
    binary = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), len(terms)))
    return float(np.mean(npmi_coherence([[col[t] for t in topic] for topic in top], binary))) if top else float("nan")


def diversity_of(top: list[list[str]]) -> float:
    flat = [t for topic in top for t in topic]
    return len(set(flat)) / len(flat) if flat else float("nan")


def evaluate(corpus: str, models, seed: int) -> list[dict]:
    from sklearn.metrics import normalized_mutual_info_score

    articles, labels = load(corpus)
    sets = reference_sets(articles)
    rows = []

    def call(model, k):
        command = [sys.executable, __file__, "--worker", corpus, model, str(k), str(seed)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO / "bench" / "eval")
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return {"": {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}}
        return json.loads(done.stdout.strip().splitlines()[-1])

    ours = call("ours", 0) if "ours" in models else None
    true_k = len(set(labels)) if labels is not None else (ours["coarse"]["k"] if ours and "coarse" in ours else 10)
    for model in models:
        results = ours if model == "ours" else call(model, true_k)
        for level, r in results.items():
            name = model + (f" ({level})" if level else "")
            if "error" in r:
                rows.append({"corpus": corpus, "model": name, "error": r["error"]})
                continue
            dominant = np.array(r["dominant"])
            row = {"corpus": corpus, "model": name, "k": r["k"], "k_given": model != "ours" and model != "bertopic",
                   "npmi": npmi_of(r["top"], sets), "diversity": diversity_of(r["top"]),
                   "seconds": r["fit_seconds"], "peak_mb": r["peak_mb"], "top": r["top"][:3]}
            if labels is not None:
                row["nmi"] = normalized_mutual_info_score(labels, dominant)
            if "outliers" in r:
                row["outliers"] = r["outliers"]
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "top"}, ensure_ascii=False), flush=True)
    return rows


def table(corpus: str, rows: list[dict], n_articles: int, labels) -> list[str]:
    described = {
        "fars": "Fars News, the files eval_topics.py holds out (fars-news-2, -3), `cat` values with ≥ 2% of the articles",
        "fars-5": "Fars News (all three files), the five desks that are subjects (sports, economy, politics, culture + arts-media, world)",
        "varzesh3": "Varzesh3 (sport only; no labels: peers get ours' coarse k)",
        "demo": f"demo corpus `write_demo_corpus(n={DEMO[0]}, seed={DEMO[1]})`, planted topics",
    }[corpus]
    n_labels = len(set(labels)) if labels is not None else None
    lines = [f"### {described}", "",
             f"{n_articles} articles" + (f", {n_labels} labels (true k = {n_labels})" if n_labels else "") + ".", "",
             "| model | k | NMI | NPMI (top 10) | diversity | fit s | peak MB |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['model']} | — | failed: {row['error'][:80]} | | | | |")
            continue
        k = f"{row['k']}" + (" given" if row["k_given"] else " chosen")
        nmi = f"{row['nmi']:.3f}" if "nmi" in row else "—"
        extra = f" ({row['outliers']:.0%} outliers)" if "outliers" in row else ""
        lines.append(f"| {row['model']}{extra} | {k} | {nmi} | {row['npmi']:.3f} | {row['diversity']:.3f} | "
                     f"{row['seconds']:.1f} | {row['peak_mb']:.0f} |")
    lines += ["", "Top terms of the first topics (ours, coarse):", ""]
    for row in rows:
        if row.get("model") == "ours (coarse)":
            lines += [f"- {'، '.join(t[:6])}" for t in row["top"]]
    return lines + [""]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="*", default=list(CORPORA), choices=CORPORA)
    parser.add_argument("--models", nargs="*", default=list(MODELS), choices=MODELS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--worker", nargs=4, metavar=("CORPUS", "MODEL", "K", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        corpus, model, k, seed = args.worker
        print(json.dumps(worker(corpus, model, int(k), int(seed)), ensure_ascii=False))
        return 0
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = ["# Topics side by side with peers", "",
             f"Command: `python bench/eval/topics_peers.py{' --corpora ' + ' '.join(args.corpora) if args.corpora != list(CORPORA) else ''}` · run {started} "
             f"· seed {args.seed} · one run, each model in its own process (load average shared with other jobs).",
             "", (__doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2] + "\n\n" + __doc__.split("\n\n")[3]), ""]
    for corpus in args.corpora:
        rows = evaluate(corpus, args.models, args.seed)
        articles, labels = load(corpus)
        lines += table(corpus, rows, len(articles), labels)
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
