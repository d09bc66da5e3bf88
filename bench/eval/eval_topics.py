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

The full run also writes how much of the NMI is reachable at all on each set (a supervised ceiling:
cross-validated classifiers told the categories, on the same features; k-means on LSA as an
unsupervised reference; chance; how much the spelling of the raw text alone tells about ``cat``),
what limits the NMI on the held-out set (per category: how the desk's articles spread over the
topics; NMI by article era, from the form of the Fars link), how the chosen k and the NMI move with
the seed, and two ablations on the development files only: round 1, the options tried on
vocabulary, TF-IDF weighting, NMF objective, restarts, title weight and LDA; round 2, how articles
are assigned to topics (scaling of W), how NMF is started and regularised, nouns-only vocabulary
and agency boilerplate removed — each with its NMI at fixed k.

    python bench/eval/eval_topics.py [--fars ../shared/corpora/fars-news] [--dev fars-news-1.json]
    python bench/eval/eval_topics.py --quick '{"min_df": 3}'   # one setting, development files, printed only
    python bench/eval/eval_topics.py --round2                  # round-2 options, development files, printed only
    python bench/eval/eval_topics.py --reach                   # reachability tables only, printed
    python bench/eval/eval_topics.py --levels                  # k auto on both sets: both levels, the curve, printed
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import re

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: _results, _arman
from _results import write_results

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "bench" / "results" / "eval_topics.md"
MIN_CATEGORY_SHARE = 0.02
NMI_BY_K = (6, 8, 10, 12, 14, 16, 20)
ABLATION_K = (8, 10, 12, 16)
STABILITY_SEEDS = (0, 1, 2, 3)
#: Fars links of the current site carry a 14-digit id that starts with the Jalali year (13930915001110);
#: older articles have a shorter numeric id (8704030155)
CURRENT_LINK = re.compile(r"/news/1[34]\d{12}")


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
            "link": [r.get("link") or "" for r in records],
        }
    )
    articles["title_tokens"] = add_tokens(articles, column="title", punctuation=True, progress=False)["tokens"]
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


def baseline(articles: pd.DataFrame, k: int = 8, seed: int = 0, column: str = "raw") -> dict:
    """The plain baseline: hazm tokens of the raw text (``column``) minus hazm's stopwords, TF-IDF, NMF(k)."""
    from hazm import WordTokenizer, stopwords_list
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.topics import npmi_coherence

    tokenizer, stop = WordTokenizer(), set(stopwords_list())
    docs = [[w for w in tokenizer.tokenize(text) if w not in stop] for text in articles[column]]
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


def ours(articles: pd.DataFrame, k="auto", seed: int = 0, params: dict | None = None, model_class=None) -> dict:
    from analysis.topics import TopicModel, dominant_topics

    model_class = model_class or TopicModel
    model = model_class(**({"method": "nmf"} | (params or {}) | {"k": k, "random_state": seed})).fit(articles)
    dominant = dominant_topics(model, articles)
    return {
        "k": model.k_,
        "nmi": normalized_mutual_info_score(articles["cat"], dominant["topic"]),
        "nmi_se": bootstrap_se(articles["cat"], dominant["topic"]),
        "npmi": float(np.mean(model.topic_coherence_)),
        "model": model,
        "predicted": dominant["topic"].to_numpy(),
    }


def curve_table(curve: pd.DataFrame) -> list[str]:
    """The k-selection curve (``model.coherence_``) as a markdown table, the chosen k marked."""
    return ["| k | NPMI | ± (standard error) | diversity | stability |", "|---|---|---|---|---|"] + [
        f"| {r.k}{' ←' if r.chosen else ''} | {r.npmi:.3f} | {r.npmi_se:.3f} | {r.diversity:.3f} | {r.stability:.3f} |"
        for r in curve.itertuples()
    ]


# ------------------------------------------------------------------------- what limits the NMI


