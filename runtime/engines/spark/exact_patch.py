"""The fallback: rows whose decision has no exact form on Spark, recomputed exactly on the driver.

Decisions, written digits and cents are taken on exact forms on the executors (forms.py).
A value has none only when its integers could reach 10³⁸ (inputs with huge magnitudes)
or it is an order statistic of values with none; then a decision within a relative 10⁻¹²
of its boundary makes its row *doubtful*, and those rows are recomputed by the
engine-neutral runtime/exact.py on the driver, from the validated establishment table and
the approximate values that order the populations (fetched only then: ``collected``
counts those rows). No shipped campaign needs it (tests/test_engines.py checks it).
"""

from __future__ import annotations

import math

import polars as pl
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from qualispec.runtime.engines import polars_shares
from qualispec.runtime.exact import ExactRows, round_half_even
from qualispec.runtime.engines.spark.translate import GROUP_ID, col
from qualispec.runtime.plan import Plan, written_scale

ROW = "__row"
DOUBT = "#doubt:"
WRITTEN = "#w:"
PATCHED = "#patched"


def patch(plan: Plan, sdf: DataFrame, inputs: pl.DataFrame | None, collected: dict) -> DataFrame:
    doubts = [c for c in sdf.columns if c.startswith(DOUBT)]
    if not doubts:
        return sdf
    any_doubt = F.coalesce(col(doubts[0]), F.lit(False))
    for c in doubts[1:]:
        any_doubt = any_doubt | F.coalesce(col(c), F.lit(False))
    sdf = sdf.localCheckpoint()  # the doubts are looked at, then the values used: computed once
    rows = [r[0] for r in sdf.where(any_doubt).select(ROW).collect()]
    sdf = sdf.drop(*doubts)
    collected["rows"] = len(rows)
    if not rows:
        return sdf
    steps = [s.column for s in plan.steps if s.column in sdf.columns]
    exact = exact_rows(plan, sdf, inputs)
    kinds = dict(sdf.dtypes)
    patched: dict[str, list] = {ROW: rows, PATCHED: [True] * len(rows)}
    for column in steps:
        values = [exact.value(i, column) for i in rows]
        integral = kinds[column] in ("bigint", "int")
        patched[column] = [None if v is None else (int(v) if integral else float(v)) if not isinstance(v, (bool, str))
                           else v for v in values]
    for column in (c for c in sdf.columns if c.startswith(WRITTEN)):
        source = column[len(WRITTEN):]
        factor, decimals = written_scale(plan.typed_ir.nodes[source].unit if source in plan.typed_ir.nodes else None)
        patched[column] = [None if (v := exact.value(i, source)) is None else round_half_even(v * factor * 10 ** decimals)
                           for i in rows]
    for allocation in plan.allocations:
        for _, c in allocation.payouts:
            cents = [(exact.value(i, c) or 0) * 100 for i in rows]
            patched[c + "#floor"] = [math.floor(x) for x in cents]
            patched[c + "#rem"] = [float(x - math.floor(x)) for x in cents]
    if GROUP_ID in sdf.columns:
        patched[GROUP_ID] = [exact.row(i).group_index() for i in rows]
    schema = {c: (pl.Boolean if c == PATCHED else _polars_type(kinds.get(c, "bigint"))) for c in patched}
    frame = pl.DataFrame(patched, schema=schema)
    renamed = {c: f"#p:{c}" for c in frame.columns if c != ROW}
    patch_frame = sdf.sparkSession.createDataFrame(frame.rename(renamed).to_arrow())
    joined = sdf.join(patch_frame, on=ROW, how="left")
    is_patched = F.coalesce(col(renamed[PATCHED]), F.lit(False))
    replaced = {c: F.when(is_patched, col(renamed[c])).otherwise(col(c)) for c in patched if c not in (ROW, PATCHED)}
    return joined.withColumns(replaced).drop(*renamed.values())


def exact_rows(plan: Plan, sdf: DataFrame, inputs: pl.DataFrame | None) -> ExactRows:
    """Exact values of any node on any row, from the establishment table (small: one row per
    establishment and field) and the approximate values that order the populations."""
    if callable(inputs):  # validated on Spark: fetched now (one row per establishment and field)
        inputs = inputs()
    if inputs is None:
        raise NotImplementedError("exact recomputation needs the validated establishment table")
    ordering = [c for c in sdf.columns if not c.startswith("#") and c != ROW]  # inputs and steps, as approximated
    approx = pl.from_arrow(sdf.select([col(c) for c in [ROW] + ([GROUP_ID] if GROUP_ID in sdf.columns else []) + ordering])
                           .orderBy(ROW).toArrow())
    return ExactRows(plan.typed_ir, plan, inputs, approx, GROUP_ID, polars_shares.group_cents(plan, inputs))


def _polars_type(spark_type: str):
    return {"bigint": pl.Int64, "int": pl.Int32, "double": pl.Float64, "boolean": pl.Boolean,
            "string": pl.String}.get(spark_type, pl.Float64)
