"""Word clusters learned from unlabeled news, used as features by the entity recogniser.

``WordClusters(...).fit(token_lists)`` counts, for each frequent word, the words seen just left and
right of it (directional window), weighs the counts by positive pointwise mutual information (PPMI),
reduces them with truncated SVD and groups the word vectors with k-means at several granularities
(coarse to fine, like the prefixes of Brown-cluster paths). ``write(path)`` stores one word a line:
``word<TAB>cluster id at each granularity``; :func:`analysis.ner.read_clusters` reads it back.

Command: ``python -m analysis learn-clusters CORPUS_FILES... [--method ppmi|fasttext]
[--labelled ANNOTATED_FILES...] [--iob-train IOB_FILES...] --out FILE`` (``fasttext``: FastText
vectors, :mod:`analysis.word_vectors`; JSON lists of records with ``title`` / ``abstract`` / ``paragraphs``, or plain-text articles; the
tokens of IOB training files can join them, minus the held-out fifth used for evaluation).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np


class WordClusters:
    """PPMI + SVD word vectors clustered with k-means.

    ``min_count``: words seen fewer times get no cluster; ``max_words``: cap on clustered words
    (most frequent first); ``n_contexts``: context words (most frequent) counted; ``window``: words on
    each side; ``n_components``: SVD dimensions; ``n_clusters``: k at each granularity.
    Learned state: ``words_`` (clustered words), ``labels_`` (array, one column a granularity).
    """

    def __init__(self, min_count=3, max_words=60_000, n_contexts=8_000, window=2, n_components=100,
                 n_clusters=(32, 128, 512, 1024), random_state=0):  # fmt: skip
        self.min_count = min_count
        self.max_words = max_words
        self.n_contexts = n_contexts
        self.window = window
        self.n_components = n_components
        self.n_clusters = n_clusters
        self.random_state = random_state

    def fit(self, token_lists) -> "WordClusters":
        """Learn clusters from an iterable of token lists (one a sentence or document)."""
        from scipy import sparse
        from sklearn.cluster import MiniBatchKMeans
        from sklearn.decomposition import TruncatedSVD
        from sklearn.preprocessing import normalize

        from analysis.ner_features import fold

        docs = [[fold(t) for t in tokens] for tokens in token_lists]
        counts = Counter(t for doc in docs for t in doc)
        words = [w for w, c in counts.most_common(self.max_words) if c >= self.min_count]
        if len(words) < max(self.n_clusters):
            raise ValueError(f"only {len(words)} words seen {self.min_count}+ times; need more text")
        word_index = {w: i for i, w in enumerate(words)}
        context_index = {w: i for i, (w, _) in enumerate(counts.most_common(self.n_contexts))}
        n_ctx = len(context_index)
        rows, cols = [], []
        for doc in docs:
            ids = [word_index.get(t, -1) for t in doc]
            ctx = [context_index.get(t, -1) for t in doc]
            n = len(doc)
            for i, wid in enumerate(ids):
                if wid < 0:
                    continue
                for offset in range(1, self.window + 1):
                    if i - offset >= 0 and ctx[i - offset] >= 0:  # left context
                        rows.append(wid)
                        cols.append(ctx[i - offset] + (offset - 1) * 2 * n_ctx)
                    if i + offset < n and ctx[i + offset] >= 0:  # right context
                        rows.append(wid)
                        cols.append(ctx[i + offset] + ((offset - 1) * 2 + 1) * n_ctx)
        shape = (len(words), 2 * self.window * n_ctx)
        matrix = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=shape).tocsr()
        matrix.sum_duplicates()
        total = matrix.sum()
        row_sums = np.asarray(matrix.sum(axis=1)).ravel()
        col_sums = np.asarray(matrix.sum(axis=0)).ravel() ** 0.75  # context distribution smoothing
        col_sums = col_sums / col_sums.sum() * total
        coo = matrix.tocoo()
        pmi = np.log(coo.data * total / (row_sums[coo.row] * col_sums[coo.col] + 1e-12))
        keep = pmi > 0
        ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=shape)
        n_components = min(self.n_components, min(shape) - 1)
        vectors = TruncatedSVD(n_components, random_state=self.random_state).fit_transform(ppmi)
        vectors = normalize(vectors)
        labels = []
        for k in self.n_clusters:
            km = MiniBatchKMeans(n_clusters=k, random_state=self.random_state, n_init=3, batch_size=4096)
            labels.append(km.fit_predict(vectors))
        self.words_ = words
        self.labels_ = np.column_stack(labels)
        return self

    def write(self, path, header: str = "") -> Path:
        """Write ``word<TAB>ids...`` lines, after ``#`` comment lines from ``header``."""
        path = Path(path)
        lines = [f"# {line}" for line in header.splitlines()]
        lines.append(f"# granularities (k): {' '.join(map(str, self.n_clusters))}")
        for word, ids in zip(self.words_, self.labels_):
            lines.append(word + "\t" + "\t".join(map(str, ids)))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def corpus_texts(paths):
    """Texts of corpus files: JSON lists of records (title, abstract, paragraphs) or plain-text files."""
    for path in paths:
        path = Path(path)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".json":
                for record in json.loads(file.read_text(encoding="utf-8")):
                    parts = [record.get("title") or "", record.get("abstract") or ""]
                    parts += list(record.get("paragraphs") or [])
                    yield "\n".join(str(p) for p in parts)
            elif file.suffix == ".txt":
                yield file.read_text(encoding="utf-8", errors="replace")