def category_spread(articles: pd.DataFrame, model) -> list[str]:
    """Per category: how its articles spread over the topics (the share in its most common topic,
    the entropy of the spread) and the NMI of the set without that category."""
    from analysis.topics import dominant_topics

    topic = dominant_topics(model, articles)["topic"].to_numpy()
    table = pd.crosstab(articles["cat"].to_numpy(), topic)
    overall = normalized_mutual_info_score(articles["cat"], topic)
    lines = [f"NMI of the whole set: {overall:.3f}.", "",
             "| category | articles | share in its most common topic | that topic | spread (entropy, bits) "
             "| NMI without this category |", "|---|---|---|---|---|---|"]
    shares = table.div(table.sum(axis=1), axis=0)
    for cat in shares.max(axis=1).sort_values().index:
        row = shares.loc[cat]
        entropy = float(-(row[row > 0] * np.log2(row[row > 0])).sum())
        keep = (articles["cat"] != cat).to_numpy()
        without = normalized_mutual_info_score(articles["cat"][keep], topic[keep])
        lines.append(f"| {cat} | {int(table.loc[cat].sum())} | {row.max():.2f} | {model.labels_[row.idxmax()] if row.idxmax() >= 0 else '(no topic)'} | "
                     f"{entropy:.2f} | {without:.3f} |")
    current = articles["link"].str.contains(CURRENT_LINK).to_numpy()
    lines += ["", "| articles | n | NMI (same topics) |", "|---|---|---|"]
    for name, rows in (("current links (2014 on: `/news/13…` 14-digit id)", current),
                       ("older links (short numeric id)", ~current)):
        if rows.sum() > 1:
            lines.append(f"| {name} | {int(rows.sum())} | {normalized_mutual_info_score(articles['cat'][rows], topic[rows]):.3f} |")
    return lines


def seed_spread(articles: pd.DataFrame) -> list[str]:
    """k chosen, NMI and NPMI of ``TopicModel(k="auto")`` fitted with several seeds (the seed moves
    the resamples k is chosen on and the NMF start)."""
    lines = ["| seed | k chosen | NMI | NPMI |", "|---|---|---|---|"]
    for seed in STABILITY_SEEDS:
        result = ours(articles, seed=seed)
        lines.append(f"| {seed} | {result['k']} | {result['nmi']:.3f} | {result['npmi']:.3f} |")
    return lines


# ---------------------------------------------------------------------------------- ablation


