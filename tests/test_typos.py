"""Typos that would pay wrong money are refused at their line, with the fix to write.

Each test copies a shipped campaign, makes one typo an author could make, and checks
that the compiler refuses it where it is written, saying what was probably meant.
"""

from __future__ import annotations

import pytest

from conftest import SPECS, compile_folder, with_typo


def errors(folder):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if d.severity == "error"]


@pytest.mark.parametrize("typo, meant", [
    ("override d2_2_target as num1_target = 60 {", "60 %"),  # would read as 6 000 %
    ("override d2_2_target as num1_target = 0.6 {", "60 %"),  # would read as 0,6 %
])
def test_a_percent_written_without_its_sign_is_refused(tmp_path, typo, meant):
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "override d2_2_target as num1_target = 50% {", typo)
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert "num1_target" in error.message and "sans unité" in error.message
    assert error.hint == f"vouliez-vous dire `{meant}` ?"


def test_an_amount_written_without_its_euro_sign_is_refused(tmp_path):
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "contract.spec",
                                   "parameter targeting_min_potential: euro = 10_000 € {",
                                   "parameter targeting_min_potential: euro = 10_000 {")
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert error.hint == "vouliez-vous dire `10000 €` ?"


def test_a_bare_number_compared_with_a_percent_is_refused(tmp_path):
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "national.spec",
                                   "dressings.montant_moyen_categorie * (100% + dressing_excess_vs_category)",
                                   "dressings.montant_moyen_categorie * (100 + dressing_excess_vs_category)")
    found = [e for e in errors(folder) if e.span.line == line]
    assert found and found[0].hint == "vouliez-vous dire `100 %` ?", [e.message for e in errors(folder)]


@pytest.mark.parametrize("order, message", [
    ("30", "sans unité"),  # 30 instead of 30 %: 3 000 %
    ("130%", "doit être entre 0 % et 100 %"),
])
def test_a_quantile_order_must_be_a_percent_between_0_and_100(tmp_path, order, message):
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "national.spec",
                                   "quantile(hf_stays, 25%,", f"quantile(hf_stays, {order},")
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert message in error.message


def test_a_ratio_never_meets_a_percent(tmp_path, campaign_dir):
    folder = campaign_dir({"c.spec": '''
        campaign demo { label: "Démo" source: doc "§1" }
        document doc { label: "Document" }
        input done: count { label: "Faits" source: doc "§2" }
        input due: count { label: "Dus" source: doc "§2" }
        parameter goal: ratio = 0.6 { label: "Objectif" source: doc "§3" }
        indicator a {
          label: "A"
          unit: percent
          numerator: done
          denominator: due
          let reached = result >= goal
          source: doc "§4"
        }
    '''})
    [error] = errors(folder)
    assert error.span.line == 11 and "ratio" in error.message and "pourcentage" in error.message


def test_an_envelope_of_an_impossible_amount_is_refused(tmp_path):
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "contract.spec",
                                   "parameter targeting_min_potential: euro = 10_000 € {",
                                   "parameter targeting_min_potential: euro = 10_000_000_000_000 € {")  # 10¹³ €
    [error] = errors(folder)
    assert error.span.line == line and "10¹² €" in error.message


def test_weights_adding_up_to_more_than_100_percent_are_refused_with_an_example(tmp_path):
    # Num.2 at 0,95 instead of 0,75: the pair weighs 1,2 digital shares and the envelope would overpay.
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                                   "parameter d6_3_weight: ratio = 0.75 {", "parameter d6_3_weight: ratio = 0.95 {")
    found = errors(folder)
    assert found and all(e.code == "check.weights_over_envelope" for e in found)
    mco = next(e for e in found if "du champ MCO" in e.message)
    assert "plus qu'elle ne distribue" in mco.message and "d6_3 " in mco.hint and "contre-exemple" in mco.hint


