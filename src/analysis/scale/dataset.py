"""A corpus as a partitioned Parquet dataset: streaming, parallel, resumable ingest in bounded memory.

``ingest_dataset(sources, out_dir)`` reads a corpus (anything ``load_corpus`` reads) chunk by chunk of
files across worker processes (or the workers of a Dask cluster) and writes one Parquet part per chunk,
so memory stays bounded by the chunk size whatever the size of the corpus. Each row is exactly the row
``load_corpus`` gives for the same article (the same parser, ``analysis.corpus.parse_file``), plus
``content_hash`` (BLAKE2b of the title and body as loaded, the key for per-article caches).

Layout of ``out_dir``::

    articles/<part>.parquet   the articles table, one part per chunk of input files
    manifest/<part>.parquet   one row per input file: key, path, size, mtime_ns, file_hash,
                              part, n_articles, n_rejects (written after its part: a part
                              without a manifest entry is an interrupted write and is removed)
    rejects/<part>.parquet    the rejects table (path, member, reason) of the chunk
    rejects.csv               all rejects, rewritten at the end of each run

Resumable: a second run skips every input file already ingested, known by its location key (the path
relative to the source, as in ``doc_id``) and its content: a file whose size and modification time are
unchanged is trusted, otherwise its BLAKE2b content hash decides (``verify=True`` hashes every file). A
changed file is parsed again and its old rows are dropped from their part. Files that are gone from the
sources stay in the dataset (the dataset only grows; delete ``out_dir`` to start afresh).

``duplicate_of`` is corpus-wide: after each run it is recomputed over the whole dataset (from the
``doc_id``, ``published`` and ``content_hash`` columns only, in ``load_corpus``'s order) and the few
parts whose values change are rewritten.

Reading: ``read_dataset(out_dir, columns=..., filters=...)`` gives the articles table (same dtypes as
``load_corpus``); ``iter_dataset`` yields it part by part; ``dask_articles`` gives a
``dask.dataframe`` with one partition a part; ``read_rejects`` gives the rejects table.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.loader import InputFile, check_input, collect_inputs, duplicate_of, parse_file, root_of
from analysis._core.exports import atomic_output, write_csv
from analysis._core.progress import progress_bar
from analysis.corpus.schema import ARTICLE_COLUMNS, REJECT_COLUMNS, column_from_arrow, empty_rejects
from analysis._core.lifeline import is_running, owner, watch_parent
from analysis._core.workers import worker_pool

#: input files a part holds by default (about 10-20 MB of text, a few tens of MB of memory per worker)
CHUNK_SIZE = 2000
#: extra column of the dataset: content hash of the title and body as loaded
HASH_COLUMN = "content_hash"
ARTICLES_DIR, MANIFEST_DIR, REJECTS_DIR = "articles", "manifest", "rejects"

MANIFEST_COLUMNS: dict[str, str] = {
    "key": "string",  # location of the file relative to its source (as in doc_id)
    "path": "string",
    "size": "int64",
    "mtime_ns": "int64",
    "file_hash": "string",  # BLAKE2b of the file's bytes
    "part": "string",  # part holding its articles ('' when it gave none)
    "n_articles": "int64",
    "n_rejects": "int64",
}


@dataclass
class IngestSummary:
    """What one ``ingest_dataset`` run did."""

    out_dir: Path
    n_inputs: int  # files found in the sources
    n_skipped: int  # unchanged files already in the dataset
    n_ingested: int  # files parsed in this run (new or changed)
    n_changed: int  # of those, files whose earlier rows were replaced
    n_articles: int  # articles parsed in this run
    n_rejects: int  # rejects found in this run
    n_parts_rewritten: int  # earlier parts rewritten (changed files, duplicate_of)
    total_articles: int  # articles in the dataset after the run
    seconds: float


# --------------------------------------------------------------------------- the arrow schema


def arrow_schema():
    """pyarrow schema of an articles part: ARTICLE_COLUMNS plus ``content_hash``."""
    import pyarrow as pa

    types = {"string": pa.string(), "object": pa.list_(pa.string()),
             "datetime64[ns]": pa.timestamp("ns"), "int64": pa.int64()}
    fields = [pa.field(name, types[dtype]) for name, dtype in ARTICLE_COLUMNS.items()]
    return pa.schema([*fields, pa.field(HASH_COLUMN, pa.string())])


def _records_table(records: list[dict]):
    import pyarrow as pa

    schema = arrow_schema()
    columns = {}
    for field in schema:
        source = "_hash" if field.name == HASH_COLUMN else field.name
        default = "" if field.name == "duplicate_of" else None
        columns[field.name] = pa.array([r.get(source, default) for r in records], type=field.type)
    return pa.table(columns, schema=schema)


def to_articles_frame(table) -> pd.DataFrame:
    """A pyarrow Table of dataset rows -> pandas, with the articles table's dtypes (lists as lists)."""
    frame = {name: column_from_arrow(table.column(name), ARTICLE_COLUMNS.get(name, "string"))
             for name in table.column_names}
    return pd.DataFrame(frame, index=pd.RangeIndex(table.num_rows))


