"""IFAQ 2022, exactly on the targets, the starting threshold and the expected ratio, through `qualispec eval`
on a CSV written in exact decimals (webinaire IQSS / IFAQ 2022, « Modalités de valorisation des
indicateurs »):

- « Un ES dont le résultat à l'indicateur est supérieur à la valeur cible de rémunération est rémunéré à
  100% sur cet indicateur, sans prise en compte de son évolution »: strict (target_reached_at_equality:
  non). Exactly on the target, the level is 100 % and the evolution counts for its 50 %.
- « Valeur seuil de début de rémunération », « 70 % des établissements »: the lower 30th percentile of the
  group, x(⌊30 % × (n − 1)⌋); a result at most equal to it is paid nothing (evolution_below_threshold_paid:
  non); between threshold and target, « proportionnel à l'écart à la cible ».
- Digital indicators: « DMP : 20% des séjours », « MSS : 50% des correspondants équipés »: the result
  numerator / denominator, exact.
- ÉTÉ/ISO ortho: « rémunérés selon un résultat attendu (ratio normalisé) »: a ratio at most the expected 1
  is paid as expected (the spec's reading).

Five MCO-5 establishments (fewer than 500 stays) make a group; their economic volumes are equal.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction

import pytest

from conftest import ROOT, evaluated

IFAQ_2022 = ROOT / "specs" / "ifaq" / "2022"


def template() -> dict:
    with open(ROOT / "examples" / "ifaq2022.csv", encoding="utf-8", newline="") as f:
        return next(r for r in csv.DictReader(f) if r["field"] == "MCO" and r["stays"] == "499")


def evaluate(tmp_path, rows: list[dict]) -> list[dict]:
    data, out = tmp_path / "data.csv", tmp_path / "out.csv"
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with open(data, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for i, r in enumerate(rows):
            writer.writerow({**r, "finess": f"{590000101 + i:09d}"})
    return evaluated(IFAQ_2022, data, out)


def group(tmp_path, column: str, results: list[str], **others) -> list[dict]:
    rows = [{**template(), "economic_volume": "1000000", column: r, **{k: v[i] for k, v in others.items()}}
            for i, r in enumerate(results)]
    out = evaluate(tmp_path, rows)
    assert {o["group"] for o in out} == {"MCO-5"}
    return out


def close(written: str, exact: Fraction) -> bool:
    return abs(Fraction(written) - exact) <= Fraction(1, 2 * 10 ** 6)


# QLS, target 80 %: threshold x(⌊0,3 × 4⌋) = x(1) = 50 %; every establishment fell from 90 %.
QLS = ["40", "50", "60", "80", "80.01"]


@pytest.fixture(scope="module")
def qls(tmp_path_factory):
    return group(tmp_path_factory.mktemp("qls"), "qls_score", QLS, qls_previous=["90"] * 5)


def test_the_threshold_is_the_lower_30th_percentile_and_on_it_nothing_is_paid(qls):
    assert {Decimal(o["qls_threshold"]) for o in qls} == {50}
    assert Decimal(qls[0]["qls_score"]) == 0 and Decimal(qls[1]["qls_score"]) == 0  # under and on the threshold
    assert Decimal(qls[1]["qls_payout"]) == 0


def test_between_threshold_and_target_the_level_is_proportional(qls):
    assert close(qls[2]["qls_level"], Fraction(100, 3))            # (60 − 50) / (80 − 50)
    assert close(qls[2]["qls_score"], Fraction(100, 6))            # 50 % level, 50 % × evolution 0 %


def test_exactly_on_the_target_is_not_above_it_one_hundredth_more_is(qls):
    on, above = qls[3], qls[4]
    assert Decimal(on["qls_level"]) == 100 and Decimal(on["qls_evolution"]) == 0
    assert Decimal(on["qls_score"]) == 50                          # not « supérieur à la valeur cible »
    assert Decimal(above["qls_score"]) == 100                      # above it: 100 %, whatever its evolution


# The digital pair has no previous value in 2022 (« Première campagne de l'indicateur dans IFAQ »): it is paid on
# its level alone, which reaches 100 % exactly on the target and not a stay or a correspondent below it.
DIGITAL = [  # indicator, numerator, denominator, the level (100 % or below)
    ("d2_2", "1", "5", True), ("d2_2", "200000", "1000000", True), ("d2_2", "199999", "1000000", False),
    ("d2_2", "200001", "1000000", True),
    ("d6_3", "1", "2", True), ("d6_3", "129", "258", True), ("d6_3", "128", "258", False),
    ("d6_3", "4999999", "10000000", False),
]


@pytest.mark.parametrize("indicator, numerator, denominator, reached", DIGITAL)
def test_the_digital_targets_dmp_20_and_mss_50_percent_are_reached_exactly_on_them(tmp_path, indicator, numerator,
                                                                                  denominator, reached):
    low = [("10", "100"), ("11", "100"), ("12", "100"), ("13", "100")]
    nums, dens = zip(*low, (numerator, denominator))
    out = group(tmp_path, f"{indicator}_numerator", list(nums), **{f"{indicator}_denominator": list(dens)})
    assert Decimal(out[4][f"{indicator}_target"]) == {"d2_2": 20, "d6_3": 50}[indicator]
    assert (Decimal(out[4][f"{indicator}_score"]) == 100) is reached
    assert (Decimal(out[4][f"{indicator}_level"]) == 100) is reached
    assert Decimal(out[4][f"{indicator}_score"]) > 50   # well above the group's threshold (11 %)


@pytest.mark.parametrize("ratio, score", [("1", 100), ("1.000000", 100), ("1.000001", 0), ("0.999999", 100)])
def test_an_ortho_ratio_exactly_as_expected_is_paid_as_expected(tmp_path, ratio, score):
    out = group(tmp_path, "iso_ortho_ratio", [ratio] * 5)
    assert Decimal(out[0]["iso_ortho_score"]) == score
