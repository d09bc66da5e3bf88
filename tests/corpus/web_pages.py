"""Saved Persian news pages in the layouts of real news sites, and WARC files holding them, made
here (nothing is downloaded): the fixtures of ``test_web.py`` and of ``bench/speed/html_ingest.py``.

- ``basij_page``: a Drupal page as Basij News serves it: breadcrumb trail, ``<h1>``, a Jalali date
  line (``تاریخ انتشار: ۱۴۰۲/۰۵/۱۲ - ۱۰:۳۰``), the body in a field div, canonical link, a menu, a
  sidebar of related links and a footer;
- ``fars_page``: a page as Fars serves it: ``og:`` meta tags, ``article:published_time`` (ISO,
  Tehran offset), ``article:section``, keywords, a lead paragraph and the body, no canonical link.
"""

from __future__ import annotations

import html
import io

MENU = ["صفحه نخست", "سیاسی", "اقتصادی", "اجتماعی", "فرهنگی", "ورزشی", "بین‌الملل", "استان‌ها"]
RELATED = ["برگزاری اردوی جهادی در روستاهای محروم استان", "دیدار فرمانده سپاه با خانواده شهدا",
           "افتتاح نمایشگاه دستاوردهای بسیج سازندگی", "همایش بزرگ رهروان ولایت در مصلی"]


def _menu() -> str:
    items = "".join(f'<li><a href="/fa/category/{i}">{html.escape(name)}</a></li>' for i, name in enumerate(MENU))
    return f'<nav class="main-menu"><ul>{items}</ul></nav>'


def _sidebar() -> str:
    items = "".join(f'<li><a href="/fa/news/{900 + i}">{html.escape(t)}</a></li>' for i, t in enumerate(RELATED))
    return f'<aside class="sidebar"><h3>آخرین اخبار</h3><ul>{items}</ul></aside>'


def page_weight(kilobytes: int) -> str:
    """Inline scripts and styles of about ``kilobytes`` kB, as real news pages carry (most of their
    50-300 kB): analytics, ad slots, a menu's CSS."""
    rule = ".menu-item-{0} a{{color:#1a4d8f;padding:4px 8px;border-bottom:1px solid #e0e0e0}}\n"
    script = "window.dataLayer.push({{'event':'slot-{0}','id':{0},'sizes':[[300,250],[728,90]]}});\n"
    lines, size, i = [], 0, 0
    while size < kilobytes * 1000:
        line = (rule if i % 2 else script).format(i)
        lines.append(line)
        size += len(line)
        i += 1
    styles = "".join(lines[1::2])
    scripts = "".join(lines[0::2])
    return f"<style>{styles}</style>\n<script>window.dataLayer=[];\n{scripts}</script>\n" if kilobytes else ""


def basij_page(*, node: int, title: str, paragraphs: list[str], category: str, date_line: str,
               host: str = "basijnews.ir", weight: int = 0) -> str:
    """A Drupal (Basij News) article page; ``weight``: kB of inline scripts and styles."""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    url = f"https://{host}/fa/news/{node}"
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | پایگاه خبری بسیج</title>
<link rel="canonical" href="{url}">
<link rel="shortlink" href="/node/{node}">
<meta name="Generator" content="Drupal 7 (http://drupal.org)">
{page_weight(weight)}</head>
<body class="html not-front page-node page-node-{node} node-type-news">
<div id="header"><a href="/" class="logo">پایگاه خبری بسیج</a>{_menu()}</div>
<div id="main">
<div class="breadcrumb"><a href="/">صفحه نخست</a> » <a href="/fa/news-category/{category}">{html.escape(category)}</a> » {html.escape(title)}</div>
<div id="node-{node}" class="node node-news">
<h1 class="title">{html.escape(title)}</h1>
<div class="news-date">{html.escape(date_line)}</div>
<div class="field field-name-body"><div class="field-items"><div class="field-item even">
{body}</div></div></div>
<div class="news-code">کد خبر: {node}</div>
</div>
{_sidebar()}
</div>
<div id="footer"><p>کلیه حقوق این سایت متعلق به پایگاه خبری بسیج است.</p></div>
</body>
</html>
"""


def fars_page(*, number: str, title: str, lead: str, paragraphs: list[str], section: str, published: str,
              keywords: list[str], weight: int = 0) -> str:
    """A Fars-like article page (og: and article: meta tags, lead paragraph); ``weight``: kB of
    inline scripts and styles."""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    url = f"https://www.farsnews.ir/news/{number}/"
    return f"""<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>خبرگزاری فارس - {html.escape(title)}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="خبرگزاری فارس">
<meta property="og:description" content="{html.escape(lead)}">
<meta property="article:published_time" content="{published}">
<meta property="article:section" content="{html.escape(section)}">
<meta name="keywords" content="{html.escape(', '.join(keywords))}">
{page_weight(weight)}</head>
<body>
<header>{_menu()}</header>
<main>
<article class="news-box">
<h1 class="title">{html.escape(title)}</h1>
<p class="lead">{html.escape(lead)}</p>
<div class="nt-body">
{body}</div>
<div class="tags">{''.join(f'<a href="/tag/{html.escape(k)}">{html.escape(k)}</a>' for k in keywords)}</div>
</article>
{_sidebar()}
</main>
<footer><p>تمامی حقوق برای خبرگزاری فارس محفوظ است.</p></footer>
</body>
</html>
"""


def index_page() -> str:
    """A section index page: menus and a list of links, no article text."""
    links = "".join(f'<li><a href="/fa/news/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(RELATED))
    return f"""<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>آرشیو اخبار</title></head>
<body>{_menu()}<ul class="list">{links}</ul></body></html>"""


def write_warc(path, records: list[tuple]) -> None:
    """Write a gzipped (``.warc.gz``) or plain WARC file with warcio. ``records``: tuples
    ``("request", uri)``, ``("response", uri, status, content_type, body bytes[, extra headers])``,
    ``("metadata", uri, text)`` or ``("warcinfo",)``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    reasons = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 500: "Internal Server Error"}
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=str(path).endswith(".gz"))
        for item in records:
            kind = item[0]
            if kind == "warcinfo":
                writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
            elif kind == "request":
                headers = StatusAndHeaders(f"GET {item[1].split('/', 3)[-1] or '/'} HTTP/1.1",
                                           [("Host", item[1].split("/")[2]), ("User-Agent", "test")],
                                           is_http_request=True)
                writer.write_record(writer.create_warc_record(item[1], "request", http_headers=headers))
            elif kind == "metadata":
                writer.write_record(writer.create_warc_record(item[1], "metadata", payload=io.BytesIO(item[2].encode()),
                                                              warc_content_type="application/warc-fields"))
            else:
                uri, status, content_type, body = item[1:5]
                extra = list(item[5]) if len(item) > 5 else []
                headers = StatusAndHeaders(f"{status} {reasons.get(status, 'OK')}",
                                           [("Content-Type", content_type), *extra], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                              http_headers=headers))
