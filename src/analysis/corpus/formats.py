"""Input formats of a corpus: what a file (or archive member) holds, as raw article fields.

One article a file in the seed's layout (``.txt``, ``.md``), JSON (a list of records, or an object
holding one), JSON Lines, CSV/TSV, Parquet, and ``.zip`` / ``.tar[.gz|.bz2|.xz]`` / ``.tgz`` archives
of any of these (read in memory, members in name order; hidden members and ``__MACOSX/`` skipped).

Everything here returns *raw* fields (``RawArticle``: not yet normalised, dates unparsed); the loader
(``analysis.corpus``) turns them into rows of the articles table. Problems raise ``InputError`` with a
sentence a user can act on.

Seed layout (``parse_article``):

- the first non-blank line, when it starts with ``#``, is the title (without a heading, a short first
  line not ending in sentence punctuation followed by more text is taken as the title);
- a bold line made only of markdown links, ``**<any label>: [a](#), [b](#)**``, is the category line
  (its label varies and is not checked), or the tags line when its label is a tag label
  (``data/loader/tag_labels.txt``);
- a short line ``<date label>: <date>`` (labels in ``data/loader/date_labels.txt``) or a line that is
  only a date is the date line;
- a line that is only a URL, ``<http...>`` or bare, gives the URL;
- the other lines are the text: blocks of lines separated by blank lines are paragraphs (lines of a
  block joined by a space, as markdown reads them); text without blank lines has a paragraph a line.
  ``lead`` is the first paragraph; the loader joins all of them with blank lines into ``body``.
"""

from __future__ import annotations

import ast
import io
import json
import re
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from analysis.corpus.dates import parse_date
from analysis._core.persian import persian_letters
from analysis._core.resources import read_rows, read_wordlist

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")
RECORD_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
                   ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet"}
ARCHIVE_SUFFIXES = {".zip": "zip", ".tar": "tar", ".tar.gz": "tar", ".tgz": "tar",
                    ".tar.bz2": "tar", ".tbz2": "tar", ".tar.xz": "tar", ".txz": "tar"}
#: how deep archives inside archives are opened
MAX_ARCHIVE_DEPTH = 3


class InputError(ValueError):
    """An input (file, archive member or record) that holds no article; the message says why."""


@dataclass
class RawArticle:
    """Fields of one article as found in the input (strings not yet normalised)."""

    title: str = ""
    lead: str = ""
    paragraphs: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    url: str = ""
    date: object = None  # a record's date field value, or the parsed date (ParsedDate) of a date line
    date_source: str = "none"  # 'record' or 'date line' when ``date`` is set
    clean: bool = False  # the paragraphs are already non-blank lines stripped with ``strip_line``


def supported_suffixes() -> str:
    """The file name endings the loader reads, for messages."""
    return ", ".join([*ARTICLE_SUFFIXES, *RECORD_SUFFIXES, *ARCHIVE_SUFFIXES])


def format_of(name: str) -> str | None:
    """'article', 'json', 'jsonl', 'csv', 'tsv', 'parquet', 'zip' or 'tar' from a file name; None if unknown."""
    lower = name.lower()
    if lower.endswith(".txt"):
        return "article"
    for suffix, kind in ARCHIVE_SUFFIXES.items():
        if lower.endswith(suffix):
            return kind
    suffix = PurePosixPath(lower).suffix
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    return RECORD_SUFFIXES.get(suffix)


# --------------------------------------------------------------------------- seed layout

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LINK_LINE = re.compile(
    r"\*\*\s*(?P<label>[^\[\]*]*?)\s*[:：]?\s*"
    r"(?P<links>\[[^\]]*\]\([^)]*\)(?:\s*[,،؛;|]?\s*\[[^\]]*\]\([^)]*\))*)\s*[,،]?\s*\*\*"
)
_URL_LINE = re.compile(r"<?\s*(https?://[^\s<>]+)\s*>?", re.IGNORECASE)
_DATE_LINE = re.compile(r"\**\s*(?P<label>[^:：\d*]{1,40}?)\s*[:：]\s*(?P<value>.+?)\s*\**")
_ONLY_DATE = re.compile(r"[\d۰-۹٠-٩/\-:.\sT،,]{8,40}")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = (".", "!", "?", "؟", ":", "…", "»", ")")
_MAX_TITLE_CHARS = 150
#: lines longer than this are never a date line
_MAX_DATE_LINE_CHARS = 80


#: characters that make a line look blank: whitespace (as ``str.isspace`` sees it) and the invisible
#: format characters (ZWSP, ZWNJ, ZWJ, direction marks, word joiner, BOM)
_INVISIBLE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + \
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
INVISIBLE_CHARS = _INVISIBLE


def strip_line(line: str) -> str:
    """A line without leading/trailing whitespace and invisible format characters (ZWNJ, BOM...)."""
    return line.strip(_INVISIBLE)


