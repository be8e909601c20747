"""Fiches a quality manager reads without a glossary: names in formulas are French labels, titles
use the short label the documents use (« Num.1 »), a formula shows what applies this campaign only,
and the compiler warns, at the declaration's line, about a declaration a fiche would show by its
code name.
"""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import SPECS, compile_folder
from qualispec.compiler.fiches.build import build_site, find_bases


@pytest.fixture(scope="module")
def ifaq_2024():
    compiled, _ = compile_folder(SPECS / "ifaq" / "2024")
    page = build_site([compiled], find_bases([compiled], None)).campaigns[0]
    return {f.name: f for f in page.fiches}


def _formulas(fiche) -> dict[str, str]:
    return {title: formula.text for title, formula in fiche.formulas}


def test_num1_is_titled_as_the_documents_write_it(ifaq_2024):
    num1 = ifaq_2024["num1"]
    assert num1.shown_name == "Num.1"
    assert num1.label.startswith("Alimentation du DMP")


def test_formulas_name_parameters_and_data_by_their_french_labels(ifaq_2024):
    formulas = _formulas(ifaq_2024["num1"])
    payout = formulas["Rémunération"]
    assert "Volume économique de l'établissement dans le champ" in payout
    assert "montant par groupe de l'enveloppe « Part de l'enveloppe IFAQ" in payout
    for text in formulas.values():
        assert not re.search(r"[a-z]_[a-z]", text), f"a code name in « {text} »"
    shown = {s.shown for s in ifaq_2024["num1"].symbols}
    assert "economic_volume" not in shown
    assert "Poids du niveau atteint quand la campagne ne prend pas l'évolution en compte" in shown


def test_num1_whose_evolution_is_not_paid_in_2024_shows_no_evolution_formula(ifaq_2024):
    formulas = _formulas(ifaq_2024["num1"])
    assert "Score de l'évolution" not in formulas
    score = formulas["Score"]
    assert "évolution" not in score.replace("ne prend pas l'évolution en compte", "")
    assert "Poids du niveau atteint quand la campagne ne prend pas l'évolution en compte × Score du niveau atteint" in score
    # a yes/no parameter set to « non » is decided, not shown: a result on the target is not 100 %
    assert "Un résultat égal à la valeur cible" not in score


def test_num2_whose_evolution_is_paid_keeps_its_evolution_formula(ifaq_2024):
    formulas = _formulas(ifaq_2024["num2"])
    assert "Score de l'évolution" in formulas
    assert "Rémunération d'une évolution positive" in formulas["Score de l'évolution"]


def _copy_hopen(tmp_path, old: str, new: str):
    folder = tmp_path / "hopen_2022"
    shutil.copytree(SPECS / "hopen" / "2022", folder)
    spec = folder / "campaign.spec"
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder, text[:text.index(old)].count("\n") + 1


def test_a_parameter_without_label_is_warned_at_its_line(tmp_path):
    old = "  label: \"Cible HOP'EN D2.2 jusqu'à fin 2022 : 50 % des DMP des patients disposant d'un DMP au cours de leur séjour alimentés\"\n"
    folder, line = _copy_hopen(tmp_path, old, "")
    _, diagnostics = compile_folder(folder)
    warned = [d for d in diagnostics.items if d.code == "check.label_missing"]
    assert len(warned) == 1
    declared = (folder / "campaign.spec").read_text(encoding="utf-8").split("parameter d22_target")[0].count("\n") + 1
    assert warned[0].span.line == declared < line  # the `parameter d22_target` line, above where its label was
    assert warned[0].message == "le paramètre « d22_target » n'a pas de label : les fiches l'écriront sous son nom de code"
    assert not diagnostics.has_errors()


def test_a_short_label_names_a_value_in_formulas(tmp_path):
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    inputs = tmp_path / "ifaq" / "2022" / "inputs.spec"
    old = "  label: \"Volume économique de l'établissement dans le champ (recettes pour la PSY)\"\n"
    text = inputs.read_text(encoding="utf-8")
    assert old in text
    inputs.write_text(text.replace(old, old + "  short_label: \"volume économique\"\n", 1), encoding="utf-8")
    compiled, diagnostics = compile_folder(tmp_path / "ifaq" / "2024")
    assert not diagnostics.has_errors()
    num1 = next(f for f in build_site([compiled], find_bases([compiled], None)).campaigns[0].fiches if f.name == "num1")
    payout = _formulas(num1)["Rémunération"]
    assert "somme(volume économique) du groupe" in payout and "Volume économique de l'établissement" not in payout
    meaning = {s.shown: s.meaning for s in num1.symbols}["volume économique"]
    assert meaning == "Volume économique de l'établissement dans le champ (recettes pour la PSY)"


