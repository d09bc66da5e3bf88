"""Streaming ingest into a Parquet dataset: same rows as load_corpus, resumable, nothing lost."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import CorpusError, read_corpus
from analysis.scale.dataset import (
    HASH_COLUMN,
    dask_articles,
    dataset_size,
    derived_files,
    ingest_dataset,
    iter_dataset,
    read_dataset,
    read_manifest,
    read_rejects,
)


def article_text(title: str, body: str, *, site: str = "semnan", node: int = 1, date: str = "1401/02/10 - 10:30",
                 category: str = "بسیج کارگری") -> str:
    """An article file in the seed's layout."""
    return (f"## {title}\n\n{body}\n\nتاریخ انتشار: {date}\n\n**دسته بندی اخبار: [{category}](#)**\n\n"
            f"<http://{site}.basij.ir/node/{node}>\n")


def write(path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


@pytest.fixture()
def small_corpus(tmp_path):
    """Twelve articles in two folders (two exact duplicates), an empty file and an unknown type."""
    root = tmp_path / "corpus"
    for i in range(12):
        folder = "semnan" if i % 2 else "tehran"
        write(root / folder / f"{i:03d}.txt",
              article_text(f"عنوان خبر شماره {i}", f"متن خبر شماره {i} درباره بسیج کارگری استان.",
                           site=folder, node=100 + i, date=f"1401/02/{10 + i} - 10:30"))
    # an exact copy published earlier than its original, in a later file: duplicate_of is corpus-wide
    write(root / "tehran" / "900.txt", article_text("عنوان خبر شماره 3", "متن خبر شماره 3 درباره بسیج کارگری استان.",
                                                   site="tehran", node=900, date="1401/01/01 - 08:00"))
    write(root / "semnan" / "empty.txt", b"")
    write(root / "semnan" / "notes.docx", b"PK\x03\x04 not an article")
    return root


def sorted_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("doc_id").reset_index(drop=True)


def assert_same_as_load_corpus(dataset, source=None, *, articles=None, rejects=None) -> None:
    """The dataset holds load_corpus's articles and rejects (of ``source``, or the tables given)."""
    if source is not None:
        loaded = read_corpus(source, workers=1)
        articles, rejects = loaded.articles, loaded.rejects
    stored = read_dataset(dataset)
    assert HASH_COLUMN in stored.columns and stored[HASH_COLUMN].str.len().eq(32).all()
    pd.testing.assert_frame_equal(sorted_frame(stored.drop(columns=HASH_COLUMN)), sorted_frame(articles))
    stored_rejects = read_rejects(dataset).sort_values(["path", "member"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(stored_rejects, rejects.sort_values(["path", "member"]).reset_index(drop=True))


def test_dataset_equals_load_corpus_on_the_demo_corpus(demo_dir, demo_articles, tmp_path):
    from analysis.corpus import rejects_table

    out = tmp_path / "ds"
    summary = ingest_dataset(demo_dir, out, workers=1, chunk_size=50)
    assert summary.n_ingested == summary.n_inputs > 0
    assert len(list((out / "articles").glob("*.parquet"))) > 1  # written part by part
    rejects = rejects_table(demo_articles)
    assert len(rejects) > 0  # the demo corpus has damaged files
    demo_articles.attrs = {}
    assert_same_as_load_corpus(out, articles=demo_articles, rejects=rejects)
    manifest = read_manifest(out)
    assert len(manifest) == summary.n_inputs  # every input file accounted for
    assert manifest["n_articles"].sum() + manifest["n_rejects"].sum() == summary.n_articles + summary.n_rejects
    assert dataset_size(out) == summary.total_articles == summary.n_articles
    assert (out / "rejects.csv").exists()


def test_parallel_ingest_then_second_run_skips_and_new_or_changed_files_are_ingested(small_corpus, tmp_path):
    out = tmp_path / "ds"
    first = ingest_dataset(small_corpus, out, workers=2, chunk_size=4)  # worker processes
    assert (first.n_ingested, first.n_articles, first.n_rejects) == (15, 13, 2)
    assert_same_as_load_corpus(out, small_corpus)
    stored = read_dataset(out).set_index("path")
    original = stored.loc[str(small_corpus / "tehran" / "900.txt"), "doc_id"]
    assert stored.loc[str(small_corpus / "semnan" / "003.txt"), "duplicate_of"] == original

    again = ingest_dataset(small_corpus, out, workers=1, chunk_size=5)
    assert again.n_skipped == first.n_inputs and again.n_ingested == 0
    assert again.total_articles == first.total_articles == 13

    write(small_corpus / "semnan" / "050.txt", article_text("خبر تازه", "متن تازه درباره هفته بسیج.", node=50))
    target = small_corpus / "tehran" / "004.txt"
    write(target, article_text("عنوان ویرایش شده", "متن ویرایش شده خبر چهارم.", site="tehran", node=104))
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    third = ingest_dataset(small_corpus, out, workers=1, chunk_size=5)
    assert (third.n_ingested, third.n_changed, third.n_articles) == (2, 1, 2)
    assert third.total_articles == 14
    stored = read_dataset(out)
    assert "عنوان ویرایش شده" in set(stored["title"]) and "عنوان خبر شماره 4" not in set(stored["title"])
    assert_same_as_load_corpus(out, small_corpus)


def test_a_touched_but_unchanged_file_is_kept_by_its_hash(small_corpus, tmp_path):
    out = tmp_path / "ds"
    ingest_dataset(small_corpus, out, workers=1)
    target = small_corpus / "semnan" / "001.txt"
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 7_000_000_000))
    again = ingest_dataset(small_corpus, out, workers=1)
    assert again.n_ingested == 0 and again.n_skipped == again.n_inputs
    assert ingest_dataset(small_corpus, out, workers=1, verify=True).n_ingested == 0


def test_an_earlier_published_copy_added_later_updates_duplicate_of(small_corpus, tmp_path):
    out = tmp_path / "ds"
    moved = tmp_path / "later.txt"
    shutil.move(small_corpus / "tehran" / "900.txt", moved)
    ingest_dataset(small_corpus, out, workers=1, chunk_size=4)
    assert (read_dataset(out)["duplicate_of"] == "").all()
    shutil.move(moved, small_corpus / "tehran" / "900.txt")
    summary = ingest_dataset(small_corpus, out, workers=1, chunk_size=4)
    assert summary.n_ingested == 1 and summary.n_parts_rewritten == 1
    assert_same_as_load_corpus(out, small_corpus)


def test_an_interrupted_run_leaves_nothing_behind(small_corpus, tmp_path):
    out = tmp_path / "ds"
    ingest_dataset(small_corpus, out, workers=1)
    part = next((out / "articles").glob("*.parquet"))
    shutil.copy(part, out / "articles" / "r9999-000000.parquet")  # a part whose manifest entry never came
    (out / "articles" / "r9999-000001.parquet.partial").write_bytes(b"half")
    summary = ingest_dataset(small_corpus, out, workers=1)
    assert summary.n_ingested == 0 and dataset_size(out) == 13
    assert not list((out / "articles").glob("r9999*"))


def test_one_ingest_at_a_time(small_corpus, tmp_path, capsys):
    import subprocess
    import sys

    from analysis._core.lifeline import owner, start_time

    out = tmp_path / "ds"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / ".ingest.lock").write_text(f"{holder.pid} {start_time(holder.pid):.3f}\n")
        with pytest.raises(RuntimeError, match="another ingest"):  # its process runs: the lock holds
            ingest_dataset(small_corpus, out, workers=1)
    finally:
        holder.kill()
        holder.wait()
    # its process is gone: the lock is stale, taken over with a one-line notice
    assert ingest_dataset(small_corpus, out, workers=1).total_articles == 13
    notice = capsys.readouterr().err.strip().splitlines()
    assert len(notice) == 1 and f"stale lock of process {holder.pid}" in notice[0]
    assert not (out / ".ingest.lock").exists()
    # a lock naming a live PID that is another process (the number reused) is stale too
    pid, started = owner()
    (out / ".ingest.lock").write_text(f"{pid} {started - 1000:.3f}\n")
    assert ingest_dataset(small_corpus, out, workers=1).n_ingested == 0
    (out / ".ingest.lock").write_text("")  # a lock file just created by a run that is writing it
    with pytest.raises(RuntimeError, match="another ingest"):
        ingest_dataset(small_corpus, out, workers=1)