def ablation_variants() -> list[tuple[str, dict, type | None, str | None]]:
    """Options tried on the development files: (name, TopicModel parameters, model class or None,
    token column or None). The classes change one piece the estimator has no parameter for."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer

    from analysis.topics import TopicModel

    def weighting(**options):
        class Weighted(TopicModel):
            def _weigh(self, counts, fit):
                if fit:
                    self._tfidf = TfidfTransformer(**options).fit(counts)
                return self._tfidf.transform(counts)
        return Weighted

    class KullbackLeibler(TopicModel):
        def _estimator(self, k, *, ranking=False):
            return NMF(n_components=k, init="nndsvda", beta_loss="kullback-leibler", solver="mu",
                       max_iter=self.max_iter, tol=1e-3, random_state=self.random_state)

    class Restarts(TopicModel):
        """Five NMF fits (NNDSVDa and four random starts), the best reconstruction kept."""
        def _estimator(self, k, *, ranking=False):
            model = self

            class Best:
                def fit(self, matrix):
                    fits = [NMF(n_components=k, init="nndsvda" if r == 0 else "random", max_iter=model.max_iter,
                                tol=1e-3, random_state=(model.random_state or 0) + r).fit(matrix) for r in range(5)]
                    self.best = min(fits, key=lambda f: f.reconstruction_err_)
                    self.components_ = self.best.components_
                    return self

                def transform(self, matrix):
                    return self.best.transform(matrix)
            return Best()

    return [
        ("defaults (content words, lemmas, phrases, sublinear TF-IDF, Frobenius NMF)", {}, None, None),
        ("all words (content_words=False)", {"content_words": False}, None, None),
        ("no lemmas (lemmas=False)", {"lemmas": False}, None, None),
        ("no phrases (phrases=False)", {"phrases": False}, None, None),
        ("plain vocabulary (all three off)", {"content_words": False, "lemmas": False, "phrases": False}, None, None),
        ("plain vocabulary, no df pruning", {"content_words": False, "lemmas": False, "phrases": False,
                                             "min_df": 1, "max_df": 1.0}, None, None),
        ("min_df=5", {"min_df": 5}, None, None),
        ("max_df=0.7", {"max_df": 0.7}, None, None),
        ("max_features=3000", {"max_features": 3000}, None, None),
        ("raw term frequency (sublinear_tf=False)", {}, weighting(sublinear_tf=False), None),
        ("no idf smoothing", {}, weighting(sublinear_tf=True, smooth_idf=False), None),
        ("no idf", {}, weighting(sublinear_tf=True, use_idf=False), None),
        ("NMF Kullback–Leibler (solver mu)", {}, KullbackLeibler, None),
        ("NMF, best of 5 starts", {}, Restarts, None),
        ("title counted 3 times", {}, None, "title3"),
        ("body only (no title)", {}, None, "body_tokens"),
        ("LDA on counts", {"method": "lda"}, None, None),
    ]


def ablation(articles: pd.DataFrame) -> list[str]:
    """NMI at fixed k of each option tried (development files only)."""
    from analysis.text import add_tokens

    articles = articles.copy()
    articles["title3"] = [list(t) * 2 + list(x) for t, x in zip(articles["title_tokens"], articles["tokens"])]
    articles["body_tokens"] = add_tokens(articles, column="body", punctuation=True, progress=False)["tokens"]
    lines = ["| option | " + " | ".join(f"NMI k={k}" for k in ABLATION_K) + " | mean | NPMI (mean) |",
             "|---" * (len(ABLATION_K) + 3) + "|"]
    means = {}
    for name, params, model_class, column in ablation_variants():
        frame = articles if column is None else articles.assign(tokens=articles[column])
        results = [ours(frame, k=k, params=params, model_class=model_class) for k in ABLATION_K]
        nmis = [r["nmi"] for r in results]
        lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in nmis) +
                     f" | {np.mean(nmis):.3f} | {np.mean([r['npmi'] for r in results]):.3f} |")
        print("ablation", name, f"{np.mean(nmis):.3f}", flush=True)
        means[name] = float(np.mean(nmis))
    defaults, *others = means
    best = max(others, key=means.get)
    lines += ["", f"Best option: {best}, mean NMI {means[best]:.3f} against {means[defaults]:.3f} for the defaults "
              f"({means[best] - means[defaults]:+.3f}); options within ±0.02 of the defaults: "
              f"{sum(abs(means[o] - means[defaults]) <= 0.02 for o in others)} of {len(others)}."]
    return lines


# ------------------------------------------------------------------- how much is reachable at all


#: Arabic yeh and kaf (ي ك): older Fars articles are typed with them, newer ones with the Persian
#: letters; analysis.text.normalize maps them to ی and ک, the baseline reads the raw text
ARABIC_LETTERS = re.compile("[\u064a\u0643]")
CLUSTER_SEEDS = (0, 1, 2, 3, 4)
#: an attribution clause is cut at punctuation, or after this many tokens
MAX_CLAUSE = 25


def model_features(articles: pd.DataFrame, params: dict | None = None):
    """The TF-IDF matrix a default ``TopicModel`` fits its topics on (its vocabulary learned from the
    articles themselves, no labels), one row an article."""
    from analysis.topics import TopicModel

    return TopicModel(**({"k": 8, "random_state": 0} | (params or {}))).fit(articles).term_matrix(articles)


def baseline_features(texts):
    """The baseline's text handling and weighting: hazm tokens minus hazm's stopwords, TF-IDF."""
    from hazm import WordTokenizer, stopwords_list
    from sklearn.feature_extraction.text import TfidfVectorizer

    tokenizer, stop = WordTokenizer(), set(stopwords_list())
    docs = [[w for w in tokenizer.tokenize(text) if w not in stop] for text in texts]
    return TfidfVectorizer(analyzer=lambda d: d).fit_transform(docs)


def unify_arabic_letters(text: str) -> str:
    """Only the Arabic yeh and kaf replaced by the Persian letters (nothing else normalised)."""
    return text.replace("\u064a", "\u06cc").replace("\u0643", "\u06a9")


def supervised_ceiling(matrix, labels, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Out-of-fold predictions of ``cat`` from the features (5-fold stratified cross-validation):
    NMI and accuracy of logistic regression (C=10) and a linear SVM (C chosen by an inner 3-fold
    search on each training part). What a model that *is told* the categories reaches with
    these features — an unsupervised topic model is not expected to do better."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict
    from sklearn.svm import LinearSVC

    labels = np.asarray(labels)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    models = {"logistic regression": LogisticRegression(C=10, max_iter=3000),
              "linear SVM": GridSearchCV(LinearSVC(), {"C": [0.1, 1, 10]}, cv=3)}
    out = {}
    for name, model in models.items():
        predicted = cross_val_predict(model, matrix, labels, cv=folds)
        out[name] = (normalized_mutual_info_score(labels, predicted), accuracy_score(labels, predicted))
    return out


def clustering_reference(matrix, labels, k: int) -> tuple[float, float]:
    """NMI of a standard document clustering: k-means (k = number of categories) on the L2-normalised
    100-dimensional LSA of the TF-IDF matrix; mean and standard deviation over seeds."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    dims = min(100, min(matrix.shape) - 1)
    values = []
    for seed in CLUSTER_SEEDS:
        reduced = normalize(TruncatedSVD(dims, random_state=seed).fit_transform(matrix))
        values.append(normalized_mutual_info_score(labels, KMeans(k, n_init=10, random_state=seed).fit_predict(reduced)))
    return float(np.mean(values)), float(np.std(values, ddof=1))


