"""A comparison typed the other way than the words around it say is warned at its operator.

The comparison's words are those of its threshold (a parameter's label and quoted source), of the `let`
or prerequisite that holds it (« Plus de 10 ré-hospitalisations », « (Séjours > médiane et taux >
médiane) », « Établissement ciblé (au moins un risque) », « En baisse par rapport à l'année N−1 »), or
the indicator's `direction:` for its objective (« Plus bas est meilleur »). Two typos are said: the
strictness (`>=` for `>`: an establishment exactly on the threshold changes side) and the direction
(`<` for `>`: the test reads the wrong way round). A comparison in the condition of an `if` is judged
on its strictness only: there either side may be the one tested, the branches say which pays.
"""

from __future__ import annotations

import pytest

from conftest import compile_folder, with_typo


def warned_at(folder, path, line, code):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if d.code == code and (d.span.file, d.span.line) == (str(path), line)]


@pytest.mark.parametrize("scheme, year, file, shipped, typo, code, meant", [
    # the threshold's texts: « Prescription de plus de 8 500 boîtes » read the wrong way round
    ("caqes", "2022", "national.spec", "when: ipp_boxes_2019 > ipp_min_boxes_2019", "when: ipp_boxes_2019 < ipp_min_boxes_2019",
     "check.comparison_side", ">"),
    # a let's label: « Établissement ciblé (au moins un risque) »
    ("caqes", "2017", "practices.spec", "(au moins un risque)\" = result >= 1", "(au moins un risque)\" = result > 1",
     "check.comparison_wording", ">="),
    ("caqes", "2017", "practices.spec", "(au moins un risque)\" = result >= 1", "(au moins un risque)\" = result <= 1",
     "check.comparison_side", ">="),
    # a let's label: « Q1 — En baisse par rapport à l'année N−1 »
    ("caqes", "2022", "regional.spec", "= q1_rate < mpi_q1_previous", "= q1_rate <= mpi_q1_previous",
     "check.comparison_wording", "<"),
    ("caqes", "2022", "regional.spec", "= q1_rate < mpi_q1_previous", "= q1_rate > mpi_q1_previous",
     "check.comparison_side", "<"),
    # a let's label: « Score QLS MCO sous la moyenne nationale pondérée », « Progression du taux … »
    ("iqss", "2022", "autres.spec", "= qls_score < qls_mco_national_mean", "= qls_score <= qls_mco_national_mean",
     "check.comparison_wording", "<"),
    ("caqes", "2022", "regional.spec", "= result > rpps_rate_previous", "= result >= rpps_rate_previous",
     "check.comparison_wording", ">"),
    # a prerequisite's label and quoted source: « (Séjours > médiane et taux > médiane) … »
    ("caqes", "2022", "national.spec", "when: (hf_stays > median(hf_stays) over all",
     "when: (hf_stays >= median(hf_stays) over all", "check.comparison_wording", ">"),
])
def test_a_comparison_typed_the_other_way_than_its_words_is_warned_at_its_operator(
        tmp_path, scheme, year, file, shipped, typo, code, meant):
    folder, path, line = with_typo(tmp_path, scheme, year, file, shipped, typo)
    [warning] = warned_at(folder, path, line, code)
    assert warning.severity == "warning" and f"écrivez `{meant}`" in warning.hint


def test_an_objective_read_against_its_direction_is_warned(tmp_path):
    """CAQES 2017 PHMEV: « Plus bas est meilleur : respect du taux d'évolution des dépenses »; `>=` would pay
    the establishments whose spending grew beyond the rate agreed."""
    folder, path, line = with_typo(tmp_path, "caqes", "2017", "annex3a.spec", "objective: taux_evolution <= target",
                                   "objective: taux_evolution >= target")
    [warning] = warned_at(folder, path, line, "check.objective_direction")
    assert warning.message.startswith("l'objectif de « phev_spending_growth » compare avec `>=` alors que sa direction "
                                      "dit « Plus bas est meilleur »")
    assert warning.hint.startswith("écrivez `<=`")


def test_an_inclusive_target_beside_its_equality_rule_is_warned(tmp_path):
    """IFAQ curve: « supérieur à la valeur cible », equality decided by target_reached_at_equality. With `>=`
    the parameter decides nothing."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "valuation.spec", "else if result > target or",
                                   "else if result >= target or")
    [warning] = warned_at(folder, path, line, "check.equality_said_twice")
    assert warning.hint.startswith("écrivez `>`")


def test_a_comparison_in_an_if_condition_is_not_judged_on_its_side(tmp_path):
    """« Écart en deçà duquel une évolution est dite stable »: `écart > stability_band` tests the other side on
    purpose (the branch pays a positive evolution)."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "valuation.spec",
                                   "else if resultat_arrondi - precedent_arrondi > stability_band",
                                   "else if resultat_arrondi - precedent_arrondi > stability_band")
    assert warned_at(folder, path, line, "check.comparison_side") == []
