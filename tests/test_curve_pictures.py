"""The valuation curves are SVG written from their points: one line per series, in straight segments, broken
where the score is not computable, with the threshold, the target and a legend in French."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from qualispec.compiler.fiches.pages import CurveData, Series
from qualispec.compiler.fiches.plots import curve_svg

SVG = "{http://www.w3.org/2000/svg}"


def _curve(series, threshold=0.3, target=0.5, illustrative=True) -> ET.Element:
    data = CurveData("Score de num1", "percent", "percent", 1.0, tuple(series), threshold, illustrative, target,
                     "légende")
    return ET.fromstring(curve_svg(data))


def _lines(root) -> list[str]:
    return [p.get("d") for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]


def _texts(root) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_a_ramp_of_401_points_is_written_as_its_three_segments():
    xs = tuple(i / 400 for i in range(401))
    ys = tuple(0.0 if x <= 0.3 else 1.0 if x >= 0.5 else (x - 0.3) / 0.2 for x in xs)
    [d] = _lines(_curve([Series("Niveau seul", xs, ys, "level")]))
    assert d.count("M") == 1 and d.count("L") == 3  # flat, ramp, flat


def test_a_score_not_computable_breaks_the_line():
    xs = (0.0, 0.25, 0.5, 0.75, 1.0)
    [d] = _lines(_curve([Series("Niveau seul", xs, (0.0, 0.5, None, 0.75, 1.0), "level")]))
    assert d.count("M") == 2


def test_the_threshold_the_target_the_bands_and_the_legend_are_said_in_french():
    root = _curve([Series("Niveau seul", (0.0, 1.0), (0.0, 1.0), "level"),
                   Series("Évolution positive", (0.0, 1.0), (0.5, 1.0), "positive")])
    words = _texts(root)
    for expected in ("seuil (illustratif)", "30 %", "cible", "50 %", "sous le seuil", "entre seuil et cible",
                     "cible atteinte", "Résultat de l'indicateur (%)", "Score (%)", "Niveau seul", "Évolution positive"):
        assert expected in words
    assert len(_lines(root)) == 2


def test_the_same_points_give_the_same_bytes():
    series = [Series("Niveau seul", (0.0, 0.5, 1.0), (0.0, 0.5, 1.0), "level")]
    data = CurveData("Score", "percent", "percent", 1.0, tuple(series), None, False, None, "")
    assert curve_svg(data) == curve_svg(data)