# --------------------------------------------------------------------------- one chunk (in a worker)


def ingest_chunk(files: Sequence[tuple[str, str]], out_dir: str, part: str, errors: str = "collect") -> dict:
    """Parse a chunk of ``(path, key)`` files and write its part, rejects and manifest entry.

    Runs in a worker process (local pool or Dask worker); writes ``articles/<part>.parquet`` (when
    the chunk gave any article), ``rejects/<part>.parquet`` and, last, ``manifest/<part>.parquet``.
    Returns counts (``n_files``, ``n_articles``, ``n_rejects``).
    """
    import pyarrow as pa

    out = Path(out_dir)
    records: list[dict] = []
    rejects: list[dict] = []
    manifest: list[dict] = []
    for path, key in files:
        # only regular files are read here too (a FIFO never blocks, /dev/zero is never read), and none
        # over the loader's size limits: parse_file then records the input as a reject with its reason
        refusal, _ = check_input(path, root=root_of(path, key), max_bytes=None)
        try:
            if refusal is not None:
                raise OSError(refusal)
            data = Path(path).read_bytes()
            stat = os.stat(path)
        except OSError:  # unreadable: parse_file records it as a reject, as load_corpus does
            size, mtime, file_hash = -1, -1, ""
            result = parse_file(path, key=key, errors=errors, root=root_of(path, key))
        else:
            size, mtime, file_hash = stat.st_size, stat.st_mtime_ns, _bytes_hash(data)
            result = parse_file(data, name=path, key=key, errors=errors)
        records.extend(result.records)
        rejects.extend(result.rejects)
        manifest.append({"key": key, "path": path, "size": size, "mtime_ns": mtime, "file_hash": file_hash,
                         "part": part if result.records else "", "n_articles": len(result.records),
                         "n_rejects": len(result.rejects)})
    if records:
        write_atomic(_records_table(records), out / ARTICLES_DIR / f"{part}.parquet")
    rejects_frame = pd.DataFrame(rejects, columns=list(REJECT_COLUMNS)).astype(REJECT_COLUMNS)
    write_atomic(pa.Table.from_pandas(rejects_frame, preserve_index=False), out / REJECTS_DIR / f"{part}.parquet")
    manifest_frame = pd.DataFrame(manifest, columns=list(MANIFEST_COLUMNS)).astype(MANIFEST_COLUMNS)
    write_atomic(pa.Table.from_pandas(manifest_frame, preserve_index=False), out / MANIFEST_DIR / f"{part}.parquet")
    return {"n_files": len(files), "n_articles": len(records), "n_rejects": len(rejects)}


def _bytes_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_atomic(table, path: Path) -> None:
    """Write a pyarrow table as Parquet under a temporary name, renamed when complete (removed if
    the write fails, e.g. on a full disk)."""
    import pyarrow.parquet as pq

    with atomic_output(path) as partial:
        pq.write_table(table, partial, compression="zstd")


