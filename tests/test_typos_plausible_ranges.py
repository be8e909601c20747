"""A parameter may say which values are plausible: `range: [min, max]`, in its own unit, bounds included.

A value outside its range checks clean as far as units go (`stability_band = 100%` is a percent, so is
`num1_target = 0.5%`) but pays wrong money: a stability band of 100 % makes every evolution « stable »,
a Num.1 target of 0,5 % pays every establishment as if it had reached 50 %, a comparison precision of
1 % rounds 47,6 % and 48,4 % to the same result. The compiler says so, in French, where the value is
written: at the parameter, or at the `override` line of a later campaign, which inherits the range.
"""

from __future__ import annotations

import pytest

from conftest import SPECS, compile_folder, with_typo


def diagnostics_of(folder, severity):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if d.severity == severity]


@pytest.mark.parametrize("written, typo, said", [
    # a band of 100 points: every result is « stable » and paid 50 % of the evolution part
    ("parameter stability_band: percent = 0% {", "parameter stability_band: percent = 100% {",
     "le paramètre « stability_band » vaut 100 %, hors de ses valeurs plausibles (de 0 % à 5 %)"),
    # results compared to the whole point instead of the published hundredth of a point
    ("parameter comparison_precision: percent = 0.01% {", "parameter comparison_precision: percent = 1% {",
     "le paramètre « comparison_precision » vaut 1 %, hors de ses valeurs plausibles (de 0,0001 % à 0,1 %)"),
    # the IFAQ 2022 DMP target of 20 % typed 2 %
    ("parameter d2_2_target: percent = 20% {", "parameter d2_2_target: percent = 2% {",
     "le paramètre « d2_2_target » vaut 2 %, hors de ses valeurs plausibles (de 10 % à 90 %)"),
])
def test_an_implausible_ifaq_2022_value_is_said_at_its_line(tmp_path, written, typo, said):
    file = "numerique.spec" if "target" in written else "valuation.spec"
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", file, written, typo)
    assert diagnostics_of(folder, "error") == []
    [warning] = diagnostics_of(folder, "warning")
    assert (warning.span.file, warning.span.line, warning.code) == (str(path), line, "check.value_out_of_range")
    assert warning.message == said
    assert "range:" in warning.hint and "source" in warning.hint