def chance_nmi(labels, k: int, n: int = 100, seed: int = 0) -> float:
    """Mean NMI of random assignments to k groups: what the NMI of k groups gives on this many articles by chance."""
    rng = np.random.default_rng(seed)
    return float(np.mean([normalized_mutual_info_score(labels, rng.integers(0, k, len(labels))) for _ in range(n)]))


def reachability(articles: pd.DataFrame, name: str) -> list[str]:
    """How much of the NMI target is reachable at all on these labels: supervised ceilings on the
    model's features and on the baseline's (raw and normalised text), a clustering reference, chance,
    and how much of ``cat`` the spelling of the raw text alone tells."""
    from sklearn.decomposition import NMF

    labels = articles["cat"].to_numpy()
    k = articles["cat"].nunique()
    features = {
        "ours (content-word lemmas + phrases, normalised text)": model_features(articles),
        "baseline's (hazm tokens − hazm stopwords, **raw** text)": baseline_features(articles["raw"]),
        "baseline's, raw text with only ي/ك → ی/ک": baseline_features(articles["raw"].map(unify_arabic_letters)),
        "baseline's, on the **normalised** text": baseline_features(articles["text"]),
    }
    lines = [f"| features ({name} set, {len(articles)} articles, {k} categories) | logistic regression NMI / accuracy "
             f"| linear SVM NMI / accuracy | k-means on LSA, k = {k}: NMI (mean ± sd, {len(CLUSTER_SEEDS)} seeds) "
             "| plain NMF k=8 (argmax W): NMI |", "|---|---|---|---|---|"]
    for feature_name, matrix in features.items():
        ceiling = supervised_ceiling(matrix, labels)
        mean, sd = clustering_reference(matrix, labels, k)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plain = normalized_mutual_info_score(labels, NMF(8, random_state=0).fit_transform(matrix).argmax(axis=1))
        lines.append(f"| {feature_name} | " + " | ".join(f"{nmi:.3f} / {acc:.3f}" for nmi, acc in ceiling.values())
                     + f" | {mean:.3f} ± {sd:.3f} | {plain:.3f} |")
        print("reachability", name, feature_name, ceiling, (mean, sd), plain, flush=True)
    arabic = articles["raw"].str.contains(ARABIC_LETTERS).to_numpy()
    lines += ["", f"Chance: random assignment to {k} groups scores NMI {chance_nmi(labels, k):.3f} on average "
              f"(to 14 groups {chance_nmi(labels, 14):.3f}). Spelling alone: {arabic.mean():.0%} of the raw articles are "
              f"typed with Arabic ي/ك; that one yes/no feature has NMI {normalized_mutual_info_score(labels, arabic):.3f} "
              "with `cat` (normalisation removes it)."]
    return lines


