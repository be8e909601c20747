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


def _svg(height: float, title: str, body: list[str]) -> str:
    e = html.escape
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_x(height)}" '
        f'viewBox="0 0 {WIDTH} {_x(height)}" role="img" aria-label="{e(title)}" {FONT} font-size="12">',
        f"<title>{e(title)}</title>",
        f'<text x="8" y="20" font-size="14" font-weight="700" fill="{INK}">{e(title)}</text>',
        *body, "</svg>", ""])


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


def bins(differences: list[float], count: int = 12) -> list[tuple[float, float, int]]:
    """(low, high, rows) for ``count`` bins of equal width from the smallest to the largest difference;
    the last bin holds its upper edge."""
    if not differences:
        return []
    low, high = min(differences), max(differences)
    if low == high:
        return [(low, high, len(differences))]
    width = (high - low) / count
    counts = [0] * count
    for d in differences:
        counts[min(count - 1, math.floor((d - low) / width))] += 1
    return [(low + i * width, low + (i + 1) * width, n) for i, n in enumerate(counts)]


def distribution(old: str, new: str, differences: list[float]) -> str:
    """A histogram of the differences per row: red where rows lose, green where they gain."""
    e = html.escape
    edges = bins(differences)
    won = sum(1 for d in differences if d >= 0.005)
    lost = sum(1 for d in differences if d <= -0.005)
    title = (f"Gains et pertes par établissement × champ, de {old} à {new} : {won} gagnent, {lost} perdent, "
             f"{len(differences) - won - lost} inchangés")
    left, right, top, bottom = 70, WIDTH - 50, TOP + 24, TOP + 244
    highest = max((n for _, _, n in edges), default=0) or 1
    body = [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>',
            f'<text x="8" y="{TOP + 4}" fill="{MUTED}" font-size="11">lignes (établissement × champ)</text>',
            f'<text x="{left - 6}" y="{bottom}" fill="{MUTED}" font-size="11" text-anchor="end">0</text>',
            f'<text x="{left - 6}" y="{top + 12}" fill="{MUTED}" font-size="11" text-anchor="end">{highest}</text>']
    width = (right - left) / max(len(edges), 1)
    for i, (low, high, n) in enumerate(edges):
        middle = (low + high) / 2
        colour = GAIN if middle >= 0.005 else LOSS if middle <= -0.005 else REST
        h = n / highest * (bottom - top)
        x = left + i * width
        body.append(f'<g><title>de {e(_signed(low))} à {e(_signed(high))} : {n} ligne{"s" if n > 1 else ""}</title>'
                    f'<rect x="{_x(x + 1)}" y="{_x(bottom - h)}" width="{_x(width - 2)}" height="{_x(h)}" fill="{colour}"/>'
                    + (f'<text x="{_x(x + width / 2)}" y="{_x(bottom - h - 4)}" font-size="11" fill="{INK}" '
                       f'text-anchor="middle">{n}</text>' if n else "") + "</g>")
    for i, (low, _, _) in enumerate(edges + [(edges[-1][1], 0, 0)] if edges else []):
        if i % 3 == 0 or i == len(edges):
            body.append(f'<text x="{_x(left + i * width)}" y="{bottom + 16}" fill="{MUTED}" font-size="11" '
                        f'text-anchor="middle">{e(french.number(low, 0))} €</text>')
    return _svg(bottom + 30, title, body)
