"""IFAQ 2024, Num.1 (alimentation du DMP) exactly on its target, through `qualispec eval` on a CSV of whole
numerators and denominators (guide IFAQ 2024, « Focus sur les indicateurs numériques »): « Cible : 50 % »,
and « Le mécanisme de progression n'est pas pris en compte, tout comme en 2023 »: the level alone counts
(level_weight_evolution_not_counted, 100 %), so a result exactly on 50 % is paid 100 % even after a fall,
and a stay below it is not.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from conftest import IFAQ_2024, run_cli
from ifaq_rows import row, write_rows


@pytest.mark.parametrize("numerator, denominator, full", [
    (50, 100, True), (1, 2, True), (500000, 1000000, True), (499999, 1000000, False), (500001, 1000000, True),
    (4999, 10000, False),
])
def test_num1_is_paid_in_full_exactly_on_50_percent_whatever_its_evolution(tmp_path, numerator, denominator, full):
    rows = [row(i, "MCO", num1_numerator=10 + i, num1_denominator=100) for i in range(4)]
    rows.append(row(4, "MCO", num1_numerator=numerator, num1_denominator=denominator, num1_previous="90"))
    data, out = write_rows(tmp_path / "d.csv", rows), tmp_path / "out.csv"
    code, stdout, stderr = run_cli("eval", IFAQ_2024, "--data", data, "--out", out, "-q")
    assert code == 0, stdout + stderr
    with open(out, encoding="utf-8", newline="") as f:
        tested = [r for r in csv.DictReader(f) if r["finess"] == rows[4]["finess"]][0]
    assert Decimal(tested["num1_target"]) == 50
    assert (Decimal(tested["num1_score"]) == 100) is full
    assert Decimal(tested["num1_score"]) > 90          # far above the group's threshold, whatever the fall
