"""The output contract (runtime/evaluate.py) computed on Spark, and the per-group summary.

Same columns, units and statuses as the embedded engine: percentages 0–100, money in
euros from whole cents, ``total_payout``. The summary (a line per group) is small and
comes back to the driver; the rows stay a Spark DataFrame.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from qualispec.compiler.pipeline import Compiled
from qualispec.runtime.engines.spark.execute import ROW
from qualispec.runtime.engines.spark.translate import col
from qualispec.runtime.group_share import share_paid
from qualispec.runtime.plan import Plan, written_scale
from qualispec.runtime.engines.spark.exact_patch import WRITTEN

from qualispec.runtime.engines.statuses import (STATUS, STATUS_COMPUTED, STATUS_DECLARED, STATUS_MISSING,  # noqa: F401
                                                 STATUS_NOT_COMPUTABLE, STATUS_OUT_OF_SCOPE)


def output_rows(plan: Plan, compiled: Compiled, values: DataFrame, numbers) -> DataFrame:
    """One row per establishment (and field), with ``__row`` kept to give back the dataset's order."""
    campaign = compiled.campaign
    exprs: list[Column] = [col(ROW)]
    cents = []
    for out in plan.outputs:
        if out.part == "payout":
            cents_column = out.source + "#cents"
            if cents_column in values.columns:
                cell = F.coalesce(col(cents_column), F.lit(0))
            else:
                cell = F.lit(0).cast("long")
            cents.append(cell)
            expr = numbers.decimal_of(cell, 2)
        elif WRITTEN + out.source in values.columns:
            expr = numbers.decimal_of(col(WRITTEN + out.source), written_scale(out.unit)[1])
        else:
            expr = col(out.source)
        exprs.append(expr.alias(out.name))
        if out.part == "result":
            exprs.append(_status(campaign, out).alias(f"{out.indicator.lower()}_status"))
    if cents:
        total = cents[0]
        for c in cents[1:]:
            total = total + c
        exprs.append(numbers.decimal_of(total, 2).alias("total_payout"))
    return values.select(exprs)


def _status(campaign, out) -> Column:
    ind = campaign.indicators[out.indicator]
    den = ind.part("denominator")
    cases = [(col(ind.status) == value, words) for value, words in STATUS_DECLARED.items()] if ind.status else []
    cases.append((col(out.source).isNotNull(), STATUS_COMPUTED))
    if den:
        cases.append((col(den) == 0, STATUS_NOT_COMPUTABLE))
    status = None
    for condition, words in cases:
        status = (F.when(condition, F.lit(words)) if status is None else status.when(condition, F.lit(words)))
    status = status.otherwise(F.lit(STATUS_MISSING))
    if ind.fields and campaign.field_decls:
        status = F.when(col("field").isin(list(ind.fields)), status).otherwise(F.lit(STATUS_OUT_OF_SCOPE))
    return status


def group_summary(plan: Plan, values: DataFrame, rows: DataFrame) -> pl.DataFrame:
    """Per group: establishments, what its envelopes hold, what was paid from them, the share paid.

    Spark adds up whole cents per group; the few lines come back to the driver as exact decimals.
    """
    name_of = {out.source: out.name for out in plan.outputs}

    def cents_of(allocations) -> Column:
        cells = [col(name_of[payout]) * 100 for a in allocations for _, payout in a.payouts]
        total = cells[0]
        for c in cells[1:]:
            total = total + c
        return F.sum(total.cast("long"))

    if not plan.groups or "group" not in rows.columns:
        paid = rows.agg(F.sum((col("total_payout") * 100).cast("long"))).first()[0] if "total_payout" in rows.columns else 0
        return pl.DataFrame({"group": ["(ensemble)"], "establishments": [rows.count()],
                             "paid": [Decimal(paid or 0).scaleb(-2)]})
    by_group = [a for a in plan.allocations if a.group_amount]
    national = [a for a in plan.allocations if not a.group_amount]
    table = rows
    aggs = [F.count(F.lit(1)).alias("establishments")]
    if by_group:
        envelope = None
        for a in by_group:
            cents = F.rint(F.coalesce(col(a.group_amount), F.lit(0.0)) * 100).cast("long")
            envelope = cents if envelope is None else envelope + cents
        table = rows.join(values.select(ROW, envelope.alias("__envelope")), on=ROW)
        aggs += [F.first("__envelope").alias("envelope"), cents_of(by_group).alias("paid")]
    elif "total_payout" in rows.columns:
        aggs.append(F.sum((col("total_payout") * 100).cast("long")).alias("paid"))
    aggs += [cents_of([a]).alias(f"paid_{a.envelope or 'own'}") for a in national if by_group]
    summary = pl.from_arrow(table.groupBy("group", "field").agg(*aggs).toArrow())  # a line per group
    money = [c for c in summary.columns if c not in ("group", "field", "establishments")]
    summary = summary.with_columns(pl.col("establishments").cast(pl.UInt32),
                                   *[(pl.col(c).cast(pl.Decimal(38, 2)) / 100).cast(pl.Decimal(38, 2)) for c in money])
    if by_group:
        summary = summary.with_columns(share_paid())
    order = {case.label: i for i, case in enumerate(plan.groups)}
    return summary.sort(pl.col("group").replace_strict(order, default=len(order)))
