"""Run an analysis over a corpus of any size: chunk by chunk, on local processes or on Dask.

An analysis that decomposes is a :class:`Reduction`: ``map`` runs the project's own pandas function
(``patterns.volume``, ``terms.term_frequencies``, ``entities.article_entities`` ...) on one chunk of
the articles table, ``combine`` merges partial results (sums counts, concatenates rows; associative,
so partials can be merged in any grouping), and ``finish`` turns the merged partial into the table
the pandas function gives for the whole corpus. :func:`run` feeds it from

- a pandas DataFrame (one chunk: the result *is* the pandas function's),
- an iterable of DataFrames, or an articles dataset folder (``analysis.scale.dataset``) read part by part:
  partial results are folded as they come, so memory holds one chunk plus the partial results,
- a ``dask.dataframe`` (or a dataset with ``engine="dask"``): one task a partition and a tree of
  ``combine`` tasks, on the local scheduler or on the cluster at ``scheduler``.

There is no second implementation of any analysis: the map step calls the analysis module's function,
and the combining steps only add up what it counted. Ready-made reductions, each named after the
function whose table it gives (``*_reduction``: it returns a :class:`Reduction`, the table comes from
:func:`run`): :func:`volume_reduction`, :func:`category_share_reduction`,
:func:`term_frequencies_reduction`, :func:`entities_reduction`, :func:`topic_prevalence_reduction` (a
fitted topic model's shares by month or site), :func:`republication_reduction` (two passes: the result
of the first, LSH band keys, chooses what the second reads; :func:`find_republications` runs it), and
the generic :func:`rows` (any row-wise function, e.g. a fitted topic model's ``document_topics``) and
:func:`counts` (any count table).

Example::

    from analysis.scale import engine
    table = engine.run(engine.volume_reduction(by="site", freq="month"), "data/processed/articles")
    table = engine.run(engine.volume_reduction(by="site"), dask_frame)                  # same table, on Dask
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial, reduce
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis._core.cache import package_fingerprint
from analysis._core.progress import progress_bar
from analysis.scale.dataset import derived_files, is_dataset, iter_dataset, part_files, read_part

#: partial results merged at a time (fan-in of the combine tree)
SPLIT_EVERY = 8


def _identity(value):
    return value


@dataclass(frozen=True)
class Reduction:
    """An analysis split into a per-chunk step and a merge.

    ``map(chunk: DataFrame) -> partial``; ``combine(list[partial]) -> partial`` (associative);
    ``finish(partial) -> result``; ``columns``: the article columns ``map`` reads (a dataset is read
    with only these; ``None`` = all); ``name`` for progress bars; ``key``: the analysis and its
    parameters as a string, which lets :func:`run` cache the partial result of each dataset part
    (``None``: no caching). ``then``: for an analysis in two passes, ``then(result) -> Reduction``
    gives the second pass over the same data, whose result is the analysis's.
    """

    map: Callable[[pd.DataFrame], Any]
    combine: Callable[[list], Any]
    finish: Callable[[Any], Any] = _identity
    columns: tuple[str, ...] | None = None
    name: str = "analysis"
    key: str | None = None
    then: Callable[[Any], "Reduction"] | None = None


# --------------------------------------------------------------------------------------------- run


def _is_dask(data) -> bool:
    try:
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover
        return False
    return isinstance(data, dd.DataFrame)


def run(reduction: Reduction, data, *, engine: str | None = None, scheduler=None,
        split_every: int = SPLIT_EVERY, progress: bool | None = None, cache: bool = True, workers: int = 1):
    """Run ``reduction`` over ``data`` and return its result (see the module docstring).

    ``data``: a DataFrame, an iterable of DataFrames, an articles dataset folder, or a
    ``dask.dataframe``. ``engine``: ``"pandas"`` (in this process, chunk after chunk) or ``"dask"``
    (default: ``"dask"`` for a Dask collection or when ``scheduler`` is given, else ``"pandas"``).
    ``scheduler``: a Dask scheduler address or ``distributed.Client`` (default: the current client,
    if any, else Dask's local scheduler). ``cache``: with a dataset folder and the pandas engine, keep
    each part's partial result in ``<dataset>/cache/`` keyed by the analysis, its parameters, the code
    of the modules doing the work and the part (name, size, modification time), so a run after new
    articles were ingested maps only the new parts. A reduction with ``then`` reads ``data`` twice, so
    ``data`` must not be a one-shot iterator. ``workers``: with a dataset folder and the pandas engine,
    map the parts in that many worker processes (``analysis._core.workers.worker_pool``; ``map`` must
    then pickle: module-level functions and their ``partial``), merging their partial results here in
    the parts' order; 1 (default): in this process.
    """
    if reduction.then is not None and isinstance(data, Iterator):
        raise TypeError(f"{reduction.name} reads the articles twice: give a DataFrame, a list of DataFrames, "
                        "an articles dataset folder or a Dask collection, not a one-shot iterator")
    options = {"engine": engine, "scheduler": scheduler, "split_every": split_every, "progress": progress,
               "cache": cache, "workers": workers}
    result = _run_once(reduction, data, **options)
    if reduction.then is not None:
        return run(reduction.then(result), data, **options)
    return result


def _run_once(reduction: Reduction, data, *, engine, scheduler, split_every, progress, cache, workers=1):
    if split_every < 2:
        raise ValueError(f"split_every must be at least 2, not {split_every}")
    if engine is None:
        engine = "dask" if (_is_dask(data) or scheduler is not None) else "pandas"
    if engine not in ("pandas", "dask"):
        raise ValueError(f"engine must be 'pandas' or 'dask', not {engine!r}")
    if engine == "dask":
        return _run_dask(reduction, _as_dask(data, reduction.columns), scheduler, split_every)
    if isinstance(data, pd.DataFrame):
        return reduction.finish(reduction.combine([reduction.map(data)]))
    if _is_dask(data):
        chunks: Iterable[pd.DataFrame] = (part.compute() for part in data.to_delayed())
        total = data.npartitions
    elif isinstance(data, str | os.PathLike):
        chunks, total = _dataset_chunks(data, reduction.columns)
        if (cache and reduction.key is not None) or workers > 1:
            return _run_cached(reduction, Path(data), split_every, progress,
                               cache=cache and reduction.key is not None, workers=workers)
    else:
        chunks, total = data, None
    return _run_chunks(reduction, chunks, total, split_every, progress)


def _dataset_chunks(folder, columns):
    if not is_dataset(folder):
        raise FileNotFoundError(f"{folder}: not an articles dataset (write one with `python -m analysis "
                                "ingest-dataset`), nor a DataFrame or Dask collection")
    return iter_dataset(folder, columns=columns), len(part_files(folder))


def _map_part(func, path: str, columns):
    """``func`` on one dataset part (None for an empty part): what a worker process runs."""
    chunk = read_part(path, list(columns) if columns else None, None)
    return None if chunk.empty else func(chunk)


def _part_store(reduction: Reduction, folder: Path) -> Path | None:
    import hashlib

    key = hashlib.blake2b(f"{reduction.key}|{package_fingerprint()}".encode(), digest_size=10).hexdigest()
    store = folder / "cache" / "engine" / key
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only dataset: run without the cache
        return None
    return store


def _run_cached(reduction: Reduction, folder: Path, split_every: int, progress, *, cache: bool = True,
                workers: int = 1):
    """The pandas engine over a dataset's parts, reusing each part's cached partial result (``cache``)
    and mapping the others in ``workers`` processes; partial results are merged in the parts' order."""
    import pickle

    store = _part_store(reduction, folder) if cache else None
    if store is None:
        parts = part_files(folder)
        entries = [None] * len(parts)
    else:  # each part's cached partial result, named by the part (those of parts rewritten or gone deleted)
        pairs = derived_files(folder, store, ".pkl")
        parts, entries = [part for part, _ in pairs], [entry for _, entry in pairs]
    todo = [i for i, entry in enumerate(entries) if entry is None or not entry.exists()]
    mapped = set(todo)
    pool = None
    if workers > 1 and len(todo) > 1:
        from analysis._core.workers import worker_pool

        pool = worker_pool(min(workers, len(todo)), text=False)
    futures = {}
    if pool is not None:
        futures = {i: pool.submit(_map_part, reduction.map, str(parts[i]), reduction.columns) for i in todo}
    pending: list = []
    show = progress if progress is not None else len(parts) >= 20
    try:
        for i in progress_bar(range(len(parts)), desc=reduction.name, unit="part", show=show):
            entry = entries[i]
            if i not in mapped:
                partial_result = pickle.loads(entry.read_bytes())
            else:
                partial_result = (futures[i].result() if i in futures
                                  else _map_part(reduction.map, str(parts[i]), reduction.columns))
                if partial_result is None:  # an empty part
                    continue
                if entry is not None:
                    temporary = entry.with_suffix(".partial")
                    try:
                        temporary.write_bytes(pickle.dumps(partial_result, protocol=pickle.HIGHEST_PROTOCOL))
                        temporary.replace(entry)
                    except OSError:  # a full disk or a read-only folder only costs the cache
                        temporary.unlink(missing_ok=True)
            pending.append(partial_result)
            if len(pending) >= split_every:
                pending = [reduction.combine(pending)]
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if not pending:
        raise ValueError(f"{folder}: the dataset holds no articles to analyse")
    return reduction.finish(reduction.combine(pending))


def _run_chunks(reduction: Reduction, chunks: Iterable[pd.DataFrame], total, split_every, progress):
    pending: list = []
    show = progress if progress is not None else (total or 0) >= 20
    for chunk in progress_bar(chunks, total=total, desc=reduction.name, unit="chunk", show=show):
        if not isinstance(chunk, pd.DataFrame):
            raise TypeError(f"chunks must be pandas DataFrames, got {type(chunk).__name__}")
        pending.append(reduction.map(chunk))
        if len(pending) >= split_every:
            pending = [reduction.combine(pending)]
    if not pending:
        raise ValueError("no chunk of articles to analyse (the input is empty)")
    return reduction.finish(reduction.combine(pending))


def _as_dask(data, columns):
    import dask.dataframe as dd

    from analysis.scale.dataset import dask_articles

    if _is_dask(data):
        return data
    if is_dataset(data):
        return dask_articles(data, columns=columns)
    if isinstance(data, pd.DataFrame):
        import dask

        with dask.config.set({"dataframe.convert-string": False}):  # keep list columns as lists
            return dd.from_pandas(data, npartitions=1)
    raise TypeError("engine='dask' needs a dask.dataframe, a DataFrame or an articles dataset folder")


def _run_dask(reduction: Reduction, frame, scheduler, split_every):
    import dask

    partials = [dask.delayed(reduction.map)(part) for part in frame.to_delayed()]
    if not partials:
        raise ValueError("no partition of articles to analyse (the Dask collection is empty)")
    n_partitions = len(partials)
    while len(partials) > 1:
        partials = [dask.delayed(reduction.combine)(partials[i:i + split_every])
                    for i in range(0, len(partials), split_every)]
    combined = partials[0] if n_partitions > 1 else dask.delayed(reduction.combine)(partials)
    if scheduler is None:
        merged = combined.compute()
    else:
        from distributed import Client

        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        try:
            merged = client.compute(combined).result()
        finally:
            if client is not scheduler:
                client.close()
    return reduction.finish(merged)


# ------------------------------------------------------------------------------ generic reductions


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if p is not None]
    if len(parts) == 1:
        return parts[0]
    kept = [p for p in parts if len(p)] or parts[:1]
    out = pd.concat(kept, ignore_index=True)
    attrs = {k: sum(p.attrs.get(k, 0) for p in parts) for k in parts[0].attrs
             if isinstance(parts[0].attrs[k], int | float)}
    out.attrs.update(attrs)
    return out


