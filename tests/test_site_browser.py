"""The HTML site in a real browser (headless Chromium), opened from the file system.

From index.html, follow the links to IFAQ 2024 and to the fiche of Num.1; check that the
formula is MathML rendered as a formula (a fraction taller than a line of text), that the
valuation curve image loaded, and keep a screenshot of the fiche in test-output/.

Skips only when Chromium is not installed (Debian: apt-get install -y chromium).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SPECS, run_cli

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
OUTPUT = ROOT / "test-output"
PROBE = """
<script>
window.addEventListener("load", function () {
  var img = document.querySelector("figure.curve img");
  var math = document.querySelector(".main-formula math");
  var frac = math && math.querySelector("mfrac");
  document.body.setAttribute("data-curve", img && img.complete ? String(img.naturalWidth) : "-1");
  document.body.setAttribute("data-math", math ? String(Math.round(math.getBoundingClientRect().height)) : "-1");
  document.body.setAttribute("data-frac", frac ? String(Math.round(frac.getBoundingClientRect().height)) : "-1");
  document.body.setAttribute("data-mathml", String(typeof MathMLElement !== "undefined" && math instanceof MathMLElement));
});
</script>
"""


def _chromium(tmp: Path, *args: str) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={tmp / 'profile'}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return done.stdout


def _dom(tmp: Path, page: Path) -> str:
    return _chromium(tmp, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())


def _link(dom: str, pattern: str) -> str:
    hrefs = re.findall(r'href="([^"#]+)"', dom)
    found = [h for h in hrefs if re.search(pattern, h)]
    assert found, f"no link matching {pattern} in {hrefs[:30]}"
    return found[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    code, _, err = run_cli("docs", SPECS / "ifaq", "--out", out)
    assert code == 0, err
    return out


def test_index_to_num1_fiche_renders_formula_and_curve(site, tmp_path):
    index = site / "index.html"
    dom = _dom(tmp_path, index)
    assert "IFAQ 2024" in dom
    campaign = (index.parent / _link(dom, r"ifaq_2024/index\.html$")).resolve()
    dom = _dom(tmp_path, campaign)
    assert "Indicateurs par catégorie" in dom
    fiche = (campaign.parent / _link(dom, r"fiches/num1\.html$")).resolve()
    assert fiche == (site / "ifaq_2024" / "fiches" / "num1.html").resolve()

    dom = _dom(tmp_path, fiche)
    assert "<math" in dom and "<mfrac>" in dom, "the formula is not MathML"
    menu = dom[dom.index('<nav class="side"'):dom.index("</nav>")]  # written by assets/menu.js
    assert '<li class="current"><a href="../../ifaq_2024/index.html">' in menu and 'href="../../ifaq_2022/index.html"' in menu
    assert '<li class="here"><a href="../../ifaq_2024/fiches/num1.html">' in menu
    assert 'href="../../ifaq_2024/changements.html">Changements</a>' in menu
    assert "num1-courbe.svg" in dom
    assert "Alimentation du DMP" in dom

    # The same page with a probe script, next to it so that its relative links resolve.
    probe = fiche.with_name("num1.probe.html")
    probe.write_text(fiche.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = _dom(tmp_path, probe)
    values = dict(re.findall(r'data-(curve|math|frac|mathml)="([^"]*)"', dom))
    assert values.get("mathml") == "true", f"MathML is not supported by this browser: {values}"
    assert int(values.get("curve", "-1")) > 100, f"the curve image did not load: {values}"
    assert int(values.get("frac", "-1")) > 25, f"the fraction is not laid out as a formula: {values}"
    probe.unlink()

    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "fiche-ifaq_2024-num1.png"
    if shot.exists():
        shot.unlink()
    _chromium(tmp_path, "--window-size=1400,6000", f"--screenshot={shot}", fiche.as_uri())
    assert shot.is_file() and shot.stat().st_size > 50_000, "no screenshot of the fiche"


def test_search_index_finds_num1_by_its_former_name(site, tmp_path):
    index = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "ifaq_2024/fiches/num1.html" in index and "D2.2" in index  # MiniSearch folds case and accents in the browser
