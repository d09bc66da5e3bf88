"""Charts of publishing patterns: timelines, site-by-month heatmap, category mix, occasions, network.

Each function takes a table from :mod:`analysis.patterns` (or the graph from
:mod:`analysis.patterns.republication`) and returns the matplotlib Axes it drew on (a new Figure when no
``ax`` is given). Labels are Persian with Persian digits; the text is passed to matplotlib as it is
(matplotlib >= 3.11 shapes it; it is never reshaped here).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis._core.persian import persian_digits, persian_number
from analysis.plots.style import axes_or_new, persian_style

OTHERS = "سایر"
NO_NAME = "(بی‌نام)"


def _persian_numbers(axis) -> None:
    """Tick labels with Persian digits, thousands separator and decimal point (۲٫۵)."""
    axis.set_major_formatter(FuncFormatter(lambda value, _: persian_number(float(value))))


def _empty(ax, title: str):
    ax.set_title(title)
    ax.text(0.5, 0.5, "داده‌ای برای نمایش نیست", ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_visible(False)
    return ax


def _name(value) -> str:
    return NO_NAME if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "" else str(value)


def _tick_periods(periods: pd.DataFrame, max_ticks: int) -> pd.DataFrame:
    """Every k-th period so that at most ``max_ticks`` labels are shown."""
    step = max(1, math.ceil(len(periods) / max_ticks))
    return periods.iloc[::step]


def _top_groups(table: pd.DataFrame, group: str, top: int) -> pd.DataFrame:
    """Keep the ``top`` groups by total and add up the rest as «سایر»."""
    totals = table.groupby(group)["n_articles"].sum().sort_values(ascending=False)
    keep = set(totals.index[:top])
    if len(totals) <= top:
        return table
    merged = table.assign(**{group: table[group].where(table[group].isin(keep), OTHERS)})
    keys = [c for c in ("period", "label", "start", "end") if c in table.columns]
    return merged.groupby(keys + [group], as_index=False, sort=False)["n_articles"].sum()


def timeline(volume_table: pd.DataFrame, group: str | None = None, ax=None, top: int = 8,
             title: str = "تعداد خبرها در طول زمان", max_ticks: int = 12):
    """Lines of ``n_articles`` per period (one line per ``group`` value, the ``top`` largest; the
    rest as «سایر»), x-axis labelled with the table's Persian period labels."""
    with persian_style():
        ax = axes_or_new(ax, (11, 4.2))
        if volume_table.empty:
            return _empty(ax, title)
        periods = volume_table.drop_duplicates("period").sort_values("start")
        if group is None or group not in volume_table.columns:
            series = volume_table.groupby("start")["n_articles"].sum().sort_index()
            ax.plot(series.index, series.to_numpy(), color="#1f6f8b", linewidth=1.6)
            ax.fill_between(series.index, series.to_numpy(), alpha=0.15, color="#1f6f8b")
        else:
            table = _top_groups(volume_table, group, top)
            order = table.groupby(group)["n_articles"].sum().sort_values(ascending=False).index
            for name in order:
                part = table[table[group] == name].sort_values("start")
                ax.plot(part["start"], part["n_articles"], linewidth=1.4, label=_name(name))
            ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=2 if len(order) > 4 else 1)
        ticks = _tick_periods(periods, max_ticks)
        ax.set_xticks(ticks["start"], ticks["label"], rotation=45, ha="right", fontsize=8)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _persian_numbers(ax.yaxis)
        ax.set_ylabel("تعداد خبر")
        ax.set_title(title)
        ax.grid(axis="y", alpha=0.3)
    return ax


