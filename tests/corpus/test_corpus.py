"""The corpus loader: seed layout, formats, encodings, rejects, ids, duplicates, CLI."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import loader as corpus
from analysis.corpus import CorpusError, collect_inputs, load_corpus, parse_file, read_corpus, rejects_table
from analysis.corpus.schema import ARTICLE_COLUMNS, REJECT_COLUMNS
from analysis.text import normalize

TITLE = "برگزاری نمایشگاه صنایع دستی کارگران در شاهرود"
LEAD = ("خبرگزاری بسیج: مسئول بسیج کارگری شهرستان شاهرود از برپایی نمایشگاه صنایع دستی کارگران "
        "در هفته آینده خبر داد.")
PARAGRAPHS = [
    "وی افزود: این نمایشگاه با حضور سی غرفه از هنرمندان و کارگاه‌های خانگی برپا می‌شود.",
    "به گفته او، بازدید از نمایشگاه برای همه مردم رایگان است و تا پایان هفته ادامه دارد.",
]
URL = "http://semnan.basij.ir/node/9358"
CATEGORY = "بسیج کارگری"


def seed_layout(title=TITLE, lead=LEAD, paragraphs=PARAGRAPHS, *, category_line=None,
                url_line=f"<{URL}>", date_line=None, newline="\n") -> str:
    """An article in the seed's layout: blank lines, '## ' title, paragraphs, category line, URL."""
    category_line = category_line or f"**دسته بندی اخبار: [{CATEGORY}](#)**"
    blocks = [date_line] if date_line else []
    blocks += [lead, *paragraphs, category_line, url_line]
    text = f"\n\n## {title}\n\n\n\n" + "\n\n".join(blocks)
    return text.replace("\n", newline)


def expected_body(lead=LEAD, paragraphs=PARAGRAPHS, *, normalized=False) -> str:
    return "\n\n".join(normalize(p) if normalized else p for p in [lead, *paragraphs])


def write(path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def only_row(df: pd.DataFrame) -> pd.Series:
    assert len(df) == 1, df
    return df.iloc[0]


# --------------------------------------------------------------------------- seed layout


def test_seed_layout_article_fields(tmp_path):
    write(tmp_path / "000_article.txt", seed_layout())
    df = load_corpus(tmp_path)
    assert list(df.columns) == list(ARTICLE_COLUMNS)
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        c: str(pd.Series(dtype=t).dtype) for c, t in ARTICLE_COLUMNS.items()}
    row = only_row(df)
    assert row.title == TITLE  # as published: normalising is the next stage
    assert row.categories == [CATEGORY]
    assert row.tags == []
    assert row.url == URL
    assert (row.domain, row.site, row.article_id) == ("basij.ir", "semnan", "9358")
    assert row.lead == LEAD
    assert row.body.startswith(row.lead)
    assert row.body == expected_body()
    for leftover in ("دسته بندی", "](#)", "**", "http", "semnan.basij.ir", "##"):
        assert leftover not in row.body
    assert row.member == "" and row.encoding == "utf-8" and row.duplicate_of == ""
    assert pd.isna(row.published) and row.published_jalali == "" and row.date_source == "none"
    assert row.n_chars == len(row.body)
    assert row.n_words == len(row.body.split())
    assert df.attrs["rejects"] == []


@pytest.mark.parametrize(("date_line", "published", "jalali"), [
    ("تاریخ انتشار: ۱۳۹۴/۰۲/۱۰ - ۱۰:۳۰", "2015-04-30 10:30", "1394-02-10"),
    ("تاریخ انتشار: 1394/02/10", "2015-04-30", "1394-02-10"),
    ("**تاريخ: ۱۰ اردیبهشت ۱۳۹۴**", "2015-04-30", "1394-02-10"),
    ("Published: 2015-04-30T10:30:00", "2015-04-30 10:30", "1394-02-10"),
    ("1394/02/10 - 10:30", "2015-04-30 10:30", "1394-02-10"),
])
def test_date_line_in_any_calendar_and_digits(tmp_path, date_line, published, jalali):
    write(tmp_path / "a.txt", seed_layout(date_line=date_line))
    row = only_row(load_corpus(tmp_path))
    assert row.published == pd.Timestamp(published)
    assert row.published_jalali == jalali
    assert row.date_source == "date line"
    assert row.body == expected_body()  # the date line is not body text


