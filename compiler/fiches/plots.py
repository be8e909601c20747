"""Valuation curves of the fiches, as SVG written directly from their points (no plotting library).

``curve_svg``: an indicator's valuation curve (score against result): the bands below the threshold,
between threshold and target and past the target, the threshold and target marked with their values,
the level-only series and, when the curve pays evolution, the evolution cases, with a legend. (The
dependency pictures are laid out by Graphviz: :mod:`dependencies`.)

Lines, rectangles and texts only, laid out here: the same points give the same bytes on every machine
(no font metrics, no ids, no dates) and texts stay texts. Points in a straight line are drawn as one
segment (a curve of 400 points that is three segments is written as three), a result where the score
cannot be computed breaks the line.
"""

from __future__ import annotations

import html
import math

from qualispec.compiler import french
from qualispec.compiler.fiches.pages import CurveData

WIDTH, LEFT, RIGHT, TOP, BOTTOM = 760, 58, 740, 10, 312  # plot area in pixels
Y_LOW, Y_HIGH = -3.0, 110.0  # the score axis, in %, leaving room for the bands' words above 100
LEGEND_ROW = 18
FONT = 'font-family="DejaVu Sans, Verdana, Segoe UI, Arial, sans-serif"'
INK, TICK, AXIS, GRID = "#222222", "#444444", "#555555", "#dddddd"
BANDS = ("#f3f3f3", "#eaf2fb", "#e8f5e9")
STYLES = {  # colour, dashes, width
    "level": ("#1f4e79", "", 3.4),
    "positive": ("#2e7d32", "7 3", 2.1),
    "stable": ("#ef8c00", "8 3 2 3", 2.1),
    "negative": ("#c62828", "2 3", 2.5),
}
STRAIGHT = 0.05  # a point this close (in pixels) to the segment of its neighbours is not written


def _n(v: float) -> str:
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _axis_value(v: float, unit: str) -> str:
    if unit == "percent":
        return french.percent(v, 0 if round(v * 100, 6).is_integer() else 1)
    return french.number(v, 2 if abs(v) < 10 else 0)