def iob_training_tokens(paths) -> list[list[str]]:
    """Token lists of IOB files (read in order, tags ignored), minus the held-out fifth of
    :func:`analysis.ner.holdout_split`, so sentences kept for evaluation stay unseen."""
    from analysis.ner import holdout_split, read_iob

    sentences = []
    for path in paths:
        sentences += read_iob(path)
    train, _ = holdout_split(sentences)
    return [tokens for tokens, _ in train]


def _cmd_learn(args) -> int:
    from .progress import progress_bar

    from analysis.ner import IOBError, read_corpus
    from analysis.text import normalize, tokenize

    texts = list(corpus_texts(args.corpus))
    if not texts:
        print("learn-clusters: no .json or .txt corpus files found", file=sys.stderr)
        return 2
    docs = [tokenize(normalize(t), punctuation=True, join_verb_parts=False) for t in progress_bar(texts, desc="tokens")]
    try:
        labelled = iob_training_tokens(args.iob_train) if args.iob_train else []
        whole = [tokens for path in args.labelled for tokens, _ in read_corpus(path)]
    except IOBError as exc:
        print(f"learn-clusters: {exc}", file=sys.stderr)
        return 2
    labelled += whole
    k = tuple(args.k) if args.k else ((32, 128, 512, 2048) if args.method == "fasttext" else (32, 128, 512, 1024))
    if args.method == "fasttext":
        from analysis.word_vectors import FastTextClusters

        extra = [t for tokens in labelled for t in tokens]
        model = FastTextClusters(n_clusters=k, epochs=args.epochs, random_state=args.random_state)
        model.fit(docs + labelled, extra_words=extra)
        method = "analysis.word_vectors (FastText skip-gram with character 2-5-grams + k-means)"
    else:
        model = WordClusters(n_clusters=k, random_state=args.random_state).fit(docs + labelled)
        method = "analysis.word_clusters (PPMI + SVD + k-means)"
    sources = [Path(p).name for p in args.corpus]
    header = (
        f"Word clusters learned by {method} from the unlabeled text of:\n"
        + "\n".join(f"  {name}" for name in sources)
        + f"\n{len(texts)} articles, {sum(map(len, docs))} tokens"
        + (f"; plus the tokens (not the tags) of {len(labelled)} annotated sentences of "
           + " + ".join(Path(p).name for p in [*args.iob_train, *args.labelled])
           + (" (held-out fifth of the --iob-train files excluded)" if args.iob_train else "")
           if labelled else "")
        + f"; {len(model.words_)} words clustered."
        + f"\nCommand: python -m analysis learn-clusters {' '.join(sources)} --method {args.method}"
        + (" --iob-train " + " ".join(Path(p).name for p in args.iob_train) if args.iob_train else "")
        + (" --labelled " + " ".join(Path(p).name for p in args.labelled) if args.labelled else "")
        + " --out " + Path(args.out).name
    )  # fmt: skip
    model.write(args.out, header=header)
    print(f"{len(model.words_)} words clustered from {len(texts)} articles"
          + (f" and {len(labelled)} IOB sentences" if labelled else "") + f" -> {args.out}")  # fmt: skip
    return 0


def add_commands(subparsers) -> None:
    """``learn-clusters``."""
    cmd = subparsers.add_parser("learn-clusters", help="learn word clusters from unlabeled news (NER features)")
    cmd.add_argument("corpus", nargs="+", help="corpus files or folders (.json record lists or .txt articles)")
    cmd.add_argument("--out", required=True, help="cluster file to write")
    cmd.add_argument("--iob-train", nargs="+", default=[], metavar="IOB_FILE",
                     help="IOB files whose tokens join the text (tags unused; the held-out fifth left out)")
    cmd.add_argument("--labelled", nargs="+", default=[], metavar="FILE",
                     help="annotated files (IOB or PEYMA, read whole: leave evaluation files out) whose tokens "
                          "join the text; with --method fasttext each of their words gets a cluster")
    cmd.add_argument("--method", choices=("ppmi", "fasttext"), default="ppmi",
                     help="ppmi: PPMI + SVD + k-means (default; scored higher in bench/ner_cv.py); "
                          "fasttext: gensim FastText vectors (subwords) + k-means")
    cmd.add_argument("--epochs", type=int, default=10, help="FastText training passes")
    cmd.add_argument("--k", type=int, nargs="+", default=None,
                     help="k of each granularity (default 32 128 512 2048 for fasttext, 32 128 512 1024 for ppmi)")
    cmd.add_argument("--random-state", type=int, default=0)
    cmd.set_defaults(func=_cmd_learn)
