"""The embedded engine: a plan executed as one Polars lazy query, exact where it matters.

Chosen by measurement (benchmarks/bench_eval.py): on this 2-core machine, Polars
lazy expressions with window functions beat hand-written DuckDB SQL several times
over at 1 M rows. Each IR expression becomes a Polars expression in floating point
with a bound on its error (polars_translate.py); nothing is evaluated row by row in
Python, except the few *doubtful* rows where a decision or a written digit lies within
that bound of its boundary: those are recomputed exactly (runtime/exact.py) and their
values replace the approximate ones. The result therefore follows the plan's exact
numeric contract (runtime/plan.py), whatever the row order.
"""

from __future__ import annotations

import polars as pl

from qualispec.compiler.graph import references
from qualispec.runtime.engines.polars_translate import GROUP_ID, U, EngineError, Translator
from qualispec.runtime.engines import polars_money
from qualispec.runtime.exact import ExactRows, round_half_even
from qualispec.runtime.plan import Plan, written_scale

ROW = "__row"
DOUBT = "#doubt:"  # a step's doubt column: some decision of this row is within error of its boundary
ERR = "#err"  # suffix of a column's error bound
WRITTEN = "#w:"  # an output's written digits: round_half_even(value · factor · 10^decimals), an integer


def execute(plan: Plan, frame: pl.DataFrame, keep: set[str] | None = None) -> pl.DataFrame:
    """Every node's column (or only those in ``keep``), the group, written digits and cents.

    Steps are scheduled by depth (a step's depth is one more than the deepest step it
    reads), and each depth is one ``with_columns``, which Polars runs in parallel.
    """
    approx = _approximate(plan, frame, {})
    exact = ExactRows(plan.typed_ir, plan, frame, approx, GROUP_ID)
    doubtful = _doubtful_rows(approx)
    moved = {i: g for i in doubtful if (g := exact.row(i).group_index()) != approx[GROUP_ID][i]} if plan.groups else {}
    if moved:  # a row whose group was in doubt changes group: the populations are recomputed with it
        approx = _approximate(plan, frame, moved)
        exact = ExactRows(plan.typed_ir, plan, frame, approx, GROUP_ID)
        doubtful = _doubtful_rows(approx)
    if doubtful:
        approx = _patch(plan, approx, exact, doubtful)
    approx = polars_money.allocate(plan, approx, exact, ROW)
    columns = [c for c in approx.columns if not c.startswith(DOUBT) and not c.endswith(ERR)]
    if keep is not None:  # intermediate columns are computed in passing, never held
        columns = [c for c in columns if c in keep or c == ROW or c.startswith(WRITTEN) or c.endswith("#cents")]
    return approx.select(columns)


def _approximate(plan: Plan, frame: pl.DataFrame, moved: dict[int, int]) -> pl.DataFrame:
    """The floating-point pass: every step, its error bound, its doubts, the written digits."""
    inexact, integer = set(), set()
    casts = []
    for name, dtype in frame.schema.items():
        if dtype.is_decimal() or dtype.is_float():
            casts.append(pl.col(name).cast(pl.Float64))
            inexact.add(name)
            casts.append((pl.col(name).cast(pl.Float64).abs() * U).alias(name + ERR))
        elif dtype.is_integer():
            integer.add(name)
    t = Translator(plan, inexact, integer)
    depth: dict[str, int] = {}
    levels: dict[int, list[pl.Expr]] = {}
    field_masks: set[str] = set()

    def field_mask(fields: tuple[str, ...]) -> pl.Expr:
        """One yes/no column per set of fields, computed first."""
        mask = "#in:" + ",".join(fields)
        if mask not in field_masks:
            field_masks.add(mask)
            levels.setdefault(0, []).append(pl.col("field").is_in(list(fields)).alias(mask))
        return pl.col(mask)

    def add_group() -> None:
        if "group" in depth:
            return
        level = 1 + max((depth.get(case.condition, 0) for case in plan.groups), default=0)
        depth[GROUP_ID] = depth["group"] = level
        levels.setdefault(level, []).append(_group_id_expr(plan, field_mask, moved))
        levels.setdefault(level + 1, []).append(_group_label_expr(plan))

    for step in plan.steps:
        needs = references(step.expr)  # what the dependency graph says the step reads
        if "group" in needs:
            add_group()
        level = 1 + max((depth.get(n, 0) for n in needs), default=0)
        depth[step.column] = level
        t.doubts = []
        v = t(step.expr)
        value, err = v.value, v.err
        if step.fields and plan.has_fields:
            mask = field_mask(step.fields)
            value = pl.when(mask).then(value)
            err = None if err is None else pl.when(mask).then(err)
        if step.round_cents:
            if err is not None:
                cents = value * 100
                t.doubt(((cents - cents.floor() - 0.5).abs() < err * 100 + U * cents.abs()).fill_null(False))
            value = value.round(2, mode="half_to_even")
            err = value.abs() * U
        exprs = [value.alias(step.column)]
        if err is not None:
            exprs.append(err.alias(step.column + ERR))
            inexact.add(step.column)
        elif v.integer:
            integer.add(step.column)
        if t.doubts:
            exprs.append(pl.any_horizontal(t.doubts).alias(DOUBT + step.column))
        levels.setdefault(level, []).extend(exprs)
    if plan.groups:
        add_group()
    last = max(levels, default=0) + 1
    for out in plan.outputs:
        numeric = out.unit not in (None, "text", "category", "boolean")
        known = out.source in depth or out.source in frame.columns
        as_is = out.source in integer and out.unit in ("count", "days", "number")  # integers are written as they are
        if out.part != "payout" and numeric and known and not as_is:
            levels.setdefault(last, []).extend(_written(out.source, out.unit, out.source in inexact))
    lf = frame.lazy().with_row_index(ROW).with_columns(casts)
    for level in sorted(levels):
        lf = lf.with_columns(levels[level])
    return lf.collect()