def test_date_from_url_when_no_date_line(tmp_path):
    write(tmp_path / "a.txt", seed_layout(url_line="https://www.farsnews.ir/news/13911222000865/عنوان-خبر"))
    write(tmp_path / "b.txt", seed_layout(url_line="<http://www.farsnews.ir/newstext.php?nn=8707060255>"))
    df = load_corpus(tmp_path).set_index("path")
    a, b = df.loc[str(tmp_path / "a.txt")], df.loc[str(tmp_path / "b.txt")]
    assert (a.published_jalali, a.date_source, a.article_id, a.domain, a.site) == (
        "1391-12-22", "url", "13911222000865", "farsnews.ir", "")
    assert a.published == pd.Timestamp("2013-03-12")
    assert (b.published_jalali, b.date_source, b.article_id) == ("1387-07-06", "url", "8707060255")


def test_category_line_found_by_shape_with_any_label(tmp_path):
    lines = {
        "several.txt": "**دسته بندی اقبشار: [سیاسی](#), [مجلس](#)**",
        "garbled.txt": "**دسته‌بندی خبرها: [اقتصادی](#)، [بورس](#)**",
        "latin.txt": "**Category: [sports](#)**",
    }
    for name, line in lines.items():
        write(tmp_path / name, seed_layout(category_line=line))
    df = load_corpus(tmp_path).set_index("path")
    cats = {p.rsplit("/", 1)[-1]: c for p, c in df["categories"].items()}
    assert cats == {"several.txt": ["سیاسی", "مجلس"], "garbled.txt": ["اقتصادی", "بورس"],
                    "latin.txt": ["sports"]}
    assert all(body == expected_body() for body in df["body"])


def test_normalize_while_loading_or_after_gives_the_same_table(tmp_path):
    write(tmp_path / "a.txt", seed_layout().replace("ی", "ي"))
    write(tmp_path / "b.txt", seed_layout(title="گزارش", lead="متن  خبر می شود.", paragraphs=[]))
    raw = load_corpus(tmp_path)
    assert "ي" in raw["title"].iloc[0] and not raw.attrs.get("normalized")
    loaded = load_corpus(tmp_path, normalize=True)
    after = corpus.normalize_articles(raw)
    assert loaded.attrs["normalized"] and after.attrs["normalized"]
    row = loaded.iloc[0]
    assert row.title == normalize(TITLE) and row.lead == normalize(LEAD)
    assert row.body == expected_body(normalized=True)
    assert loaded.iloc[1].body == "متن خبر می‌شود." and loaded.iloc[1].n_words == 3
    pd.testing.assert_frame_equal(after.drop(columns="duplicate_of"), loaded.drop(columns="duplicate_of"))
    assert raw["title"].iloc[0] != after["title"].iloc[0]  # the input table is not changed
    pd.testing.assert_frame_equal(corpus.normalize_articles(after), after)  # marked: not again


def test_normalize_articles_keeps_the_labels_of_a_table_read_back_from_parquet(tmp_path):
    write(tmp_path / "in" / "a.txt", seed_layout().replace("ی", "ي"))
    load_corpus(tmp_path / "in").to_parquet(tmp_path / "t.parquet")
    stored = pd.read_parquet(tmp_path / "t.parquet")  # list columns come back as arrays
    row = corpus.normalize_articles(stored).iloc[0]
    assert row.categories == [CATEGORY] and row.title == normalize(TITLE)


def test_normalize_articles_names_a_table_without_text_columns():
    with pytest.raises(KeyError, match="normalize_articles"):
        corpus.normalize_articles(pd.DataFrame({"x": [1]}))


def test_tags_line_and_bare_url_and_crlf(tmp_path):
    text = seed_layout(url_line=URL, newline="\r\n") + "\r\n**برچسب‌ها: [نمایشگاه](#), [کارگران](#)**\r\n"
    write(tmp_path / "a.md", text)
    row = only_row(load_corpus(tmp_path))
    assert row.url == URL and row.categories == [CATEGORY]
    assert row.tags == ["نمایشگاه", "کارگران"]
    assert row.body == expected_body() and "\r" not in row.body + row.title


def test_plain_text_without_heading_uses_short_first_line_as_title(tmp_path):
    write(tmp_path / "a.txt", f"{TITLE}\n{LEAD}\n{PARAGRAPHS[0]}\n")
    row = only_row(load_corpus(tmp_path))
    assert row.title == TITLE
    assert row.lead == LEAD


