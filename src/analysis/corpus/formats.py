"""Input formats of a corpus: what a file (or archive member) holds, as raw article fields.

One article a file in the seed's layout (``.txt``, ``.md``), JSON (a list of records, or an object
holding lists of them), JSON Lines, CSV/TSV (read row by row), Parquet, and ``.zip`` /
``.tar[.gz|.bz2|.xz]`` / ``.tgz`` archives of any of these (read in memory, members in name order,
each with a size cap; hidden members and ``__MACOSX/`` skipped; links and devices are rejects).

Everything here returns *raw* fields (``RawArticle``: not yet normalised, dates unparsed); the loader
(``analysis.corpus``) turns them into rows of the articles table. Problems raise ``InputError`` with a
sentence a user can act on.

Seed layout (``parse_article``):

- the first non-blank line, when it starts with ``#``, is the title. Without a heading (a plain
  dump: title line, then paragraphs) the first line of text is the title when more text follows,
  unless it clearly is not one: a URL, date or category line (read as such), a line over
  ``_MAX_TITLE_CHARS`` characters, a line ending in ``:`` (it introduces what follows) or in ``.``
  (a sentence; an ellipsis ``...`` ends titles too). Titles ending in ``؟``/``!``/``»``, holding
  ``/``, quotes or numbers are titles. A ``<label>: <section>`` line before it (labels in ``data/loader/category_labels.txt``)
  is a category;
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
from functools import lru_cache, partial
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
    n_control_chars: int = 0  # stray control characters dropped from the input's text


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
#: a first line (of a file without heading) longer than this is a paragraph, not a title
_MAX_TITLE_CHARS = 200
#: a first line ending so introduces what follows: not a title
_NOT_TITLE_END = (":", "：")
_CATEGORY_LINE = re.compile(r"\**\s*(?P<label>[^:：\d*]{1,30}?)\s*[:：]\s*(?P<value>[^:：]{1,60}?)\s*\**")
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
def _category_labels() -> frozenset[str]:
    return frozenset(label_key(x) for x in read_wordlist("loader/category_labels.txt"))


def category_line(line: str) -> list[str] | None:
    """The categories of a plain ``<category label>: <section>`` line (``سرویس: ورزشی``); else None."""
    if ":" not in line and "：" not in line:
        return None
    found = _CATEGORY_LINE.fullmatch(line)
    if not found or label_key(found["label"]) not in _category_labels():
        return None
    names = [part.strip() for part in re.split(r"[|،,;؛/]", found["value"]) if part.strip()]
    return names or None


def is_title_line(line: str) -> bool:
    """Whether the first line of a file without heading is its title (see the module docstring)."""
    if len(line) > _MAX_TITLE_CHARS or line.endswith(_NOT_TITLE_END):
        return False
    return not (line.endswith(".") and not line.endswith(".."))  # a sentence; an ellipsis is a title's


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
        while len(first_block) > 1 or (first_block and sum(1 for block in blocks if block) > 1):
            categories = category_line(first_block[0])
            if categories is None:
                break
            article.categories.extend(c for c in categories if c not in article.categories)
            first_block.pop(0)
            if not first_block:
                first_block = next((block for block in blocks if block), [])
        first = first_block[0] if first_block else ""
        more_text = len(first_block) > 1 or sum(1 for block in blocks if block) > 1
        if more_text and is_title_line(first):
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


def _without_strays(value, counter: list[int]):
    """A record value with the stray control characters of its strings dropped (counted in ``counter``)."""
    from analysis.corpus.encodings import strip_strays

    if isinstance(value, str):
        value, n = strip_strays(value)
        counter[0] += n
        return value
    if isinstance(value, list):
        return [_without_strays(item, counter) for item in value]
    if isinstance(value, dict):
        return {key: _without_strays(item, counter) for key, item in value.items()}
    return value


def record_article(record, *, strip_controls: bool = False) -> RawArticle:
    """Raw fields of a record (a mapping) using the common field names of ``record_fields.csv``.

    ``strip_controls``: drop stray control characters from the record's strings first (a file that
    holds some), counting them in ``n_control_chars``.
    """
    if not isinstance(record, dict):
        raise InputError(f"not an object with article fields (a JSON {json_type(record)})")
    n_control = [0]
    if strip_controls:
        record = _without_strays(record, n_control)
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
        n_control_chars=n_control[0],
    )
    date = first("date")
    if date is not None:
        article.date, article.date_source = date, "record"
    if not article.title and not article.paragraphs:
        seen = ", ".join(sorted(map(str, record))[:12]) or "none"
        raise InputError(f"no title or text (fields: {seen}); expected fields such as "
                         "title, abstract, body/text/content/paragraphs")
    return article


def iter_records(data: bytes | str, kind: str, *, max_bytes: int | None = None) -> Iterator[tuple[str, object]]:
    """(position, record) pairs of a record file; position is 'record N', 'line N' or 'row N' (1-based).

    A record that cannot be read comes as an ``InputError`` instead of the record (a JSON Lines line
    or CSV row over ``max_bytes`` characters is one). A file that cannot be read at all raises
    ``InputError``.
    """
    if kind == "parquet":
        yield from _parquet_records(data)
        return
    from analysis.corpus.encodings import decode_text

    text = data if isinstance(data, str) else decode_text(data)[0]
    if kind == "json":
        yield from _json_records(text)
    elif kind == "jsonl":
        yield from _jsonl_records(text, max_bytes)
    elif kind in ("csv", "tsv"):
        yield from _csv_records(text, "\t" if kind == "tsv" else ",", max_bytes)
    else:
        raise InputError(f"unknown record format {kind!r}")


#: a JSON escape of half a surrogate pair (``\\ud800``): valid JSON, but a lone one is no character
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_loads(text: str):
    """``json.loads``, with lone surrogates (which no encoding can write) replaced by U+FFFD.

    Control characters are allowed inside strings (``strict=False``): crawl noise the loader drops
    and counts record by record. A text nested too deep for Python raises ``InputError``."""
    try:
        parsed = json.loads(text, strict=False)
    except RecursionError:
        raise InputError("JSON nested too deep to read (thousands of levels of arrays or objects): "
                         "not a file of article records") from None
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
        if text.lstrip().startswith("[") and _JSON_RECORD_START.search(text):
            # a list of records with a broken one: the records around it are still read
            yield from _json_list_records(text)
            return
        raise InputError(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    if isinstance(parsed, dict):
        lists = [(str(key), value) for key, value in parsed.items()
                 if isinstance(value, list) and value and all(isinstance(x, dict) for x in value)]
        if len(lists) > 1 and not _looks_like_article(parsed):
            # an object holding several lists of records: every list is read, its records named by key
            for key, records in lists:
                for number, record in enumerate(records, start=1):
                    yield f"{key} record {number}", record
            return
        parsed = lists[0][1] if len(lists) == 1 and not _looks_like_article(parsed) else [parsed]
    if not isinstance(parsed, list):
        raise InputError(f"the JSON holds a {json_type(parsed)}, not a list of article records")
    if not parsed:
        raise InputError("the JSON list holds no records")
    for number, record in enumerate(parsed, start=1):
        yield f"record {number}", record


#: where a record of a JSON list of objects may start: '[' or ',' then '{' (whitespace or stray
#: control characters between)
_JSON_RECORD_START = re.compile(r"[\[,][\s\x01-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]*(?=\{)")


def _json_list_records(text: str) -> Iterator[tuple[str, object]]:
    """The records of a JSON list of objects that does not parse as a whole, one by one: a record
    that does not parse is an ``InputError`` and reading resumes at the next ``, {`` after it.
    Between records, stray control characters are passed over like whitespace."""
    decoder = json.JSONDecoder(strict=False)
    position = text.index("[") + 1
    number = 0
    while True:
        while position < len(text) and (text[position] in _BETWEEN_RECORDS):
            position += 1
        if position >= len(text) or text[position] == "]":
            return
        number += 1
        try:
            record, end = decoder.raw_decode(text, position)
        except (json.JSONDecodeError, RecursionError) as error:
            reason = (f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
                      if isinstance(error, json.JSONDecodeError) else "JSON nested too deep to read")
            yield f"record {number}", InputError(reason)
            following = _JSON_RECORD_START.search(text, position + 1)
            while following is not None and text[following.start()] != ",":
                following = _JSON_RECORD_START.search(text, following.end())
            if following is None:
                return
            position = following.end()
            continue
        if "\\u" in text[position:end] and _SURROGATE_ESCAPE.search(text, position, end):
            record = _without_lone_surrogates(record)
        yield f"record {number}", record
        position = end


#: what may stand between two records of a JSON list: whitespace, commas, stray control characters
_BETWEEN_RECORDS = frozenset(" \t\r\n," + "".join(map(chr, [*range(1, 9), 0x0b, *range(0x0e, 0x1b), *range(0x1c, 0x20), 0x7f])))


def _looks_like_article(record: dict) -> bool:
    keys = {str(k).casefold() for k in record}
    aliases = _field_aliases()
    return bool(keys & set(aliases["title"] + aliases["body"] + aliases["lead"]))


def _jsonl_records(text: str, max_bytes: int | None = None) -> Iterator[tuple[str, object]]:
    seen = False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        seen = True
        if max_bytes is not None and len(line) > max_bytes:
            yield f"line {number}", InputError(f"line of {len(line):,} characters, over the "
                                               f"{max_bytes:,}-character limit for one article")
            continue
        try:
            yield f"line {number}", _json_loads(line)
        except json.JSONDecodeError as error:
            yield f"line {number}", InputError(f"not valid JSON (column {error.colno}: {error.msg})")
        except InputError as error:
            yield f"line {number}", error
    if not seen:
        raise InputError("the JSON Lines file holds no records")


#: a quoted CSV field running over more lines than this is taken for an unbalanced quote
MAX_CSV_FIELD_LINES = 2000


def _csv_records(text: str, sep: str, max_bytes: int | None = None) -> Iterator[tuple[str, object]]:
    """(``row N``, record) of a CSV/TSV text, read record by record (``csv`` module, strict quoting).

    A row that cannot be read comes as an ``InputError`` and the rows around it still load: a row
    whose field count differs from the header's, a row over ``max_bytes`` characters, a quote that
    never closes or runs over ``MAX_CSV_FIELD_LINES`` lines, or a quote followed by text (an
    unbalanced quote: that row is rejected and reading resumes on its next line, so it cannot fold
    the rows below into one field). Blank lines are skipped. Records + errors = rows seen.
    """
    import csv

    limit = max_bytes if max_bytes is not None else 1 << 62
    # the csv module's own cap on a field (128 KiB by default) is raised to ours while reading
    previous = csv.field_size_limit(max(csv.field_size_limit(), min(limit + 1, (1 << 31) - 1)))
    try:
        yield from _csv_rows(text, sep, limit)
    finally:
        csv.field_size_limit(previous)


def _csv_rows(text: str, sep: str, limit: int) -> Iterator[tuple[str, object]]:
    import csv

    lines = text.split("\n")
    position = 0
    header: list[str] | None = None
    while header is None and position < len(lines):
        if lines[position].strip():
            try:
                header = next(csv.reader([lines[position]], delimiter=sep, strict=True))
            except csv.Error as error:
                raise InputError(f"unreadable CSV header (line {position + 1}: {error})") from None
        position += 1
    if header is None:
        raise InputError("the CSV file is empty")
    header = _unique_columns(header)
    number = 0
    next_line = [position]  # the next line the reader gets
    row_start = [position]  # the first line of the row being read

    def feed():
        # a row may not run over MAX_CSV_FIELD_LINES lines: the reader then meets the end of its
        # data inside a quote, an error in strict mode
        while next_line[0] < len(lines) and next_line[0] - row_start[0] < MAX_CSV_FIELD_LINES:
            next_line[0] += 1
            yield lines[next_line[0] - 1] + "\n"

    while next_line[0] < len(lines):
        reader = csv.reader(feed(), delimiter=sep, strict=True)
        restart = False
        while not restart:
            row_start[0] = next_line[0]
            try:
                row = next(reader)
            except StopIteration:
                return _csv_done(number)
            except csv.Error as error:
                number += 1
                first, last = row_start[0] + 1, next_line[0]
                message = str(error)
                if "field larger than" in message:
                    message = f"a field is over the {limit:,}-character limit for one article"
                elif last - first + 1 >= MAX_CSV_FIELD_LINES:
                    message = f"a quoted field runs over {MAX_CSV_FIELD_LINES} lines (an unbalanced quote?)"
                elif "end of data" in message:
                    message = "a quote opened here never closes (an unbalanced quote)"
                elif "expected after" in message:
                    message = f"a quote opened here closes on line {last} before other text ({message}): " \
                              f"an unbalanced quote"
                yield f"row {number}", InputError(f"unreadable CSV row (line {first}: {message})")
                next_line[0] = row_start[0] + 1  # read on from the next line, with a new reader
                restart = True
                continue
            if not row or (len(row) == 1 and not row[0].strip()):  # a blank line
                continue
            number += 1
            first, last = row_start[0] + 1, next_line[0]
            size = sum(map(len, row))
            if size > limit:
                yield f"row {number}", InputError(f"row of {size:,} characters (line {first}), over "
                                                  f"the {limit:,}-character limit for one article")
            elif len(row) != len(header):
                where = f"line {first}" + (f"-{last}" if last > first else "")
                yield f"row {number}", InputError(
                    f"{len(row)} fields where the header has {len(header)} ({where}: a stray quote or "
                    f"separator?)")
                if last > first:  # lines folded into one row: read them again one by one
                    next_line[0] = row_start[0] + 1
                    restart = True
            else:
                yield f"row {number}", dict(zip(header, row))
    _csv_done(number)


def _csv_done(rows: int) -> None:
    if rows == 0:
        raise InputError("the CSV file has a header but no rows")


def _unique_columns(names: list[str]) -> list[str]:
    """Header names made unique as pandas does (``a``, ``a.1``...)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


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
    """A hidden member: a path part starting with '.' (but '.' and '..', which are path steps), or
    under ``__MACOSX/``."""
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") and part not in (".", "..") for part in parts) or \
        bool(parts and parts[0] == "__MACOSX")


class ArchiveBudget:
    """Decompressed bytes an archive (with the archives inside it) may still give: ``left``."""

    def __init__(self, limit: int | None):
        self.limit = limit
        self.left = limit if limit is not None else -1

    def allows(self, size: int) -> bool:
        return self.limit is None or size <= self.left

    def spend(self, size: int) -> None:
        if self.limit is not None:
            self.left -= size

    def refusal(self, size: int) -> InputError:
        return InputError(f"not read: this member ({size:,} bytes decompressed) would take the archive "
                          f"past the {self.limit:,}-byte limit of decompressed bytes per archive "
                          f"(max_archive_bytes)")


def holds_one_article(name: str) -> bool:
    """Whether a file of this name holds one article (or is unknown), rather than many (records, archives)."""
    return format_of(name) in ("article", None)


def _member_limit(name: str, max_bytes: int | None, budget: ArchiveBudget) -> tuple[int | None, str]:
    """(cap on the bytes read of a member, the parameter that sets it): ``max_bytes`` for one
    article, what is left of the archive's budget for a member holding many (records, archives)."""
    if holds_one_article(name):
        return max_bytes, "max_bytes"
    return (budget.left if budget.limit is not None else None), "max_archive_bytes"


def _too_large(size: int, limit: int, parameter: str) -> InputError:
    what = "one article" if parameter == "max_bytes" else "what is left of the archive's budget"
    return InputError(f"archive member of {size:,} bytes decompressed, over the {limit:,}-byte "
                      f"limit for {what} ({parameter}); not read")


def _member_content(name: str, size: int, max_bytes: int | None, budget: ArchiveBudget, read,
                    errors: tuple[type[BaseException], ...]) -> bytes | InputError:
    """One archive member of ``size`` bytes (decompressed): refused over its limit (:func:`_member_limit`)
    or the archive's budget, else ``read(limit, parameter)`` (a failure in ``errors`` is an
    unreadable member); what is read is spent from the budget."""
    limit, parameter = _member_limit(name, max_bytes, budget)
    if limit is not None and size > limit:
        return _too_large(size, limit, parameter)
    if not budget.allows(size):
        return budget.refusal(size)
    try:
        content = read(limit, parameter)
    except errors as error:
        content = InputError(f"unreadable archive member ({error})")
    if isinstance(content, bytes):
        budget.spend(len(content))
    return content


def _zip_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int | None, parameter: str):
    with archive.open(info) as handle:
        return _read_capped(handle, limit, parameter)


