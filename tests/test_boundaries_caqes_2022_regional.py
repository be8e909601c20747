"""CAQES 2022 and 2023, the regional indicators and the contract exactly on their thresholds, through
`qualispec eval` on a CSV written in exact decimals (webinaire « nouveau CAQES »). The wording decides
the side:

- LES: périmètre « établissements MCO et HAD avec plus de 100 000 € de dépenses en 2020 » (strict);
  suivi prospectif « 2 mois pour 2022 / 6 mois pour 2023 » (a duration reached: at least).
- ATB: « 2 audits de pertinence » (at least the number asked).
- MPI: formation « ≥ 25% des professionnels » in 2022; « progression » in 2023 (strictly more than n−1).
- Plan PHEV: « MCO > 2 500 séjours » (strict).
- RPPS/FINESS: « établissements dont le taux est inférieur à 75 % » en 2020 (strict); « atteinte du taux
  cible de 100 % » (reached at 100 %); « progression du taux par rapport à l'année n−1 » (strictly more).
- Contract: « de 1 à 14 indicateurs », « 7 indicateurs nationaux en 2022 et 8 en 2023 », « maximum 7
  régionaux » (bounds included).
"""

from __future__ import annotations

import csv

import pytest

from conftest import ROOT, evaluated
from qualispec.runtime.engines import ENGINES

# No national indicator of the health-products part eligible: the PHEV scope rests on the MCO stays alone.
NO_NATIONAL_PRODUCT = {"ipp_boxes_2019": "0", "perfusion_active_rate": "0", "ezetimibe_rate": "0",
                       "dressing_patients": "0", "activity_mco": "true"}


def base_row() -> dict:
    with open(ROOT / "examples" / "caqes_2022.csv", encoding="utf-8", newline="") as f:
        return {**next(csv.DictReader(f)), "mpi_training": "true", "rpps_rate_2020": "50"}