# ------------------------------------------------------- options tried, round 2: assignment and fitting


def _paired_bootstrap(labels, predictions: list, reference: list, n: int = 200, seed: int = 0) -> float:
    """Standard error of the difference in mean NMI (over the fixed k's) between an option and the
    defaults, articles resampled together for both."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(n):
        rows = rng.integers(0, len(labels), len(labels))
        ours_ = np.mean([normalized_mutual_info_score(labels[rows], p[rows]) for p in predictions])
        ref = np.mean([normalized_mutual_info_score(labels[rows], p[rows]) for p in reference])
        diffs.append(ours_ - ref)
    return float(np.std(diffs, ddof=1))


def round2_variants():
    """Options of round 2 (development files only): how articles are assigned to topics, how NMF is
    fitted, and text handling not tried in round 1. (name, TopicModel parameters, class or None,
    token column or None)."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import NMF

    from analysis.topics.terms import word_classes
    from analysis.text import lemmatize
    from analysis.topics.models import TopicModel, _normalise_rows

    class RawWeights(TopicModel):
        """Dominant topic from the raw NMF weights W (= from W's rows normalised: same argmax)."""
        def _shares(self, matrix):
            return _normalise_rows(self.estimator_.transform(matrix))

    class L2Scaled(TopicModel):
        """W scaled by the Euclidean norms of H's rows (topics on a common scale)."""
        def _shares(self, matrix):
            return _normalise_rows(self.estimator_.transform(matrix) * np.linalg.norm(self.components_, axis=1))

    def kmeans_start(k, model):
        class KMeansStart:
            """NMF started from spherical k-means: H = the centroids of the (unit-length) TF-IDF rows,
            W = each article's similarity to them, scaled to the best least-squares fit."""
            def fit(self, matrix):
                km = KMeans(k, n_init=5, random_state=model.random_state).fit(matrix)
                h = np.maximum(km.cluster_centers_, 0) + 1e-6
                w = np.asarray(matrix @ h.T) + 1e-6
                approx = w @ h
                scale = np.sqrt(max(float(matrix.multiply(approx).sum()) / float((approx ** 2).sum()), 1e-12))
                self.nmf = NMF(n_components=k, init="custom", max_iter=model.max_iter, tol=1e-3,
                               random_state=model.random_state)
                self.nmf.fit_transform(matrix, W=w * scale, H=h * scale)
                self.components_ = self.nmf.components_
                return self

            def transform(self, matrix):
                return self.nmf.transform(matrix)
        return KMeansStart()

    class SphericalStart(TopicModel):
        def _estimator(self, k, *, ranking=False):
            return kmeans_start(k, self)

    def regularised(**options):
        class Regularised(TopicModel):
            def _estimator(self, k, *, ranking=False):
                return NMF(n_components=k, init="nndsvda", max_iter=self.max_iter, tol=1e-3,
                           random_state=self.random_state, **options)
        return Regularised

    classes = word_classes()

    def is_noun_term(term: str) -> bool:
        if " " in term:  # a phrase: no verb in it («اظهار داشت», «تصریح کرد» are not names of things)
            return not any("#" in lemmatize(w) for w in term.split(" "))
        found = classes.get(term)
        return found is None or "N" in found or "0" in found

    class NounsAndPhrases(TopicModel):
        """Only nouns (hazm lexicon class N, or unknown to it: mostly names) and phrases without a verb."""
        def _terms(self, tokens):
            return [t for t in super()._terms(tokens) if is_noun_term(t)]

    return [
        ("defaults", {}, None, None),
        ("dominant from raw W (= W rows normalised)", {}, RawWeights, None),
        ("dominant from W × ‖H row‖₂", {}, L2Scaled, None),
        ("NMF started from spherical k-means", {}, SphericalStart, None),
        ("sparse W: alpha_W=1e-5, l1_ratio=1", {}, regularised(alpha_W=1e-5, alpha_H=0.0, l1_ratio=1.0), None),
        ("sparse W: alpha_W=5e-5, l1_ratio=1", {}, regularised(alpha_W=5e-5, alpha_H=0.0, l1_ratio=1.0), None),
        ("sparse W and H: alpha_W=alpha_H=1e-5, l1_ratio=1", {}, regularised(alpha_W=1e-5, alpha_H="same", l1_ratio=1.0), None),
        ("nouns and verb-free phrases only", {}, NounsAndPhrases, None),
        ("agency boilerplate removed (openers, attribution clauses)", {}, None, "clean_tokens"),
    ]