def volume_heatmap(volume_table: pd.DataFrame, group: str = "site", ax=None, top: int = 25,
                   title: str = "خبرها در هر ماه به تفکیک پایگاه", max_ticks: int = 16):
    """Heatmap of ``n_articles``: one row per ``group`` value (the ``top`` largest), one column
    per period, Persian period labels."""
    with persian_style():
        ax = axes_or_new(ax, (12, 0.9 + 0.32 * min(top, max(1, volume_table[group].nunique() if group in volume_table else 1))))
        if volume_table.empty or group not in volume_table.columns:
            return _empty(ax, title)
        table = _top_groups(volume_table, group, top)
        grid = table.pivot_table(index=group, columns="start", values="n_articles", aggfunc="sum", fill_value=0)
        grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index]
        image = ax.imshow(grid.to_numpy(), aspect="auto", cmap="YlOrRd", interpolation="nearest")
        labels = volume_table.drop_duplicates("start").set_index("start")["label"]
        positions = _tick_periods(pd.DataFrame({"pos": range(grid.shape[1]), "start": grid.columns}), max_ticks)
        ax.set_xticks(positions["pos"], [labels[s] for s in positions["start"]], rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(grid.shape[0]), [_name(n) for n in grid.index], fontsize=8)
        colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.025, pad=0.01)
        colorbar.set_label("تعداد خبر")
        _persian_numbers(colorbar.ax.yaxis)
        ax.set_title(title)
        ax.spines[:].set_visible(False)
    return ax


def category_mix(share_table: pd.DataFrame, group: str = "site", ax=None, top_categories: int = 8,
                 top_groups: int = 20, title: str = "ترکیب دسته‌ها در هر پایگاه"):
    """Horizontal stacked bars: each group's category shares (``share`` column of
    :func:`analysis.patterns.category_share`), the ``top_categories`` overall plus «سایر»."""
    with persian_style():
        n_groups = min(top_groups, share_table[group].nunique()) if group in share_table else 1
        ax = axes_or_new(ax, (10, max(2.6, 1.2 + 0.38 * n_groups)))
        if share_table.empty or group not in share_table.columns:
            return _empty(ax, title)
        overall = share_table.groupby("category")["n_articles"].sum().sort_values(ascending=False)
        keep = list(overall.index[:top_categories])
        table = share_table.assign(category=share_table["category"].where(share_table["category"].isin(keep), OTHERS))
        grid = table.pivot_table(index=group, columns="category", values="share", aggfunc="sum", fill_value=0)
        sizes = share_table.groupby(group)["n_articles"].sum()
        grid = grid.loc[sizes.sort_values(ascending=True).index[-top_groups:]]
        columns = [c for c in keep if c in grid.columns] + ([OTHERS] if OTHERS in grid.columns else [])
        colors = plt.get_cmap("tab10" if len(columns) <= 10 else "tab20")(np.arange(len(columns)))
        left = np.zeros(len(grid))
        for color, column in zip(colors, columns):
            values = grid[column].to_numpy()
            ax.barh(range(len(grid)), values, left=left, color=color, label=_name(column) if column != "" else "(بدون دسته)")
            left += values
        ax.set_yticks(range(len(grid)), [_name(n) for n in grid.index], fontsize=9)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: persian_digits(f"{v * 100:.0f}") + "٪"))
        ax.set_xlabel("سهم از خبرهای پایگاه")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
        ax.set_title(title)
    return ax


def occasion_timeline(daily_volume: pd.DataFrame, occasions: pd.DataFrame, ax=None, max_labels: int = 12,
                      title: str = "خبرها و مناسبت‌ها"):
    """Daily volume (a ``volume(..., freq="day")`` table, summed over groups) with shaded occasion
    spans labelled by name. With many occasions, the ``max_labels`` with the highest ``lift`` (or the
    longest) are labelled; all are shaded."""
    with persian_style():
        ax = axes_or_new(ax, (12, 4.5))
        if daily_volume.empty:
            return _empty(ax, title)
        series = daily_volume.groupby("start")["n_articles"].sum().sort_index()
        ax.plot(series.index, series.to_numpy(), color="#1f6f8b", linewidth=0.9)
        first, last = series.index.min(), series.index.max()
        shown = occasions[(occasions["end"] >= first) & (occasions["start"] <= last)] if len(occasions) else occasions
        if len(shown):
            rank = shown["lift"].fillna(0) if "lift" in shown else (shown["end"] - shown["start"]).dt.days
            labelled = _spaced(shown["start"], rank, max_labels, min_gap=(last - first) / (2.5 * max_labels))
            top = max(series.max(), 1)
            for index, occ in shown.iterrows():
                color = "#c0392b" if occ.get("kind", "fixed") == "fixed" else "#27ae60"
                ax.axvspan(occ["start"], occ["end"] + pd.Timedelta(days=1), color=color, alpha=0.15, linewidth=0)
                if index in labelled:
                    ax.text(occ["start"], top * 1.02, occ["occasion"], fontsize=7, rotation=90,
                            ha="right", va="bottom", color=color)
            ax.set_ylim(0, top * 1.6)
        periods = volume_like_months(first, last)
        ticks = _tick_periods(periods, 12)
        ax.set_xticks(ticks["start"], ticks["label"], rotation=45, ha="right", fontsize=8)
        _persian_numbers(ax.yaxis)
        ax.set_ylabel("خبر در روز")
        ax.set_title(title)
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color="#c0392b", alpha=0.3, label="مناسبت خورشیدی"),
                           Patch(color="#27ae60", alpha=0.3, label="مناسبت قمری")],
                  loc="upper left", fontsize=8, frameon=False)
    return ax