def _tar_read(archive: tarfile.TarFile, info: tarfile.TarInfo, limit: int | None, parameter: str):
    handle = archive.extractfile(info)
    return _read_capped(handle, limit, parameter) if handle else b""


def _read_capped(handle, limit: int | None, parameter: str) -> bytes | InputError:
    """At most ``limit`` bytes of a member (reading one more to see whether there are more)."""
    if limit is None:
        return handle.read()
    content = handle.read(limit + 1)
    if len(content) > limit:
        return InputError(f"archive member of more than {limit:,} bytes decompressed (its header "
                          f"said less), over the limit ({parameter}); not read")
    return content


_ZIP_LINK = 0o120000  # S_IFLNK in the upper half of a zip member's external attributes


def _tar_kind(info: tarfile.TarInfo) -> str | None:
    """What a tar member that is not a regular file is ('symbolic link to ...'); None for a file."""
    if info.isreg():
        return None
    if info.issym():
        return f"symbolic link to {info.linkname!r}"
    if info.islnk():
        return f"hard link to {info.linkname!r}"
    if info.ischr():
        return "character device"
    if info.isblk():
        return "block device"
    if info.isfifo():
        return "FIFO (named pipe)"
    return f"special member (tar type {info.type!r})"


def iter_archive(data, kind: str, *, max_bytes: int | None = None,
                 budget: ArchiveBudget | None = None) -> Iterator[tuple[str, bytes | InputError]]:
    """(member name, bytes) of the files in a zip or tar archive, in name order, read in memory.

    ``data``: the archive's bytes, or a binary file object open on it. Hidden members (a path part
    starting with '.') and ``__MACOSX/`` are skipped, as on disk; a member whose path holds ``..``
    or is absolute is read like any other (nothing is written to disk). A member that cannot be
    read comes as an ``InputError``: links, devices and FIFOs (named by kind), a member over
    ``max_bytes`` (read with a cap, never whole), one past the ``budget`` of decompressed bytes
    per archive. A damaged archive raises one.
    """
    budget = budget or ArchiveBudget(None)
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    if kind == "zip":
        yield from _zip_members(source, max_bytes, budget)
    else:
        yield from _tar_members(source, max_bytes, budget)


