"""The site as readers use it, in a real headless Chromium driven by Playwright, opened from file://.

Search: a quality manager types French words without accents, a cut word, a word of a definition;
the fiche comes up, the current campaign of the scheme first, nothing is fetched from the network.
Phone: every kind of page fits 375 px without horizontal scrolling, and a desktop width too; the
screenshots are kept in test-output/ for a person to look at.

Uses the committed generated/ site (test_docs checks it is up to date). Skips only when Chromium is
not installed (Debian: apt-get install -y chromium).
"""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
SITE = ROOT / "generated"
OUTPUT = ROOT / "test-output"
PAGES = ("index.html", "ifaq_2024/index.html", "ifaq_2024/fiches/num1.html", "ifaq_2022/fiches/had_pressure_ulcer.html",
         "ifaq_2022/graphe.html", "ifaq_2024/groupes.html", "ifaq_2024/changements.html", "ifaq_2024/ecart-remunerations.html", "caqes_2022/index.html")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


def _search(page, words: str) -> list[tuple[str, str]]:
    """Type ``words`` into the search box key by key; (title, campaign) of each result shown."""
    page.goto((SITE / "index.html").as_uri())
    page.click("#q")
    page.keyboard.type(words, delay=20)
    page.wait_for_selector("#results:not([hidden]) li")
    return [(a.evaluate("e => e.firstChild.textContent"), a.query_selector(".s").inner_text())
            for a in page.query_selector_all("#results li a")]


def test_typing_a_word_without_its_accents_finds_the_fiche(page):
    hits = _search(page, "evaluation du risque d escarres")
    assert hits, "no result"
    assert hits[0][0] == "Évaluation du risque d'escarre en HAD", hits[:3]  # a fiche is titled by its label
    page.keyboard.press("Enter")
    page.wait_for_url("**/fiches/had_pressure_ulcer.html")
    assert "Évaluation du risque d'escarre en HAD" in page.query_selector("h1").inner_text()


def test_a_word_cut_short_and_a_word_of_a_definition_are_found(page):
    hits = _search(page, "certif")
    assert any("Certification" in title for title, _ in hits)
    hits = _search(page, "lettre de liaison")
    assert any(title == "Qualité de la lettre de liaison à la sortie (QLS)" for title, _ in hits), hits


def test_the_current_campaign_comes_first(page):
    hits = _search(page, "dmp")
    assert hits[0][1] == "IFAQ 2024 — indicateurs numériques", hits[:3]
    assert any("2022" in campaign for _, campaign in hits), "the older campaign's fiche is found too"


def test_search_fetches_nothing_from_the_network(page):
    _search(page, "cible")
    assert page.requests and all(url.startswith("file://") for url in page.requests), page.requests


@pytest.mark.parametrize("width", [375, 1280])
def test_every_kind_of_page_fits_the_screen_width(browser, width):
    OUTPUT.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    too_wide = {}
    for path in PAGES:
        tab.goto((SITE / path).as_uri())
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            too_wide[path] = scroll
        name = path.replace("/", "_").removesuffix(".html")
        tab.screenshot(path=str(OUTPUT / f"site-{width}px-{name}.png"))
    box = tab.query_selector("#q").bounding_box()
    context.close()
    assert not too_wide, f"horizontal scrolling at {width} px: {too_wide}"
    assert box["width"] >= min(width * 0.6, 300), f"the search box is {box['width']} px wide at {width} px"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_money_report_is_reached_from_the_changes_page_and_leads_back(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.goto((SITE / "ifaq_2024" / "changements.html").as_uri())
    tab.click("p.money-link a")
    assert tab.url.endswith("/ifaq_2024/ecart-remunerations.html"), tab.url
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    back = tab.query_selector("header a.back")
    box = back.bounding_box() if back else None
    assert box and box["width"] > 50, f"no visible way back to the fiches at {width} px: {box}"
    back.click()
    assert tab.url.endswith("/ifaq_2024/index.html"), tab.url
    context.close()