_LABEL_NOISE = re.compile(r"[\s\u200c\u200f_\-:：*]+")


@lru_cache(maxsize=8192)
def label_key(label: str) -> str:
    """A label for matching: case-folded, without spaces/ZWNJ/punctuation, Arabic letter forms as Persian."""
    return _LABEL_NOISE.sub("", persian_letters(label.casefold()))


@lru_cache(maxsize=1)
def _date_labels() -> frozenset[str]:
    return frozenset(label_key(x) for x in read_wordlist("loader/date_labels.txt"))


@lru_cache(maxsize=1)
def _tag_labels() -> frozenset[str]:
    return frozenset(label_key(x) for x in read_wordlist("loader/tag_labels.txt"))


@lru_cache(maxsize=4096)  # a corpus repeats its few category lines
def link_line(line: str) -> tuple[str, tuple[str, ...]] | None:
    """(label, link texts) of a bold line of markdown links, e.g. the category line; else None."""
    found = _LINK_LINE.fullmatch(line)
    if not found:
        return None
    names = (name.strip() for name in _LINK.findall(found["links"]))
    return found["label"], tuple(name for name in names if name)


def date_line(line: str):
    """The parsed date (``ParsedDate``) of a date line (``تاریخ انتشار: ۱۳۹۴/۰۲/۱۰ - ۱۰:۳۰`` or a
    line that is only a date); else None."""
    if len(line) > _MAX_DATE_LINE_CHARS:
        return None
    labelled = ":" in line or "：" in line
    bare = line.strip("* ")
    starts_with_digit = bare[:1].isdigit()  # as a line that is only a date does
    if not (labelled or starts_with_digit) or not _DIGIT.search(line):
        return None
    found = _DATE_LINE.fullmatch(line) if labelled else None
    if found and label_key(found["label"]) in _date_labels():
        return parse_date(found["value"])
    if starts_with_digit and _ONLY_DATE.fullmatch(bare):
        return parse_date(bare)
    return None


def url_line(line: str) -> str | None:
    """The URL of a line that is only a URL (``<http://...>`` or bare); else None."""
    if not (line.startswith("<") or line[:4].lower() == "http"):
        return None
    found = _URL_LINE.fullmatch(line)
    return found.group(1) if found else None


def paragraphs_of(blocks: list[list[str]]) -> list[str]:
    """Paragraphs from blocks of consecutive non-blank lines.

    Text with blank lines between its blocks reads as markdown: a block is a paragraph, its lines
    joined by a space. Text without any blank line (one block) has a paragraph a line.
    """
    blocks = [block for block in blocks if block]
    if len(blocks) == 1:
        return list(blocks[0])
    return [" ".join(block) for block in blocks]


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text (see ``paragraphs_of``)."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = strip_line(raw)
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return paragraphs_of(blocks)


def _line_kind(line: str, *, dates: bool = True):
    """('links', (label, names)), ('url', url) or ('date', parsed date) for a metadata line of the
    seed layout, tried in that order (date lines only when ``dates``); None for a line of text."""
    if line.startswith("**") and "](" in line:
        links = link_line(line)
        if links is not None:
            return "links", links
    url = url_line(line)
    if url is not None:
        return "url", url
    if dates and len(line) <= _MAX_DATE_LINE_CHARS:
        found = date_line(line)
        if found is not None:
            return "date", found
    return None


def _add_metadata(article: RawArticle, kind: str, value) -> None:
    """Put what a metadata line said (``_line_kind``) into ``article``: links extend the categories
    or, under a tag label, the tags; the first URL and the first date are kept."""
    if kind == "links":
        label, names = value
        target = article.tags if label_key(label) in _tag_labels() else article.categories
        target.extend(name for name in names if name not in target)
    elif kind == "url":
        article.url = article.url or value
    elif article.date is None:
        article.date, article.date_source = value, "date line"


def parse_article(text: str) -> RawArticle:
    """Raw fields of one article in the seed's layout (see the module docstring)."""
    article = RawArticle()
    block: list[str] = []
    blocks = [block]
    heading_seen = False
    for raw in text.split("\n"):
        line = raw.strip(_INVISIBLE) if raw else raw  # most blank lines are empty: no strip call
        if not line:
            if block:
                block = []
                blocks.append(block)
            continue
        first = line[0]
        if first == "#" and not heading_seen and len(blocks) == 1 and not block:
            article.title = line.lstrip("#").strip()
            heading_seen = True
            continue
        # a metadata line starts with one of these, or is a short date line (labelled, or starting
        # with a digit): the rest is text, not even looked at by ``_line_kind``
        if first in "*<hH" or (len(line) <= _MAX_DATE_LINE_CHARS and article.date is None
                               and (first.isdigit() or ":" in line or "：" in line)):
            kind = _line_kind(line, dates=article.date is None)
            if kind is not None:
                _add_metadata(article, *kind)
                continue
        block.append(line)
    if not heading_seen:
        first_block = next((block for block in blocks if block), [])
        first = first_block[0] if first_block else ""
        more_text = len(first_block) > 1 or sum(1 for block in blocks if block) > 1
        if more_text and len(first) <= _MAX_TITLE_CHARS and not first.endswith(_SENTENCE_END):
            article.title = first_block.pop(0)
    article.paragraphs = paragraphs_of(blocks)
    article.lead = article.paragraphs[0] if article.paragraphs else ""
    article.clean = True
    return article