# --------------------------------------------------------------------------- the manifest


def read_manifest(out_dir) -> pd.DataFrame:
    """One row per ingested input file (see ``MANIFEST_COLUMNS``), plus ``entry`` (its manifest file)."""
    folder = Path(out_dir) / MANIFEST_DIR
    frames = []
    for entry in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        frame = pd.read_parquet(entry)
        frame["entry"] = entry.stem
        frames.append(frame)
    if not frames:
        frame = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in MANIFEST_COLUMNS.items()})
        frame["entry"] = pd.Series(dtype="string")
        return frame
    frame = pd.concat(frames, ignore_index=True).astype(MANIFEST_COLUMNS)
    frame["entry"] = frame["entry"].astype("string")
    return frame


def _remove_orphans(out: Path) -> None:
    """Remove what an interrupted run left: partial files, and parts/rejects without a manifest entry."""
    entries = {p.stem for p in (out / MANIFEST_DIR).glob("*.parquet")}
    for path in out.glob("*.partial"):  # rejects.csv being written
        path.unlink()
    for folder in (ARTICLES_DIR, REJECTS_DIR, MANIFEST_DIR):
        for path in (out / folder).glob("*.partial"):
            path.unlink()
        for path in (out / folder).glob("*.parquet"):
            if path.stem not in entries:
                path.unlink()


def _next_run(out: Path) -> int:
    runs = [int(p.stem.split("-")[0][1:]) for p in (out / MANIFEST_DIR).glob("r*-*.parquet")
            if p.stem.split("-")[0][1:].isdigit()]
    return max(runs, default=0) + 1


#: marker of a run whose corpus-wide pass (duplicate_of, rejects.csv) is not done yet
_UNFINISHED = ".ingest.unfinished"
#: a lock file this old that names no process (its writer was killed before it wrote) is stale
_EMPTY_LOCK_SECONDS = 30


class _lock:
    """One ingest at a time in a dataset folder: a lock file created exclusively (holding the PID and
    start time of its process), removed at the end. A lock whose process is gone (a killed or crashed
    run) is stale: it is taken over, with a one-line notice on stderr."""

    def __init__(self, out: Path):
        self.path = out / ".ingest.lock"
        self.token = ""

    def __enter__(self):
        pid, started = owner()
        self.token = f"{pid} {started:.3f}\n"
        for attempt in range(3):
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                holder = self._stale_holder()
                if holder is None or attempt == 2:
                    raise RuntimeError(f"{self.path} exists: another ingest (process {self._holder_text()}) is "
                                       "writing this dataset; wait for it to finish") from None
                print(f"ingest-dataset: {self.path}: taking over the stale lock of {holder}, which is no "
                      "longer running (a killed or crashed run)", file=sys.stderr)
                self.path.unlink(missing_ok=True)
                continue
            os.write(descriptor, self.token.encode())
            os.close(descriptor)
            return self
        raise AssertionError("unreachable")  # pragma: no cover

    def _holder_text(self) -> str:
        try:
            return self.path.read_text().split()[0]
        except (OSError, IndexError):
            return "unknown"

    def _stale_holder(self) -> str | None:
        """'process N' (or a description) when the lock's process no longer runs; None while it does."""
        try:
            text = self.path.read_text()
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return "a run that just ended"
        except OSError:
            return None
        fields = text.split()
        try:
            pid, started = int(fields[0]), float(fields[1]) if len(fields) > 1 else 0.0
        except (IndexError, ValueError):  # written by no one yet, or not by an ingest
            return "an unfinished lock file" if age > _EMPTY_LOCK_SECONDS else None
        if is_running(pid, started):
            return None
        return f"process {pid}"

    def __exit__(self, *exc):
        try:
            if self.path.read_text() != self.token:
                return  # taken over by another run meanwhile: not ours to remove
        except OSError:
            return
        self.path.unlink(missing_ok=True)