def _ticks(high: float) -> list[float]:
    """About five round values from 0 to ``high`` (steps of 1, 2, 2,5 or 5 times a power of ten)."""
    if high <= 0:
        return [0.0]
    raw = high / 5
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= raw * 0.999)
    count = int(high / step + 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _tick_text(v: float) -> str:
    decimals = 0 if abs(v - round(v)) < 1e-9 else (1 if abs(v * 10 - round(v * 10)) < 1e-9 else 2)
    return french.number(v, decimals)


def _straightened(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points, less those on the straight segment between the points kept around them."""
    if len(points) < 3:
        return points
    kept = [points[0]]
    for i in range(1, len(points) - 1):
        (ax, ay), (bx, by), (cx, cy) = kept[-1], points[i], points[i + 1]
        length = ((cx - ax) ** 2 + (cy - ay) ** 2) ** 0.5
        off = abs((cx - ax) * (ay - by) - (ax - bx) * (cy - ay)) / length if length else 0.0
        if off > STRAIGHT or not min(ax, cx) - STRAIGHT <= bx <= max(ax, cx) + STRAIGHT:
            kept.append(points[i])
    kept.append(points[-1])
    return kept


def _path(xs, ys, x_of, y_of) -> str:
    """The ``d`` of a series: a line through its points, broken where the score is not computable."""
    runs, run = [], []
    for x, y in zip(xs, ys):
        if y is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((round(x_of(x), 2), round(y_of(y), 2)))
    if run:
        runs.append(run)
    return " ".join("M" + " L".join(f"{_n(px)} {_n(py)}" for px, py in _straightened(r)) for r in runs)


def curve_svg(data: CurveData) -> str:
    e = html.escape
    scale_x = 100 if data.x_unit in ("percent", "ratio") else 1
    scale_y = 100 if data.y_unit in ("percent", "ratio") else 1
    x_max = data.x_max * scale_x or 1.0

    def x_of(v: float) -> float:
        return LEFT + v / x_max * (RIGHT - LEFT)

    def y_of(v: float) -> float:
        return BOTTOM - (v - Y_LOW) / (Y_HIGH - Y_LOW) * (BOTTOM - TOP)

    body: list[str] = []
    if data.threshold is not None and data.target is not None and data.threshold < data.target:
        t, g = data.threshold * scale_x, data.target * scale_x
        for (x0, x1, words), colour in zip(((0, t, "sous le seuil"), (t, g, "entre seuil et cible"),
                                            (g, x_max, "cible atteinte")), BANDS):
            body.append(f'<rect x="{_n(x_of(x0))}" y="{TOP}" width="{_n(max(x_of(x1) - x_of(x0), 0))}" '
                        f'height="{BOTTOM - TOP}" fill="{colour}"/>')
            if x1 - x0 > x_max * 0.12:
                body.append(f'<text x="{_n(x_of((x0 + x1) / 2))}" y="{_n(y_of(104))}" text-anchor="middle" '
                            f'font-size="11" fill="#666666">{words}</text>')
    for v in _ticks(x_max):
        x = _n(x_of(v))
        body.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{BOTTOM}" stroke="{GRID}" stroke-width="0.8"/>')
        body.append(f'<line x1="{x}" y1="{BOTTOM}" x2="{x}" y2="{BOTTOM + 5}" stroke="{AXIS}"/>')
        body.append(f'<text x="{x}" y="{BOTTOM + 18}" text-anchor="middle" fill="{TICK}">{_tick_text(v)}</text>')
    for v in (0, 25, 50, 75, 100):
        y = _n(y_of(v))
        body.append(f'<line x1="{LEFT}" y1="{y}" x2="{RIGHT}" y2="{y}" stroke="{GRID}" stroke-width="0.8"/>')
        body.append(f'<line x1="{LEFT - 5}" y1="{y}" x2="{LEFT}" y2="{y}" stroke="{AXIS}"/>')
        body.append(f'<text x="{LEFT - 8}" y="{_n(y_of(v) + 4)}" text-anchor="end" fill="{TICK}">{v}</text>')
    close = data.threshold is not None and data.target is not None and \
        abs(data.target - data.threshold) * scale_x / x_max * (RIGHT - LEFT) < 120  # words one above the other
    for mark, colour, dashes, words, lift in (
            (data.threshold, "#7f7f7f", ' stroke-dasharray="5 4"',
             "seuil" + (" (illustratif)" if data.threshold_illustrative else ""), 0),
            (data.target, "#1b5e20", "", "cible", 34 if close else 0)):
        if mark is None:
            continue
        x = x_of(mark * scale_x)
        body.append(f'<line x1="{_n(x)}" y1="{TOP}" x2="{_n(x)}" y2="{BOTTOM}" stroke="{colour}" '
                    f'stroke-width="1.2"{dashes}/>')
        body.append(f'<text x="{_n(x + 5)}" y="{_n(y_of(0) - 22 - lift)}" font-size="11" fill="{colour}">{e(words)}'
                    f'<tspan x="{_n(x + 5)}" dy="13">{e(_axis_value(mark, data.x_unit))}</tspan></text>')
    ordered = sorted(data.series, key=lambda s: s.style == "level")  # the level on top
    for s in ordered:
        colour, dashes, width = STYLES.get(s.style, ("#333333", "", 1.5))
        d = _path([x * scale_x for x in s.x], [None if y is None else y * scale_y for y in s.y], x_of, y_of)
        if d:
            dash = f' stroke-dasharray="{dashes}"' if dashes else ""
            body.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}"{dash} '
                        f'stroke-linejoin="round"><title>{e(s.label)}</title></path>')
    body.append(f'<path d="M{LEFT} {TOP} L{LEFT} {BOTTOM} L{RIGHT} {BOTTOM}" fill="none" stroke="{AXIS}"/>')
    unit_x = " (%)" if scale_x == 100 else ""
    body.append(f'<text x="{_n((LEFT + RIGHT) / 2)}" y="{BOTTOM + 38}" text-anchor="middle" fill="{INK}">'
                f"Résultat de l'indicateur{unit_x}</text>")
    middle = _n((TOP + BOTTOM) / 2)
    body.append(f'<text x="16" y="{middle}" text-anchor="middle" transform="rotate(-90 16 {middle})" fill="{INK}">'
                f'{"Score (%)" if scale_y == 100 else "Score"}</text>')
    y = BOTTOM + 62
    for s in data.series:
        colour, dashes, width = STYLES.get(s.style, ("#333333", "", 1.5))
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        body.append(f'<line x1="{LEFT}" y1="{y - 4}" x2="{LEFT + 30}" y2="{y - 4}" stroke="{colour}" '
                    f'stroke-width="{width}"{dash}/>')
        body.append(f'<text x="{LEFT + 38}" y="{y}" font-size="11" fill="{INK}">{e(s.label)}</text>')
        y += LEGEND_ROW
    height = y
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{e(data.title)}" {FONT} font-size="12">',
        f"<title>{e(data.title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        *body, "</svg>", ""])
