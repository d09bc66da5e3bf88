"""Crawl noise and hostile inputs: the loader loses no article to noise, every input is counted, and no
input can block the run or exhaust the machine. Faults that could hang or kill run in a subprocess
with a timeout."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import load_corpus, make_doc_id, parse_file, read_corpus
from analysis.corpus.encodings import UndecodableError, decode_text, decode_text_counted
from analysis.corpus.formats import iter_records, parse_article

SRC = str(Path(__file__).resolve().parents[1] / "src")
FIXTURES = Path(__file__).parents[1] / "fixtures"
TITLE = "تارانتینو در استقلال!/ چه کسی حرف آخر را می‌زند؟"
BODY = "سرمربی جدید استقلال هنوز معرفی نشده است و باشگاه تا پایان هفته تصمیم می‌گیرد."


def run_python(code: str, cwd: Path, timeout: float = 120, stdin: str | None = None, args=()) -> subprocess.CompletedProcess:
    """Run Python code in a fresh interpreter that imports this worktree's package."""
    env = {**os.environ, "PYTHONPATH": SRC, "TQDM_DISABLE": "1"}
    command = [sys.executable, *args] if stdin is not None else [sys.executable, "-c", code, *args]
    return subprocess.run(command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=timeout,
                          check=False)


def rejects_of(articles):
    return {(Path(r["path"]).name, r["member"]): r["reason"] for r in articles.attrs["rejects"]}


# --------------------------------------------------------------------------- 1. stray control characters


STRAYS = "\x7f\x08\x01\x02\x0b\x1f\x0e"


def test_stray_control_characters_are_dropped_and_counted(tmp_path):
    (tmp_path / "a.txt").write_text(f"## {TITLE}\x7f\n\n{BODY[:20]}\x08{BODY[20:]}\x01\n", encoding="utf-8")
    articles = load_corpus(tmp_path, workers=1)
    assert articles.attrs["rejects"] == []
    (row,) = articles.itertuples()
    assert row.title == TITLE and row.body == BODY and row.n_control_chars == 3


def test_records_file_with_strays_keeps_every_record(tmp_path):
    records = [{"title": f"{TITLE} {n}", "body": BODY} for n in range(50)]
    records[7]["body"] = BODY.replace(" ", " \x7f", 8)
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (tmp_path / "crawl.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "crawl.json").write_text(json.dumps(records, ensure_ascii=False).replace("\\u007f", "\x7f"),
                                         encoding="utf-8")
    articles = load_corpus(tmp_path, workers=1)
    assert articles.attrs["rejects"] == [] and len(articles) == 100
    assert (articles["body"] == BODY).all()
    assert sorted(articles["n_control_chars"].tolist()) == [0] * 98 + [8, 8]


def test_a_broken_record_of_a_json_list_is_a_reject_of_that_record_only():
    records = [json.dumps({"title": f"{TITLE} {n}", "body": BODY}, ensure_ascii=False) for n in range(4)]
    records[1] = records[1].replace('", "body"', '" "body"')  # a comma lost
    text = "[\n" + ",\x7f\n".join(records) + "\n]"  # and DEL between the records
    result = parse_file(text.encode(), name="crawl.json")
    assert [r["member"] for r in result.records] == ["record 1", "record 3", "record 4"]
    (reject,) = result.rejects
    assert reject["member"] == "record 2" and "invalid JSON" in reject["reason"]


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    (b"PK\x03\x04" + bytes(200), "zip"),
    (b"abc\x00def" * 10, "NUL"),
    (b"\x01\x02\x03abc" * 10, "control characters"),
    (bytes(range(0x80, 0x100)) * 4, "undecodable"),
])
def test_real_binaries_are_still_rejected(data, reason):
    with pytest.raises(UndecodableError, match=reason):
        decode_text(data)


def test_random_bytes_are_rejected():
    data = os.urandom(4096)
    result = parse_file(data, name="noise.txt")
    assert not result.records and len(result.rejects) == 1


WORDS = st.lists(st.text(alphabet="ابپتثجچحخدذرزسشصطظعغفقکگلمنوهی", min_size=1, max_size=8),
                 min_size=2, max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=WORDS, strays=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(STRAYS)),
                                    min_size=1, max_size=5),
       name=st.sampled_from(["a.txt", "a.jsonl", "a.csv"]))
