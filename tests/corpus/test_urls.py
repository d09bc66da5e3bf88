"""Domain, site and article id from article URLs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.urls import _PLAIN_URL, UrlParts, _article_id, _domain_and_site, _host, _split, article_id, find_url, \
    registered_domain, url_parts


@pytest.mark.parametrize(("url", "parts"), [
    ("http://semnan.basij.ir/node/9358", ("basij.ir", "semnan", "9358")),
    ("https://WWW.Basij.ir/node/12/", ("basij.ir", "", "12")),
    ("https://m.semnan.basij.ir:8080/node/77?x=1", ("basij.ir", "semnan", "77")),
    ("https://www.farsnews.ir/news/13911222000865/عنوان-خبر", ("farsnews.ir", "", "13911222000865")),
    ("http://www.farsnews.com/newstext.php?nn=8707060255", ("farsnews.com", "", "8707060255")),
    ("https://www.varzesh3.com/news/1658932/slug", ("varzesh3.com", "", "1658932")),
    ("https://news.ut.ac.ir/fa/news/4521", ("ut.ac.ir", "news", "4521")),
    ("http://www.irna.co.ir/fa/News/81234567", ("irna.co.ir", "", "81234567")),
    ("https://www.bbc.co.uk/persian/iran-51234567", ("bbc.co.uk", "", "51234567")),
    ("https://example.com/story.php?id=55", ("example.com", "", "55")),
    ("https://example.com/about", ("example.com", "", "")),
    ("http://127.0.0.1/node/5", ("127.0.0.1", "", "5")),
    ("", ("", "", "")),
    ("not a url", ("", "", "")),
])
def test_url_parts(url, parts):
    assert url_parts(url) == UrlParts(*parts)


def test_helpers():
    assert registered_domain("http://a.b.kerman.basij.ir/x") == "basij.ir"
    assert url_parts("http://a.kerman.basij.ir/x").site == "a.kerman"
    assert article_id("https://x.ir/news/۱۲۳۴") == "1234"  # Persian digits
    assert find_url("منبع: <http://semnan.basij.ir/node/9358>.") == "http://semnan.basij.ir/node/9358"
    assert find_url("بدون نشانی") == ""


@settings(max_examples=120, deadline=None)
@given(st.text(max_size=80))
def test_url_parts_never_raise(text):
    for url in (text, "http://" + text, "https://x.ir/" + text):
        parts = url_parts(url)
        assert all(isinstance(p, str) for p in parts)


def _parts_by_urlsplit(url: str) -> UrlParts:
    parts = _split(url)
    return UrlParts(*_domain_and_site(_host(parts)), _article_id(parts)) if parts else UrlParts("", "", "")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["http", "https", "HTTP"]),
       st.text(alphabet="abcXY019.-", min_size=1, max_size=20),
       st.text(alphabet="/abc019-_.;=&!~@:$+,'", max_size=30))
def test_plain_urls_read_as_urlsplit_reads_them(scheme, host, path):
    """The fast reading of plain URLs gives what ``urlsplit`` and ``unquote`` give."""
    url = f"{scheme}://{host}{'/' + path if path else ''}"
    assert _PLAIN_URL.fullmatch(url)
    assert url_parts(url) == _parts_by_urlsplit(url)