def rows(func: Callable[[pd.DataFrame], pd.DataFrame], columns: Sequence[str] | None = None,
         name: str = "rows") -> Reduction:
    """A row-wise analysis (its rows for a chunk are its rows for the corpus): results concatenated.

    ``func``: e.g. ``partial(topics.document_topics, model)`` for a fitted topic model.
    """
    return Reduction(map=func, combine=_concat, columns=tuple(columns) if columns else None, name=name)


def _sum_counts(parts: list[pd.DataFrame], keys: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    table = _concat(parts)
    if len(parts) == 1:
        return table
    attrs = dict(table.attrs)
    summed = table.groupby(list(keys), sort=False, dropna=False, observed=True)[list(values)].sum().reset_index()
    summed.attrs.update(attrs)
    return summed


def counts(func: Callable[[pd.DataFrame], pd.DataFrame], keys: Sequence[str], values: Sequence[str],
           columns: Sequence[str] | None = None, name: str = "counts") -> Reduction:
    """A table of counts by ``keys`` (``values`` columns hold counts): partial tables summed.

    The result lists each key once with its total, sorted by ``keys``.
    """
    def finish(table: pd.DataFrame) -> pd.DataFrame:
        out = table.sort_values(list(keys), kind="stable").reset_index(drop=True)
        out.attrs.update(table.attrs)
        return out

    return Reduction(map=func, combine=partial(_sum_counts, keys=tuple(keys), values=tuple(values)),
                     finish=finish, columns=tuple(columns) if columns else None, name=name)


# ------------------------------------------------------------------------------------------ volume


def _volume_finish(table: pd.DataFrame, by: str | None, freq: str, calendar: str) -> pd.DataFrame:
    from analysis.patterns.publishing import calendar_table, spread_over_periods

    group_cols = [] if by is None else [by]
    columns = ["period", "label", "start", "end", *group_cols, "n_articles"]
    undated = int(table.attrs.get("n_undated", 0))
    if table.empty:
        out = table[columns].reset_index(drop=True)
        out.attrs["n_undated"] = undated
        return out
    cal = calendar_table(table["start"].min(), table["end"].max(), freq, calendar)
    totals = table.groupby(["period", *group_cols], observed=True)["n_articles"].sum()
    return spread_over_periods(totals, cal, by=by, n_undated=undated)


def _volume_combine(parts: list[pd.DataFrame], by: str | None) -> pd.DataFrame:
    keys = ["period", "label", "start", "end"] + ([] if by is None else [by])
    table = _sum_counts(parts, keys, ["n_articles"])
    table.attrs["n_undated"] = sum(int(p.attrs.get("n_undated", 0)) for p in parts)
    return table[table["n_articles"] > 0] if len(parts) > 1 else table


def volume_reduction(by: str | None = "site", freq: str = "month", calendar: str = "jalali") -> Reduction:
    """``patterns.volume(articles, by, freq, calendar)`` by chunks: counts summed, then the grid of
    periods (between the first and the last dated article) and groups filled with zeros."""
    from analysis.patterns import publishing as patterns

    needed = ["published"] + (["categories"] if by == "category" else [] if by is None else [by])
    return Reduction(map=partial(patterns.volume, by=by, freq=freq, calendar=calendar),
                     combine=partial(_volume_combine, by=by),
                     finish=partial(_volume_finish, by=by, freq=freq, calendar=calendar),
                     columns=tuple(needed), name="volume_reduction", key=f"volume|{by}|{freq}|{calendar}")


# ---------------------------------------------------------------------------------- category share


def _share_map(chunk: pd.DataFrame, by: str | None, primary: bool) -> pd.DataFrame:
    from analysis.patterns.publishing import category_share

    table = category_share(chunk, by=by or "", primary=primary)
    group = by or "group"
    # articles per group, as the function counted them: n_articles / article_share (exact integers)
    n_group = (table["n_articles"] / table["article_share"]).round().astype("int64")
    sizes = pd.Series(n_group.to_numpy(), index=table[group]).groupby(level=0).first()
    return table.assign(n_group=table[group].map(sizes).astype("int64"))[[group, "category", "n_articles", "n_group"]]


def _share_combine(parts: list[pd.DataFrame], by: str | None) -> pd.DataFrame:
    group = by or "group"
    if len(parts) == 1:
        return parts[0]
    table = _concat(parts)
    # n_group is the same on every row of a group within one partial: sum it once a partial and group
    per_part = [p.drop_duplicates(group).set_index(group)["n_group"] for p in parts]
    sizes = pd.concat(per_part).groupby(level=0).sum()
    summed = table.groupby([group, "category"], sort=False)["n_articles"].sum().reset_index()
    return summed.assign(n_group=summed[group].map(sizes).astype("int64"))


def _share_finish(table: pd.DataFrame, by: str | None) -> pd.DataFrame:
    group = by or "group"
    counts_ = table[[group, "category", "n_articles"]].copy()
    counts_["share"] = counts_["n_articles"] / counts_.groupby(group)["n_articles"].transform("sum")
    counts_["article_share"] = counts_["n_articles"] / table["n_group"].astype(float)
    counts_["category"] = counts_["category"].astype("string")
    counts_ = counts_.sort_values([group, "n_articles", "category"], ascending=[True, False, True])
    return counts_.reset_index(drop=True)


def category_share_reduction(by: str | None = "site", primary: bool = False) -> Reduction:
    """``patterns.category_share(articles, by, primary)`` by chunks (counts and group sizes summed,
    shares recomputed from the totals)."""
    needed = ["categories"] + ([by] if by else [])
    return Reduction(map=partial(_share_map, by=by, primary=primary), combine=partial(_share_combine, by=by),
                     finish=partial(_share_finish, by=by), columns=tuple(needed), name="category share",
                     key=f"category_share|{by}|{primary}")


# -------------------------------------------------------------------------------- term frequencies


def _group_sizes(chunk: pd.DataFrame, table: pd.DataFrame, by, column, ngram, stopwords) -> pd.DataFrame:
    """Words and articles of each group of a chunk, as ``terms.term_frequencies`` counted them.

    For a group with a term in the table they are read back from it (``count / per_1000`` and
    ``doc_freq / doc_share``, exact integers); for a group without any counted term (rare: only
    stopwords) they come from the function's own per-article step on that group's articles.
    """
    from analysis.topics import terms

    sizes = pd.DataFrame({
        "group": table["group"].to_numpy(),
        "n_words": (1000 * table["count"] / table["per_1000"]).round().astype("int64").to_numpy(),
        "n_docs": (table["doc_freq"] / table["doc_share"]).round().astype("int64").to_numpy(),
    }).drop_duplicates("group").set_index("group")
    keys = terms.group_keys(chunk, by)
    listed = keys.map(lambda g: list(g) if isinstance(g, list | tuple | np.ndarray) else [g])
    groups = listed.map(lambda gs: ["" if pd.isna(g) else str(g) for g in gs] if len(gs) else [])
    missing = groups.map(lambda gs: any(g not in sizes.index for g in gs)).to_numpy()
    if missing.any():
        frame = terms.long_terms(chunk[missing], by, column, ngram, terms.stopword_set(stopwords))
        extra = frame.groupby("group").agg(n_words=("n_tokens", "sum"), n_docs=("doc", "nunique"))
        sizes = pd.concat([sizes, extra[~extra.index.isin(sizes.index)]])
    return sizes.astype("int64")


def _terms_map(chunk: pd.DataFrame, by, column, ngram, stopwords) -> pd.DataFrame:
    from analysis.topics.terms import term_frequencies

    if column == "tokens" and column not in chunk.columns:  # tokenise once, for both steps
        from analysis.text import add_tokens

        chunk = add_tokens(chunk, cache=False, progress=False)  # the engine caches whole parts
    table = term_frequencies(chunk, by, column=column, ngram=ngram, stopwords=stopwords, min_count=1)
    table = table.assign(group="all") if by is None else table.rename(columns={by: "group"})
    table["group"] = table["group"].astype(str)
    sizes = table.attrs.get("group_sizes")
    sizes = _group_sizes(chunk, table, by, column, ngram, stopwords) if sizes is None else sizes
    counted = pd.DataFrame({"group": table["group"], "term": table["term"],
                            "count": table["count"].astype("int64"), "doc_freq": table["doc_freq"].astype("int64")})
    # every group of the chunk keeps a row (empty term, dropped in finish) carrying its size
    empty = pd.DataFrame({"group": sizes.index.astype(str), "term": "", "count": 0, "doc_freq": 0})
    counted = pd.concat([counted, empty], ignore_index=True)
    return counted.join(sizes.astype("int64"), on="group")


def _terms_combine(parts: list[pd.DataFrame], max_terms: int | None) -> pd.DataFrame:
    if len(parts) == 1 and max_terms is None:
        return parts[0]
    table = _concat(parts)
    per_part = [p.drop_duplicates("group").set_index("group")[["n_words", "n_docs"]] for p in parts if len(p)]
    sizes = pd.concat(per_part).groupby(level=0).sum() if per_part else None
    summed = table[table["term"] != ""].groupby(["group", "term"], sort=False)[["count", "doc_freq"]].sum()
    summed = summed.reset_index()
    if max_terms is not None:  # a bounded vocabulary: keep the most frequent terms of each group
        summed = summed.sort_values(["group", "count", "term"], ascending=[True, False, True])
        summed = summed.groupby("group", sort=False).head(max_terms)
    if sizes is None:
        return summed.assign(n_words=pd.Series(dtype="int64"), n_docs=pd.Series(dtype="int64"))
    groups = pd.DataFrame({"group": sizes.index.astype(str), "term": "", "count": 0, "doc_freq": 0})
    summed = pd.concat([summed, groups], ignore_index=True)
    return summed.join(sizes, on="group")


def term_frequencies_reduction(by: str | None = None, *, column: str = "tokens", ngram: int | Sequence[int] = 1,
                     stopwords: Iterable[str] | None = None, min_count: int = 1, top: int | None = None,
                     max_terms: int | None = None) -> Reduction:
    """``terms.term_frequencies`` by chunks: counts, document frequencies and group sizes summed.

    ``max_terms`` bounds the vocabulary kept between merges (the most frequent terms of each group;
    counts of rarer terms seen in only some chunks are then lower bounds): exact when ``None``.
    """
    from analysis.topics.terms import frequency_table

    stop = None if stopwords is None else frozenset(stopwords)
    needed = ["doc_id", "body"] + ([] if column == "tokens" else [column]) + ([by] if by else [])
    return Reduction(map=partial(_terms_map, by=by, column=column, ngram=ngram, stopwords=stop),
                     combine=partial(_terms_combine, max_terms=max_terms),
                     finish=partial(frequency_table, by=by, min_count=min_count, top=top),
                     columns=tuple(dict.fromkeys(needed)),
                     name="term frequencies",
                     key=f"term_frequencies|{by}|{column}|{ngram}|{sorted(stop) if stop is not None else None}")


# ---------------------------------------------------------------------------------------- entities


def entities_reduction(column: str = "body", model=None) -> Reduction:
    """``entities.entities(articles, column, model)`` by chunks: each article's mentions found in its
    chunk (``entities.article_mentions``), spellings made consistent over the corpus at the end
    (``entities.consistent_spellings``). The result holds every mention: to count entities over a
    corpus that does not fit in memory, keep each part's mentions, sum their ``entities.spelling_stats``
    and count each part's ``consistent_spellings(mentions, stats)`` (their ``entity_counts`` add up)."""
    from analysis.entities.tables import article_mentions, consistent_spellings

    return Reduction(map=partial(article_mentions, column=column, model=model), combine=_concat,
                     finish=consistent_spellings, columns=("doc_id", column), name="entities_reduction",
                     key=f"entities|{column}" if model is None else None)


# ---------------------------------------------------------------------------------- topic prevalence


def _prevalence_map(chunk: pd.DataFrame, model, by: tuple[str, ...], calendar: str) -> dict:
    from analysis.topics.models import topic_prevalence

    if model.column == "tokens" and "tokens" not in chunk.columns:  # tokenise once, for every grouping
        from analysis.text import add_tokens

        chunk = add_tokens(chunk, cache=False, progress=False)
    out = {}
    for group in by:
        table = topic_prevalence(model, chunk, by=group, calendar=calendar)
        out[group] = table.assign(share_sum=table["share"].astype(float) * table["n_docs"])
    return out


def _prevalence_combine(parts: list[dict], by: tuple[str, ...]) -> dict:
    if len(parts) == 1:
        return parts[0]
    out = {}
    for group in by:
        table = _concat([p[group] for p in parts])
        out[group] = table.groupby([group, "topic", "label"], sort=False)[["share_sum", "n_dominant", "n_docs"]] \
            .sum().reset_index()
    return out


def _prevalence_finish(partial_tables: dict, by: tuple[str, ...], single: bool):
    out = {}
    for group in by:
        table = partial_tables[group]
        table = table.assign(share=table["share_sum"] / table["n_docs"],
                             n_dominant=table["n_dominant"].astype("int64"), n_docs=table["n_docs"].astype("int64"))
        table = table[[group, "topic", "label", "share", "n_dominant", "n_docs"]]
        out[group] = table.sort_values([group, "topic"]).reset_index(drop=True)
    return out[by[0]] if single else out


def topic_prevalence_reduction(model, by: str | Sequence[str] = "month", calendar: str = "jalali") -> Reduction:
    """``topics.topic_prevalence(model, articles, by, calendar)`` by chunks, for a fitted topic model
    (fitted on all articles, or on :func:`sample_articles` when they do not fit in memory): each
    chunk tokenised once and transformed, shares summed as share x articles, divided at the end.

    ``by``: one grouping (the result is its table) or several, e.g. ``("month", "site")`` (the result
    is a dict of tables by grouping; the articles are tokenised once for all).
    """
    single = isinstance(by, str)
    groups = (by,) if single else tuple(by)
    needed = ["doc_id", "body", "published", "published_jalali", *[g for g in groups if g not in ("month", "year")]]
    if model.column != "tokens":
        needed.append(model.column)
    return Reduction(map=partial(_prevalence_map, model=model, by=groups, calendar=calendar),
                     combine=partial(_prevalence_combine, by=groups),
                     finish=partial(_prevalence_finish, by=groups, single=single),
                     columns=tuple(dict.fromkeys(needed)), name="topic prevalence")


# ----------------------------------------------------------------------------------- republication


def republication_reduction(threshold: float = 0.8, **params) -> Reduction:
    """``republication.find_republications(articles, threshold, **params)`` out of core, in two passes.

    First pass, part by part: each article's LSH band keys (``republication.band_keys``; about
    ``bands x 8`` bytes an article are kept), then the articles sharing a bucket with another
    (``candidate_ids``). Second pass: the shingles of those candidates only
    (``candidate_sketch``), on which the in-memory detector runs (``sketch_copies``). The copies
    table equals the in-memory one. ``params``: :class:`~analysis.patterns.republication.RepublicationDetector`
    parameters (``progress`` is ignored: the engine shows its own).
    """
    from analysis.patterns import republication as rep

    params = {k: v for k, v in {"threshold": threshold, **params}.items() if k != "progress"}
    text = params.get("text_column", "body")
    signature = "|".join(f"{k}={params[k]!r}" for k in sorted(params))

    def second(wanted: np.ndarray) -> Reduction:
        return Reduction(map=partial(rep.candidate_sketch, wanted=wanted, **params), combine=rep.combine_sketches,
                         finish=partial(rep.sketch_copies, **params),
                         columns=tuple(dict.fromkeys([*rep.SKETCH_COLUMNS, text])),
                         name="republication: candidates")

    return Reduction(map=partial(rep.band_keys, **params), combine=_concat, finish=rep.candidate_ids,
                     columns=tuple(dict.fromkeys(["doc_id", text])), name="republication: LSH bands",
                     key=f"republication_bands|{signature}", then=second)


# ------------------------------------------------------------------------------------------ helpers


def find_republications(data, threshold: float = 0.8, *, engine: str | None = None, scheduler=None,
                        progress: bool | None = None, **params) -> pd.DataFrame:
    """:func:`analysis.patterns.republication.find_republications` over anything :func:`run` reads more
    than once (an articles dataset folder, a list of DataFrames, a ``dask.dataframe``), out of core in
    two passes, with the same table as in memory."""
    return run(republication_reduction(threshold=threshold, **params), data, engine=engine, scheduler=scheduler,
               progress=progress)


def sample_articles(data, n: int, *, columns: Sequence[str] | None = None, random_state: int = 0) -> pd.DataFrame:
    """A uniform random sample of ``n`` articles from any source :func:`run` takes, in bounded memory
    (for estimators without partial fits: fit on the sample, then apply by chunks with :func:`rows`)."""
    rng = np.random.default_rng(random_state)

    def keyed(chunk: pd.DataFrame) -> pd.DataFrame:
        picked = chunk.assign(_key=rng.random(len(chunk)))
        return picked.nsmallest(n, "_key") if len(picked) > n else picked

    def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
        return reduce(lambda a, b: pd.concat([a, b], ignore_index=True).nsmallest(n, "_key"), parts)

    def finish(table: pd.DataFrame) -> pd.DataFrame:
        return table.sort_values("_key").drop(columns="_key").reset_index(drop=True)

    reduction = Reduction(map=keyed, combine=combine, finish=finish,
                          columns=tuple(columns) if columns else None, name="sample")
    return run(reduction, data, engine="pandas")


__all__ = ["Reduction", "run", "rows", "counts", "volume_reduction", "category_share_reduction",
           "term_frequencies_reduction", "entities_reduction", "topic_prevalence_reduction", "republication_reduction",
           "find_republications", "sample_articles"]
