"""The money diff in pictures (IFAQ 2022 → 2024 on the example dataset): a waterfall from the old total
to the new one through each rule change by its French label and the unexplained rest, the distribution
of gains and losses over the rows, the difference per comparison group; inline in the HTML report (in
the look of the fiches site) and as SVG files with the same bytes on every run."""

from __future__ import annotations

import math
import re
from xml.etree import ElementTree

import pytest

from conftest import ROOT, run_cli
from qualispec.compiler.fiches.site import TEMPLATES
from qualispec.runtime.impact_charts import Bin, bins

OLD, NEW, DATA = ROOT / "specs" / "ifaq" / "2022", ROOT / "specs" / "ifaq" / "2024", ROOT / "examples" / "ifaq2022_2024.csv"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    for run in ("first", "second"):
        (folder / run).mkdir()
        code, _, err = run_cli("diff", OLD, NEW, "--data", DATA, "--format", "html", "--out", folder / run / "report.html",
                               "--charts", folder / run, "--site", "../generated/index.html")
        assert code == 0, err
    return folder


def _bars(svg_text: str) -> list[tuple[str, str]]:
    """(label, value) of each bar, as the picture writes them."""
    root = ElementTree.fromstring(svg_text)
    bars = []
    for g in root.iter(f"{SVG}g"):
        if g.find(f"{SVG}title") is None:  # the frame that holds the bars below a title of several lines
            continue
        whole, value = g.find(f"{SVG}title").text, g.findall(f"{SVG}text")[1].text  # the tooltip: « label : value »
        bars.append((whole[:-len(f" : {value}")], value))
    return bars


def _euros(text: str) -> float:
    return float(re.sub(r"[^\d,+-]", "", text.split(" €")[0]).replace(",", "."))


def test_three_pictures_are_written_and_the_same_bytes_on_every_run(report):
    names = ["ecart-attribution.svg", "ecart-distribution.svg", "ecart-groupes.svg"]
    for name in names:
        first = (report / "first" / name).read_bytes()
        assert first == (report / "second" / name).read_bytes(), name
        ElementTree.fromstring(first)  # well-formed SVG


def test_the_waterfall_goes_from_the_old_total_to_the_new_through_each_change_and_the_rest(report):
    bars = _bars((report / "first" / "ecart-attribution.svg").read_text(encoding="utf-8"))
    labels = [label for label, _ in bars]
    assert labels[0] == "Total « IFAQ 2022 — tous les indicateurs »"  # the campaigns by their titles
    assert labels[-1] == "Total « IFAQ 2024 — indicateurs numériques »"
    assert labels[-2].startswith("Reste non expliqué")
    assert any(label.startswith("paramètre « Valeur cible de rémunération de Num.1 »") for label in labels)
    assert not any(re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", label) for label in labels), labels  # no code names
    old, new = _euros(bars[0][1]), _euros(bars[-1][1])
    steps = sum(_euros(value) for _, value in bars[1:-1])
    assert round(old + steps, 2) == round(new, 2)  # the bars add up, the rest included, to the cent
    shares = [float(m.group(1).replace(",", ".")) for _, v in bars[1:-1] for m in [re.search(r"\((-?[\d,]+) %", v)]]
    assert round(sum(shares), 1) == pytest.approx(100.0, abs=0.3)  # each share rounded to 0,1 %


def test_the_distribution_counts_every_row_once_and_the_groups_every_group(report):
    text = (report / "first" / "ecart-distribution.svg").read_text(encoding="utf-8")
    assert "0 gagnent, 360 perdent, 0 inchangés" in text
    counts = [int(m) for m in re.findall(r": (\d+) lignes?</title>", text)]
    assert sum(counts) == 360
    groups = _bars((report / "first" / "ecart-groupes.svg").read_text(encoding="utf-8"))
    assert ("MCO-4", "-202\u202f336\u202f130,04 €") in [(g, v.replace("\u00a0", "\u202f")) for g, v in groups]


def test_the_html_report_has_the_pictures_inline_in_the_look_of_the_site(report):
    page = (report / "first" / "report.html").read_text(encoding="utf-8")
    assert (TEMPLATES / "style.css").read_text(encoding="utf-8") in page  # the site's own stylesheet
    assert '<header class="top">' in page and 'href="../generated/index.html"' in page
    assert page.count('<figure class="chart"><svg') == 3
    for name in ("ecart-attribution.svg", "ecart-distribution.svg", "ecart-groupes.svg"):
        assert (report / "first" / name).read_text(encoding="utf-8").strip() in page
    assert page.index("En bref") < page.index("En images") < page.index("Ce qui explique l")  # the story first


def test_no_bar_mixes_losses_unchanged_and_gains():
    edges = bins([-10.0, -5.0, 0.0, 2.0], count=4)
    assert [(b.kind, b.rows) for b in edges if b.rows] == [("loss", 1), ("loss", 1), ("same", 1), ("gain", 1)]
    assert sum(b.rows for b in edges) == 4
    assert [(b.kind, b.rows) for b in bins([3.0, 3.0]) if b.rows] == [("gain", 2)]
    assert bins([]) == []


def test_a_few_large_moves_do_not_squeeze_every_other_row_into_one_bar():
    differences = [float(d) for d in range(-1_000, 1_001, 10)] + [400_000.0, -400_000.0]
    edges = bins(differences)
    assert sum(b.rows for b in edges) == len(differences)
    assert edges[0].low == -math.inf and edges[-1].high == math.inf  # the tails hold the two large moves
    assert edges[0].rows == edges[-1].rows == 1  # the tails hold the two large moves, and only them
    assert max(b.rows for b in edges) < len(differences) / 4
    widths = {b.high - b.low for b in edges if b.kind != "same" and not math.isinf(b.high - b.low)}
    assert widths == {200.0}  # one readable width (1, 2, 2,5 or 5 × 10^k), six of them past the 95th percentile


def test_charts_need_data_and_an_existing_folder(tmp_path):
    code, _, err = run_cli("diff", OLD, NEW, "--charts", tmp_path)
    assert code == 1 and "--charts dessine l'écart de rémunération : donnez aussi --data FICHIER" in err
    code, _, err = run_cli("diff", OLD, NEW, "--data", DATA, "--charts", tmp_path / "absent")
    assert code == 1 and "le dossier n'existe pas" in err and not (tmp_path / "absent").exists()