def _spaced(starts: pd.Series, rank: pd.Series, limit: int, min_gap: pd.Timedelta) -> set:
    """Indexes of up to ``limit`` occasions to label, best ``rank`` first, no two closer than ``min_gap``."""
    chosen: list = []
    for index in rank.sort_values(ascending=False).index:
        if len(chosen) >= limit:
            break
        if all(abs(starts[index] - starts[other]) >= min_gap for other in chosen):
            chosen.append(index)
    return set(chosen)


def volume_like_months(first, last) -> pd.DataFrame:
    """Jalali month starts and labels between two days (for date axes)."""
    from analysis.patterns.publishing import calendar_table

    months = calendar_table(first, last, "month", "jalali").drop_duplicates("period")
    months = months.assign(start=months["start"].clip(lower=pd.Timestamp(first)))
    return months[["period", "label", "start"]]


def profile_bars(profile: pd.DataFrame, column: str = "weekday", group: str | None = None, ax=None,
                 title: str | None = None):
    """Bars of the ``share`` per weekday or hour (from ``weekday_profile``/``hour_profile``); one
    bar group per ``group`` value when given."""
    title = title or ("سهم روزهای هفته" if column == "weekday" else "سهم ساعت‌های روز")
    with persian_style():
        ax = axes_or_new(ax, (8, 3.5))
        if profile.empty:
            return _empty(ax, title)
        group_col = group if group in profile.columns else profile.columns[0]
        groups = list(dict.fromkeys(profile[group_col]))[:8]
        levels = sorted(profile[column].unique())
        width = 0.8 / len(groups)
        for k, name in enumerate(groups):
            part = profile[profile[group_col] == name].set_index(column).reindex(levels)
            ax.bar(np.arange(len(levels)) + k * width - 0.4 + width / 2, part["share"].fillna(0), width,
                   label=_name(name) if len(groups) > 1 else None)
        names = (profile.drop_duplicates(column).set_index(column)[f"{column}_name"].reindex(levels)
                 if f"{column}_name" in profile.columns else pd.Series([persian_digits(v) for v in levels]))
        ax.set_xticks(range(len(levels)), list(names), fontsize=8)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: persian_digits(f"{v * 100:.0f}") + "٪"))
        if len(groups) > 1:
            ax.legend(fontsize=8, frameon=False)
        ax.set_title(title)
    return ax


