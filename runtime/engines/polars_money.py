"""Whole cents for the payouts, by largest remainder, decided exactly.

Within a partition (a group when the envelope has a group amount, else everyone), each
(establishment, indicator) cell gets ⌊100·p⌋ cents; the leftover, round_half_even(Σ 100·p)
minus the floors, goes one cent each to the cells with the largest remainders, ties by
FINESS, field, then the indicators' order in the spec (runtime/plan.py).

The bulk is computed in floating point with error bounds; a floor within error of an
integer, a partition total within error of a half cent, and remainders within error of
the cut-off are settled with the exact payouts (runtime/exact.py). The cut-off is found
by selection (top_k), never by sorting every cell.
"""

from __future__ import annotations

import math
from fractions import Fraction

import polars as pl

from qualispec.runtime.engines import OverEnvelope
from qualispec.runtime.engines.polars_translate import GROUP_ID, U
from qualispec.runtime.exact import ExactRows, round_half_even
from qualispec.runtime.plan import Plan

ERR = "#err"




def allocate(plan: Plan, frame: pl.DataFrame, exact: ExactRows, row: str) -> pl.DataFrame:
    """Add ``<payout>#cents`` columns (Int64), adding up to what each partition distributes."""
    for allocation in plan.allocations:
        columns = [col for _, col in allocation.payouts]
        if not allocation.envelope:  # payouts of their own (profit-sharing): each rounded to the cent
            frame = _own_cents(frame, columns, exact, row)
            continue
        by_group = allocation.group_amount is not None and plan.groups
        frame = _largest_remainder(frame, columns, GROUP_ID if by_group else None, exact, row)
        if allocation.group_amount is not None:
            _check_envelope(frame, allocation, columns, GROUP_ID if by_group else None)
    return frame


def _scaled(frame: pl.DataFrame, column: str) -> tuple[pl.Expr, pl.Expr]:
    """100·p in floating point and its error bound."""
    p100 = pl.col(column).fill_null(0.0) * 100
    err = pl.col(column + ERR).fill_null(0.0) * 100 if column + ERR in frame.columns else pl.lit(0.0)
    return p100, err + U * p100.abs()


def _exact_cents(exact: ExactRows, index: int, column: str) -> Fraction:
    value = exact.value(index, column)
    return Fraction(0) if value is None else value * 100


def _own_cents(frame, columns, exact, row) -> pl.DataFrame:
    exprs, doubts = [], []
    for c in columns:
        p100, err = _scaled(frame, c)
        exprs.append(p100.round(0, mode="half_to_even").cast(pl.Int64).alias(c + "#cents"))
        doubts.append(((p100 - p100.floor() - 0.5).abs() < err).alias(c + "#doubt"))
    wide = frame.lazy().with_columns(exprs + doubts).collect()
    for c in columns:
        rows = wide.filter(pl.col(c + "#doubt"))[row].to_list()
        if rows:
            cents = [round_half_even(_exact_cents(exact, i, c)) for i in rows]
            wide = wide.update(pl.DataFrame({row: rows, c + "#cents": cents},
                                            schema={row: wide.schema[row], c + "#cents": pl.Int64}), on=row)
    return wide.drop([c + "#doubt" for c in columns])


