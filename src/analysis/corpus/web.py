"""Saved web pages and web archives as articles: ``.html`` / ``.htm`` pages and WARC files.

A crawl is usually kept as the pages themselves: one ``.html`` file a page (a browser's "save page",
``wget -r``) or WARC files (``.warc``, ``.warc.gz``: Heritrix, ``wget --warc-file``, Common Crawl).
The loader (``analysis.corpus``) hands such inputs to :func:`parse_web`, which turns each page into
the same raw fields as every other format (``analysis.corpus.formats.RawArticle``) and each through the
loader's own row builder (``analysis.corpus.article_row``), so every column is filled the same way.

A page gives:

- ``title``, body paragraphs (``lead`` = the first) and a fallback date: trafilatura's main-text
  extraction (navigation, menus, related links and comments left out);
- ``url``: the WARC record's target URI, else the page's ``<link rel="canonical">``, else ``og:url``;
- ``published``: the page's own metadata first (``article:published_time``, ``datePublished`` in
  JSON-LD or microdata, ``<meta name="date">``...), else its visible date line (an element whose class
  says date/time, ``<time>``; Jalali or Gregorian, Persian or Latin digits, read by
  ``analysis.corpus.dates.parse_date``), else the date trafilatura finds, else htmldate's wider search;
  ``date_source`` is ``metadata`` or ``date line`` (``url`` when only the URL tells, as elsewhere);
- ``categories``: the breadcrumb trail (without its home crumb, ``data/loader/breadcrumb_home.txt``,
  and without a last crumb that is the title), else ``article:section`` / JSON-LD ``articleSection``;
  ``tags``: ``article:tag`` and ``<meta name="keywords">``.

In a WARC only successful HTML responses are pages (``response`` records with status 200 and an HTML
content type); each is one input (member ``record N``, its position among the file's records), loaded
or rejected. The other records (requests, metadata, warcinfo, revisits, redirects, 404s, images...)
hold no article: they are neither loaded nor rejected, and :func:`warc_records` counts them by type,
status and content type. A page without main text is a reject saying so; a WARC file without any
page is one reject (never dropped without a word).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from analysis.corpus.dates import ParsedDate, parse_date, parse_date_value
from analysis.corpus.formats import InputError, RawArticle, date_line, label_key, strip_line
from analysis._core.resources import read_wordlist

if TYPE_CHECKING:
    pass

#: file name endings read here, and the kind each is
WEB_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".warc": "warc", ".warc.gz": "warc"}
#: largest page read (bytes): a larger one is a reject (news pages are a few hundred kB)
MAX_PAGE_BYTES = 20_000_000
#: content types of a WARC response that are pages
HTML_TYPES = ("text/html", "application/xhtml+xml")

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HAS_WORD = re.compile(r"\w")
#: meta tags holding the publication date, in order of trust (property= or name= or itemprop=)
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
              "publishdate", "publish_date", "publication_date", "dc.date.issued", "dc.date", "date",
              "sailthru.date", "parsely-pub-date")
_SECTION_META = ("article:section", "og:article:section", "articlesection")
_TAG_META = ("article:tag", "og:article:tag", "keywords", "news_keywords")
#: separators left at the edge of a title once the site name is cut from it
_TITLE_EDGES = " -–—|:»«·"
#: date lines longer than this are text, not a date line
_MAX_DATE_TEXT = 80
#: joiners that Persian spelling needs (ZWNJ in «می‌روند», ZWJ) and trafilatura drops as unprintable;
#: they cross it as printable stand-ins (the first of these the page does not hold) and come back after
_JOINERS = ("\u200c", "\u200d")
_STAND_INS = ("\u2e3a", "\u2e3b", "\u2bd2", "\u2bd3", "\u29e3", "\u29e4", "\u2a0c", "\u2a0d")
_JOINER_ENTITY = re.compile(r"&(?:zwnj|zwj|#8204|#8205|#x200c|#x200d);", re.IGNORECASE)
_ENTITY_CHAR = {"&zwnj;": "\u200c", "&zwj;": "\u200d", "&#8204;": "\u200c", "&#8205;": "\u200d",
                "&#x200c;": "\u200c", "&#x200d;": "\u200d"}


def _shield_joiners(text: str) -> tuple[str, dict[str, str]]:
    """``text`` with its joiners (also written as entities) as stand-ins, and the stand-ins' map back."""
    if "&" in text:
        text = _JOINER_ENTITY.sub(lambda m: _ENTITY_CHAR[m.group(0).lower()], text)
    free = iter(c for c in _STAND_INS if c not in text)
    back: dict[str, str] = {}
    for joiner in _JOINERS:
        if joiner in text:
            stand_in = next(free, None)
            if stand_in is None:  # pragma: no cover - a page holding every stand-in
                break
            text = text.replace(joiner, stand_in)
            back[stand_in] = joiner
    return text, back


