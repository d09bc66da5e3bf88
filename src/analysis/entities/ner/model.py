"""Named-entity recognition: a CRF trained by the project, its evaluation and the shipped model.

- :func:`read_iob` reads IOB files (one ``token tag`` a line, a blank line between sentences; Arman
  style; tags such as ``B-pers`` / ``I-event`` are mapped to PER, ORG, LOC, FAC, PRO, EVE);
  :func:`read_peyma` reads PEYMA files (``token|B_PER`` lines); :func:`read_annotated` either, detected (both in :mod:`analysis.entities.ner.iob`).
- :func:`combine_corpora` joins Arman and PEYMA for training, handling PEYMA's missing FAC/PRO/EVE.
- :class:`CrfRecognizer` is the model: ``fit(sentences)`` learns from ``(tokens, tags)`` pairs,
  ``predict(token_lists)`` tags token lists (crfsuite's tags, computed by
  :class:`analysis.entities.ner.tagger.FastTagger`), ``save(path)`` / ``CrfRecognizer.load(path)``.
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
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.entities.ner.iob import (ENTITY_TYPES, IOBError, entity_chunks, evaluate, holdout_split,  # noqa: F401
                                       normalize_tag, read_iob, write_iob)
from analysis.entities.ner.features import FEATURE_GROUPS, Gazetteer, NerFeaturizer, default_gazetteer, learn_dictionary
from analysis._core.resources import data_path

#: the shipped model (without extension: ``.crfsuite`` holds the weights, ``.json`` the settings)
DEFAULT_MODEL = "models/news-crf"
#: word clusters shipped with the project and used by the shipped model (PPMI + SVD + k-means,
#: :mod:`analysis.entities.ner.clusters`; in cross-validation they beat the FastText clusters of
#: :mod:`analysis.entities.ner.vectors`, see ``bench/results/ner_cv.md``)
DEFAULT_CLUSTERS = "models/news-clusters.tsv"

#: feature groups of the plain baseline (word, affixes, context words)
BASELINE_GROUPS = ("word", "affix", "context")


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


@lru_cache(maxsize=4)
def read_clusters(path: str) -> dict[str, tuple[str, ...]]:
    """A word-cluster file (``word<TAB>id<TAB>id...``, ``#`` comments) as ``{folded word: ids}``."""
    from analysis.entities.ner.features import fold

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
    """A linear-chain CRF (python-crfsuite) over :class:`~analysis.entities.ner.features.NerFeaturizer` features.

    ``groups``: feature groups (default all; :data:`BASELINE_GROUPS` for the plain baseline);
    ``window``: context width; ``clusters``: ``"default"`` (the shipped cluster file), a path, or None;
    ``c1``/``c2``: L1/L2 regularisation; ``max_iterations``: L-BFGS iterations;
    ``possible_transitions``: give weights to label transitions never seen in training too;
    ``dictionary_folds``: folds of the jackknifed entity-phrase dictionary; ``dictionary_types``: a
    phrase's dictionary marks name every type with at least this share of its tags (None: the most
    frequent type only); ``dictionary_min_evidence``: phrases tagged fewer times than this get marks of
    their own (``PER?1``), so thin evidence is weighed apart.
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
        dictionary_min_evidence: int = 1,
    ):
        self.dictionary_types = dictionary_types
        self.dictionary_min_evidence = dictionary_min_evidence
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
                                              "possible_transitions", "dictionary_types", "dictionary_min_evidence")}

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
        from analysis._core.progress import progress_bar

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
                                                         other_types=self.dictionary_types,
                                                         min_evidence=self.dictionary_min_evidence)
            part = [s for i, s in enumerate(sentences) if i % folds == fold]
            for tokens, tags in progress_bar(part, desc=f"features {fold + 1}/{folds}", unit="sent", show=progress):
                trainer.append(featurizer.sentence(tokens), tags)
        self.dictionary_ = (learn_dictionary(sentences, other_types=self.dictionary_types,
                                             min_evidence=self.dictionary_min_evidence)
                            if use_dictionary else None)
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
        """The fitted model's weights as a :class:`~analysis.entities.ner.tagger.WeightTable` (read once)."""
        if getattr(self, "_weights", None) is None:
            from analysis.entities.ner.tagger import WeightTable

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
        :class:`analysis.entities.ner.tagger.FastTagger` in batches of sentences of similar length."""
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
            from analysis.entities.ner.tagger import FastTagger

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
