"""Whole cents for the payouts on Spark, by largest remainder, decided exactly.

Within a partition (a group when the envelope has a group amount, else everyone), each
(establishment, indicator) cell gets the floor of its amount in cents; the leftover — the
partition's total rounded half to even, minus the floors — goes one cent each to the cells
with the largest remainders, ties by FINESS, field, then the indicators' order in the spec
(runtime/plan.py). Cent floors and remainders are in floating point, and from the payout's
exact form on the rows where they are within error of a whole or half cent (execute.py: only
those rows compute its wide integers). Spark ranks the remainders in floating point, and where
that could be wrong the few cells concerned are settled exactly on the driver, their exact
forms computed for them alone (two integers a cell; runtime/exact.py only for a payout with
no exact form):

- a partition total within 2·10⁻⁶ cent per cell of a half cent: its leftover is recomputed
  exactly (the partition's cells are fetched: rare, and at most one partition's size);
- remainders within error of the partition's cut-off (the last cell paid a cent), when
  some of them fall on each side of it: only those cells are fetched and ranked exactly.

``collected`` counts what came to the driver. Then a partition paid more than its amount
is refused: OverEnvelope.
"""

from __future__ import annotations

import math
from fractions import Fraction

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
SUM_TOL = 1e-13  # relative error of a cell's cents: a few dozen roundings, population sums exact (translate.py)


def allocate(plan: Plan, sdf: DataFrame, numbers, inputs: pl.DataFrame | None, collected: dict,
             forms: dict | None = None) -> DataFrame:
    """``<payout>#cents`` columns (whole cents) adding up to what each partition distributes.

    ``forms``: the payouts' exact forms (rational.Q, by column), read from sdf's columns; a cell's
    exact amount is computed from them only for the cells fetched."""
    forms = forms or {}
    exact = _Lazy(plan, sdf, inputs, collected)
    for allocation in plan.allocations:
        columns = [c for _, c in allocation.payouts]
        if not allocation.envelope:  # payouts of their own (profit-sharing): each rounded to the cent
            sdf = sdf.withColumns({c + "#cents": col(c + "#floor") + (col(c + "#rem") > 0.5).cast("long")
                                   + ((col(c + "#rem") == 0.5) & (col(c + "#floor") % 2 == 1)).cast("long")
                                   for c in columns})
            continue
        by_group = allocation.group_amount is not None and bool(plan.groups)
        held = {c: forms[c] for c in columns if c in forms} if all(c in forms for c in columns) else None
        sdf = _largest_remainder(sdf, columns, GROUP_ID if by_group else None, numbers, plan.has_fields, exact, held)
    checked = [a for a in plan.allocations if a.envelope and a.group_amount is not None]
    if checked:  # the cents are looked at here, then written: computed once
        sdf = sdf.localCheckpoint()
    for allocation in checked:
        _check_envelope(sdf, allocation, GROUP_ID if plan.groups else None)
    return sdf


class _Lazy:
    """runtime/exact.py's rows, fetched from Spark only if some cell needs them."""

    def __init__(self, plan, sdf, inputs, collected: dict):
        self.plan, self.sdf, self.inputs, self._rows, self.collected = plan, sdf, inputs, None, collected

    def cents(self, row: int, column: str):
        if self._rows is None:
            self._rows = exact_rows(self.plan, self.sdf, self.inputs)
            self.collected["table"] = True
        value = self._rows.value(row, column)
        return 0 if value is None else value * 100


def _largest_remainder(sdf: DataFrame, columns: list[str], partition: str | None, numbers, has_fields,
                       exact: _Lazy, forms: dict | None) -> DataFrame:
    """The ranking is one window over the cells with a remainder, sorted by remainder then names: one partition
    per group with an amount of its own, and a single one (one core) when everyone shares the envelope. Its
    rows are the payout cells of the establishment table (records are grouped by establishment before), never
    records.

    Cells carry floating-point remainders only: a cell's exact amount (num/den, from ``forms``)
    is computed for the few cells fetched, never for the table."""
    sdf = sdf.withColumn("#part", col(partition) if partition else F.lit(0))
    sdf = sdf.withColumn("#leftover", _leftover(sdf, columns, numbers, exact, forms))
    field = col("field") if has_fields else F.lit("")
    cells = sdf.select(
        ROW, "#part", "finess", field.alias("#field"), "#leftover",
        F.explode(F.array(*[F.struct(F.lit(i).alias("cell"), col(c + "#rem").alias("rem"),
                                     F.abs(col(c + "#floor") + col(c + "#rem")).alias("size"))
                            for i, c in enumerate(columns)])).alias("#cell"),
    ).select(ROW, "#part", "finess", "#field", "#leftover", "#cell.*").where(col("rem") > 0)
    by_part = Window.partitionBy("#part")
    cells = cells.withColumn("#rank", F.row_number().over(by_part.orderBy(col("rem").desc(), "finess", "#field", "cell")))
    cutoff = F.max(F.when(col("#rank") == col("#leftover"), col("rem"))).over(by_part)
    near = F.abs(col("rem") - cutoff) <= (col("size") + F.abs(cutoff)) * TOL + 2 * CENT_ERR
    cells = cells.withColumn("#near", F.coalesce(near, F.lit(False)))
    straddles = F.max((col("#near") & (col("#rank") > col("#leftover"))).cast("int")).over(by_part) == 1
    cells = cells.withColumn("#exact", col("#near") & straddles).localCheckpoint()
    won = col("#rank") <= col("#leftover")
    settled = _settled(sdf, cells, columns, exact, forms)
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


