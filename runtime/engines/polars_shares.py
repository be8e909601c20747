"""Group amounts that share their envelope to the cent (runtime/shares.py), for the Polars engine.

A group amount is the same on every row of its group: a first, partial pass computes each
group's exact amount (its Int128 form, else runtime/exact.py on one row of the group), the
cents are shared in Python among the groups (a few dozen values, not rows), and the main
pass reads them back as whole cents per group.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import polars as pl

from qualispec.runtime.engines import polars_rational as rational
from qualispec.runtime.engines.polars_translate import GROUP_ID, ROW, U, V, relative
from qualispec.runtime.exact import ExactRows
from qualispec.runtime.plan import Plan, Step
from qualispec.runtime.shares import share_cents

NUM, DEN = "#num", "#den"


def shared(plan: Plan, frame: pl.DataFrame, step: Step, v: V, upstream: Callable[[list[pl.Expr]], pl.LazyFrame],
           engine: str) -> tuple[V, list[pl.Expr], dict] | None:
    """The step's value from the shared cents, its exact form's columns, and the cents per group.

    ``upstream(exprs)``: the pass up to the step, with ``exprs`` computed at its level. None when
    the amount is not one value per group (then it is not shared: each row is rounded).
    """
    q = rational.form(v.exact)
    lf = upstream([] if q is None else [q.num.alias("#num"), q.den.alias("#den")])
    if q is None:
        amounts = _by_runtime_exact(plan, frame, step, lf, engine)
    else:
        per_group = lf.group_by(GROUP_ID).agg(
            pl.col("#num").first(), pl.col("#den").first(), pl.col(ROW).first(),
            (_one_value("#num") & _one_value("#den")).alias("#same"),
            (pl.col("#den").fill_null(1) > 0).all().alias("#held")).collect(engine=engine)
        if not per_group["#same"].all():
            return None
        amounts = {g: None if n is None else Fraction(n, d)
                   for g, n, d in zip(per_group[GROUP_ID], per_group["#num"], per_group["#den"])}
        if not per_group["#held"].all():
            amounts = _by_runtime_exact(plan, frame, step, lf, engine)
    cents = share_cents(amounts)
    in_group = {g: c for g, c in cents.items() if g is not None}
    of_group = pl.col(GROUP_ID).replace_strict(in_group, default=None, return_dtype=pl.Int64) if in_group else \
        pl.lit(None, pl.Int64)
    whole = pl.when(pl.col(GROUP_ID).is_null()).then(pl.lit(cents.get(None), pl.Int64)).otherwise(of_group)
    value = whole.cast(pl.Float64) / 100
    largest = max((abs(c) for c in cents.values() if c is not None), default=0)
    form = rational.Q(pl.col(step.column + NUM), pl.col(step.column + DEN), largest, 100, 100)
    columns = [whole.cast(rational.I128).alias(step.column + NUM), pl.lit(100, rational.I128).alias(step.column + DEN)]
    return relative(value, U, False, rational.known(form)), columns, cents


def _one_value(column: str) -> pl.Expr:
    """Every member has the same value (missing counts as a value): what ``n_unique() == 1`` says, without
    hashing a million Int128 integers."""
    nulls = pl.col(column).null_count()
    return ((pl.col(column).min() == pl.col(column).max()).fill_null(True)
            & ((nulls == 0) | (nulls == pl.len())))


def _by_runtime_exact(plan: Plan, frame: pl.DataFrame, step: Step, lf: pl.LazyFrame, engine: str) -> dict:
    """Each group's exact amount computed by runtime/exact.py on one of its rows."""
    groups = lf.select(ROW, GROUP_ID).collect(engine=engine)
    exact = ExactRows(plan.typed_ir, plan, frame, groups, GROUP_ID)
    first = groups.group_by(GROUP_ID).agg(pl.col(ROW).first())
    return {g: exact.row(r).expr(step.expr) for g, r in zip(first[GROUP_ID], first[ROW])}


def group_cents(plan: Plan, frame: pl.DataFrame) -> dict[str, dict]:
    """The shared group amounts' cents per group, for another engine (Spark) to use: from this engine's pass."""
    if not any(step.shared_by_group for step in plan.steps):
        return {}
    from qualispec.runtime.engines.polars_engine import _approximate  # the engine that imports this module

    return _approximate(plan, frame, {}, keep=set()).shared
