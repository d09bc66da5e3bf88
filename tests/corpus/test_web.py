"""Saved pages and WARC files: Persian news pages in the layouts of real sites (``web_pages``), read
through the loader like any other format."""

from __future__ import annotations

import gzip
import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import load_corpus, read_corpus
from analysis.corpus import warc_records
from analysis.corpus.web import page_article, web_format
from tests.corpus.web_pages import basij_page, fars_page, index_page, write_warc

PARAGRAPHS = [
    "سازمان بسیج کارگری شهرستان شاهرود نمایشگاهی از دست‌ساخته‌های کارگران برپا کرد که با استقبال "
    "گسترده مردم همراه شد.",
    "مسئول بسیج کارگری شهرستان در این مراسم گفت: این نمایشگاه با هدف معرفی توانمندی‌های کارگران و "
    "حمایت از تولید ملی برگزار شده است.",
    "وی افزود: بیش از پنجاه غرفه در این نمایشگاه حضور دارند و تا پایان هفته آینده پذیرای "
    "بازدیدکنندگان خواهند بود.",
]
BASIJ_TITLE = "برپایی نمایشگاه دست‌ساخته‌های کارگران در شاهرود"
FARS_TITLE = "تارانتینو در استقلال!/ چه کسی حرف آخر را می‌زند؟"
FARS_LEAD = "سرمربی جدید استقلال امروز با حضور در باشگاه قرارداد دو ساله خود را امضا کرد و به تمرین تیم رفت."
FARS_BODY = [
    "به گزارش خبرگزاری فارس، مدیرعامل باشگاه استقلال در نشست خبری امروز از جزئیات این قرارداد خبر داد "
    "و گفت که کادر فنی جدید از هفته آینده کار خود را آغاز می‌کند.",
    "هواداران استقلال که از صبح امروز مقابل ساختمان باشگاه جمع شده بودند، با شعار دادن از سرمربی "
    "جدید تیم استقبال کردند.",
]


def basij(**kw) -> str:
    args = dict(node=812345, title=BASIJ_TITLE, paragraphs=PARAGRAPHS, category="استان‌ها",
                date_line="تاریخ انتشار: ۱۴۰۲/۰۵/۱۲ - ۱۰:۳۰")
    return basij_page(**{**args, **kw})


def fars(**kw) -> str:
    args = dict(number="14020512000123", title=FARS_TITLE, lead=FARS_LEAD, paragraphs=FARS_BODY,
                section="ورزشی", published="2023-08-03T10:30:00+03:30", keywords=["استقلال", "فوتبال"])
    return fars_page(**{**args, **kw})


def test_web_format():
    assert [web_format(n) for n in ("a.html", "A.HTM", "c.warc", "d.warc.gz", "e.txt", "f.gz")] == \
        ["html", "html", "warc", "warc", None, None]


def test_drupal_page_with_breadcrumb_and_jalali_date_line(tmp_path):
    (tmp_path / "812345.html").write_text(basij(), encoding="utf-8")
    articles = load_corpus(tmp_path)
    assert articles.attrs["rejects"] == []
    row = articles.iloc[0]
    assert row["title"] == BASIJ_TITLE  # the h1, without the site name of <title>; ZWNJ kept
    assert row["lead"] == PARAGRAPHS[0]
    assert row["body"].split("\n\n")[:3] == PARAGRAPHS
    assert "آخرین اخبار" not in row["body"] and "کلیه حقوق" not in row["body"]  # sidebar, footer
    assert "تاریخ انتشار" not in row["body"]  # the date line is the date, not text
    assert row["url"] == "https://basijnews.ir/fa/news/812345"  # canonical link
    assert row["domain"] == "basijnews.ir"
    assert row["categories"] == ["استان‌ها"]  # breadcrumb without home crumb and title
    assert row["published"] == pd.Timestamp("2023-08-03 10:30")
    assert row["published_jalali"] == "1402-05-12"
    assert row["date_source"] == "date line"
    assert row["encoding"] == "utf-8"
    assert row["n_words"] == len(row["body"].split())


