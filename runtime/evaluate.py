"""Evaluate a compiled campaign over a validated dataset.

``evaluate`` returns the result table (the stable output contract: ``finess``,
``field``, ``group``, then ``<indicator>_<part>`` columns and ``total_payout``) and a
per-group summary. Percentages come out as numbers from 0 to 100, money in euros
with two decimals, computed from whole cents.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from qualispec.compiler.pipeline import Compiled
from qualispec.runtime import engine_polars
from qualispec.runtime.plan import Plan, build_plan

STATUS_COMPUTED = "calculé"
STATUS_NOT_COMPUTABLE = "non calculable (dénominateur nul)"
STATUS_MISSING = "non calculable (donnée manquante)"
STATUS_OUT_OF_SCOPE = "hors champ"


@dataclass(frozen=True)
class Evaluation:
    plan: Plan
    rows: pl.DataFrame  # the output contract, one row per establishment (and field)
    groups: pl.DataFrame  # group, field, establishments, envelope, paid, share_paid
    values: pl.DataFrame  # every node's column, as computed (engine units), for explanations


def evaluate(compiled: Compiled, frame: pl.DataFrame) -> Evaluation:
    plan = build_plan(compiled)
    values = engine_polars.execute(plan, frame)
    rows = _output(plan, compiled, values)
    return Evaluation(plan, rows, _group_summary(plan, compiled, values, rows), values)


def _output(plan: Plan, compiled: Compiled, values: pl.DataFrame) -> pl.DataFrame:
    campaign = compiled.campaign
    exprs = []
    payouts = []
    for out in plan.outputs:
        if out.part == "payout":
            cents = out.source + "#cents"
            expr = (pl.col(cents).fill_null(0) / 100).round(2) if cents in values.columns else pl.col(out.source).round(2)
            payouts.append(expr)
        elif out.unit == "percent":
            expr = pl.col(out.source) * 100
        else:
            expr = pl.col(out.source)
        exprs.append(expr.alias(out.name))
        if out.part == "result":
            exprs.append(_status(campaign, out).alias(f"{out.indicator.lower()}_status"))
    if payouts:
        exprs.append(pl.sum_horizontal(payouts).round(2).alias("total_payout"))
    return values.select(exprs)  # the engine keeps the rows in the dataset's order


def _status(campaign, out) -> pl.Expr:
    ind = campaign.indicators[out.indicator]
    den = ind.part("denominator")
    status = pl.when(pl.col(out.source).is_not_null()).then(pl.lit(STATUS_COMPUTED))
    if den:
        status = status.when(pl.col(den) == 0).then(pl.lit(STATUS_NOT_COMPUTABLE))
    status = status.otherwise(pl.lit(STATUS_MISSING))
    if ind.fields and campaign.field_decls:
        status = pl.when(pl.col("field").is_in(list(ind.fields))).then(status).otherwise(pl.lit(STATUS_OUT_OF_SCOPE))
    return status


def _group_summary(plan: Plan, compiled: Compiled, values: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    if not plan.groups or "group" not in rows.columns:
        paid = rows["total_payout"].sum() if "total_payout" in rows.columns else 0.0
        return pl.DataFrame({"group": ["(all)"], "establishments": [rows.height], "paid": [paid]})
    envelope_amount = next((a.group_amount for a in plan.allocations if a.group_amount), None)
    keys = [pl.col("group"), pl.col("field")]
    aggs = [pl.len().alias("establishments")]
    frame = rows.with_columns(values[envelope_amount].alias("__envelope")) if envelope_amount else rows
    if envelope_amount:
        aggs.append(pl.col("__envelope").first().alias("envelope"))
    if "total_payout" in rows.columns:
        aggs.append(pl.col("total_payout").sum().round(2).alias("paid"))
    summary = frame.group_by(keys).agg(aggs)
    order = {case.label: i for i, case in enumerate(plan.groups)}
    summary = summary.with_columns(pl.col("group").replace_strict(order, default=len(order)).alias("__order"))
    if envelope_amount and "total_payout" in rows.columns:
        summary = summary.with_columns(
            pl.when(pl.col("envelope") > 0).then(pl.col("paid") / pl.col("envelope") * 100).round(1).alias("share_paid")
        )
    return summary.sort("__order").drop("__order")