def evaluate(tmp_path, year: str, rows: list[dict], engines=ENGINES[:1]) -> list[dict]:
    data, out = tmp_path / "data.csv", tmp_path / "out.csv"
    with open(data, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for i, r in enumerate(rows):
            writer.writerow({**r, "finess": f"{690000001 + i:09d}"})
    return evaluated(ROOT / "specs" / "caqes" / year, data, out, engines)


BOTH = ("2022", "2023")
CASES = [  # years, the columns changed, the output column, its value, why
    (BOTH, {"les_spending_2020": "100000"}, "les_eligible", "false", "100 000 € : pas « plus de 100 000 € »"),
    (BOTH, {"les_spending_2020": "100000.01"}, "les_eligible", "true", "un centime de plus"),
    (("2022",), {"les_followup_months_done": "2"}, "les_suivi_atteint", "true", "2 mois en 2022"),
    (("2022",), {"les_followup_months_done": "1.99"}, "les_suivi_atteint", "false", "un peu moins de 2 mois"),
    (("2023",), {"les_followup_months_done": "6"}, "les_suivi_atteint", "true", "6 mois en 2023"),
    (("2023",), {"les_followup_months_done": "5.99"}, "les_suivi_atteint", "false", "un peu moins de 6 mois"),
    (BOTH, {"atb_audit_reports": "2"}, "atb_audits_atteints", "true", "2 audits"),
    (BOTH, {"atb_audit_reports": "1"}, "atb_audits_atteints", "false", "1 audit"),
    (("2022",), {"mpi_trained_share": "25"}, "mpi_formation_atteinte", "true", "25 % : « ≥ 25% »"),
    (("2022",), {"mpi_trained_share": "24.99"}, "mpi_formation_atteinte", "false", "un centième de point de moins"),
    (("2023",), {"mpi_trained_share": "40", "mpi_trained_share_previous": "40"}, "mpi_formation_atteinte", "false",
     "2023 : autant que l'an passé n'est pas une progression"),
    (("2023",), {"mpi_trained_share": "40.01", "mpi_trained_share_previous": "40"}, "mpi_formation_atteinte", "true",
     "2023 : un centième de point de plus"),
    (BOTH, {**NO_NATIONAL_PRODUCT, "mco_stays": "2500"}, "phev_plan_eligible", "false", "2 500 séjours : pas « > 2 500 »"),
    (BOTH, {**NO_NATIONAL_PRODUCT, "mco_stays": "2501"}, "phev_plan_eligible", "true", "un séjour de plus"),
    (BOTH, {"rpps_rate_2020": "75"}, "rpps_finess_eligible", "false", "75 % en 2020 : pas « inférieur à 75 % »"),
    (BOTH, {"rpps_rate_2020": "74.99"}, "rpps_finess_eligible", "true", "un centième de point de moins"),
    (BOTH, {"rpps_orders_identified": "18000", "rpps_orders_total": "18000"}, "rpps_finess_cible_atteinte", "true",
     "100 % des ordonnances"),
    (BOTH, {"rpps_orders_identified": "17999", "rpps_orders_total": "18000"}, "rpps_finess_cible_atteinte", "false",
     "une ordonnance de moins"),
    (BOTH, {"rpps_orders_identified": "9326", "rpps_orders_total": "10000", "rpps_rate_previous": "93.26"},
     "rpps_finess_progression_atteinte", "false", "93,26 % après 93,26 % : pas de progression"),
    (BOTH, {"rpps_orders_identified": "9327", "rpps_orders_total": "10000", "rpps_rate_previous": "93.26"},
     "rpps_finess_progression_atteinte", "true", "93,27 % après 93,26 %"),
    (BOTH, {"rpps_orders_identified": "2", "rpps_orders_total": "3", "rpps_rate_previous": "66.67"},
     "rpps_finess_progression_atteinte", "false", "2/3 = 66,666… % après 66,67 % : en baisse"),
    (BOTH, {"contract_national_count": "7", "contract_regional_count": "7"}, "contract_sous_le_plafond", "true",
     "7 + 7 = 14 : dans la limite"),
    (BOTH, {"contract_national_count": "7", "contract_regional_count": "8"}, "contract_sous_le_plafond", "false",
     "8 régionaux"),
    (("2022",), {"contract_national_count": "8", "contract_regional_count": "6"}, "contract_sous_le_plafond", "false",
     "8 nationaux en 2022"),
    (("2023",), {"contract_national_count": "8", "contract_regional_count": "6"}, "contract_sous_le_plafond", "true",
     "8 nationaux en 2023, 14 en tout"),
    (("2023",), {"contract_national_count": "8", "contract_regional_count": "7"}, "contract_sous_le_plafond", "false",
     "15 en tout en 2023"),
    (BOTH, {"contract_national_count": "1", "contract_regional_count": "0"}, "contract_sous_le_plafond", "true",
     "un indicateur : « de 1 »"),
    (BOTH, {"contract_national_count": "0", "contract_regional_count": "0"}, "contract_sous_le_plafond", "false",
     "aucun indicateur"),
    (BOTH, {"am_revenue": "336746513.89", "regional_targeted": "true", "contract_signed": "false"},
     "contract_sanction_maximale_refus", "3367465.13",
     "« 1% du montant reçu de l'AM » au plus : 3 367 465,1389 € s'écrit 3 367 465,13 €, pas un centime au-dessus"),
]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    got = {}
    for year in BOTH:
        cases = [c for c in CASES if year in c[0]]
        rows = evaluate(tmp_path_factory.mktemp(year), year, [{**base_row(), **c[1]} for c in cases], ENGINES)
        got.update({(year, CASES.index(c)): r for c, r in zip(cases, rows)})
    return got


@pytest.mark.parametrize("year, k", [(y, k) for k, c in enumerate(CASES) for y in c[0]],
                         ids=[f"{y} {c[2]}: {c[4]}" for c in CASES for y in c[0]])
def test_each_regional_threshold_and_contract_bound_follows_its_wording(outcomes, year, k):
    _, _, column, value, why = CASES[k]
    assert outcomes[(year, k)][column] == value, why
