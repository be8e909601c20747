"""The plan run on Spark: steps as columns, the group, and payouts shared to the cent.

Steps are added in the plan's (dependency) order, each as one ``withColumns``;
aggregates are windows (translate.py). Nothing is collected to the driver: the
result is a Spark DataFrame, evaluated where the data is.
"""

from __future__ import annotations

from fractions import Fraction

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from qualispec.compiler.graph import references
from qualispec.compiler.syntax import ast
from qualispec.runtime.engines import polars_shares
from qualispec.runtime.engines.spark.numbers import DoubleNumbers
from qualispec.runtime.engines.spark import exact_patch, money
from qualispec.runtime.engines.spark.translate import GROUP_ID, TOL, Translator, col
from qualispec.runtime.engines.spark.exact_patch import DOUBT, WRITTEN
from qualispec.runtime.plan import Plan, written_scale

ROW = "__row"


def execute(plan: Plan, frame: DataFrame, keep: set[str] | None = None, numbers=None, inputs=None) -> DataFrame:
    """Every node's column (or only those in ``keep``), the group, written digits and payouts in whole cents.

    Steps are scheduled by depth (one more than the deepest step they read), and a
    step's hidden columns (a window's argument, a quantile's ranks) just before it:
    each (depth, stage) is one ``withColumns``, so that the plan Spark analyses stays
    a few projections deep however many steps the campaign has. Numbers are binary
    floating point; every row where a decision, a written digit or a cent lies within
    a relative 10⁻⁹ of its boundary is recomputed exactly (exact_patch.py); ``inputs``
    is the validated Polars frame, when there is one (else it is fetched if needed).
    """
    t = Translator(plan, numbers or DoubleNumbers())
    shared = polars_shares.group_cents(plan, inputs) if inputs is not None else {}
    depth: dict[str, int] = {}
    stages: dict[tuple[int, int], dict[str, Column]] = {}
    hidden: list[str] = []

    def add(level: int, columns: list[tuple[str, Column]]) -> None:
        for stage, (name, column) in enumerate(columns):
            stages.setdefault((level, stage), {})[name] = column

    def add_group() -> None:
        if "group" in depth:
            return
        level = 1 + max((depth.get(case.condition, 0) for case in plan.groups), default=0)
        depth[GROUP_ID] = depth["group"] = level
        add(level, [(GROUP_ID, _group_id(plan)), ("group", _group_label(plan))])

    for step in plan.steps:
        needs = references(step.expr)  # what the dependency graph says the step reads
        if "group" in needs:
            add_group()
        level = 1 + max((depth.get(n, 0) for n in needs), default=0)
        depth[step.column] = level
        t.pre, t.doubts = [], []
        expr = t(step.expr)
        if step.fields and plan.has_fields:
            expr = F.when(col("field").isin(list(step.fields)), expr)
        if step.column in shared:  # group amounts sharing the envelope to the cent (runtime/shares.py)
            expr = _per_group(shared[step.column])
        elif step.round_cents:
            cents = expr * 100
            t.doubt(F.abs(cents - F.floor(cents) - 0.5) < F.abs(cents) * TOL + 1e-6)
            expr = t.numbers.round_even(expr, 2)
        hidden += [name for name, _ in t.pre]
        add(level, t.pre + [(step.column, expr)])
        if t.doubts:  # beside the step, in its stage
            stages[(level, len(t.pre))][DOUBT + step.column] = _any(t.doubts)
    if plan.groups:
        add_group()
    sdf = frame if ROW in frame.columns else frame.withColumn(ROW, F.monotonically_increasing_id())
    sdf = sdf.withColumns({c: col(c).cast("double") for c, kind in sdf.dtypes if kind.startswith("decimal")})
    for key in sorted(stages):
        sdf = sdf.withColumns(stages[key])
    sdf = sdf.drop(*hidden)
    sdf = sdf.withColumns(_written_and_floors(plan, sdf))
    sdf = exact_patch.patch(plan, sdf, inputs)
    if keep is not None:  # intermediate columns are computed in passing, never held (amounts: checked after)
        keep = set(keep) | {a.group_amount for a in plan.allocations if a.group_amount is not None}
        sdf = sdf.select([col(c) for c in sdf.columns if c in keep or c in (ROW, GROUP_ID) or "#" in c])
    if plan.allocations:  # computed once, where the data is, before the cells are ranked and joined back
        sdf = sdf.localCheckpoint()
    return money.allocate(plan, sdf, t.numbers, inputs)