def test_fars_page_with_og_meta_and_published_time(tmp_path):
    (tmp_path / "fars.htm").write_text(fars(), encoding="utf-8")
    row = load_corpus(tmp_path).iloc[0]
    assert row["title"] == FARS_TITLE
    assert row["lead"] == FARS_LEAD
    assert row["body"].split("\n\n") == [FARS_LEAD, *FARS_BODY]
    assert row["url"] == "https://www.farsnews.ir/news/14020512000123/"  # og:url
    assert row["article_id"] == "14020512000123"
    assert row["categories"] == ["ورزشی"]  # article:section
    assert row["tags"] == ["استقلال", "فوتبال"]  # keywords
    assert row["published"] == pd.Timestamp("2023-08-03 10:30")  # the page's clock, as written
    assert row["published_jalali"] == "1402-05-12"
    assert row["date_source"] == "metadata"


@pytest.mark.parametrize("line, jalali", [
    ("تاریخ انتشار: ۱۴۰۲/۰۵/۱۲ - ۱۰:۳۰", "1402-05-12"),
    ("۱۲ مرداد ۱۴۰۲", "1402-05-12"),
    ("1402/05/12", "1402-05-12"),
    ("تاریخ: 2023-08-03", "1402-05-12"),
])
def test_date_lines_as_on_the_page(line, jalali):
    raw, _ = page_article(basij(date_line=line).encode("utf-8"))
    assert raw.date.jalali == jalali and raw.date_source == "date line"


def test_gregorian_date_found_by_trafilatura_or_htmldate():
    page = basij(date_line="").replace("<div class=\"news-date\"></div>", "").replace(
        "</head>", '<meta name="citation_publication_date" content="2021/03/04"></head>')
    raw, _ = page_article(page.encode())
    assert raw.date is not None and raw.date.gregorian.date() == datetime(2021, 3, 4).date()


def test_page_in_windows_1256(tmp_path):
    page = basij(date_line="1402/05/12").replace('<meta charset="utf-8">', '<meta charset="windows-1256">')
    page = page.replace("ی", "ي")  # pages in cp1256 write the Arabic yeh; it has ZWNJ (0x9D)
    (tmp_path / "p.html").write_bytes(page.encode("cp1256"))
    row = load_corpus(tmp_path).iloc[0]
    assert row["title"] == BASIJ_TITLE.replace("ی", "ي") and row["encoding"] == "cp1256"


def test_json_ld_breadcrumbs_and_date(tmp_path):
    page = fars().replace('<meta property="article:published_time" content="2023-08-03T10:30:00+03:30">', "")
    page = page.replace('<meta property="article:section" content="ورزشی">', "").replace("</head>", """
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "NewsArticle", "headline": "x", "datePublished": "2024-03-19T08:00:00+03:30"},
 {"@type": "BreadcrumbList", "itemListElement": [
   {"@type": "ListItem", "position": 1, "name": "خانه"},
   {"@type": "ListItem", "position": 2, "name": "ورزش"},
   {"@type": "ListItem", "position": 3, "name": "فوتبال ایران"}]}]}</script></head>""")
    raw, _ = page_article(page.encode())
    assert raw.categories == ["ورزش", "فوتبال ایران"]
    assert raw.date.jalali == "1402-12-29" and raw.date_source == "metadata"


def test_page_without_main_text_is_a_reject(tmp_path):
    (tmp_path / "archive.html").write_text(index_page(), encoding="utf-8")
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "ok.html").write_text(basij(), encoding="utf-8")
    loaded = read_corpus(tmp_path)
    assert len(loaded.articles) == 1
    reasons = dict(zip(loaded.rejects["path"].str.rsplit("/", n=1).str[-1], loaded.rejects["reason"]))
    assert reasons["archive.html"].startswith("no main text")
    assert reasons["empty.html"].startswith("empty file")