def test_text_with_a_few_control_characters_loads_with_the_same_words(words, strays, name):
    title, body = " ".join(words[:2]), " ".join(words[2:]) or "متن"
    noisy = [title, body]
    for position, char in strays:  # inserted anywhere in the title or the body
        part = position % 2
        at = position % (len(noisy[part]) + 1)
        noisy[part] = noisy[part][:at] + char + noisy[part][at:]
    if name == "a.txt":
        data = f"## {noisy[0]}\n\n{noisy[1]}\n"
    elif name == "a.jsonl":
        data = json.dumps({"title": noisy[0], "body": noisy[1]}, ensure_ascii=False)
    else:
        data = f'title,body\n"{noisy[0]}","{noisy[1]}"\n'
    result = parse_file(data.encode("utf-8"), name=name)
    assert result.rejects == []
    (row,) = result.records
    assert row["title"].split() == title.split() and row["body"].split() == body.split()
    assert row["n_control_chars"] == len(strays)


def test_decode_text_counted_keeps_strays_when_asked():
    text, encoding, n = decode_text_counted(f"{TITLE}\x7f{BODY}".encode(), strip=False)
    assert (text, encoding, n) == (f"{TITLE}\x7f{BODY}", "utf-8", 1)


# --------------------------------------------------------------------------- 2. plain-text titles


def test_plain_text_fixture_every_title_is_the_first_line_of_text():
    folder = FIXTURES / "plain_titles"
    articles = load_corpus(folder, workers=1)
    assert articles.attrs["rejects"] == [] and len(articles) == 10
    metadata = ("http", "۱۴۰۲/", "سرویس:")
    for row in articles.itertuples():
        lines = [line for line in (folder / Path(row.path).name).read_text(encoding="utf-8").splitlines()
                 if not line.startswith(metadata)]
        assert row.title == lines[0]
        assert row.lead == lines[1]
    by_file = articles.set_index(articles["path"].map(lambda p: Path(p).name))
    assert by_file.loc["09.txt", "categories"] == ["ورزشی"]
    assert by_file.loc["10.txt", "url"] == "http://www.example.ir/news/1234"
    assert by_file.loc["10.txt", "published_jalali"] == "1402-07-14"


@pytest.mark.parametrize(("first", "is_title"), [
    ("چرا قیمت‌ها بالا رفت؟", True),
    ("پیروزی!", True),
    ("«نه» به مذاکره/ پاسخ تهران", True),
    ("۱۰ نکته درباره بودجه ۱۴۰۳", True),
    ("ماجرای «پرونده ۱۲۰»...", True),
    ("این جمله اول است. این جمله دوم است و پاراگراف ادامه دارد.", False),
    ("خبرگزاری بسیج: نماینده ولی‌فقیه در استان گفت: بسیج سرمایه انقلاب است.", False),
    ("به گزارش خبرگزاری، موارد زیر اعلام شد:", False),
    ("متن " * 60, False),
])
def test_first_line_is_the_title_unless_it_clearly_is_not(first, is_title):
    raw = parse_article(f"{first.strip()}\n{BODY}\n")
    assert (raw.title == first.strip()) is is_title


# --------------------------------------------------------------------------- 3. archive members


def test_archive_members_with_dotdot_or_absolute_paths_are_read(tmp_path):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("../escape.txt", f"## {TITLE}\n\n{BODY}\n")
        zf.writestr("/abs/path.txt", f"## {TITLE} ۲\n\n{BODY}\n")
        zf.writestr("a/../../b.txt", f"## {TITLE} ۳\n\n{BODY}\n")
    (tmp_path / "crawl.zip").write_bytes(zipped.getvalue())
    articles = load_corpus(tmp_path, workers=1)
    assert sorted(articles["member"]) == ["../escape.txt", "/abs/path.txt", "a/../../b.txt"]
    assert articles.attrs["rejects"] == []
    assert not (tmp_path.parent / "escape.txt").exists()


