"""Charts of entities: most-named entities, by group, timelines, co-occurrence network, speakers.

Each function takes a table from :mod:`analysis.entities` / :mod:`analysis.entities.quotes` and draws
it on ``ax`` (a new figure's axes when None), returning the Axes; the small multiples of
:func:`plot_top_entities_by` return their Figure. Persian labels are passed as they are (matplotlib ≥ 3.11
shapes them). The tables those functions give leave out the mentions in bylines and datelines
(``role = "source"``) unless called with ``include_sources=True``, so the charts do too.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

from analysis.plots.style import axes_or_new, persian_style

#: one colour a type, and its Persian label
TYPE_COLORS = {"PER": "#1f77b4", "ORG": "#ff7f0e", "LOC": "#2ca02c", "FAC": "#9467bd", "PRO": "#8c564b", "EVE": "#d62728"}
TYPE_LABELS = {"PER": "شخص", "ORG": "سازمان", "LOC": "مکان", "FAC": "تأسیسات", "PRO": "محصول", "EVE": "رویداد"}


def _empty(ax, message="داده‌ای نیست"):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _legend(ax, types):
    handles = [plt.Rectangle((0, 0), 1, 1, color=TYPE_COLORS.get(t, "grey")) for t in types]
    if handles:
        # outside the axes, so it never covers a bar; label before its swatch, as Persian reads
        ax.legend(handles, [TYPE_LABELS.get(t, t) for t in types], loc="upper left", bbox_to_anchor=(1.01, 1),
                  frameon=False, markerfirst=False)  # fmt: skip


def _bars(ax, table: pd.DataFrame, value: str):
    table = table.iloc[::-1]
    colors = [TYPE_COLORS.get(t, "grey") for t in table["type"]]
    ax.barh(range(len(table)), table[value], color=colors)
    ax.set_yticks(range(len(table)), list(table["canonical"]))


def plot_top_entities(top: pd.DataFrame, value: str = "articles", title: str = "پرتکرارترین موجودیت‌ها", ax=None):
    """Horizontal bars of :func:`~analysis.entities.top_entities` (no ``by``), coloured by type."""
    with persian_style():
        ax = axes_or_new(ax, (7, max(2.5, 0.35 * len(top) + 1)))
        if top.empty:
            _empty(ax)
            return ax
        _bars(ax, top, value)
        ax.set_xlabel("تعداد خبرها" if value == "articles" else "تعداد اشاره‌ها")
        ax.set_title(title)
        _legend(ax, [t for t in TYPE_COLORS if t in set(top["type"])])
    return ax


def plot_top_entities_by(top: pd.DataFrame, by: str, value: str = "articles", max_groups: int = 6):
    """Small multiples of :func:`~analysis.entities.top_entities` with ``by`` (one panel a group).

    Groups are ordered by their mentions, largest first; an empty group name comes last."""
    if top.empty:
        groups = []
    else:
        sizes = top.groupby(by)[value].sum()
        groups = sorted(sizes.index, key=lambda g: (str(g) == "", -sizes[g], str(g)))[:max_groups]
    with persian_style():
        cols = min(3, max(1, len(groups)))
        rows = max(1, math.ceil(len(groups) / cols))
        height = max(2.5, 0.3 * top.groupby(by).size().max() + 1) if groups else 3
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, height * rows), squeeze=False)
        if not groups:
            _empty(axes[0][0])
            return fig
        for ax, group in zip(axes.flat, groups):
            _bars(ax, top[top[by] == group], value)
            ax.set_title(str(group) or "—")
        for ax in list(axes.flat)[len(groups):]:
            ax.set_axis_off()
        fig.suptitle("پرتکرارترین موجودیت‌ها به تفکیک " + {"site": "سایت", "month": "ماه"}.get(by, by))
        fig.tight_layout()
    return fig


def plot_entity_timeline(timeline: pd.DataFrame, value: str = "articles", ax=None):
    """Lines of :func:`~analysis.entities.entity_timeline`: one line an entity, months on x."""
    with persian_style():
        ax = axes_or_new(ax, (8, 3.8))
        if timeline.empty:
            _empty(ax)
            return ax
        wide = timeline.pivot_table(index="month", columns="canonical", values=value, aggfunc="sum", fill_value=0)
        for name in wide.columns:
            ax.plot(range(len(wide)), wide[name], marker="o", markersize=3, label=name)
        step = max(1, len(wide) // 12)
        ax.set_xticks(range(0, len(wide), step), list(wide.index[::step]), rotation=45, ha="right")
        ax.set_xlabel("ماه (شمسی)")
        ax.set_ylabel("تعداد خبرها" if value == "articles" else "تعداد اشاره‌ها")
        ax.set_title("روند اشاره به موجودیت‌ها")
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), markerfirst=False)
    return ax


def plot_cooccurrence(graph, max_nodes: int = 25, max_edges: int = 60, seed: int = 0, ax=None):
    """The co-occurrence network (:func:`~analysis.entities.cooccurrence_graph`): the ``max_nodes``
    most-mentioned entities and their ``max_edges`` heaviest links; node size by mentions, colour by
    type, edge width by weight."""
    import networkx as nx

    with persian_style():
        ax = axes_or_new(ax, (8, 7))
        if graph.number_of_nodes() == 0:
            _empty(ax)
            return ax
        keep = sorted(graph.nodes, key=lambda n: -graph.nodes[n].get("mentions", 0))[:max_nodes]
        sub = nx.Graph(graph.subgraph(keep))
        heavy = sorted(sub.edges, key=lambda e: -sub.edges[e]["weight"])[:max_edges]
        sub.remove_edges_from([e for e in list(sub.edges) if e not in set(heavy)])
        pos = nx.circular_layout(sub) if sub.number_of_edges() == 0 else nx.kamada_kawai_layout(sub, weight=None)
        weights = [sub.edges[e]["weight"] for e in sub.edges]
        top = max(weights, default=1)
        nx.draw_networkx_edges(sub, pos, ax=ax, width=[0.5 + 3 * w / top for w in weights], alpha=0.35)
        sizes = [80 + 30 * math.sqrt(sub.nodes[n].get("mentions", 1)) for n in sub]
        colors = [TYPE_COLORS.get(sub.nodes[n].get("type"), "grey") for n in sub]
        nx.draw_networkx_nodes(sub, pos, ax=ax, node_size=sizes, node_color=colors, alpha=0.85)
        for node, (x, y) in pos.items():
            ax.annotate(node, (x, y), xytext=(0, 9), textcoords="offset points", ha="center", fontsize=8,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
        ax.set_title("شبکهٔ هم‌آیی موجودیت‌ها")
        ax.set_axis_off()
        _legend(ax, [t for t in TYPE_COLORS if t in {sub.nodes[n].get("type") for n in sub}])
    return ax


def plot_speakers(speaker_table: pd.DataFrame, title: str = "پرنقل‌قول‌ترین گویندگان", ax=None):
    """Horizontal bars of :func:`~analysis.entities.quotes.speakers` (statements a speaker)."""
    with persian_style():
        ax = axes_or_new(ax, (7, max(2.5, 0.35 * len(speaker_table) + 1)))
        if speaker_table.empty:
            _empty(ax)
            return ax
        table = speaker_table.iloc[::-1]
        ax.barh(range(len(table)), table["quotes"], color=TYPE_COLORS["PER"])
        ax.set_yticks(range(len(table)), list(table["speaker"]))
        ax.set_xlabel("تعداد نقل‌قول‌ها")
        ax.set_title(title)
    return ax
