"""Whole cents for the payouts on Spark, by largest remainder, decided exactly.

Within a partition (a group when the envelope has a group amount, else everyone), each
(establishment, indicator) cell gets the floor of its amount in cents; the leftover — the
partition's total rounded half to even, minus the floors — goes one cent each to the cells
with the largest remainders, ties by FINESS, field, then the indicators' order in the spec
(runtime/plan.py). Spark ranks in floating point; where that could be wrong, the few
cells concerned are settled exactly on the driver by runtime/exact.py:

- a partition total within error of a half cent: its leftover is recomputed exactly;
- remainders within error of the partition's cut-off (the last cell paid a cent), when
  some of them fall on each side of it: those cells are ranked by their exact remainders.

(Cent floors near an integer were already made exact with the other doubtful rows,
exact_patch.py.) Then a partition paid more than its amount is refused: OverEnvelope.
"""

from __future__ import annotations

import math

import polars as pl
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from qualispec.runtime.engines import OverEnvelope
from qualispec.runtime.engines.spark.exact_patch import exact_rows
from qualispec.runtime.engines.spark.translate import GROUP_ID, TOL, col
from qualispec.runtime.exact import round_half_even
from qualispec.runtime.plan import Plan

ROW = "__row"
CENT_ERR = 1e-6  # what floating point may have lost on a cell's cents, beyond TOL relative


def allocate(plan: Plan, sdf: DataFrame, numbers, inputs: pl.DataFrame | None) -> DataFrame:
    """``<payout>#cents`` columns (whole cents) adding up to what each partition distributes."""
    exact = _Lazy(plan, sdf, inputs)
    for allocation in plan.allocations:
        columns = [c for _, c in allocation.payouts]
        if not allocation.envelope:  # payouts of their own (profit-sharing): each rounded to the cent
            sdf = sdf.withColumns({c + "#cents": col(c + "#floor") + (col(c + "#rem") > 0.5).cast("long")
                                   + ((col(c + "#rem") == 0.5) & (col(c + "#floor") % 2 == 1)).cast("long")
                                   for c in columns})
            continue
        by_group = allocation.group_amount is not None and bool(plan.groups)
        sdf = _largest_remainder(sdf, columns, GROUP_ID if by_group else None, numbers, plan.has_fields, exact)
    checked = [a for a in plan.allocations if a.envelope and a.group_amount is not None]
    if checked:  # the cents are looked at here, then written: computed once
        sdf = sdf.localCheckpoint()
    for allocation in checked:
        _check_envelope(sdf, allocation, GROUP_ID if plan.groups else None)
    return sdf


class _Lazy:
    """runtime/exact.py's rows, fetched from Spark only if some cell needs them."""

    def __init__(self, plan, sdf, inputs):
        self.plan, self.sdf, self.inputs, self._rows = plan, sdf, inputs, None

    def cents(self, row: int, column: str):
        if self._rows is None:
            self._rows = exact_rows(self.plan, self.sdf, self.inputs)
        value = self._rows.value(row, column)
        return 0 if value is None else value * 100


def _largest_remainder(sdf: DataFrame, columns: list[str], partition: str | None, numbers, has_fields,
                       exact: _Lazy) -> DataFrame:
    """The ranking is one window over the cells with a remainder, sorted by remainder then names."""
    sdf = sdf.withColumn("#part", col(partition) if partition else F.lit(0))
    sdf = sdf.withColumn("#leftover", _leftover(sdf, columns, numbers, exact))
    field = col("field") if has_fields else F.lit("")
    cells = sdf.select(
        ROW, "#part", "finess", field.alias("#field"), "#leftover",
        F.explode(F.array(*[F.struct(F.lit(i).alias("cell"), col(c + "#rem").alias("rem"),
                                     F.abs(col(c + "#floor") + col(c + "#rem")).alias("size"))
                            for i, c in enumerate(columns)])).alias("#cell"),
    ).select(ROW, "#part", "finess", "#field", "#leftover", "#cell.cell", "#cell.rem", "#cell.size").where(col("rem") > 0)
    by_part = Window.partitionBy("#part")
    cells = cells.withColumn("#rank", F.row_number().over(by_part.orderBy(col("rem").desc(), "finess", "#field", "cell")))
    cutoff = F.max(F.when(col("#rank") == col("#leftover"), col("rem"))).over(by_part)
    near = F.abs(col("rem") - cutoff) <= (col("size") + F.abs(cutoff)) * TOL + 2 * CENT_ERR
    cells = cells.withColumn("#near", F.coalesce(near, F.lit(False)))
    straddles = F.max((col("#near") & (col("#rank") > col("#leftover"))).cast("int")).over(by_part) == 1
    cells = cells.withColumn("#exact", col("#near") & straddles).localCheckpoint()
    won = col("#rank") <= col("#leftover")
    settled = _settled(cells, columns, exact)
    if settled is not None:
        cells = cells.join(settled, on=[ROW, "cell"], how="left")
        won = F.when(col("#exact"), F.coalesce(col("#won"), F.lit(False))).otherwise(won)
    winners = (cells.where(won).groupBy(ROW)
               .agg(*[F.max((col("cell") == i).cast("long")).alias(f"#won{i}") for i in range(len(columns))]))
    sdf = sdf.join(winners, on=ROW, how="left")
    cents = {c + "#cents": col(c + "#floor") + F.coalesce(col(f"#won{i}"), F.lit(0)) for i, c in enumerate(columns)}
    drop = [c + s for c in columns for s in ("#floor", "#rem")] + ["#part", "#leftover"] + \
           [f"#won{i}" for i in range(len(columns))]
    return sdf.withColumns(cents).drop(*drop)


