"""The site links to the money report: for IFAQ 2022 → 2024, what the rule changes do to the payouts of the
bundled example establishments, in the site's look, reached from the « Changements » page.

A campaign folder declares its example dataset in rapport-remunerations.toml; `qualispec docs` writes the
report of `qualispec diff OLD NEW --data FILE --format html` next to the campaign's pages. The rules-only
`diff --format html` is a page in the same look.
"""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT, SPECS, run_cli

SITE = ROOT / "generated"
STYLE = (ROOT / "compiler" / "fiches" / "templates" / "style.css").read_text(encoding="utf-8")
DECLARATION = "rapport-remunerations.toml"


def test_the_changes_page_links_to_the_money_report_of_the_example_data():
    changes = (SITE / "ifaq_2024" / "changements.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="ecart-remunerations\.html">ce que ces changements font\s+aux versements</a>', changes)
    assert "exemple synthétique IFAQ 2022 → 2024" in changes
    assert "[ce que ces changements font aux versements](ecart-remunerations.html)" in \
        (SITE / "ifaq_2024" / "changements.md").read_text(encoding="utf-8")
    menu = (SITE / "assets" / "menu.js").read_text(encoding="utf-8")  # the side menu of every page
    assert '["Effet sur les rémunérations","ifaq_2024/ecart-remunerations.html"]' in menu


def test_the_money_report_is_the_one_of_qualispec_diff_and_has_the_site_look(tmp_path):
    page = (SITE / "ifaq_2024" / "ecart-remunerations.html").read_text(encoding="utf-8")
    assert STYLE.strip() in page and '<header class="top">' in page
    assert '<a class="brand back" href="index.html">← retour aux fiches</a>' in page  # back to the campaign
    assert "<svg" in page and "Reste non expliqué" in page
    code, _, err = run_cli("diff", SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024", "--data",
                           ROOT / "examples" / "ifaq2022_2024.csv", "--format", "html", "--site", "index.html",
                           "--out", tmp_path / "report.html", "-q")
    assert code == 0, err
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == page


def test_the_rules_only_html_diff_has_the_site_look(tmp_path):
    code, _, err = run_cli("diff", SPECS / "hopen" / "2022", SPECS / "hopen" / "2023", "--format", "html",
                           "--out", tmp_path / "rules.html", "--site", "../generated/index.html", "-q")
    assert code == 0, err
    page = (tmp_path / "rules.html").read_text(encoding="utf-8")
    assert STYLE.strip() in page and '<header class="top">' in page and 'lang="fr"' in page
    assert "changements de règles entre deux campagnes" in page
    assert '<a class="brand back" href="../generated/index.html">← retour aux fiches</a>' in page
    assert "max-width:80rem" not in page  # the former page had a style of its own
    assert '<div class="changes">' in page and "d22_target" in page


@pytest.fixture()
def ifaq_with_data(tmp_path):
    root = tmp_path / "specs"
    for year in ("2022", "2024"):
        shutil.copytree(SPECS / "ifaq" / year, root / "ifaq" / year)
    shutil.copy(ROOT / "examples" / "ifaq2022_2024.csv", tmp_path / "data.csv")
    (root / "ifaq" / "2024" / DECLARATION).write_text('donnees = "../../../data.csv"\ntitre = "données du test"\n',
                                                        encoding="utf-8")
    return root


def test_new_data_rebuilds_the_report_and_its_campaign_only(ifaq_with_data, tmp_path):
    out = tmp_path / "site"
    assert run_cli("docs", ifaq_with_data, "--out", out)[0] == 0
    data = tmp_path / "data.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text("".join(lines[:-40]), encoding="utf-8")  # 40 establishments fewer
    code, said, err = run_cli("docs", ifaq_with_data, "--out", out)
    assert code == 0, err
    assert "1 campagne construite, 1 inchangée" in said, said
    full = tmp_path / "full"
    assert run_cli("docs", ifaq_with_data, "--out", full)[0] == 0
    for page in ("ifaq_2024/ecart-remunerations.html", "ifaq_2024/changements.html"):
        assert (out / page).read_bytes() == (full / page).read_bytes()
    # the campaign kept (IFAQ 2022) is searched in the words a fresh run gives it, not by its code names
    assert (out / "assets" / "search-index.js").read_text(encoding="utf-8") == \
        (full / "assets" / "search-index.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("declaration,said", [
    ('donnees = "absent.csv"\n', "le jeu de données absent.csv est introuvable"),
    ('donnees = "../../../data.csv"\ncouleur = "bleu"\n', "clé inconnue « couleur » ; les clés sont donnees et titre"),
    ('titre = "sans données"\n', "donnees manque"),
    ("donnees = \n", "illisible"),
])
def test_a_wrong_declaration_is_said_in_french_and_nothing_is_written(ifaq_with_data, tmp_path, declaration, said):
    (ifaq_with_data / "ifaq" / "2024" / DECLARATION).write_text(declaration, encoding="utf-8")
    code, _, err = run_cli("docs", ifaq_with_data, "--out", tmp_path / "site")
    assert code == 1
    assert said in err and DECLARATION in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("campaign", ["ifaq_2024", "hopen_2023", "caqes_2023"])
def test_every_campaign_pair_of_the_site_with_example_data_has_its_report(campaign):
    changes = (SITE / campaign / "changements.html").read_text(encoding="utf-8")
    assert '<a href="ecart-remunerations.html">' in changes
    page = (SITE / campaign / "ecart-remunerations.html").read_text(encoding="utf-8")
    assert "En bref" in page and '<header class="top">' in page


def test_a_campaign_documented_without_its_base_has_no_report(tmp_path):
    # no « Changements » page links to it: the base is not in the site
    code, _, err = run_cli("docs", SPECS / "ifaq" / "2024", "--out", tmp_path / "site")
    assert code == 0, err
    assert (tmp_path / "site" / "ifaq_2024" / "index.html").is_file()
    assert not (tmp_path / "site" / "ifaq_2024" / "ecart-remunerations.html").exists()
