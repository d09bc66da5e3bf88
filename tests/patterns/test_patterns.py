"""Publishing patterns: Jalali/Gregorian volume, category mix, profiles, lengths, bursts, occasions, charts."""

from __future__ import annotations

from pathlib import Path

import jdatetime
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import patterns
from analysis.plots import patterns as charts
from analysis.corpus.schema import ARTICLE_COLUMNS


def make_articles(rows: list[dict]) -> pd.DataFrame:
    """An articles table from a few hand-written rows (missing columns get empty values)."""
    defaults = {"doc_id": "", "path": "", "member": "", "title": "", "lead": "", "body": "", "categories": [],
                "tags": [], "url": "", "domain": "basij.ir", "site": "", "article_id": "", "published": pd.NaT,
                "published_jalali": "", "date_source": "url", "n_chars": 0, "n_words": 0, "encoding": "utf-8",
                "duplicate_of": "", "n_control_chars": 0}
    records = []
    for i, row in enumerate(rows):
        record = {**defaults, "doc_id": f"d{i}", **row}
        record["published"] = pd.Timestamp(record["published"]) if record["published"] is not pd.NaT else pd.NaT
        records.append(record)
    frame = pd.DataFrame(records, columns=list(ARTICLE_COLUMNS))
    return frame.astype(ARTICLE_COLUMNS)


@pytest.fixture()
def small():
    # 2013-02-18 is 30 Bahman 1391, 2013-02-19 is 1 Esfand 1391, 2013-02-16 a Saturday
    return make_articles([
        {"site": "semnan", "published": "2013-02-18 10:30", "categories": ["اقتصادی"], "n_words": 100, "title": "الف"},
        {"site": "semnan", "published": "2013-02-19 08:00", "categories": ["اقتصادی", "استانی"], "n_words": 300},
        {"site": "tehran", "published": "2013-02-19", "categories": [], "n_words": 50},
        {"site": "tehran", "published": "2013-04-25", "categories": ["ورزشی"], "n_words": 80},
        {"site": "tehran", "published": pd.NaT, "categories": ["ورزشی"], "n_words": 10},
    ])


def test_monthly_volume_follows_jalali_months_with_zeros_and_persian_labels(small):
    before = small.copy(deep=True)
    table = patterns.volume(small, by="site", freq="month")
    pd.testing.assert_frame_equal(small, before)  # input untouched
    assert list(table.columns) == ["period", "label", "start", "end", "site", "n_articles"]
    counts = table.set_index(["period", "site"])["n_articles"]
    assert counts[("1391-11", "semnan")] == 1 and counts[("1391-12", "semnan")] == 1
    assert counts[("1391-12", "tehran")] == 1 and counts[("1392-02", "tehran")] == 1
    assert counts[("1392-01", "tehran")] == 0  # the gap month is there, with zero
    assert table["n_articles"].sum() == 4 and table.attrs["n_undated"] == 1
    esfand = table[table["period"] == "1391-12"].iloc[0]
    assert esfand["label"] == "اسفند ۱۳۹۱"
    assert esfand["start"] == pd.Timestamp("2013-02-19") and esfand["end"] == pd.Timestamp("2013-03-20")


def test_gregorian_and_whole_corpus_volume(small):
    table = patterns.volume(small, by=None, freq="month", calendar="gregorian")
    assert list(table["period"]) == ["2013-02", "2013-03", "2013-04"]
    assert list(table["n_articles"]) == [3, 0, 1]


def test_weeks_start_on_saturday_in_jalali(small):
    table = patterns.volume(small, by=None, freq="week")
    assert (table["start"].dt.day_of_week == 5).all()  # pandas: Saturday = 5
    first = table.iloc[0]
    assert first["period"] == "1391-11-28" and first["n_articles"] == 3
    assert first["label"].startswith("هفته")


def test_volume_by_category_counts_each_category(small):
    table = patterns.volume(small, by="category", freq="year")
    totals = table.groupby("category")["n_articles"].sum()
    assert totals["اقتصادی"] == 2 and totals["استانی"] == 1 and totals["ورزشی"] == 1 and totals[""] == 1


def test_volume_rejects_unknown_options(small):
    with pytest.raises(ValueError, match="freq"):
        patterns.volume(small, freq="quarter")
    with pytest.raises(KeyError, match="no such column"):
        patterns.volume(small, by="province")


def test_volume_of_empty_or_undated_corpus():
    empty = make_articles([])
    assert patterns.volume(empty).empty
    undated = make_articles([{"site": "a"}])
    table = patterns.volume(undated)
    assert table.empty and table.attrs["n_undated"] == 1


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2035-12-31").date()),
       st.integers(min_value=0, max_value=60), st.sampled_from(patterns.FREQS), st.sampled_from(patterns.CALENDARS))