def test_an_override_outside_the_inherited_range_is_said_at_the_override_line(tmp_path):
    """IFAQ 2024 Num.1: « La cible de l'indicateur passe à 50% »; « 0.5% » would pay nearly everyone in full."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "override d2_2_target as num1_target = 50% {",
                                   "override d2_2_target as num1_target = 0.5% {")
    [warning] = diagnostics_of(folder, "warning")
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message == "le paramètre « num1_target » vaut 0,5 %, hors de ses valeurs plausibles (de 10 % à 90 %)"


def test_a_value_by_field_outside_its_range_names_the_field(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                                   "= { MCO: 17%, SSR: 17%, HAD: 17%, DIA: 50%", "= { MCO: 17%, SSR: 17%, HAD: 17%, DIA: 80%")
    [warning] = [w for w in diagnostics_of(folder, "warning") if w.code == "check.value_out_of_range"]
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message == ("le paramètre « digital_share » vaut 80 % pour DIA, hors de ses valeurs plausibles "
                               "(de 0 % à 50 %)")


def test_an_informative_amount_is_checked_against_its_range(tmp_path):
    """CAQES 2022: « fixe enveloppe nationale = 12,5 millions d'€ », shown only (`informative:`): typed
    « 12.5 € », no rule reads it to notice."""
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "contract.spec",
                                   "parameter regional_envelope: euro = 12.5 M€ {",
                                   "parameter regional_envelope: euro = 12.5 € {")
    [warning] = diagnostics_of(folder, "warning")
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message.startswith("le paramètre « regional_envelope » vaut 12,5 €, hors de ses valeurs plausibles")


def test_an_informative_percent_is_checked_against_its_range(tmp_path):
    """CAQES 2017 D3.1: the target of 50 % is shown only; « 5% » is outside what the instruction allows."""
    folder, path, line = with_typo(tmp_path, "caqes", "2017", "practices.spec",
                                   "parameter d31_target: percent = 50% {", "parameter d31_target: percent = 5% {")
    [warning] = diagnostics_of(folder, "warning")
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message.startswith("le paramètre « d31_target » vaut 5 %, hors de ses valeurs plausibles")


RANGE = '''
campaign demo {{ label: "Démo" source: doc "§1" }}
document doc {{ label: "Document" }}
input done: count {{ label: "Faits" source: doc "§2" }}
input due: count {{ label: "Dus" source: doc "§2" }}
parameter goal: {unit} = {value} {{
  label: "Objectif"
  range: {range}
  source: doc "§3"
}}
indicator a {{ label: "A" unit: percent numerator: done denominator: due target: goal source: doc "§4" }}
'''


def compiled_range(campaign_dir, unit="percent", value="60%", range_="[10%, 90%]"):
    folder = campaign_dir({"c.spec": RANGE.format(unit=unit, value=value, range=range_)})
    _, diagnostics = compile_folder(folder)
    return diagnostics.sorted()


@pytest.mark.parametrize("value", ["10%", "60%", "90%"])
def test_a_value_within_its_range_bounds_included_is_accepted(campaign_dir, value):
    assert compiled_range(campaign_dir, value=value) == []


@pytest.mark.parametrize("range_, code, said", [
    ("[10, 90%]", "check.bare_number_declared", "sans unité"),  # a bound in the parameter's unit too
    ("[90%, 10%]", "check.range_order", "la plus petite valeur s'écrit d'abord"),
    ("[10%]", "check.range_shape", "deux valeurs"),
    ("[10%, 50%, 90%]", "check.range_shape", "deux valeurs"),
    ("[10%, due]", "check.range_bound", "un nombre écrit"),
    ("10%", "check.property_value_kind", "une liste"),
])
def test_a_badly_written_range_is_refused_at_its_line(campaign_dir, range_, code, said):
    [error] = [d for d in compiled_range(campaign_dir, range_=range_) if d.severity == "error"]
    assert (error.span.line, error.code) == (7, code) and said in error.message


def test_a_range_on_a_text_parameter_is_refused(campaign_dir):
    found = [d for d in compiled_range(campaign_dir, unit="text", value='"lower"', range_='["a", "z"]')
             if d.code == "check.range_not_number"]
    assert found and found[0].span.line == 7 and "que d'un nombre" in found[0].message


def test_an_override_may_widen_the_range_it_inherits(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "override d2_2_target as num1_target = 50% {",
                                   "override d2_2_target as num1_target = 95% {\n  range: [10%, 100%]\n"
                                   "  assumption: \"Cible relevée à 95 % (lecture de l'auteur).\"")
    assert diagnostics_of(folder, "warning") == [] and diagnostics_of(folder, "error") == []


def test_the_values_the_brief_names_declare_their_plausible_range():
    from qualispec.compiler.diagnostics import Diagnostics
    from qualispec.compiler.syntax.load import load_folder
    loaded = load_folder(SPECS / "ifaq" / "2024", Diagnostics())
    names = ("stability_band", "comparison_precision", "num1_target", "num2_target", "digital_share", "num1_weight",
             "num2_weight")
    assert [name for name in names if loaded.decls[name].get("range") is None] == []


@pytest.mark.parametrize("scheme, year, file, written, typo, said", [
    # « 20 à 30 % des économies selon l'indicateur »: 2 % typed for 20 %
    ("caqes", "2022", "national.spec", "parameter ipp_rate: percent = 20% {", "parameter ipp_rate: percent = 2% {",
     "le paramètre « ipp_rate » vaut 2 %, hors de ses valeurs plausibles (de 20 % à 30 %)"),
    ("caqes", "2022", "national.spec", "parameter hf_rate: percent = 30% {", "parameter hf_rate: percent = 3% {",
     "le paramètre « hf_rate » vaut 3 %"),
    # the comparison of the targeting potential at the cent, typed at 100 €
    ("caqes", "2022", "contract.spec", "parameter targeting_comparison_precision: euro = 0.01 € {",
     "parameter targeting_comparison_precision: euro = 100 € {", "le paramètre « targeting_comparison_precision » vaut 100 €"),
    # 700 k€ for 700 M€: every establishment paid a thousandth
    ("ifaq", "2022", "envelope.spec", "parameter ifaq_envelope_total: euro = 700 M€ {",
     "parameter ifaq_envelope_total: euro = 700 k€ {", "le paramètre « ifaq_envelope_total » vaut 700\u202f000 €"),
    # the 2019 part above the national amount (a bound written from another parameter)
    ("ifaq", "2022", "envelope.spec", "parameter ifaq_part_2019_volume: euro = 300 M€ {",
     "parameter ifaq_part_2019_volume: euro = 3_000 M€ {",
     "le paramètre « ifaq_part_2019_volume » vaut 3\u202f000\u202f000\u202f000 €, hors de ses valeurs plausibles "
     "(de 0 € à 700\u202f000\u202f000 €)"),
    # the 30th centile typed 3 %: nearly every establishment above the threshold
    ("ifaq", "2022", "valuation.spec", "parameter threshold_quantile: percent = 30% {",
     "parameter threshold_quantile: percent = 3% {", "le paramètre « threshold_quantile » vaut 3 %"),
    ("ifaq", "2022", "indicators.spec", "parameter qls_target: percent = 80% {", "parameter qls_target: percent = 8% {",
     "le paramètre « qls_target » vaut 8 %"),
    ("ifaq", "2022", "indicators.spec", "{ MCO: 80%, SSR: 80%, HAD: 80%, PSY: 80% }",
     "{ MCO: 80%, SSR: 8%, HAD: 80%, PSY: 80% }", "le paramètre « pain_target » vaut 8 % pour SSR"),
    ("hopen", "2022", "campaign.spec", "parameter d63_target: percent = 60% {", "parameter d63_target: percent = 6% {",
     "le paramètre « d63_target » vaut 6 %"),
])
def test_an_implausible_value_of_the_shipped_specs_is_said_at_its_line(tmp_path, scheme, year, file, written, typo, said):
    folder, path, line = with_typo(tmp_path, scheme, year, file, written, typo)
    found = [w for w in diagnostics_of(folder, "warning") if w.code == "check.value_out_of_range"
             and (w.span.file, w.span.line) == (str(path), line)]  # (700 k€ also puts the 300 M€ of 2019 above it)
    assert len(found) == 1 and found[0].message.startswith(said)


def test_an_override_outside_the_inherited_hopen_range_is_said_at_the_override_line(tmp_path):
    """HOP'EN 2023: 64 % of stays; « 6.4% » at the override."""
    folder, path, line = with_typo(tmp_path, "hopen", "2023", "campaign.spec", "override d22_target = 64% {",
                                   "override d22_target = 6.4% {")
    [warning] = diagnostics_of(folder, "warning")
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message == "le paramètre « d22_target » vaut 6,4 %, hors de ses valeurs plausibles (de 10 % à 90 %)"