def _zip_members(source, max_bytes, budget) -> Iterator[tuple[str, bytes | InputError]]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise InputError(f"damaged zip archive ({error})") from None
    seen = False
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or _hidden(info.filename):
                continue
            seen = True
            if (info.external_attr >> 16) & 0o170000 == _ZIP_LINK:
                yield info.filename, InputError("not a regular file: a symbolic link; not read")
                continue
            yield info.filename, _member_content(
                info.filename, info.file_size, max_bytes, budget, partial(_zip_read, archive, info),
                (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError))
    if not seen:
        raise InputError("the zip archive holds no files")


def _tar_members(source, max_bytes, budget) -> Iterator[tuple[str, bytes | InputError]]:
    try:
        archive = tarfile.open(fileobj=source, mode="r:*")
    except (tarfile.TarError, OSError, ValueError, EOFError) as error:
        raise InputError(f"damaged tar archive ({error})") from None
    with archive:
        infos: list[tarfile.TarInfo] = []
        stopped = None  # why the listing stopped before the end of the archive
        scanned = 0  # bytes of member data passed over to list the members (decompressed)
        try:
            while True:
                if not budget.allows(scanned):
                    stopped = (f"not read: the members after {infos[-1].name!r} (listing them would "
                               f"decompress more than the {budget.limit:,}-byte limit per archive, "
                               f"max_archive_bytes)")
                    break
                info = archive.next()
                if info is None:
                    break
                infos.append(info)
                scanned += info.size if info.isreg() else 0
        except (tarfile.TarError, OSError, EOFError, ValueError) as error:
            if not infos:
                raise InputError(f"damaged tar archive ({error})") from None
            stopped = f"damaged tar archive after member {infos[-1].name!r} ({error}); the rest not read"
        members = sorted((i for i in infos if not i.isdir() and not _hidden(i.name)), key=lambda i: i.name)
        for info in members:
            kind = _tar_kind(info)
            if kind is not None:
                yield info.name, InputError(f"not a regular file: a {kind}; not read")
                continue
            yield info.name, _member_content(info.name, info.size, max_bytes, budget,
                                             partial(_tar_read, archive, info),
                                             (tarfile.TarError, OSError, EOFError, ValueError))
        if stopped is not None:
            yield "", InputError(stopped)
        elif not members:
            raise InputError("the tar archive holds no files")
