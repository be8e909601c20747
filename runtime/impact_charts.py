"""The money diff in pictures, as SVG written directly (deterministic bytes, no plotting library):

- ``waterfall``: from the old total, each rule change's net effect, the unexplained rest, to the new total;
- ``distribution``: how many rows (establishment × field) gain or lose how much;
- ``groups``: the difference of each comparison group.

Bars and texts only, so the SVG is laid out here: the same input gives the same bytes on every machine
(no font metrics, no ids, no dates), texts stay texts (searchable, translatable), and the colours are
the site's. Long French labels are cut with « … » and kept whole in each bar's tooltip (``<title>``).
"""

from __future__ import annotations

import html
import math
from typing import NamedTuple

from qualispec.compiler import french

GAIN, LOSS, REST, TOTAL, INK, MUTED, LINE = "#2e7d32", "#c62828", "#8a94a3", "#1f4e79", "#1d2733", "#5f6b7a", "#d8dee6"
WIDTH, LABELS, ROW, TOP = 920, 380, 34, 40
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, DejaVu Sans, sans-serif"'


def _x(v: float) -> str:
    return f"{v:.1f}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _signed(v: float) -> str:
    return ("+" if v > 0 else "") + french.euro(v)


def _title_lines(title: str, width: int = 110) -> list[str]:
    """A title cut between words into lines that fit the picture's width (14 px bold, about 8 px a character)."""
    lines = [""]
    for word in title.split(" "):
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    return lines


def _svg(height: float, title: str, body: list[str]) -> str:
    e = html.escape
    lines = _title_lines(title)
    below = 18 * (len(lines) - 1)  # the body moves down by the title's extra lines
    height += below
    heading = "".join(f'<tspan x="8" dy="{0 if i == 0 else 18}">{e(line)}</tspan>' for i, line in enumerate(lines))
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_x(height)}" '
        f'viewBox="0 0 {WIDTH} {_x(height)}" role="img" aria-label="{e(title)}" {FONT} font-size="12">',
        f"<title>{e(title)}</title>",
        f'<text x="8" y="20" font-size="14" font-weight="700" fill="{INK}">{heading}</text>',
        f'<g transform="translate(0 {below})">' if below else "<g>", *body, "</g>", "</svg>", ""])


def _scale(low: float, high: float, left: float, right: float):
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or 1.0
    return lambda v: left + (v - low) / span * (right - left)


def _hbars(title: str, bars: list[tuple[str, float, float, str, str]], note: str = "") -> str:
    """Horizontal bars, one per row: (label, start, end, colour, value text); a waterfall when starts follow ends."""
    e = html.escape
    left, right = LABELS + 10, WIDTH - 16
    x = _scale(min((min(s, t) for _, s, t, _, _ in bars), default=0.0),
               max((max(s, t) for _, s, t, _, _ in bars), default=0.0), left, right)
    body, y = [], TOP
    for i, (label, start, end, colour, value) in enumerate(bars):
        a, b = sorted((x(start), x(end)))
        body.append(f'<g><title>{e(label)} : {e(value)}</title>'
                    f'<text x="8" y="{_x(y + 13)}" fill="{INK}">{e(_cut(label, 58))}</text>'
                    f'<text x="8" y="{_x(y + 27)}" fill="{MUTED}" font-size="11">{e(value)}</text>'
                    f'<rect x="{_x(a)}" y="{_x(y + 6)}" width="{_x(max(b - a, 1.0))}" height="{ROW - 12}" fill="{colour}"/></g>')
        if i + 1 < len(bars) and bars[i + 1][1] == end and end != 0.0:  # the waterfall's step to the next bar
            body.append(f'<line x1="{_x(x(end))}" y1="{_x(y + ROW - 6)}" x2="{_x(x(end))}" y2="{_x(y + ROW + 6)}" '
                        f'stroke="{MUTED}" stroke-dasharray="3 2"/>')
        y += ROW
    zero = x(0.0)
    body.insert(0, f'<line x1="{_x(zero)}" y1="{TOP}" x2="{_x(zero)}" y2="{_x(y)}" stroke="{INK}" stroke-width="1"/>')
    if note:
        body.append(f'<text x="8" y="{_x(y + 18)}" fill="{MUTED}" font-size="11">{e(note)}</text>')
        y += 18
    return _svg(y + 12, title, body)


def waterfall(old: str, new: str, total_old: float, steps: list[tuple[str, float]], rest: tuple[str, float],
              total_new: float) -> str:
    """From ``old``'s total to ``new``'s: each (French label, net effect), then the unexplained rest (its words, amount)."""
    bars = [(f"Total {old}", 0.0, total_old, TOTAL, french.euro(total_old))]
    level = total_old
    difference = total_new - total_old

    def share(net):
        return f" ({french.number(net / difference * 100, 1)} % de l'écart)" if difference else ""
    for label, net in steps:
        bars.append((label, level, level + net, GAIN if net > 0 else LOSS, _signed(net) + share(net)))
        level += net
    bars.append((rest[0], level, level + rest[1], REST, _signed(rest[1]) + share(rest[1])))
    bars.append((f"Total {new}", 0.0, total_new, TOTAL, french.euro(total_new)))
    return _hbars(f"De {old} à {new} : ce qui explique l'écart de {_signed(difference)}", bars)


def groups(old: str, new: str, rows: list[tuple[str, float]]) -> str:
    """Each comparison group (its words) and its difference, largest loss first."""
    bars = [(label, 0.0, d, GAIN if d > 0 else LOSS if d < 0 else REST, _signed(d))
            for label, d in sorted(rows, key=lambda r: (r[1], r[0]))]
    return _hbars(f"Écart de rémunération par groupe de comparaison, de {old} à {new}", bars)


