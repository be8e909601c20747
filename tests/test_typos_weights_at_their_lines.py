"""Weights that make an envelope pay more than it distributes are refused where they are written.

IFAQ 2022: « Les 2 indicateurs numériques comptent ensemble pour 1 … Indicateur DMP valorisé à 0,25 ;
Indicateur MSS valorisé à 0, 75 ». With the MSS at 0,95 the pair counts for 1,2 and the envelope
overpays. The proof finds an establishment that is overpaid and says so at the envelope; the line to
correct is elsewhere: the value typed (a parameter, a `by field` entry, an `override`) or the `weight:`
formula that differs from its siblings. Each of them gets the error too, saying what to check.
"""

from __future__ import annotations

import shutil

from conftest import SPECS, compile_folder, with_typo

CODE = "check.weights_over_envelope"


def overpaid(folder):
    _, diagnostics = compile_folder(folder)
    found = [d for d in diagnostics.sorted() if d.severity == "error"]
    assert found and {d.code for d in found} == {CODE}, [d.message for d in found]
    return found


def at(found, path, line):
    return [d for d in found if (d.span.file, d.span.line) == (str(path), line)]


def line_of(path, text):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_a_weight_parameter_typed_too_big_is_refused_at_its_line(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                                   "parameter d6_3_weight: ratio = 0.75 {", "parameter d6_3_weight: ratio = 0.95 {")
    [error] = at(overpaid(folder), path, line)
    assert error.message.startswith("l'enveloppe « ifaq_results » peut verser plus qu'elle ne distribue")
    assert "« d6_3_weight » (0,95), écrit ici, entre dans ces poids" in error.hint
    assert "vérifiez cette valeur" in error.hint and "au plus 100 %" in error.hint


def test_the_envelope_says_which_weight_is_written_where(tmp_path):
    folder, path, _ = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                                "parameter d6_3_weight: ratio = 0.75 {", "parameter d6_3_weight: ratio = 0.95 {")
    envelope = folder / "envelope.spec"
    [mco] = [e for e in at(overpaid(folder), envelope, line_of(envelope, "envelope ifaq_results {"))
             if "du champ MCO" in e.message]
    weight_line = line_of(path, "weight: d6_3_weight * digital_share")
    assert f"poids de « d6_3 » : {path}:{weight_line}" in "\n".join(mco.notes)


def test_the_formula_shared_by_the_other_indicators_is_not_blamed_line_by_line(tmp_path):
    """17 indicators share « (100% - digital_share) / other_indicator_count »: a typo is not repeated 17 times."""
    folder, _, _ = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                             "parameter d6_3_weight: ratio = 0.75 {", "parameter d6_3_weight: ratio = 0.95 {")
    indicators = folder / "indicators.spec"
    assert [e for e in overpaid(folder) if e.span.file == str(indicators)] == []


def test_a_weight_formula_typed_wrong_is_refused_at_its_line(tmp_path):
    """The pain indicator's weight written with « + » for « − »: it alone differs from its siblings."""
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    path = tmp_path / "ifaq" / "2022" / "indicators.spec"
    text = path.read_text(encoding="utf-8")
    start = text.index("indicator pain {")
    written = "  weight: (100% - digital_share) / other_indicator_count\n"
    at_weight = text.index(written, start)
    path.write_text(text[:at_weight] + written.replace("-", "+") + text[at_weight + len(written):], encoding="utf-8")
    line = text[:at_weight].count("\n") + 1
    found = overpaid(path.parent)
    [error] = at(found, path, line)
    assert "le poids de « pain », écrit ici" in error.hint and "vérifiez cette formule" in error.hint
    assert [e for e in found if e.span.file == str(path) and e.span.line != line] == []


def test_a_weight_overridden_too_big_is_refused_at_the_override_line(tmp_path):
    """IFAQ 2024 inherits the digital weights: a new value typed at the override is refused there. 7.5 for
    0,75: in MCO, where the pair weighs 17 %, Num.1 and Num.2 would weigh 131,75 %."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "override d6_3_weight as num2_weight {",
                                   "override d6_3_weight as num2_weight = 7.5 {")
    [error] = at(overpaid(folder), path, line)
    assert "du champ MCO" in error.message and "« num2_weight » (7,5), écrit ici" in error.hint


def test_a_value_by_field_is_blamed_once_at_its_line(tmp_path):
    """The number of MCO indicators typed 8 instead of 9: the nine share 83 % / 8 each, 103,75 % in all."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "envelope.spec",
                                   "{ MCO: 9, SSR: 5,", "{ MCO: 8, SSR: 5,")
    [error] = at(overpaid(folder), path, line)
    assert "du champ MCO" in error.message and "« other_indicator_count » (8 pour MCO), écrit ici" in error.hint


def test_the_shipped_envelopes_blame_no_line():
    for folder in (SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024"):
        _, diagnostics = compile_folder(folder)
        assert [d for d in diagnostics.items if d.code == CODE] == []


def test_formulas_written_alike_on_different_parameters_are_not_blamed(tmp_path):
    """« d2_2_weight * digital_share » and « d6_3_weight * digital_share »: the values are blamed, not the two formulas."""
    folder, path, _ = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                                "parameter d6_3_weight: ratio = 0.75 {", "parameter d6_3_weight: ratio = 0.95 {")
    blamed = {e.span.line for e in overpaid(folder) if e.span.file == str(path)}
    assert blamed == {line_of(path, "parameter d2_2_weight"), line_of(path, "parameter d6_3_weight"),
                      line_of(path, "parameter digital_share")}


def test_a_weight_below_0_is_refused_where_its_values_are_written(tmp_path):
    """A digital share of 117 % in MCO leaves the nine others (100 % − 117 %) / 9 each: money taken back."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                                   "= { MCO: 17%, SSR", "= { MCO: 117%, SSR")
    _, diagnostics = compile_folder(folder)
    [error] = [d for d in diagnostics.sorted() if (d.span.file, d.span.line) == (str(path), line) and d.severity == "error"]
    assert error.code == "check.negative_weight" and "du champ MCO" in error.message
    assert "« digital_share » (117 % pour MCO), écrit ici" in error.hint and "reprendrait de l'argent" in error.hint