def strip_boilerplate(tokens: list[str]) -> list[str]:
    """Tokens without the agency's boilerplate: the «خبرگزاری فارس :» opener and each attribution clause
    from «به گزارش» to the next punctuation (e.g. «به گزارش خبرگزاری فارس از قزوین به نقل از روابط عمومی
    ...»), read from ``data/terms/attribution_openers.txt``."""
    from analysis._core.resources import read_wordlist

    openers = [tuple(line.split(" ")) for line in read_wordlist("terms/attribution_openers.txt")]
    out, i = [], 0
    while i < len(tokens):
        opener = next((o for o in openers if tuple(tokens[i:i + len(o)]) == o), None)
        if opener is None:
            out.append(tokens[i])
            i += 1
            continue
        i += len(opener)
        end = min(len(tokens), i + MAX_CLAUSE)
        while i < end and any(ch.isalnum() for ch in tokens[i]):  # up to the clause's punctuation
            i += 1
    return out


def round2(articles: pd.DataFrame) -> list[str]:
    """NMI at fixed k of each round-2 option (development files only), with the paired bootstrap
    standard error of its difference from the defaults."""
    articles = articles.copy()
    articles["clean_tokens"] = articles["tokens"].map(strip_boilerplate)
    labels = articles["cat"].to_numpy()
    lines = ["| option | " + " | ".join(f"NMI k={k}" for k in ABLATION_K) + " | mean | ± one NMI | "
             "difference ± paired SE | NPMI (mean) |", "|---" * (len(ABLATION_K) + 5) + "|"]
    reference, gains = None, {}
    for name, params, model_class, column in round2_variants():
        frame = articles if column is None else articles.assign(tokens=articles[column])
        results = [ours(frame, k=k, params=params, model_class=model_class) for k in ABLATION_K]
        predictions = [r["predicted"] for r in results]
        nmis = [r["nmi"] for r in results]
        if reference is None:
            reference, reference_mean, difference = predictions, float(np.mean(nmis)), "—"
        else:
            se = _paired_bootstrap(labels, predictions, reference)
            difference = f"{np.mean(nmis) - reference_mean:+.3f} ± {se:.3f}"
            gains[name] = (float(np.mean(nmis)) - reference_mean, se, float(np.mean([r["nmi_se"] for r in results])))
        lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in nmis) + f" | {np.mean(nmis):.3f} | "
                     f"{np.mean([r['nmi_se'] for r in results]):.3f} | {difference} | "
                     f"{np.mean([r['npmi'] for r in results]):.3f} |")
        print("round2", name, f"{np.mean(nmis):.3f}", difference, flush=True)
    best = max(gains, key=lambda g: gains[g][0])
    gain, paired, one = gains[best]
    adopted = [g for g, (d, _, noise) in gains.items() if d > noise]
    lines += ["", f"Largest gain: {best}, {gain:+.3f} (paired SE {paired:.3f}; one NMI's standard error {one:.3f}). "
              + (f"Gaining more than one standard error: {', '.join(adopted)}." if adopted else
                 "No option gains more than one standard error of an NMI, so none is adopted and the defaults stay.")]
    return lines


def fars_files(folder: Path, dev_names: list[str]) -> tuple[list[Path], list[Path]]:
    files = sorted(folder.glob("*.json"))
    if not files:
        raise SystemExit(f"{folder}: no .json files (expected Fars News records with a 'cat' field)")
    missing = sorted(set(dev_names) - {f.name for f in files})
    if missing:
        raise SystemExit(f"{folder}: no development file named {', '.join(missing)}")
    return [f for f in files if f.name in dev_names], [f for f in files if f.name not in dev_names]