def _unshield(text: str, back: dict[str, str]) -> str:
    for stand_in, joiner in back.items():
        text = text.replace(stand_in, joiner)
    return text


def web_format(name: str) -> str | None:
    """'html' or 'warc' for a file name this module reads; None otherwise."""
    lower = name.lower()
    for suffix, kind in WEB_SUFFIXES.items():
        if lower.endswith(suffix):
            return kind
    return None


@lru_cache(maxsize=1)
def _home_labels() -> frozenset[str]:
    return frozenset(label_key(x) for x in read_wordlist("loader/breadcrumb_home.txt"))


# --------------------------------------------------------------------------- one page


def decode_page(data: bytes, declared: str = "") -> tuple[str, str]:
    """(text, encoding) of a page's bytes: the charset the HTTP header (``declared``) or the page's
    ``<meta charset>`` names when it decodes, else the loader's detection (``decode_text``)."""
    from analysis.corpus.encodings import decode_text

    names = [declared] if declared else []
    found = _CHARSET.search(data[:4096])
    if found:
        names.append(found.group(1).decode("ascii", "replace"))
    for name in names:
        try:
            text = data.decode(name.strip().lower())
        except (LookupError, UnicodeDecodeError):
            continue
        import codecs

        return text.replace("\r\n", "\n").replace("\r", "\n"), codecs.lookup(name.strip()).name
    return decode_text(data)


def _attr_text(element, name: str) -> str:
    return " ".join((element.get(name) or "").split())


def _meta(tree) -> dict[str, list[str]]:
    """Values of the page's ``<meta>`` tags (and ``itemprop`` elements) by lower-cased
    property/name/itemprop, in page order."""
    found: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        value = _attr_text(element, "content")
        if not value:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (element.get(attribute) or "").strip().lower()
            if key:
                found.setdefault(key, []).append(value)
    for element in tree.xpath("//*[@itemprop='datePublished'][not(self::meta)]"):
        value = _attr_text(element, "datetime") or _attr_text(element, "content") or \
            " ".join(element.text_content().split())
        if value:
            found.setdefault("datepublished", []).append(value)
    return found


def _json_ld(tree) -> list[dict]:
    """The objects of the page's JSON-LD blocks (``@graph`` flattened); unreadable blocks skipped."""
    objects: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            parsed = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = parsed if isinstance(parsed, list) else [parsed]
        for item in stack:
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    objects.extend(x for x in graph if isinstance(x, dict))
    return objects


def _link_url(tree) -> str:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return link.get("href").strip()
    return ""


def _absolute(url: str, base: str) -> str:
    if not url or url.startswith(("http://", "https://")) or not base:
        return url
    from urllib.parse import urljoin

    return urljoin(base, url)


def _date_from_values(values) -> ParsedDate | None:
    for value in values:
        parsed = parse_date_value(value) if isinstance(value, str) else None
        if parsed is not None:
            return parsed
    return None


def _metadata_date(meta: dict[str, list[str]], ld: list[dict]) -> ParsedDate | None:
    for key in _DATE_META:
        parsed = _date_from_values(meta.get(key, ()))
        if parsed is not None:
            return parsed
    return _date_from_values(item.get("datePublished") for item in ld)


_DATE_CLASS = re.compile(r"date|time|publish|تاریخ", re.IGNORECASE)


