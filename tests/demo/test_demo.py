"""The demo corpus: deterministic, in the seed's layout, and its ground truth tells the truth."""

from __future__ import annotations

import codecs
import itertools
import re
from pathlib import Path

import jdatetime
import pandas as pd
import pytest

from analysis.demo import DAMAGE_KINDS, GROUND_TRUTH_FILE, read_ground_truth, write_demo_corpus
from analysis.demo import generator as demo
from analysis.patterns.republication import SHINGLE_SIZE, shingle_jaccard

PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
LAYOUT = re.compile(
    r"\A\n\n## (?P<title>[^\n]+)\n\n\n\n(?P<body>.+?)\n\n(?P<date_label>[^\n:]+): (?P<date>[^\n]+)\n\n"
    r"(?:\*\*(?P<tags_label>[^\n:]+): (?P<tags>[^\n]+)\*\*\n\n)?"
    r"\*\*(?P<cat_label>[^\n:]+): (?P<cats>[^\n]+)\*\*\n\n<?(?P<url>http[^\n>]+)>?\n?\Z",
    re.S,
)
#: what a Windows-1256 file holds instead of letters and digits that code page lacks
CP1256_TEXT = str.maketrans({"ی": "ي", "ۀ": "ه", **{chr(0x06F0 + i): str(i) for i in range(10)}})
LINKS = re.compile(r"\[([^\]]+)\]\(#\)")


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _text(root: Path, row) -> str:
    return (root / row.file).read_bytes().decode(row.encoding or "utf-8").replace("\r\n", "\n")


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A corpus big enough for publishing-pattern statistics (1,500 files)."""
    out = tmp_path_factory.mktemp("demo_large") / "corpus"
    write_demo_corpus(out, n=1500, seed=5, progress=False)
    return out, read_ground_truth(out)


# --------------------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes_different_seed_different_bytes(tmp_path):
    a = _files(write_demo_corpus(tmp_path / "a", n=120, seed=3, progress=False))
    b = _files(write_demo_corpus(tmp_path / "b", n=120, seed=3, progress=False))
    c = _files(write_demo_corpus(tmp_path / "c", n=120, seed=4, progress=False))
    assert a == b
    assert set(a) != set(c)
    assert a[GROUND_TRUTH_FILE] != c[GROUND_TRUTH_FILE]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_parallel_chunks_write_the_same_bytes(tmp_path, monkeypatch, start):
    serial = _files(write_demo_corpus(tmp_path / "serial", n=150, seed=9, progress=False))
    monkeypatch.setattr(demo, "CHUNK_SIZE", 40)
    if start == "spawn":  # as when another thread runs: the workers build the plan themselves
        monkeypatch.setattr(demo.threading, "active_count", lambda: 2)
    parallel = _files(write_demo_corpus(tmp_path / "par", n=150, seed=9, processes=2, progress=False))
    assert serial == parallel
    assert not demo._WORKER  # nothing left behind in this process


def test_rewriting_replaces_a_previous_demo_corpus_and_refuses_other_folders(tmp_path):
    out = tmp_path / "corpus"
    write_demo_corpus(out, n=80, seed=1, progress=False)
    (out / ".complete").touch()  # a marker such as make's is left alone
    write_demo_corpus(out, n=50, seed=2, progress=False)
    truth = read_ground_truth(out)
    articles = {str(p.relative_to(out)) for p in out.rglob("*.txt")}
    assert articles == set(truth["file"]) and len(truth) == 50
    assert (out / ".complete").exists()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="mine"):
        write_demo_corpus(other, n=10, seed=1, progress=False)
    assert (other / "notes.txt").read_text() == "keep me"


def test_read_ground_truth_names_a_folder_without_one(tmp_path):
    with pytest.raises(FileNotFoundError, match=GROUND_TRUTH_FILE):
        read_ground_truth(tmp_path)


def test_bad_size_is_refused(tmp_path):
    with pytest.raises(ValueError, match="n must be"):
        write_demo_corpus(tmp_path / "x", n=0)


# ------------------------------------------------------------------------------------ counts, truth


def test_one_truth_row_a_file_and_every_damaged_kind(demo_dir, demo_truth):
    from tests.conftest import DEMO_N

    files = {str(p.relative_to(demo_dir)) for p in demo_dir.rglob("*") if p.is_file()}
    assert {GROUND_TRUTH_FILE, demo.EVENTS_FILE} <= files
    files -= {GROUND_TRUTH_FILE, demo.EVENTS_FILE}
    assert len(demo_truth) == DEMO_N
    assert set(demo_truth["file"]) == files
    assert set(demo_truth["damaged"]) - {""} == set(DAMAGE_KINDS)
    assert (demo_truth["readable"] == demo_truth["damaged"].map(lambda k: DAMAGE_KINDS.get(k, True))).all()
    names = demo_truth["file"].str.extract(r"^([\w-]+)/(\d{4})/(\d{6})_([0-9a-f]{16})\.txt$")
    assert names.notna().all().all()
    assert (names[0] == demo_truth["site"]).all()
    assert names[2].astype(int).tolist() == list(range(DEMO_N))  # numbered in publishing order
    assert demo_truth["published"].is_monotonic_increasing


def test_truth_spans_sites_years_topics_categories_and_occasions(large):
    _, truth = large
    readable = truth[truth["readable"]]
    assert readable["site"].nunique() >= 8
    assert readable["published_jalali"].str[:4].nunique() == 3
    assert readable["topic"].nunique() == 9
    assert readable["categories"].map(len).max() == 2
    assert set(readable["occasion"]) - {""} == {o.key for o in demo.load_lexicon().occasions}
    copies = truth[truth["duplicate_of"] != ""]
    assert 0.05 < len(copies) / len(truth) < 0.09
    assert set(copies["duplicate_kind"]) == set(demo.COPY_KINDS)


def test_jalali_and_gregorian_dates_agree(demo_truth):
    for row in demo_truth.itertuples():
        jalali = jdatetime.date.fromgregorian(date=row.published.date())
        assert row.published_jalali == f"{jalali.year:04d}-{jalali.month:02d}-{jalali.day:02d}"


# -------------------------------------------------------------------------------------------- layout


def test_articles_follow_the_seed_layout_and_agree_with_the_truth(demo_dir, demo_truth):
    checked = 0
    for row in demo_truth[demo_truth["readable"] & ~demo_truth["damaged"].isin(["no_title", "no_url"])].itertuples():
        text = _text(demo_dir, row)
        m = LAYOUT.match(text)
        assert m, f"{row.file} does not follow the layout"
        as_written = CP1256_TEXT if row.damaged == "cp1256" else {}
        assert m["title"] == row.title.translate(as_written)
        assert m["body"].startswith("خبرگزاری بسیج: ".translate(as_written))
        assert m["body"].split("\n\n")[0] == row.lead.translate(as_written)
        assert LINKS.findall(m["cats"]) == [c.translate(as_written) for c in row.categories]
        assert LINKS.findall(m["tags"] or "") == [t.translate(as_written) for t in row.tags]
        assert m["url"] == row.url == f"http://{row.site}.basij.ir/node/{row.article_id}"
        y, mo, d, hh, mm = map(int, re.findall(r"\d+", m["date"].translate(PERSIAN_DIGITS)))
        assert f"{y:04d}-{mo:02d}-{d:02d}" == row.published_jalali
        assert (hh, mm) == (row.published.hour, row.published.minute)
        checked += 1
    assert checked > 0.9 * len(demo_truth)


def test_damaged_files_are_what_the_truth_says(demo_dir, demo_truth):
    damaged = demo_truth[demo_truth["damaged"] != ""].drop_duplicates("damaged").set_index("damaged")
    raw = {kind: (demo_dir / row.file).read_bytes() for kind, row in damaged.iterrows()}
    assert raw["empty"] == b""
    assert b"\x00" in raw["binary"]
    for kind in ("undecodable", "binary"):
        with pytest.raises(UnicodeDecodeError):
            raw[kind].decode("utf-8")
    assert raw["whitespace"].decode("utf-8").strip(" \n\r\t\u200c\u00a0") == ""
    for kind in ("cp1256", "utf16"):
        with pytest.raises(UnicodeDecodeError):
            raw[kind].decode("utf-8")
    assert raw["utf8_bom"].startswith(codecs.BOM_UTF8)
    # the re-encoded files hold the same article as a plain UTF-8 one would
    for kind, encoding in (("cp1256", "cp1256"), ("utf16", "utf-16"), ("utf8_bom", "utf-8-sig")):
        text = raw[kind].decode(encoding)
        title = damaged.loc[kind, "title"]
        if kind == "cp1256":
            title = title.translate(CP1256_TEXT)
        assert f"## {title}\n" in text
    assert b"\r\n" in raw["crlf"] and b"\n\n" not in raw["crlf"]
    assert "## " not in raw["no_title"].decode("utf-8")
    assert "basij.ir" not in raw["no_url"].decode("utf-8")
    assert damaged.loc["no_url", "url"] == "" and damaged.loc["no_title", "title"] == ""


# ------------------------------------------------------------------------------ entities and quotes


def test_entities_and_quotes_appear_in_the_text(demo_dir, demo_truth):
    lexicon = demo.load_lexicon()
    people = {p.name for p in lexicon.people.values()}
    for row in demo_truth[demo_truth["readable"] & (demo_truth["encoding"] == "utf-8")].itertuples():
        text = _text(demo_dir, row)
        for entity in row.entities:
            assert entity["text"] in text, (row.file, entity)
            assert entity["type"] in {"PER", "ORG", "LOC"}
        for quote in row.quotes:
            assert quote["text"] in text
            assert quote["speaker"] in people
            assert quote["speaker_title"]
    every = pd.DataFrame([e for es in demo_truth["entities"] for e in es])
    assert {"PER", "ORG", "LOC"} <= set(every["type"])
    assert {"name", "surname", "office", "alias"} <= set(every["form"])
    leader = every[every["canonical"] == demo.LEADER_CANONICAL]
    assert leader["text"].nunique() >= 2  # the leader is named in several ways
    # a person is named by title-and-office and by name, both resolving to one canonical form
    per = every[every["type"] == "PER"]
    assert (per.groupby("canonical")["form"].nunique() >= 2).any()


def test_quotes_use_reporting_verbs_and_vi_continuations(demo_dir, demo_truth):
    verbs = ("گفت", "افزود", "اظهار داشت", "بیان کرد", "تصریح کرد", "عنوان کرد", "خاطرنشان کرد")
    text = "\n".join(_text(demo_dir, r) for r in demo_truth[demo_truth["encoding"] == "utf-8"].itertuples())
    for verb in verbs:
        assert f" {verb}: " in text
    assert "\n\nوی " in text
    kinds = {q["kind"] for qs in demo_truth["quotes"] for q in qs}
    assert kinds == {"direct", "indirect"}


# ------------------------------------------------------------------------------------------- copies


def _bodies(root: Path, truth: pd.DataFrame) -> dict[str, str]:
    out = {}
    for row in truth[truth["readable"]].itertuples():
        text = _text(root, row)
        body = text.split("\n\n\n\n", 1)[-1]
        out[row.file] = body.split("\n\nتاریخ انتشار")[0].split("\n\nزمان انتشار")[0]
    return out


def test_copies_resemble_their_originals_and_nothing_else_does(large):
    root, truth = large
    bodies = _bodies(root, truth)
    copies = truth[truth["duplicate_of"] != ""]
    by_file = truth.set_index("file")
    for row in copies.itertuples():
        original = by_file.loc[row.duplicate_of]
        assert original["duplicate_of"] == "" and original["damaged"] == ""
        assert original["published"] < row.published
        assert original["site"] != row.site
        assert 0 < row.duplicate_lag_hours <= 240
        similarity = shingle_jaccard(bodies[row.duplicate_of], bodies[row.file])
        assert similarity == pytest.approx(row.duplicate_jaccard, abs=1e-3)
        floor = {"exact": 1.0, "retitled": 1.0, "edited": 0.6, "truncated": 0.45}[row.duplicate_kind]
        assert similarity >= floor, (row.file, row.duplicate_kind, similarity)
        if row.duplicate_kind in ("exact", "edited", "truncated"):
            assert original["title"] == row.title or row.duplicate_kind == "edited"
        if row.duplicate_kind == "retitled":
            assert original["title"] != row.title
    # most copies stay above the 0.8 that near-duplicate detection is judged at
    assert (copies["duplicate_jaccard"] >= 0.8).mean() > 0.75
    # unrelated articles of one site and topic stay far apart
    originals = truth[(truth["duplicate_of"] == "") & truth["readable"]]
    worst = 0.0
    for _, group in originals.groupby(["site", "topic"]):
        shingles = [_shingles(bodies[f]) for f in group["file"].tolist()[:20]]
        for a, b in itertools.combinations(shingles, 2):
            worst = max(worst, len(a & b) / len(a | b))
    assert worst < 0.35


def _shingles(text: str, k: int = SHINGLE_SIZE) -> set:
    words = text.split()
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


# ---------------------------------------------------------------------------------- publishing habits


def test_publishing_habits_differ_by_site_and_follow_occasions(large):
    _, truth = large
    t = truth[truth["duplicate_of"] == ""].copy()
    t["weekday"] = t["published"].map(lambda d: jdatetime.date.fromgregorian(date=d.date()).weekday())
    friday = t.groupby("site")["weekday"].apply(lambda w: (w == 6).mean())
    assert friday["semnan"] < 0.5 * friday["isfahan"]
    volume = t["site"].value_counts()
    assert volume["tehran"] > 2 * volume["semnan"]
    assert t.loc[t["site"] == "kerman", "published_jalali"].min() >= "1401-01-01"
    mix = pd.crosstab(t["site"], t["topic"], normalize="index")
    assert mix.loc["semnan", "labour"] > 2 * mix.loc["tehran", "labour"]
    # هفته بسیج (1-10 Azar) is busier than the average ten days
    azar = t["published_jalali"].str[5:].between("09-01", "09-10")
    per_day_azar = azar.sum() / 30
    per_day = len(t) / (3 * 365)
    assert per_day_azar > 1.5 * per_day
    # the lunar occasions move through the Jalali year: Ramadan starts about 11 days earlier each year
    ramadan = t[t["occasion"] == "ramadan"]
    first = ramadan.groupby(ramadan["published_jalali"].str[:4])["published_jalali"].min().str[5:]
    assert first.is_monotonic_decreasing and first.is_unique


def test_every_template_fills(tmp_path):
    """Every template of every topic and occasion renders with no unknown slot."""
    import random

    lexicon = demo.load_lexicon()
    site = lexicon.sites[0]
    for (topic, role), templates in lexicon.templates.items():
        vocabulary_topic = topic if topic in lexicon.topics else "labour"
        for template in templates:
            entities = []
            text = demo._fill(template, random.Random(0), lexicon, site, vocabulary_topic, "هفته بسیج",
                              entities, False)
            assert "{" not in text and "}" not in text, (topic, role, template)


# ------------------------------------------------------------------------------------ with the loader


def test_the_loader_reads_what_the_truth_says(demo_dir, demo_truth, demo_articles):
    from analysis.corpus import normalize_articles, rejects_table
    from analysis.text import normalize

    normalized = normalize_articles(demo_articles)  # the truth holds the normalised text
    articles = normalized.assign(file=normalized["path"].map(lambda p: str(Path(p).relative_to(demo_dir))))
    rejects = rejects_table(demo_articles)
    rejected = {str(Path(p).relative_to(demo_dir)) for p in rejects["path"]}
    unreadable = set(demo_truth.loc[~demo_truth["readable"], "file"])
    assert len(articles) + len(rejects) == len(demo_truth)
    assert rejected == unreadable, "every unreadable demo file is rejected, and only those"
    merged = demo_truth[demo_truth["readable"]].merge(articles, on="file", suffixes=("_truth", ""))
    assert len(merged) == demo_truth["readable"].sum()
    has_url = merged["damaged"] != "no_url"
    assert (merged.loc[has_url, "site_truth"] == merged.loc[has_url, "site"]).all()
    assert (merged["url_truth"] == merged["url"]).all()
    assert (merged["published_jalali_truth"] == merged["published_jalali"]).all()
    assert (merged["published_truth"] == merged["published"]).all()
    assert (merged["categories_truth"].map(list) == merged["categories"].map(list)).all()
    assert (merged["title_truth"].map(normalize) == merged["title"]).all()
    assert (merged["encoding_truth"] == merged["encoding"]).all()
    # the loader's exact duplicates are the demo's exact copies
    exact = merged[merged["duplicate_kind"] == "exact"]
    assert (exact["duplicate_of"] != "").all()


@pytest.mark.parametrize("kind", [kind for kind, readable in DAMAGE_KINDS.items() if not readable])
def test_the_loader_rejects_each_unreadable_kind(demo_dir, demo_truth, demo_articles, kind):
    from analysis.corpus import rejects_table

    rejected = {str(Path(p).relative_to(demo_dir)) for p in rejects_table(demo_articles)["path"]}
    files = set(demo_truth.loc[demo_truth["damaged"] == kind, "file"])
    assert files and files <= rejected


def test_read_ground_truth_keeps_the_columns_asked_for(demo_dir):
    small = read_ground_truth(demo_dir, columns=["site", "published"])
    assert list(small.columns) == ["file", "site", "published"]
    assert str(small["published"].dtype).startswith("datetime64")


def test_cli_writes_a_corpus_and_reports_counts(tmp_path, capsys):
    from analysis.cli import main

    assert main(["demo-corpus", str(tmp_path / "cli"), "--n", "60", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "wrote 60 files" in out and "republished copies" in out
    assert len(read_ground_truth(tmp_path / "cli")) == 60


def test_sites_fall_silent_and_burst_where_the_events_say(large):
    from analysis.demo import read_ground_truth_events

    root, truth = large
    events = read_ground_truth_events(root)
    assert {"silence", "burst"} == set(events["kind"])
    day = truth["published"].dt.normalize()
    for event in events.itertuples():
        inside = (truth["site"] == event.site) & day.between(event.first_day, event.last_day)
        if event.kind == "silence":
            assert not inside.any(), f"{event.site} publishes during its silence {event.first_jalali}"
        else:
            burst = truth[inside & (truth["event"] == event.event)]
            assert (burst["topic"] == event.topic).all()
    planted = truth[truth["event"] != ""]
    assert len(planted) > 0
    assert set(planted["event"]) <= set(events["event"])


@pytest.mark.parametrize("n, seed", [(1, 0), (13, 21), (41, 99)])
def test_small_corpora_are_complete_and_follow_the_layout(tmp_path, n, seed):
    out = write_demo_corpus(tmp_path / "c", n=n, seed=seed, progress=False)
    truth = read_ground_truth(out)
    assert len(truth) == n and truth["file"].is_unique
    for row in truth[truth["damaged"] == ""].itertuples():
        assert LAYOUT.match(_text(out, row)), row.file


def test_sites_keep_their_page_habits(large):
    """Each site's page template: its own category label and date digits, most of the time."""
    root, truth = large
    rows = truth[truth["readable"] & (truth["encoding"] == "utf-8") & (truth["damaged"] == "")]
    labels = {}
    for row in rows.itertuples():
        m = LAYOUT.match(_text(root, row))
        labels.setdefault(row.site, []).append(m["cat_label"])
    sites = {s.name: s for s in demo.load_lexicon().sites}
    for site, seen in labels.items():
        share = sum(label == sites[site].category_label for label in seen) / len(seen)
        assert share > 0.8, site


def test_cli_refuses_a_folder_that_is_not_a_demo_corpus(tmp_path, capsys):
    from analysis.cli import main

    (tmp_path / "notes.txt").write_text("mine")
    assert main(["demo-corpus", str(tmp_path), "--n", "5"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["demo-corpus", str(tmp_path / "new"), "--n", "0"]) == 2


def test_the_project_demo_corpus_is_written_once_on_first_use(tmp_path):
    from analysis.demo import ensure_demo_corpus

    folder = ensure_demo_corpus(tmp_path / "demo")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert len([p for p in files if not p.name.startswith(".")]) == 600
    stamps = [p.stat().st_mtime_ns for p in files]
    assert ensure_demo_corpus(tmp_path / "demo") == folder  # there already: reused as it is
    assert [p.stat().st_mtime_ns for p in files] == stamps