def _per_group(cents: dict) -> Column:
    """Whole cents per group (None: the rows in no group), as euros."""
    out = F.when(col(GROUP_ID).isNull(), F.lit(None if cents.get(None) is None else cents[None] / 100))
    for group, whole in cents.items():
        if group is not None:
            out = out.when(col(GROUP_ID) == group, F.lit(None if whole is None else whole / 100))
    return out


def _any(conditions: list[Column]) -> Column:
    out = conditions[0]
    for c in conditions[1:]:
        out = out | c
    return out


def integer_valued(plan: Plan, kinds: dict[str, str]) -> set[str]:
    """The columns that hold whole numbers whatever the row: integer inputs, and steps made of them
    with + - ×, if, abs, min_of, max_of, floor, round, count, sum, min, max, lower/higher/nearest
    quantiles (as the embedded engine reckons: such counts are written as integers, not decimals)."""
    whole = {c for c, kind in kinds.items() if kind in ("bigint", "int")}

    def of(e) -> bool:
        if isinstance(e, ast.Num):
            return e.value.denominator == 1
        if isinstance(e, ast.Ref):
            value = plan.parameters.get(e.target or "")
            if value is not None:
                values = list(value.values()) if isinstance(value, dict) else [value]
                return all(isinstance(v, Fraction) and v.denominator == 1 for v in values) and bool(values)
            return e.target in whole
        if isinstance(e, ast.Unary):
            return e.op != "not" and of(e.operand)
        if isinstance(e, ast.Binary):
            return e.op in ("+", "-", "*") and of(e.left) and of(e.right)
        if isinstance(e, ast.If):
            return of(e.then) and of(e.else_)
        if isinstance(e, ast.Call):
            if e.func in ("floor", "round", "count"):
                return True
            if e.func == "quantile":
                method = e.option("method")
                return of(e.args[0]) and (method is None or getattr(method, "value", None) in ("lower", "higher", "nearest"))
            return e.func in ("min_of", "max_of", "abs", "sum", "min", "max") and all(of(a) for a in e.args)
        return False

    for step in plan.steps:
        if of(step.expr):
            whole.add(step.column)
    return whole


def _written_and_floors(plan: Plan, sdf: DataFrame) -> dict[str, Column]:
    """Each numeric output's written digits (and a doubt near a rounding tie); each payout's cent floor."""
    kinds = dict(sdf.dtypes)
    whole = integer_valued(plan, kinds)
    out: dict[str, Column] = {}
    for o in plan.outputs:
        numeric = o.unit not in (None, "text", "category", "boolean")
        if o.part == "payout" or not numeric or o.source not in kinds:
            continue
        if o.source in whole and o.unit in ("count", "days", "number"):
            if kinds[o.source] not in ("bigint", "int"):
                out[o.source] = col(o.source).cast("long")  # a whole number, held in floating point
            continue  # integers are written as they are
        factor, decimals = written_scale(o.unit)
        scaled = col(o.source) * float(factor * 10 ** decimals)
        out[WRITTEN + o.source] = F.rint(scaled).cast("long")
        out[DOUBT + WRITTEN + o.source] = F.coalesce(
            F.abs(scaled - F.floor(scaled) - 0.5) < F.abs(scaled) * TOL + 1e-6, F.lit(False))
    for allocation in plan.allocations:
        for _, c in allocation.payouts:
            exact = F.coalesce(col(c), F.lit(0.0)) * 100
            frac = exact - F.floor(exact)
            out[c + "#floor"] = F.floor(exact).cast("long")
            out[c + "#rem"] = frac
            out[DOUBT + "cents:" + c] = (exact != 0) & ((frac < F.abs(exact) * TOL + 1e-6)
                                                        | (1 - frac < F.abs(exact) * TOL + 1e-6))
    return out


def _group_id(plan: Plan) -> Column:
    """The index of the row's group in the plan (missing when none holds)."""
    chain = None
    for i, case in enumerate(plan.groups):
        cond = F.coalesce(col(case.condition), F.lit(False))
        if plan.has_fields:
            cond = (col("field") == F.lit(case.field_name)) & cond
        chain = F.when(cond, F.lit(i)) if chain is None else chain.when(cond, F.lit(i))
    return chain.otherwise(F.lit(None)).cast("int") if chain is not None else F.lit(None).cast("int")


def _group_label(plan: Plan) -> Column:
    chain = None
    for i, case in enumerate(plan.groups):
        test = col(GROUP_ID) == F.lit(i)
        chain = F.when(test, F.lit(case.label)) if chain is None else chain.when(test, F.lit(case.label))
    return chain.otherwise(F.lit(None).cast("string")) if chain is not None else F.lit(None).cast("string")