def test_html_and_seed_layout_give_the_same_row(tmp_path):
    """Pages go through the loader's own row builder: the same article as a seed-layout text file
    fills the columns the same way."""
    (tmp_path / "html").mkdir()
    (tmp_path / "txt").mkdir()
    (tmp_path / "html" / "a.html").write_text(basij(), encoding="utf-8")
    text = (f"## {BASIJ_TITLE}\n\nتاریخ انتشار: ۱۴۰۲/۰۵/۱۲ - ۱۰:۳۰\n\n" + "\n\n".join(PARAGRAPHS)
            + "\n\n**دسته بندی: [استان‌ها](#)**\n\nhttps://basijnews.ir/fa/news/812345\n")
    (tmp_path / "txt" / "a.txt").write_text(text, encoding="utf-8")
    html_row = load_corpus(tmp_path / "html").iloc[0]
    txt_row = load_corpus(tmp_path / "txt").iloc[0]
    for column in ("title", "lead", "body", "categories", "url", "domain", "article_id", "published",
                   "published_jalali", "date_source", "n_chars", "n_words"):
        assert html_row[column] == txt_row[column], column


def crawl_records():
    image = b"\xff\xd8\xff\xe0" + bytes(200)
    return [
        ("warcinfo",),
        ("request", "https://basijnews.ir/fa/news/812345"),
        ("response", "https://basijnews.ir/fa/news/812345", 200, "text/html; charset=utf-8", basij().encode()),
        ("metadata", "https://basijnews.ir/fa/news/812345", "outlinks: https://basijnews.ir/\n"),
        ("request", "https://www.farsnews.ir/news/14020512000123"),
        ("response", "https://www.farsnews.ir/news/14020512000123", 200, "text/html", fars().encode()),
        ("request", "https://basijnews.ir/fa/news/1"),
        ("response", "https://basijnews.ir/fa/news/1", 404, "text/html", b"<html><body>Not found</body></html>"),
        ("response", "http://basijnews.ir/fa/news/2", 301, "text/html",
         b"<html><body>moved</body></html>", [("Location", "https://basijnews.ir/fa/news/2")]),
        ("response", "https://basijnews.ir/logo.jpg", 200, "image/jpeg", image),
        ("response", "https://basijnews.ir/fa/archive", 200, "text/html", index_page().encode()),
    ]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_fixture(tmp_path, name):
    write_warc(tmp_path / name, crawl_records())
    loaded = read_corpus(tmp_path)
    articles = loaded.articles
    assert articles["title"].tolist() == [BASIJ_TITLE, FARS_TITLE]
    assert articles["url"].tolist() == ["https://basijnews.ir/fa/news/812345",
                                        "https://www.farsnews.ir/news/14020512000123"]  # the target URIs
    assert articles["member"].tolist() == ["record 3", "record 6"]
    assert articles["published_jalali"].tolist() == ["1402-05-12", "1402-05-12"]
    assert articles.iloc[0]["body"].split("\n\n")[:3] == PARAGRAPHS
    assert articles.iloc[1]["lead"] == FARS_LEAD
    # the index page is the one reject; requests, metadata, the 404, the redirect and the image are not rejects
    assert loaded.rejects["member"].tolist() == ["record 11"]
    assert "no main text" in loaded.rejects["reason"].iloc[0]
    counts = warc_records(tmp_path)
    table = {(t, s, c): n for t, s, c, n in counts[["record_type", "status", "content_type", "n"]].itertuples(index=False)}
    assert table == {("warcinfo", "", "application/warc-fields"): 1, ("request", "", ""): 3,
                     ("response", "200", "text/html"): 3, ("metadata", "", "application/warc-fields"): 1,
                     ("response", "404", "text/html"): 1, ("response", "301", "text/html"): 1,
                     ("response", "200", "image/jpeg"): 1}
    assert counts.loc[counts["page"], "n"].sum() == len(articles) + len(loaded.rejects)


