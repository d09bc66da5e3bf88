"""Faults during ``ingest-dataset``, each run as a user meets it, in a subprocess: killed and rerun,
parent killed (no worker left behind), disk full (a file-size limit): the run finishes or stops
with a clear message, every input is counted, no traceback, no orphan process, no truncated output."""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from analysis.corpus import read_corpus
from analysis.scale.dataset import read_dataset, read_manifest, read_rejects
from tests.corpus.web_pages import basij_page

REPO_SRC = str(Path(__file__).resolve().parents[2] / "src")
BODY = ("سازمان بسیج کارگری شهرستان شاهرود نمایشگاهی از دست‌ساخته‌های کارگران برپا کرد که با استقبال "
        "گسترده مردم همراه شد و تا پایان هفته ادامه دارد. ")

pytestmark = pytest.mark.slow


def write_text_articles(folder, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        token = hashlib.sha256(str(i).encode()).hexdigest() * 4  # text that does not compress away
        (folder / f"{i:04d}.txt").write_text(f"## عنوان {i}\n\n{BODY * 4} {token}\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """300 saved pages (slow to parse: a run takes seconds) plus 200 text articles and two rejects."""
    root = tmp_path_factory.mktemp("faults") / "corpus"
    (root / "pages").mkdir(parents=True)
    for i in range(300):
        page = basij_page(node=1000 + i, title=f"خبر شماره {i} از نمایشگاه کارگران", category="استان‌ها",
                          paragraphs=[BODY * (1 + i % 3), f"بند دوم خبر {i}: " + BODY],
                          date_line=f"تاریخ انتشار: ۱۴۰۲/۰۵/{1 + i % 28:02d} - ۱۰:۳۰")
        (root / "pages" / f"{i:04d}.html").write_text(page, encoding="utf-8")
    write_text_articles(root / "text", 200)
    return root


@pytest.fixture(scope="module")
def text_corpus(tmp_path_factory):
    """500 text articles and two rejects (quick to parse)."""
    root = tmp_path_factory.mktemp("faults") / "text"
    write_text_articles(root, 500)
    return root


@pytest.fixture(scope="module")
def expected(corpus):
    loaded = read_corpus(corpus, workers=1)
    return len(loaded.articles), len(loaded.rejects)


def command(source, out, *extra) -> list[str]:
    return [sys.executable, "-m", "analysis", "ingest-dataset", str(source), "--out", str(out), "--no-progress",
            *extra]


def env() -> dict:
    return {**os.environ, "PYTHONPATH": REPO_SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def start_and_kill(corpus, out) -> list[int]:
    """Start ingest-dataset with 2 workers, SIGKILL it once its first part is written; the PIDs of the
    processes it had started."""
    process = subprocess.Popen(command(corpus, out, "--workers", "2", "--chunk-size", "20"), env=env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    children: set[int] = set()
    while time.monotonic() < deadline and process.poll() is None:
        try:
            children |= {c.pid for c in psutil.Process(process.pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            break
        if list((out / "manifest").glob("*.parquet")) and children:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the ingest ended before it could be killed: make the corpus larger"
    children |= {c.pid for c in psutil.Process(process.pid).children(recursive=True)}
    process.send_signal(signal.SIGKILL)
    process.wait()
    return sorted(children)


def alive(pids) -> list[int]:
    running = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                running.append(pid)
        except psutil.NoSuchProcess:
            pass
    return running


def test_killed_parent_leaves_no_worker(corpus, tmp_path):
    children = start_and_kill(corpus, tmp_path / "ds")
    assert children, "the ingest started no worker"
    deadline = time.monotonic() + 10
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = alive(children)
    for pid in left:  # do not leave them behind whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"workers still running 10 s after their parent was killed: {left}"


def test_killed_then_rerun_finishes_with_everything_counted(corpus, expected, tmp_path):
    out = tmp_path / "ds"
    for pid in alive(start_and_kill(corpus, out)):
        os.kill(pid, signal.SIGKILL)
    assert (out / ".ingest.lock").exists()  # what a killed run leaves
    rerun = subprocess.run(command(corpus, out, "--workers", "2", "--chunk-size", "20"), env=env(),
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    notices = [line for line in rerun.stderr.splitlines() if "stale lock" in line]
    assert len(notices) == 1
    n_articles, n_rejects = expected
    manifest = read_manifest(out)
    assert manifest["key"].is_unique and len(manifest) == 502  # every input once
    assert len(read_dataset(out, columns=["doc_id"])) == n_articles
    assert read_dataset(out, columns=["doc_id"])["doc_id"].is_unique
    assert len(read_rejects(out)) == n_rejects
    assert not (out / ".ingest.lock").exists() and not list(out.rglob("*.partial"))


def limit_file_size(limit: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_disk_leaves_no_truncated_output(text_corpus, tmp_path):
    corpus = text_corpus
    out = tmp_path / "ds"
    # one part of all 502 files (over 200 kB) is larger than the limit, the small files (manifest: 20 kB) are not
    run = subprocess.run(command(corpus, out, "--workers", "1", "--chunk-size", "1000"), env=env(),
                         capture_output=True, text=True, timeout=300, preexec_fn=limit_file_size(40_000))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    message = run.stderr.strip().splitlines()
    assert len(message) == 1 and "could not write" in message[0] and "disk is full" in message[0]
    assert not list(out.rglob("*.partial"))
    for part in out.rglob("*.parquet"):  # whatever is under a final name is whole
        pq.read_table(part)
    assert not list((out / "articles").glob("*.parquet"))
    assert not (out / ".ingest.lock").exists()
    # with room again, the rerun writes everything
    rerun = subprocess.run(command(corpus, out, "--workers", "1"), env=env(), capture_output=True, text=True,
                           timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert (len(read_dataset(out, columns=["doc_id"])), len(read_rejects(out))) == (500, 2)


def test_full_disk_in_ingest_keeps_the_earlier_table(text_corpus, tmp_path):
    out = tmp_path / "articles.parquet"
    ingest = [sys.executable, "-m", "analysis", "ingest", str(text_corpus), "--out", str(out), "--no-progress",
              "--workers", "1"]
    first = subprocess.run(ingest, env=env(), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes(), out.with_name("articles.rejects.csv").read_bytes()
    (text_corpus / "more.txt").write_text("## افزوده\n\n" + BODY * 2000, encoding="utf-8")
    try:
        run = subprocess.run(ingest, env=env(), capture_output=True, text=True, timeout=300,
                             preexec_fn=limit_file_size(len(before[0]) + 1000))
    finally:
        (text_corpus / "more.txt").unlink()
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "could not write" in run.stderr and "disk is full" in run.stderr
    assert (out.read_bytes(), out.with_name("articles.rejects.csv").read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.parquet", "articles.rejects.csv"]


def test_a_fifo_and_a_device_link_are_rejects_and_the_ingest_finishes_at_once(tmp_path):
    source = tmp_path / "corpus"
    source.mkdir()
    (source / "a.txt").write_text("## عنوان خبر\n\nمتن خبر درباره بسیج.\n", encoding="utf-8")
    os.mkfifo(source / "pipe.txt")
    os.symlink("/dev/zero", source / "zero.txt")
    done = subprocess.run([sys.executable, "-m", "analysis", "ingest-dataset", str(source), "--out",
                           str(tmp_path / "ds"), "--workers", "1", "--no-progress"],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": REPO_SRC})
    assert done.returncode == 0, done.stderr
    rejects = pd.read_csv(tmp_path / "ds" / "rejects.csv")
    reasons = dict(zip(rejects["path"].map(lambda p: Path(p).name), rejects["reason"]))
    assert "FIFO" in reasons["pipe.txt"] and "/dev/zero" in reasons["zero.txt"]


def test_ingest_dataset_in_parallel_from_an_unguarded_script(tmp_path):
    source = tmp_path / "corpus"
    source.mkdir()
    for i in range(8):
        (source / f"{i}.txt").write_text(f"## خبر {i}\n\nمتن خبر شماره {i} درباره بسیج.\n", encoding="utf-8")
    script = ("from analysis.scale.dataset import ingest_dataset\n"
              "summary = ingest_dataset('corpus', 'ds', workers=2, chunk_size=2, progress=False)\n"
              "print(summary.total_articles)\n")
    done = subprocess.run([sys.executable, "-"], input=script, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": REPO_SRC})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["8"]
