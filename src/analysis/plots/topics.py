"""Charts of topic models: top terms per topic, the coherence curve and every criterion behind
``k="auto"`` (``selection_chart``), the two levels as nested bars (``hierarchy_chart``), topic
prevalence over Jalali months (lines) and across sites/categories (heatmap), a 2-D topic map and
stability across seeds.

Functions take a fitted :class:`analysis.topics.TopicModel` or a table from :mod:`analysis.topics`
and return matplotlib objects (Axes, or a Figure for the small-multiples chart). Persian text is
passed to matplotlib as it is (never reshaped).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis._core.persian import persian_digits
from analysis.plots.style import axes_or_new, empty_axes, persian_style, persian_ticks
from analysis.plots.terms import period_label


def _topic_name(topic: int, label: str) -> str:
    return f"{persian_digits(int(topic) + 1)}. {label}"


def topic_term_bars(topic_terms: pd.DataFrame, n_terms: int = 8, columns: int = 4,
                    title: str = "واژه‌های اصلی هر موضوع"):
    """Small multiples: one panel a topic, its ``n_terms`` top terms as bars (``model.topic_terms_``)."""
    with persian_style():
        topics = sorted(topic_terms["topic"].unique()) if not topic_terms.empty else []
        columns = max(1, min(columns, len(topics) or 1))
        rows = max(1, math.ceil(len(topics) / columns))
        fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 0.25 * n_terms * rows + 1.2 * rows),
                                 layout="constrained", squeeze=False)
        colours = plt.get_cmap("tab20")
        for ax in axes.ravel()[len(topics):]:
            ax.set_visible(False)
        if not topics:
            empty_axes(axes[0, 0], title)
            return fig
        for ax, topic in zip(axes.ravel(), topics):
            rows_ = topic_terms[topic_terms["topic"] == topic].nsmallest(n_terms, "rank")
            positions = np.arange(len(rows_))[::-1]
            ax.barh(positions, rows_["weight"], color=colours(topic % 20))
            ax.set_yticks(positions, rows_["term"].tolist(), fontsize=9)
            ax.set_xticks([])
            ax.set_title(f"موضوع {persian_digits(topic + 1)}", fontsize=10)
        fig.suptitle(title)
        return fig


def coherence_curve(coherence: pd.DataFrame, ax=None, title: str = "انتخاب تعداد موضوع‌ها با انسجام NPMI"):
    """Mean NPMI coherence (± one standard error over resamples, when known) and topic diversity
    against k (``model.coherence_``); the chosen k is marked."""
    with persian_style():
        ax = axes_or_new(ax, (7, 3.8))
        if coherence.empty:
            return empty_axes(ax, title)
        error = coherence["npmi_se"].fillna(0) if "npmi_se" in coherence else None
        ax.errorbar(coherence["k"], coherence["npmi"], yerr=error, marker="o", linewidth=2, capsize=3,
                    label="انسجام NPMI (± خطای معیار)")
        ax.plot(coherence["k"], coherence["diversity"], marker="s", linestyle=":", label="تنوع واژه‌ها")
        chosen = coherence[coherence["chosen"]]
        for k in chosen["k"]:
            ax.axvline(k, color="0.5", linestyle="--", linewidth=1)
            ax.annotate(f"k = {persian_digits(k)}", (k, ax.get_ylim()[1]), ha="center", va="bottom", fontsize=9)
        ax.set_xlabel("تعداد موضوع‌ها (k)")
        ax.set_xticks(coherence["k"])
        persian_ticks(ax.xaxis)
        persian_ticks(ax.yaxis, "{:.2f}")
        ax.set_title(title, pad=16)
        ax.legend(frameon=False, fontsize=8)
        return ax


def selection_chart(coherence: pd.DataFrame, grouping: pd.DataFrame | None = None, *, axes=None,
                    title: str = "انتخاب تعداد موضوع‌ها: همهٔ معیارها"):
    """Every criterion behind ``k="auto"`` against k (``model.coherence_``): NPMI coherence (± one
    standard error), stability across resamples, held-out fit and distinctness of the topics, with
    the fine k marked; beside it, when ``grouping`` (``model.grouping_``) is given, the PMI of each
    merge of the fine topics (by the number of groups it leaves; merging stops at the first one not
    above 0, the line drawn) with the chosen coarse level marked. Returns the array of Axes."""
    with persian_style():
        if axes is None:
            fig, axes = plt.subplots(1, 2 if grouping is not None else 1, figsize=(12 if grouping is not None else 7, 4),
                                     layout="constrained", squeeze=False)
            axes = axes.ravel()
        ax = axes[0]
        if coherence.empty:
            empty_axes(ax, title)
            return axes
        k = coherence["k"]
        error = coherence["npmi_se"].fillna(0) if "npmi_se" in coherence else None
        ax.errorbar(k, coherence["npmi"], yerr=error, marker="o", linewidth=2, capsize=3, label="انسجام NPMI")
        styles = {"stability": ("پایداری در بازنمونه‌ها", "s", ":"), "distinctness": ("تمایز موضوع‌ها", "^", "-."),
                  "diversity": ("تنوع واژه‌ها", "v", ":")}
        for column, (name, marker, line) in styles.items():
            if column in coherence and coherence[column].notna().any():
                ax.plot(k, coherence[column], marker=marker, linestyle=line, label=name)
        if "heldout" in coherence and coherence["heldout"].notna().any():
            held = coherence["heldout"]
            span = float(held.max() - held.min()) or 1.0
            ax.plot(k, (held - held.min()) / span, marker="D", linestyle="--", color="0.35",
                    label="برازش دادهٔ کنارگذاشته (مقیاس ۰ تا ۱)")
        for chosen in coherence.loc[coherence["chosen"], "k"]:
            ax.axvline(chosen, color="0.5", linestyle="--", linewidth=1)
            ax.annotate(f"ریز: k = {persian_digits(chosen)}", (chosen, 1.02), xycoords=("data", "axes fraction"),
                        ha="center", fontsize=9)
        ax.set_xlabel("تعداد موضوع‌ها (k)")
        ax.set_xticks(k)
        persian_ticks(ax.xaxis)
        persian_ticks(ax.yaxis, "{:.1f}")
        ax.set_title(title, pad=18)
        ax.legend(frameon=False, fontsize=7)
        if grouping is not None and len(axes) > 1:
            gx = axes[1]
            rows = grouping.dropna(subset=["pmi"]) if "pmi" in grouping else grouping.iloc[:0]
            gx.plot(rows["groups"], rows["pmi"], marker="o")
            gx.axhline(0.0, color="0.6", linestyle=":", linewidth=1)  # independence: merging stops at or below it
            for groups in grouping.loc[grouping["chosen"], "groups"]:
                gx.axvline(groups, color="0.5", linestyle="--", linewidth=1)
                gx.annotate(f"درشت: {persian_digits(groups)}", (groups, 1.02), xycoords=("data", "axes fraction"),
                            ha="center", fontsize=9)
            gx.set_xlabel("تعداد گروه‌های موضوع پس از ادغام (سطح درشت)")
            gx.set_ylabel("PMI هم‌رخدادی در مقاله‌ها")
            gx.invert_xaxis()  # read left to right: from the fine topics, merge by merge, to one group
            persian_ticks(gx.xaxis)
            persian_ticks(gx.yaxis, "{:.2f}")
            gx.set_title("ادغام موضوع‌های ریز", pad=18)
        return axes


def hierarchy_chart(tree: pd.DataFrame, ax=None, title: str = "موضوع‌ها در دو سطح"):
    """Nested bars of the two levels (:func:`analysis.topics.topic_tree`): one bar a fine topic, its
    length the topic's share, grouped and coloured by its coarse topic, whose name and share head
    each group."""
    with persian_style():
        ax = axes_or_new(ax, (9, max(3, 0.32 * (len(tree) + tree["coarse"].nunique() if len(tree) else 0) + 1)))
        if tree.empty:
            return empty_axes(ax, title)
        colours = plt.get_cmap("tab10")
        labels, position, y = [], [], 0
        for colour, (coarse, rows) in enumerate(tree.groupby("coarse", sort=False)):
            head = rows.iloc[0]
            ax.barh(-y, head["coarse_prevalence"], color=colours(colour % 10), alpha=0.35)
            labels.append(_topic_name(coarse, head["coarse_label"]))
            position.append(-y)
            y += 1
            for row in rows.itertuples():
                ax.barh(-y, row.fine_prevalence, color=colours(colour % 10), height=0.7)
                labels.append("    " + str(row.fine_label))
                position.append(-y)
                y += 1
        ax.set_yticks(position, labels, fontsize=8)
        ax.set_xlabel("سهم میانگین از خبرها")
        persian_ticks(ax.xaxis, "{:.0%}")
        ax.set_title(title)
        ax.spines[["top", "right"]].set_visible(False)
        return ax


def prevalence_timeline(prevalence: pd.DataFrame, period: str = "month", top: int = 8, ax=None,
                        title: str = "سهم موضوع‌ها در ماه‌های شمسی", max_ticks: int = 12):
    """Lines of each topic's share per period (a :func:`analysis.topics.topic_prevalence` table made
    with ``by="month"`` or ``"year"``); the ``top`` topics overall."""
    with persian_style():
        ax = axes_or_new(ax, (11, 4.5))
        if prevalence.empty:
            return empty_axes(ax, title)
        periods = sorted(prevalence[period].unique())
        position = {p: i for i, p in enumerate(periods)}
        keep = prevalence.groupby("topic")["share"].mean().nlargest(top).index
        colours = plt.get_cmap("tab20")
        for topic, rows in prevalence[prevalence["topic"].isin(keep)].groupby("topic"):
            ax.plot(rows[period].map(position), rows["share"], marker="o", markersize=3, linewidth=1.4,
                    color=colours(int(topic) % 20), label=_topic_name(topic, rows["label"].iloc[0]))
        step = max(1, math.ceil(len(periods) / max_ticks))
        ax.set_xticks(range(0, len(periods), step), [period_label(p) for p in periods[::step]], rotation=45,
                      ha="right")
        ax.set_ylabel("سهم میانگین از خبرها")
        persian_ticks(ax.yaxis, "{:.0%}")
        ax.set_title(title)
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
        return ax


def prevalence_heatmap(prevalence: pd.DataFrame, by: str, top_groups: int = 20, ax=None,
                       title: str | None = None):
    """Heatmap of topic shares: one row a topic, one column a group (site, category or period) —
    the ``top_groups`` groups with the most articles."""
    title = title or "سهم موضوع‌ها در هر گروه"
    with persian_style():
        if prevalence.empty:
            return empty_axes(axes_or_new(ax, (8, 4)), title)
        sizes = prevalence.drop_duplicates(by).set_index(by)["n_docs"].nlargest(top_groups)
        groups = sorted(sizes.index) if by in ("month", "year") else list(sizes.index)
        grid = prevalence.pivot_table(index="topic", columns=by, values="share").reindex(columns=groups)
        labels = prevalence.drop_duplicates("topic").set_index("topic")["label"]
        ax = axes_or_new(ax, (max(6, 0.55 * len(groups) + 4), max(3, 0.4 * len(grid) + 1.5)))
        image = ax.imshow(grid.to_numpy(), aspect="auto", cmap="YlOrRd", vmin=0)
        ax.set_yticks(range(len(grid)), [_topic_name(t, labels[t]) for t in grid.index], fontsize=8)
        column_labels = [period_label(str(g)) for g in groups] if by in ("month", "year") else [str(g) for g in groups]
        ax.set_xticks(range(len(groups)), column_labels, rotation=60, ha="right", fontsize=8)
        ax.set_title(title)
        colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
        colorbar.set_label("سهم میانگین")
        persian_ticks(colorbar.ax.yaxis, "{:.0%}")
        ax.spines[:].set_visible(False)
        return ax


def topic_map_chart(topic_map: pd.DataFrame, ax=None, title: str = "نقشهٔ موضوع‌ها"):
    """Bubbles at each topic's 2-D position (:func:`analysis.topics.topic_map`), sized by prevalence,
    named by number and first label term; close bubbles are topics with similar vocabularies."""
    with persian_style():
        ax = axes_or_new(ax, (8, 6.5))
        if topic_map.empty:
            return empty_axes(ax, title)
        colours = plt.get_cmap("tab20")
        sizes = 3000 * topic_map["prevalence"] / max(float(topic_map["prevalence"].max()), 1e-12)
        ax.scatter(topic_map["x"], topic_map["y"], s=sizes.clip(lower=40), alpha=0.45,
                   color=[colours(int(t) % 20) for t in topic_map["topic"]], edgecolors="0.3")
        for row in topic_map.itertuples():  # number and first label term only: bubbles may sit close
            ax.annotate(_topic_name(row.topic, str(row.label).split("، ")[0]), (row.x, row.y), ha="center",
                        va="center", fontsize=8)
        span = max(float(np.ptp(topic_map[["x", "y"]].to_numpy())), 0.2)
        ax.margins(0.25)
        if span <= 0.2:
            ax.set_xlim(topic_map["x"].mean() - 0.3, topic_map["x"].mean() + 0.3)
            ax.set_ylim(topic_map["y"].mean() - 0.3, topic_map["y"].mean() + 0.3)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("بُعد ۱ (مقیاس‌بندی فاصلهٔ جنسن–شانون)")
        ax.set_ylabel("بُعد ۲")
        ax.set_title(title)
        return ax


def stability_chart(stability: pd.DataFrame, ax=None, title: str = "پایداری موضوع‌ها با بذرهای دیگر"):
    """Mean (and range) cosine similarity of each topic to its match in models refitted with other
    seeds on resamples (:func:`analysis.topics.topic_stability`)."""
    with persian_style():
        if stability.empty:
            return empty_axes(axes_or_new(ax, (7, 3)), title)
        summary = stability.groupby(["topic", "label"])["similarity"].agg(["mean", "min", "max"]).reset_index()
        ax = axes_or_new(ax, (7, max(3, 0.35 * len(summary) + 1)))
        positions = np.arange(len(summary))[::-1]
        ax.barh(positions, summary["mean"], color="#4d9221", alpha=0.8)
        ax.errorbar(summary["mean"], positions, xerr=[summary["mean"] - summary["min"], summary["max"] - summary["mean"]],
                    fmt="none", ecolor="0.3", capsize=3)
        ax.set_yticks(positions, [_topic_name(t, l) for t, l in zip(summary["topic"], summary["label"])], fontsize=8)
        ax.set_xlim(0, 1)
        ax.set_xlabel("شباهت کسینوسی با موضوع متناظر")
        persian_ticks(ax.xaxis, "{:.1f}")
        ax.set_title(title)
        return ax
