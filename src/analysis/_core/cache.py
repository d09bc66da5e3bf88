"""Content-hash caches on disk: results keyed by a hash of their input text, stored as Parquet.

A cache is a directory of Parquet shards (``part-*.parquet``, columns ``key`` and ``value``, the
value a list of strings). Every call that computes something new adds one shard; when there are
many shards they are merged into one. Shards are written to a temporary name and renamed, so a
crash never leaves a half-written shard, and the whole directory can be deleted at any time.

The default place is ``data/processed/cache/<kind>`` of the project (the nearest folder at or above
the working directory holding ``pyproject.toml``, else the working directory), or
``$ANALYSIS_CACHE_DIR/<kind>`` when that environment variable is set.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

CACHE_ENV = "ANALYSIS_CACHE_DIR"
#: the cache root, relative to the project root
DEFAULT_CACHE_ROOT = Path("data") / "processed" / "cache"
#: the project's demo corpus, relative to the project root (written by ``analysis.demo``, read when no corpus is given)
DEMO_CORPUS = Path("data") / "demo"
#: merge the shards of a cache directory into one when there are more than this many
MAX_SHARDS = 16


#: files of the package tree that do not shape results (build products, byte code)
_NOT_FINGERPRINTED = (".pyc", ".so", ".pyd", ".c")


@lru_cache(maxsize=8)
def package_fingerprint(root: Path | None = None) -> str:
    """A key for everything that shapes a result: the package's version and the bytes of every file
    of its tree under ``root`` (default: the installed ``analysis`` package), its code and its data
    files (word lists, gazetteers, the shipped models) alike. Caches keyed with it die with any
    change of code, model or data."""
    from analysis import __version__

    root = Path(root) if root is not None else Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in _NOT_FINGERPRINTED:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working folder) holding ``pyproject.toml``.

    Falls back to ``start`` itself, so a script run outside any project keeps its caches beside it.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return here


def cache_root() -> Path:
    """``$ANALYSIS_CACHE_DIR`` if set, else ``data/processed/cache`` of the project."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else project_root() / DEFAULT_CACHE_ROOT


def default_cache_dir(kind: str) -> Path:
    """The cache folder for one kind of result: ``cache_root() / kind``."""
    return cache_root() / kind


def text_key(text: str, salt: str = "") -> str:
    """Hex digest (32 characters) identifying ``text`` under ``salt`` (e.g. the options used)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(salt.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(text.encode("utf-8", errors="surrogatepass"))
    return digest.hexdigest()


class ListCache:
    """A directory of Parquet shards mapping a key to a list of strings.

    >>> cache = ListCache(tmp_dir)           # doctest: +SKIP
    >>> cache.put({"k1": ["a", "b"]})        # doctest: +SKIP
    >>> cache.get(["k1", "k2"])              # doctest: +SKIP
    {'k1': ['a', 'b']}
    """

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)

    def shards(self) -> list[Path]:
        """The shard files, oldest first."""
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("part-*.parquet"), key=lambda p: p.stat().st_mtime_ns)

    def get(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """The cached values of those ``keys`` that are cached (unreadable shards are skipped)."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        wanted = pa.array(list(dict.fromkeys(keys)), type=pa.string())
        found: dict[str, list[str]] = {}
        if len(wanted) == 0:
            return found
        for shard in self.shards():
            try:
                table = pq.read_table(shard, columns=["key", "value"])
            except (OSError, pa.ArrowException):
                continue  # a damaged or vanished shard is a cache miss, not an error
            table = table.filter(pc.is_in(table["key"], value_set=wanted))
            if table.num_rows:
                found.update(zip(table["key"].to_pylist(), table["value"].to_pylist(), strict=True))
        return found

    def put(self, items: Mapping[str, list[str]]) -> Path | None:
        """Store ``items`` as a new shard (merging shards when there are many); the shard's path.

        A cache that cannot be written (read-only disk, ...) is not an error: nothing is stored and
        ``None`` is returned.
        """
        if not items:
            return None
        import pyarrow as pa

        table = pa.table({
            "key": pa.array(list(items), type=pa.string()),
            "value": pa.array(list(items.values()), type=pa.list_(pa.string())),
        })
        try:
            path = self._write(table)
            if len(self.shards()) > MAX_SHARDS:
                self.compact()
        except OSError:
            return None
        return path

    def compact(self) -> None:
        """Merge all shards into one (later shards win for repeated keys)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        shards = self.shards()
        if len(shards) < 2:
            return
        merged: dict[str, list[str]] = {}
        readable = []
        for shard in shards:
            try:
                table = pq.read_table(shard, columns=["key", "value"])
            except (OSError, pa.ArrowException):
                continue
            merged.update(zip(table["key"].to_pylist(), table["value"].to_pylist(), strict=True))
            readable.append(shard)
        self._write(pa.table({
            "key": pa.array(list(merged), type=pa.string()),
            "value": pa.array(list(merged.values()), type=pa.list_(pa.string())),
        }))
        for shard in readable:
            shard.unlink(missing_ok=True)

    def clear(self) -> None:
        """Delete every shard."""
        for shard in self.shards():
            shard.unlink(missing_ok=True)

    def _write(self, table) -> Path:
        import pyarrow.parquet as pq

        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"part-{uuid.uuid4().hex}"
        temporary = self.directory / f".{name}.tmp"
        path = self.directory / f"{name}.parquet"
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, path)
        return path