def _written(column: str, unit: str | None, inexact: bool) -> list[pl.Expr]:
    """The written digits of an output column, and a doubt when they lie within error of a rounding boundary."""
    factor, decimals = written_scale(unit)
    scaled = pl.col(column) * (factor * 10 ** decimals)
    exprs = [scaled.round(0, mode="half_to_even").cast(pl.Int64).alias(WRITTEN + column)]
    if inexact:
        err = pl.col(column + ERR) * (factor * 10 ** decimals) + U * scaled.abs()
        exprs.append(((scaled - scaled.floor() - 0.5).abs() < err).fill_null(False).alias(DOUBT + WRITTEN + column))
    return exprs


def _doubtful_rows(approx: pl.DataFrame) -> list[int]:
    doubts = [c for c in approx.columns if c.startswith(DOUBT)]
    if not doubts:
        return []
    return approx.lazy().filter(pl.any_horizontal(doubts)).select(ROW).collect()[ROW].to_list()


def _patch(plan: Plan, approx: pl.DataFrame, exact: ExactRows, rows: list[int]) -> pl.DataFrame:
    """Replace the doubtful rows' values by their exact ones (as floats; written digits exactly)."""
    steps = [s.column for s in plan.steps if s.column in approx.columns]
    patch: dict[str, list] = {ROW: rows}
    for column in steps:
        dtype = approx.schema[column]
        values = [exact.value(i, column) for i in rows]
        patch[column] = [None if v is None else float(v) if dtype.is_float() else int(v) if dtype.is_integer() else v
                         for v in values]
        if column + ERR in approx.columns:
            patch[column + ERR] = [None if v is None else abs(float(v)) * U for v in values]
    for column in (c for c in approx.columns if c.startswith(WRITTEN)):
        source = column[len(WRITTEN):]
        unit = plan.typed_ir.nodes[source].unit if source in plan.typed_ir.nodes else None
        factor, decimals = written_scale(unit)
        patch[column] = [None if (v := exact.value(i, source)) is None else round_half_even(v * factor * 10 ** decimals)
                         for i in rows]
    if GROUP_ID in approx.columns:
        patch[GROUP_ID] = [exact.row(i).group_index() for i in rows]
    schema = {c: approx.schema[c] for c in patch}
    return approx.update(pl.DataFrame(patch, schema=schema), on=ROW, include_nulls=True)


def _group_id_expr(plan: Plan, field_mask, moved: dict[int, int]) -> pl.Expr:
    """The index of the row's group in the plan (missing when none holds)."""
    chain = None
    if moved:  # rows whose exact group differs from the approximate one
        chain = pl.when(pl.col(ROW).is_in(list(moved))).then(
            pl.col(ROW).replace_strict(moved, default=None, return_dtype=pl.Int16))
    for i, case in enumerate(plan.groups):
        cond = field_mask((case.field_name,)) & pl.col(case.condition).fill_null(False)
        chain = (pl.when(cond) if chain is None else chain.when(cond)).then(pl.lit(i, pl.Int16))
    return chain.otherwise(None).alias(GROUP_ID)


def _group_label_expr(plan: Plan) -> pl.Expr:
    """The group's label, as an enumeration of the campaign's labels (not millions of strings)."""
    labels = {i: case.label for i, case in enumerate(plan.groups)}
    enum = pl.Enum(list(dict.fromkeys(labels.values())))
    return pl.col(GROUP_ID).replace_strict(labels, default=None, return_dtype=enum).alias("group")


__all__ = ["EngineError", "GROUP_ID", "ROW", "execute"]
