"""IFAQ 2024, Num.2: the group's threshold (the lower 30th percentile of the results) ranks the results by
their exact values, also when their denominators are so large that one integer key, ⌊num·10ᵏ/den⌋ with
10ᵏ > den², would leave the range the Spark engine divides exactly (10³¹): then by the integer part and the
remainder's digits, never by the binary floats, which cannot tell two such results apart.

The results are those of test_boundaries_ifaq_evolution_and_ties (333 333 340/999 999 999 held twice, the
threshold, and 253 968 259/761 904 761, a part in 10¹⁸ above, one binary float), written over ten times
more correspondents: the same fractions, denominators up to 10¹⁰ (⌊num·10²¹/den⌋ would need 34 digits).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from conftest import IFAQ_2024, compile_folder
from ifaq_rows import row, write_rows
from qualispec.runtime.data.dataset import load_dataset
from qualispec.runtime.plan import build_plan

ON = (3333333400, 9999999990)
HAIR_ABOVE = (2539682590, 7619047610)
PREVIOUS = "5.00"


@pytest.fixture(scope="module")
def ifaq2024():
    compiled, diagnostics = compile_folder(IFAQ_2024)
    assert not diagnostics.has_errors(), diagnostics.render()
    return compiled


@pytest.mark.parametrize("hair_first", [True, False], ids=["above written first", "above written last"])
def test_results_over_huge_denominators_are_ranked_exactly_on_the_threshold(ifaq2024, engine, tmp_path,
                                                                             hair_first):
    assert Fraction(*HAIR_ABOVE) > Fraction(*ON) and HAIR_ABOVE[0] / HAIR_ABOVE[1] == ON[0] / ON[1]
    group = [HAIR_ABOVE, ON, ON] if hair_first else [ON, ON, HAIR_ABOVE]
    group += [(10, 100), (11, 100), (12, 100), (40, 100), (41, 100), (42, 100), (43, 100), (60, 100)]
    rows = [row(i, "MCO", num2_numerator=n, num2_denominator=d, num2_previous=PREVIOUS)
            for i, (n, d) in enumerate(group)]
    data = load_dataset(write_rows(tmp_path / "d.csv", rows), ifaq2024.campaign)
    out = {r["finess"]: r for r in engine.evaluate(ifaq2024, data).rows.to_dicts()}
    by = {group[i]: out[r["finess"]] for i, r in enumerate(rows)}
    threshold = Fraction(str(out[rows[0]["finess"]]["num2_threshold"]))
    assert abs(threshold - 100 * Fraction(*ON)) <= Fraction(1, 2 * 10 ** 6)
    assert by[ON]["num2_score"] == 0 and by[ON]["num2_payout"] == 0     # on the threshold: nothing
    assert by[HAIR_ABOVE]["num2_score"] >= 50                           # above it: its level and its progress
    assert by[HAIR_ABOVE]["num2_payout"] > 0


def test_values_too_fine_to_be_ranked_exactly_are_refused_in_french_not_ranked_as_floats(ifaq2024, spark_session):
    from pyspark.sql import functions as F

    from qualispec.runtime.engines.spark.numbers import DoubleNumbers
    from qualispec.runtime.engines.spark.translate import NotExactOnSpark, Translator

    t = Translator(build_plan(ifaq2024), DoubleNumbers())
    fine = t.rationals.decimal(F.col("x"), 30, 10 ** 35)  # values with 30 decimals: denominators of 31 digits
    with pytest.raises(NotExactOnSpark, match="le moteur Spark ne sait pas les ranger exactement"):
        t.exact_order(fine)
    assert len(t.exact_order(t.rationals.decimal(F.col("x"), 10, 10 ** 20))) > 1  # 10 decimals: by digits


def test_keys_rank_fractions_of_ten_digit_denominators_in_their_exact_order(ifaq2024, spark_session):
    """Where one key would need 34 digits: the integer part, then the remainder's digits, rank as Fraction does
    (ties written two ways share their keys; two results of one binary float are told apart)."""
    import random

    from pyspark.sql import functions as F

    from qualispec.runtime.engines.spark.numbers import DoubleNumbers
    from qualispec.runtime.engines.spark.rational import Q
    from qualispec.runtime.engines.spark.translate import Translator

    rng = random.Random(13)
    pairs = [ON, (ON[0] // 10, ON[1] // 10), HAIR_ABOVE, (7, 3), (0, 9999999990)]
    pairs += [(rng.randrange(0, 10 ** 10), rng.randrange(1, 10 ** 10)) for _ in range(40)]
    pairs += [(n + 1, d) for n, d in pairs[5:15]]  # neighbours one part in 10¹⁰ apart
    t = Translator(build_plan(ifaq2024), DoubleNumbers())
    keys = t.exact_order(Q(F.col("n").cast("bigint"), F.col("d").cast("bigint"), 10 ** 10, 10 ** 10))
    assert keys is not None and len(keys) > 1
    frame = spark_session.createDataFrame([(i, n, d) for i, (n, d) in enumerate(pairs)], "i int, n long, d long")
    for name, column in t.pre:
        frame = frame.withColumn(name, column)
    ranked = [r["i"] for r in frame.orderBy(*keys, "i").select("i").collect()]
    assert ranked == sorted(range(len(pairs)), key=lambda i: (Fraction(*pairs[i]), i))
    same = frame.where(F.col("i").isin(0, 1)).select(*[k.alias(f"k{j}") for j, k in enumerate(keys)]).collect()
    assert same[0] == same[1]  # 333 333 340/999 999 999 written two ways: one value, one key
