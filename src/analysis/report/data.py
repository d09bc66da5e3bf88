"""The report's data, from a corpus held in memory or from an articles dataset of any size.

:func:`open_corpus` is what a notebook calls; it gives a :class:`ReportCorpus` whichever the source:

- files, folders, globs or archives (the usual case): the cached corpus in memory
  (:func:`load_for_notebook`); every table is the analysis function on it;
- a dataset folder written by ``ingest-dataset`` (it has ``articles/`` and ``manifest/``): the
  articles are normalised part by part into a cached copy (:func:`report_dataset`, filters applied),
  then every table of the overview and patterns pages is computed part by part through
  :mod:`analysis.scale.engine`: the per-article metadata (no body, no lead; about 0.3 KB an article) is
  read by parts into one compact table on which the same ``overview`` and ``patterns`` functions
  run, republication runs in two passes (``engine.find_republications``) and the occasion terms are
  counted by parts. The topic model is fitted on a bounded, seeded sample (:meth:`ReportCorpus.sample`,
  ``engine.sample_articles``), then applied to every article part by part
  (:meth:`ReportCorpus.topic_prevalence`); entities are recognised part by part (in worker processes,
  each part once: kept beside the dataset) and counted over all the articles
  (:meth:`ReportCorpus.entity_counts`, :meth:`~ReportCorpus.top_entities`,
  :meth:`~ReportCorpus.entity_timeline`), only counts held in memory. What needs the text or the
  document-term matrix in memory (term tables, the fit, representative articles, networks, quotes)
  reads the sample; each page says which figures come from it (:func:`source_note`).

A source folder with more than :data:`LARGE_SOURCE_FILES` files is ingested to a dataset under
``data/processed/datasets/`` first (:func:`dataset_for_source`; resumable, so the next report reuses it).
"""

from __future__ import annotations

import hashlib
import html
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from analysis._core.cache import cache_root, package_fingerprint, project_root
from analysis.patterns.publishing import distinctive_terms, document_terms
from analysis.report.notebook import HTMLFragment, as_list, cached_corpus, default_corpus, select_articles
from analysis._core.persian import persian_number
from analysis._core.workers import worker_pool

#: articles the sample-based pages read from a dataset (environment: ANALYSIS_REPORT_SAMPLE)
SAMPLE_SIZE = 5000
SAMPLE_ENV = "ANALYSIS_REPORT_SAMPLE"
#: seed of the sample
SAMPLE_SEED = 0
#: a source folder holding more files than this is ingested to a dataset before the report
LARGE_SOURCE_FILES = 50_000
#: where such datasets go, relative to the project root
DATASETS_DIR = Path("data") / "processed" / "datasets"
#: columns of the compact metadata table (everything the overview and patterns pages count)
META_COLUMNS = ("doc_id", "path", "title", "categories", "domain", "site", "published", "published_jalali",
                "date_source", "n_words", "encoding", "duplicate_of")
#: of those, the ones held as pandas categories (few distinct values)
_CATEGORICAL = ("domain", "site", "published_jalali", "date_source", "encoding")


# --------------------------------------------------------------------------------- the source



def is_dataset(path) -> bool:
    """Whether ``path`` is a dataset folder written by ``ingest-dataset`` (``articles/`` and ``manifest/``)."""
    folder = Path(path) if isinstance(path, str | os.PathLike) and str(path) else None
    return folder is not None and (folder / "articles").is_dir() and (folder / "manifest").is_dir()


