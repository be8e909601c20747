"""Pictures of the fiches, drawn with matplotlib as deterministic SVG (no graphviz, no CDN).

- ``curve_svg``: an indicator's valuation curve (score against result), threshold and target
  marked, the level-only case and, when the curve pays evolution, the evolution cases;
- ``graph_svg``: a dependency graph in a simple layered layout (one column per depth,
  nodes ordered by the barycentre of their predecessors), coloured by kind.

Byte-identical on regeneration: fixed ``svg.hashsalt``, no date in the metadata, text kept
as text (``svg.fonttype = none``), and every iteration sorted.
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from qualispec.compiler import french  # noqa: E402
from qualispec.compiler.fiches.pages import CurveData  # noqa: E402

RC = {
    "svg.hashsalt": "qualispec",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#222222",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "path.simplify": False,
}
STYLES = {  # colour, line style, width
    "level": ("#1f4e79", "-", 2.6),
    "positive": ("#2e7d32", "--", 1.6),
    "stable": ("#ef8c00", "-.", 1.6),
    "negative": ("#c62828", ":", 1.9),
}
KIND_COLOURS = {
    "input": "#dbe9f6", "parameter": "#fff2cc", "builtin": "#eeeeee", "group": "#e2f0d9",
    "prerequisite": "#fde2d6", "part": "#ffffff", "envelope": "#ead1f5", "curve": "#d9d2e9",
}
KIND_WORDS = {"input": "donnée", "parameter": "paramètre", "builtin": "intégré", "group": "groupe",
              "prerequisite": "prérequis", "part": "partie d'indicateur", "envelope": "enveloppe", "curve": "courbe"}


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "qualispec"}, bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text if text.endswith("\n") else text + "\n"


def _axis_value(v: float, unit: str) -> str:
    if unit == "percent":
        return french.percent(v, 0 if round(v * 100, 6).is_integer() else 1)
    return french.number(v, 2 if abs(v) < 10 else 0)


def curve_svg(data: CurveData) -> str:
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(7.6, 4.3))
        scale_x = 100 if data.x_unit in ("percent", "ratio") else 1
        scale_y = 100 if data.y_unit in ("percent", "ratio") else 1
        x_max = data.x_max * scale_x
        if data.threshold is not None and data.target is not None and data.threshold < data.target:
            t, g = data.threshold * scale_x, data.target * scale_x
            ax.axvspan(0, t, color="#f3f3f3", zorder=0)
            ax.axvspan(t, g, color="#eaf2fb", zorder=0)
            ax.axvspan(g, x_max, color="#e8f5e9", zorder=0)
            for x0, x1, words in ((0, t, "sous le seuil"), (t, g, "entre seuil et cible"), (g, x_max, "cible atteinte")):
                if x1 - x0 > x_max * 0.12:
                    ax.text((x0 + x1) / 2, 103, words, ha="center", va="bottom", fontsize=8, color="#666666")
        for s in data.series:
            colour, style, width = STYLES.get(s.style, ("#333333", "-", 1.5))
            xs = [x * scale_x for x in s.x]
            ys = [math.nan if y is None else y * scale_y for y in s.y]
            ax.plot(xs, ys, color=colour, linestyle=style, linewidth=width, label=s.label,
                    zorder=3 if s.style == "level" else 2)
        if data.threshold is not None:
            x = data.threshold * scale_x
            ax.axvline(x, color="#7f7f7f", linestyle=(0, (4, 3)), linewidth=1.2, zorder=1)
            words = "seuil" + (" (illustratif)" if data.threshold_illustrative else "")
            ax.annotate(f"{words}\n{_axis_value(data.threshold, data.x_unit)}", (x, 0), xytext=(4, 6),
                        textcoords="offset points", fontsize=8, color="#555555", ha="left", va="bottom")
        if data.target is not None:
            x = data.target * scale_x
            ax.axvline(x, color="#1b5e20", linestyle="-", linewidth=1.2, zorder=1)
            ax.annotate(f"cible\n{_axis_value(data.target, data.x_unit)}", (x, 0), xytext=(4, 6),
                        textcoords="offset points", fontsize=8, color="#1b5e20", ha="left", va="bottom")
        ax.set_xlim(0, x_max)
        ax.set_ylim(-3, 110)
        unit_x = " (%)" if scale_x == 100 else ""
        ax.set_xlabel(f"Résultat de l'indicateur{unit_x}")
        ax.set_ylabel("Score (%)" if scale_y == 100 else "Score")
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.grid(True, color="#dddddd", linewidth=0.6, zorder=0)
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.16), ncol=2, frameon=False, fontsize=8)
        return _svg(fig)


# ------------------------------------------------------------------ dependency graph
def layered_layout(graph: nx.DiGraph, max_rows: int = 36) -> dict[str, tuple[float, float]]:
    """Columns by depth (longest path from a source), rows by barycentre, big columns split."""
    depth: dict[str, int] = {}
    for node in nx.lexicographical_topological_sort(graph):
        preds = list(graph.predecessors(node))
        depth[node] = 1 + max((depth[p] for p in preds), default=-1)
    columns: dict[int, list[str]] = {}
    for node in sorted(depth):
        columns.setdefault(depth[node], []).append(node)
    order = {n: i for col in columns.values() for i, n in enumerate(col)}
    for _ in range(4):  # barycentre sweeps, left to right
        for d in sorted(columns):
            if d == 0:
                continue
            def bary(n, d=d):
                preds = [order[p] for p in graph.predecessors(n)]
                return (sum(preds) / len(preds) if preds else order[n], n)
            columns[d].sort(key=bary)
            for i, n in enumerate(columns[d]):
                order[n] = i
        for d in sorted(columns, reverse=True):  # and right to left, for the sources
            def bary_out(n):
                succs = [order[s] for s in graph.successors(n)]
                return (sum(succs) / len(succs) if succs else order[n], n)
            if d == max(columns):
                continue
            columns[d].sort(key=bary_out)
            for i, n in enumerate(columns[d]):
                order[n] = i
    positions: dict[str, tuple[float, float]] = {}
    tallest = min(max_rows, max((len(col) for col in columns.values()), default=1))
    x = 0.0
    for d in sorted(columns):
        col = columns[d]
        chunks = [col[i:i + max_rows] for i in range(0, len(col), max_rows)]
        for chunk in chunks:
            for i, n in enumerate(chunk):
                positions[n] = (x, -float(i) - (tallest - len(chunk)) / 2)
            x += 1.0
        x += 0.35
    return positions


def graph_svg(graph: nx.DiGraph, highlight: set[str] | None = None, labels: dict[str, str] | None = None) -> str:
    """The graph as an SVG picture; ``highlight`` nodes get a bold border."""
    positions = layered_layout(graph)
    xs = [p[0] for p in positions.values()] or [0]
    ys = [p[1] for p in positions.values()] or [0]
    col_w, row_h = 2.5, 0.3
    width = (max(xs) - min(xs) + 1) * col_w + 0.5
    height = (max(ys) - min(ys) + 1) * row_h + 0.9
    labels = labels or {}
    with plt.rc_context(RC):
        fig = plt.figure(figsize=(max(width, 4.0), max(height, 2.0)))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(min(xs) - 0.1, max(xs) + 0.95)
        ax.set_ylim(min(ys) - 1.6, max(ys) + 0.8)
        ax.axis("off")
        box_w = 0.82
        for a, b in sorted(graph.edges()):
            (x0, y0), (x1, y1) = positions[a], positions[b]
            ax.plot([x0 + box_w, x1], [y0, y1], color="#8a8a8a", linewidth=0.5, alpha=0.55, zorder=1)
        for node in sorted(graph.nodes):
            x, y = positions[node]
            kind = graph.nodes[node].get("kind") or "part"
            strong = bool(highlight and node in highlight)
            ax.add_patch(FancyBboxPatch((x, y - 0.32), box_w, 0.64, boxstyle="round,pad=0,rounding_size=0.12",
                                        facecolor=KIND_COLOURS.get(kind, "#ffffff"),
                                        edgecolor="#1f4e79" if strong else "#777777",
                                        linewidth=1.4 if strong else 0.6, zorder=2))
            text = labels.get(node, node.split(":", 1)[-1] if node.startswith("curve:") else node)
            if len(text) > 30:
                text = text[:29] + "…"
            ax.text(x + 0.04, y, text, fontsize=7, va="center", ha="left", zorder=3,
                    fontweight="bold" if strong else "normal", color="#111111")
        y_legend = min(ys) - 1.1
        kinds = sorted({graph.nodes[n].get("kind") or "part" for n in graph.nodes})
        for i, kind in enumerate(kinds):
            x = min(xs) + i * 0.95
            ax.add_patch(FancyBboxPatch((x, y_legend - 0.25), 0.2, 0.5, boxstyle="round,pad=0,rounding_size=0.08",
                                        facecolor=KIND_COLOURS.get(kind, "#ffffff"), edgecolor="#777777",
                                        linewidth=0.6))
            ax.text(x + 0.26, y_legend, KIND_WORDS.get(kind, kind), fontsize=7, va="center")
        return _svg(fig)
