"""Report helpers without a browser: filters, cache, escaping, page assembly, overview tables."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from analysis._core.cache import CACHE_ENV
from analysis.patterns import overview
from analysis.report import data as report_data
from analysis.report import notebook
from analysis.report import render as report
from analysis.plots import interactive
from analysis.plots import overview as overview_plots

sys.path.insert(0, str(Path(__file__).parent))
from report_corpus import IMG_TITLE, SCRIPT_TITLE, write_report_corpus  # noqa: E402


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return write_report_corpus(tmp_path_factory.mktemp("report-corpus") / "corpus")


@pytest.fixture(scope="module")
def cache_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def loaded(corpus_dir, cache_folder):
    return notebook.cached_corpus(corpus_dir, folder=cache_folder)


# --- dates and filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1402-01-01", "2023-03-21"),
        ("۱۴۰۲/۰۱/۰۱", "2023-03-21"),
        ("1402/1/1", "2023-03-21"),
        ("2023-03-21", "2023-03-21"),
        ("1399-12-30", "2021-03-20"),  # leap Esfand
    ],
)
def test_parse_day_reads_jalali_and_iso(text, expected):
    assert notebook.parse_day(text) == pd.Timestamp(expected)


@pytest.mark.parametrize("text", ["", "yesterday", "1402-13-01", "1401-12-30", "2023-02-30"])
def test_parse_day_names_the_bad_text(text):
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        notebook.parse_day(text)


@given(st.text(max_size=20))
@settings(max_examples=200, deadline=None)
def test_parse_day_either_parses_or_says_why(text):
    try:
        assert isinstance(notebook.parse_day(text), pd.Timestamp)
    except ValueError as error:
        assert "date" in str(error) or "day" in str(error)


def test_select_articles_filters_without_touching_input(loaded):
    articles, _ = loaded
    before = articles.copy()
    kept = notebook.select_articles(articles, date_from="1402-02-01", date_to="1402-03-05", sites=["semnan"])
    pd.testing.assert_frame_equal(articles, before)
    assert len(kept) > 0
    assert set(kept["site"]) == {"semnan"}
    assert kept["published_jalali"].between("1402-02-01", "1402-03-05").all()
    # both ends are included, and the table outside the window is left out
    outside = articles[(articles["site"] == "semnan") & ~articles["published_jalali"].between("1402-02-01", "1402-03-05")]
    assert len(kept) + len(outside) == (articles["site"] == "semnan").sum()


def test_select_articles_by_category_and_empty_filters(loaded):
    articles, _ = loaded
    assert len(notebook.select_articles(articles)) == len(articles)
    sports = notebook.select_articles(articles, categories=["ورزشی"])
    assert len(sports) and all("ورزشی" in cats for cats in sports["categories"])
    assert len(notebook.select_articles(articles, categories="ورزشی, فرهنگی")) > len(sports)


# --- the corpus cache --------------------------------------------------------------------------


def test_cache_round_trip_keeps_table_and_rejects(corpus_dir, tmp_path):
    first_articles, first_rejects = notebook.cached_corpus(corpus_dir, folder=tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and all(name.startswith("corpus-") for name in files)
    again_articles, again_rejects = notebook.cached_corpus(corpus_dir, folder=tmp_path)  # from Parquet
    pd.testing.assert_frame_equal(first_articles, again_articles)
    pd.testing.assert_frame_equal(first_rejects, again_rejects)
    assert isinstance(again_articles["categories"].iloc[0], list)
    assert list(again_rejects["reason"]) == list(first_rejects["reason"]) and len(again_rejects) == 1


def test_cache_key_follows_content(corpus_dir, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in corpus_dir.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    key = notebook.corpus_key(copy)
    assert notebook.corpus_key(copy) == key
    (copy / "000.txt").write_text((copy / "000.txt").read_text(encoding="utf-8") + "\nیک بند تازه\n", encoding="utf-8")
    assert notebook.corpus_key(copy) != key


def test_load_for_notebook_applies_filters(corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    articles, rejects = report_data.load_for_notebook(str(corpus_dir), sites=["tehran"])
    assert set(articles["site"]) == {"tehran"}
    assert list(articles.index) == list(range(len(articles)))
    assert len(rejects) == 1  # rejects are the corpus's, not filtered


# --- escaping ----------------------------------------------------------------------------------


def test_table_escapes_every_cell_and_reads_right_to_left():
    frame = pd.DataFrame({"<b>col</b>": [SCRIPT_TITLE, IMG_TITLE], "n": [1200, 3]})
    markup = notebook.table(frame).markup
    assert "<script" not in markup and "<img" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup and "&lt;img src=x" in markup
    assert 'dir="rtl"' in markup and "۱٬۲۰۰" in markup


def test_key_numbers_escape_and_carry_data():
    bundle = notebook.key_numbers({"<i>x</i>": 1234, "بازه": "1402-01-01"})._repr_mimebundle_()
    assert "<i>" not in bundle["text/html"] and "&lt;i&gt;" in bundle["text/html"]
    assert bundle[notebook.KEY_NUMBERS_MIMETYPE] == {"<i>x</i>": "۱٬۲۳۴", "بازه": "۱۴۰۲/۰۱/۰۱"}


def test_chart_markup_escapes_data_but_keeps_templates():
    fig = interactive.timeline(
        pd.DataFrame({"x": pd.to_datetime(["2023-03-21", "2023-04-21"]), "y": [1, 2], "g": [SCRIPT_TITLE] * 2,
                      "label": ["فروردین ۱۴۰۲", "اردیبهشت ۱۴۰۲"]}),
        x="x", y="y", color="g", label="label",
    )
    markup = report.chart_markup(json.loads(fig.to_json()))
    assert "<script" not in markup and "<br>" not in markup  # all inside an escaped attribute
    payload = json.loads(re.search(r'data-figure="([^"]*)"', markup).group(1).replace("&quot;", '"')
                         .replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'").replace("&amp;", "&"))
    trace = payload["data"][0]
    assert trace["name"].startswith("&lt;script&gt;")  # plotly shows entities as the characters
    assert "<br>" in trace["hovertemplate"]  # the author's formatting is kept


def test_prepare_for_reader_sanitizes_markup_outputs_and_drops_noise():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# عنوان"),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output("display_data", data={"text/markdown": f"**{SCRIPT_TITLE}**"}),
                nbformat.v4.new_output("display_data", data={"text/html": IMG_TITLE, "text/plain": "x"}),
                nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noise"),
                nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)"}),
                nbformat.v4.new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "m"},
                                                             "text/plain": "progress"}),
            ],
        ),
    ]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    cleaned = report.prepare_for_reader(nb)
    assert "widgets" not in cleaned.metadata
    assert not any("widget" in json.dumps(o) for o in cleaned.cells[1].outputs)
    outputs = cleaned.cells[1].outputs
    texts = [json.dumps(o.get("data", {}), ensure_ascii=False) for o in outputs]
    assert not any("<script" in t or "<img" in t for t in texts)
    assert any("&lt;script&gt;" in t for t in texts) and any("&lt;img" in t for t in texts)
    assert all(o.output_type != "stream" for o in outputs)
    assert not any("application/javascript" in o.get("data", {}) for o in outputs)
    assert nb.cells[1].outputs[2].output_type == "stream"  # the input notebook is unchanged


def test_page_has_csp_rtl_and_no_external_resources():
    fig = interactive.bubble_map(pd.DataFrame({"x": [0, 1], "y": [1, 0], "w": ["الف", IMG_TITLE]}), x="x", y="y", label="w")
    body = "<p>سلام</p>" + report.chart_markup(json.loads(fig.to_json()))
    page = report.page_html(title="<عنوان>", body=body, nav=[("index.html", "فهرست")])
    assert '<html lang="fa" dir="rtl">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert '<p dir="auto">سلام</p>' in page
    assert "&lt;عنوان&gt;" in page
    outside_scripts = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", outside_scripts)  # nothing fetched
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(scripts) == 2  # plotly.js and the chart script, both allowed by hash
    for script in scripts:
        assert report._csp_hash(script) in html.unescape(page)


def test_page_without_charts_carries_no_script():
    page = report.page_html(title="t", body="<p>x</p>", nav=[])
    assert "<script" not in page and "script-src 'none'" in html.unescape(page)


def test_add_text_direction_leaves_existing_dir_and_escaped_text():
    markup = '<p>a</p><td dir="ltr">b</td><pre>&lt;p&gt;</pre><h2 id="x">c</h2>'
    assert report.add_text_direction(markup) == (
        '<p dir="auto">a</p><td dir="ltr">b</td><pre>&lt;p&gt;</pre><h2 dir="auto" id="x">c</h2>'
    )


def test_find_notebooks_in_reading_order(tmp_path):
    for name in ["02_b.py", "01_a.py", "helper.py", "10_c.py", "03_d.ipynb"]:
        (tmp_path / name).write_text("")
    assert [p.name for p in report.find_notebooks(tmp_path)] == ["01_a.py", "02_b.py", "10_c.py"]


def test_project_notebooks_follow_the_parameter_contract():
    import jupytext

    notebooks = report.find_notebooks(Path(__file__).parents[2] / "notebooks")
    assert notebooks, "no notebooks/NN_*.py"
    for path in notebooks:
        nb = jupytext.read(path)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", []), f"{path.name}: first code cell not tagged parameters"
        for name in ("corpus", "date_from", "date_to", "sites", "categories", "n_topics"):
            assert re.search(rf"^{name}\s*=", code[0].source, flags=re.M), f"{path.name}: parameter {name} missing"
        assert not re.search(r"^\s*def ", "\n".join(c.source for c in code), flags=re.M), f"{path.name} defines functions"


# --- overview tables and charts ----------------------------------------------------------------


def test_overview_tables_account_for_everything(loaded):
    articles, rejects = loaded
    before = articles.copy()
    sources = overview.sources(articles, rejects)
    assert sources["articles"].sum() == len(articles) and sources["rejected"].sum() == len(rejects)
    assert overview.sites(articles)["articles"].sum() == len(articles)
    cats = overview.categories(articles)
    assert cats["articles"].sum() >= len(articles)
    assert overview.categories(articles, primary=True)["articles"].sum() == len(articles)
    monthly = overview.monthly_counts(articles)
    assert monthly["articles"].sum() == (articles["published_jalali"] != "").sum()
    assert monthly["month"].is_monotonic_increasing and monthly["month"].is_unique
    assert monthly["label"].iloc[0] == "فروردین ۱۴۰۲"
    assert len(overview.monthly_counts(articles, by="site")) == 2 * len(monthly)  # zeros included
    dups = overview.duplicates(articles)
    assert dups["copies"].sum() == (articles["duplicate_of"] != "").sum() == 2
    reasons = overview.reject_reasons(rejects)
    assert reasons["inputs"].sum() == len(rejects) and reasons["example"].iloc[0] == "empty.txt"
    numbers = overview.overview_numbers(articles, rejects)
    assert numbers["مقاله"] == len(articles) and numbers["ورودی ردشده"] == 1
    pd.testing.assert_frame_equal(articles, before)


def test_overview_tables_on_an_empty_corpus():
    from analysis.corpus.schema import empty_articles, empty_rejects

    articles, rejects = empty_articles(), empty_rejects()
    assert overview.sources(articles, rejects).empty
    assert overview.monthly_counts(articles).empty
    assert overview.duplicates(articles).empty and overview.reject_reasons(rejects).empty
    assert overview.overview_numbers(articles, rejects)["مقاله"] == 0
    for ax in (
        overview_plots.counts_bar(overview.sites(articles), label="site", value="articles"),
        overview_plots.length_histogram(articles),
        overview_plots.monthly_bars(overview.monthly_counts(articles)),
    ):
        assert isinstance(ax, Axes)


def test_overview_charts_draw(loaded, tmp_path):
    articles, _ = loaded
    charts = {
        "sites": overview_plots.counts_bar(overview.sites(articles), label="site", value="articles", title="زیرسایت"),
        "lengths": overview_plots.length_histogram(articles),
        "months": overview_plots.monthly_bars(overview.monthly_counts(articles)),
    }
    for name, ax in charts.items():
        assert isinstance(ax, Axes)
        ax.figure.savefig(tmp_path / f"{name}.png")
    fig, ax = plt.subplots()
    assert overview_plots.length_histogram(articles, ax=ax) is ax  # draws where it is told
    plt.close(fig)
    ticks = [t.get_text() for t in charts["months"].get_xticklabels()]
    assert "فروردین ۱۴۰۲" in ticks


def test_network_is_repeatable():
    edges = pd.DataFrame({"source": ["الف", "الف", "ب"], "target": ["ب", "پ", "پ"], "weight": [3, 1, 2]})
    nodes = pd.DataFrame({"name": ["الف", "ب", "پ"], "type": ["PER", "ORG", "LOC"]})
    first = interactive.network(edges, nodes=nodes, group="type").to_json()
    assert first == interactive.network(edges, nodes=nodes, group="type").to_json()


@pytest.mark.parametrize("filters", [{}, {"date_from": "1450-01-01"}, {"sites": ["nowhere"]}])
def test_overview_notebook_runs_top_to_bottom(corpus_dir, loaded, cache_folder, monkeypatch, filters):
    """The notebook's cells, run in this process (no kernel) on the tiny corpus, on a selection
    with no article at all, and on an unknown site."""
    import jupytext

    monkeypatch.setenv(CACHE_ENV, str(cache_folder))  # the corpus is cached already
    nb = jupytext.read(Path(__file__).parents[2] / "notebooks" / "01_overview.py")
    namespace: dict = {}
    for cell in [c for c in nb.cells if c.cell_type == "code"]:
        exec(compile(cell.source, "01_overview.py", "exec"), namespace)
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update({"corpus": str(corpus_dir), **filters})
    assert len(namespace["rejects"]) == 1
    assert (len(namespace["articles"]) == 0) == bool(filters)


def test_notebook_parameters_make_paths_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    params = report.notebook_parameters("data/x", date_from="1402-01-01", sites=("semnan",), n_topics="5")
    assert params == {"corpus": str(tmp_path / "data" / "x"), "date_from": "1402-01-01", "date_to": "",
                      "sites": ["semnan"], "categories": [], "n_topics": 5}
    assert report.notebook_parameters(["a", "b/*.txt"])["corpus"] == [str(tmp_path / "a"), str(tmp_path / "b" / "*.txt")]
    assert report.notebook_parameters("")["corpus"] == ""


@pytest.mark.parametrize("value, expected", [("auto", "auto"), (" AUTO ", "auto"), (6, 6), ("12", 12)])
def test_topic_count_takes_a_number_or_auto(value, expected):
    assert report.topic_count(value) == expected
    assert report.notebook_parameters("x", n_topics=value)["n_topics"] == expected


@pytest.mark.parametrize("value", ["many", "0", -3, None])
def test_topic_count_refuses_anything_else_with_a_clear_message(value):
    with pytest.raises(ValueError, match="number of topics"):
        report.topic_count(value)


def test_network_takes_groups_from_cooccurrence_columns():
    edges = pd.DataFrame({"source": ["علی", "علی"], "target": ["سپاه", "تهران"], "source_type": ["PER", "PER"],
                          "target_type": ["ORG", "LOC"], "weight": [3, 1]})
    fig = interactive.network(edges, group="type")
    groups = {t.name: list(t.text) for t in fig.data if t.mode == "markers+text"}
    assert groups == {"LOC": ["تهران"], "ORG": ["سپاه"], "PER": ["علی"]}
    assert len([t for t in fig.data if t.mode == "lines"]) == 2
    assert len([t for t in interactive.network(edges, group="type", max_edges=1).data if t.mode == "lines"]) == 1


def test_timeline_shows_the_largest_groups_and_reads_jalali():
    table = pd.DataFrame({"start": pd.to_datetime(["2023-03-21", "2023-04-21"] * 3), "n": [5, 6, 1, 1, 3, 2],
                          "site": ["a", "a", "b", "b", "c", "c"], "label": ["فروردین ۱۴۰۲", "اردیبهشت ۱۴۰۲"] * 3})
    fig = interactive.timeline(table, x="start", y="n", color="site", label="label", shown=2)
    assert {t.name: t.visible for t in fig.data} == {"a": True, "b": "legendonly", "c": True}
    assert list(fig.layout.xaxis.ticktext) == ["فروردین ۱۴۰۲", "اردیبهشت ۱۴۰۲"]
    assert all(ch in "۰۱۲۳۴۵۶۷۸۹٬٫" for text in fig.layout.yaxis.ticktext for ch in text)


def test_a_failing_notebook_still_gets_its_page(tmp_path):
    """A notebook (no corpus needed) with tables, charts and hostile text that fails in its last
    cells: the page shows what ran and the error; the result says it failed."""
    source = Path(__file__).parents[1] / "fixtures" / "report_notebooks" / "01_fixture.py"
    result = report.render_notebook(source, tmp_path, {"corpus": "x"}, [("index.html", "فهرست")])
    assert not result.ok and "planned failure" in result.error
    assert result.key_numbers == {"مقاله\u200cها": "۱٬۲۳۴", "پارامتر": "x"}
    assert result.key_figure.startswith('<img alt="" src="data:image/png;base64,')  # the tagged cell
    page = (tmp_path / result.page).read_text(encoding="utf-8")
    assert 'class="run-error"' in page and "planned failure" in page
    assert 'class="analysis-chart"' in page and page.count("<script>") == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<img src=x" not in page
    assert "never reached" not in page
    assert "Text(0.5" not in page  # the repr beside a chart is left out


def test_without_a_corpus_a_notebook_says_how_to_write_the_demo(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")  # a project with no data/demo yet
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="demo-corpus data/demo"):
        notebook.default_corpus()