def test_a_digital_share_above_100_percent_is_refused_because_it_would_take_money_back(tmp_path):
    # IFAQ 2022: the other indicators of the field share 100 % − digital_share; at 117 % each weighs less than 0.
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec",
                                   "= { MCO: 17%, SSR", "= { MCO: 117%, SSR")
    found = errors(folder)
    assert {e.code for e in found} == {"check.negative_weight"}  # at the envelope, and where the values are written
    [error] = [e for e in found if e.hint.startswith("contre-exemple")]  # the one at the envelope
    assert "du champ MCO" in error.message
    assert "reprendre de l'argent" in error.message and "-1,889 %" in error.hint  # (100 % − 117 %) / 9


@pytest.mark.parametrize("total, shared", [("-700 M€", "−1\u202f000\u202f000\u202f000 €"), ("200 M€", "−100\u202f000\u202f000 €")])
def test_an_envelope_that_would_share_a_negative_amount_is_refused(tmp_path, total, shared):
    # IFAQ 2022 shares the total less the 300 M€ paid on the 2019 volume: a sign or a digit off makes it negative.
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "envelope.spec",
                                   "parameter ifaq_envelope_total: euro = 700 M€ {",
                                   f"parameter ifaq_envelope_total: euro = {total} {{")
    [error] = errors(folder)
    assert error.code == "check.negative_amount"
    assert f"« ifaq_results » distribuerait {shared}" in error.message


def test_the_shipped_weights_are_proved_within_their_envelopes():
    refused = ("check.weights_over_envelope", "check.negative_weight", "check.negative_amount", "check.money_unproved",
               "check.score_out_of_range")
    for folder in (SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024"):
        _, diagnostics = compile_folder(folder)
        assert not [d for d in diagnostics.items if d.code in refused]


def warnings(folder):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if d.severity == "warning"]


@pytest.mark.parametrize("typo, said", [
    ("override d2_2_target as num1_target = 150% {", "la cible de « Num.1 », 150 %, est hors d'atteinte"),
    ("override d2_2_target as num1_target = -5% {", "la cible de « Num.1 », −5 %, ne départage personne"),
])
def test_a_target_no_percentage_can_reach_or_miss_is_said_at_its_line(tmp_path, typo, said):
    """Num.1 is a proportion of stays, between 0 % and 100 %: a target above 100 % is never reached
    and a negative one always is. Both are decided before any data is read, so the author is told."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "override d2_2_target as num1_target = 50% {", typo)
    [warning] = warnings(folder)
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message.startswith(said)


@pytest.mark.parametrize("target", ["0% {", "100% {"])
def test_a_target_at_either_end_of_the_percent_scale_is_within_reach(tmp_path, target):
    """0 % and 100 % can be reached or missed: not out of reach. (Num.1 declares its plausible targets,
    10 % to 90 %, so both are still said, as implausible: tests/test_typos_plausible_ranges.py.)"""
    folder, _, _ = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                             "override d2_2_target as num1_target = 50% {",
                             f"override d2_2_target as num1_target = {target}")
    assert [w.code for w in warnings(folder)] == ["check.value_out_of_range"] and errors(folder) == []


def test_a_quantile_order_given_by_a_parameter_is_refused_where_the_parameter_is_written(tmp_path):
    """IFAQ 2022: the threshold is the 30th centile of the group; 130 % is refused at the parameter,
    once, not at each of the indicators that use it."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "valuation.spec",
                                   "parameter threshold_quantile: percent = 30% {",
                                   "parameter threshold_quantile: percent = 130% {")
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert error.message == "l'ordre du quantile, 130 %, doit être entre 0 % et 100 %"


