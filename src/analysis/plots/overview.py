"""Charts of the corpus overview: counts by site or category, lengths, months, rejects.

Each function takes a table from :mod:`analysis.patterns.overview`, draws it on ``ax`` (a new
figure's axes when None) and returns the Axes, as every chart of :mod:`analysis.plots` does.
Labels are Persian and passed as they are (matplotlib >= 3.11 shapes them); tick numbers use
Persian digits.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from analysis._core.persian import persian_number
from analysis.plots.style import axes_or_new, persian_style

ACCENT = "#0b6e4f"
MUTED = "#9aa5b1"

#: formats axis numbers with Persian digits (and Persian thousands separators)
PERSIAN_TICKS = FuncFormatter(lambda value, _pos: persian_number(int(value) if float(value).is_integer() else value))


def counts_bar(
    table: pd.DataFrame,
    *,
    label: str,
    value: str,
    title: str = "",
    xlabel: str = "تعداد مقاله",
    top: int = 20,
    ax=None,
) -> Axes:
    """Horizontal bars of ``value`` for each ``label`` (the ``top`` largest, largest at the top),
    each bar annotated with its count in Persian digits."""
    shown = table.nlargest(top, value).iloc[::-1] if len(table) else table
    with persian_style():
        height = 1.2 + 0.32 * max(len(shown), 1)
        ax = axes_or_new(ax, (7.5, height))
        labels = [str(v) for v in shown[label]]
        bars = ax.barh(range(len(shown)), shown[value], color=ACCENT)
        ax.set_yticks(range(len(shown)), labels)
        ax.bar_label(bars, labels=[persian_number(v) for v in shown[value]], padding=3, fontsize=8)
        ax.xaxis.set_major_formatter(PERSIAN_TICKS)
        ax.set_xlabel(xlabel)
        if title:
            ax.set_title(title, loc="right")
        if shown.empty:
            ax.text(0.5, 0.5, "داده‌ای نیست", ha="center", va="center", transform=ax.transAxes, color=MUTED)
        ax.margins(x=0.12)
    return ax


def length_histogram(articles: pd.DataFrame, *, column: str = "n_words", bins: int = 40, title: str = "",
                     ax=None) -> Axes:
    """Histogram of article lengths (``column``, words by default) with the median marked."""
    values = articles[column].astype("float64").dropna()
    with persian_style():
        ax = axes_or_new(ax, (7.5, 3.2))
        if len(values):
            ax.hist(values, bins=min(bins, max(values.nunique(), 1)), color=ACCENT, alpha=0.85)
            median = values.median()
            ax.axvline(median, color="#c0392b", linestyle="--", linewidth=1)
            ax.annotate(f"میانه: {persian_number(median)}", xy=(median, 0.95), xycoords=("data", "axes fraction"),
                        xytext=(4, 0), textcoords="offset points", fontsize=8, color="#c0392b")
        else:
            ax.text(0.5, 0.5, "داده‌ای نیست", ha="center", va="center", transform=ax.transAxes, color=MUTED)
        ax.xaxis.set_major_formatter(PERSIAN_TICKS)
        ax.yaxis.set_major_formatter(PERSIAN_TICKS)
        ax.set_xlabel("تعداد واژه" if column == "n_words" else "تعداد نویسه" if column == "n_chars" else column)
        ax.set_ylabel("تعداد مقاله")
        if title:
            ax.set_title(title, loc="right")
    return ax


def monthly_bars(monthly: pd.DataFrame, *, title: str = "", max_labels: int = 14, ax=None) -> Axes:
    """Articles a Jalali month (table of :func:`analysis.patterns.overview.monthly_counts` without ``by``),
    labelled with Persian month names; months with no article show as gaps."""
    with persian_style():
        ax = axes_or_new(ax, (9, 3.4))
        if len(monthly):
            positions = range(len(monthly))
            ax.bar(positions, monthly["articles"], color=ACCENT, width=0.8)
            step = max(1, -(-len(monthly) // max_labels))
            ticks = list(positions)[::step]
            ax.set_xticks(ticks, [monthly["label"].iloc[i] for i in ticks], rotation=45, ha="right", fontsize=8)
        else:
            ax.text(0.5, 0.5, "هیچ مقاله‌ای تاریخ ندارد", ha="center", va="center", transform=ax.transAxes, color=MUTED)
            ax.set_xticks([])
        ax.yaxis.set_major_formatter(PERSIAN_TICKS)
        ax.set_ylabel("تعداد مقاله")
        if title:
            ax.set_title(title, loc="right")
    return ax