def test_the_interpolation_rule_of_the_threshold_is_said_in_french_words(ifaq_2024):
    num1 = ifaq_2024["num1"]
    threshold = next(r for r in num1.rules if r.key == "threshold")
    assert threshold.value == "30e centile des résultats du groupe (valeur observée immédiatement inférieure)"
    assert "Règle d'interpolation : valeur observée immédiatement inférieure." in threshold.note
    assert "lower" not in threshold.value + threshold.note


def test_a_quantile_method_parameter_shows_its_value_in_french_words(ifaq_2024):
    from conftest import compile_folder as _compile
    from qualispec.compiler.fiches.build.context import CampaignContext

    compiled, _ = _compile(SPECS / "ifaq" / "2024")
    method = compiled.campaign.parameters["threshold_method"]
    assert CampaignContext(compiled, None).parameter_value(method) == "valeur observée immédiatement inférieure"


def _visible_prose(page: str) -> str:
    """What a reader sees of a page as prose: no tag or attribute (ids, links), nothing shown as code or
    formula layout (``<code>``, ``<pre>``, ``<math>``), no script."""
    import html

    page = re.sub(r"<(code|pre|math|script|style)\b.*?</\1\s*>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def _visible_markdown(page: str) -> str:
    """What a reader sees of a Markdown page as prose: no code span, formula (``$$ … $$``) or link target."""
    page = re.sub(r"\$\$.*?\$\$|`[^`\n]*`|\]\([^)]*\)", " ", page, flags=re.S)
    return page.replace("\\_", "_")


@pytest.mark.parametrize("ext", ["html", "md"])
@pytest.mark.parametrize("campaign", ["ifaq/2022", "ifaq/2024", "caqes/2017", "caqes/2023"])
def test_no_page_of_a_campaign_writes_a_code_name_of_its_parameters_or_indicators_in_its_prose(campaign, ext):
    """The HTML and the Markdown fiches alike: the Markdown ones are read on a forge, with the same words."""
    from qualispec.compiler.fiches.site import render_site

    compiled, _ = compile_folder(SPECS / campaign)
    c = compiled.campaign
    names = {n for n in [*c.parameters, *c.indicators] if re.search(r"[_0-9]", n)}  # not « les », also a word
    code = re.compile(r"(?<![\w.\-/#])(" + "|".join(sorted(names, key=len, reverse=True)) + r")(?![\w\-]|\.\w)")
    files = render_site(build_site([compiled], find_bases([compiled], None)))
    pages = {path: data.decode("utf-8") for path, data in files.items() if path.endswith(f".{ext}")}
    assert len(pages) > 5
    visible = _visible_prose if ext == "html" else _visible_markdown
    left = [(path, m.group(1), prose[max(0, m.start() - 60):m.end()])
            for path, page in pages.items() for prose in [visible(page)] for m in code.finditer(prose)]
    assert not left, f"{len(left)} code names in prose, first: {left[:3]}"


def test_a_parameter_cited_by_its_code_name_in_an_assumption_is_shown_by_its_label(ifaq_2024):
    from qualispec.compiler.diff import in_words

    compiled, _ = compile_folder(SPECS / "ifaq" / "2024")
    words = in_words.InWords(in_words.labels(compiled.campaign))
    page = ('<p id="digital_share">la paire numérique (digital_share) ; '
            '<a href="fiches/num1.html">num1</a> <code>digital_share</code></p>')
    assert words.page(page) == ('<p id="digital_share">la paire numérique (« Part de la pondération IFAQ portée '
                                "par la paire d'indicateurs numériques ») ; "
                                '<a href="fiches/num1.html">« Num.1 »</a> <code>digital_share</code></p>')


def test_a_fiche_quoting_the_previous_campaign_names_its_parameters_by_their_labels():
    """The « Changements » table of an IFAQ 2024 fiche quotes the 2022 assumption « PSY : voir psy_secured »:
    psy_secured, a 2022 parameter dropped in 2024, is shown by its 2022 label, not by its code name."""
    from qualispec.compiler.fiches.site import render_site

    old, _ = compile_folder(SPECS / "ifaq" / "2022")
    new, _ = compile_folder(SPECS / "ifaq" / "2024")
    secured = old.campaign.parameters["psy_secured"].label
    assert "psy_secured" not in new.campaign.parameters and secured
    files = render_site(build_site([old, new], find_bases([old, new], None)))
    fiche = _visible_prose(files["ifaq_2024/fiches/num1.html"].decode("utf-8"))
    assert "PSY : voir psy_secured" in files["ifaq_2024/fiches/num1.html"].decode("utf-8").replace(
        f"« {secured} »", "psy_secured") and "voir" in fiche  # the 2022 text is quoted
    assert "psy_secured" not in fiche
    assert f"PSY : voir « {secured} »" in fiche
    markdown = _visible_markdown(files["ifaq_2024/fiches/num1.md"].decode("utf-8"))  # the same words in Markdown
    assert "psy_secured" not in markdown and f"PSY : voir « {secured} »" in markdown
    # a parameter's new code name is nothing a reader sees; an input's is the column of the file, said as such
    page = files["ifaq_2024/fiches/num1.md"].decode("utf-8")
    assert "d2_2_target" not in page and "override d2_2" not in page
    assert "| colonne du fichier de « Séjours clôturés dans le mois pour lesquels des documents de la liste validée " \
           "par la CME ont été publiés dans le DMP » (déclaré par la nouvelle campagne) | `d2_2_numerator` | " \
           "`num1_numerator` |" in page


def test_an_indicator_without_a_short_label_is_titled_by_its_french_label():
    """CAQES 2023 « atb » and IFAQ 2022 « d2_2 » have no short label: their fiches, the page title, the breadcrumb
    and the curve's caption say « Le bon usage des antibiotiques », never the code name, and the label once."""
    from qualispec.compiler.fiches.site import render_site

    for campaign, name, label in (("caqes/2023", "atb", "Le bon usage des antibiotiques"),
                                  ("ifaq/2022", "d2_2", "Alimentation du DMP pour les patients disposant d'un DMP")):
        compiled, _ = compile_folder(SPECS / campaign)
        site = build_site([compiled], find_bases([compiled], None))
        fiche = next(f for f in site.campaigns[0].fiches if f.name == name)
        assert fiche.shown_name.startswith(label) and fiche.title == fiche.label
        files = render_site(site)
        folder = compiled.campaign.name
        markdown = files[f"{folder}/fiches/{name}.md"].decode("utf-8")
        assert f"\n# {label}" in markdown and f"› {label}" in markdown
        page = files[f"{folder}/fiches/{name}.html"].decode("utf-8").replace("&#39;", "'")
        h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
        assert name not in h1 and h1.count(label) == 1, h1
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert name not in title and title.count(label) == 1, title
        if fiche.curve is not None:
            assert fiche.curve.caption.startswith(f"Score de « {label}") or fiche.curve.caption.startswith(f"Score de {label}")


def test_an_indicator_with_a_short_label_keeps_it_before_its_label(ifaq_2024):
    num1 = ifaq_2024["num1"]
    assert num1.title == f"Num.1 — {num1.label}"


def test_the_link_to_the_previous_campaigns_fiche_names_it_by_its_label():
    """CAQES 2023 carries « atb » from CAQES 2022: its fiche links the 2022 fiche by its label, not « atb »."""
    from qualispec.compiler.fiches.site import render_site

    old, _ = compile_folder(SPECS / "caqes" / "2022")
    new, _ = compile_folder(SPECS / "caqes" / "2023")
    files = render_site(build_site([old, new], find_bases([old, new], None)))
    page = _visible_prose(files["caqes_2023/fiches/atb.html"].decode("utf-8"))
    assert "Voir la fiche « Le bon usage des antibiotiques » de « CAQES 2022" in " ".join(page.split())
    markdown = files["caqes_2023/fiches/atb.md"].decode("utf-8")
    assert "[Fiche « Le bon usage des antibiotiques » de « CAQES 2022" in markdown


def test_markdown_keeps_link_targets_and_formulas_as_written():
    """A Markdown page says its code names in words, but not inside a link's target (the file a link opens), a
    formula or a code span: those are read by a program or meant as code."""
    from qualispec.compiler.diff.in_words import InWords

    words = InWords({"ifaq_2022": "« IFAQ 2022 »", "num1_target": "« Valeur cible de Num.1 »"})
    page = "[voir ifaq\\_2022](ifaq_2022/README.md)\n\n$$\nnum1_target\n$$\n\nla num1\\_target, `num1_target`, num1_targets"
    assert words.markdown(page) == ("[voir « IFAQ 2022 »](ifaq_2022/README.md)\n\n$$\nnum1_target\n$$\n\n"
                                    "la « Valeur cible de Num.1 », `num1_target`, num1_targets")


def test_names_that_are_not_identifiers_are_still_said_in_words():
    from qualispec.compiler.diff.in_words import InWords

    words = InWords({"demo": "« Démonstration »", "num1": "« Num.1 »"})  # « demo »: no underscore, no digit
    assert words.said("de demo à num1, pas demos ni num1.md") == "de « Démonstration » à « Num.1 », pas demos ni num1.md"