def _date_line(tree, back: dict[str, str]) -> ParsedDate | None:
    """The page's visible date: a ``<time>`` element or a short element whose class or id names a
    date/time, read as a labelled date line (``تاریخ انتشار: ۱۴۰۲/۰۵/۱۲``) or a bare date."""
    candidates = list(tree.iter("time"))
    candidates += [e for e in tree.xpath("//*[@class or @id]")
                   if _DATE_CLASS.search(f"{e.get('class', '')} {e.get('id', '')}")]
    for element in candidates:
        if not isinstance(element.tag, str):
            continue
        when = _attr_text(element, "datetime")
        parsed = parse_date_value(when) if when else None
        if parsed is not None:
            return parsed
        text = strip_line(_unshield(" ".join(element.text_content().split()), back))
        if not text or len(text) > _MAX_DATE_TEXT:
            continue
        parsed = date_line(text) or parse_date(text)
        if parsed is not None:
            return parsed
    return None


_NOT_TEXT = "//script[not(@type='application/ld+json')] | //style | //noscript | //template"
_BREADCRUMB = ("//*[contains(translate(@class, 'BREADCRUMB', 'breadcrumb'), 'breadcrumb') or "
               "contains(translate(@id, 'BREADCRUMB', 'breadcrumb'), 'breadcrumb') or "
               "contains(@itemtype, 'BreadcrumbList')]")


def _breadcrumbs(tree, ld: list[dict]) -> list[str]:
    """Labels of the page's breadcrumb trail (HTML, else JSON-LD ``BreadcrumbList``), in order."""
    for trail in tree.xpath(_BREADCRUMB):
        items = trail.xpath(".//li") or trail.xpath(".//a")
        labels = [" ".join(item.text_content().split()) for item in items]
        if not labels:  # crumbs as plain text: 'خانه » سیاسی » ...'
            labels = re.split(r"\s*[»›>/|]\s*", " ".join(trail.text_content().split()))
        labels = [strip_line(label.strip("»›>/| ")) for label in labels]
        labels = [label for label in labels if label]
        if labels:
            return labels
    for item in ld:
        if item.get("@type") == "BreadcrumbList" and isinstance(item.get("itemListElement"), list):
            labels = []
            for crumb in item["itemListElement"]:
                if not isinstance(crumb, dict):
                    continue
                name = crumb.get("name")
                if not name and isinstance(crumb.get("item"), dict):
                    name = crumb["item"].get("name")
                if isinstance(name, str) and name.strip():
                    labels.append(" ".join(name.split()))
            if labels:
                return labels
    return []


def _categories(crumbs: list[str], meta, ld, title: str) -> list[str]:
    """The breadcrumbs without the home crumb and a last crumb that is the title, else the
    page's section metadata."""
    if crumbs and label_key(crumbs[0]) in _home_labels():
        crumbs = crumbs[1:]
    if crumbs and title and (label_key(crumbs[-1]) == label_key(title) or len(crumbs[-1]) > 80):
        crumbs = crumbs[:-1]
    if crumbs:
        return crumbs
    sections = list(meta.get(_SECTION_META[0], [])) + meta.get(_SECTION_META[1], []) + \
        meta.get(_SECTION_META[2], [])
    for item in ld:
        section = item.get("articleSection")
        sections += [section] if isinstance(section, str) else \
            [s for s in section if isinstance(s, str)] if isinstance(section, list) else []
    return [s for s in dict.fromkeys(" ".join(s.split()) for s in sections) if s]


def _tags(meta) -> list[str]:
    tags: list[str] = []
    for key in _TAG_META:
        for value in meta.get(key, ()):
            tags.extend(part.strip() for part in re.split(r"[,،;؛]", value) if part.strip())
    return list(dict.fromkeys(tags))