# --------------------------------------------------------------------------- records


@lru_cache(maxsize=1)
def _field_aliases() -> dict[str, tuple[str, ...]]:
    aliases: dict[str, list[str]] = {}
    for column, name in read_rows("loader/record_fields.csv"):
        aliases.setdefault(column, []).append(name.strip().casefold())
    return {column: tuple(names) for column, names in aliases.items()}


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    try:
        import pandas as pd

        return value is pd.NaT or value is pd.NA
    except ImportError:  # pragma: no cover
        return False


def as_text(value) -> str:
    """A field value as one string ('' for missing; lists joined by blank lines)."""
    if _is_missing(value):
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace").strip()
    if isinstance(value, dict):
        return as_text(value.get("text") or value.get("value") or "")
    if hasattr(value, "__iter__"):
        return "\n\n".join(t for t in (as_text(v) for v in value) if t)
    return str(value).strip()


def as_list(value) -> list[str]:
    """A list field (categories, tags): a list, a JSON/Python list literal, or 'a|b' / 'a، b' text."""
    if _is_missing(value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            for parse in (json.loads, ast.literal_eval):
                try:
                    parsed = parse(text)
                except (ValueError, SyntaxError, RecursionError, MemoryError):
                    continue
                if isinstance(parsed, list):
                    return as_list(parsed)
        return [part.strip() for part in re.split(r"[|،,;؛\n]", text) if part.strip()]
    if isinstance(value, dict):
        return as_list(value.get("name") or value.get("title") or "")
    if hasattr(value, "__iter__") and not isinstance(value, bytes):
        out: list[str] = []
        for item in value:
            out.extend(as_list(item) if not isinstance(item, str) else [item.strip()] if item.strip() else [])
        return out
    return [as_text(value)] if as_text(value) else []


def as_list_of_items(value) -> list:
    """The items of a list-like field value (a list, tuple or numpy array from Parquet)."""
    if isinstance(value, dict):
        return [value]
    return list(value) if hasattr(value, "__iter__") else [value]


def json_type(value) -> str:
    """JSON's name for the type of a parsed value: object, array, string, number, boolean, null."""
    names = {dict: "object", list: "array", str: "string", int: "number", float: "number",
             bool: "boolean", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def record_article(record) -> RawArticle:
    """Raw fields of a record (a mapping) using the common field names of ``record_fields.csv``."""
    if not isinstance(record, dict):
        raise InputError(f"not an object with article fields (a JSON {json_type(record)})")
    fields = {str(k).strip().casefold(): v for k, v in record.items()}
    aliases = _field_aliases()

    def first(column: str):
        for name in aliases[column]:
            value = fields.get(name)
            if not _is_missing(value) and as_text(value):
                return value
        return None

    def collect(column: str) -> list[str]:
        out: list[str] = []
        for name in aliases[column]:
            for item in as_list(fields.get(name)):
                if item not in out:
                    out.append(item)
        return out

    body = first("body")
    if isinstance(body, str) or body is None:
        paragraphs = split_paragraphs(as_text(body))
    else:  # a list of paragraphs: one paragraph an item, lines inside joined
        paragraphs = [" ".join(line.strip() for line in as_text(item).split("\n") if line.strip())
                      for item in as_list_of_items(body)]
        paragraphs = [p for p in paragraphs if p]
    lead = as_text(first("lead"))
    if lead:
        lead = " ".join(line.strip() for line in lead.split("\n") if line.strip())
        if not paragraphs or paragraphs[0] != lead:
            paragraphs.insert(0, lead)
    article = RawArticle(
        title=" ".join(as_text(first("title")).split()),
        lead=paragraphs[0] if paragraphs else "",
        paragraphs=paragraphs,
        categories=collect("categories"),
        tags=collect("tags"),
        url=as_text(first("url")),
    )
    date = first("date")
    if date is not None:
        article.date, article.date_source = date, "record"
    if not article.title and not article.paragraphs:
        seen = ", ".join(sorted(map(str, record))[:12]) or "none"
        raise InputError(f"no title or text (fields: {seen}); expected fields such as "
                         "title, abstract, body/text/content/paragraphs")
    return article


def iter_records(data: bytes | str, kind: str) -> Iterator[tuple[str, object]]:
    """(position, record) pairs of a record file; position is 'record N', 'line N' or 'row N' (1-based).

    A record that cannot be read comes as an ``InputError`` instead of the record. A file that cannot
    be read at all raises ``InputError``.
    """
    if kind == "parquet":
        yield from _parquet_records(data)
        return
    from analysis.corpus.encodings import decode_text

    text = data if isinstance(data, str) else decode_text(data)[0]
    if kind == "json":
        yield from _json_records(text)
    elif kind == "jsonl":
        yield from _jsonl_records(text)
    elif kind in ("csv", "tsv"):
        yield from _csv_records(text, "\t" if kind == "tsv" else ",")
    else:
        raise InputError(f"unknown record format {kind!r}")


#: a JSON escape of half a surrogate pair (``\\ud800``): valid JSON, but a lone one is no character
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_loads(text: str):
    """``json.loads``, with lone surrogates (which no encoding can write) replaced by U+FFFD."""
    parsed = json.loads(text)
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        parsed = _without_lone_surrogates(parsed)
    return parsed


def _without_lone_surrogates(value):
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def _json_records(text: str) -> Iterator[tuple[str, object]]:
    try:
        parsed = _json_loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from _jsonl_records(text)  # JSON Lines saved as .json
            return
        raise InputError(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    if isinstance(parsed, dict):
        lists = [v for v in parsed.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        parsed = lists[0] if len(lists) == 1 and not _looks_like_article(parsed) else [parsed]
    if not isinstance(parsed, list):
        raise InputError(f"the JSON holds a {json_type(parsed)}, not a list of article records")
    if not parsed:
        raise InputError("the JSON list holds no records")
    for number, record in enumerate(parsed, start=1):
        yield f"record {number}", record


def _looks_like_article(record: dict) -> bool:
    keys = {str(k).casefold() for k in record}
    aliases = _field_aliases()
    return bool(keys & set(aliases["title"] + aliases["body"] + aliases["lead"]))


def _jsonl_records(text: str) -> Iterator[tuple[str, object]]:
    seen = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        seen = True
        try:
            yield f"line {number}", _json_loads(line)
        except json.JSONDecodeError as error:
            yield f"line {number}", InputError(f"not valid JSON (column {error.colno}: {error.msg})")
    if not seen:
        raise InputError("the JSON Lines file holds no records")


def _csv_records(text: str, sep: str) -> Iterator[tuple[str, object]]:
    import pandas as pd

    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise InputError(f"unreadable CSV: {str(error).strip().splitlines()[0]}") from None
    if table.empty:
        raise InputError("the CSV file has a header but no rows")
    for number, record in enumerate(table.to_dict("records"), start=1):
        yield f"row {number}", record


def _parquet_records(data: bytes) -> Iterator[tuple[str, object]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as error:
        raise InputError(f"unreadable Parquet file: {error}") from None
    if table.num_rows == 0:
        raise InputError("the Parquet file holds no rows")
    for number, record in enumerate(table.to_pylist(), start=1):
        yield f"row {number}", record


# --------------------------------------------------------------------------- archives


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") for part in parts) or (parts and parts[0] == "__MACOSX")


def iter_archive(data: bytes, kind: str) -> Iterator[tuple[str, bytes | InputError]]:
    """(member name, bytes) of the files in a zip or tar archive, in name order, read in memory.

    Hidden members (a path part starting with '.') and ``__MACOSX/`` are skipped, as on disk. A
    member that cannot be read comes as an ``InputError``; a damaged archive raises one.
    """
    members: list[tuple[str, bytes | InputError]] = []
    if kind == "zip":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise InputError(f"damaged zip archive ({error})") from None
        with archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir() or _hidden(info.filename):
                    continue
                try:
                    members.append((info.filename, archive.read(info)))
                except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as error:
                    members.append((info.filename, InputError(f"unreadable archive member ({error})")))
    else:
        try:
            archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
        except (tarfile.TarError, OSError, ValueError, EOFError) as error:
            raise InputError(f"damaged tar archive ({error})") from None
        with archive:
            try:
                infos = sorted((i for i in archive.getmembers() if i.isfile()), key=lambda i: i.name)
            except (tarfile.TarError, OSError, EOFError) as error:
                raise InputError(f"damaged tar archive ({error})") from None
            for info in infos:
                if _hidden(info.name):
                    continue
                try:
                    handle = archive.extractfile(info)
                    members.append((info.name, handle.read() if handle else b""))
                except (tarfile.TarError, OSError, EOFError) as error:
                    members.append((info.name, InputError(f"unreadable archive member ({error})")))
    if not members:
        raise InputError(f"the {kind} archive holds no files")
    yield from members
