"""Charts and displays of term tables: frequency and collocation bars, a keyness scatter in the
spirit of scattertext, term trends over Jalali months, and a right-to-left concordance table.

Each chart function takes a table from :mod:`analysis.topics.terms` and returns the matplotlib Axes it drew
on (a new Figure when no ``ax`` is given). Persian text is passed to matplotlib as it is (never
reshaped); numbers on the axes are written with Persian digits.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.corpus.dates import jalali_month_name
from analysis._core.persian import persian_digits
from analysis.plots.style import axes_or_new, empty_axes, persian_style, persian_ticks

def period_label(period: str) -> str:
    """Persian label of a ``YYYY-MM`` Jalali period («مهر ۱۴۰۲») or a year («۱۴۰۲»)."""
    if len(period) == 7:
        year, month = period.split("-")
        return f"{jalali_month_name(int(month))} {persian_digits(year)}"
    return persian_digits(period)


def _bars(ax, labels, values, title, xlabel, color):
    positions = np.arange(len(labels))[::-1]
    ax.barh(positions, values, color=color)
    ax.set_yticks(positions, labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    persian_ticks(ax.xaxis)
    return ax


def frequency_bars(freq_table: pd.DataFrame, top: int = 20, value: str = "per_1000", ax=None,
                   title: str = "پرکاربردترین واژه‌ها"):
    """Horizontal bars of the ``top`` terms of a :func:`analysis.topics.terms.term_frequencies` table
    (one group: pass a filtered table), largest at the top."""
    labels = {"per_1000": "در هر هزار واژه", "count": "تعداد", "doc_freq": "تعداد خبرها",
              "doc_share": "سهم خبرها"}
    with persian_style():
        ax = axes_or_new(ax, (7, max(3, 0.28 * min(top, len(freq_table)) + 1)))
        if freq_table.empty:
            return empty_axes(ax, title)
        table = freq_table.nlargest(top, value)
        return _bars(ax, table["term"].tolist(), table[value].to_numpy(), title, labels.get(value, value), "#1f6f8b")


def collocation_bars(collocation_table: pd.DataFrame, top: int = 20, score: str = "llr", ax=None,
                     title: str = "عبارت‌های چندواژه‌ای (هم‌آیندها)"):
    """Horizontal bars of the ``top`` phrases of :func:`analysis.topics.terms.collocations` by ``score``."""
    labels = {"llr": "نسبت درست‌نمایی (G²)", "pmi": "PMI", "npmi": "NPMI", "count": "تعداد"}
    with persian_style():
        ax = axes_or_new(ax, (7, max(3, 0.28 * min(top, len(collocation_table)) + 1)))
        if collocation_table.empty:
            return empty_axes(ax, title)
        table = collocation_table.nlargest(top, score)
        return _bars(ax, table["phrase"].tolist(), table[score].to_numpy(), title, labels.get(score, score), "#8b5a1f")


def keyness_chart(keyness_table: pd.DataFrame, group_name: str = "گروه", other_name: str = "بقیه",
                  n_labels: int = 12, ax=None, title: str | None = None):
    """Scattertext-like view of :func:`analysis.topics.terms.keyness`: each term at its frequency in the other
    side (x) and in the group (y), both per 1,000 words on log scales, coloured by z; the most
    distinctive terms of each side are written out, placed by adjustText so that no two labels
    overlap (a label moved off its point gets a thin leader line). A group named by a known site
    subdomain is shown by its Persian name (:mod:`analysis.corpus.sites`)."""
    from analysis.corpus.sites import site_name

    group_name, other_name = site_name(group_name), site_name(other_name)
    title = title or f"واژه‌های شاخص «{group_name}» در برابر «{other_name}»"
    with persian_style():
        ax = axes_or_new(ax, (8.5, 7))
        if keyness_table.empty:
            return empty_axes(ax, title)
        floor = min(keyness_table.loc[keyness_table["per_1000_group"] > 0, "per_1000_group"].min(),
                    keyness_table.loc[keyness_table["per_1000_other"] > 0, "per_1000_other"].min()) / 2
        x = keyness_table["per_1000_other"].clip(lower=floor)
        y = keyness_table["per_1000_group"].clip(lower=floor)
        limit = max(3.0, float(keyness_table["z"].abs().quantile(0.99)))
        points = ax.scatter(x, y, c=keyness_table["z"].clip(-limit, limit), cmap="coolwarm", vmin=-limit,
                            vmax=limit, s=10, alpha=0.7, linewidths=0)
        ax.set_xscale("log")
        ax.set_yscale("log")
        low, high = min(x.min(), y.min()), max(x.max(), y.max())
        ax.plot([low, high], [low, high], color="0.6", linewidth=0.8, linestyle="--")
        top = keyness_table.nlargest(n_labels, "z")
        bottom = keyness_table.drop(index=top.index).nsmallest(n_labels, "z")
        _place_labels(ax, [(rows, colour) for rows, colour in ((top, "#b2182b"), (bottom, "#2166ac"))], x, y)
        ax.set_xlabel(f"در هر هزار واژهٔ «{other_name}»")
        ax.set_ylabel(f"در هر هزار واژهٔ «{group_name}»")
        ax.set_title(title)
        persian_ticks(ax.xaxis)
        persian_ticks(ax.yaxis)
        colorbar = ax.figure.colorbar(points, ax=ax, shrink=0.7)
        colorbar.set_label("z (لگاریتم نسبت بخت با پیشین دیریکله)")
        persian_ticks(colorbar.ax.yaxis)
        return ax


def _place_labels(ax, groups, x: pd.Series, y: pd.Series) -> None:
    """Write each group's terms at their points and move them apart (adjustText) so none overlap each
    other or sit on the labelled points; the axes limits are fixed first (log scales)."""
    from adjustText import adjust_text

    texts = []
    for rows, colour in groups:
        for term, tx, ty in zip(rows["term"], x[rows.index], y[rows.index]):
            texts.append(ax.text(tx, ty, term, fontsize=8, color=colour, ha="center", va="center"))
    if not texts:
        return
    ax.figure.canvas.draw_idle()
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())
    labelled = pd.concat([rows for rows, _ in groups]).index
    adjust_text(texts, x=x[labelled].to_numpy(), y=y[labelled].to_numpy(), ax=ax,
                expand=(1.15, 1.4), force_text=(0.4, 0.6), max_move=(40, 40), ensure_inside_axes=True,
                arrowprops={"arrowstyle": "-", "color": "0.45", "linewidth": 0.5})


def trend_lines(trends_table: pd.DataFrame, value: str = "per_1000", ax=None,
                title: str = "روند کاربرد واژه‌ها در ماه‌های شمسی", max_ticks: int = 12):
    """One line a term over the periods of :func:`analysis.topics.terms.term_trends` (Jalali month labels)."""
    with persian_style():
        ax = axes_or_new(ax, (11, 4.2))
        if trends_table.empty:
            return empty_axes(ax, title)
        periods = sorted(trends_table["period"].unique())
        position = {p: i for i, p in enumerate(periods)}
        for term, rows in trends_table.groupby("term", sort=False):
            ax.plot(rows["period"].map(position), rows[value], marker="o", markersize=3, linewidth=1.5, label=term)
        step = max(1, math.ceil(len(periods) / max_ticks))
        ax.set_xticks(range(0, len(periods), step), [period_label(p) for p in periods[::step]], rotation=45,
                      ha="right")
        ax.set_ylabel("در هر هزار واژه" if value == "per_1000" else value)
        persian_ticks(ax.yaxis)
        ax.set_title(title)
        ax.legend(frameon=False)
        return ax


def style_kwic(kwic_table: pd.DataFrame, max_rows: int = 50):
    """A concordance table (from :func:`analysis.topics.terms.kwic`) as a right-to-left pandas Styler: the
    context before the keyword on its right, the context after on its left, keyword in bold, text
    escaped."""
    table = kwic_table.head(max_rows)[["left", "keyword", "right"]]
    return (
        table.style.format(escape="html")
        .hide(axis="index")
        .set_table_attributes('dir="rtl"')
        .set_properties(subset=["left"], **{"text-align": "left", "white-space": "nowrap"})
        .set_properties(subset=["keyword"], **{"text-align": "center", "font-weight": "bold", "color": "#b2182b",
                                                "white-space": "nowrap"})
        .set_properties(subset=["right"], **{"text-align": "right", "white-space": "nowrap"})
        .relabel_index(["پیش از واژه", "واژه", "پس از واژه"], axis="columns")
    )
