"""A `let` gets its French words the way a policy author names it: `let niveau "Score du niveau atteint" = …`.
The fiches then write those words wherever the value appears (formula titles, formulas, the table of
symbols), a campaign that gives a let a new formula keeps its words, `fmt` keeps the label where it is,
the language server shows it on hover, and a label written before the name is a French syntax error
that says how to write it.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import SPECS, compile_folder
from qualispec.compiler.fiches.build import build_site, find_bases
from qualispec.compiler.syntax.layout import format_text

CURVE_LET = '  let level "Score du niveau atteint" = piecewise(result) { threshold -> 0%, target -> 100% }\n'


def _fiches(folder):
    compiled, diagnostics = compile_folder(folder)
    assert not diagnostics.has_errors(), [d.message for d in diagnostics.items]
    page = build_site([compiled], find_bases([compiled], None)).campaigns[0]
    return {f.name: f for f in page.fiches}


def _formulas(fiche) -> dict[str, str]:
    return {title: formula.text for title, formula in fiche.formulas}


@pytest.fixture
def ifaq(tmp_path):
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    return tmp_path / "ifaq"


def test_the_ifaq_curve_lets_are_named_by_their_labels_in_every_fiche_they_compute():
    assert CURVE_LET in (SPECS / "ifaq" / "2022" / "valuation.spec").read_text(encoding="utf-8")
    esatis = _fiches(SPECS / "ifaq" / "2022")["esatis_mco_48h"]
    formulas = _formulas(esatis)
    assert formulas["Score du niveau atteint"].startswith("Score du niveau atteint = linéaire par morceaux de résultat")
    assert "Poids du niveau atteint × Score du niveau atteint + Poids de l'évolution × Score de l'évolution" \
        in formulas["Score"]
    meanings = {s.shown: s.meaning for s in esatis.symbols}
    assert meanings["Score de l'évolution"] == "Score de l'évolution"


def test_a_campaign_that_rewrites_a_let_keeps_its_label_unless_it_gives_another(ifaq):
    valuation = ifaq / "2024" / "valuation.spec"
    text = valuation.read_text(encoding="utf-8").replace("carry ifaq_standard, ", "carry ", 1)  # now overridden
    rewritten = "\noverride ifaq_standard {\n  let level = piecewise(result) { threshold -> 0%, target -> 90% }\n}\n"
    valuation.write_text(text + rewritten, encoding="utf-8")
    formulas = _formulas(_fiches(ifaq / "2024")["num2"])
    assert "cible → 90 %" in formulas["Score du niveau atteint"]

    renamed = rewritten.replace("let level =", 'let level "Niveau atteint dans l\'année" =')
    valuation.write_text(text + renamed, encoding="utf-8")
    formulas = _formulas(_fiches(ifaq / "2024")["num2"])
    assert "Score du niveau atteint" not in formulas
    assert formulas["Niveau atteint dans l'année"].startswith("Niveau atteint dans l'année = linéaire par morceaux")


def test_the_layout_keeps_the_label_between_the_name_and_the_equal_sign():
    messy = 'indicator a {\n  let   taux"Taux de dossiers à jour"=n/d\n}\n'
    assert format_text(messy) == 'indicator a {\n  let taux "Taux de dossiers à jour" = n / d\n}\n'


def test_a_label_written_before_the_name_says_where_it_goes(ifaq):
    valuation = ifaq / "2022" / "valuation.spec"
    text = valuation.read_text(encoding="utf-8")
    valuation.write_text(text.replace(CURVE_LET, CURVE_LET.replace('let level "Score du niveau atteint"',
                                                                   'let "Score du niveau atteint" level')),
                         encoding="utf-8")
    _, diagnostics = compile_folder(ifaq / "2022")
    error = diagnostics.errors[0]  # (the curve the line belongs to is then unknown to what uses it)
    assert error.code == "syntax.let_label_first"
    assert error.message == "« \"Score du niveau atteint\" level » : le libellé d'un let s'écrit après son nom"
    assert error.hint == "écrivez let level \"Score du niveau atteint\" = …"
    assert error.span.line == text[:text.index(CURVE_LET)].count("\n") + 1


def test_a_let_without_label_is_warned_at_its_line(ifaq):
    valuation = ifaq / "2022" / "valuation.spec"
    text = valuation.read_text(encoding="utf-8")
    valuation.write_text(text.replace('let level "Score du niveau atteint" =', "let level ="), encoding="utf-8")
    _, diagnostics = compile_folder(ifaq / "2022")
    (warned,) = [d for d in diagnostics.items if d.code == "check.let_label_missing"]
    assert warned.message == ("le let « level » de la courbe « ifaq_standard » n'a pas de label : les fiches "
                              "l'écriront sous son nom de code")
    assert warned.span.line == text[:text.index(CURVE_LET)].count("\n") + 1
    assert not diagnostics.has_errors()
