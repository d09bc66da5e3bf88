"""Named-entity recognition: a CRF trained by the project, its evaluation and the shipped model.

- :func:`read_iob` reads IOB files (one ``token tag`` a line, a blank line between sentences; Arman
  style; tags such as ``B-pers`` / ``I-event`` are mapped to PER, ORG, LOC, FAC, PRO, EVE);
  :func:`read_peyma` reads PEYMA files (``token|B_PER`` lines); :func:`read_corpus` either, detected.
- :func:`combine_corpora` joins Arman and PEYMA for training, handling PEYMA's missing FAC/PRO/EVE.
- :class:`CrfRecognizer` is the model: ``fit(sentences)`` learns from ``(tokens, tags)`` pairs,
  ``predict(token_lists)`` tags token lists (crfsuite's tags, computed by
  :class:`analysis.ner_tagger.FastTagger`), ``save(path)`` / ``CrfRecognizer.load(path)``.
- :func:`evaluate` scores predicted tags against gold tags at the entity level (CoNLL ``conlleval``
  rules: an entity counts only when its type and both boundaries match).
- :func:`load_model` returns the shipped model (``data/models/news-crf``), trained on Arman and
  PEYMA; see ``data/models/MODEL_CARD.md`` for its data, held-out split, scores and citations.

Commands: ``python -m analysis train-ner IOB_FILES... [--peyma PEYMA_FILES...] --out MODEL`` and
``python -m analysis eval-ner MODEL FILE [--format iob|peyma]``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.ner_features import FEATURE_GROUPS, Gazetteer, NerFeaturizer, default_gazetteer, learn_dictionary
from analysis.resources import data_path

#: entity types of the recogniser, in report order
ENTITY_TYPES = ("PER", "ORG", "LOC", "FAC", "PRO", "EVE")

_TYPE_ALIASES = {
    "PER": "PER", "PERS": "PER", "PERSON": "PER",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "LOC": "LOC", "LOCATION": "LOC",
    "FAC": "FAC", "FACILITY": "FAC",
    "PRO": "PRO", "PRODUCT": "PRO",
    "EVE": "EVE", "EVENT": "EVE",
}  # fmt: skip

#: the shipped model (without extension: ``.crfsuite`` holds the weights, ``.json`` the settings)
DEFAULT_MODEL = "models/news-crf"
#: word clusters shipped with the project and used by the shipped model (PPMI + SVD + k-means,
#: :mod:`analysis.word_clusters`; in cross-validation they beat the FastText clusters of
#: :mod:`analysis.word_vectors`, see ``bench/results/ner_cv.md``)
DEFAULT_CLUSTERS = "models/news-clusters.tsv"

#: feature groups of the plain baseline (word, affixes, context words)
BASELINE_GROUPS = ("word", "affix", "context")


class IOBError(ValueError):
    """An IOB file that cannot be read; the message names the file and line."""


def normalize_tag(tag: str) -> str:
    """``B-pers`` -> ``B-PER``, ``i-event`` -> ``I-EVE``, ``O`` -> ``O``; raises ValueError if unknown."""
    tag = tag.strip()
    if tag.upper() == "O":
        return "O"
    prefix, sep, name = tag.partition("-")
    if not sep:
        prefix, sep, name = tag.partition("_")  # PEYMA style: B_PER
    if not sep or prefix.upper() not in ("B", "I") or name.upper() not in _TYPE_ALIASES:
        raise ValueError(f"unknown tag {tag!r}")
    return prefix.upper() + "-" + _TYPE_ALIASES[name.upper()]


def read_iob(path) -> list[tuple[list[str], list[str]]]:
    """Sentences of an IOB file as ``(tokens, tags)`` pairs (tags normalised by :func:`normalize_tag`).

    Lines are ``token tag`` (space or tab separated; the tag is the last field). Raises
    :class:`IOBError` naming the file and line for a malformed line or an unknown tag.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IOBError(f"{path}: cannot read IOB file ({exc})") from exc
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        parts = line.split()
        if len(parts) < 2:
            raise IOBError(f"{path}, line {number}: expected 'token tag', got {line!r}")
        try:
            tag = normalize_tag(parts[-1])
        except ValueError as exc:
            raise IOBError(f"{path}, line {number}: {exc}") from None
        tokens.append(" ".join(parts[:-1]))
        tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