# --------------------------------------------------------------------------- encodings


def test_windows_1256_and_utf16_twins_decode_to_the_utf8_text(tmp_path):
    text = seed_layout(date_line="تاریخ انتشار: 1394/02/10 - 10:30").replace("ی", "ي")  # cp1256 has ي
    twins = {
        "utf8.txt": text.encode("utf-8"),
        "utf8bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf16.txt": text.encode("utf-16"),
        "utf16le.txt": text.encode("utf-16-le"),
        "utf16be.txt": text.encode("utf-16-be"),
        "cp1256.txt": text.replace("\n", "\r\n").encode("cp1256"),
    }
    for name, data in twins.items():
        write(tmp_path / name, data)
    loaded = read_corpus(tmp_path)
    assert loaded.rejects.empty
    df = loaded.articles.set_index(loaded.articles["path"].str.rsplit("/", n=1).str[-1])
    assert df["encoding"].to_dict() == {
        "cp1256.txt": "cp1256", "utf16.txt": "utf-16", "utf16be.txt": "utf-16-be",
        "utf16le.txt": "utf-16-le", "utf8.txt": "utf-8", "utf8bom.txt": "utf-8-sig"}
    content = ["title", "lead", "body", "categories", "url", "published", "published_jalali", "n_words"]
    reference = df.loc["utf8.txt", content]
    for name in twins:
        assert df.loc[name, content].to_dict() == reference.to_dict(), name
    assert reference["title"] == TITLE.replace("ی", "ي")  # as published, Arabic ي and all
    # identical text in six files: five duplicates of the first in load order
    assert (df["duplicate_of"] != "").sum() == 5


# --------------------------------------------------------------------------- damaged inputs


def damaged_folder(root) -> dict[str, str]:
    """Write one file of each kind of bad input; returns file name -> word its reason must hold."""
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("good.txt", seed_layout())
        zf.writestr("notes.docx", b"PK\x03\x04junk")
        zf.writestr("empty.txt", b"")
    empty_zip = io.BytesIO()
    zipfile.ZipFile(empty_zip, "w").close()
    bad = {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b"  \n\n \r\n", "empty"),
        "invisible.txt": ("\u200c \t\u00a0\n\u200c\u200f\n".encode("utf-8"), "empty"),
        "dots.txt": ("...\n\n**دسته: [a](#)**\n".encode("utf-8"), "no text"),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        "nul.txt": (b"abc\x00\x00\x01\x02def" * 50, "binary"),
        "garbage.txt": (bytes([0xC0, 0xE9, 0xFF, 0xA1, 0x80, 0xFE]) * 200, "undecodable"),
        "only-links.txt": (f"**دسته بندی: [{CATEGORY}](#)**\n\n<{URL}>\n".encode(), "no text"),
        "report.docx": (b"PK\x03\x04 a word document", "unknown file type"),
        "README": (b"notes", "unknown file type"),
        "broken.json": (b'[{"title": "x", ', "invalid JSON"),
        "empty-list.json": (b"[]", "no records"),
        "header-only.csv": (b"title,body\n", "no rows"),
        "broken.zip": (b"PK\x03\x04 this is not really a zip", "damaged zip"),
        "empty.zip": (empty_zip.getvalue(), "holds no files"),
        "broken.parquet": (b"PAR1 not parquet at all", "Parquet"),
    }
    for name, (data, _) in bad.items():
        write(root / name, data)
    records = [{"title": TITLE, "abstract": LEAD}, 42, {"foo": "bar"}]
    write(root / "records.json", json.dumps(records, ensure_ascii=False))
    write(root / "lines.jsonl", json.dumps({"title": TITLE, "text": LEAD}, ensure_ascii=False)
          + "\n{not json\n")
    write(root / "mixed.zip", zipped.getvalue())
    return {name: word for name, (_, word) in bad.items()}


