"""Jalali/Gregorian date parsing, URL dates and Jalali helpers."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.dates import (
    date_from_url,
    gregorian_from_jalali,
    jalali_dates,
    jalali_month_name,
    jalali_month_names,
    latin_digits,
    parse_date,
    parse_date_value,
    to_jalali,
)


@pytest.mark.parametrize(("text", "gregorian", "jalali", "has_time"), [
    ("۱۳۹۴/۰۲/۱۰ - ۱۰:۳۰", "2015-04-30 10:30", "1394-02-10", True),
    ("1394-2-10", "2015-04-30", "1394-02-10", False),
    ("٢٠١٥-٠٤-٣٠", "2015-04-30", "1394-02-10", False),  # Arabic-Indic digits, Gregorian
    ("2015-04-30T10:30:15", "2015-04-30 10:30:15", "1394-02-10", True),
    ("30/04/2015", "2015-04-30", "1394-02-10", False),
    ("۱۰ اردیبهشت ۱۳۹۴ ساعت ۰۸:۰۵", "2015-04-30 08:05", "1394-02-10", True),
    ("30 April 2015", "2015-04-30", "1394-02-10", False),
    ("۱۲:۴۵ - ۱۳۹۹/۱۲/۳۰", "2021-03-20 12:45", "1399-12-30", True),  # leap Esfand 30
    ("1403/01/01", "2024-03-20", "1403-01-01", False),  # Nowruz
])
def test_parse_date(text, gregorian, jalali, has_time):
    parsed = parse_date(text)
    assert parsed.timestamp == pd.Timestamp(gregorian)
    assert parsed.jalali == jalali
    assert parsed.has_time is has_time


@pytest.mark.parametrize("text", ["", "hello", "1394/13/01", "1398/12/30", "99/99/9999", "۱۰ فلان ۱۳۹۴",
                                  "25:99 1394/01/01"[:0] + "1394/01/32"])
def test_impossible_or_absent_dates_give_none(text):
    assert parse_date(text) is None  # 1398 is not a leap year: no Esfand 30


def test_parse_date_value_from_records():
    assert parse_date_value(pd.Timestamp("2015-04-30 10:30")).jalali == "1394-02-10"
    assert parse_date_value(1430389800).timestamp == pd.Timestamp("2015-04-30 10:30")  # epoch s
    assert parse_date_value(1430389800000).jalali == "1394-02-10"  # epoch ms
    assert parse_date_value(pd.Timestamp("2015-04-30 10:30", tz="Asia/Tehran")).timestamp == \
        pd.Timestamp("2015-04-30 06:00")  # stored naive in UTC
    for nothing in (None, float("nan"), pd.NaT, True, -5, "نامعلوم"):
        assert parse_date_value(nothing) is None


@pytest.mark.parametrize(("url", "jalali"), [
    ("https://www.farsnews.ir/news/8707060255", "1387-07-06"),
    ("https://www.farsnews.ir/news/13911222000865/عنوان", "1391-12-22"),
    ("http://www.farsnews.com/newstext.php?nn=8707060255", "1387-07-06"),
    ("https://www.farsnews.ir/news/6010060837", None),  # a number from before Fars existed
    ("https://www.farsnews.ir/news/87070602", None),  # wrong length: not a dated number
    ("https://example.com/2015/04/30/slug", "1394-02-10"),
    ("https://example.ir/fa/1394/02/10/slug", "1394-02-10"),
    ("http://semnan.basij.ir/node/9358", None),
    ("https://www.isna.ir/news/8707060255", None),  # Fars's rule is Fars's only
])
def test_date_from_url(url, jalali):
    parsed = date_from_url(url)
    assert (parsed.jalali if parsed else None) == jalali


def test_jalali_helpers():
    assert jalali_month_name(1) == "فروردین" and jalali_month_name(12) == "اسفند"
    assert len(jalali_month_names()) == 12 and jalali_month_names()[1] == "اردیبهشت"
    with pytest.raises(ValueError):
        jalali_month_name(13)
    assert to_jalali(pd.Timestamp("2015-04-30 23:59")) == "1394-02-10"
    assert to_jalali(pd.NaT) == "" and to_jalali(None) == ""
    assert gregorian_from_jalali(1394, 2, 10) == pd.Timestamp("2015-04-30")
    series = pd.Series(pd.to_datetime(["2015-04-30", None, "2024-03-20"]), index=[5, 6, 7])
    out = jalali_dates(series)
    assert out.tolist() == ["1394-02-10", "", "1403-01-01"] and out.index.tolist() == [5, 6, 7]
    assert latin_digits("۱۳۹۴/٠٢") == "1394/02"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789۰۱۲۳۴۵۶۷۸۹/-:. Tاردیبهشت")), max_size=40))
def test_parse_date_never_raises(text):
    parsed = parse_date(text)
    assert parsed is None or len(parsed.jalali) == 10


@settings(max_examples=100, deadline=None)
@given(st.integers(1300, 1450), st.integers(1, 12), st.integers(1, 31))
def test_jalali_round_trip(year, month, day):
    parsed = parse_date(f"{year}/{month:02d}/{day:02d}")
    if parsed is not None:
        assert parsed.jalali == f"{year}-{month:02d}-{day:02d}"
        assert to_jalali(parsed.timestamp) == parsed.jalali