def _largest_remainder(frame, columns, partition, exact: ExactRows, row: str) -> pl.DataFrame:
    part = pl.lit("all") if partition is None else pl.col(partition)
    wide = frame.lazy().with_columns(part.alias("#partition"))
    exprs = []
    for i, c in enumerate(columns):
        p100, err = _scaled(frame, c)
        floor = p100.floor()
        exprs += [floor.cast(pl.Int64).alias(f"#floor{i}"), (p100 - floor).alias(f"#rem{i}"), err.alias(f"#e{i}")]
    wide = wide.with_columns(exprs).collect()
    # 1. Floors within error of an integer: take the exact payout.
    for i, c in enumerate(columns):
        unsure = wide.filter((pl.col(f"#rem{i}") < pl.col(f"#e{i}")) | (1 - pl.col(f"#rem{i}") < pl.col(f"#e{i}")))
        if unsure.height:
            rows = unsure[row].to_list()
            values = [_exact_cents(exact, r, c) for r in rows]
            floors = [math.floor(v) for v in values]
            wide = wide.update(pl.DataFrame({row: rows, f"#floor{i}": floors,
                                             f"#rem{i}": [float(v - f) for v, f in zip(values, floors)],
                                             f"#e{i}": [0.0] * len(rows)},
                                            schema={row: wide.schema[row], f"#floor{i}": pl.Int64,
                                                    f"#rem{i}": pl.Float64, f"#e{i}": pl.Float64}), on=row)
    n = len(columns)
    rems = [f"#rem{i}" for i in range(n)]
    errs = [f"#e{i}" for i in range(n)]
    totals = wide.lazy().group_by("#partition").agg(
        pl.sum_horizontal(rems).sum().alias("rem_sum"),
        pl.sum_horizontal([f"#floor{i}" for i in range(n)]).sum().alias("floor_sum"),
        pl.sum_horizontal(errs).sum().alias("err_sum"),
        pl.max_horizontal(errs).max().alias("err_max"),
    ).collect()
    # 2. The leftover: round_half_even(Σ 100·p) − Σ floors = round_half_even(Σ remainders), exact when unsure.
    leftover = {}
    for key, rem_sum, err_sum in zip(totals["#partition"], totals["rem_sum"], totals["err_sum"]):
        if abs(rem_sum - math.floor(rem_sum) - 0.5) < err_sum + U * rem_sum * (n * wide.height + 1):
            members = wide.filter(pl.col("#partition") == key)[row].to_list()
            exact_sum = sum((_exact_cents(exact, r, c) for r in members for c in columns), Fraction(0))
            floors = sum(math.floor(_exact_cents(exact, r, c)) for r in members for c in columns)
            leftover[key] = round_half_even(exact_sum) - floors
        else:
            leftover[key] = round(rem_sum)
    winners: list[tuple[int, int]] = []
    margins = dict(zip(totals["#partition"], totals["err_max"]))
    for key, count in leftover.items():
        if count <= 0:
            continue
        winners += _winners(wide, key, count, n, 2 * margins[key] + 1e-12, columns, exact, row)
    won = pl.DataFrame({row: [r for r, _ in winners], "cell": [c for _, c in winners]},
                       schema={row: wide.schema[row], "cell": pl.Int64})
    out = {}
    for i, c in enumerate(columns):
        hit = pl.col(row).is_in(won.filter(pl.col("cell") == i)[row].implode())
        out[c + "#cents"] = pl.col(f"#floor{i}") + hit.cast(pl.Int64)
    drop = rems + errs + [f"#floor{i}" for i in range(n)] + ["#partition"]
    return wide.lazy().with_columns(**out).drop(drop).collect()


def _winners(wide, key, count, n, margin, columns, exact, row) -> list[tuple[int, int]]:
    """The cells of one partition that win a leftover cent."""
    members = wide.lazy().filter(pl.col("#partition") == key)
    cells = pl.concat([members.select(pl.col(row), pl.lit(i, pl.Int64).alias("cell"), pl.col(f"#rem{i}").alias("rem"))
                       for i in range(n)]).filter(pl.col("rem") > 0).collect()
    if cells.height == 0:
        return []
    cutoff = cells["rem"].top_k(count).min()
    sure = cells.filter(pl.col("rem") > cutoff + margin)
    near = cells.filter((pl.col("rem") - cutoff).abs() <= margin)
    chosen = [(r, c) for r, c in zip(sure[row].to_list(), sure["cell"].to_list())]
    if count > len(chosen):
        ranked = []
        for r, c in zip(near[row].to_list(), near["cell"].to_list()):
            value = _exact_cents(exact, r, columns[c])
            ranked.append((-(value - math.floor(value)), exact.row(r).node("finess") or "",
                           exact.row(r).node("field") or "", c, r))
        ranked.sort()
        chosen += [(r, c) for *_, c, r in ranked[:count - len(chosen)]]
    return chosen


def _check_envelope(frame: pl.DataFrame, allocation, columns, partition) -> None:
    """Refuse results that pay a partition more than its amount (a message, not a crash)."""
    paid = pl.sum_horizontal([pl.col(c + "#cents") for c in columns])
    amount = (pl.col(allocation.group_amount) * 100).round(0)
    key = partition or "#everyone"
    check = (frame.lazy().with_columns(pl.lit(0).alias("#everyone")) if partition is None else frame.lazy())
    check = check.group_by(key).agg(paid.sum().alias("paid"), amount.max().alias("amount")).collect()
    over = check.filter(pl.col("paid") > pl.col("amount") + 0.5)
    if over.height:
        first = over.row(0, named=True)
        raise OverEnvelope.of(allocation.envelope, first["paid"], first["amount"], first[key] if partition else None)