def _plan(inputs: list[InputFile], manifest: pd.DataFrame, verify: bool) -> tuple[list[InputFile], set[str]]:
    """Files to parse in this run, and the keys among them already ingested in an earlier version."""
    known = {key: (size, mtime, file_hash) for key, size, mtime, file_hash in
             zip(manifest["key"], manifest["size"], manifest["mtime_ns"], manifest["file_hash"])}
    todo: list[InputFile] = []
    changed: set[str] = set()
    for item in inputs:
        before = known.get(item.key)
        if before is None:
            todo.append(item)
            continue
        try:
            stat = os.stat(item.path)
        except OSError:
            todo.append(item)
            changed.add(item.key)
            continue
        size, mtime, file_hash = before
        if not verify and stat.st_size == size and stat.st_mtime_ns == mtime:
            continue
        try:
            same = stat.st_size == size and _bytes_hash(Path(item.path).read_bytes()) == file_hash
        except OSError:
            same = False
        if not same:
            todo.append(item)
            changed.add(item.key)
    return todo, changed


# --------------------------------------------------------------------------- running the chunks


def _run_chunks(jobs: list[tuple[list[tuple[str, str]], str]], out: Path, *, errors: str, workers: int,
                engine: str, scheduler, progress: bool | None) -> list[dict]:
    n_files = sum(len(files) for files, _ in jobs)
    show = progress if progress is not None else n_files >= 2000
    results: list[dict] = []
    with progress_bar(total=n_files, unit="file", desc="ingesting", file=sys.stderr, show=show) as bar:
        if engine == "dask":
            from distributed import Client, as_completed

            client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
            try:
                futures = [client.submit(ingest_chunk, files, str(out), part, errors, pure=False)
                           for files, part in jobs]
                for future in as_completed(futures):
                    result = future.result()
                    results.append(result)
                    bar.update(result["n_files"])
            finally:
                if client is not scheduler:
                    client.close()
            return results
        # spawned workers (no hazm lexicons: ingest does not normalise) that end with this process and
        # never import the caller's main module; None where this process may not start any
        pool = (worker_pool(workers, text=False, initializer=watch_parent, initargs=owner())
                if workers > 1 and len(jobs) > 1 else None)
        if pool is None:
            for files, part in jobs:
                results.append(ingest_chunk(files, str(out), part, errors))
                bar.update(len(files))
        else:
            with pool:
                pending = set()
                queue = iter(jobs)
                for files, part in queue:  # keep at most 2 chunks a worker in flight
                    pending.add(pool.submit(ingest_chunk, files, str(out), part, errors))
                    if len(pending) >= 2 * workers:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for future in done:
                            results.append(future.result())
                            bar.update(results[-1]["n_files"])
                for future in pending:
                    results.append(future.result())
                    bar.update(results[-1]["n_files"])
    return results