def test_calendar_table_puts_every_day_inside_its_period(day, span, freq, calendar):
    start = pd.Timestamp(day)
    table = patterns.calendar_table(start, start + pd.Timedelta(days=span), freq, calendar)
    assert len(table) == span + 1
    assert ((table["start"] <= table["day"]) & (table["day"] <= table["end"])).all()
    assert table.groupby("period")["start"].nunique().eq(1).all()
    if calendar == "jalali":
        j = jdatetime.date.fromgregorian(date=start.date())
        expected = {"day": f"{j.year:04d}-{j.month:02d}-{j.day:02d}", "month": f"{j.year:04d}-{j.month:02d}",
                    "year": f"{j.year:04d}"}.get(freq)
        if expected:
            assert table["period"].iloc[0] == expected
        if freq == "week":
            assert (table["start"].dt.day_of_week == 5).all()


def test_category_share_sums_to_one_per_site(small):
    table = patterns.category_share(small, by="site")
    assert np.allclose(table.groupby("site")["share"].sum(), 1.0)
    semnan = table[table["site"] == "semnan"].set_index("category")
    assert semnan.loc["اقتصادی", "n_articles"] == 2 and semnan.loc["اقتصادی", "article_share"] == 1.0
    primary = patterns.category_share(small, by="site", primary=True)
    assert "استانی" not in set(primary["category"])


def test_weekday_profile_starts_on_saturday(small):
    table = patterns.weekday_profile(small, by=None)
    assert list(table["weekday"]) == list(range(7))
    assert table.loc[0, "weekday_name"] == "شنبه"
    # 2013-02-18 Monday (2), 2013-02-19 Tuesday (3) twice, 2013-04-25 Thursday (5)
    assert dict(zip(table["weekday"], table["n_articles"])) == {0: 0, 1: 0, 2: 1, 3: 2, 4: 0, 5: 1, 6: 0}


def test_hour_profile_uses_only_articles_with_a_time(small):
    table = patterns.hour_profile(small, by=None)
    assert table["n_articles"].sum() == 2
    assert table.set_index("hour").loc[10, "n_articles"] == 1
    assert table.attrs["n_without_time"] == 3


def test_length_summary_and_long_table(small):
    table = patterns.length_summary(small, by="site").set_index("site")
    assert table.loc["semnan", "median"] == 200 and table.loc["tehran", "n_articles"] == 3
    long = patterns.lengths(small, by="category")
    assert len(long) == 6 and set(long.columns) == {"category", "n_words"}


def _daily_corpus(weeks: int = 20, burst_day: int = 70, silent_day: int = 91) -> pd.DataFrame:
    """A site publishing 10 a day except 2 on Fridays, with one burst day and one silent day."""
    rows = []
    start = pd.Timestamp("2020-03-21")  # 1 Farvardin 1399, a Saturday
    for offset in range(weeks * 7):
        day = start + pd.Timedelta(days=offset)
        n = 2 if day.day_of_week == 4 else 10
        if offset == burst_day:
            n = 40
        if offset == silent_day:
            n = 0
        for k in range(n):
            title = "سیل در استان" if offset == burst_day and k < 30 else f"خبر شماره {k}"
            rows.append({"site": "yazd", "published": day + pd.Timedelta(hours=9), "title": title})
    return make_articles(rows)


def test_bursts_and_silences_against_a_seasonal_baseline():
    corpus = _daily_corpus()
    found = patterns.bursts(corpus, by="site", freq="day")
    assert set(found["kind"]) == {"burst", "silence"}
    burst = found[found["kind"] == "burst"].iloc[0]
    assert burst["start"] == pd.Timestamp("2020-03-21") + pd.Timedelta(days=70)
    assert burst["top_titles"][0] == "سیل در استان"
    silence = found[found["kind"] == "silence"].iloc[0]
    assert silence["start"] == pd.Timestamp("2020-03-21") + pd.Timedelta(days=91)
    # Fridays are quiet every week: the weekday-aware baseline does not call them silences
    assert len(found) == 2


def test_activity_scores_need_day_or_week():
    with pytest.raises(ValueError):
        patterns.activity_scores(_daily_corpus(weeks=2), freq="month")


