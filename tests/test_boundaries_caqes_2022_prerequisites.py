"""CAQES 2022, the prerequisites of the 7 national indicators exactly on their thresholds, through
`qualispec eval` on a CSV written in exact decimals (webinaire « nouveau CAQES », Les indicateurs nationaux,
« Pré requis »). The slide's wording decides the side: « plus de » and « > » are strict, « ≥ » is not.

- IPP: « Prescription de plus de 8 500 boîtes en 2019 ».
- Perfusions: « Taux de recours aux systèmes actifs et diffuseur ≥ 80% » ; « Dépenses … ≥ 100 000 euros ».
- Ézétimibe: « Taux de prescription d'ézétimibe ≥ 9% en UCD » ; « Dépense … ≥ 20 000 euros ».
- Pansements: « > 100 patients » ; « Montant moyen remboursé par patient > 40% par rapport à la catégorie ».
- Examens préanesthésiques: « > 1 000 examens » ; « indicateur composite … > 0% ».
- Insuffisance cardiaque: « > 10 ré-hospitalisations » ; « nombre de séjours > médiane et taux > médiane »
  ou « séjours > Q1 et taux > Q3 ».
- Transports: « Part de l'ambulance … ≥ 20% » ; « Dépense pour la prescription d'ambulance ≥ 400 000 € ».

Each profit-sharing is its rate (20 % or 30 %) times the savings, exact to the cent, never more.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from conftest import ROOT, evaluated
from qualispec.runtime.engines import ENGINES

CAQES_2022 = ROOT / "specs" / "caqes" / "2022"

# The bundled example's first establishment, with every national prerequisite met by a wide margin.
ALL_MET = {
    "perfusion_active_rate": "85", "ezetimibe_rate": "10", "dressing_category_reference": "100",
    "transport_amb_spending": "1000000", "transport_taxi_spending": "1000000", "transport_vsl_spending": "1000000",
    "ipp_avoided_spending": "1000", "perfusion_avoided_spending": "1000", "ezetimibe_avoided_spending": "1000",
    "dressing_avoided_spending": "1000", "epa_avoided_spending": "1000", "hf_avoided_spending": "1000",
    "transport_avoided_spending": "1000",
}


def base_row() -> dict:
    with open(ROOT / "examples" / "caqes_2022.csv", encoding="utf-8", newline="") as f:
        return {**next(csv.DictReader(f)), **ALL_MET}


def evaluate(tmp_path, rows: list[dict], folder=CAQES_2022, engines=ENGINES[:1]) -> list[dict]:
    """`qualispec eval` on one establishment a row; the written file read back as text, row by row."""
    data, out = tmp_path / "data.csv", tmp_path / "out.csv"
    with open(data, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for i, r in enumerate(rows):
            writer.writerow({**r, "finess": f"{690000001 + i:09d}"})
    return evaluated(folder, data, out, engines)


CASES = [  # indicator, the columns changed, eligible, why
    ("ipp", {"ipp_boxes_2019": "8500"}, False, "8 500 boîtes : pas « plus de 8 500 »"),
    ("ipp", {"ipp_boxes_2019": "8501"}, True, "une boîte de plus"),
    ("perfusions", {"perfusion_active_rate": "80"}, True, "80 % : « ≥ 80% »"),
    ("perfusions", {"perfusion_active_rate": "80.00"}, True, "80,00 % écrit avec ses décimales"),
    ("perfusions", {"perfusion_active_rate": "79.99"}, False, "un centième de point de moins"),
    ("perfusions", {"perfusion_active_spending": "100000"}, True, "100 000 € : « ≥ 100 000 euros »"),
    ("perfusions", {"perfusion_active_spending": "99999.99"}, False, "un centime de moins"),
    ("ezetimibe", {"ezetimibe_rate": "9"}, True, "9 % : « ≥ 9% »"),
    ("ezetimibe", {"ezetimibe_rate": "8.99"}, False, "un centième de point de moins"),
    ("ezetimibe", {"ezetimibe_prescription_spending": "20000"}, True, "20 000 € : « ≥ 20 000 euros »"),
    ("ezetimibe", {"ezetimibe_prescription_spending": "19999.99"}, False, "un centime de moins"),
    ("dressings", {"dressing_patients": "100", "dressing_reimbursed": "100000"}, False, "100 patients : pas « > 100 »"),
    ("dressings", {"dressing_patients": "101", "dressing_reimbursed": "100000"}, True, "un patient de plus"),
    # 46 200 € for 200 patients is 231 € a patient, exactly 1,4 × 165 € (floats: 230,99999999999997)
    ("dressings", {"dressing_patients": "200", "dressing_reimbursed": "46200", "dressing_category_reference": "165"},
     False, "exactement 40 % au-dessus : pas « > 40% »"),
    ("dressings", {"dressing_patients": "200", "dressing_reimbursed": "46202", "dressing_category_reference": "165"},
     True, "231,01 € par patient"),
    ("dressings", {"dressing_patients": "200", "dressing_reimbursed": "46199.99", "dressing_category_reference": "165"},
     False, "un centime de moins"),
    ("epa", {"epa_exams": "1000"}, False, "1 000 examens : pas « > 1 000 »"),
    ("epa", {"epa_exams": "1001"}, True, "un examen de plus"),
    ("epa", {"epa_composite": "0"}, False, "composite 0 % : pas « > 0% »"),
    ("epa", {"epa_composite": "0.01"}, True, "un centième de point"),
    ("transport", {"transport_amb_spending": "837276.64", "transport_taxi_spending": "2000000",
                   "transport_vsl_spending": "1349106.56"}, True, "837 276,64 € sur 4 186 383,20 € : 20 % tout juste"),
    ("transport", {"transport_amb_spending": "837276.63", "transport_taxi_spending": "2000000",
                   "transport_vsl_spending": "1349106.57"}, False, "un centime de moins sur le même total"),
    ("transport", {"transport_amb_spending": "400000", "transport_taxi_spending": "800000",
                   "transport_vsl_spending": "800000"}, True, "400 000 € et 20 % : « ≥ » les deux"),
    ("transport", {"transport_amb_spending": "399999.99", "transport_taxi_spending": "800000",
                   "transport_vsl_spending": "799999.96"}, False, "20 % tout juste, mais 399 999,99 €"),
]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    rows = [{**base_row(), **columns} for _, columns, _, _ in CASES]
    return evaluate(tmp_path_factory.mktemp("prerequisites"), rows, engines=ENGINES)  # Spark too, cell for cell


@pytest.mark.parametrize("k", range(len(CASES)), ids=[f"{c[0]}: {c[3]}" for c in CASES])
def test_each_national_prerequisite_is_met_exactly_as_the_slide_words_it(outcomes, k):
    indicator, _, eligible, _ = CASES[k]
    out = outcomes[k]
    assert out[f"{indicator}_eligible"] == str(eligible).lower()
    rate = {"ipp": 20, "perfusions": 20, "transport": 20}.get(indicator, 30)
    assert Decimal(out[f"{indicator}_payout"]) == (Decimal(10 * rate) if eligible else 0)  # rate × 1 000 €


def test_the_transport_share_is_exactly_20_percent_where_floats_put_it_below(outcomes):
    k = next(i for i, c in enumerate(CASES) if c[1].get("transport_amb_spending") == "837276.64")
    assert 837276.64 / 4186383.20 < 0.2
    assert Decimal(outcomes[k]["transport_result"]) == 20


# Heart failure: nine establishments (4k + 1: every quartile rule agrees), the median of the stays 300 and
# their first quartile 120, the median of the rates 12,5 % and their third quartile 20 %, each held by several.
HEART_FAILURE = [  # stays, rate written, eligible, why
    (300, "20", False, "séjours = médiane, taux = Q3 : ni l'une ni l'autre condition"),
    (700, "12.5", False, "taux = médiane, séjours au-dessus"),
    (120, "31", False, "séjours = Q1, taux au-dessus de Q3"),
    (800, "12.50", False, "taux = médiane écrit 12,50"),
    (900, "20", True, "séjours > médiane et taux > médiane"),
    (300, "12.5", False, "sur les deux médianes"),
    (300, "9.25", False, "sous la médiane des taux"),
    (120, "9.25", False, "sous tout"),
    (50, "5.5", False, "sous tout"),
]


def heart_failure(tmp_path, population):
    rows = [{**base_row(), "hf_stays": str(s), "hf_readmission_rate": r, "hf_readmissions": "11"}
            for s, r, _, _ in population]
    return [(o["heart_failure_eligible"], Decimal(o["heart_failure_payout"])) for o in evaluate(tmp_path, rows)]


def test_heart_failure_stays_and_rate_must_be_strictly_above_the_median_or_the_quartiles(tmp_path):
    got = heart_failure(tmp_path, HEART_FAILURE)
    assert got == [("true", Decimal(300)) if e else ("false", 0) for _, _, e, _ in HEART_FAILURE]


@pytest.mark.parametrize("k, changed, why", [
    (1, (700, "12.51"), "taux d'un centième de point au-dessus de la médiane (12,5 %) : séjours > médiane"),
    (2, (121, "31"), "séjours 121 > Q1 (120 reste Q1 : 120 est tenu deux fois)"),
])
def test_heart_failure_one_unit_above_the_median_or_the_first_quartile_is_eligible(tmp_path, k, changed, why):
    population = list(HEART_FAILURE)
    population[k] = (*changed, True, why)
    population[7] = (120, "9.25", False, "")
    if k == 2:
        population[6] = (120, "9.25", False, "Q1 tenu deux fois")  # keeps 120 the first quartile
    got = heart_failure(tmp_path, population)
    assert got[k] == ("true", Decimal(300)), why
    assert [e for e, _ in got].count("true") == 2                # and the one above both medians