class Bin(NamedTuple):
    """Rows whose gain lies in [low, high), or whose loss in (low, high] (``kind``: "loss", "same" or "gain"); a
    tail bin has an infinite edge: every loss, or every gain, from the last edge on."""

    low: float
    high: float
    rows: int
    kind: str


def _nice(step: float) -> float:
    """The smallest of 1, 2, 2,5 and 5 × 10^k not below ``step``: edges a reader can read (0, 25 000, 50 000 €)."""
    power = 10.0 ** math.floor(math.log10(step))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= step)


def _side(sizes: list[float], count: int, kind: str) -> list[Bin]:
    """Bins of equal, readable width from 0 to the 95th percentile of ``sizes`` (positive), then a tail bin."""
    if not sizes:
        return []
    sizes = sorted(sizes)
    reach = sizes[math.ceil(0.95 * len(sizes)) - 1]  # nearest rank: most rows fall within the bins of equal width
    width = _nice(reach / count)
    counts = [0] * (count + 1)
    for s in sizes:  # the bins of equal width reach at least the percentile, which they hold
        counts[count if s > count * width else min(count - 1, math.floor(s / width))] += 1
    while counts[-1] == 0 and len(counts) > 1 and counts[-2] == 0:
        counts.pop(-2)  # the largest bins left empty: no room for them
    edges = [(i * width, (i + 1) * width if i + 1 < len(counts) else math.inf) for i in range(len(counts))]
    if counts[-1] == 0:
        counts, edges = counts[:-1], edges[:-1]
    if kind == "gain":
        return [Bin(low, high, n, kind) for (low, high), n in zip(edges, counts)]
    return [Bin(-high, -low or 0.0, n, kind) for (low, high), n in reversed(list(zip(edges, counts)))]


def bins(differences: list[float], count: int = 6) -> list[Bin]:
    """The differences in bins: losses, the unchanged rows (less than a cent), gains; each side in ``count``
    bins of the same readable width up to its 95th percentile and one tail bin beyond, so that a few large
    moves do not squeeze every other row into one bar, and no bar mixes losses and gains."""
    losses = [-d for d in differences if d <= -0.005]
    gains = [d for d in differences if d >= 0.005]
    same = len(differences) - len(losses) - len(gains)
    return _side(losses, count, "loss") + ([Bin(0.0, 0.0, same, "same")] if same else []) + _side(gains, count, "gain")


def _range_said(b: Bin) -> str:
    if b.kind == "same":
        return "inchangées (moins d'un centime)"
    if math.isinf(b.low):
        return f"pertes d'au moins {french.euro(-b.high)}"
    if math.isinf(b.high):
        return f"gains d'au moins {french.euro(b.low)}"
    return f"de {_signed(b.low)} à {_signed(b.high)}"


def _edge(v: float) -> str:
    return ("+" if v > 0 else "") + french.number(v, 0) + " €"


def distribution(old: str, new: str, differences: list[float]) -> str:
    """A histogram of the differences per row: red where rows lose, grey where they do not move, green where
    they gain; the tails beyond the 95th percentile of each side in one bar each."""
    e = html.escape
    edges = bins(differences)
    won = sum(b.rows for b in edges if b.kind == "gain")
    lost = sum(b.rows for b in edges if b.kind == "loss")
    title = (f"Gains et pertes par établissement × champ, de {old} à {new} : {won} gagnent, {lost} perdent, "
             f"{len(differences) - won - lost} inchangés")
    left, right, top, bottom = 70, WIDTH - 50, TOP + 24, TOP + 244
    highest = max((b.rows for b in edges), default=0) or 1
    body = [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>',
            f'<text x="8" y="{TOP + 4}" fill="{MUTED}" font-size="11">lignes (établissement × champ)</text>',
            f'<text x="{left - 6}" y="{bottom}" fill="{MUTED}" font-size="11" text-anchor="end">0</text>',
            f'<text x="{left - 6}" y="{top + 12}" fill="{MUTED}" font-size="11" text-anchor="end">{highest}</text>']
    width = (right - left) / max(len(edges), 1)
    colours = {"loss": LOSS, "same": REST, "gain": GAIN}
    for i, b in enumerate(edges):
        h = b.rows / highest * (bottom - top)
        x = left + i * width
        body.append(f'<g><title>{e(_range_said(b))} : {b.rows} ligne{"s" if b.rows > 1 else ""}</title>'
                    f'<rect x="{_x(x + 1)}" y="{_x(bottom - h)}" width="{_x(width - 2)}" height="{_x(h)}" '
                    f'fill="{colours[b.kind]}"/>'
                    + (f'<text x="{_x(x + width / 2)}" y="{_x(bottom - h - 4)}" font-size="11" fill="{INK}" '
                       f'text-anchor="middle">{b.rows}</text>' if b.rows else "") + "</g>")
    boundaries = [i for i in range(1, len(edges)) if edges[i].kind == edges[i - 1].kind]
    step = 1 if len(boundaries) <= 8 else 2
    for n, i in enumerate(boundaries):  # the axis: the edges between bars, and the unchanged in words
        if n % step == 0 or edges[i].kind != edges[i - 1 + step if i - 1 + step < len(edges) else i].kind:
            body.append(f'<text x="{_x(left + i * width)}" y="{bottom + 16}" fill="{MUTED}" font-size="10" '
                        f'text-anchor="middle">{e(_edge(edges[i].low))}</text>')
    for i, b in enumerate(edges):
        if b.kind == "same":
            body.append(f'<text x="{_x(left + (i + 0.5) * width)}" y="{bottom + 16}" fill="{MUTED}" font-size="10" '
                        f'text-anchor="middle">inchangées</text>')
    return _svg(bottom + 30, title, body)