@pytest.mark.parametrize("written, typo, score", [
    # the level reached at the target: 150 % instead of 100 %
    ("threshold -> 0%, target -> 100% }", "threshold -> 0%, target -> 150% }", "150 %"),
    # the certification score « mention », a parameter the decision table gives
    ("parameter certification_score_mention: percent = 100% {",
     "parameter certification_score_mention: percent = 110% {", "110 %"),
    # a positive evolution, given through the curve's `let evolution`
    ("parameter evolution_positive: percent = 100% {", "parameter evolution_positive: percent = 150% {", "150 %"),
])
def test_a_curve_that_could_score_above_100_percent_is_refused_at_the_value(tmp_path, written, typo, score):
    """The envelope is proved never to overpay because a score lies between 0 % and 100 %."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "valuation.spec", written, typo)
    [error] = errors(folder)
    assert error.code == "check.score_out_of_range" and (error.span.file, error.span.line) == (str(path), line)
    assert f"peut donner un score de {score}" in error.message


def test_level_and_evolution_weights_adding_up_to_more_than_100_percent_are_refused_at_both_weights(tmp_path):
    # 60 % level + 50 % evolution: an establishment at its best would score 110 %. Either weight may be the
    # typo: the author is told at both, each naming the two values.
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "valuation.spec",
                                   "parameter level_weight: percent = 50% {", "parameter level_weight: percent = 60% {")
    level, evolution = errors(folder)
    evolution_line = path.read_text(encoding="utf-8").splitlines().index("parameter evolution_weight: percent = 50% {") + 1
    assert [(e.span.file, e.span.line) for e in (level, evolution)] == [(str(path), line), (str(path), evolution_line)]
    for error in (level, evolution):
        assert error.code == "check.score_out_of_range"
        assert "peut donner un score de 110 % avec level_weight = 60 %, evolution_weight = 50 %" in error.message


def test_a_new_campaign_raising_the_level_weight_is_refused_at_its_override(tmp_path):
    """IFAQ 2024 carries the 2022 weights; a later campaign that overrides the level weight to 60 % alone
    is told at that line, not at the inherited curve or at the weight it did not touch."""
    folder, path, line = with_typo(
        tmp_path, "ifaq", "2024", "valuation.spec",
        "carry ifaq_standard, level_weight, evolution_weight,",
        'override level_weight = 60% {\n  assumption: "relevé"\n}\ncarry ifaq_standard, evolution_weight,')
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert "peut donner un score de 110 % avec level_weight = 60 %, evolution_weight = 50 %" in error.message


@pytest.mark.parametrize("typo, said", [
    ("parameter ipp_rate: percent = 200% {", "le paramètre « ipp_rate » vaut 200 %"),  # would pay twice the savings
    ("parameter ipp_rate: percent = -20% {", "le paramètre « ipp_rate » vaut −20 %"),  # would take money back
])
def test_a_percent_parameter_outside_0_to_100_percent_is_said_at_its_line(tmp_path, typo, said):
    """The CAQES 2022 profit-sharing rate on the IPP savings is 20 %: 200 % or −20 % checks clean otherwise."""
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "national.spec", "parameter ipp_rate: percent = 20% {", typo)
    [warning] = warnings(folder)
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message.startswith(said) and "entre 0 % et 100 %" in warning.message


def test_a_negative_count_is_refused_at_its_line(tmp_path):
    """At least 100 patients for the dressings indicator: −100 is not a number of patients."""
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "national.spec",
                                   "parameter dressing_min_patients: count = 100 {",
                                   "parameter dressing_min_patients: count = -100 {")
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert "« dressing_min_patients »" in error.message and "ne peut pas être négative" in error.message


def test_a_plain_number_written_as_a_percent_is_refused(tmp_path):
    """CAQES 2022 liste en sus: follow-up every 2 months; « 2 % » would read as 0,02 month."""
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "regional.spec",
                                   "parameter les_followup_months: number = 2 {",
                                   "parameter les_followup_months: number = 2 % {")
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert "« les_followup_months » est déclaré en number mais sa valeur est en percent" in error.message


def test_a_misspelt_quantile_method_in_a_parameter_is_refused_where_it_is_written(tmp_path):
    """CAQES 2022 heart failure: the quartile is read with the method « lower »; « lowr » reaches no engine."""
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "national.spec",
                                   'parameter hf_quartile_method: text = "lower" {',
                                   'parameter hf_quartile_method: text = "lowr" {')
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert error.code == "check.quantile_method_unknown"


def test_a_proportion_multiplied_by_100_is_warned_about(tmp_path):
    """Num.1 is a share of stays: « × 100 » would make every result 100 times too big, above any target."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "  result: numerator / denominator\n", "  result: numerator / denominator * 100\n")
    [warning] = warnings(folder)
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message.startswith("le résultat de « Num.1 » peut valoir jusqu'à 10\u202f000 %")


