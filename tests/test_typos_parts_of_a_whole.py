"""Parts that make a whole say so, each from the other, with `range:` bounds written from parameters.

IFAQ: « Les 2 indicateurs numériques comptent ensemble pour 1 selon la logique suivante : Indicateur
DMP valorisé à 0,25 ; Indicateur MSS valorisé à 0, 75 », and a score is « 50 % niveau atteint, 50 %
évolution ». A pair typed 0,25 + 0,65 pays the digital part 10 % short, which no proof of overpayment
sees; 0,25 + 0,95 overpays. Either way both lines are told, since either may hold the typo.
"""

from __future__ import annotations

import pytest

from conftest import SPECS, compile_folder, with_typo


def parts_said(folder):
    _, diagnostics = compile_folder(folder)
    return {(d.span.file, d.span.line): d for d in diagnostics.sorted() if d.code == "check.value_not_as_declared"}


def line_of(path, text):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize("typo, expected_dmp", [("0.65", "0,35"), ("0.95", "0,05")])
def test_a_digital_pair_that_does_not_count_for_1_is_said_at_both_weights(tmp_path, typo, expected_dmp):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", "parameter d6_3_weight: ratio = 0.75 {",
                                   f"parameter d6_3_weight: ratio = {typo} {{")
    said = parts_said(folder)
    assert set(said) == {(str(path), line), (str(path), line_of(path, "parameter d2_2_weight"))}
    dmp = said[(str(path), line_of(path, "parameter d2_2_weight"))]
    assert dmp.severity == "warning"
    assert dmp.message == f"le paramètre « d2_2_weight » vaut 0,25 alors que range: le veut égal à 1 − d6_3_weight, soit {expected_dmp}"
    assert "les parts d'un même tout" in dmp.hint


def test_a_pair_overridden_short_is_said_at_the_override_line(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "override d6_3_weight as num2_weight {", "override d6_3_weight as num2_weight = 0.65 {")
    said = parts_said(folder)
    assert (str(path), line) in said
    assert said[(str(path), line)].message.startswith("le paramètre « num2_weight » vaut 0,65 alors que range: le veut égal")


def test_level_and_evolution_that_do_not_make_a_whole_score_are_said_at_both_lines(tmp_path):
    """« 40 % niveau » typed for 50 %: a perfect establishment would score 90 %, paid 10 % short."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "valuation.spec",
                                   "parameter level_weight: percent = 50% {", "parameter level_weight: percent = 40% {")
    said = parts_said(folder)
    assert set(said) == {(str(path), line), (str(path), line_of(path, "parameter evolution_weight"))}
    assert said[(str(path), line)].message == ("le paramètre « level_weight » vaut 40 % alors que range: le veut égal à "
                                               "100 % − evolution_weight, soit 50 %")


def test_the_shipped_parts_make_their_wholes():
    for folder in (SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024"):
        assert parts_said(folder) == {}
