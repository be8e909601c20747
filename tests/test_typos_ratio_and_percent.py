"""A ratio (0 to 1) and a percent (0 % to 100 %) swapped by mistake are said at the line where the value is written.

The shipped specs hold one kind of ratio parameter: the two IFAQ digital weights, written as the
webinaire writes them (« Indicateur DMP valorisé à 0,25 ; Indicateur MSS valorisé à 0,75 »). Every
other fraction (targets, thresholds, rates, shares) is a percent. A percent written as a ratio
(`percent = 0.25`) is already refused; these are the other ways round: a ratio written as a percent
(`ratio = 25%`, `ratio = 0.25%`), or a ratio given the figure of its percent (`ratio = 25`).
"""

from __future__ import annotations

import shutil

import pytest

from conftest import SPECS, compile_folder, with_typo

WEIGHT = "parameter d2_2_weight: ratio = 0.25 {"


def at_line(folder, path, line, severity):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if d.severity == severity and (d.span.file, d.span.line) == (str(path), line)]


@pytest.mark.parametrize("typo, meant", [
    ("parameter d2_2_weight: ratio = 25% {", "0.25"),  # the webinaire's 0,25 typed as a percent
    ("parameter d2_2_weight: ratio = 0.25% {", "0.0025"),  # 0,25 with a % too many: a weight 100 times too small
])
def test_a_ratio_parameter_written_as_a_percent_is_refused_at_its_line(tmp_path, typo, meant):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", WEIGHT, typo)
    [error] = at_line(folder, path, line, "error")
    assert error.message == "le paramètre « d2_2_weight » est déclaré en ratio mais sa valeur est en percent"
    assert error.hint == f"écrivez la valeur en ratio (`{meant}`), ou déclarez-le en percent"


def test_a_ratio_parameter_given_the_figure_of_its_percent_is_said_at_its_line(tmp_path):
    """« 25 » typed for 0,25: the weight would be 2 500 %. The envelope proof refuses it too, but the line
    to correct is this one."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", WEIGHT,
                                   "parameter d2_2_weight: ratio = 25 {")
    [warning] = at_line(folder, path, line, "warning")
    assert warning.code == "check.ratio_out_of_range"
    assert warning.message.startswith("le paramètre « d2_2_weight » vaut 25 : un ratio est entre 0 et 1")
    assert warning.hint == "vouliez-vous dire `0.25` ?"


def test_a_negative_ratio_is_said_at_its_line(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", WEIGHT,
                                   "parameter d2_2_weight: ratio = -0.25 {")
    [warning] = at_line(folder, path, line, "warning")
    assert warning.code == "check.ratio_out_of_range" and "−0,25" in warning.message
    assert "signe" in warning.hint


def test_a_ratio_overridden_as_a_percent_is_refused_at_the_override_line(tmp_path):
    """IFAQ 2024 inherits the weights of 2022: the override is where a new value is typed."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "override d6_3_weight as num2_weight {", "override d6_3_weight as num2_weight = 75% {")
    [error] = at_line(folder, path, line, "error")
    assert error.message == "le paramètre « num2_weight » est déclaré en ratio mais sa valeur est en percent"
    assert "`0.75`" in error.hint


def test_a_percent_parameter_written_as_a_ratio_is_refused_at_its_line(tmp_path):
    """The other way round (already refused): the IFAQ 2022 Num.1 target of 20 % typed « 0.2 »."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                                   "parameter d2_2_target: percent = 20% {", "parameter d2_2_target: percent = 0.2 {")
    [error] = at_line(folder, path, line, "error")
    assert error.hint == "vouliez-vous dire `20 %` ?"


@pytest.mark.parametrize("value", ["0", "1", "0.5"])
def test_a_ratio_between_0_and_1_is_accepted_as_a_ratio(tmp_path, value):
    """(At 1 the digital pair weighs 1,75, more than the 1 it counts for: said, but not as a unit matter.)"""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", WEIGHT,
                                   f"parameter d2_2_weight: ratio = {value} {{")
    said = at_line(folder, path, line, "error") + at_line(folder, path, line, "warning")
    assert [d.code for d in said if d.code in ("check.percent_for_ratio", "check.ratio_out_of_range")] == []


def test_the_shipped_ratio_parameters_are_the_digital_weights():
    """Which fractions of the shipped specs are ratios: the two digital weights only, both between 0 and 1."""
    ratios = {}
    for folder in sorted(p.parent for p in SPECS.rglob("campaign.spec")):
        compiled, diagnostics = compile_folder(folder)
        assert not diagnostics.has_errors(), diagnostics.render()
        ratios.update({name: p for name, p in compiled.campaign.parameters.items() if p.unit == "ratio"})
    assert set(ratios) == {"d2_2_weight", "d6_3_weight", "num1_weight", "num2_weight"}


def test_a_ratio_parameter_given_as_the_target_of_a_percentage_is_refused_at_the_target(tmp_path):
    """D2.2's target typed with the name of its weight (0,25, a ratio) instead of d2_2_target (20 %)."""
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    path = tmp_path / "ifaq" / "2022" / "numerique.spec"
    text = path.read_text(encoding="utf-8")
    written = "  target: d2_2_target\n"
    assert written in text
    path.write_text(text.replace(written, "  target: d2_2_weight\n", 1), encoding="utf-8")
    line = text[:text.index(written)].count("\n") + 1
    [error] = at_line(path.parent, path, line, "error")
    assert error.code == "check.ratio_with_percent"
    assert error.message.startswith("« d2_2_weight » est déclaré ratio (0 à 1) et rencontre ici un pourcentage")
