"""Interactive charts (plotly) where looking beats reading: timelines, topic maps, entity networks.

Each function takes a tidy table and returns a ``plotly.graph_objects.Figure``. In Jupyter it shows
as an interactive chart; the report embeds it with plotly.js inline (no CDN) and HTML-escapes every
data string, so article text in labels and hover boxes shows as text. Persian labels go in as they
are; layouts read right to left (legend and title on the right).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from analysis._core.persian import persian_number

#: colours for groups (sites, topics, entity types), readable on white
PALETTE = ("#0b6e4f", "#c0392b", "#2c7fb8", "#e67e22", "#8e44ad", "#16a085", "#d35400", "#7f8c8d",
           "#27ae60", "#2980b9", "#f39c12", "#6c3483")
FONT = "Vazirmatn, Vazir, Sahel, 'Noto Sans Arabic', Tahoma, 'DejaVu Sans', sans-serif"


def _layout(title: str, **extra) -> dict:
    return dict(
        title=dict(text=title, x=0.98, xanchor="right", y=0.9, yref="container", yanchor="top"),
        font=dict(family=FONT, size=13),
        legend=dict(x=1.0, xanchor="left", title=dict(text="")),
        hoverlabel=dict(font=dict(family=FONT), align="right"),
        margin=dict(l=50, r=20, t=90, b=50),
        plot_bgcolor="white",
        **extra,
    )


def timeline(
    table: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str | None = None,
    label: str | None = None,
    title: str = "",
    y_title: str = "تعداد مقاله",
    max_ticks: int = 12,
    shown: int = 5,
) -> go.Figure:
    """Lines of ``y`` over ``x`` (dates), one line a ``color`` group; hovering shows ``label``
    (e.g. the Jalali month ``فروردین ۱۴۰۲``) with the group and value, and the axis is labelled with
    it (at most ``max_ticks`` labels). The ``shown`` largest groups are drawn; the others wait in the
    legend, a click away. Drag to zoom, double-click to reset."""
    fig = go.Figure()
    groups = [(None, table)] if color is None else list(table.groupby(color, sort=True))
    largest = sorted(groups, key=lambda g: -float(g[1][y].sum()))[:shown]
    visible = {str(name) for name, _ in largest}
    for i, (name, part) in enumerate(groups):
        hover = part[label].astype(str) if label else part[x].astype(str)
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="lines+markers",
                name=str(name) if name is not None else y_title,
                line=dict(color=PALETTE[i % len(PALETTE)], width=2),
                marker=dict(size=5),
                customdata=list(zip(hover, [str(name or "")] * len(part), map(persian_number, part[y]))),
                hovertemplate="%{customdata[0]}<br>%{customdata[1]}: %{customdata[2]}<extra></extra>",
                visible=True if name is None or str(name) in visible else "legendonly",
            )
        )
    fig.update_layout(**_layout(title, hovermode="closest"))
    fig.update_layout(margin=dict(b=90))
    fig.update_xaxes(showgrid=False)
    if label and len(table):  # the axis reads in the reader's calendar: Jalali month names, not "Apr 2023"
        ticks = table[[x, label]].drop_duplicates(x).sort_values(x)
        step = max(1, -(-len(ticks) // max_ticks))
        fig.update_xaxes(tickmode="array", tickvals=list(ticks[x].iloc[::step]),
                         ticktext=[str(t) for t in ticks[label].iloc[::step]], tickangle=-40)
    top = float(table[y].max()) if len(table) else 1.0
    fig.update_yaxes(title=y_title, gridcolor="#eee", rangemode="tozero", **persian_ticks(0, top))
    return fig


def persian_ticks(low: float, high: float, bins: int = 6) -> dict:
    """Axis settings placing about ``bins`` round ticks from ``low`` to ``high``, in Persian digits."""
    from matplotlib.ticker import MaxNLocator

    values = [float(v) for v in MaxNLocator(nbins=bins, integer=True).tick_values(low, max(high, low + 1)) if low <= v <= high * 1.05 + 1]
    return dict(tickmode="array", tickvals=values, ticktext=[persian_number(float(v)) for v in values])


def bubble_map(
    points: pd.DataFrame,
    *,
    x: str,
    y: str,
    label: str,
    color: str | None = None,
    size: str | None = None,
    hover: str | None = None,
    title: str = "",
) -> go.Figure:
    """A scatter map (documents or topics placed by ``x``/``y``): each point named by ``label``,
    coloured by ``color``, sized by ``size``, with ``hover`` text (e.g. top words) in its box."""
    fig = go.Figure()
    groups = [(None, points)] if color is None else list(points.groupby(color, sort=True))
    biggest = float(points[size].max()) if size and len(points) else 1.0
    for i, (name, part) in enumerate(groups):
        sizes = 12 if not size else (10 + 40 * part[size].astype(float) / (biggest or 1.0)).tolist()
        details = part[hover].astype(str) if hover else part[label].astype(str)
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="markers+text" if len(points) <= 40 else "markers",
                text=part[label].astype(str),
                textposition="top center",
                name=str(name) if name is not None else "",
                marker=dict(size=sizes, color=PALETTE[i % len(PALETTE)], opacity=0.75, line=dict(width=1, color="white")),
                customdata=list(zip(part[label].astype(str), details)),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                showlegend=color is not None,
            )
        )
    fig.update_layout(**_layout(title))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def network(
    edges: pd.DataFrame,
    *,
    source: str = "source",
    target: str = "target",
    weight: str | None = "weight",
    nodes: pd.DataFrame | None = None,
    node: str = "name",
    group: str | None = None,
    size: str | None = None,
    title: str = "",
    max_edges: int = 150,
    random_state: int = 0,
) -> go.Figure:
    """A network (e.g. entities that appear together): ``edges`` one row a pair with an optional
    ``weight`` (the ``max_edges`` heaviest are drawn); ``nodes`` (optional) one row a node named
    ``node``, coloured by ``group`` and sized by ``size`` (default: weighted degree). Without
    ``nodes``, a node's group comes from the edges' ``source_<group>``/``target_<group>`` columns
    (as :func:`analysis.entities.cooccurrence` gives them). Placed with a seeded spring layout, so the
    same data draws the same picture."""
    if weight and len(edges) > max_edges:
        edges = edges.nlargest(max_edges, weight)
    if nodes is None and group and f"source_{group}" in edges.columns:
        ends = [edges[[end, f"{end}_{group}"]].set_axis([node, group], axis=1) for end in (source, target)]
        nodes = pd.concat(ends, ignore_index=True).drop_duplicates(node)
    graph = nx.Graph()
    for row in edges.itertuples(index=False):
        record = row._asdict()
        graph.add_edge(str(record[source]), str(record[target]), weight=float(record[weight]) if weight else 1.0)
    attributes = nodes.set_index(node) if nodes is not None and len(nodes) else pd.DataFrame()
    for name in attributes.index.astype(str):
        graph.add_node(name)
    position = nx.spring_layout(graph, seed=random_state, weight="weight") if len(graph) else {}
    fig = go.Figure()
    heaviest = max((d["weight"] for *_, d in graph.edges(data=True)), default=1.0)
    for a, b, data in graph.edges(data=True):
        fig.add_trace(
            go.Scatter(
                x=[position[a][0], position[b][0]],
                y=[position[a][1], position[b][1]],
                mode="lines",
                line=dict(width=0.5 + 4 * data["weight"] / heaviest, color="#b8c2cc"),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    names = list(graph.nodes)
    groups = attributes[group].reindex(names).fillna("").astype(str) if group and len(attributes) else pd.Series([""] * len(names), index=names)
    degree = dict(graph.degree(weight="weight"))
    if size and len(attributes):
        sizes = attributes[size].reindex(names).fillna(0).astype(float)
    else:
        sizes = pd.Series([degree[n] for n in names], index=names, dtype=float)
    largest = float(sizes.max()) if len(sizes) else 1.0
    for i, name in enumerate(sorted(groups.unique())):
        members = [n for n in names if groups[n] == name]
        fig.add_trace(
            go.Scatter(
                x=[position[n][0] for n in members],
                y=[position[n][1] for n in members],
                mode="markers+text",
                text=members,
                textposition="top center",
                name=name,
                marker=dict(size=[8 + 30 * sizes[n] / (largest or 1.0) for n in members],
                            color=PALETTE[i % len(PALETTE)], line=dict(width=1, color="white")),
                customdata=[[n, persian_number(float(sizes[n]))] for n in members],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                showlegend=bool(group),
            )
        )
    fig.update_layout(**_layout(title))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
