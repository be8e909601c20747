"""Valuation curves of the fiches, drawn with matplotlib as deterministic SVG (no CDN).

``curve_svg``: an indicator's valuation curve (score against result), threshold and target
marked, the level-only case and, when the curve pays evolution, the evolution cases. (The
dependency pictures are laid out by Graphviz: :mod:`dependencies`.)

Byte-identical on regeneration: fixed ``svg.hashsalt``, no date in the metadata, text kept
as text (``svg.fonttype = none``), and every iteration sorted.
"""

from __future__ import annotations

import io
import math

from qualispec.compiler import french
from qualispec.compiler.fiches.pages import CurveData

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


def _pyplot():
    """matplotlib, imported when a curve is drawn (a second ``docs`` run with nothing changed draws none)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _svg(fig) -> str:
    plt = _pyplot()
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
    plt = _pyplot()
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