def test_reading_columns_filters_and_parts(small_corpus, tmp_path):
    out = tmp_path / "ds"
    ingest_dataset(small_corpus, out, workers=1, chunk_size=4)
    semnan = read_dataset(out, columns=["doc_id", "site", "categories"], filters=[("site", "==", "semnan")])
    assert list(semnan.columns) == ["doc_id", "site", "categories"]
    assert len(semnan) == 6 and (semnan["site"] == "semnan").all()
    assert semnan["categories"].map(lambda c: c == ["بسیج کارگری"]).all()
    parts = list(iter_dataset(out, columns=["doc_id"]))
    assert len(parts) > 1 and sum(map(len, parts)) == 13
    frame = dask_articles(out, columns=["doc_id", "categories"])
    computed = frame.compute()
    assert len(computed) == 13 and isinstance(computed["categories"].iloc[0], list)
    with pytest.raises(KeyError, match="no column 'nope'"):
        read_dataset(out, columns=["nope"])
    with pytest.raises(FileNotFoundError, match="not an articles dataset"):
        read_dataset(tmp_path)


def test_derived_files_are_named_by_their_part_and_stale_ones_deleted(tmp_path):
    dataset = tmp_path / "ds"
    (dataset / "articles").mkdir(parents=True)
    first, second = dataset / "articles" / "part-0.parquet", dataset / "articles" / "part-1.parquet"
    first.write_bytes(b"one")
    second.write_bytes(b"two")
    cache = tmp_path / "cache"
    pairs = derived_files(dataset, cache, ".pkl")
    assert [part for part, _ in pairs] == [first, second]
    assert [target.parent for _, target in pairs] == [cache, cache]
    for _, target in pairs:
        target.write_bytes(b"derived")
    (cache / "notes.txt").write_text("kept: another suffix")
    os.utime(second, ns=(1, 1))  # part-1 rewritten: its derived file is stale
    again = derived_files(dataset, cache, ".pkl")
    assert again[0] == pairs[0] and again[1][1] != pairs[1][1]
    assert not pairs[1][1].exists() and pairs[0][1].exists() and (cache / "notes.txt").exists()
    second.unlink()  # a part gone: its derived file goes too
    assert [part for part, _ in derived_files(dataset, cache, ".pkl")] == [first]
    assert sorted(p.name for p in cache.iterdir()) == sorted([pairs[0][1].name, "notes.txt"])


def test_errors_raise_names_the_bad_file(small_corpus, tmp_path):
    with pytest.raises(CorpusError, match=r"empty\.txt|notes\.docx"):
        ingest_dataset(small_corpus, tmp_path / "ds", workers=1, errors="raise")
    with pytest.raises(FileNotFoundError):
        ingest_dataset(tmp_path / "missing", tmp_path / "ds2")
    assert not (tmp_path / "ds2").exists()
    assert not (tmp_path / "ds" / ".ingest.lock").exists()  # released after the error


def test_command_line(small_corpus, tmp_path, capsys):
    out = tmp_path / "ds"
    assert main(["ingest-dataset", str(small_corpus), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "15 input files: 15 ingested" in printed and "13 articles" in printed
    assert main(["ingest-dataset", str(small_corpus), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    assert "15 unchanged and skipped" in capsys.readouterr().out
    assert main(["ingest-dataset", str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["ingest-dataset", str(small_corpus), "--out", str(out), "--engine", "dask"]) == 2