def _paragraphs(text: str, title: str) -> list[str]:
    """The main text's paragraphs (a line each), without a first line repeating the title and
    without date lines."""
    lines = [strip_line(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if lines and title and label_key(lines[0]) == label_key(title):
        lines = lines[1:]
    return [line for line in lines if len(line) > _MAX_DATE_TEXT or date_line(line) is None]


def page_article(data: bytes | str, *, url: str = "", charset: str = "") -> tuple[RawArticle, str]:
    """(raw fields, encoding) of one saved page (see the module docstring); ``url``: where it was
    fetched (a WARC record's target URI), ``charset``: the charset its HTTP header declared.

    Raises ``InputError`` when the page holds no main text.
    """
    import lxml.etree
    import lxml.html
    import trafilatura

    if isinstance(data, str):
        text, encoding = data, "utf-8"
    else:
        text, encoding = decode_page(data, charset)
    text = _XML_DECLARATION.sub("", text, count=1)
    text, back = _shield_joiners(text)
    if not text.strip():
        raise InputError("empty page (no HTML)")
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise InputError(f"not an HTML page ({error})") from None
    meta = _meta(tree)
    ld = _json_ld(tree)
    page_url = _absolute(_link_url(tree) or next(iter(meta.get("og:url", [])), ""), url)
    url = url or page_url
    published = _metadata_date(meta, ld)
    date_source = "metadata" if published else "none"
    if published is None:
        published = _date_line(tree, back)
        date_source = "date line" if published else "none"
    crumbs = [_unshield(c, back) for c in _breadcrumbs(tree, ld)]  # before trafilatura prunes the tree
    # scripts and styles hold no text; they are most of a real page's bytes, which htmldate's
    # searches (inside trafilatura) would otherwise scan (JSON-LD stays: trafilatura reads it too)
    for element in tree.xpath(_NOT_TEXT):
        element.drop_tree()
    from trafilatura.settings import set_date_params

    # favor_precision: an index or section page (menus and link lists) gives no text, not its menus;
    # trafilatura's date search is the wide one only when the page's own metadata gave no date
    document = trafilatura.bare_extraction(tree, url=url or None, with_metadata=True, include_comments=False,
                                           include_tables=False, include_images=False, favor_precision=True,
                                           date_extraction_params=set_date_params(published is None))
    body = _unshield(getattr(document, "text", None) or "", back)
    title = _unshield(" ".join((getattr(document, "title", None) or "").split()).strip(_TITLE_EDGES), back)
    site = _unshield(" ".join((getattr(document, "sitename", None) or "").split()).strip(_TITLE_EDGES), back)
    if site and label_key(title) == label_key(site):  # an untitled page's <title> is the site's name
        title = ""
    if not _HAS_WORD.search(body):
        shown = f" «{title[:60]}»" if title else ""
        raise InputError(f"no main text: the page{shown} holds no article text that trafilatura could "
                         "find (an index, search or login page, or an empty template)")
    if published is None:
        published = parse_date_value(getattr(document, "date", None) or None)
        if published is None:
            import htmldate

            found = htmldate.find_date(lxml.html.document_fromstring(text), extensive_search=True,
                                       original_date=False, url=url or None)
            published = parse_date_value(found) if found else None
        date_source = "metadata" if published else "none"
    paragraphs = _paragraphs(body, title)
    categories, tags = _categories(crumbs, meta, ld, title), _tags(meta)
    if back:  # the metadata was read from the shielded page too
        categories = [_unshield(c, back) for c in categories]
        tags = [_unshield(t, back) for t in tags]
    article = RawArticle(title=title, lead=paragraphs[0] if paragraphs else "", paragraphs=paragraphs,
                         categories=categories, tags=tags, url=url, date=published, date_source=date_source)
    return article, encoding


# --------------------------------------------------------------------------- WARC


@dataclass
class WarcRecord:
    """One record of a WARC file: its position (1-based), type, HTTP status and content type (''
    when it has none), target URI, and the payload when it is a page (``is_page``)."""

    number: int
    record_type: str
    status: str
    content_type: str
    uri: str
    charset: str = ""
    payload: bytes | None = None

    @property
    def is_page(self) -> bool:
        return self.payload is not None


def iter_warc(data: bytes, *, payloads: bool = True) -> Iterator[WarcRecord | InputError]:
    """The records of a WARC file (plain or gzipped, read in memory). Pages (200 HTML responses)
    carry their decoded payload when ``payloads``. A damaged rest of the file comes as one
    ``InputError`` after the records read before it."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data), arc2warc=True):
            number += 1
            kind = record.rec_type or ""
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            status, content_type, charset = "", "", ""
            if record.http_headers is not None:
                if kind in ("response", "revisit"):
                    status = record.http_headers.get_statuscode() or ""
                content_type = record.http_headers.get_header("Content-Type") or ""
            else:
                content_type = record.rec_headers.get_header("Content-Type") or ""
            mime, _, params = content_type.partition(";")
            mime = mime.strip().lower()
            found = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", params, re.IGNORECASE)
            charset = found.group(1) if found else ""
            page = kind == "response" and status == "200" and mime in HTML_TYPES
            payload = None
            if page:  # read with a cap: one page, not the rest of a damaged or hostile record
                payload = record.content_stream().read(MAX_PAGE_BYTES + 1) if payloads else b""
            yield WarcRecord(number, kind, status, mime, uri, charset, payload)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, TypeError) as error:
        # (warcio meets a damaged record header with any of these)
        where = f"after record {number}" if number else "at its start"
        yield InputError(f"damaged WARC file {where} ({str(error).strip() or type(error).__name__}); "
                         f"the {number} records before it were read")


# --------------------------------------------------------------------------- the loader's hook


def web_pages(data: bytes, kind: str):
    """The articles of a saved page (``kind="html"``) or a WARC file (``"warc"``), one
    ``(position, raw, encoding, reason)`` a page: ``position`` is ``""`` for a page file and ``"record N"``
    for a WARC record; ``raw`` is a :class:`~analysis.corpus.formats.RawArticle`, or None with the
    ``reason`` the page holds no article. The loader makes the rows (``analysis.corpus.loader``)."""
    if not data or data.isspace():
        yield "", None, "", f"empty ({len(data)} bytes{', only whitespace' if data else ''})"
        return
    if kind == "html":
        try:
            raw, encoding = page_article(data)
            yield "", raw, encoding, ""
        except InputError as error:
            yield "", None, "", str(error)
        except Exception as error:  # noqa: BLE001 - UndecodableError and parser failures
            yield "", None, "", _failure(error)
        return
    pages = records_seen = 0
    for record in iter_warc(data):
        if isinstance(record, InputError):
            yield "", None, "", str(record)
            return
        records_seen += 1
        if not record.is_page:
            continue
        pages += 1
        position = f"record {record.number}"
        if len(record.payload) > MAX_PAGE_BYTES:
            yield position, None, "", f"{position} ({record.uri}): page over {MAX_PAGE_BYTES:,} bytes, not read"
            continue
        try:
            raw, encoding = page_article(record.payload, url=record.uri, charset=record.charset)
            yield position, raw, encoding, ""
        except InputError as error:
            yield position, None, "", f"{position} ({record.uri}): {error}"
        except Exception as error:  # noqa: BLE001
            yield position, None, "", f"{position} ({record.uri}): {_failure(error)}"
    if not pages:  # a file is never dropped without a word
        yield "", None, "", (f"no page in this WARC file: none of its {records_seen} records is a successful "
                             "HTML response (status 200, text/html); see analysis.corpus.warc_records for what it "
                             "holds")


def _failure(error: Exception) -> str:
    from analysis.corpus.encodings import UndecodableError

    if isinstance(error, UndecodableError):
        return str(error)
    return f"unreadable page ({type(error).__name__}: {error})"


def warc_record_counts(data: bytes) -> dict[tuple[str, str, str, bool], int]:
    """How many records of each ``(record_type, status, content_type, is_page)`` one WARC file's bytes
    hold (a damaged file: ``("damaged", "", "", False)``)."""
    counts: dict[tuple, int] = {}
    for record in iter_warc(data, payloads=False):
        if isinstance(record, InputError):
            row = ("damaged", "", "", False)
        else:
            row = (record.record_type, record.status, record.content_type, record.is_page)
        counts[row] = counts.get(row, 0) + 1
    return counts