def test_tar_links_and_devices_are_counted_as_rejects(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        data = f"## {TITLE}\n\n{BODY}\n".encode()
        info = tarfile.TarInfo("good.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for name, kind, link in [("sym.txt", tarfile.SYMTYPE, "/etc/passwd"), ("hard.txt", tarfile.LNKTYPE, "good.txt"),
                                 ("dev.txt", tarfile.CHRTYPE, ""), ("pipe.txt", tarfile.FIFOTYPE, "")]:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, link
            tar.addfile(info)
    (tmp_path / "crawl.tar.gz").write_bytes(buffer.getvalue())
    articles = load_corpus(tmp_path, workers=1)
    assert articles["member"].tolist() == ["good.txt"]
    rejects = rejects_of(articles)
    assert "symbolic link to '/etc/passwd'" in rejects[("crawl.tar.gz", "sym.txt")]
    assert "hard link to 'good.txt'" in rejects[("crawl.tar.gz", "hard.txt")]
    assert "character device" in rejects[("crawl.tar.gz", "dev.txt")]
    assert "FIFO" in rejects[("crawl.tar.gz", "pipe.txt")]


def test_an_object_holding_two_lists_of_records_reads_both(tmp_path):
    payload = {"news": [{"title": f"{TITLE} {n}", "body": BODY} for n in range(3)],
               "sport": [{"title": f"ورزش {n}", "body": BODY} for n in range(2)], "count": 5}
    (tmp_path / "dump.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    articles = load_corpus(tmp_path, workers=1)
    assert articles["member"].tolist() == [f"news record {n}" for n in (1, 2, 3)] + ["sport record 1", "sport record 2"]
    assert articles.attrs["rejects"] == []


# --------------------------------------------------------------------------- 4. scripts


def write_corpus(root: Path, n: int = 450) -> None:
    root.mkdir()
    for i in range(n):
        (root / f"{i:04d}.txt").write_text(f"## خبر {i}\n\n{BODY}\n", encoding="utf-8")


SCRIPT = """\
import analysis.corpus.loader as corpus
corpus.PARALLEL_MIN_BYTES = 1000  # this small folder is then worth workers (_worth_parallel)
pools = []
start_pool = corpus.worker_pool
corpus.worker_pool = lambda *args, **kwargs: pools.append(start_pool(*args, **kwargs)) or pools[-1]
articles = corpus.load_corpus("corpus", workers=2)
print("loaded", len(articles), len(articles.attrs["rejects"]), "pool" if any(pools) else "no pool")
"""


@pytest.mark.parametrize("how", ["script", "stdin"])
def test_plain_scripts_without_main_guard_use_the_pool(tmp_path, how):
    write_corpus(tmp_path / "corpus")
    (tmp_path / "user_script.py").write_text(SCRIPT)
    if how == "script":
        done = run_python("", tmp_path, stdin="", args=["user_script.py"])
    else:
        done = run_python("", tmp_path, stdin=SCRIPT, args=["-"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded 450 0 pool"
    assert "Traceback" not in done.stderr


def test_a_process_being_started_works_alone_with_a_notice(tmp_path):
    write_corpus(tmp_path / "corpus")
    code = SCRIPT.replace("import analysis.corpus.loader as corpus", textwrap.dedent("""\
        import multiprocessing
        import analysis.corpus.loader as corpus
        multiprocessing.current_process()._inheriting = True  # as while multiprocessing bootstraps"""))
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded 450 0 no pool"
    assert done.stderr.count("\n") == 1 and "one process" in done.stderr


# --------------------------------------------------------------------------- 5. folders as labels


def test_categories_from_folder(tmp_path):
    for section in ("sport", "economy"):
        (tmp_path / "2023" / section).mkdir(parents=True)
        (tmp_path / "2023" / section / "a.txt").write_text(f"## {TITLE}\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "2023" / "sport" / "b.txt").write_text(f"## {TITLE}\n\n**دسته: [فوتبال](#)**\n\n{BODY}\n",
                                                        encoding="utf-8")
    (tmp_path / "top.txt").write_text(f"## {TITLE}\n\n{BODY}\n", encoding="utf-8")
    articles = load_corpus(tmp_path, workers=1, categories_from="folder")
    found = dict(zip(articles["path"].map(lambda p: Path(p).relative_to(tmp_path).as_posix()), articles["categories"]))
    assert found == {"2023/economy/a.txt": ["economy"], "2023/sport/a.txt": ["sport"],
                     "2023/sport/b.txt": ["فوتبال"], "top.txt": []}
    assert load_corpus(tmp_path, workers=1)["categories"].map(len).tolist() == [0, 0, 1, 0]


# --------------------------------------------------------------------------- 6. bounded reads


def zeros_deflate(size: int) -> tuple[bytes, int]:
    """Raw deflate data of ``size`` zero bytes, made without compressing them all: after a full
    flush each MiB of zeros compresses to the same bytes. Returns (data, crc32)."""
    mib = 1 << 20
    assert size % mib == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(mib)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    piece = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = first + piece * (size // mib - 1) + compressor.flush()
    crc = 0
    for _ in range(size // mib):
        crc = zlib.crc32(zeros, crc)
    return data, crc


def zip_bomb(path: Path, size: int) -> None:
    """A zip holding ``bomb.txt`` of ``size`` zero bytes (under 4 GiB: no zip64), written by hand."""
    data, crc = zeros_deflate(size)
    name = b"bomb.txt"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(name),
                          0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)


def tar_gz_bomb(path: Path, size: int) -> None:
    """A .tar.gz whose member ``bomb.txt`` is ``size`` zero bytes (the end of the tar is left out:
    no reader gets there)."""
    info = tarfile.TarInfo("bomb.txt")
    info.size = size
    header = info.tobuf(format=tarfile.GNU_FORMAT)
    data, _ = zeros_deflate(size)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(header) + compressor.flush(zlib.Z_FULL_FLUSH)
    gzip_header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    path.write_bytes(gzip_header + head + data)


BOMB_CHECK = """\
import resource, sys, time
from analysis.corpus import read_corpus
start = time.monotonic()
loaded = read_corpus("corpus", workers=1)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(len(loaded.articles), "|".join(loaded.rejects["member"] + " " + loaded.rejects["reason"]))
print(peak, time.monotonic() - start)
"""


@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_archive_bomb_is_rejected_with_its_size_in_bounded_memory(tmp_path, kind):
    size = 3 << 30  # 3 GiB of zeros, a few MB on disk
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "good.txt").write_text(f"## {TITLE}\n\n{BODY}\n", encoding="utf-8")
    (zip_bomb if kind == "zip" else tar_gz_bomb)(tmp_path / "corpus" / f"bomb.{kind}", size)
    assert (tmp_path / "corpus" / f"bomb.{kind}").stat().st_size < 20 << 20
    done = run_python(BOMB_CHECK, tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded, rejects = done.stdout.splitlines()[0].split(" ", 1)
    peak, seconds = map(float, done.stdout.splitlines()[1].split())
    assert loaded == "1"
    assert f"bomb.txt archive member of {size:,} bytes" in rejects and "max_bytes" in rejects
    assert peak < 1 << 30
    assert seconds < 60  # refused from the header: nothing decompressed


def test_member_over_the_limit_is_read_with_a_cap(tmp_path):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", f"## {TITLE}\n\n" + BODY * 2000)
        zf.writestr("small.txt", f"## {TITLE}\n\n{BODY}\n")
    result = parse_file(zipped.getvalue(), name="a.zip", max_bytes=10_000)
    assert [r["member"] for r in result.records] == ["small.txt"]
    (reject,) = result.rejects
    assert reject["member"] == "big.txt" and "over the 10,000-byte limit" in reject["reason"]


def test_archive_budget_bounds_the_decompressed_bytes(tmp_path):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(5):
            zf.writestr(f"{n}.txt", f"## {TITLE} {n}\n\n" + BODY * 20)
    result = parse_file(zipped.getvalue(), name="a.zip", max_archive_bytes=6_000)
    assert len(result.records) + len(result.rejects) == 5
    assert result.rejects and all("max_archive_bytes" in r["reason"] for r in result.rejects)


def test_file_over_the_limit_is_rejected_with_its_size(tmp_path):
    (tmp_path / "big.txt").write_text(f"## {TITLE}\n\n" + BODY * 100, encoding="utf-8")
    size = (tmp_path / "big.txt").stat().st_size
    articles = load_corpus(tmp_path, workers=1, max_bytes=1000)
    assert f"file of {size:,} bytes, over the 1,000-byte limit" in rejects_of(articles)[("big.txt", "")]


# --------------------------------------------------------------------------- 7-8. only regular files


DEVICE_CHECK = """\
import time
from analysis.corpus import read_corpus
start = time.monotonic()
loaded = read_corpus("corpus", workers=1)
for row in loaded.rejects.itertuples():
    print(row.path.rsplit("/", 1)[-1], "|", row.reason)
print("articles", len(loaded.articles), round(time.monotonic() - start, 1))
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")
def test_device_links_and_fifos_finish_at_once_as_rejects(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(f"## {TITLE}\n\n{BODY}\n", encoding="utf-8")
    (corpus / "z.txt").symlink_to("/dev/zero")
    (corpus / "u.txt").symlink_to("/dev/urandom")
    os.mkfifo(corpus / "pipe.txt")
    done = run_python(DEVICE_CHECK, tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" | ", 1) for line in done.stdout.splitlines()[:-1])
    assert set(lines) == {"z.txt", "u.txt", "pipe.txt"}
    assert "symbolic link to /dev/zero" in lines["z.txt"] and "follow_symlinks" in lines["z.txt"]
    assert "FIFO" in lines["pipe.txt"]
    assert done.stdout.splitlines()[-1].startswith("articles 1 ")
    # asked to follow links, a device is still no regular file
    loaded = read_corpus(corpus, workers=1, follow_symlinks=True)
    reasons = dict(zip(loaded.rejects["path"].map(lambda p: Path(p).name), loaded.rejects["reason"]))
    assert "character device" in reasons["z.txt"] and "character device" in reasons["u.txt"]


def test_symlinks_inside_the_folder_are_read_outside_only_when_asked(tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(f"## {TITLE}\n\n{BODY}\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "real.txt").write_text(f"## خبر\n\n{BODY}\n", encoding="utf-8")
    (corpus / "inside.txt").symlink_to(corpus / "sub" / "real.txt")
    (corpus / "out.txt").symlink_to(outside)
    loaded = read_corpus(corpus, workers=1)
    assert sorted(Path(p).name for p in loaded.articles["path"]) == ["inside.txt", "real.txt"]
    (reason,) = loaded.rejects["reason"]
    assert f"symbolic link to {outside}" in reason
    assert len(read_corpus(corpus, workers=1, follow_symlinks=True).articles) == 3


def test_fifo_named_directly_is_a_reject(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    loaded = read_corpus([tmp_path / "pipe.txt"], workers=1)
    assert "FIFO" in loaded.rejects["reason"][0]


def test_file_name_that_is_not_utf8(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"bad\xff\xfe.txt"), "wb") as handle:
        handle.write(f"## {TITLE}\n\n{BODY}\n".encode())
    with open(os.path.join(folder, b"bad\xff\xfe.json"), "wb") as handle:
        handle.write(b"[" * 100_000 + b"]" * 100_000)
    articles = load_corpus(tmp_path, workers=1)
    (row,) = articles.itertuples()
    assert row.path.endswith("bad\ufffd\ufffd.txt") and row.title == TITLE
    assert row.doc_id == make_doc_id(os.fsdecode(b"bad\xff\xfe.txt"))
    (reject,) = articles.attrs["rejects"]
    assert reject["path"].endswith("bad\ufffd\ufffd.json") and "nested too deep" in reject["reason"]
    articles.to_parquet(tmp_path / "out.parquet")  # the table can be written


def test_deep_json_lines_and_values(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "a.jsonl").write_text(f'{{"title": "{TITLE}", "body": "{BODY}"}}\n{deep}\n', encoding="utf-8")
    loaded = read_corpus(tmp_path, workers=1)
    assert len(loaded.articles) == 1
    assert loaded.rejects["member"].tolist() == ["line 2"] and "nested too deep" in loaded.rejects["reason"][0]


# --------------------------------------------------------------------------- 9. CSV row by row


def test_csv_over_long_row_rejects_that_row_only():
    rows = [f'"{TITLE} {n}","{BODY}"' for n in range(5)]
    rows[2] = f'"{TITLE}","{BODY * 200}"'
    result = parse_file(("title,body\n" + "\n".join(rows) + "\n").encode(), name="a.csv", max_bytes=5_000)
    assert [r["member"] for r in result.records] == ["row 1", "row 2", "row 4", "row 5"]
    (reject,) = result.rejects
    assert reject["member"] == "row 3" and "limit" in reject["reason"]


@pytest.mark.parametrize("bad", [
    '"تیتر بدون پایان,متن یک',  # a quote that closes on a later row, before other text
    '"تیتر بدون پایان و بی‌پایان,متن',  # the same on the last rows
])
def test_csv_unbalanced_quote_does_not_fold_rows(bad):
    lines = ["title,body", "تیتر یک,متن یک", bad, "تیتر سه,متن سه", 'تیتر چهار,"متن چهار"', "تیتر پنج,متن پنج"]
    result = parse_file("\n".join(lines).encode(), name="a.csv")
    assert len(result.records) + len(result.rejects) == 5  # rows seen
    titles = [r["title"] for r in result.records]
    assert titles == ["تیتر یک", "تیتر سه", "تیتر چهار", "تیتر پنج"]
    (reject,) = result.rejects
    assert reject["member"] == "row 2" and "unbalanced quote" in reject["reason"]


def test_csv_quote_never_closing_and_wrong_field_counts():
    text = "title,body\nتیتر یک,متن یک\nتیتر دو,متن,اضافه\nتیتر سه,\"متن سه\nتیتر چهار,متن چهار\n"
    result = parse_file(text.encode(), name="a.csv")
    assert [r["title"] for r in result.records] == ["تیتر یک", "تیتر چهار"]
    assert [r["member"] for r in result.rejects] == ["row 2", "row 3"]
    assert "3 fields where the header has 2" in result.rejects[0]["reason"]
    assert "never closes" in result.rejects[1]["reason"]


def test_csv_multiline_quoted_fields_still_load():
    text = 'title,body\n"تیتر یک","پاراگراف یک\n\nپاراگراف دو, با ویرگول"\n"تیتر دو","متن ""نقل"" شده"\n'
    result = parse_file(text.encode(), name="a.csv")
    assert result.rejects == []
    assert [r["body"] for r in result.records] == ["پاراگراف یک\n\nپاراگراف دو, با ویرگول", 'متن "نقل" شده']


# --------------------------------------------------------------------------- all of it, through the command


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")
def test_ingest_command_counts_every_bad_input_and_finishes(tmp_path):
    import pandas as pd

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(f"## {TITLE}\x7f\n\n{BODY}\n", encoding="utf-8")
    (corpus / "z.txt").symlink_to("/dev/zero")
    os.mkfifo(corpus / "pipe.txt")
    with open(os.path.join(os.fsencode(corpus), b"bad\xff\xfe.txt"), "wb") as handle:
        handle.write(f"## {TITLE}\n\n{BODY} ۲\n".encode())
    (corpus / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (corpus / "rows.csv").write_text('title,body\nیک,متن\n"دو,متن\nسه,متن\n', encoding="utf-8")
    done = run_python("", tmp_path, stdin="", timeout=120,
                      args=["-m", "analysis", "ingest", "corpus", "--out", "out/articles.parquet", "--workers", "1"])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    # loaded: good.txt, the bad name, 2 of the 3 CSV rows; rejected: z, pipe, deep.json, CSV row 2
    assert "8 inputs: 4 articles loaded (0 exact duplicates marked), 4 rejected" in done.stdout
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert articles["n_control_chars"].sum() == 1
    rejects = pd.read_csv(tmp_path / "out" / "articles.rejects.csv")
    assert sorted(rejects["path"].map(lambda p: Path(p).name)) == ["deep.json", "pipe.txt", "rows.csv", "z.txt"]


CSV_TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\u2028\u2029")
                   | st.sampled_from(['"', ",", "\n", "\t", " "]), max_size=30)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(CSV_TEXT, CSV_TEXT), min_size=1, max_size=15))
def test_csv_written_by_the_csv_module_reads_back_row_for_row(rows):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["title", "body"])
    writer.writerows(rows)
    found = list(iter_records(buffer.getvalue(), "csv"))
    assert [position for position, _ in found] == [f"row {n}" for n in range(1, len(rows) + 1)]
    assert [(record["title"], record["body"]) for _, record in found] == rows