def test_a_percentage_as_numerator_is_warned_about(tmp_path):
    """Num.1's numerator is a number of stays; last year's result (a percentage) put there by mistake."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "  numerator: num1_numerator\n", "  numerator: num1_previous\n")
    [warning] = warnings(folder)
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert "divise un pourcentage (%) par un nombre (entier)" in warning.message


def test_a_field_listed_twice_is_warned_about(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "  fields: [MCO, SSR, HAD, DIA]\n", "  fields: [MCO, SSR, HAD, DIA, MCO]\n")
    [warning] = warnings(folder)
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message == "« MCO » est déjà dans la liste « fields »"


def test_a_negative_spending_threshold_is_warned_about(tmp_path):
    """CAQES 2022 transports: at least 400 000 € of ambulance spending; −400 000 € would target everyone."""
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "national.spec",
                                   "parameter transport_min_amb_spending: euro = 400_000 € {",
                                   "parameter transport_min_amb_spending: euro = -400_000 € {")
    assert not errors(folder)
    [warning] = warnings(folder)
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert "« transport_min_amb_spending » vaut -400000 € : un montant négatif" in warning.message


@pytest.mark.parametrize("typo, meant", [("  target: 50\n", "50 %"), ("  target: 0.5\n", "50 %")])
def test_an_objective_written_without_its_percent_sign_is_refused(tmp_path, typo, meant):
    """HOP'EN 2022 D2.2: the objective is 50 % of stays; « target: 50 » would read as 5 000 %, so that no
    establishment ever met it, and « 0.5 » as 0,5 %."""
    folder, path, line = with_typo(tmp_path, "hopen", "2022", "campaign.spec", "  target: d22_target\n", typo)
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line)
    assert error.hint == f"vouliez-vous dire `{meant}` ?"


def test_a_percent_objective_for_a_score_out_of_100_is_refused(tmp_path):
    """IQSS QLS is a score out of 100 with the objective 80: « 80 % » would read as 0,8 and every
    establishment would meet it."""
    folder, path, line = with_typo(tmp_path, "iqss", "2022", "dossier_patient.spec",
                                   "  result: qls_score\n  target: qls_objective\n", "  result: qls_score\n  target: 80%\n")
    [error] = errors(folder)
    assert (error.span.file, error.span.line) == (str(path), line + 1)
    assert error.message.startswith("la cible de « qls » est en percent alors que son résultat est un nombre")


def test_a_number_of_indicators_set_to_0_is_refused_where_it_divides_not_as_a_false_overpayment(tmp_path):
    # IFAQ 2022 shares (100 % − part numérique) equally between a field's other indicators: 0 of them in MCO
    # would leave every MCO weight without a value; the solver, free to choose one, "found" a 1 000 % overpayment.
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "envelope.spec",
                                   "{ MCO: 9, SSR: 5, HAD: 5, DIA: 1, PSY: 6 }", "{ MCO: 0, SSR: 5, HAD: 5, DIA: 1, PSY: 6 }")
    found = errors(folder)
    assert found and {e.code for e in found} == {"check.division_by_zero"}
    assert all("vaut 0 pour le champ MCO" in e.message and e.span.file.endswith("indicators.spec") for e in found)


def test_a_number_of_indicators_must_be_whole(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "envelope.spec",
                                   "{ MCO: 9, SSR: 5, HAD: 5, DIA: 1, PSY: 6 }", "{ MCO: 9.5, SSR: 5, HAD: 5, DIA: 1, PSY: 6 }")
    [error] = errors(folder)
    assert (error.span.file, error.span.line, error.code) == (str(path), line, "check.whole_number")


def test_an_amount_with_fractions_of_a_cent_is_said_at_its_line(tmp_path):
    # « 12.505 € » typed for 12 505 €: the regional envelope would be twelve euros
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "contract.spec",
                                   "parameter regional_envelope: euro = 12.5 M€", "parameter regional_envelope: euro = 12.505 €")
    _, diagnostics = compile_folder(folder)
    [warning] = [d for d in diagnostics.sorted() if d.code == "check.sub_cent_amount"]
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert "fractions de centime" in warning.message and "12_505 €" in warning.hint
