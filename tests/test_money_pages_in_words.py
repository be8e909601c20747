"""The pages that compare two campaigns — the money report (ecart-remunerations.html) and the « Changements »
pages (HTML and Markdown) — say every declared name a reader has words for by those words: the campaigns by their
titles (« IFAQ 2024 — indicateurs numériques », not ifaq_2024), indicators, parameters, named calculations and
envelopes by their labels. A code name stays only as a hint in code (``<code>num1_target</code>``, `` `num1` ``),
and data columns keep the name the people who fill the file need."""

from __future__ import annotations

import html
import re

import pytest

import qualispec
from qualispec.compiler.labels import comparison_words
from tests.conftest import ROOT, SPECS

SITE = ROOT / "generated"
PAGES = ("ecart-remunerations.html", "changements.html", "changements.md")
COMPARED = {"ifaq_2024": ("ifaq/2022", "ifaq/2024"), "caqes_2023": ("caqes/2022", "caqes/2023"),
            "hopen_2023": ("hopen/2022", "hopen/2023")}


def prose(page: str, markdown: bool) -> str:
    """What a reader reads as text: not tags, code, scripts, styles; Markdown without its code spans."""
    if markdown:
        return re.sub(r"`[^`\n]*`", " ", page).replace("\\_", "_")
    page = re.sub(r"<(code|script|style|pre|math)\b.*?</\1\s*>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def leaks(text: str, words: dict[str, str]) -> list[str]:
    return [name for name in words for _ in re.finditer(rf"(?<![\w.\-/#]){re.escape(name)}(?![\w\-]|\.\w)", text)]


@pytest.fixture(scope="module")
def words():
    found = {}
    for site, (old, new) in COMPARED.items():
        found[site] = comparison_words(qualispec.load(SPECS / old).compiled.campaign,
                                       qualispec.load(SPECS / new).compiled.campaign)
    return found


@pytest.mark.parametrize("site", COMPARED)
@pytest.mark.parametrize("page", PAGES)
def test_no_code_name_with_words_is_left_in_the_text_of_a_comparison_page(site, page, words):
    text = prose((SITE / site / page).read_text(encoding="utf-8"), page.endswith(".md"))
    assert leaks(text, words[site]) == []


def test_the_campaigns_and_a_changed_parameter_are_said_in_words_with_their_code_as_a_hint():
    page = (SITE / "ifaq_2024" / "ecart-remunerations.html").read_text(encoding="utf-8")
    text = prose(page, False)
    assert "En bref : de « IFAQ 2022 — tous les indicateurs » à « IFAQ 2024 — indicateurs numériques »" in text
    assert "Valeur cible de rémunération de Num.1 <code>num1_target</code>" in page  # the table's subject
    assert 'aria-label="De « IFAQ 2022 — tous les indicateurs » à « IFAQ 2024 — indicateurs numériques »' in page
    changes = (SITE / "ifaq_2024" / "changements.md").read_text(encoding="utf-8")
    assert "| Valeur cible de rémunération de Num.1 (`num1_target`) |" in changes
    assert "`override d2_2 as num1`" in changes  # a rename as the spec writes it stays code


def test_a_data_column_keeps_its_name_for_the_people_who_fill_the_file():
    text = prose((SITE / "caqes_2023" / "ecart-remunerations.html").read_text(encoding="utf-8"), False)
    assert "laissées vides : les_status" in text


def test_the_search_index_holds_the_texts_in_words_and_the_code_names_as_search_words():
    import json

    from qualispec.compiler.labels import prose_words

    script = (SITE / "assets" / "search-index.js").read_text(encoding="utf-8")
    documents = json.loads(script[script.index("["):script.rindex("]") + 1])
    for campaign in ("ifaq/2022", "ifaq/2024"):
        compiled = qualispec.load(SPECS / campaign).compiled.campaign
        own = [d for d in documents if d["u"].startswith(f"{compiled.name}/")]
        assert own and not [leak for d in own for leak in leaks(d["text"] + " " + d["s"], prose_words(compiled))]
        assert "Campagne ifaq" not in " ".join(d["s"] for d in own)
    num1 = next(d for d in documents if d["u"] == "ifaq_2024/fiches/num1.html")
    assert "num1" in num1["words"].split()  # a code name typed in the box still finds its fiche