def republication_network(graph: nx.DiGraph, ax=None, top: int = 30, seed: int = 0,
                          title: str = "چه کسی از چه کسی بازنشر می‌کند"):
    """The republication graph: nodes are sites (size = articles they published first), arrows go
    from the source to the site republishing it (width = copies, label = median lag in hours)."""
    with persian_style():
        ax = axes_or_new(ax, (8.5, 7) if graph.number_of_edges() else (8.5, 1.5))
        if graph.number_of_edges() == 0:
            return _empty(ax, title)
        weight = {n: graph.nodes[n].get("n_first", 0) + graph.nodes[n].get("n_copies", 0) for n in graph}
        keep = sorted(weight, key=lambda n: -weight[n])[:top]
        sub = graph.subgraph(keep).copy()
        sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0])
        if sub.number_of_edges() == 0:
            return _empty(ax, title)
        pos = nx.circular_layout(sub) if len(sub) <= 12 else nx.spring_layout(sub, seed=seed, k=1.5 / math.sqrt(len(sub)))
        first = np.array([sub.nodes[n].get("n_first", 0) for n in sub], dtype=float)
        sizes = 300 + 1700 * (first / first.max() if first.max() else first)
        widths = np.array([d["n_copies"] for _, _, d in sub.edges(data=True)], dtype=float)
        widths = 0.6 + 5 * widths / widths.max()
        nx.draw_networkx_nodes(sub, pos, ax=ax, node_size=sizes, node_color="#f5cba7", edgecolors="#935116")
        nx.draw_networkx_edges(sub, pos, ax=ax, width=widths, edge_color="#1f6f8b", alpha=0.6, arrows=True,
                               arrowsize=14, node_size=sizes, connectionstyle="arc3,rad=0.12")
        nx.draw_networkx_labels(sub, pos, ax=ax, labels={n: _name(n) for n in sub}, font_size=9,
                                font_family=plt.rcParams["font.sans-serif"])
        if sub.number_of_edges() <= 40:
            edge_labels = {(u, v): persian_digits(f"{d['median_lag_hours']:.0f}") + " ساعت"
                           for u, v, d in sub.edges(data=True) if not math.isnan(d["median_lag_hours"])}
            nx.draw_networkx_edge_labels(sub, pos, edge_labels=edge_labels, ax=ax, font_size=7,
                                         font_family=plt.rcParams["font.sans-serif"], label_pos=0.4,
                                         connectionstyle="arc3,rad=0.12")
        ax.set_title(title)
        ax.set_axis_off()
    return ax


def length_boxplot(lengths_table: pd.DataFrame, group: str = "site", column: str = "n_words", ax=None,
                   top: int = 15, title: str = "طول خبرها (تعداد واژه)"):
    """Box plots of article length per group (from :func:`analysis.patterns.lengths`), the ``top``
    largest groups."""
    with persian_style():
        ax = axes_or_new(ax, (9, 1 + 0.35 * min(top, max(1, lengths_table[group].nunique() if group in lengths_table else 1))))
        if lengths_table.empty or group not in lengths_table.columns:
            return _empty(ax, title)
        order = lengths_table[group].value_counts().index[:top][::-1]
        data = [lengths_table.loc[lengths_table[group] == g, column].to_numpy() for g in order]
        ax.boxplot(data, orientation="horizontal", showfliers=False, widths=0.6)
        ax.set_yticks(range(1, len(order) + 1), [_name(g) for g in order], fontsize=8)
        _persian_numbers(ax.xaxis)
        ax.set_title(title)
    return ax


def occasion_profile(around: pd.DataFrame, ax=None, top: int = 6,
                     title: str = "حجم خبر پیش و پس از مناسبت‌ها (میانگین سال‌ها)"):
    """Mean articles per day by offset from the occasion's first day (from
    :func:`analysis.patterns.occasion_volume`), one line per occasion, the ``top`` busiest."""
    with persian_style():
        ax = axes_or_new(ax, (9, 4))
        if around.empty:
            return _empty(ax, title)
        mean = around.groupby(["occasion", "offset"])["n_articles"].mean().rename("mean").reset_index()
        busiest = around[around["during"]].groupby("occasion")["n_articles"].mean().sort_values(ascending=False)
        for name in busiest.index[:top]:
            part = mean[mean["occasion"] == name].sort_values("offset")
            ax.plot(part["offset"], part["mean"], marker=".", linewidth=1.3, label=name)
        ax.axvline(0, color="0.4", linestyle=":", linewidth=1)
        _persian_numbers(ax.xaxis)
        _persian_numbers(ax.yaxis)
        ax.set_xlabel("روز نسبت به آغاز مناسبت")
        ax.set_ylabel("میانگین خبر در روز")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
        ax.set_title(title)
    return ax
