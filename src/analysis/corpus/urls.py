"""What an article's URL says: registered domain, (provincial) site and article id.

``url_parts("http://semnan.basij.ir/node/9358")`` -> ``UrlParts(domain="basij.ir", site="semnan",
article_id="9358")``. The rules live in data files: two-label public suffixes
(``loader/domain_suffixes.txt``: ``ut.ac.ir`` is a registered domain), host prefixes that name no
site (``loader/generic_subdomains.txt``: www, m, ...) and article-id patterns
(``loader/article_id_patterns.txt``: Drupal ``/node/N``, Fars ``/news/N/...``, trailing numbers).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from analysis._core.persian import latin_digits
from analysis._core.resources import read_wordlist

_HOST = re.compile(r"[a-z0-9\-_]+(?:\.[a-z0-9\-_]+)+|localhost|xn--[a-z0-9\-]+(?:\.[a-z0-9\-]+)+")
_URL = re.compile(r"https?://[^\s<>\"'\]\)]+", re.IGNORECASE)


class UrlParts(NamedTuple):
    domain: str  # registered domain: basij.ir, farsnews.ir, ut.ac.ir
    site: str  # subdomain naming the site: semnan ('' for www or none)
    article_id: str  # 9358 ('' when the URL holds no id)


@lru_cache(maxsize=1)
def _suffixes() -> frozenset[str]:
    return frozenset(s.lower() for s in read_wordlist("loader/domain_suffixes.txt"))


@lru_cache(maxsize=1)
def _generic_subdomains() -> frozenset[str]:
    return frozenset(s.lower() for s in read_wordlist("loader/generic_subdomains.txt"))


@lru_cache(maxsize=1)
def _id_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in read_wordlist("loader/article_id_patterns.txt"))


def find_url(text: str) -> str:
    """The first http(s) URL in ``text`` ('' if none), without surrounding ``<>``."""
    found = _URL.search(text or "")
    return found.group(0).rstrip(".,;:!?،") if found else ""


def _split(url: str):
    """``urlsplit`` of a URL (``http://`` assumed when it has no scheme); None if it is malformed."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url.lstrip("/")
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _host(parts) -> str:
    try:
        host = parts.hostname or ""
    except ValueError:
        return ""
    return _valid_host(host)


@lru_cache(maxsize=4096)  # a corpus has few hosts
def _valid_host(host: str) -> str:
    """A host name lower-cased, without its trailing dot; '' when it is no host name."""
    host = host.rstrip(".").lower()
    return host if _HOST.fullmatch(host) else ""


def host_of(url: str) -> str:
    """Lower-case host name of a URL without port or trailing dot ('' if none)."""
    parts = _split(url) if url else None
    return _host(parts) if parts is not None else ""


def split_host(host: str) -> tuple[str, str]:
    """(registered domain, subdomain) of a host: ``semnan.basij.ir`` -> (``basij.ir``, ``semnan``)."""
    if not host:
        return "", ""
    labels = host.split(".")
    if len(labels) < 2 or all(label.isdigit() for label in labels):  # localhost, IP address
        return host, ""
    keep = 3 if ".".join(labels[-2:]) in _suffixes() and len(labels) >= 3 else 2
    return ".".join(labels[-keep:]), ".".join(labels[:-keep])


def registered_domain(url: str) -> str:
    """Registered domain of a URL: ``http://semnan.basij.ir/node/1`` -> ``basij.ir``."""
    return split_host(host_of(url))[0]


def site_of(subdomain: str) -> str:
    """The site a subdomain names: ``semnan`` -> ``semnan``; ``www``/``m``/'' -> ''."""
    labels = [label for label in subdomain.split(".") if label]
    while labels and labels[0] in _generic_subdomains():
        labels.pop(0)
    return ".".join(labels)


def article_id(url: str) -> str:
    """Id of the article in its URL ('' if none): Drupal node, Fars/Varzesh3 news number..."""
    parts = _split(url) if url else None
    return _article_id(parts) if parts is not None else ""


def _article_id(parts) -> str:
    query = "?" + latin_digits(unquote(parts.query)) if parts.query else ""
    return _id_in(latin_digits(unquote(parts.path or "/")), query)


def _id_in(path: str, query: str) -> str:
    """The first id pattern's id in the (decoded) path, or else in the query ('' if none)."""
    for pattern in _id_patterns():
        found = pattern.search(path) or (query and pattern.search(query))
        if found:
            return found.group(1)
    return ""


@lru_cache(maxsize=4096)
def _domain_and_site(host: str) -> tuple[str, str]:
    """(registered domain, site) of a host; memoised, as a corpus has few hosts."""
    domain, subdomain = split_host(host)
    return domain, site_of(subdomain)


#: ``http(s)://host/path`` with nothing ``urlsplit`` or ``unquote`` would change: a host of letters,
#: digits, dots and hyphens; a path of printable ASCII without ``#``, ``%``, ``<`` or ``?``
_PLAIN_URL = re.compile(r"https?://([a-z0-9.\-]+)(/[!-\"$&-;=>@-~]*)?", re.IGNORECASE)


def url_parts(url: str) -> UrlParts:
    """Domain, site and article id of a URL (empty strings where the URL says nothing)."""
    plain = _PLAIN_URL.fullmatch(url) if url else None
    if plain is not None:  # the usual URL, read without urlsplit (same parts: tested)
        return UrlParts(*_domain_and_site(_valid_host(plain[1])), _id_in(plain[2] or "/", ""))
    parts = _split(url) if url else None
    if parts is None:
        return UrlParts("", "", "")
    domain, site = _domain_and_site(_host(parts))
    return UrlParts(domain, site, _article_id(parts))