def _cents(num, den) -> Fraction:
    """A cell's exact cents from its exact amount (num/den euros, as Spark wrote them)."""
    return Fraction(int(num), int(den)) * 100 if num is not None else Fraction(0)


def _exact_amounts(sdf: DataFrame, forms: dict, columns: list[str], where) -> list[tuple]:
    """(row, [cents of each column]) of the rows ``where`` selects, from the payouts' exact forms.

    Selected first, then filtered: a population aggregate the forms may hold is still taken over
    every row (Spark keeps such a filter above the window), and the wide integers are computed only
    for the rows kept otherwise. Integers come as digits, read by int()."""
    parts = [x for c in columns for x in (forms[c].num.cast("string"), forms[c].den.cast("string"))]
    picked = sdf.select(col(ROW), col("#part"), *parts).where(where).collect()
    return [(r[0], [_cents(r[2 + 2 * i], r[3 + 2 * i]) for i in range(len(columns))]) for r in picked]


def _leftover(sdf: DataFrame, columns: list[str], numbers, exact: _Lazy, forms: bool):
    """Per partition: its total in cents rounded half to even, minus the floors (exact near a half cent)."""
    total = None
    for c in columns:
        total = col(c + "#rem") if total is None else total + col(c + "#rem")
    by_part = Window.partitionBy("#part")
    rems = F.sum(total).over(by_part)
    count = F.count(F.lit(1)).over(by_part) * len(columns)
    size = None
    for c in columns:
        cell = F.abs(col(c + "#floor") + col(c + "#rem"))
        size = cell if size is None else size + cell
    leftover = numbers.round_even(rems, 0).cast("long")
    # what the cells' floating point may have lost (relative, each a few roundings from exact sums), and the
    # adding up of the remainders themselves: a partition this close to a half cent is settled exactly
    error = F.sum(size).over(by_part) * SUM_TOL + count * count * 2.3e-16 + CENT_ERR
    doubtful = F.abs(rems - F.floor(rems) - 0.5) <= error
    parts = sdf.select("#part", F.coalesce(doubtful, F.lit(False)).alias("#doubt")).where("`#doubt`") \
        .select("#part").distinct().collect()
    if not parts:
        return leftover
    fixed = {}
    for (part,) in parts:  # a whole partition, exactly: rare (a total within a millionth of a half cent)
        if forms:
            amounts = [a for _, row in _exact_amounts(sdf, forms, columns, col("#part").eqNullSafe(F.lit(part)))
                       for a in row]
        else:
            members = sdf.where(col("#part").eqNullSafe(F.lit(part))).select(ROW).collect()
            amounts = [exact.cents(r[0], c) for r in members for c in columns]
        exact.collected["cells"] = exact.collected.get("cells", 0) + len(amounts)
        fixed[part] = round_half_even(sum(amounts)) - sum(math.floor(a) for a in amounts)
    cases = None
    for part, value in fixed.items():
        test = col("#part").eqNullSafe(F.lit(part))
        cases = F.when(test, F.lit(value)) if cases is None else cases.when(test, F.lit(value))
    return cases.otherwise(leftover).cast("long")


def _settled(sdf: DataFrame, cells: DataFrame, columns: list[str], exact: _Lazy, forms: dict | None) -> DataFrame | None:
    """The near-cut-off cells of a partition, ranked by their exact remainders: which of them win a cent."""
    wanted_columns = [col(c) for c in (ROW, "#part", "finess", "#field", "cell", "#rank", "#leftover")]
    near = cells.where(col("#exact")).select(*wanted_columns).collect()
    if not near:
        return None
    exact.collected["cells"] = exact.collected.get("cells", 0) + len(near)
    amounts = dict(_exact_amounts(sdf, forms, columns, col(ROW).isin(sorted({r[ROW] for r in near})))) \
        if forms else {}
    by_part: dict = {}
    for r in near:
        by_part.setdefault(r["#part"], []).append(r)
    won = []
    for rows in by_part.values():
        sure = min(r["#rank"] for r in rows) - 1  # the cells ranked before the near ones are paid a cent anyway
        wanted = rows[0]["#leftover"] - sure
        def cents(r):
            return amounts[r[ROW]][r["cell"]] if forms else exact.cents(r[ROW], columns[r["cell"]])

        ranked = sorted(rows, key=lambda r: (-_remainder(cents(r)), r["finess"], r["#field"], r["cell"]))
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