def test_damaged_folder_fully_accounted_with_readable_reasons(tmp_path):
    expected = damaged_folder(tmp_path)
    loaded = read_corpus(tmp_path)
    rejects = loaded.rejects
    assert list(rejects.columns) == list(REJECT_COLUMNS)
    by_file = {(p.rsplit("/", 1)[-1], m): r for p, m, r in rejects.itertuples(index=False)}
    for name, word in expected.items():
        reason = by_file.get((name, "")) or by_file[(name, "record 1")]  # a broken JSON list: its record
        assert word.lower() in reason.lower(), (name, reason)
    assert "number" in by_file[("records.json", "record 2")]
    assert "no title or text" in by_file[("records.json", "record 3")]
    assert "not valid JSON" in by_file[("lines.jsonl", "line 2")]
    assert "unknown file type" in by_file[("mixed.zip", "notes.docx")]
    assert "empty" in by_file[("mixed.zip", "empty.txt")]
    loaded_at = {(p.rsplit("/", 1)[-1], m) for p, m in loaded.articles[["path", "member"]].itertuples(index=False)}
    assert loaded_at == {("records.json", "record 1"), ("lines.jsonl", "line 1"), ("mixed.zip", "good.txt")}
    # loaded + rejected = inputs seen: every file shows up, every record and member once
    assert loaded.n_inputs == len(expected) + 3 + 2 + 3
    every_file = {p.name for p in tmp_path.iterdir()}
    shown = {p.rsplit("/", 1)[-1] for p in [*rejects["path"], *loaded.articles["path"]]}
    assert shown == every_file
    assert all(len(r.split()) >= 3 for r in rejects["reason"])  # sentences, not codes


def test_errors_raise_names_file_and_member(tmp_path):
    damaged_folder(tmp_path)
    with pytest.raises(CorpusError, match=r"README: unknown file type"):
        load_corpus(tmp_path, errors="raise")
    records = tmp_path / "only" / "records.json"
    write(records, json.dumps([{"title": TITLE}, [1, 2]]))
    with pytest.raises(CorpusError, match=r"records\.json \[record 2\]: record 2: not an object"):
        load_corpus(records, errors="raise")


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        load_corpus(tmp_path / "no-such-folder")
    with pytest.raises(FileNotFoundError, match=r"no files match.*\*\.txt"):
        load_corpus(str(tmp_path / "*.txt"))
    with pytest.raises(ValueError, match="errors must be"):
        load_corpus(tmp_path, errors="ignore")


# --------------------------------------------------------------------------- record formats


FARS_LIKE = {
    "title": TITLE, "abstract": LEAD, "paragraphs": PARAGRAPHS, "cat": "province", "subcat": "semnan",
    "tags": ["نمایشگاه", "کارگران"], "link": "https://www.farsnews.ir/news/13911222000865/slug",
}