def _leftover(sdf: DataFrame, columns: list[str], numbers, exact: _Lazy):
    """Per partition: its total in cents rounded half to even, minus the floors (exact near a half cent)."""
    total = None
    for c in columns:
        total = col(c + "#rem") if total is None else total + col(c + "#rem")
    by_part = Window.partitionBy("#part")
    rems = F.sum(total).over(by_part)
    count = F.count(F.lit(1)).over(by_part) * len(columns)
    leftover = numbers.round_even(rems, 0).cast("long")
    doubtful = F.abs(rems - F.floor(rems) - 0.5) <= count * 2 * CENT_ERR
    parts = sdf.select("#part", F.coalesce(doubtful, F.lit(False)).alias("#doubt")).where("`#doubt`") \
        .select("#part").distinct().collect()
    if not parts:
        return leftover
    fixed = {}
    for (part,) in parts:  # a whole partition, exactly: rare (a total within a millionth of a half cent)
        members = [r[0] for r in sdf.where(col("#part").eqNullSafe(F.lit(part))).select(ROW).collect()]
        exact_total = sum(exact.cents(r, c) for r in members for c in columns)
        floors = sum(math.floor(exact.cents(r, c)) for r in members for c in columns)
        fixed[part] = round_half_even(exact_total) - floors
    cases = None
    for part, value in fixed.items():
        test = col("#part").eqNullSafe(F.lit(part))
        cases = F.when(test, F.lit(value)) if cases is None else cases.when(test, F.lit(value))
    return cases.otherwise(leftover).cast("long")


def _settled(cells: DataFrame, columns: list[str], exact: _Lazy) -> DataFrame | None:
    """The near-cut-off cells of a partition, ranked by their exact remainders: which of them win a cent."""
    near = cells.where(col("#exact")).select(ROW, "#part", "finess", "#field", "cell", "#rank", "#leftover").collect()
    if not near:
        return None
    by_part: dict = {}
    for r in near:
        by_part.setdefault(r["#part"], []).append(r)
    won = []
    for rows in by_part.values():
        sure = min(r["#rank"] for r in rows) - 1  # the cells ranked before the near ones are paid a cent anyway
        wanted = rows[0]["#leftover"] - sure
        ranked = sorted(rows, key=lambda r: (-_remainder(exact.cents(r[ROW], columns[r["cell"]])),
                                             r["finess"], r["#field"], r["cell"]))
        won += [(r[ROW], r["cell"], i < wanted) for i, r in enumerate(ranked)]
    schema = f"`{ROW}` long, cell int, `#won` boolean"
    return cells.sparkSession.createDataFrame(won, schema)


def _remainder(cents) -> object:
    return cents - math.floor(cents)


def _check_envelope(sdf: DataFrame, allocation, partition: str | None) -> None:
    """Refuse results that pay a partition (a group, or everyone) more than its amount: OverEnvelope.

    The amount is in whole cents already (the plan rounds envelope amounts to the cent),
    so its floating-point value times 100 is within far less than half a cent of it.
    """
    paid = None
    for _, c in allocation.payouts:
        paid = col(c + "#cents") if paid is None else paid + col(c + "#cents")
    key = col(partition) if partition else F.lit(None).cast("int")
    over = (sdf.groupBy(key.alias("#part"))
            .agg(F.sum(paid).alias("paid"), F.max(F.rint(col(allocation.group_amount) * 100)).cast("long").alias("amount"))
            .where(col("paid") > col("amount")).orderBy("#part").limit(1).collect())
    if over:
        raise OverEnvelope.of(allocation.envelope, over[0]["paid"], over[0]["amount"], over[0]["#part"])