def test_damaged_warc_keeps_the_records_before_the_damage(tmp_path):
    write_warc(tmp_path / "whole.warc", crawl_records()[:3])
    data = (tmp_path / "whole.warc").read_bytes()
    (tmp_path / "whole.warc").unlink()
    (tmp_path / "cut.warc").write_bytes(data + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\n<html>")
    loaded = read_corpus(tmp_path)
    assert loaded.articles["title"].tolist() == [BASIJ_TITLE]
    assert len(loaded.rejects) == 1 and "WARC" in loaded.rejects["reason"].iloc[0]


def test_gzip_content_encoding_and_pages_in_a_zip(tmp_path):
    import zipfile

    body = gzip.compress(fars().encode())
    write_warc(tmp_path / "c.warc.gz", [("response", "https://www.farsnews.ir/news/14020512000123", 200,
                                         "text/html", body, [("Content-Encoding", "gzip")])])
    with zipfile.ZipFile(tmp_path / "pages.zip", "w") as archive:
        archive.writestr("site/a.html", basij())
    articles = load_corpus(tmp_path)
    assert sorted(articles["title"]) == sorted([FARS_TITLE, BASIJ_TITLE])
    assert set(articles["member"]) == {"record 1", "site/a.html"}


def test_ingest_dataset_reads_warc(tmp_path):
    from analysis.scale.dataset import ingest_dataset, read_dataset, read_rejects

    (tmp_path / "crawl").mkdir()
    write_warc(tmp_path / "crawl" / "c.warc.gz", crawl_records())
    ingest_dataset(tmp_path / "crawl", tmp_path / "ds", workers=1)
    assert read_dataset(tmp_path / "ds")["title"].tolist() == [BASIJ_TITLE, FARS_TITLE]
    assert len(read_rejects(tmp_path / "ds")) == 1


def test_cli_ingest_of_html(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text(basij(), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "analysis", "ingest", str(tmp_path / "in"), "--out",
                          str(tmp_path / "a.parquet")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert pd.read_parquet(tmp_path / "a.parquet")["title"].tolist() == [BASIJ_TITLE]


def test_warc_without_pages_is_one_reject(tmp_path):
    write_warc(tmp_path / "c.warc.gz", crawl_records()[6:9])  # a request, a 404, a redirect
    loaded = read_corpus(tmp_path)
    assert loaded.articles.empty
    assert len(loaded.rejects) == 1 and "no page in this WARC file" in loaded.rejects["reason"].iloc[0]
    assert "none of its 3 records" in loaded.rejects["reason"].iloc[0]


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["p.html", "w.warc", "w.warc.gz"]))
def test_any_bytes_give_one_article_or_rejects_never_an_error(text, name):
    from analysis.corpus import parse_file

    data = text.encode("utf-8")
    if name == "p.html":
        data = b"<html><body><p>" + data + b"</p></body></html>"
    result = parse_file(data, name=name)
    assert len(result.records) + len(result.rejects) >= 1
    if name == "p.html":
        assert len(result.records) + len(result.rejects) == 1


_WORD = st.text(alphabet="ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی", min_size=2, max_size=8)
_JOINED = st.lists(_WORD, min_size=1, max_size=2).map("\u200c".join)  # «می‌روند»: ZWNJ inside words
_PARAGRAPH = st.lists(_JOINED, min_size=8, max_size=30).map(lambda words: " ".join(words) + ".")


@settings(max_examples=20, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=2, max_size=5, unique=True))  # a repeated paragraph is dropped
def test_page_paragraphs_come_back_as_written(paragraphs):
    raw, _ = page_article(basij(paragraphs=paragraphs).encode())
    assert raw.paragraphs[:len(paragraphs)] == paragraphs
    assert raw.paragraphs[len(paragraphs):] in ([], ["کد خبر: 812345"])  # the news code inside the node
    assert raw.lead == paragraphs[0]


def test_home_crumb_with_zwnj_is_dropped():
    page = basij().replace('<a href="/">صفحه نخست</a>', '<a href="/">صفحه‌ی اصلی</a>')
    raw, _ = page_article(page.encode())
    assert raw.categories == ["استان‌ها"]
