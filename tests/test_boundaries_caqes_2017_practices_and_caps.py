"""CAQES 2017 (instruction du 26 juillet 2017), exactly on its thresholds, targets and caps, through
`qualispec eval` on a CSV written in exact decimals. The wording decides the side:

- Practice-improvement targeting (annexe 6): risque médicamenteux « indicateur D3.1 … strictement
  inférieur à 10 % »; risque de rupture du parcours « conformité DOC significativement inférieure à
  10 % » (the confidence interval entirely below: its upper bound strictly below 10 %).
- The spending-growth indicators of annex 3a: « respecter le taux d'évolution des dépenses » fixed by the
  contract (the spec reads « au plus égal », an assumption): exactly on the rate meets it.
- The caps: profit-sharing « dans la limite de 30 % des économies réalisées »; sanctions « au plus égale
  à 1 % des produits … de l'assurance maladie », « 30 % … des produits de la liste en sus »: on the cap to
  the exact decimal, never above.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from conftest import ROOT, evaluated
from qualispec.runtime.engines import ENGINES

CAQES_2017 = ROOT / "specs" / "caqes" / "2017"


def base_row() -> dict:
    with open(ROOT / "examples" / "caqes_2017.csv", encoding="utf-8", newline="") as f:
        return next(csv.DictReader(f))


def evaluate(tmp_path, rows: list[dict], engines=ENGINES[:1]) -> list[dict]:
    data, out = tmp_path / "data.csv", tmp_path / "out.csv"
    with open(data, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(dict.fromkeys(k for r in rows for k in r)))
        writer.writeheader()
        for i, r in enumerate(rows):
            writer.writerow({**r, "finess": f"{690000001 + i:09d}"})
    return evaluated(CAQES_2017, data, out, engines)


CASES = [  # the columns changed, the output column, its value, why
    ({"d31_rate": "10"}, "practice_targeting_medicaments_cible", "false", "D3.1 à 10 % : pas « strictement inférieur »"),
    ({"d31_rate": "10.00"}, "practice_targeting_medicaments_cible", "false", "10,00 %"),
    ({"d31_rate": "9.99"}, "practice_targeting_medicaments_cible", "true", "un centième de point en dessous"),
    ({"doc_ci_upper": "10"}, "practice_targeting_parcours_cible", "false", "borne haute à 10 % : pas entièrement sous 10 %"),
    ({"doc_ci_upper": "9.99"}, "practice_targeting_parcours_cible", "true", "borne haute sous 10 %"),
    # 6 000 000 € → 6 060 000 € is +1 % exactly
    ({"phev_spending_growth_current": "6060000", "phev_spending_growth_previous": "6000000",
      "phev_spending_growth_target": "1"}, "phev_spending_growth_objective", "true", "+1 % pour un taux fixé de +1 %"),
    ({"phev_spending_growth_current": "6060000.01", "phev_spending_growth_previous": "6000000",
      "phev_spending_growth_target": "1"}, "phev_spending_growth_objective", "false", "un centime de plus"),
    # 272 549 € − 3 % = 264 372,53 € exactly (264 372,52999999997 in floats)
    ({"les_drugs_spending_growth_current": "264372.53", "les_drugs_spending_growth_previous": "272549",
      "les_drugs_spending_growth_target": "-3"}, "les_drugs_spending_growth_objective", "true", "−3 % tout juste"),
    ({"les_drugs_spending_growth_current": "264372.54", "les_drugs_spending_growth_previous": "272549",
      "les_drugs_spending_growth_target": "-3"}, "les_drugs_spending_growth_objective", "false", "un centime de plus"),
    ({"les_products_spending_growth_current": "102205.11", "les_products_spending_growth_previous": "100005",
      "les_products_spending_growth_target": "2.2"}, "les_products_spending_growth_objective", "true", "+2,2 % tout juste"),
    ({"les_products_spending_growth_current": "102205.12", "les_products_spending_growth_previous": "100005",
      "les_products_spending_growth_target": "2.2"}, "les_products_spending_growth_objective", "false", "un centime de plus"),
]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    return evaluate(tmp_path_factory.mktemp("caqes2017"), [{**base_row(), **c[0]} for c in CASES], ENGINES)  # Spark too


@pytest.mark.parametrize("k", range(len(CASES)), ids=[f"{c[1]}: {c[3]}" for c in CASES])
def test_each_targeting_threshold_and_growth_rate_follows_its_wording(outcomes, k):
    _, column, value, why = CASES[k]
    assert outcomes[k][column] == value, why


def test_the_caps_are_their_rates_of_their_bases_never_a_cent_above(tmp_path):
    """30 % of savings of 60 551,29 € is 18 165,387 €: a cap « dans la limite de 30 % » is written 18 165,38 €,
    not 18 165,39 € (0,003 € above the limit); 1 % of 336 746 513,89 € is 3 367 465,1389 €: the cap of a
    sanction « au plus égale à 1 % » is 3 367 465,13 €. The sanction itself (« 1 % des recettes ») is the
    amount rounded to the nearest cent."""
    extra = {"transport_extra_objective": "atteint", "transport_target_spending": "2537773.68",
             "transport_spending": "2527475.34", "transport_forecast_spending": "2588026.63",
             "am_revenue": "336746513.89", "les_reimbursement": "18000000.03", "contract_signed": "false"}
    shared, neither, sanctioned = evaluate(tmp_path, [
        {**base_row(), **extra},
        {**base_row(), **extra, "transport_spending": "2537773.69"},                 # target missed by a cent
        {**base_row(), **extra, "transport_spending": "2537773.69", "transport_extra_objective": "aucun"}])
    assert shared["transport_decision_transport"] == "intéressement"
    assert Decimal(shared["transport_economies"]) == Decimal("60551.29")
    assert Decimal(shared["transport_plafond_interessement"]) == Decimal("18165.38")
    assert Decimal(shared["transport_plafond_de_sanction"]) == 0
    assert neither["transport_decision_transport"] == "ni intéressement ni sanction"
    assert Decimal(neither["transport_plafond_interessement"]) == 0 == Decimal(neither["transport_plafond_de_sanction"])
    assert sanctioned["transport_decision_transport"] == "sanction"
    assert Decimal(sanctioned["transport_plafond_de_sanction"]) == Decimal("3367465.13")
    assert Decimal(shared["sanction_amounts_sanction_recettes_sans_contrat"]) == Decimal("3367465.14")
    assert Decimal(shared["sanction_amounts_reduction_les_sans_contrat"]) == Decimal("5400000.01")  # 5 400 000,009
    assert Decimal(shared["sanction_amounts_plafond_sanction_socle"]) == Decimal("3367465.13")
    assert Decimal(shared["sanction_amounts_plafond_reduction_les_socle"]) == Decimal("5400000.00")
    assert Decimal(shared["sanction_amounts_plafond_sanction_pertinence"]) == Decimal("3367465.13")