#: PEYMA's types that the recogniser does not have (dates, times, money, percentages): read as O
PEYMA_EXTRA_TYPES = ("DAT", "TIM", "MON", "PCT")


def read_peyma(path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a PEYMA file (``token|TAG`` a line, ``B_PER`` / ``I_LOC`` tags, a blank line between
    sentences) as ``(tokens, tags)`` pairs with IOB2 tags of :data:`ENTITY_TYPES`.

    PEYMA's DAT, TIM, MON and PCT (:data:`PEYMA_EXTRA_TYPES`) become ``O``. PEYMA writes the ZWNJ
    inside a token as a space («روش های»): it is read back as ZWNJ, as the project's tokenizer
    writes it («روش‌های»). Raises :class:`IOBError`
    naming the file and line for a line without ``|`` or an unknown tag.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IOBError(f"{path}: cannot read PEYMA file ({exc})") from exc
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
            continue
        token, sep, tag = line.rstrip("\r\n").rpartition("|")
        tag = tag.strip()
        if not sep or not token.strip():
            raise IOBError(f"{path}, line {number}: expected 'token|TAG', got {line!r}")
        if tag[2:].upper() in PEYMA_EXTRA_TYPES and tag[:2].upper() in ("B_", "I_", "B-", "I-"):
            tag = "O"
        try:
            tag = normalize_tag(tag)
        except ValueError as exc:
            raise IOBError(f"{path}, line {number}: {exc}") from None
        tokens.append(" ".join(token.split()).replace(" ", "\u200c"))
        tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def detect_format(path) -> str:
    """``"peyma"`` when the first non-blank line of ``path`` is ``token|TAG``, else ``"iob"``."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            if line.strip():
                token, sep, tag = line.strip().rpartition("|")
                return "peyma" if sep and token and " " not in tag and "\t" not in tag else "iob"
    return "iob"


def read_corpus(path, format: str = "auto") -> list[tuple[list[str], list[str]]]:
    """Sentences of an annotated file: ``format`` ``"iob"`` (:func:`read_iob`), ``"peyma"``
    (:func:`read_peyma`) or ``"auto"`` (:func:`detect_format`)."""
    if format == "auto":
        try:
            format = detect_format(path)
        except OSError as exc:
            raise IOBError(f"{path}: cannot read annotated file ({exc})") from exc
    if format == "peyma":
        return read_peyma(path)
    if format == "iob":
        return read_iob(path)
    raise ValueError(f"unknown corpus format {format!r} (iob, peyma or auto)")


def restrict_types(tags: list[str], types) -> list[str]:
    """The tags with entities of types not in ``types`` set to O (to score on a corpus with fewer types)."""
    types = set(types)
    return [t if t == "O" or t[2:] in types else "O" for t in tags]


#: ways of training on Arman and PEYMA together (:func:`combine_corpora`)
COMBINE_STRATEGIES = ("arman", "o", "drop", "impute")
#: Arman's types that PEYMA does not annotate (its O may hide them)
PEYMA_MISSING_TYPES = ("FAC", "PRO", "EVE")


def hidden_entities(sentences, helper, types=PEYMA_MISSING_TYPES) -> list[list[tuple[str, int, int]]]:
    """For each ``(tokens, tags)`` sentence, the entities of ``types`` that ``helper`` (a fitted
    recogniser, e.g. trained on Arman alone) finds where the sentence's own tags are all O."""
    found = []
    predicted = helper.predict(tokens for tokens, _ in sentences)
    for (_, tags), pred in zip(sentences, predicted):
        found.append([(kind, a, b) for kind, a, b in entity_chunks(pred)
                      if kind in types and all(t == "O" for t in tags[a:b])])  # fmt: skip
    return found


def combine_corpora(arman, peyma, strategy: str = "o", helper=None) -> list[tuple[list[str], list[str]]]:
    """Training sentences from Arman and PEYMA (both ``(tokens, tags)`` lists, PEYMA read by
    :func:`read_peyma`, so its DAT/TIM/MON/PCT are already O).

    PEYMA has no FAC, PRO or EVE: a facility, product or event in its text is tagged O, which would
    teach the CRF that such names are not entities. ``strategy``:

    - ``"arman"``: Arman alone (PEYMA unused);
    - ``"o"``: both, PEYMA as it is;
    - ``"drop"``: both, minus the PEYMA sentences in which ``helper`` (a recogniser trained on Arman
      alone) finds a FAC/PRO/EVE entity over PEYMA O tokens (:func:`hidden_entities`);
    - ``"impute"``: both, with those entities written into PEYMA's tags (a second-pass labelling).
    """
    if strategy not in COMBINE_STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}: one of {', '.join(COMBINE_STRATEGIES)}")
    arman = [(list(t), list(g)) for t, g in arman]
    if strategy == "arman":
        return arman
    peyma = [(list(t), list(g)) for t, g in peyma]
    if strategy == "o":
        return arman + peyma
    if helper is None:
        raise ValueError(f"strategy {strategy!r} needs a helper recogniser trained on Arman alone")
    hidden = hidden_entities(peyma, helper)
    if strategy == "drop":
        return arman + [s for s, found in zip(peyma, hidden) if not found]
    out = []
    for (tokens, tags), found in zip(peyma, hidden):
        tags = list(tags)
        for kind, a, b in found:
            tags[a : b] = ["B-" + kind] + ["I-" + kind] * (b - a - 1)
        out.append((tokens, tags))
    return arman + out