def ingest_dataset(sources, out_dir, *, workers: int | None = None, chunk_size: int = CHUNK_SIZE,
                   errors: str = "collect", verify: bool = False, engine: str = "processes",
                   scheduler=None, progress: bool | None = None) -> IngestSummary:
    """Ingest ``sources`` (files, folders, globs, archives; as ``load_corpus``) into the dataset ``out_dir``.

    ``workers``: local processes (default: all cores). ``chunk_size``: input files a part. ``engine``:
    ``"processes"`` (a local pool) or ``"dask"`` (the cluster at ``scheduler``, an address or a
    ``distributed.Client``; ``out_dir`` must then be on a file system all workers share).
    ``errors="raise"`` stops at the first bad input (``CorpusError``). ``verify=True`` compares every
    known file by content hash, not by size and modification time. Returns an ``IngestSummary``.
    """
    if errors not in ("collect", "raise"):
        raise ValueError(f"errors must be 'collect' or 'raise', not {errors!r}")
    if engine not in ("processes", "dask"):
        raise ValueError(f"engine must be 'processes' or 'dask', not {engine!r}")
    if engine == "dask" and scheduler is None:
        raise ValueError("engine='dask' needs scheduler= (a scheduler address or a distributed.Client)")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    started = time.perf_counter()
    out = Path(out_dir)
    inputs = collect_inputs(sources)  # a missing source fails before anything is written
    for folder in (ARTICLES_DIR, MANIFEST_DIR, REJECTS_DIR):
        (out / folder).mkdir(parents=True, exist_ok=True)
    with _lock(out):
        _remove_orphans(out)
        manifest = read_manifest(out)
        todo, changed = _plan(inputs, manifest, verify)
        run = _next_run(out)
        jobs = [([(f.path, f.key) for f in todo[i:i + chunk_size]], f"r{run:04d}-{i // chunk_size:06d}")
                for i in range(0, len(todo), chunk_size)]
        workers = max(1, int(workers if workers is not None else (os.cpu_count() or 1)))
        unfinished = out / _UNFINISHED
        if todo:  # until the corpus-wide pass is done, a rerun must do it even with nothing new
            unfinished.touch()
        results = _run_chunks(jobs, out, errors=errors, workers=workers, engine=engine, scheduler=scheduler,
                              progress=progress)
        rewritten = _drop_replaced(out, manifest, changed) if changed else set()
        if todo or unfinished.exists() or not (out / "rejects.csv").exists():  # corpus-wide columns may change
            rewritten |= _update_duplicates(out, inputs)
            _write_rejects_csv(out)
            unfinished.unlink(missing_ok=True)
    return IngestSummary(
        out_dir=out, n_inputs=len(inputs), n_skipped=len(inputs) - len(todo), n_ingested=len(todo),
        n_changed=len(changed), n_articles=sum(r["n_articles"] for r in results),
        n_rejects=sum(r["n_rejects"] for r in results), n_parts_rewritten=len(rewritten),
        total_articles=int(read_manifest(out)["n_articles"].sum()), seconds=time.perf_counter() - started)


# --------------------------------------------------------------------------- after the chunks