def sample_size() -> int:
    """Articles the sample-based pages read (``$ANALYSIS_REPORT_SAMPLE``, else :data:`SAMPLE_SIZE`)."""
    value = os.environ.get(SAMPLE_ENV, "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else SAMPLE_SIZE


def _count_files(folder: Path, limit: int) -> int:
    """Files under ``folder``, counting stops past ``limit``."""
    n = 0
    for _root, _dirs, files in os.walk(folder):
        n += len(files)
        if n > limit:
            break
    return n


def dataset_for_source(source, *, min_files: int = LARGE_SOURCE_FILES, root: Path | None = None,
                       workers: int | None = None, progress: bool | None = None) -> Path | None:
    """The dataset to report from when ``source`` is a folder of more than ``min_files`` files:
    ingested (with progress) into ``data/processed/datasets/<name>-<hash>/``, or brought up to date
    there when it exists (``ingest-dataset`` is resumable: unchanged files are skipped). ``None``
    when ``source`` is a dataset already, is not a single folder or is small enough for memory."""
    if isinstance(source, list | tuple) or not source:
        return None
    folder = Path(source)
    if not folder.is_dir() or is_dataset(folder) or _count_files(folder, min_files) <= min_files:
        return None
    from analysis.scale.dataset import ingest_dataset

    resolved = folder.resolve()
    key = hashlib.blake2b(str(resolved).encode("utf-8", "surrogateescape"), digest_size=6).hexdigest()
    target = (root or project_root()) / DATASETS_DIR / f"{resolved.name}-{key}"
    ingest_dataset(resolved, target, workers=workers, progress=progress)
    return target


def _filters_key(date_from, date_to, sites, categories) -> str:
    return f"{date_from}|{date_to}|{sorted(as_list(sites))}|{sorted(as_list(categories))}"


#: environment: worker processes each notebook's passes over a dataset's parts may start (the
#: renderer sets it so that the notebooks running at once share the cores instead of each taking them all)
WORKERS_ENV = "ANALYSIS_REPORT_WORKERS"


def report_workers() -> int:
    """Worker processes the report's passes over a dataset's parts use: ``$ANALYSIS_REPORT_WORKERS``
    when set, else one a core, up to 2."""
    value = os.environ.get(WORKERS_ENV, "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(2, os.cpu_count() or 1))


def _run_part_jobs(func, jobs: list[tuple[str, str]], *, workers: int | None = None, progress: bool | None = None,
                   desc: str = "parts") -> None:
    """``func(source, target)`` for each job, in ``workers`` processes (default :func:`report_workers`)."""
    if not jobs:
        return
    from analysis._core.progress import progress_bar

    workers = max(1, min(workers or report_workers(), len(jobs)))
    show = progress if progress is not None else len(jobs) >= 5
    bar = progress_bar(total=len(jobs), desc=desc, unit="part", show=show)
    # spawn: the workers end with the pool (a forkserver would stay, holding its memory, for the whole
    # report); None where this process may not start workers (then this process does the parts)
    pool = worker_pool(workers, text=False) if workers > 1 else None
    if pool is None:
        for job in jobs:
            func(*job)
            bar.update()
    else:
        from concurrent.futures import as_completed

        with pool:
            for future in as_completed([pool.submit(func, *job) for job in jobs]):
                future.result()
                bar.update()
    bar.close()


def _normalise_part(source: str, target: str, filters: dict) -> int:
    """Read one dataset part, normalise its text, keep the selected articles, write it to ``target``."""
    import pyarrow as pa

    from analysis.corpus import normalize_articles
    from analysis.scale.dataset import arrow_schema, read_part, write_atomic

    chunk = read_part(source, None, None)
    if len(chunk):
        chunk = normalize_articles(chunk, workers=1, progress=False)
        if any(filters.values()):
            chunk = select_articles(chunk, **filters)
    table = pa.Table.from_pandas(chunk.reset_index(drop=True), schema=arrow_schema(), preserve_index=False)
    write_atomic(table, Path(target))
    return len(chunk)


def report_dataset(dataset, *, date_from: str = "", date_to: str = "", sites: Sequence[str] | str = (),
                   categories: Sequence[str] | str = (), folder: Path | None = None, workers: int | None = None,
                   progress: bool | None = None) -> Path:
    """A dataset folder holding ``dataset``'s articles normalised (as the in-memory report reads them)
    and filtered as :func:`analysis.report.notebook.select_articles` does, one part for each part of the source.

    Cached under ``folder`` (default: the cache root) as ``dataset-<key>/``, the key made of the
    source's location, the filters and the loader's code; each part is named by its source part's
    name, size and modification time, so a part re-ingested is normalised again and the others are
    reused. Parts are normalised in ``workers`` processes (default: up to 2).
    """
    from analysis.scale.dataset import derived_files

    source = Path(dataset).resolve()
    filters = {"date_from": date_from, "date_to": date_to, "sites": sites, "categories": categories}
    key = hashlib.blake2b(f"{source}|{_filters_key(**filters)}|{package_fingerprint()}".encode(),
                          digest_size=8).hexdigest()
    out = (Path(folder) if folder is not None else cache_root()) / f"dataset-{key}"
    jobs = [(str(part), str(target)) for part, target in derived_files(source, out / "articles", ".parquet")
            if not target.is_file()]
    _run_part_jobs(partial(_normalise_part, filters=filters), jobs, workers=workers, progress=progress,
                   desc="normalising dataset")
    (out / "SOURCE").write_text(f"{source}\n", encoding="utf-8")
    return out


# --------------------------------------------------------------------------------- the corpus


def _compact(chunk: pd.DataFrame) -> pd.DataFrame:
    return chunk[list(META_COLUMNS)].assign(n_words=chunk["n_words"].astype("int32"))


def _categorise(table: pd.DataFrame) -> pd.DataFrame:
    return table.astype({c: "category" for c in _CATEGORICAL if c in table.columns})


def _restore(table: pd.DataFrame) -> pd.DataFrame:
    """The compact table with the dtypes of an articles table (analysis functions see no difference)."""
    from analysis.corpus.schema import ARTICLE_COLUMNS

    return table.astype({c: ARTICLE_COLUMNS[c] for c in _CATEGORICAL if c in table.columns})


def _concat_compact(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)] or parts[:1]
    if len(parts) == 1:
        return parts[0]
    from pandas.api.types import union_categoricals

    out = {}
    for column in parts[0].columns:
        if column in _CATEGORICAL:
            out[column] = pd.Series(union_categoricals([p[column] for p in parts], ignore_order=True))
        else:
            out[column] = pd.concat([p[column] for p in parts], ignore_index=True)
    return pd.DataFrame(out)


@dataclass
class ReportCorpus:
    """The articles of a report and what its pages compute from them.

    ``articles``: the whole table (in memory) or the compact metadata table (dataset: no body or
    lead); ``rejects``: inputs not loaded; ``dataset``: the normalised dataset folder, or ``None``
    when the corpus is in memory. Methods return the tables the pages show.
    """

    articles: pd.DataFrame
    rejects: pd.DataFrame
    dataset: Path | None = None
    _sample: pd.DataFrame | None = field(default=None, repr=False)
    _mentions: pd.DataFrame | None = field(default=None, repr=False)
    _entities: dict | None = field(default=None, repr=False)

    @property
    def n_articles(self) -> int:
        return len(self.articles)

    @property
    def in_memory(self) -> bool:
        return self.dataset is None

    # -- what needs the text

    def sample(self, n: int | None = None, *, random_state: int = SAMPLE_SEED) -> pd.DataFrame:
        """Whole articles (text included) for the models that need them in memory: all of them in
        memory; from a dataset, all when there are at most ``n`` (default :func:`sample_size`), else a
        uniform, seeded sample of ``n`` (``attrs["sample_of"]`` = the number sampled from)."""
        if self.in_memory:
            return self.articles
        if self.n_articles == 0:
            from analysis.corpus.schema import empty_articles

            return empty_articles()
        n = n or sample_size()
        if self._sample is not None and len(self._sample) == min(n, self.n_articles):
            return self._sample
        from analysis.scale import engine
        from analysis.corpus.schema import NORMALIZED

        if self.n_articles <= n:
            table = engine.run(engine.rows(lambda chunk: chunk, name="articles"), self.dataset, progress=False)
        else:
            table = engine.sample_articles(self.dataset, n, random_state=random_state)
            table.attrs["sample_of"] = self.n_articles
            table.attrs["sample_seed"] = random_state
        table.attrs[NORMALIZED] = True
        table = table.drop(columns="content_hash", errors="ignore").reset_index(drop=True)
        self._sample = table
        return table

    def copies(self) -> pd.DataFrame:
        """``republication.find_republications`` of all the articles (from a dataset: in two passes by parts)."""
        if self.in_memory:
            from analysis.patterns.republication import find_republications

            return find_republications(self.articles, progress=False)
        from analysis.scale import engine

        if self.articles.empty:
            from analysis.patterns.republication import find_republications

            return find_republications(self.sample(), progress=False)
        return engine.find_republications(self.dataset, progress=False)

    def occasion_summary(self, **params) -> pd.DataFrame:
        """``patterns.occasion_summary`` of all the articles; from a dataset the volumes come from the
        compact table and the terms are counted part by part over the same text columns."""
        from analysis.patterns import publishing as patterns

        if self.in_memory or self.articles.empty:
            return patterns.occasion_summary(self.articles if self.in_memory else self.sample(), **params)
        text_columns = tuple(params.pop("text_columns", ("title", "lead")))
        n_terms, min_ratio = params.get("n_terms", 10), params.get("min_ratio", 2.0)
        table = patterns.occasion_summary(self.articles, text_columns=(), **params)  # volumes; terms below
        if table.empty:
            return table
        from analysis.scale import engine

        spans = tuple(zip(table["start"], table["end"]))
        counted = engine.run(engine.Reduction(
            map=partial(_occasion_terms_map, spans=spans, text_columns=text_columns),
            combine=_occasion_terms_combine, columns=("published", *text_columns), name="occasion terms"),
            self.dataset, progress=False)
        corpus_df, n_docs, local = counted
        table["top_terms"] = [
            distinctive_terms(_DocTerms(local[i]), corpus_df, n_docs, n_terms, min_ratio)
            for i in range(len(spans))]
        return table

    # -- topics: the model fitted on the sample, applied to every article

    def topic_prevalence(self, model, articles: pd.DataFrame | None = None, by: str | Sequence[str] = "month",
                         *, tokens: dict | None = None, calendar: str = "jalali"):
        """``topics.topic_prevalence(model, articles, by)`` over all the articles: in memory on
        ``articles`` (default: the whole table; give the one the page tokenised); from a dataset the
        fitted ``model`` is applied part by part (``engine.topic_prevalence_reduction``), each part
        tokenised with ``add_tokens(**tokens)`` as the page tokenised its sample. ``by``: one grouping
        (its table) or several (a dict of tables by grouping; each part tokenised once)."""
        from analysis.topics import topic_prevalence

        groups = (by,) if isinstance(by, str) else tuple(by)
        if self.in_memory or self.articles.empty:
            frame = articles if articles is not None else self.sample()
            tables = {g: topic_prevalence(model, frame, by=g, calendar=calendar) for g in groups}
        else:
            from dataclasses import replace

            from analysis.scale import engine

            reduction = engine.topic_prevalence_reduction(model, by=groups, calendar=calendar)
            reduction = replace(reduction, map=partial(_tokenised_map, inner=reduction.map,
                                                       options={"normalize": False, **(tokens or {})}))
            tables = engine.run(reduction, self.dataset, progress=False, workers=report_workers())
        return tables[groups[0]] if isinstance(by, str) else tables

    # -- entities: recognised part by part, counted over all the articles

    def mentions(self) -> pd.DataFrame:
        """The entities table (``entities.entities``) of :meth:`sample`: in memory, of all the articles;
        from a dataset, the sample's mentions, with spellings and types decided over all the articles
        (the networks and quotes of the entities page read it)."""
        if self._mentions is not None:
            return self._mentions
        from analysis.entities import tables as ent

        if self.in_memory or self.articles.empty:
            self._mentions = ent.entities(self.sample())
            return self._mentions
        counted = self._entity_tables()
        wanted = sorted(set(self.sample()["doc_id"].astype(str)))
        parts = [pd.read_parquet(target, filters=[("doc_id", "in", wanted)]) for _, target in self._mention_parts()]
        found = pd.concat([m for m in parts if len(m)] or [ent.empty_entities()], ignore_index=True)
        self._mentions = ent.consistent_spellings(found, counted["stats"]) if len(found) else ent.empty_entities()
        return self._mentions

    def entity_counts(self, by: str | None = None, types=None, *, sources: bool = False) -> pd.DataFrame:
        """``entities.entity_counts`` over all the articles (articles naming each entity and its
        mentions; ``by``: None, ``"site"`` or ``"month"``), mentions of ``role = "source"`` left out;
        ``sources=True``: only those (``entities.source_mentions``, by None). From a dataset the
        counts of each part are added up (:meth:`_entity_tables`)."""
        if sources and by is not None:
            raise ValueError("the sources are counted over all the articles only (by=None)")
        if by not in (None, *ENTITY_GROUPS):
            raise ValueError(f"by must be None or one of {ENTITY_GROUPS}, not {by!r}")
        from analysis.entities import tables as ent

        if self.in_memory or self.articles.empty:
            mentions = self.mentions()
            if sources:
                return ent.entity_counts(ent.source_mentions(mentions), include_sources=True, types=types)
            return ent.entity_counts(mentions, self.sample() if by else None, by=by, types=types)
        table = self._entity_tables()["sources" if sources else (by or "content")]
        return table if types is None else table[table["type"].isin(list(types))].reset_index(drop=True)

    def top_entities(self, n: int = 10, by: str | None = None, types=None, *, sources: bool = False) -> pd.DataFrame:
        """``entities.top_entities`` over all the articles (``sources=True``: of the source mentions,
        as ``top_entities(source_mentions(...), include_sources=True)``)."""
        from analysis.entities import tables as ent

        return ent.rank_entities(self.entity_counts(by, types, sources=sources), by=by, n=n)

    def entity_timeline(self, n: int = 5, types=None, calendar: str = "jalali") -> pd.DataFrame:
        """``entities.entity_timeline(mentions, articles, n=n, types=types)`` over all the articles."""
        from analysis.entities import tables as ent

        if self.in_memory or self.articles.empty:
            return ent.entity_timeline(self.mentions(), self.sample(), n=n, types=types, calendar=calendar)
        if calendar != "jalali":
            raise ValueError("from a dataset the timeline is counted by Jalali month")
        names = set(self.top_entities(n=n, types=types)["canonical"])
        table = self.entity_counts("month", types)
        table = table[table["canonical"].isin(names) & (table["month"] != "")].reset_index(drop=True)
        return ent.timeline_grid(table, self.articles, calendar)

    def entity_numbers(self) -> dict[str, int]:
        """Mentions (all, sources included) and distinct entities (canonical form and type) of all the articles."""
        if self.in_memory or self.articles.empty:
            mentions = self.mentions()
            return {"mentions": len(mentions), "entities": mentions[["canonical", "type"]].drop_duplicates().shape[0]}
        table = self._entity_tables()["all"]
        return {"mentions": int(table["mentions"].sum()), "entities": len(table)}

    def _mention_parts(self, progress: bool | None = False) -> list[tuple[Path, Path]]:
        """(article part, its mentions file) of each part of the dataset: each article's mentions
        (``entities.article_mentions``), found in :func:`report_workers` processes once a part and kept
        beside the dataset under ``entities/`` (named by the part's name, size and modification time)."""
        from analysis.scale.dataset import derived_files

        pairs = derived_files(self.dataset, self.dataset / "entities", ".parquet")
        jobs = [(str(part), str(target)) for part, target in pairs if not target.is_file()]
        _run_part_jobs(_mention_part, jobs, progress=progress, desc="entities")
        return pairs

    def _entity_tables(self) -> dict:
        """From a dataset: the counts the entities page shows, added up over the parts. Three passes,
        each holding one part's mentions at a time: mentions found (:meth:`_mention_parts`); the
        spelling and type statistics summed (``entities.spelling_stats``); each part's mentions made
        consistent with them and counted (``entities.entity_counts``: all mentions, content mentions
        overall, by site and by month, source mentions), the counts summed."""
        if self._entities is not None:
            return self._entities
        from analysis.entities import tables as ent
        from analysis.scale.dataset import read_part

        pairs = self._mention_parts()
        stats: list = []
        for _, target in pairs:
            mentions = pd.read_parquet(target)
            if len(mentions):
                stats.append(ent.spelling_stats(mentions))
                if len(stats) >= 8:
                    stats = [ent.combine_spelling_stats(stats)]
        combined = ent.combine_spelling_stats(stats) if stats else None
        keys = {"all": [], "content": [], "sources": [], "site": ["site"], "month": ["month"]}
        tables: dict[str, list] = {name: [] for name in keys}
        for part, target in pairs:
            mentions = pd.read_parquet(target)
            if mentions.empty:
                continue
            mentions = ent.consistent_spellings(mentions, combined)
            frame = read_part(str(part), ["doc_id", "site", "published_jalali"], None)
            counted = {"all": ent.entity_counts(mentions, include_sources=True),
                       "content": ent.entity_counts(mentions),
                       "sources": ent.entity_counts(ent.source_mentions(mentions), include_sources=True),
                       "site": ent.entity_counts(mentions, frame, by="site"),
                       "month": ent.entity_counts(mentions, frame, by="month")}
            for name, table in counted.items():
                tables[name].append(table)
                if len(tables[name]) >= 8:
                    tables[name] = [_sum_entity_counts(tables[name], keys[name])]
        empty = ent.entity_counts(ent.empty_entities())
        self._entities = {name: _sum_entity_counts(tables[name], keys[name]) if tables[name]
                          else empty.assign(**{k: pd.Series(dtype="string") for k in keys[name]})[
                              [*keys[name], *empty.columns]]
                          for name in keys}
        self._entities["stats"] = combined
        return self._entities


#: groupings of the entity counts the report computes from a dataset
ENTITY_GROUPS = ("site", "month")


def _tokenised_map(chunk: pd.DataFrame, inner, options: dict):
    """``inner`` on the chunk with a ``tokens`` column made by ``add_tokens(**options)``."""
    from analysis.text import add_tokens

    return inner(add_tokens(chunk, cache=False, progress=False, **options))


def _mention_part(source: str, target: str) -> int:
    """Each article's mentions of one dataset part (``entities.article_mentions``), written to ``target``."""
    import pyarrow as pa

    from analysis.entities.tables import article_mentions, empty_entities
    from analysis.scale.dataset import read_part, write_atomic

    chunk = read_part(source, ["doc_id", "body"], None)
    mentions = article_mentions(chunk) if len(chunk) else empty_entities()
    write_atomic(pa.Table.from_pandas(mentions.reset_index(drop=True), preserve_index=False), Path(target))
    return len(mentions)


def _sum_entity_counts(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Entity counts of parts added up (an article is in one part), sorted as ``entity_counts`` sorts."""
    table = pd.concat(parts, ignore_index=True)
    if len(parts) == 1:
        return table
    return table.groupby([*keys, "canonical", "type"], sort=True)[["articles", "mentions"]].sum().reset_index()


class _DocTerms(list):
    """What ``patterns.publishing.distinctive_terms`` reads from a list of documents' term sets, from counts:
    ``len`` (documents) and the document frequency of each term."""

    def __init__(self, counted: tuple[Counter, int]):
        super().__init__()
        self.counts, self.n = counted

    def __len__(self) -> int:
        return self.n

    def __bool__(self) -> bool:
        return self.n > 0

    def __iter__(self):  # the term once for each document holding it, as Counter(t for d in docs for t in d) counts
        for term, count in self.counts.items():
            yield (term,) * count


def _occasion_terms_map(chunk: pd.DataFrame, spans, text_columns):
    dated = chunk[chunk["published"].notna()]
    docs = document_terms(dated, text_columns)
    days = dated["published"].dt.normalize().to_numpy()
    local = []
    for start, end in spans:
        inside = np.flatnonzero((days >= np.datetime64(start)) & (days <= np.datetime64(end)))
        local.append((Counter(t for i in inside for t in docs[i]), len(inside)))
    return Counter(t for terms in docs for t in terms), len(docs), local


def _occasion_terms_combine(parts):
    corpus_df, n_docs, local = Counter(), 0, None
    for part_df, part_n, part_local in parts:
        corpus_df.update(part_df)
        n_docs += part_n
        if local is None:
            local = [(Counter(c), n) for c, n in part_local]
        else:
            for (counter, _), (c, n) in zip(local, part_local):
                counter.update(c)
            local = [(counter, total + n) for (counter, total), (_, n) in zip(local, part_local)]
    return corpus_df, n_docs, local


def open_corpus(corpus="", *, date_from: str = "", date_to: str = "", sites: Sequence[str] | str = (),
                categories: Sequence[str] | str = ()) -> ReportCorpus:
    """The report's corpus: ``corpus`` (``""``: the demo corpus) filtered as
    :func:`analysis.report.notebook.select_articles` does; a dataset folder is read by parts (see the module)."""
    filters = {"date_from": date_from, "date_to": date_to, "sites": sites, "categories": categories}
    if corpus and not isinstance(corpus, list | tuple) and is_dataset(corpus):
        from analysis.scale import engine
        from analysis.scale.dataset import read_rejects

        folder = report_dataset(corpus, **filters, progress=False)
        meta = engine.run(engine.Reduction(map=lambda c: _categorise(_compact(c)), combine=_concat_compact,
                                           columns=META_COLUMNS, name="metadata"), folder, progress=False)
        from analysis.scale.dataset import empty_frame

        meta = _restore(meta) if len(meta) else empty_frame(META_COLUMNS)
        return ReportCorpus(meta.reset_index(drop=True), read_rejects(corpus), dataset=folder)
    articles, rejects = load_for_notebook(corpus, **filters)
    return ReportCorpus(articles, rejects)


def load_sample(corpus="", **filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, rejects)`` for the pages that need the text in memory: the whole corpus, or from a
    dataset a bounded, seeded sample (:meth:`ReportCorpus.sample`)."""
    source = open_corpus(corpus, **filters)
    return source.sample(), source.rejects


# ------------------------------------------------------------------- why a table is empty

#: days of publishing a group needs before its days can be compared with the same weekday around them
MIN_BURST_DAYS = 15


def no_bursts_reason(articles: pd.DataFrame, by: str | None = "site", threshold: float = 3.5) -> str:
    """One Persian line saying why ``patterns.bursts(articles, by)`` finds nothing: no dated article,
    too few days per group for a baseline, or no day far enough from its baseline."""
    dated = articles.loc[articles["published"].notna()]
    if dated.empty:
        return "هیچ خبرِ تاریخ‌داری نیست، پس جهش یا سکوتی هم نمی‌توان یافت."
    days = dated["published"].dt.normalize()
    groups = days.groupby(dated[by].astype("string").fillna("")) if by else days.groupby(lambda _: "all")
    span = int(max((g.max() - g.min()).days + 1 for _, g in groups))
    if span < MIN_BURST_DAYS:
        return (f"روزهای انتشار هر پایگاه برای یافتن جهش کم است: بلندترین بازه {persian_number(span)} روز است و "
                f"مبنای هر روز، همان روزِ هفته در هفته‌های پیش و پس از آن، دست‌کم {persian_number(MIN_BURST_DAYS)} "
                "روز لازم دارد.")
    return (f"هیچ روزی از روال همیشگی پایگاهش بیرون نزده است (امتیاز هیچ روزی به {persian_number(threshold)} یا "
            f"{persian_number(-threshold)} نرسید).")


def no_occasions_reason(articles: pd.DataFrame) -> str:
    """One Persian line saying why ``patterns.occasion_summary(articles)`` has no row."""
    from analysis.corpus.dates import to_jalali

    dated = articles["published"].dropna()
    if dated.empty:
        return "هیچ خبرِ تاریخ‌داری نیست، پس مناسبتی هم نمی‌توان سنجید."
    first, last = (persian_number(to_jalali(d)) for d in (dated.min(), dated.max()))
    return f"هیچ مناسبتی از تقویم پروژه به تمامی در بازهٔ تاریخ خبرها ({first} تا {last}) نمی‌افتد."


# ------------------------------------------------------------------------------------ notes


def sample_note(articles_or_corpus, sample: pd.DataFrame | None = None, *, whole: str = "", sampled: str = "") -> str:
    """One Persian sentence saying what a page's figures are computed from ('' for a corpus in memory).

    A :class:`ReportCorpus` from a dataset alone: every figure covers all the articles. With the
    ``sample`` the page also reads (:meth:`ReportCorpus.sample`), ``whole`` and ``sampled`` name the
    figures that cover all the articles and those from the sample; when the sample holds every
    article, the note says everything covers all of them. An articles table alone: from a sample
    (``attrs["sample_of"]``), every figure is."""
    if isinstance(articles_or_corpus, ReportCorpus):
        if articles_or_corpus.in_memory:
            return ""
        n = persian_number(articles_or_corpus.n_articles)
        if sample is not None and "sample_of" in sample.attrs and (whole or sampled):
            seed = persian_number(sample.attrs.get("sample_seed", SAMPLE_SEED))
            return (f"این صفحه از مجموعه‌دادهٔ پارکت ساخته شده است. {whole or 'هیچ شماری'} از همهٔ {n} خبر، بخش به بخش، "
                    f"به دست آمده‌اند؛ {sampled or 'هیچ شماری'} از نمونه‌ای تصادفی از {persian_number(len(sample))} خبر "
                    f"(از {n} خبر؛ بذر {seed})، نه از همهٔ خبرها.")
        return (f"این صفحه از مجموعه‌دادهٔ پارکت ساخته شده است: همهٔ شمارش‌ها، جدول‌ها و نمودارهای آن از همهٔ "
                f"{n} خبر، بخش به بخش، به دست آمده‌اند و هیچ‌کدام از نمونه نیست.")
    attrs = getattr(articles_or_corpus, "attrs", {})
    if "sample_of" not in attrs:
        return ""
    return (f"این صفحه از مجموعه‌دادهٔ پارکت ساخته شده است و همهٔ شمارش‌ها، جدول‌ها، مدل‌ها و نمودارهای آن از "
            f"نمونه‌ای تصادفی از {persian_number(len(articles_or_corpus))} خبر (از {persian_number(attrs['sample_of'])} "
            f"خبر؛ بذر {persian_number(attrs.get('sample_seed', SAMPLE_SEED))}) به دست آمده‌اند، نه از همهٔ خبرها.")


def source_note(articles_or_corpus, sample: pd.DataFrame | None = None, *, whole: str = "", sampled: str = ""):
    """:func:`sample_note` as a highlighted paragraph for the page (nothing shown when it is '')."""
    text = sample_note(articles_or_corpus, sample, whole=whole, sampled=sampled)
    if not text:
        return HTMLFragment("", "")
    return HTMLFragment(f'<p class="source-note" dir="rtl">{html.escape(text)}</p>', text)


__all__ = [
    "ReportCorpus",
    "dataset_for_source",
    "is_dataset",
    "load_sample",
    "no_bursts_reason",
    "no_occasions_reason",
    "open_corpus",
    "report_dataset",
    "report_workers",
    "sample_note",
    "sample_size",
    "source_note",
]


def load_for_notebook(
    corpus="",
    *,
    date_from: str = "",
    date_to: str = "",
    sites: Sequence[str] | str = (),
    categories: Sequence[str] | str = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, rejects)`` for a notebook: the cached corpus (``""`` = the demo corpus), filtered
    by :func:`select_articles`. The rejects table is the whole corpus's (filters do not apply).

    A dataset folder (from ``ingest-dataset``) gives its articles, normalised and filtered, when they
    are few, else a bounded, seeded sample of them (:func:`load_sample`;
    ``attrs["sample_of"]`` says how many were sampled from, :func:`source_note`
    says it on the page)."""
    if corpus and not isinstance(corpus, (list, tuple)) and is_dataset(corpus):
        return load_sample(corpus, date_from=date_from, date_to=date_to, sites=sites, categories=categories)
    articles, rejects = cached_corpus(corpus or default_corpus())
    selected = select_articles(articles, date_from=date_from, date_to=date_to, sites=sites, categories=categories)
    return selected.reset_index(drop=True), rejects