def write_iob(sentences, path) -> None:
    """Write ``(tokens, tags)`` pairs as an IOB file."""
    lines = []
    for tokens, tags in sentences:
        lines += [f"{token} {tag}" for token, tag in zip(tokens, tags)]
        lines.append("")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def entity_chunks(tags: list[str]) -> list[tuple[str, int, int]]:
    """Entities of a tag sequence as ``(type, start, end)`` token spans (end exclusive).

    conlleval rules: an ``I-X`` after ``O`` or after another type starts a new entity.
    """
    chunks = []
    start, current = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, name = tag.partition("-")
        begins = prefix == "B" or (prefix == "I" and name != current)
        if current is not None and (tag == "O" or begins):
            chunks.append((current, start, i))
            current = None
        if tag != "O" and begins:
            start, current = i, name
    return chunks


def evaluate(gold: list[list[str]], predicted: list[list[str]]) -> pd.DataFrame:
    """Entity-level precision, recall and F1 a type, plus a ``micro`` row (CoNLL style).

    ``gold`` and ``predicted`` are tag sequences of the same sentences. Returns columns type,
    precision, recall, f1, gold, predicted, correct.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    counts: dict[str, list[int]] = {}
    for gold_tags, pred_tags in zip(gold, predicted):
        gold_set = set(entity_chunks(gold_tags))
        pred_set = set(entity_chunks(pred_tags))
        for kind, chunks in (("gold", gold_set), ("predicted", pred_set), ("correct", gold_set & pred_set)):
            for name, _, _ in chunks:
                row = counts.setdefault(name, [0, 0, 0])
                row[("gold", "predicted", "correct").index(kind)] += 1
    types = [t for t in ENTITY_TYPES if t in counts] + sorted(set(counts) - set(ENTITY_TYPES))
    rows = [(t, *counts[t]) for t in types]
    rows.append(("micro", *(sum(c[k] for c in counts.values()) for k in range(3))))
    table = pd.DataFrame(rows, columns=["type", "gold", "predicted", "correct"])
    table["precision"] = (table["correct"] / table["predicted"].where(table["predicted"] > 0)).fillna(0.0)
    table["recall"] = (table["correct"] / table["gold"].where(table["gold"] > 0)).fillna(0.0)
    denominator = (table["precision"] + table["recall"]).where(lambda s: s > 0)
    table["f1"] = (2 * table["precision"] * table["recall"] / denominator).fillna(0.0)
    return table[["type", "precision", "recall", "f1", "gold", "predicted", "correct"]]


def holdout_split(sentences: list, every: int = 5, offset: int = 4) -> tuple[list, list]:
    """Split sentences into (train, held-out): sentence ``i`` is held out when ``i % every == offset``.

    The shipped model was trained on the Arman folds 1 and 2 (in that order) minus this held-out
    fifth, which is what ``bench/eval_ner.py`` scores it on.
    """
    train = [s for i, s in enumerate(sentences) if i % every != offset]
    held = [s for i, s in enumerate(sentences) if i % every == offset]
    return train, held


@lru_cache(maxsize=4)
def read_clusters(path: str) -> dict[str, tuple[str, ...]]:
    """A word-cluster file (``word<TAB>id<TAB>id...``, ``#`` comments) as ``{folded word: ids}``."""
    from analysis.ner_features import fold

    clusters: dict[str, tuple[str, ...]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, *ids = line.split("\t")
        clusters.setdefault(fold(word), tuple(ids))
    return clusters


def _resolve_clusters(clusters: str | None) -> str | None:
    if clusters in (None, "", "none"):
        return None
    if clusters == "default":
        return str(data_path(DEFAULT_CLUSTERS))
    if str(clusters).startswith("models/") and not Path(clusters).exists():
        return str(data_path(clusters))  # a cluster file shipped in data/models
    return str(clusters)


class CrfRecognizer:
    """A linear-chain CRF (python-crfsuite) over :class:`~analysis.ner_features.NerFeaturizer` features.

    ``groups``: feature groups (default all; :data:`BASELINE_GROUPS` for the plain baseline);
    ``window``: context width; ``clusters``: ``"default"`` (the shipped cluster file), a path, or None;
    ``c1``/``c2``: L1/L2 regularisation; ``max_iterations``: L-BFGS iterations;
    ``possible_transitions``: give weights to label transitions never seen in training too;
    ``dictionary_folds``: folds of the jackknifed entity-phrase dictionary; ``dictionary_types``: a
    phrase's dictionary marks name every type with at least this share of its tags (None: the most
    frequent type only).
    Learned state: ``model_bytes_`` (the crfsuite model), ``labels_``, ``n_sentences_``.
    """

    def __init__(
        self,
        groups=FEATURE_GROUPS,
        window: int = 2,
        clusters: str | None = "default",
        c1: float = 0.02,
        c2: float = 0.1,
        max_iterations: int = 250,
        dictionary_folds: int = 5,
        possible_transitions: bool = True,
        dictionary_types: float | None = None,
    ):
        self.dictionary_types = dictionary_types
        self.dictionary_folds = dictionary_folds
        self.possible_transitions = possible_transitions
        self.groups = groups
        self.window = window
        self.clusters = clusters
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations

    def get_params(self) -> dict:
        return {k: getattr(self, k) for k in ("groups", "window", "clusters", "c1", "c2", "max_iterations", "dictionary_folds",
                                              "possible_transitions", "dictionary_types")}

    @property
    def featurizer_(self) -> NerFeaturizer:
        if getattr(self, "_featurizer", None) is None:
            cluster_path = _resolve_clusters(self.clusters) if "clusters" in self.groups else None
            self._featurizer = NerFeaturizer(
                groups=self.groups,
                window=self.window,
                clusters=read_clusters(cluster_path) if cluster_path else None,
                gazetteer=default_gazetteer() if "gazetteer" in self.groups else None,
                dictionary=getattr(self, "dictionary_", None),
                known=self._known_features(),
            )
        return self._featurizer

    def fit(self, sentences, progress: bool = False) -> "CrfRecognizer":
        """Learn from ``(tokens, tags)`` pairs (tags already normalised, e.g. by :func:`read_iob`)."""
        import pycrfsuite
        from .progress import progress_bar

        sentences = [(list(t), [normalize_tag(g) for g in tags]) for t, tags in sentences if t]
        if not sentences:
            raise ValueError("no training sentences")
        trainer = pycrfsuite.Trainer(verbose=False)
        for stale in ("model_bytes_", "dictionary_", "_tagger", "_featurizer", "_weights", "_fast_tagger"):  # refitting starts afresh
            self.__dict__.pop(stale, None)
        featurizer = self.featurizer_
        use_dictionary = "dictionary" in self.groups
        folds = self.dictionary_folds if use_dictionary and len(sentences) >= 2 * self.dictionary_folds else 1
        for fold in range(folds):
            # jackknife: each fold's dictionary features come from the other folds only, so the
            # CRF learns how far to trust a phrase it has never been shown the answer for
            if use_dictionary:
                featurizer.dictionary = learn_dictionary([s for i, s in enumerate(sentences) if i % folds != fold],
                                                         other_types=self.dictionary_types)
            part = [s for i, s in enumerate(sentences) if i % folds == fold]
            for tokens, tags in progress_bar(part, desc=f"features {fold + 1}/{folds}", unit="sent", show=progress):
                trainer.append(featurizer.sentence(tokens), tags)
        self.dictionary_ = learn_dictionary(sentences, other_types=self.dictionary_types) if use_dictionary else None
        featurizer.dictionary = self.dictionary_
        trainer.set_params(
            {"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
             "feature.possible_transitions": self.possible_transitions}
        )  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            model_file = os.path.join(tmp, "model.crfsuite")
            trainer.train(model_file)
            self.model_bytes_ = Path(model_file).read_bytes()
        self.labels_ = sorted({tag for _, tags in sentences for tag in tags})
        self.n_sentences_ = len(sentences)
        self._tagger = None
        self._weights = None
        self._fast_tagger = None
        self._featurizer = None  # rebuilt lazily, keeping only the features the model knows
        return self

    def _known_features(self):
        """``{feature: weight row}`` of the fitted model (None before fitting)."""
        if not hasattr(self, "model_bytes_"):
            return None
        return self.weights_.rows

    @property
    def weights_(self):
        """The fitted model's weights as a :class:`~analysis.ner_tagger.WeightTable` (read once)."""
        if getattr(self, "_weights", None) is None:
            from analysis.ner_tagger import WeightTable

            self._weights = WeightTable.from_tagger(self.tagger_)
        return self._weights

    @property
    def tagger_(self):
        if getattr(self, "_tagger", None) is None:
            import pycrfsuite

            if not hasattr(self, "model_bytes_"):
                raise RuntimeError("CrfRecognizer is not fitted; call fit() or CrfRecognizer.load()")
            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(self.model_bytes_)
            self._tagger = tagger
        return self._tagger

    def predict_one(self, tokens: list[str]) -> list[str]:
        """Tags of one token list."""
        return self.predict([tokens])[0]

    def predict(self, token_lists, batch_size: int = 256) -> list[list[str]]:
        """Tags of each token list: the labels crfsuite's Viterbi gives, computed by
        :class:`analysis.ner_tagger.FastTagger` in batches of sentences of similar length."""
        token_lists = [list(tokens) for tokens in token_lists]
        out: list[list[str]] = [[] for _ in token_lists]
        order = sorted((i for i, tokens in enumerate(token_lists) if tokens), key=lambda i: len(token_lists[i]))
        tagger = self.fast_tagger_
        for first in range(0, len(order), batch_size):
            batch = order[first : first + batch_size]
            for i, tags in zip(batch, tagger.tag([token_lists[i] for i in batch])):
                out[i] = tags
        return out

    @property
    def fast_tagger_(self):
        if getattr(self, "_fast_tagger", None) is None:
            from analysis.ner_tagger import FastTagger

            self._fast_tagger = FastTagger(self.featurizer_, self.weights_)
        return self._fast_tagger

    def score(self, sentences) -> pd.DataFrame:
        """:func:`evaluate` of this model on ``(tokens, tags)`` pairs."""
        gold = [[normalize_tag(g) for g in tags] for _, tags in sentences]
        return evaluate(gold, self.predict(tokens for tokens, _ in sentences))

    def save(self, path) -> Path:
        """Write ``<path>.crfsuite`` (weights) and ``<path>.json`` (settings); returns the base path."""
        base = _model_base(path)
        base.parent.mkdir(parents=True, exist_ok=True)
        _with_ext(base, ".crfsuite").write_bytes(self.model_bytes_)
        params = self.get_params()
        params["groups"] = list(params["groups"])
        settings = {"params": params, "labels": self.labels_, "n_sentences": self.n_sentences_}
        if self.dictionary_ is not None:
            settings["dictionary"] = sorted(
                [" ".join(phrase), mark] for phrase, marks in self.dictionary_.phrases.items() for mark in marks
            )
        _with_ext(base, ".json").write_text(json.dumps(settings, ensure_ascii=False, indent=2), encoding="utf-8")
        return base

    @classmethod
    def load(cls, path) -> "CrfRecognizer":
        """A model written by :meth:`save` (``path`` with or without extension)."""
        base = _model_base(path)
        weights, settings_file = _with_ext(base, ".crfsuite"), _with_ext(base, ".json")
        for needed in (weights, settings_file):
            if not needed.exists():
                raise FileNotFoundError(f"{needed}: model file missing (a model is a .crfsuite + .json pair)")
        settings = json.loads(settings_file.read_text(encoding="utf-8"))
        params = settings["params"]
        params["groups"] = tuple(params["groups"])
        model = cls(**params)
        model.model_bytes_ = weights.read_bytes()
        model.labels_ = settings.get("labels", [])
        model.n_sentences_ = settings.get("n_sentences", 0)
        model.dictionary_ = None
        if "dictionary" in settings:
            model.dictionary_ = Gazetteer()
            for phrase, mark in settings["dictionary"]:
                model.dictionary_.add_tokens(tuple(phrase.split(" ")), {mark})
        return model


def _with_ext(base: Path, ext: str) -> Path:
    return base.with_name(base.name + ext)


def _model_base(path) -> Path:
    path = Path(path)
    return path.with_suffix("") if path.suffix in (".crfsuite", ".json") else path


@lru_cache(maxsize=1)
def _shipped_model() -> CrfRecognizer:
    return CrfRecognizer.load(str(data_path(DEFAULT_MODEL)))


def load_model(path=None) -> CrfRecognizer:
    """The shipped recogniser (``path=None``, cached) or a model saved at ``path``."""
    return _shipped_model() if path is None else CrfRecognizer.load(path)


# ---------------------------------------------------------------- command line


def format_scores(table: pd.DataFrame) -> str:
    """The score table as CoNLL-style text lines."""
    lines = [f"{'type':<6} {'precision':>9} {'recall':>7} {'F1':>7} {'gold':>6} {'found':>6} {'correct':>7}"]
    for row in table.itertuples():
        lines.append(
            f"{row.type:<6} {row.precision:>9.4f} {row.recall:>7.4f} {row.f1:>7.4f} "
            f"{row.gold:>6} {row.predicted:>6} {row.correct:>7}"
        )
    return "\n".join(lines)


def _read_all(paths) -> list:
    sentences = []
    for path in paths:
        sentences += read_iob(path)
    return sentences


def _cmd_train(args) -> int:
    try:
        sentences = [s for path in args.iob_files for s in read_corpus(path, args.format)]
        peyma = [s for path in args.peyma for s in read_corpus(path, "peyma")]
        helper = None
        if peyma and args.combine in ("drop", "impute"):
            if not args.helper:
                print(f"train-ner: --combine {args.combine} needs --helper MODEL (trained on Arman alone)", file=sys.stderr)
                return 2
            helper = load_model(args.helper)
    except (IOBError, FileNotFoundError) as exc:
        print(f"train-ner: {exc}", file=sys.stderr)
        return 2
    held = []
    if args.holdout:
        sentences, held = holdout_split(sentences)
    if peyma:
        sentences = combine_corpora(sentences, peyma, args.combine, helper=helper)
    groups = BASELINE_GROUPS if args.baseline else FEATURE_GROUPS
    model = CrfRecognizer(groups=groups, clusters=args.clusters, c1=args.c1, c2=args.c2,
                          max_iterations=args.max_iterations, dictionary_types=args.dictionary_types)  # fmt: skip
    model.fit(sentences, progress=True)
    base = model.save(args.out)
    left_out = f" ({len(held)} held-out sentences left out)" if args.holdout else ""
    print(f"trained on {len(sentences)} sentences{left_out}; model written to {base}.crfsuite / {base}.json")
    return 0


def _cmd_eval(args) -> int:
    try:
        model = load_model(None if args.model == "default" else args.model)
        fmt = detect_format(args.iob_file) if args.format == "auto" else args.format
        sentences = read_corpus(args.iob_file, fmt)
    except (IOBError, FileNotFoundError, OSError) as exc:
        print(f"eval-ner: {exc}", file=sys.stderr)
        return 2
    types = args.types.split(",") if args.types else (["PER", "ORG", "LOC"] if fmt == "peyma" else None)
    gold = [tags for _, tags in sentences]
    predicted = model.predict(tokens for tokens, _ in sentences)
    if types:
        gold = [restrict_types(tags, types) for tags in gold]
        predicted = [restrict_types(tags, types) for tags in predicted]
    print(f"{args.iob_file} ({fmt}, {len(sentences)} sentences" + (f"; types {','.join(types)}" if types else "") + ")")
    print(format_scores(evaluate(gold, predicted)))
    return 0


def add_commands(subparsers) -> None:
    """``train-ner`` and ``eval-ner``."""
    train = subparsers.add_parser("train-ner", help="train a CRF entity recogniser on IOB files")
    train.add_argument("iob_files", nargs="+", metavar="IOB_FILE")
    train.add_argument("--format", choices=("auto", "iob", "peyma"), default="auto", help="format of IOB_FILE")
    train.add_argument("--peyma", nargs="+", default=[], metavar="PEYMA_FILE",
                       help="PEYMA files trained on together with IOB_FILE, combined as --combine says")
    train.add_argument("--combine", choices=COMBINE_STRATEGIES[1:], default="impute",
                       help="PEYMA's O may hide FAC/PRO/EVE: 'o' keeps it, 'drop' leaves out the sentences where "
                            "--helper finds one, 'impute' writes them into PEYMA's tags (analysis.ner.combine_corpora)")
    train.add_argument("--helper", default=None, metavar="MODEL",
                       help="recogniser trained on Arman alone (train-ner without --peyma), for --combine drop/impute")
    train.add_argument("--out", required=True, metavar="MODEL", help="model path (writes MODEL.crfsuite + MODEL.json)")
    train.add_argument("--clusters", default="default", help="word-cluster file ('default': shipped; 'none')")
    train.add_argument("--baseline", action="store_true", help="plain word/affix/context features only")
    train.add_argument("--holdout", action="store_true",
                       help="leave every fifth sentence out (analysis.ner.holdout_split), as the shipped model does")
    defaults = CrfRecognizer()
    train.add_argument("--c1", type=float, default=defaults.c1, help="L1 regularisation")
    train.add_argument("--c2", type=float, default=defaults.c2, help="L2 regularisation")
    train.add_argument("--max-iterations", type=int, default=defaults.max_iterations)
    train.add_argument("--dictionary-types", type=float, default=defaults.dictionary_types,
                       help="learned phrases also mark each other type with at least this share of their tags")
    train.set_defaults(func=_cmd_train)

    ev = subparsers.add_parser("eval-ner", help="entity-level precision/recall/F1 of a model on an IOB file")
    ev.add_argument("model", metavar="MODEL", help="model path, or 'default' for the shipped model")
    ev.add_argument("iob_file", metavar="FILE", help="annotated file: IOB (Arman, CoNLL) or PEYMA (token|TAG)")
    ev.add_argument("--format", choices=("auto", "iob", "peyma"), default="auto",
                    help="file format (auto: PEYMA when lines are token|TAG)")
    ev.add_argument("--types", default=None,
                    help="score these types only, comma-separated (default: all; PER,ORG,LOC for PEYMA, "
                         "which annotates no FAC/PRO/EVE)")
    ev.set_defaults(func=_cmd_eval)