def evaluate_fars(folder: Path, dev_names: list[str], with_ablation: bool = True) -> list[str]:
    dev, held_out = fars_files(folder, dev_names)
    lines = ["## Fars News: dominant topic vs main category", ""]
    lines += [
        f"Data: `{folder}` · development files: {', '.join(f.name for f in dev) or 'none'} · "
        f"held-out files: {', '.join(f.name for f in held_out) or 'none'}. Main categories: `cat` values with "
        f"≥ {MIN_CATEGORY_SHARE:.0%} of the set's labelled articles. ± is the bootstrap standard error of an NMI "
        "(articles resampled, topics fixed).",
        "",
        "| set | articles | categories | baseline NMI (k=8) | baseline NPMI | ours NMI (k auto) | k chosen | ours NPMI "
        "| ours NMI at k=8 | baseline on normalised text NMI (k=8) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    extra, reach = [], []
    for name, subset in (("development", dev), ("**held out**", held_out)):
        if not subset:
            continue
        articles = main_categories(read_fars(subset))
        start = time.perf_counter()
        base = baseline(articles)
        mine = ours(articles)
        fixed = ours(articles, k=8)
        normalised = baseline(articles, column="text")
        seconds = time.perf_counter() - start
        lines.append(
            f"| {name} | {len(articles)} | {articles['cat'].nunique()} | {base['nmi']:.3f} ± {base['nmi_se']:.3f} | "
            f"{base['npmi']:.3f} | **{mine['nmi']:.3f}** ± {mine['nmi_se']:.3f} | {mine['k']} | {mine['npmi']:.3f} | "
            f"{fixed['nmi']:.3f} | {normalised['nmi']:.3f} ± {normalised['nmi_se']:.3f} |"
        )
        print(name, len(articles), base, {k: v for k, v in mine.items() if k not in ("model", "predicted")}, f"{seconds:.0f}s", flush=True)
        reach += [""] + reachability(articles, name.strip("*"))
        by_k = [(k, baseline(articles, k=k)["nmi"], ours(articles, k=k)["nmi"]) for k in NMI_BY_K]
        extra += ["", f"NMI by a fixed k, {name.strip('*')} set (how much rides on the choice of k):", "",
                  "| k | " + " | ".join(str(k) for k, _, _ in by_k) + " |", "|---" * (len(by_k) + 1) + "|",
                  "| baseline | " + " | ".join(f"{b:.3f}" for _, b, _ in by_k) + " |",
                  "| ours | " + " | ".join(f"{o:.3f}" for _, _, o in by_k) + " |"]
        extra += ["", f"k chosen on the {name.strip('*')} set (NPMI on the corpus itself, mean ± standard error "
                  "over resamples; the smallest k within one standard error of the best; stability: mean cosine "
                  "similarity of the topics fitted on different resamples, matched one-to-one):", ""]
        extra += curve_table(mine["model"].coherence_)
        if subset is held_out:
            extra += ["", "Topics found (held-out set):", ""]
            extra += [f"{i + 1}. {label}" for i, label in enumerate(mine["model"].labels_)]
            extra += ["", "### What limits the NMI (held-out set, k chosen automatically)", "",
                      "How each category's articles spread over the topics: a desk that covers every "
                      "subject (a province desk, a magazine) cannot line up with one topic, whatever the model.", ""]
            extra += category_spread(articles, mine["model"])
        extra += ["", f"### Seeds ({name.strip('*')} set)", "",
                  "The seed moves the resamples k is chosen on (and the NMF start). NPMI is measured on the "
                  "articles the topics were fitted on; on a few hundred articles its top is flat (candidates from "
                  "about k = 8 up lie within one or two standard errors of each other) while the stability of the "
                  "topics falls with k, so where the maximum lies depends on the resamples.", ""]
        extra += seed_spread(articles)
        if subset is not held_out and with_ablation:
            extra += ["", "### Options tried (development set only)", "",
                      "NMI of the dominant topic against `cat` at fixed k, one seed, each option changed "
                      "alone from the defaults. The bootstrap standard error of one NMI here is about 0.025.", ""]
            extra += ablation(articles)
            extra += ["", "### Options tried, round 2: assigning articles to topics, fitting NMF (development set only)", "",
                      "As above (each option alone, NMI at fixed k, one seed). `± one NMI`: the bootstrap standard "
                      "error of one NMI (mean over the k's); `difference ± paired SE`: the option's mean NMI minus the "
                      "defaults', with the standard error of that difference when the same resampled articles score "
                      "both. Document vectors are already L2-normalised before NMF (scikit-learn's `TfidfTransformer` "
                      "default), and the dominant topic from W's rows normalised is the argmax of W itself (row "
                      "scaling keeps the argmax), so both are covered by the rows below. Adopted as a default only "
                      "if it gains more than one standard error of an NMI.", ""]
            extra += round2(articles)
    if reach:
        lines += ["", "### How much is reachable at all", "",
                  "A supervised ceiling: a classifier trained on the categories themselves (5-fold cross-validated; "
                  "logistic regression with C = 10, a linear SVM with C chosen inside each training part), scored by the NMI of its out-of-fold "
                  "predictions with `cat` and by accuracy, on the same features a topic model reads; beside it a "
                  "standard unsupervised clustering reference and plain NMF. An unsupervised topic model is not "
                  "expected to beat the supervised ceiling of its own features; a row whose features differ from "
                  "ours only in spelling shows how much of the baseline's figure is the spelling of the raw text.", ""]
        lines += reach[1:]
    return lines + extra + [""]


def quick(folder: Path, dev_names: list[str], params: dict) -> int:
    """One setting of TopicModel on the development files only: NMI at a few k and with k="auto"."""
    dev, _ = fars_files(folder, dev_names)
    articles = main_categories(read_fars(dev))
    for k in ABLATION_K + ("auto",):
        result = ours(articles, k=k, params=params)
        print(f"k={k}: k_={result['k']} NMI {result['nmi']:.3f} ± {result['nmi_se']:.3f} NPMI {result['npmi']:.3f}",
              flush=True)
    return 0


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
    parser.add_argument("--quick", metavar="JSON", type=json.loads,
                        help="evaluate TopicModel(**JSON) on the development files only and print (no results file)")
    parser.add_argument("--no-ablation", action="store_true", help="skip the options-tried table (saves minutes)")
    parser.add_argument("--reach", action="store_true",
                        help="only the reachability tables (development and held-out files), printed (no results file)")
    parser.add_argument("--levels", action="store_true",
                        help="only k auto on the development and held-out files: coarse and fine k, NMI, NPMI, "
                             "the selection curve and the coarse grouping, printed (no results file)")
    parser.add_argument("--round2", action="store_true",
                        help="only the round-2 options table on the development files, printed (no results file)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TQDM_DISABLE", "1")
    dev_names = [name for name in args.dev.split(",") if name]
    if args.reach:
        for name, files in zip(("development", "held out"), fars_files(args.fars, dev_names)):
            print("\n".join(reachability(main_categories(read_fars(files)), name)))
        return 0
    if args.levels:
        for name, files in zip(("development", "held out"), fars_files(args.fars, dev_names)):
            articles = main_categories(read_fars(files))
            mine = ours(articles)
            model = mine["model"]
            print(f"{name}: {len(articles)} articles, k = {model.k_} (fine {model.fine_k_}), "
                  f"NMI {mine['nmi']:.3f} ± {mine['nmi_se']:.3f}, NPMI {mine['npmi']:.3f}")
            print(model.coherence_.round(3).to_string(index=False))
            print(model.grouping_.round(3).to_string(index=False), flush=True)
        return 0
    if args.round2:
        dev, _ = fars_files(args.fars, dev_names)
        print("\n".join(round2(main_categories(read_fars(dev)))))
        return 0
    if args.quick is not None:
        return quick(args.fars, dev_names, args.quick)
    lines = [
        "# Topic model evaluation",
        "",
        f"Command: `python bench/eval/eval_topics.py --fars {args.fars} --dev '{args.dev}'` · "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
    ]
    lines += evaluate_fars(args.fars, dev_names, with_ablation=not args.no_ablation)
    lines += evaluate_demo(args.demo_n, args.demo_seed)
    write_results(args.out, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