def test_occasion_calendar_fixed_and_lunar_dates():
    table = patterns.occasion_calendar("1391-01-01", "1391-12-29")
    by_name = table.set_index("occasion")
    assert by_name.loc["پیروزی انقلاب اسلامی (۲۲ بهمن)", "start"] == pd.Timestamp("2013-02-10")
    assert by_name.loc["دهه فجر", "end_jalali"] == "1391-11-22"
    assert by_name.loc["هفته دفاع مقدس", "start_jalali"] == "1391-06-31"
    assert by_name.loc["عاشورا", "start"] == pd.Timestamp("2012-11-24")  # 10 Muharram 1434
    assert by_name.loc["روز قدس", "start"].day_of_week == 4  # a Friday
    assert by_name.loc["ماه رمضان", "kind"] == "lunar"
    assert (table["jalali_year"] == 1391).all()


def test_occasion_summary_finds_lift_and_terms():
    rows = []
    start = pd.Timestamp("2013-01-01")
    for offset in range(60):
        day = start + pd.Timedelta(days=offset)
        rows += [{"published": day, "title": "جلسه شورای شهر", "lead": "بررسی بودجه شهرداری"}] * 2
    for k in range(8):  # the anniversary of the revolution, 22 Bahman 1391 = 2013-02-10
        rows.append({"published": "2013-02-10", "title": "راهپیمایی باشکوه مردم", "lead": f"حضور مردم در راهپیمایی {k}"})
    corpus = make_articles(rows)
    summary = patterns.occasion_summary(corpus).set_index("occasion")
    row = summary.loc["پیروزی انقلاب اسلامی (۲۲ بهمن)"]
    assert row["n_articles"] == 10 and row["baseline_per_day"] == 2 and row["lift"] == 5
    assert "راهپیمایی" in row["top_terms"]
    around = patterns.occasion_volume(corpus, days_before=3, days_after=3)
    bahman = around[around["occasion"] == "پیروزی انقلاب اسلامی (۲۲ بهمن)"]
    assert list(bahman["offset"]) == list(range(-3, 4))
    assert bahman.set_index("offset").loc[0, "n_articles"] == 10


def test_occasion_functions_on_empty_corpus():
    empty = make_articles([])
    assert patterns.occasion_summary(empty).empty
    assert patterns.occasion_volume(empty).empty


def test_demo_monthly_counts_match_ground_truth(demo_articles, demo_truth, demo_dir):
    table = patterns.volume(demo_articles, by=None, freq="month")
    loaded = demo_articles[demo_articles["published"].notna()]
    files = {str(Path(p).relative_to(demo_dir)) for p in loaded["path"]}
    truth = demo_truth[demo_truth["file"].isin(files)]
    expected = truth["published_jalali"].str.slice(0, 7).value_counts()
    got = table.set_index("period")["n_articles"]
    assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict()


def test_charts_draw_persian_labels_and_survive_empty_tables(small, tmp_path):
    volume = patterns.volume(small, by="site", freq="month")
    axes = [
        charts.timeline(volume, group="site"),
        charts.timeline(patterns.volume(small, by=None)),
        charts.volume_heatmap(volume, group="site"),
        charts.category_mix(patterns.category_share(small), group="site"),
        charts.occasion_timeline(patterns.volume(small, by=None, freq="day"),
                                 patterns.occasion_calendar("2013-02-01", "2013-05-01")),
        charts.profile_bars(patterns.weekday_profile(small, by=None)),
        charts.length_boxplot(patterns.lengths(small), group="site"),
        charts.occasion_profile(patterns.occasion_volume(small, days_before=3, days_after=3)),
    ]
    for i, ax in enumerate(axes):
        assert isinstance(ax, plt.Axes)
        ax.figure.savefig(tmp_path / f"chart{i}.png")
    labels = [t.get_text() for t in axes[0].get_xticklabels()]
    assert "اسفند ۱۳۹۱" in labels
    empty = make_articles([])
    for ax in (charts.timeline(patterns.volume(empty)), charts.volume_heatmap(patterns.volume(empty)),
               charts.category_mix(patterns.category_share(empty)),
               charts.profile_bars(patterns.hour_profile(empty))):
        assert "داده‌ای" in ax.texts[0].get_text()
    plt.close("all")


def test_patterns_command_writes_tables(tmp_path, small):
    from analysis.cli import main

    source = tmp_path / "articles.parquet"
    small.to_parquet(source)
    assert main(["patterns", str(source), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"volume_site_month.csv", "bursts.csv", "occasions.csv", "republication_sites.csv"} <= written
    volume = pd.read_csv(tmp_path / "out" / "volume_site_month.csv")
    assert volume["n_articles"].sum() == 4
    assert main(["patterns", str(tmp_path / "missing"), "--out", str(tmp_path / "x")]) == 2
