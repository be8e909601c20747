"""Payouts on Spark: cents in floating point, exact where a cent is in doubt, and the table never on the driver.

Spark computes each payout's cents in binary floating point; where they are within error of a
whole or half cent (a payout of exactly 10 cents is 9,999999999999998 in floating point), that
row's cents come from the payout's exact form, on the executors. Remainders too close to the
cut-off of the largest remainders to be ranked in floating point (a tie) are ranked exactly
on the driver: those cells only, never the establishment table. Every cent is the embedded
engine's.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

import qualispec
from conftest import write_campaign
from test_engines import assert_same_cells
from test_exact_numbers import HALF, HEADER

# HALF's envelope (a group amount shared by volume, half to each indicator) with a second indicator
SPEC = HEADER + HALF + \
    'indicator b { label: "B" unit: percent numerator: done denominator: due score: result weight: 50% ' \
    'envelope: pot source: doc "§4" }\n'

FILLER = 36  # rows that share the envelope and are never in doubt: none of them may come to the driver
# their volumes: 2,01 € to 2,36 €, the last one 2,70 €, so that every volume adds up to 108 €
FILLER_VOLUMES = [f"2.{k:02d}" for k in range(1, FILLER)] + ["2.70"]


def table(volumes: list[str], done: list[int], filler_done: int) -> pl.DataFrame:
    """Three rows first (volumes adding up to 29 €, their results 100 %), then the FILLER rows (of 3 due)."""
    n = len(volumes) + FILLER
    return pl.DataFrame({"finess": [f"{i:09d}" for i in range(1, n + 1)],
                         "volume": [float(v) for v in volumes + FILLER_VOLUMES],
                         "done": done + [filler_done] * FILLER, "due": done + [3] * FILLER})


def on_both_engines(tmp_path, spark, monkeypatch, total: str, data: pl.DataFrame):
    """The Spark result (with what came to the driver while it was computed) and the embedded one."""
    import qualispec.runtime.engines.spark as spark_engine
    from qualispec.runtime.engines.spark import money

    campaign = qualispec.load(write_campaign(tmp_path / "c", {"c.spec": SPEC.replace("TOTAL", total)}))
    frame = spark.createDataFrame(data.to_arrow())
    fetched: list[int] = []
    kind = type(frame)  # Spark's own DataFrame class (the classic or the Connect one)
    collect = kind.collect

    def counted(self):
        rows = collect(self)
        fetched.append(len(rows))
        return rows

    def table_fetched(*_):
        raise AssertionError("the establishment table came to the driver")
    monkeypatch.setattr(kind, "collect", counted)
    monkeypatch.setattr(kind, "toArrow", table_fetched)
    monkeypatch.setattr(kind, "toPandas", table_fetched)
    monkeypatch.setattr(spark_engine, "to_polars", table_fetched)
    monkeypatch.setattr(money, "exact_rows", table_fetched)
    on_spark = campaign.evaluate(frame, engine="spark")
    monkeypatch.undo()  # the results themselves are brought here to be compared
    return on_spark, fetched, campaign.evaluate(data)


def test_whole_cents_that_floating_point_puts_just_below_are_paid_exactly_without_the_table(
        tmp_path, spark_session, monkeypatch):
    # 2,16 € shared by volume (of 108 €), half to each indicator: 10, 10 and 9 centimes to the first
    # three rows' indicators, exact whole cents; the others 2/3 of their 1,34 to 1,67 centimes
    data = table(["10", "10", "9"], [1, 1, 1], filler_done=2)
    on_spark, fetched, embedded = on_both_engines(tmp_path, spark_session, monkeypatch, "2.16 €", data)
    assert_same_cells(embedded.rows, on_spark.rows)
    assert on_spark.rows["a_payout"].to_list()[:3] == [Decimal("0.10"), Decimal("0.10"), Decimal("0.09")]
    assert max(fetched) <= 3  # a row per group, per aggregate, or a few cells: never the table's 39 rows
    assert on_spark._evaluation.collected["rows"] == 0


@pytest.mark.parametrize("total, first_three", [
    ("27.34 €", [Decimal("0.17"), Decimal("0.17"), Decimal("0.16")]),  # 16,67 c. a cell, 4 c. left over
    ("2.46 €", [Decimal("0.02"), Decimal("0.02"), Decimal("0.01")]),  # 1,5 c. a cell: a tie on the half cent
])
def test_a_tie_at_the_cut_off_is_ranked_exactly_by_finess_from_those_cells_only(
        tmp_path, spark_session, monkeypatch, total, first_three):
    # three rows alike (1 € of volume of 82 €), alone paid (the others have nothing done): the leftover
    # cents go to the six tied cells in FINESS order then indicator, decided on their exact amounts
    data = table(["1", "1", "1"], [1, 1, 1], filler_done=0)
    on_spark, fetched, embedded = on_both_engines(tmp_path, spark_session, monkeypatch, total, data)
    assert_same_cells(embedded.rows, on_spark.rows)
    assert on_spark.rows["a_payout"].to_list()[:3] == first_three
    assert 0 < on_spark._evaluation.collected["cells"] <= 6  # the tied cells, exactly, on the driver
    assert max(fetched) <= 6 and on_spark._evaluation.collected["rows"] == 0