def _drop_replaced(out: Path, manifest: pd.DataFrame, changed: set[str]) -> set[str]:
    """Drop the earlier rows, rejects and manifest rows of re-ingested files; the parts rewritten."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    old = manifest[manifest["key"].isin(changed)]
    rewritten: set[str] = set()
    for entry in old["entry"].unique():
        entry_rows = manifest[manifest["entry"] == entry].reset_index(drop=True)
        stale = entry_rows["key"].isin(changed).to_numpy()
        part_file = out / ARTICLES_DIR / f"{entry}.parquet"
        if part_file.exists():
            table = pq.read_table(part_file)
            keep = np.repeat(~stale, entry_rows["n_articles"].to_numpy())
            table = table.filter(pa.array(keep))
            if table.num_rows:
                write_atomic(table, part_file)
            else:
                part_file.unlink()
        rejects_file = out / REJECTS_DIR / f"{entry}.parquet"
        if rejects_file.exists():
            rejects = pq.read_table(rejects_file)
            keep = np.repeat(~stale, entry_rows["n_rejects"].to_numpy())
            write_atomic(rejects.filter(pa.array(keep)), rejects_file)
        kept = entry_rows[~stale].drop(columns="entry").astype(MANIFEST_COLUMNS)
        write_atomic(pa.Table.from_pandas(kept, preserve_index=False), out / MANIFEST_DIR / f"{entry}.parquet")
        rewritten.add(str(entry))
    return rewritten


def _load_order(manifest: pd.DataFrame, inputs: list[InputFile]) -> pd.DataFrame:
    """Per article of the dataset, in part order: its part and its rank in load_corpus's order.

    Files are ranked in the order ``collect_inputs`` finds them in this run's sources (the order
    ``load_corpus`` reads them), files ingested earlier from other sources after them by key.
    """
    files = manifest[manifest["n_articles"] > 0].reset_index(drop=True)
    position = {item.key: i for i, item in enumerate(inputs)}
    keys = files["key"].tolist()
    by_rank = sorted(range(len(keys)), key=lambda i: (position.get(keys[i], len(position)), keys[i].split("/")))
    file_rank = np.empty(len(keys), dtype=np.int64)
    file_rank[by_rank] = np.arange(len(keys))
    parts = files["part"].to_numpy()
    counts = files["n_articles"].to_numpy()
    order = np.argsort(parts, kind="stable")  # part order = sorted part names, files in manifest order
    sizes = counts[order]
    within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return pd.DataFrame({"part": np.repeat(parts[order], counts[order]),
                         "rank": np.repeat(file_rank[order], counts[order]), "within": within})


def _update_duplicates(out: Path, inputs: list[InputFile]) -> set[str]:
    """Recompute doc_id uniqueness and duplicate_of over the dataset; rewrite the parts that change."""
    import pyarrow.parquet as pq

    from analysis.corpus.loader import unique_doc_ids

    manifest = read_manifest(out)
    order = _load_order(manifest, inputs)
    if order.empty:
        return set()
    columns = ["doc_id", "published", HASH_COLUMN, "duplicate_of"]
    index = pd.concat([pq.read_table(out / ARTICLES_DIR / f"{part}.parquet", columns=columns).to_pandas()
                       for part in sorted(order["part"].unique())], ignore_index=True)
    if len(index) != len(order):
        raise RuntimeError(f"{out}: the manifest lists {len(order)} articles but the parts hold {len(index)}; "
                           "delete the dataset folder and ingest again")
    index = pd.concat([index, order], axis=1)
    index["row"] = index.groupby("part").cumcount()
    ranked = index.sort_values(["rank", "within"], kind="stable")
    unique_ids = unique_doc_ids(ranked["doc_id"].astype("string").reset_index(drop=True))
    frame = pd.DataFrame({"doc_id": unique_ids.to_numpy(), "published": ranked["published"].to_numpy()})
    dup = duplicate_of(frame, ranked[HASH_COLUMN].tolist()).to_numpy()
    ranked = ranked.assign(new_doc_id=unique_ids.to_numpy(), new_duplicate_of=dup)
    changed_parts = ranked.loc[(ranked["new_doc_id"] != ranked["doc_id"].astype("string")) |
                               (ranked["new_duplicate_of"] != ranked["duplicate_of"].astype("string")), "part"]
    rewritten = set()
    for part in sorted(changed_parts.unique()):
        rows = ranked[ranked["part"] == part].sort_values("row")
        path = out / ARTICLES_DIR / f"{part}.parquet"
        table = pq.read_table(path)
        table = table.set_column(table.schema.get_field_index("doc_id"), "doc_id",
                                 _string_array(rows["new_doc_id"]))
        table = table.set_column(table.schema.get_field_index("duplicate_of"), "duplicate_of",
                                 _string_array(rows["new_duplicate_of"]))
        write_atomic(table, path)
        rewritten.add(part)
    return rewritten


def _string_array(values: pd.Series):
    import pyarrow as pa

    return pa.array(values.astype("string").fillna("").tolist(), type=pa.string())


def _write_rejects_csv(out: Path) -> None:
    write_csv(read_rejects(out), out / "rejects.csv")


# --------------------------------------------------------------------------- reading


def is_dataset(data) -> bool:
    """Whether ``data`` names a folder of article parts (``articles/*.parquet``) the engine reads part
    by part: one written by :func:`ingest_dataset`, or a copy of one such as the report's normalised
    dataset (``analysis.report.data.is_dataset`` asks for a whole ``ingest-dataset`` folder)."""
    return isinstance(data, str | os.PathLike) and (Path(data) / "articles").is_dir()


def part_files(out_dir) -> list[Path]:
    folder = Path(out_dir) / ARTICLES_DIR
    if not folder.is_dir():
        raise FileNotFoundError(f"{out_dir}: not an articles dataset (no {ARTICLES_DIR}/ folder); "
                                "write one with ingest_dataset or `python -m analysis ingest-dataset`")
    return sorted(folder.glob("*.parquet"))


def derived_files(out_dir, folder, suffix: str) -> list[tuple[Path, Path]]:
    """(part, file derived from it) for each part of the dataset ``out_dir``: the derived file lies in
    ``folder`` and is named by the part's name, size and modification time plus ``suffix``, so a part
    rewritten (re-ingested) gets a new name. Files of ``folder`` ending in ``suffix`` that no part names
    any more (derived from parts rewritten or gone) are deleted; ``folder`` is created if missing."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pairs = []
    for part in part_files(out_dir):
        stat = part.stat()
        pairs.append((part, folder / f"{part.stem}-{stat.st_size}-{stat.st_mtime_ns}{suffix}"))
    wanted = {target.name for _, target in pairs}
    for stale in folder.glob(f"*{suffix}"):
        if stale.name not in wanted:
            stale.unlink(missing_ok=True)
    return pairs


def _columns(columns: Sequence[str] | None) -> list[str] | None:
    if columns is None:
        return None
    known = [*ARTICLE_COLUMNS, HASH_COLUMN]
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise KeyError(f"the articles dataset has no column {unknown[0]!r} (it has {', '.join(known)})")
    return list(columns)


def read_dataset(out_dir, columns: Sequence[str] | None = None, filters=None) -> pd.DataFrame:
    """The articles table stored in a dataset (``content_hash`` included), dtypes as ``load_corpus``'s.

    ``columns``: only these columns (reads only them from disk). ``filters``: pyarrow filters, e.g.
    ``[("site", "==", "semnan")]`` or ``[("published", ">=", pd.Timestamp("2022-03-21"))]``.
    """
    import pyarrow.parquet as pq

    files = part_files(out_dir)
    if not files:
        frame = empty_frame(columns)
        return frame
    table = pq.read_table([str(f) for f in files], columns=_columns(columns), filters=filters,
                          schema=arrow_schema())
    return to_articles_frame(table)


def iter_dataset(out_dir, columns: Sequence[str] | None = None, filters=None) -> Iterator[pd.DataFrame]:
    """The articles table of a dataset part by part (each a DataFrame as ``read_dataset``'s)."""
    import pyarrow.parquet as pq

    wanted = _columns(columns)
    for path in part_files(out_dir):
        table = pq.read_table(path, columns=wanted, filters=filters, schema=arrow_schema())
        if table.num_rows:
            yield to_articles_frame(table)


def dataset_size(out_dir) -> int:
    """Number of articles in a dataset (from the Parquet footers, reading no data)."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(path).metadata.num_rows for path in part_files(out_dir))


def dask_articles(out_dir, columns: Sequence[str] | None = None, filters=None):
    """The articles table of a dataset as a ``dask.dataframe`` (one partition a part), list columns
    as Python lists and dtypes as ``read_dataset``'s."""
    import dask
    import dask.dataframe as dd

    files = part_files(out_dir)
    if not files:
        raise ValueError(f"{out_dir}: the dataset holds no articles yet")
    wanted = _columns(columns)
    meta = empty_frame(wanted)
    parts = [dask.delayed(read_part)(str(path), wanted, filters) for path in files]
    # keep list columns as lists: Dask would otherwise turn object columns into strings
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_delayed(parts, meta=meta, verify_meta=False)


def read_part(path: str, columns, filters) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return to_articles_frame(pq.read_table(path, columns=columns, filters=filters, schema=arrow_schema()))


def empty_frame(columns) -> pd.DataFrame:
    dtypes = {**ARTICLE_COLUMNS, HASH_COLUMN: "string"}
    names = list(columns) if columns is not None else list(dtypes)
    return pd.DataFrame({name: pd.Series(dtype=dtypes[name]) for name in names})


def read_rejects(out_dir) -> pd.DataFrame:
    """The rejects table of a dataset: every input that could not be loaded (path, member, reason)."""
    folder = Path(out_dir) / REJECTS_DIR
    frames = [pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))] if folder.is_dir() else []
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_rejects()
    return pd.concat(frames, ignore_index=True).astype(REJECT_COLUMNS)
