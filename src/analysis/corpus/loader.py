"""Load a corpus of Persian news into the articles table, losing nothing.

``load_corpus(source)`` -> DataFrame with the columns of ``analysis.corpus.schema.ARTICLE_COLUMNS``, one row
an article. ``source`` is a file, a directory (walked recursively, in sorted order, skipping hidden
files and folders, i.e. names starting with '.', such as the demo corpus's ``.ground_truth.jsonl``),
a glob pattern, or a list of these. Formats: see ``analysis.corpus.formats``.

Nothing is lost: every input (file, archive member, record) ends up either as a row of the articles
table or as a row of the rejects table (``path``, ``member``, ``reason``), so
``loaded + rejected == inputs seen``. ``load_corpus`` attaches the rejects to the table as
``df.attrs["rejects"]`` (a list of ``{"path", "member", "reason"}`` dicts — plain data, so the table
still concatenates and saves to Parquet; ``rejects_table(df)`` makes it a DataFrame);
``read_corpus`` returns both tables as a ``CorpusLoad``. ``errors="raise"`` stops at the first bad
input with a ``CorpusError`` naming it.

Row values:

- text is kept as published: decoded, line ends unified, each paragraph, the title, categories and
  tags stripped of edge whitespace and invisible marks (and spaces collapsed in the short fields);
  ``body`` is the paragraphs joined by blank lines, ``lead`` the first of them. Persian
  normalisation (``analysis.text.normalize``: Arabic letters, digits, ZWNJ, spacing) is the next
  stage, :func:`normalize_articles`; ``normalize=True`` does it while loading;
- ``doc_id``: 16 hex digits hashing the input's location relative to the source it was found under
  (file path relative to the directory or glob base, or the file name for a file given directly, plus
  archive member and record position) — the same on every run and machine, whatever the absolute path
  or load order; if two sources give the same relative location, the source folder's name is added;
- ``published`` / ``published_jalali`` / ``date_source``: from the record's date field ('record'),
  else the date line ('date line'), else the URL ('url', e.g. Fars news numbers), else NaT/''/'none';
- ``n_chars``: characters of ``body``; ``n_words``: words of ``body`` as ``wc -w`` counts them
  (runs of non-space characters; ZWNJ-joined parts are one word: ``می‌روند`` is one);
- ``duplicate_of``: for an article whose title and body are exactly those of another, the
  ``doc_id`` of the earliest of the group — earliest ``published`` (unknown dates last), ties broken
  by load order (sorted path, then member/record order); '' for the earliest itself and for unique ones.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from analysis.corpus.dates import date_from_url, parse_date_value
from analysis.corpus.encodings import UndecodableError, decode_text_counted
from analysis.corpus.formats import (
    MAX_ARCHIVE_DEPTH,
    INVISIBLE_CHARS,
    ArchiveBudget,
    InputError,
    RawArticle,
    format_of,
    iter_archive,
    iter_records,
    parse_article,
    record_article,
    strip_line,
    supported_suffixes,
)
from analysis._core.progress import progress_bar
from analysis.corpus.schema import (ARTICLE_COLUMNS, NORMALIZED, REJECT_COLUMNS, column_from_arrow, empty_articles,
                                    empty_rejects)
from analysis.corpus.urls import url_parts
from analysis._core.workers import worker_pool

if TYPE_CHECKING:
    import pandas as pd

#: inputs below this many files, or this many bytes, are parsed in the calling process: starting
#: workers (a second or so; a few more when they need hazm's lexicons) only pays on larger inputs
PARALLEL_MIN_FILES = 400
PARALLEL_MIN_BYTES = 16_000_000
#: show a progress bar (when ``progress=None``) from this many files on
PROGRESS_MIN_FILES = 2000
#: default ``max_bytes``: the largest article read (a file or archive member of one article, a JSON
#: Lines line, a CSV row)
MAX_BYTES = 50_000_000
#: default ``max_archive_bytes``: the largest file of records (read whole), and the decompressed bytes
#: one archive (with those inside it) may give
MAX_ARCHIVE_BYTES = 2_000_000_000

_HAS_TEXT = re.compile(r"\w")
_MEMBER_SEP = ":"
#: a character ``strip_line`` keeps: a text without one strips to ''
_VISIBLE = re.compile(f"[^{re.escape(INVISIBLE_CHARS)}]")


class CorpusError(ValueError):
    """A bad input met with ``errors="raise"``; the message names the file (and member/record)."""


class InputFile(NamedTuple):
    """A file to read: where it is, how to show it, and its stable location key for ``doc_id``."""

    path: str  # path as found (source joined with the relative part)
    key: str  # location relative to the source it was found under (posix separators)


@dataclass
class FileResult:
    """What one file gave: article rows (dicts of the table's columns) and reject rows."""

    records: list[dict]
    rejects: list[dict]


@dataclass
class CorpusLoad:
    """The articles table and the rejects table of one load."""

    articles: pd.DataFrame
    rejects: pd.DataFrame

    @property
    def n_inputs(self) -> int:
        """Inputs seen: loaded + rejected."""
        return len(self.articles) + len(self.rejects)

    @property
    def n_duplicates(self) -> int:
        return int((self.articles["duplicate_of"] != "").sum())


# --------------------------------------------------------------------------- finding the inputs


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


_ENTRY_NAME = attrgetter("name")  # a DirEntry's name, for sorting in C


def _walk(root: Path) -> list[InputFile]:
    """(path, key relative to root) of the non-hidden files under a directory, sorted by key."""
    return list(_files_under(os.fspath(root)))


def _files_under(folder: str, prefix: str = "") -> Iterator[InputFile]:
    """The non-hidden files under ``folder``, as ``InputFile`` items whose keys start with
    ``prefix``, in key order as ``key.split("/")`` compares (``2023/a.txt`` before
    ``2023-extra.txt``): a depth-first walk that lists each folder's entries in name order. Linked
    folders are not followed (as ``os.walk``) but listed, so that they are rejects; an unreadable
    folder gives nothing."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_ENTRY_NAME)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if _is_hidden(name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            yield from _files_under(entry.path, f"{prefix}{name}/")
        else:  # files, and what parse_file rejects by kind (links to folders, FIFOs, devices...)
            yield InputFile(entry.path, prefix + name)


def _glob_base(pattern: str) -> Path:
    parts = Path(pattern).parts
    base: list[str] = []
    for part in parts:
        if glob.has_magic(part):
            break
        base.append(part)
    return Path(*base) if base else Path(".")


def collect_inputs(source) -> list[InputFile]:
    """The files a source names, in load order; raises FileNotFoundError for a missing path/glob."""
    sources = [source] if isinstance(source, str | os.PathLike) else list(source)
    if not sources:
        raise FileNotFoundError("no corpus source given (an empty list)")
    if len(sources) == 1 and os.path.isdir(sources[0]):  # one folder: its keys are unique already
        return _walk(Path(sources[0]))
    found: list[tuple[str, Path, str]] = []  # (path, root, key)
    globbed = False
    for item in sources:
        text = os.fspath(item)
        path = Path(text)
        if path.is_dir():
            found.extend((p, path, key) for p, key in _walk(path))
        elif path.is_file() or (os.path.lexists(text) and not glob.has_magic(text)):
            # a FIFO, device or dangling link named directly: listed, and parse_file says what it is
            found.append((text, path.parent, path.name))
        elif glob.has_magic(text):
            globbed = True
            base = _glob_base(text)
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True))
            if not matches:
                raise FileNotFoundError(f"no files match the corpus pattern {text!r}")
            for match in matches:
                prefix = match.relative_to(base).as_posix()
                if match.is_dir():
                    found.extend((p, match, f"{prefix}/{key}") for p, key in _walk(match))
                elif not _is_hidden(match.name):
                    found.append((str(match), base, prefix))
        else:
            raise FileNotFoundError(f"corpus source not found: {text!r} (no such file or directory)")
    if len(sources) > 1 or globbed:  # the same file found twice (overlapping sources) is read once
        seen_paths: set[str] = set()
        unique_found = []
        for entry in found:
            resolved = os.path.realpath(entry[0])
            if resolved not in seen_paths:
                seen_paths.add(resolved)
                unique_found.append(entry)
        found = unique_found
    keys = [key for _, _, key in found]
    if len(set(keys)) == len(keys):  # the usual case: one source, or sources without a common file
        return [InputFile(path, key) for path, _, key in found]
    key_count: dict[str, int] = {}
    for key in keys:
        key_count[key] = key_count.get(key, 0) + 1
    inputs: list[InputFile] = []
    used: set[str] = set()
    for path, root, key in found:
        if key_count[key] > 1:  # same relative location under two sources: add the source's name
            key = f"{root.resolve().name}/{key}"
        unique, n = key, 1
        while unique in used:
            n += 1
            unique = f"{key}#{n}"
        used.add(unique)
        inputs.append(InputFile(path, unique))
    return inputs


# --------------------------------------------------------------------------- one file


def read_bytes(path, limit: int | None = None) -> bytes:
    """The bytes of a file: ``open(path, "rb").read()`` without the buffered file object (about three
    times faster for the few kilobytes of an article). ``limit``: read at most this many bytes and
    one more (so a caller sees the file was larger)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        left = limit + 1 if limit is not None else -1
        while left and (part := os.read(descriptor, 1 << 16 if left < 0 else min(left, 1 << 16))):
            parts.append(part)
            left = left - len(part) if left > 0 else left
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(descriptor)


_FILE_KINDS = ((stat.S_ISDIR, "folder"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
               (stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISSOCK, "socket"))


def _kind_of(mode: int) -> str:
    for test, kind in _FILE_KINDS:
        if test(mode):
            return kind
    return "special file"


@lru_cache(maxsize=64)
def _real_folder(root: str) -> str:
    return os.path.realpath(root)


def root_of(path: str, key: str) -> str:
    """The folder an input was found under: ``path`` without its location ``key`` (the file's own
    folder when the key is not the end of the path)."""
    relative = key.replace("/", os.sep)
    if key and path.endswith(relative) and (len(path) == len(relative) or path[-len(relative) - 1] in "/" + os.sep):
        return path[:-len(relative)].rstrip("/" + os.sep) or (os.sep if path.startswith(os.sep) else ".")
    return os.path.dirname(path) or "."


def check_input(path, *, root: str | None = None, follow_symlinks: bool = False,
                max_bytes: int | None = MAX_BYTES, archive: bool = False,
                parameter: str = "max_bytes") -> tuple[str | None, int]:
    """(reason it is not read or None, size in bytes) for a file about to be read, without opening it.

    Only regular files are read: devices, FIFOs, sockets and folders are rejects naming their kind
    (so a FIFO never blocks and ``/dev/zero`` is never read). A symbolic link that leads outside
    ``root`` (the folder given) is read only with ``follow_symlinks``; else the reason says where it
    points. A file over ``max_bytes`` is refused with its size, naming ``parameter`` (not for
    ``archive``, which is streamed, not read whole).
    """
    try:
        info = os.lstat(path)
    except OSError as error:
        return f"could not read the file ({error.strerror or error})", 0
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        if not follow_symlinks and root is not None:
            folder = _real_folder(os.fspath(root))
            inside = target == folder or target.startswith(folder.rstrip(os.sep) + os.sep)
            if not inside:
                return (f"symbolic link to {shown_path(target)}, outside the folder given "
                        f"({shown_path(os.fspath(root))}); not read (follow_symlinks=True reads it)"), 0
        try:
            info = os.stat(path)
        except OSError as error:
            return f"broken symbolic link (to {shown_path(target)}: {error.strerror or error}); not read", 0
    if not stat.S_ISREG(info.st_mode):
        return f"not a regular file: a {_kind_of(info.st_mode)}; not read", 0
    if max_bytes is not None and not archive and info.st_size > max_bytes:
        what = "one article" if parameter == "max_bytes" else "one file of records"
        return (f"file of {info.st_size:,} bytes, over the {max_bytes:,}-byte limit for {what} "
                f"({parameter}); not read"), info.st_size
    return None, info.st_size


def make_doc_id(key: str, member: str = "") -> str:
    """Stable id of an input location: 16 hex digits of BLAKE2b over ``key`` and ``member``."""
    text = f"{key}{_MEMBER_SEP}{member}" if member else key
    # surrogateescape: a file name that is not valid UTF-8 keeps its own bytes (``os.fsencode``)
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def shown_path(path: str) -> str:
    """A path as the tables show it: a file name that is not valid UTF-8 (undecodable bytes kept as
    surrogates by ``os.fsdecode``) gets U+FFFD for each bad byte, since no text column can hold them."""
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return path


@lru_cache(maxsize=1)
def _normalizer():
    from analysis.text import normalize

    return normalize


@lru_cache(maxsize=4096)
def _normalize_short(text: str) -> str:
    return strip_line(" ".join(_normalizer()(text).split()))


@lru_cache(maxsize=4096)
def _clean_short(text: str) -> str:
    return strip_line(" ".join(text.split()))


def _unique_labels(labels, clean) -> list[str]:
    """``labels`` through ``clean``, each once, in order, empty ones dropped."""
    return [label for label in dict.fromkeys(map(clean, labels)) if label]


def count_words(text: str) -> int:
    """Words in ``text`` as ``wc -w`` counts them: runs of non-space characters (so ZWNJ-joined parts
    are one word)."""
    return len(text.split())


def _count_body_words(body: str, n_paragraphs: int) -> int:
    """``count_words(body)`` for a body of ``n_paragraphs`` stripped, newline-free paragraphs joined
    by blank lines. When single spaces are its only whitespace (``isprintable`` once ZWNJ and the
    newlines are taken out: no other space, tab or control character), each paragraph has one word
    more than spaces, which is counted without splitting the text (about twice as fast)."""
    if "  " not in body and body.replace("\u200c", "").replace("\n", "").isprintable():
        return body.count(" ") + n_paragraphs if body else 0
    return count_words(body)


def _paragraphs(paragraphs: list[str], normalize: bool) -> list[str]:
    """The non-blank lines of ``paragraphs``, stripped (``strip_line``), after
    ``analysis.text.normalize`` when ``normalize``."""
    if not normalize:
        stripped = [p.strip(INVISIBLE_CHARS) for p in paragraphs]
        if "\n" not in "".join(stripped):
            return [p for p in stripped if p]
    text = "\n".join(paragraphs)
    if normalize:
        text = _normalizer()(text)
    return [p for p in map(strip_line, text.split("\n")) if p]


def _join_member(outer: str, inner: str) -> str:
    return f"{outer}{_MEMBER_SEP}{inner}" if outer and inner else outer or inner


def article_row(raw: RawArticle, *, path: str, key: str, member: str, encoding: str,
                normalize: bool = False, folder: str = "") -> dict:
    """A row of the articles table (without ``duplicate_of``) from raw fields, plus ``_hash``
    (``content_hash``) and ``_body_utf8``; InputError if no text.

    ``normalize``: run the text through ``analysis.text.normalize`` (else it is kept as published).
    ``folder``: the category of an article that has none (``categories_from="folder"``).
    """
    short = _normalize_short if normalize else _clean_short
    title = short(raw.title) if raw.title else ""
    # paragraphs lose edge whitespace and invisible marks (ZWNJ, LRM/RLM) whatever the input format
    paragraphs = raw.paragraphs if raw.clean and not normalize else _paragraphs(raw.paragraphs, normalize)
    if not _HAS_TEXT.search(title) and not any(_HAS_TEXT.search(p) for p in paragraphs):
        raise InputError("no text: no letter or digit in a title or paragraph (only blank lines, "
                         "invisible characters, punctuation, links or a date)")
    body = "\n\n".join(paragraphs)
    body_utf8 = body.encode("utf-8")
    url = raw.url.strip()
    domain, site, article_id = url_parts(url) if url else ("", "", "")
    parsed, date_source = None, "none"
    if raw.date is not None:
        parsed = parse_date_value(raw.date)
        date_source = raw.date_source if parsed else "none"
    if parsed is None and url:
        parsed = date_from_url(url, domain)
        date_source = "url" if parsed else "none"
    return {
        "doc_id": make_doc_id(key, member),
        "path": path,
        "member": member,
        "title": title,
        "lead": paragraphs[0] if paragraphs else "",
        "body": body,
        "categories": _unique_labels(raw.categories or ([folder] if folder else []), short),
        "tags": _unique_labels(raw.tags, short),
        "url": url,
        "domain": domain,
        "site": site,
        "article_id": article_id,
        "published": parsed.gregorian if parsed else None,
        "published_jalali": parsed.jalali if parsed else "",
        "date_source": date_source,
        "n_chars": len(body),
        "n_words": _count_body_words(body, len(paragraphs)),
        "encoding": encoding,
        "n_control_chars": raw.n_control_chars,
        "_hash": content_hash(title, body_utf8),
        "_body_utf8": body_utf8,  # encoded once, for the hash and for the Arrow buffers (``_parse_chunk``)
    }


def content_hash(title: str, body_utf8: bytes) -> str:
    """32 hex digits of BLAKE2b over the title, a unit separator and the body's UTF-8: the key that
    finds identical articles and per-article caches (``duplicate_of``, ``dataset``)."""
    digest = hashlib.blake2b(title.encode("utf-8"), digest_size=16)
    digest.update(b"\x1f")
    digest.update(body_utf8)
    return digest.hexdigest()


def parse_file(source, *, name: str | None = None, key: str | None = None,
               errors: str = "collect", normalize: bool = False, max_bytes: int | None = MAX_BYTES,
               max_archive_bytes: int | None = MAX_ARCHIVE_BYTES, follow_symlinks: bool = False,
               root: str | None = None, categories_from: str | None = None) -> FileResult:
    """Parse one file (a path, or its bytes with ``name``) into article rows and reject rows.

    Pure: reads nothing but the file, writes nothing. ``name`` is the path shown in the rows (default:
    the path given); ``key`` the location used for ``doc_id`` (default: the file name). With
    ``errors="raise"`` the first bad input raises ``CorpusError``. ``normalize``: as in
    :func:`article_row`. ``max_bytes``: the largest article (a file or archive member of one
    article, a JSON Lines line, a CSV row; larger ones are rejects naming their size, and archive
    members are read with this cap, never whole); ``max_archive_bytes``: the largest file of
    records, and the decompressed bytes one archive may give (archives on disk are streamed). ``follow_symlinks``: read
    a symbolic link that leads outside ``root`` (the folder the file was found under; default: from
    ``key``). ``categories_from="folder"``: an article without categories gets the name of the
    folder it is in (below ``root``). Only regular files are read (see :func:`check_input`).
    """
    if errors not in ("collect", "raise"):
        raise ValueError(f"errors must be 'collect' or 'raise', not {errors!r}")
    if categories_from not in (None, "folder"):
        raise ValueError(f"categories_from must be None or 'folder', not {categories_from!r}")
    read_error = None
    handle = None
    file_name = os.path.basename(name if name is not None else os.fspath(source))
    kind = format_of(file_name)
    # one article: max_bytes; a file of many (records, a web archive): max_archive_bytes (each page of
    # a WARC file is then bounded by corpus.web); an archive is streamed
    many = kind not in ("article", None) or (kind is None and file_name.lower().endswith((".warc", ".warc.gz")))
    limit, parameter = (max_archive_bytes, "max_archive_bytes") if many else (max_bytes, "max_bytes")
    if isinstance(source, (bytes, bytearray, memoryview)):
        if name is None:
            raise ValueError("parse_file(bytes) needs name= (its file name tells the format)")
        data: bytes | None = bytes(source)
        if limit is not None and len(data) > limit and kind not in ("zip", "tar"):
            what = "one article" if parameter == "max_bytes" else "one file of records"
            data, read_error = None, (f"file of {len(source):,} bytes, over the {limit:,}-byte limit "
                                      f"for {what} ({parameter}); not read")
    else:
        path = os.fspath(source)
        name = path if name is None else name
        if root is None:
            root = root_of(path, key) if key is not None else os.path.dirname(path) or "."
        read_error, size = check_input(path, root=root, follow_symlinks=follow_symlinks, max_bytes=limit,
                                       archive=kind in ("zip", "tar"), parameter=parameter)
        data = None
        if read_error is None:
            try:
                if kind in ("zip", "tar") and max_bytes is not None and size > max_bytes:
                    handle = open(path, "rb")  # noqa: SIM115 (a large archive is streamed; closed below)
                elif kind in ("zip", "tar"):
                    data = read_bytes(path)
                else:
                    data = read_bytes(path, limit)
                    if limit is not None and len(data) > limit:
                        data, read_error = None, (f"file of more than {limit:,} bytes (it grew while "
                                                  f"read), over the limit ({parameter}); not read")
            except OSError as error:
                data, read_error = None, f"could not read the file ({error.strerror or error})"
    key = key if key is not None else os.path.basename(name)
    shown = shown_path(name)
    result = FileResult([], [])

    def reject(member: str, reason: str) -> None:
        if errors == "raise":
            where = f"{shown} [{member}]" if member else shown
            raise CorpusError(f"{where}: {reason}")
        result.rejects.append({"path": shown, "member": member, "reason": reason})

    if read_error is not None:
        reject("", read_error)
        return result
    folder = ""
    if categories_from == "folder" and "/" in key:
        folder = shown_path(key.rsplit("/", 2)[-2])
    options = _Options(normalize, max_bytes, ArchiveBudget(max_archive_bytes), categories_from == "folder")
    try:
        _parse_bytes(data if handle is None else handle, os.path.basename(name), path=shown, key=key,
                     member="", depth=0, result=result, reject=reject, options=options, folder=folder)
    except CorpusError:
        raise
    except RecursionError:
        reject("", "nested too deep to read (thousands of levels); not a corpus file")
    except MemoryError:
        reject("", "too large to read in memory")
    except Exception as error:  # noqa: BLE001 (one bad input never stops the load: a reject naming it)
        reject("", f"could not be read ({type(error).__name__}: {error})")
    finally:
        if handle is not None:
            handle.close()
    return result


@dataclass
class _Options:
    """What every input of one parse shares: normalising, the size limits, the folder label."""

    normalize: bool
    max_bytes: int | None
    budget: ArchiveBudget
    folders: bool  # categories_from="folder"


def _parse_bytes(data, filename: str, *, path: str, key: str, member: str, depth: int,
                 result: FileResult, reject, options: _Options, folder: str = "") -> None:
    what = "archive member" if member else "file"
    normalize = options.normalize
    kind = format_of(filename)
    if kind is None:
        from analysis.corpus.web import WEB_SUFFIXES, web_format, web_pages

        web = web_format(filename)
        if web is not None:  # saved pages and web archives (.html, .htm, .warc, .warc.gz): corpus.web
            if not data or data.isspace():
                reject(member, f"empty {what} ({len(data)} bytes{', only whitespace' if data else ''})")
                return
            for position, raw, encoding, reason in web_pages(data, web):
                where = _join_member(member, position)
                if raw is None:
                    reject(where, reason)
                    continue
                try:
                    result.records.append(article_row(raw, path=path, key=key, member=where, encoding=encoding,
                                                      normalize=normalize))
                except Exception as error:  # noqa: BLE001 - one page, never the whole load
                    reject(where, f"unreadable page ({type(error).__name__}: {error})")
            return
        suffix = "".join(Path(filename).suffixes[-2:]) or "(no extension)"
        reject(member, f"unknown file type {suffix!r}: the loader reads {supported_suffixes()}, "
                       f"{', '.join(WEB_SUFFIXES)} files")
        return
    streamed = not isinstance(data, bytes)  # an archive file object
    if not streamed and (not data or data.isspace()):  # ``not data.strip()`` without copying the bytes
        reject(member, f"empty {what} ({len(data)} bytes{', only whitespace' if data else ''})")
        return
    try:
        if kind in ("zip", "tar"):
            if depth >= MAX_ARCHIVE_DEPTH:
                reject(member, f"archive nested more than {MAX_ARCHIVE_DEPTH} deep; unpack it first")
                return
            for inner, content in iter_archive(data, kind, max_bytes=options.max_bytes, budget=options.budget):
                inner_member = _join_member(member, shown_path(inner))
                if isinstance(content, InputError):
                    reject(inner_member, str(content))
                else:
                    inner_folder = folder
                    if options.folders and "/" in inner.strip("/"):
                        inner_folder = shown_path(inner.strip("/").rsplit("/", 2)[-2])
                    _parse_bytes(content, _member_filename(inner), path=path, key=key, member=inner_member,
                                 depth=depth + 1, result=result, reject=reject, options=options,
                                 folder=inner_folder)
            return
        if kind == "article":
            text, encoding, n_control = decode_text_counted(data)
            if not _VISIBLE.search(text):  # blank once stripped (``strip_line``), without a copy
                reject(member, f"empty {what} (only whitespace or invisible characters such as ZWNJ, "
                               f"decoded as {encoding})")
                return
            raw = parse_article(text)
            raw.n_control_chars = n_control
            result.records.append(article_row(raw, path=path, key=key, member=member, encoding=encoding,
                                              normalize=normalize, folder=folder))
            return
        encoding = "binary" if kind == "parquet" else None
        strays = kind == "parquet"  # Parquet strings may hold anything
        if kind != "parquet":
            # stray control characters are dropped record by record, so each record counts its own
            text, encoding, n_control = decode_text_counted(data, strip=False)
            # JSON may also write them as escapes ("\u0001", "\b")
            strays = n_control > 0 or (kind in ("json", "jsonl") and ("\\u00" in text or "\\b" in text))
            data = text  # type: ignore[assignment]
        for position, record in iter_records(data, kind, max_bytes=options.max_bytes):
            record_member = _join_member(member, position)
            try:
                if isinstance(record, InputError):
                    raise record
                raw = record_article(record, strip_controls=strays)
                result.records.append(article_row(raw, path=path, key=key, member=record_member,
                                                  encoding=encoding, normalize=normalize, folder=folder))
            except InputError as error:
                reject(record_member, f"{position}: {error}")
            except RecursionError:
                reject(record_member, f"{position}: nested too deep to read")
    except (InputError, UndecodableError) as error:
        reject(member, str(error))


def _member_filename(member: str) -> str:
    """The file-name part of an archive member path."""
    return member.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- many files


def _arrow_schema():
    """Schema of a chunk's Arrow table: the articles table's columns but ``duplicate_of`` and the
    label lists (``_LABEL_COLUMNS``, kept as Python lists), plus ``_hash``."""
    import pyarrow as pa

    # large_string: what pandas' string columns hold, so the table converts without copying text
    types = {"string": pa.large_string(), "datetime64[ns]": pa.timestamp("ns"), "int64": pa.int64()}
    fields = [pa.field(name, types[dtype]) for name, dtype in ARTICLE_COLUMNS.items()
              if name != "duplicate_of" and name not in _LABEL_COLUMNS]
    return pa.schema([*fields, pa.field("_hash", pa.large_string())])


#: columns of label lists: they stay Python lists from the worker to the table (the table holds
#: lists), each label one string object per chunk (the workers' label cache, kept by pickle)
_LABEL_COLUMNS = ("categories", "tags")


def _parse_chunk(files: Sequence[tuple[str, str]], errors: str, normalize: bool = False,
                 options: dict | None = None):
    """Parse a chunk of files, given as (path, key) pairs (``InputFile`` or plain tuples): (article
    rows as columns, or None; reject rows).

    The columns are plain Python data, not Arrow: a worker process that never imports pyarrow stays
    about 50 MB smaller. Text columns come as Arrow's own buffers (``_string_buffers``), so the
    parent builds the table without decoding or copying them again; ``lead`` is left out (it is the
    body up to its first blank line, which ``_arrow_table`` takes from the body: a quarter less to send).
    """
    records: list[dict] = []
    rejects: list[dict] = []
    options = options or {}
    for path, key in files:
        result = parse_file(path, key=key, errors=errors, normalize=normalize, **options)
        records.extend(result.records)
        rejects.extend(result.rejects)
    if not records:
        return None, rejects
    texts = _string_columns()
    columns = {name: _string_buffers([r[name] for r in records]) if name in texts else [r[name] for r in records]
               for name in records[0] if name not in ("lead", "body", "_body_utf8")}
    columns["body"] = _utf8_buffers([r["_body_utf8"] for r in records])
    columns["published"] = [None if when is None else (when - _EPOCH) // _MICROSECOND * 1000
                            for when in columns["published"]]  # nanoseconds: ints cost less to send
    return columns, rejects


_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


@lru_cache(maxsize=1)
def _string_columns() -> frozenset[str]:
    """The text columns of a chunk: sent and stored as Arrow ``large_string``."""
    return frozenset([*(name for name, dtype in ARTICLE_COLUMNS.items() if dtype == "string"), "_hash"])


def _string_buffers(values: list[str]) -> tuple[int, bytes, bytes]:
    """Strings as the buffers of an Arrow ``large_string`` array: (length, int64 offsets, UTF-8 bytes)."""
    from array import array
    from itertools import accumulate

    joined = "".join(values)
    if joined.isascii():  # ids, URLs, hashes...: a character is a byte, one encode for all
        return len(values), array("q", accumulate(map(len, values), initial=0)).tobytes(), joined.encode("ascii")
    return _utf8_buffers([value.encode("utf-8") for value in values])


def _utf8_buffers(encoded: list[bytes]) -> tuple[int, bytes, bytes]:
    """UTF-8 strings as the buffers of an Arrow ``large_string`` array (see ``_string_buffers``)."""
    from array import array
    from itertools import accumulate

    offsets = array("q", accumulate(map(len, encoded), initial=0))
    return len(encoded), offsets.tobytes(), b"".join(encoded)


def _arrow_table(columns: dict | None):
    """A chunk's columns (``_parse_chunk``) as (pyarrow Table, {label column: lists}); None stays None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if columns is None:
        return None
    schema = _arrow_schema()
    # the system allocator: the default one (mimalloc) keeps the builders' outgrown buffers
    # resident, which made the loaded table take about 1.5 times its size
    pool = pa.system_memory_pool()
    arrays = {}
    for field in schema:
        if field.name == "lead":
            continue
        values = columns[field.name]
        if field.type == pa.large_string():  # the buffers are used as they are, no copy
            length, offsets, data = values
            arrays[field.name] = pa.LargeStringArray.from_buffers(length, pa.py_buffer(offsets), pa.py_buffer(data))
        elif field.name == "published":  # nanoseconds since the epoch
            arrays[field.name] = pa.array(values, type=pa.int64(), memory_pool=pool).cast(field.type)
        else:
            arrays[field.name] = pa.array(values, type=field.type, memory_pool=pool)
    # the lead is the first paragraph, and paragraphs are joined by blank lines (``article_row``)
    paragraphs = pc.split_pattern(arrays["body"], "\n\n", max_splits=1, memory_pool=pool)
    arrays["lead"] = pc.list_element(paragraphs, 0, memory_pool=pool)
    table = pa.table({field.name: arrays[field.name] for field in schema}, schema=schema)
    return table, {name: columns[name] for name in _LABEL_COLUMNS}


def _worth_parallel(paths: Iterable[str], give_up_after: int | None = None) -> bool:
    """Whether ``paths`` name at least ``PARALLEL_MIN_FILES`` files holding ``PARALLEL_MIN_BYTES``
    bytes: what makes worker processes pay. Stats only as many files as it takes; False once
    ``give_up_after`` paths did not settle it."""
    files = size = 0
    for path in paths:
        files += 1
        if size < PARALLEL_MIN_BYTES:
            try:
                size += os.stat(path).st_size
            except OSError:
                continue
        if files >= PARALLEL_MIN_FILES and size >= PARALLEL_MIN_BYTES:
            return True
        if give_up_after is not None and files >= give_up_after:
            return False
    return False


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _progress_bar(total: int, progress: bool | None):
    show = progress if progress is not None else total >= PROGRESS_MIN_FILES
    return progress_bar(total=total, unit="file", desc="loading corpus", show=show, file=sys.stderr)


def _large_folder(source) -> bool:
    """Whether ``source`` is one folder worth parallel parsing (``_worth_parallel``), found by
    walking only as far as it takes (at most 20,000 files), so that the workers can start while
    the inputs are listed."""
    if not isinstance(source, str | os.PathLike) or not os.path.isdir(source):
        return False
    # many tiny files: leave the choice to ``_run``, once they are all listed
    files = (item.path for item in _files_under(os.fspath(source)))
    return _worth_parallel(files, give_up_after=50 * PARALLEL_MIN_FILES)


def _start_pool(workers: int, normalize: bool) -> ProcessPoolExecutor | None:
    """A process pool whose workers are already starting (a pool starts them at the first tasks);
    None when this process may not start workers (``analysis._core.workers.worker_pool``)."""
    pool = worker_pool(workers, text=normalize)
    if pool is None:
        return None
    for _ in range(workers):
        pool.submit(int)
    return pool


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool and wait for its workers to exit, so that their memory is free before the table is
    assembled; tasks not yet started are cancelled (after an error, only the running chunks finish)."""
    pool.shutdown(wait=True, cancel_futures=True)


def _run(files: list[InputFile], errors: str, workers: int, progress: bool | None, normalize: bool,
         pool: ProcessPoolExecutor | None = None, options: dict | None = None):
    """Parse all files, in parallel when worth it (in ``pool`` if given); results in input order."""
    results = []
    own_pool = False
    # a pool given was started because the folder is large (``_large_folder``): no second look
    if pool is None and workers > 1 and _worth_parallel(item.path for item in files):
        pool = _start_pool(workers, normalize)  # None where no worker may be started
        own_pool = True
    with _progress_bar(len(files), progress) as bar:
        if workers <= 1 or pool is None:
            for chunk in _chunks(files, 200):
                columns, rejects = _parse_chunk(chunk, errors, normalize, options)
                results.append((_arrow_table(columns), rejects))
                bar.update(len(chunk))
            return results
        size = max(50, min(500, len(files) // (workers * 8) or 1))
        # plain tuples: pickle packs them in C, while a NamedTuple costs a Python call per file
        chunks = _chunks(list(map(tuple, files)), size)
        try:
            for chunk, result in zip(chunks, pool.map(_parse_chunk, chunks, [errors] * len(chunks),
                                                      [normalize] * len(chunks), [options] * len(chunks))):
                columns, rejects = result
                results.append((_arrow_table(columns), rejects))
                bar.update(len(chunk))
        finally:
            if own_pool:
                _stop(pool)
    return results


def _to_frame(chunks: list) -> pd.DataFrame:
    """One DataFrame of the chunks' (Arrow table, label lists) pairs (``_arrow_table``)."""
    import pandas as pd
    import pyarrow as pa

    if not chunks:
        frame = empty_articles()
        frame["_hash"] = pd.Series(dtype="string")
        return frame
    table = pa.concat_tables([table for table, _ in chunks])
    columns = {name: column_from_arrow(table.column(name), ARTICLE_COLUMNS.get(name, "string"))
               for name in table.column_names}
    for name in _LABEL_COLUMNS:
        columns[name] = pd.Series([row for _, labels in chunks for row in labels[name]], dtype="object")
    return pd.DataFrame(columns, copy=False)


def duplicate_of(articles: pd.DataFrame, hashes: Iterable[str]) -> pd.Series:
    """``doc_id`` of the earliest article with the same content hash ('' for the earliest/unique ones).

    ``hashes``: hex digests, one an article. Earliest: smallest ``published`` (NaT last), ties by row
    order. Same index as ``articles``. Done in numpy (64 bits of each digest), so a million articles
    cost a few tens of MB.
    """
    import numpy as np
    import pandas as pd

    n = len(articles)
    hashes = hashes.tolist() if hasattr(hashes, "tolist") else list(hashes)
    leading = "".join([h[:16] for h in hashes])
    if len(leading) != 16 * n:
        raise ValueError("duplicate_of: every hash must be a hex digest of at least 64 bits")
    keys = np.frombuffer(bytes.fromhex(leading), dtype=">u8").astype(np.uint64)
    published = articles["published"].to_numpy(dtype="datetime64[ns]")
    when = published.view(np.int64).copy()
    when[np.isnat(published)] = np.iinfo(np.int64).max  # unknown dates last
    order = np.lexsort((np.arange(n), when, keys))  # by hash, then date, then row
    starts = np.r_[True, keys[order][1:] != keys[order][:-1]] if n else np.zeros(0, bool)
    earliest = np.empty(n, dtype=np.int64)
    earliest[order] = order[starts][np.cumsum(starts) - 1]  # each row -> its group's earliest row
    copies = np.flatnonzero(earliest != np.arange(n))
    out = np.full(n, "", dtype=object)
    if len(copies):
        out[copies] = articles["doc_id"].iloc[earliest[copies]].to_numpy()
    return pd.Series(out, index=articles.index, dtype="string")


def unique_doc_ids(ids: pd.Series) -> pd.Series:
    """Make doc_ids unique (duplicate archive member names): later repeats get '-2', '-3'..."""
    if ids.is_unique:  # the usual case, a hash look-up an id instead of a group-by
        return ids
    repeat = ids.groupby(ids).cumcount()
    return ids.where(repeat == 0, ids + "-" + (repeat + 1).astype("string")).astype("string")


def read_corpus(source, *, errors: str = "collect", normalize: bool = False, workers: int | None = None,
                progress: bool | None = None, max_bytes: int | None = MAX_BYTES,
                max_archive_bytes: int | None = MAX_ARCHIVE_BYTES, follow_symlinks: bool = False,
                categories_from: str | None = None) -> CorpusLoad:
    """Load a corpus; returns the articles table and the rejects table (see the module docstring).

    ``normalize``: normalise the text while loading (see :func:`normalize_articles`); off by default,
    the text is kept as published.
    ``workers``: processes for large inputs (default: all cores; 1 = in this process).
    ``progress``: tqdm bar on stderr (default: only for large inputs; TQDM_DISABLE=1 turns it off).
    ``max_bytes``: the largest article (default 50 MB; None: no limit): a file or archive member
    of one article, a JSON Lines line, a CSV row; ``max_archive_bytes``: the largest file of
    records, and the decompressed bytes one archive may give (default 2 GB); inputs over them are
    rejects naming their size. ``follow_symlinks``: read symbolic links that lead outside
    the folder given (default: they are rejects saying where they point).
    ``categories_from="folder"``: an article without categories gets its folder's name.
    """
    import pandas as pd

    if errors not in ("collect", "raise"):
        raise ValueError(f"errors must be 'collect' or 'raise', not {errors!r}")
    if categories_from not in (None, "folder"):
        raise ValueError(f"categories_from must be None or 'folder', not {categories_from!r}")
    options = {"max_bytes": max_bytes, "max_archive_bytes": max_archive_bytes,
               "follow_symlinks": bool(follow_symlinks), "categories_from": categories_from}
    workers = max(1, int(workers if workers is not None else (os.cpu_count() or 1)))
    # a large folder: the workers start while its files are listed
    pool = _start_pool(workers, bool(normalize)) if workers > 1 and _large_folder(source) else None
    try:
        files = collect_inputs(source)
        results = _run(files, errors, workers, progress, bool(normalize), pool, options)
    finally:
        if pool is not None:
            _stop(pool)
    del files
    rejects = pd.DataFrame([r for _, rows in results for r in rows], columns=list(REJECT_COLUMNS))
    chunks = [chunk for chunk, _ in results if chunk is not None]
    del results
    articles = _to_frame(chunks)
    del chunks
    rejects = rejects.astype(REJECT_COLUMNS) if len(rejects) else empty_rejects()
    articles["doc_id"] = unique_doc_ids(articles["doc_id"])
    articles["duplicate_of"] = duplicate_of(articles, articles.pop("_hash"))
    articles = articles[list(ARTICLE_COLUMNS)].astype(ARTICLE_COLUMNS).reset_index(drop=True)
    if normalize:
        articles.attrs[NORMALIZED] = True
    return CorpusLoad(articles, rejects.reset_index(drop=True))


def load_corpus(source, *, errors: str = "collect", normalize: bool = False, workers: int | None = None,
                progress: bool | None = None, **options) -> pd.DataFrame:
    """The articles table of a corpus, with its rejects in ``df.attrs["rejects"]`` (list of dicts).

    The one way to get the articles: ``source`` is a file, directory, glob or archive, a list of
    them, or one ``.parquet`` table written by ``ingest``. ``normalize``: Persian normalisation of the
    text (:func:`normalize_articles`; a table already marked normalised is not normalised again);
    off by default, the text is kept as published. See :func:`read_corpus` for the other options and
    the module docstring for the columns.
    """
    sources = [source] if isinstance(source, str | os.PathLike) else list(source)
    if len(sources) == 1 and os.fspath(sources[0]).endswith(".parquet") and Path(sources[0]).is_file():
        import pandas as pd

        articles = pd.read_parquet(sources[0])
        return normalize_articles(articles, workers=workers, progress=progress) if normalize else articles
    loaded = read_corpus(sources if len(sources) > 1 else sources[0], errors=errors, normalize=normalize,
                         workers=workers, progress=progress, **options)
    articles = loaded.articles
    articles.attrs["rejects"] = loaded.rejects.to_dict("records")
    return articles


# --------------------------------------------------------------------------- normalising


def _labels(value) -> list[str]:
    """A list-column cell as a list (Parquet gives arrays back; missing values give [])."""
    if value is None or isinstance(value, str) or not hasattr(value, "__iter__"):
        return []
    return list(value)


def _normalized_rows(rows: Sequence[tuple]) -> list[tuple]:
    """(title, lead, body, categories, tags) normalised, for (title, body, categories, tags) rows."""
    out = []
    for title, body, categories, tags in rows:
        paragraphs = _paragraphs([body], True)
        out.append((
            _normalize_short(title) if title else "",
            paragraphs[0] if paragraphs else "",
            "\n\n".join(paragraphs),
            _unique_labels(categories, _normalize_short),
            _unique_labels(tags, _normalize_short),
        ))
    return out


def normalize_articles(articles: pd.DataFrame, *, workers: int | None = None,
                       progress: bool | None = None) -> pd.DataFrame:
    """A new articles table whose text is normalised with ``analysis.text.normalize``.

    ``title``, ``lead``, ``body`` (paragraph by paragraph), ``categories`` and ``tags`` are
    normalised (Arabic letters and digits to Persian ones, diacritics and kashida gone, ZWNJ and
    spacing repaired); ``n_chars`` and ``n_words`` are counted again; the other columns are kept.
    A table marked as normalised (``attrs["normalized"]``) comes back as a copy. ``workers``:
    processes for large tables (default: all cores); ``progress``: a tqdm bar (default: large tables).
    """
    import pandas as pd

    missing = [c for c in ("title", "body", "categories", "tags") if c not in articles.columns]
    if missing:
        raise KeyError(f"normalize_articles: the table has no column(s) {missing}; "
                       f"expected an articles table from load_corpus")
    if articles.attrs.get(NORMALIZED):
        return articles.copy()
    rows = list(zip(articles["title"].fillna("").tolist(), articles["body"].fillna("").tolist(),
                    map(_labels, articles["categories"]), map(_labels, articles["tags"])))
    workers = workers if workers is not None else (os.cpu_count() or 1)
    text_chars = sum(len(body) for _, body, _, _ in rows)
    chunks = _chunks(rows, 500)
    done: list[tuple] = []
    show = progress if progress is not None else len(rows) >= PROGRESS_MIN_FILES
    with progress_bar(total=len(rows), unit="article", desc="normalising", show=show, file=sys.stderr) as bar:
        pool = None
        if workers > 1 and len(rows) >= PARALLEL_MIN_FILES and text_chars >= PARALLEL_MIN_BYTES:
            pool = worker_pool(workers, text=True)
        if pool is None:
            for chunk in chunks:
                done.extend(_normalized_rows(chunk))
                bar.update(len(chunk))
        else:
            with pool:
                for chunk, result in zip(chunks, pool.map(_normalized_rows, chunks)):
                    done.extend(result)
                    bar.update(len(chunk))
    title, lead, body, categories, tags = (list(column) for column in zip(*done)) if done else ([],) * 5
    out = articles.assign(
        title=pd.array(title, dtype="string"), lead=pd.array(lead, dtype="string"),
        body=pd.array(body, dtype="string"),
        categories=pd.Series(categories, index=articles.index, dtype="object"),
        tags=pd.Series(tags, index=articles.index, dtype="object"),
    )
    if "n_chars" in out.columns:
        out["n_chars"] = out["body"].str.len().astype("int64")
    if "n_words" in out.columns:
        out["n_words"] = pd.array([count_words(b) for b in body], dtype="int64")
    out.attrs[NORMALIZED] = True
    return out


def rejects_table(articles: pd.DataFrame) -> pd.DataFrame:
    """The rejects a ``load_corpus`` table carries in ``attrs["rejects"]``, as a DataFrame."""
    import pandas as pd

    rows = articles.attrs.get("rejects", [])
    return pd.DataFrame(rows, columns=list(REJECT_COLUMNS)).astype(REJECT_COLUMNS) if rows else empty_rejects()


def warc_records(source) -> pd.DataFrame:
    """How many records of each kind the WARC files of ``source`` hold: one row a (path,
    record_type, status, content_type) with ``n`` records and ``page`` (whether the loader reads
    them as pages: 200 HTML responses; the others hold no article and are only counted here)."""
    import pandas as pd

    from analysis.corpus.web import warc_record_counts, web_format

    rows = []
    for item in collect_inputs(source):
        if web_format(item.path) == "warc":
            rows += [(item.path, *kind, n) for kind, n in warc_record_counts(read_bytes(item.path)).items()]
    frame = pd.DataFrame(rows, columns=["path", "record_type", "status", "content_type", "page", "n"])
    return frame.astype({"path": "string", "record_type": "string", "status": "string",
                         "content_type": "string", "page": "bool", "n": "int64"})
