"""Token lists of a whole articles table: :func:`add_tokens`, cached on disk and parallel for large corpora."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from analysis._core.workers import worker_pool
from analysis.text.normalizer import NORMALIZED, as_text, load_lexicons, normalize, tokenize
from analysis.text.words import lemmatize_tokens, remove_stopwords, stem_tokens, stopwords as default_stopwords

#: corpora with at least this many texts to tokenise are split across processes (n_jobs=None)
PARALLEL_MIN_TEXTS = 2000
#: bump when tokens for the same text and options change, so old cache entries are not reused
_CACHE_VERSION = "1"


@dataclass(frozen=True)
class _TokenOptions:
    punctuation: bool = False
    join_verb_parts: bool = True
    form: str = "token"  # token | lemma | stem
    stopwords: tuple[str, ...] | None = None  # None keeps all tokens
    normalize: bool = False

    def signature(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            hazm_version = version("hazm")
        except PackageNotFoundError:  # pragma: no cover
            hazm_version = "unknown"
        stop = "-" if self.stopwords is None else _short_hash("\n".join(self.stopwords))
        return (
            f"v{_CACHE_VERSION}-hazm{hazm_version}-p{int(self.punctuation)}"
            f"-j{int(self.join_verb_parts)}-{self.form}-s{stop}-n{int(self.normalize)}"
        )


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def _tokens_for(text: str, options: _TokenOptions) -> list[str]:
    if options.normalize:
        text = normalize(text)
    tokens = tokenize(text, punctuation=options.punctuation, join_verb_parts=options.join_verb_parts)
    if options.stopwords is not None:
        tokens = remove_stopwords(tokens, options.stopwords)
    if options.form == "lemma":
        tokens = lemmatize_tokens(tokens)
    elif options.form == "stem":
        tokens = stem_tokens(tokens)
    return tokens


def _tokens_batch(texts: list[str], options: _TokenOptions) -> list[list[str]]:
    return [_tokens_for(text, options) for text in texts]


def add_tokens(
    df,
    column: str = "body",
    out: str = "tokens",
    *,
    punctuation: bool = False,
    join_verb_parts: bool = True,
    form: str = "token",
    stopwords: bool | Iterable[str] = False,
    normalize: bool | None = None,
    cache: bool = True,
    cache_dir=None,
    n_jobs: int | None = None,
    progress: bool = True,
):
    """A new DataFrame: ``df`` plus a column ``out`` holding the token list of each ``column`` text.

    - ``punctuation``, ``join_verb_parts``: as in :func:`tokenize`;
    - ``form``: ``"token"``, ``"lemma"`` (:func:`lemmatize`) or ``"stem"`` (:func:`stem`);
    - ``stopwords``: ``True`` removes :func:`stopwords`, an iterable removes those words
      (multiword entries as in :func:`remove_stopwords`), ``False`` keeps everything;
    - ``normalize``: run :func:`normalize` first; ``None`` (default) does so unless the table is
      marked as normalised (``df.attrs["normalized"]``, set by ``load_corpus(normalize=True)`` and
      ``analysis.corpus.normalize_articles``);
    - ``cache``: reuse and store results keyed by a hash of each text and the options, as Parquet
      in ``cache_dir`` (default :func:`analysis._core.cache.default_cache_dir` ``("tokens")``);
    - ``n_jobs``: worker processes (``None``: all cores once there are
      ``PARALLEL_MIN_TEXTS`` texts to tokenise, else 1);
    - ``progress``: a tqdm bar (``TQDM_DISABLE=1`` silences it).

    Missing or non-text cells give ``[]``. The input is not changed.
    """
    import pandas as pd

    from analysis._core.cache import ListCache, default_cache_dir, text_key

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"add_tokens expects a pandas DataFrame, got {type(df).__name__}")
    if column not in df.columns:
        raise KeyError(
            f"add_tokens: no column {column!r} to tokenise; the table has {list(map(str, df.columns))}"
        )
    if form not in ("token", "lemma", "stem"):
        raise ValueError(f"add_tokens: form must be 'token', 'lemma' or 'stem', not {form!r}")
    if stopwords is True:
        stop = tuple(sorted(default_stopwords()))
    elif stopwords is False or stopwords is None:
        stop = None
    else:
        stop = tuple(sorted({w for w in stopwords if isinstance(w, str)}))
    if normalize is None:
        normalize = not df.attrs.get(NORMALIZED, False)
    options = _TokenOptions(punctuation, join_verb_parts, form, stop, bool(normalize))

    texts = [as_text(value) for value in df[column].tolist()]
    unique = list(dict.fromkeys(texts))
    results: dict[str, list[str]] = {"": []}
    todo = [text for text in unique if text]

    store = None
    keys: dict[str, str] = {}
    if cache and todo:
        salt = options.signature()
        root = Path(cache_dir) if cache_dir is not None else default_cache_dir("tokens")
        store = ListCache(root / salt)
        keys = {text: text_key(text, salt) for text in todo}
        cached = store.get(keys.values())
        for text in todo:
            value = cached.get(keys[text])
            if value is not None:
                results[text] = value
        todo = [text for text in todo if text not in results]

    if todo:
        computed = _compute_tokens(todo, options, n_jobs=n_jobs, progress=progress)
        results.update(zip(todo, computed, strict=True))
        if store is not None:
            store.put({keys[text]: results[text] for text in todo})

    tokens = pd.Series([list(results[text]) for text in texts], index=df.index, dtype=object)
    return df.assign(**{out: tokens})


def _compute_tokens(texts: list[str], options: _TokenOptions, *, n_jobs: int | None, progress: bool):
    import os

    from analysis._core.progress import progress_bar

    workers = n_jobs if n_jobs is not None else (
        os.cpu_count() or 1 if len(texts) >= PARALLEL_MIN_TEXTS else 1
    )
    workers = max(1, min(workers, len(texts)))
    batch = 200
    batches = [texts[i:i + batch] for i in range(0, len(texts), batch)]
    # without progress=False, tqdm's own default applies (TQDM_DISABLE=1 in the environment hides it)
    bar = progress_bar(total=len(texts), desc="tokens", unit="doc", show=progress)
    out: list[list[str]] = []
    # a pool that never imports the caller's __main__ (scripts without a main guard, `python -`),
    # or None where this process may not start workers: then one process does it all
    pool = worker_pool(workers, text=True) if workers > 1 else None
    try:
        if pool is None:
            load_lexicons()
            for chunk in batches:
                out.extend(_tokens_batch(chunk, options))
                bar.update(len(chunk))
        else:
            with pool:
                for chunk, tokens in zip(
                    batches, pool.map(_tokens_batch, batches, [options] * len(batches)), strict=True,
                ):
                    out.extend(tokens)
                    bar.update(len(chunk))
    finally:
        bar.close()
    return out