def test_record_formats_and_archives_give_the_same_article(tmp_path):
    records = [FARS_LIKE, {**FARS_LIKE, "link": URL, "date": "2015-04-30 10:30", "cat": "", "subcat": ""}]
    flat = [{**r, "paragraphs": "\n".join(r["paragraphs"]), "tags": "|".join(r["tags"])} for r in records]
    write(tmp_path / "list.json", json.dumps(records, ensure_ascii=False))
    write(tmp_path / "lines.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    pd.DataFrame(flat).to_csv(tmp_path / "table.csv", index=False)
    pd.DataFrame(records).to_parquet(tmp_path / "table.parquet")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("inner/list.json", json.dumps(records, ensure_ascii=False))
        zf.writestr(".hidden.json", "garbage")
    write(tmp_path / "archive.zip", buffer.getvalue())
    with tarfile.open(tmp_path / "archive.tar.gz", "w:gz") as tf:
        data = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
        info = tarfile.TarInfo("items.jsonl")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    loaded = read_corpus(tmp_path)
    assert loaded.rejects.empty, loaded.rejects
    df = loaded.articles
    assert len(df) == 12
    first = df[df["url"].str.contains("farsnews")]
    second = df[df["url"] == URL]
    assert len(first) == len(second) == 6
    assert set(first["title"]) == {TITLE}
    assert set(first["body"]) == {expected_body()}
    assert all(c == ["province", "semnan"] for c in first["categories"])
    assert all(t == ["نمایشگاه", "کارگران"] for t in df["tags"])
    assert set(first["published_jalali"]) == {"1391-12-22"} and set(first["date_source"]) == {"url"}
    assert set(second["published"]) == {pd.Timestamp("2015-04-30 10:30")}
    assert set(second["date_source"]) == {"record"} and set(second["site"]) == {"semnan"}
    assert set(df["member"]) == {"record 1", "record 2", "line 1", "line 2", "row 1", "row 2",
                                 "inner/list.json:record 1", "inner/list.json:record 2",
                                 "items.jsonl:line 1", "items.jsonl:line 2"}
    # the same title and body twelve times: eleven duplicates of the earliest published copy,
    # the first Fars record in load order (archive.tar.gz sorts first)
    original = df[df["duplicate_of"] == ""]
    assert len(original) == 1 and (df["duplicate_of"] != "").sum() == 11
    assert original.iloc[0]["member"] == "items.jsonl:line 1"
    assert set(df.loc[df["duplicate_of"] != "", "duplicate_of"]) == {original.iloc[0]["doc_id"]}


# --------------------------------------------------------------------------- ids and duplicates


def test_doc_id_stable_across_locations_and_order(tmp_path):
    one = tmp_path / "one" / "corpus"
    for i in range(5):
        write(one / f"sub{i % 2}" / f"{i}.txt", seed_layout(title=f"{TITLE} {i}"))
    two = tmp_path / "elsewhere" / "copy"
    shutil.copytree(one, two)
    a, b = load_corpus(one), load_corpus(two)
    assert a["doc_id"].is_unique and len(a) == 5
    assert a["doc_id"].tolist() == b["doc_id"].tolist()
    files = sorted(one.rglob("*.txt"))
    forward = load_corpus(files).set_index("title")["doc_id"]
    backward = load_corpus(files[::-1]).set_index("title")["doc_id"]
    assert forward.sort_index().equals(backward.sort_index())
    # two sources with the same relative names still give unique ids
    assert load_corpus([one, two])["doc_id"].is_unique


def test_duplicate_of_points_to_earliest_published(tmp_path):
    write(tmp_path / "a.txt", seed_layout(date_line="تاریخ انتشار: ۱۳۹۴/۰۲/۱۲"))
    write(tmp_path / "b.txt", seed_layout(date_line="تاریخ انتشار: ۱۳۹۴/۰۲/۱۰"))
    write(tmp_path / "c.txt", seed_layout())  # no date: after all dated copies
    write(tmp_path / "d.txt", seed_layout(title="خبر دیگری از شاهرود"))
    df = load_corpus(tmp_path)
    ids = dict(zip(df["path"].str[-5:], df["doc_id"], strict=True))
    dup = dict(zip(df["path"].str[-5:], df["duplicate_of"], strict=True))
    assert dup == {"a.txt": ids["b.txt"], "b.txt": "", "c.txt": ids["b.txt"], "d.txt": ""}


def test_hidden_files_and_folders_are_skipped(tmp_path):
    write(tmp_path / "a.txt", seed_layout())
    write(tmp_path / ".ground_truth.jsonl", '{"doc": 1}\n')
    write(tmp_path / ".git" / "config.txt", "whatever")
    loaded = read_corpus(tmp_path)
    assert len(loaded.articles) == 1 and loaded.rejects.empty


def test_glob_and_list_sources(tmp_path):
    for name in ("a.txt", "b.txt", "c.md"):
        write(tmp_path / name, seed_layout(title=f"{TITLE} {name}"))
    assert len(load_corpus(str(tmp_path / "*.txt"))) == 2
    assert len(load_corpus([tmp_path / "a.txt", tmp_path / "c.md", tmp_path / "a.txt"])) == 2


def test_rejects_attrs_survive_concat_and_parquet(tmp_path):
    damaged_folder(tmp_path)
    df = load_corpus(tmp_path)
    assert len(rejects_table(df)) == len(df.attrs["rejects"]) > 10
    both = pd.concat([df, df])  # plain-data attrs: concat works
    assert len(both) == 2 * len(df)
    df.to_parquet(tmp_path / "out.parquet")
    assert len(pd.read_parquet(tmp_path / "out.parquet")) == len(df)


def test_parallel_load_equals_serial(tmp_path, monkeypatch):
    for i in range(12):
        write(tmp_path / f"{i:02d}.txt", seed_layout(title=f"{TITLE} {i}", date_line=f"تاریخ: 1394/02/{i + 1:02d}"))
    write(tmp_path / "zz.bin", b"\x00\x01")
    serial = read_corpus(tmp_path, workers=1)
    assert not corpus._large_folder(tmp_path)
    monkeypatch.setattr(corpus, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(corpus, "PARALLEL_MIN_BYTES", 0)
    assert corpus._large_folder(tmp_path) and not corpus._large_folder([tmp_path])
    # a large folder: the pool starts while the files are listed; a list of sources: once they are
    for source in (tmp_path, [tmp_path]):
        parallel = read_corpus(source, workers=2)
        pd.testing.assert_frame_equal(serial.articles, parallel.articles)
        pd.testing.assert_frame_equal(serial.rejects, parallel.rejects)


# --------------------------------------------------------------------------- CLI


def test_ingest_command_writes_table_and_rejects(tmp_path, capsys):
    from analysis.cli import main

    damaged_folder(tmp_path / "in")
    out = tmp_path / "out" / "articles.parquet"
    assert main(["ingest", str(tmp_path / "in"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    table = pd.read_parquet(out)
    rejects = pd.read_csv(tmp_path / "out" / "articles.rejects.csv")
    assert len(table) == 3 and len(rejects) == 21
    assert "24 inputs: 3 articles loaded" in printed and "21 rejected" in printed
    assert main(["ingest", str(tmp_path / "in" / "empty.txt"), "--out", str(out)]) == 1
    assert main(["ingest", str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert "missing" in capsys.readouterr().err


# --------------------------------------------------------------------------- properties

NAMES = st.sampled_from(["a.txt", "a.md", "a.json", "a.jsonl", "a.csv", "a.parquet", "a.zip",
                         "a.tar.gz", "a.bin"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), name=NAMES)
def test_parse_file_never_crashes_and_accounts_for_input(data, name):
    result = parse_file(data, name=name)
    assert len(result.records) + len(result.rejects) >= 1
    if name.endswith((".txt", ".md", ".bin")):
        assert len(result.records) + len(result.rejects) == 1
    for reject in result.rejects:
        assert reject["path"] == name and reject["reason"]


@given(title=st.text(max_size=60), body=st.text(max_size=300))
def test_content_hash_is_blake2b_of_title_separator_and_body(title, body):
    import hashlib

    # the key of duplicate_of and of the dataset's per-article caches: it must never change
    title, body = (t.encode("utf-8", "replace").decode("utf-8") for t in (title, body))
    expected = hashlib.blake2b(f"{title}\x1f{body}".encode("utf-8"), digest_size=16).hexdigest()
    assert corpus.content_hash(title, body.encode("utf-8")) == expected


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=400), name=st.sampled_from(["a.txt", "a.json", "a.jsonl", "a.csv"]))
def test_parse_file_on_arbitrary_text(text, name):
    result = parse_file(text.encode("utf-8"), name=name)
    assert len(result.records) + len(result.rejects) >= 1
    for row in result.records:
        assert row["title"] or row["body"]
        assert "\r" not in row["body"]


def test_load_corpus_takes_an_ingested_table_or_a_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("## عنوان خبر\n\nمتن خبر درباره بسیج.\n\n<http://semnan.basij.ir/node/1>\n", encoding="utf-8")
    loaded = load_corpus([str(corpus)], workers=1, progress=False)
    assert loaded["title"].tolist() == ["عنوان خبر"]
    table = tmp_path / "articles.parquet"
    loaded.to_parquet(table)
    assert load_corpus(str(table))["doc_id"].tolist() == loaded["doc_id"].tolist()
    with pytest.raises(FileNotFoundError, match="missing.parquet"):
        load_corpus(str(tmp_path / "missing.parquet"))


def test_files_are_found_in_the_order_of_their_path_parts(tmp_path):
    """A folder's files come where the folder's name sorts, not where '/' sorts as a character."""
    for key in ["2023-extra.txt", "2023/b.txt", "2023/a/z.txt", "2023/a.txt", "b/.hidden.txt", "a.txt"]:
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_text("## t\n\nمتن", encoding="utf-8")
    keys = [item.key for item in collect_inputs(tmp_path)]
    assert keys == ["2023/a/z.txt", "2023/a.txt", "2023/b.txt", "2023-extra.txt", "a.txt"]
    assert keys == sorted(keys, key=lambda key: key.split("/"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="اب ‌\u00a0\t\u200fx.\n", max_size=12), max_size=6))
def test_body_words_counted_from_spaces_as_split_counts_them(paragraphs):
    """The loader's word count of a body (spaces counted when that is exact) is ``wc -w``'s."""
    kept = corpus._paragraphs(paragraphs, False)
    body = "\n\n".join(kept)
    assert corpus._count_body_words(body, len(kept)) == corpus.count_words(body) == len(body.split())
