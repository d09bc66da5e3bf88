"""Seed-layout parsing, record field mapping, archives and encoding detection (no normalisation)."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.encodings import UndecodableError, decode_text
from analysis.corpus.formats import (
    InputError,
    _line_kind,
    format_of,
    iter_archive,
    iter_records,
    link_line,
    parse_article,
    record_article,
    split_paragraphs,
)

TEXT = "سازمان بسیج کارگری شهرستان شاهرود نمایشگاهی از دست‌ساخته‌های کارگران برپا کرد."


def test_parse_article_layout():
    text = ("\n\n## عنوان خبر\n\n\n\nتاریخ انتشار: ۱۴۰۱/۰۱/۱۵ - ۰۹:۱۰\n\nبند نخست\nادامه بند نخست\n\n"
            "بند دوم\n\n**دسته بندی: [الف](#), [ب](#)**\n\n**برچسب‌ها: [پ](#)**\n\nhttp://a.basij.ir/node/1\n")
    raw = parse_article(text)
    assert raw.title == "عنوان خبر"
    assert raw.paragraphs == ["بند نخست ادامه بند نخست", "بند دوم"]
    assert raw.lead == "بند نخست ادامه بند نخست"
    assert raw.categories == ["الف", "ب"] and raw.tags == ["پ"]
    assert raw.url == "http://a.basij.ir/node/1"
    assert raw.date_source == "date line" and raw.date.jalali == "1401-01-15"


def test_a_bold_line_with_text_is_not_a_category_line():
    assert link_line("**مهم: این یک [پیوند](#) است**") is None
    assert link_line("**[الف](#)، [ب](#)**") == ("", ("الف", "ب"))
    raw = parse_article(f"## t\n\n{TEXT}\n\n**مهم: این یک [پیوند](#) است**")
    assert raw.categories == [] and len(raw.paragraphs) == 2


def test_a_date_inside_text_is_not_a_date_line():
    raw = parse_article(f"## t\n\nتاریخ برگزاری این نمایشگاه ۱۴۰۱/۰۱/۱۵ اعلام شد و {TEXT}")
    assert raw.date is None and len(raw.paragraphs) == 1


def test_split_paragraphs_blocks_or_lines():
    assert split_paragraphs("a\nb\n\nc") == ["a b", "c"]
    assert split_paragraphs("a\nb\nc") == ["a", "b", "c"]
    assert split_paragraphs("\n \u200c\n") == []


def test_record_mapping_of_common_field_names():
    raw = record_article({"Headline": "t", "Summary": "lead", "Content": "p1\n\np2", "Section": "a",
                          "Keywords": "x|y", "Link": "http://x.ir/1", "PubDate": "2020-01-01"})
    assert (raw.title, raw.lead, raw.paragraphs) == ("t", "lead", ["lead", "p1", "p2"])
    assert (raw.categories, raw.tags, raw.url, raw.date) == (["a"], ["x", "y"], "http://x.ir/1", "2020-01-01")
    raw = record_article({"title": "t", "abstract": "p1", "text": "p1\n\np2", "tags": "['a', 'b']"})
    assert raw.paragraphs == ["p1", "p2"] and raw.tags == ["a", "b"]  # the lead is not repeated
    with pytest.raises(InputError, match="no title or text"):
        record_article({"id": 1})
    with pytest.raises(InputError, match="a JSON array"):
        record_article([1, 2])


def test_record_files():
    assert [p for p, _ in iter_records('{"articles": [{"title": "a"}, {"title": "b"}]}', "json")] == \
        ["record 1", "record 2"]
    assert [p for p, _ in iter_records('{"title": "a"}\n{"title": "b"}\n', "json")] == ["line 1", "line 2"]
    # a list of records with a broken one: that record is the error, the others are read
    (position, error), = iter_records("[{", "json")
    assert position == "record 1" and "invalid JSON at line 1" in str(error)
    found = list(iter_records('[{"title": "a"}, {"title": "b" "x": 1}, {"title": "c"}]', "json"))
    assert [p for p, _ in found] == ["record 1", "record 2", "record 3"]
    assert isinstance(found[1][1], InputError) and found[2][1] == {"title": "c"}
    with pytest.raises(InputError, match="invalid JSON at line 1"):
        list(iter_records('{"title": ', "json"))
    with pytest.raises(InputError, match="a string, not a list"):
        list(iter_records('"x"', "json"))


def test_formats_by_name():
    assert [format_of(n) for n in ("a.TXT", "b.md", "c.jsonl", "d.tar.gz", "e.tgz", "f.zip", "g.pq",
                                   "h.docx", "README")] == \
        ["article", "article", "jsonl", "tar", "tar", "zip", "parquet", None, None]


def test_damaged_archive():
    with pytest.raises(InputError, match="damaged zip"):
        list(iter_archive(b"PK\x03\x04garbage", "zip"))
    with pytest.raises(InputError, match="damaged tar"):
        list(iter_archive(b"\x1f\x8bgarbage", "tar"))


@pytest.mark.parametrize(("encode", "name"), [
    (lambda t: t.encode("utf-8"), "utf-8"),
    (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    (lambda t: t.encode("utf-16"), "utf-16"),
    (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    (lambda t: t.replace("ی", "ي").encode("cp1256"), "cp1256"),
])
def test_encodings_detected(encode, name):
    text = f"## عنوان\r\n\r\n{TEXT}\r\n"
    decoded, encoding = decode_text(encode(text))
    assert encoding == name
    assert decoded.replace("ي", "ی") == text.replace("\r\n", "\n")


@pytest.mark.parametrize(("data", "reason"), [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"abc\x00def" * 10, "NUL"),
    (b"\x01\x02\x03abc" * 10, "control characters"),
    (bytes(range(0x80, 0x100)) * 4, "undecodable"),
    ("Ça coûte très cher, déjà vu à l'hôtel".encode("latin-1"), "undecodable"),
])
def test_undecodable_bytes_say_why(data, reason):
    with pytest.raises(UndecodableError, match=reason):
        decode_text(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decode_text_raises_only_undecodable(data):
    try:
        text, encoding = decode_text(data)
    except UndecodableError as error:
        assert str(error)
    else:
        assert "\r" not in text and encoding


METADATA_PIECES = st.sampled_from(["تاریخ انتشار", "تاریخ", "Date", "دسته بندی", "**", "*", "<", ">", ":", "：", " ",
                                    "۱۴۰۱/۰۱/۱۵", "2022-04-04", "۰۹:۱۰", "- ", "http://a.basij.ir/node/1", "HTTP://x.ir",
                                    "[الف](#)", ", ", "خبر", "h", "H", "۱۲", "9", "/" + "n" * 80])


@settings(max_examples=300)
@given(pieces=st.lists(METADATA_PIECES, min_size=1, max_size=8))
def test_parse_article_reads_every_metadata_line(pieces):
    # parse_article hands only lines that can be metadata to _line_kind: it must not skip one
    line = "".join(pieces).strip()
    found = _line_kind(line) if line else None
    raw = parse_article(f"## عنوان\n\n{TEXT}\n\n{line}\n")
    if found is None:
        return
    kind, value = found
    if kind == "url":
        assert raw.url == value
    elif kind == "date":
        assert raw.date == value and raw.date_source == "date line"
    else:
        assert raw.categories or raw.tags


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_parse_article_never_raises(text):
    raw = parse_article(text)
    assert all(p and p == p.strip() for p in raw.paragraphs)
    assert raw.lead == (raw.paragraphs[0] if raw.paragraphs else "")


@pytest.mark.parametrize("kind", ["json", "jsonl"])
def test_lone_surrogate_escapes_become_replacement_characters(kind):
    """``"\\ud800"`` is valid JSON but no character: it would make the row unwritable (UTF-8, Arrow)."""
    text = '{"title": "a\\ud800b", "body": "\\ud83d\\ude00 \\udfff"}'
    (_, record), = iter_records(f"[{text}]" if kind == "json" else text, kind)
    assert record == {"title": "a\ufffdb", "body": "\U0001F600 \ufffd"}
