"""The embedded engine: a plan executed as one Polars lazy query.

Chosen by measurement (benchmarks/bench_eval.py): on this 2-core machine, Polars
lazy expressions with window functions beat hand-written DuckDB SQL several times
over at 1 M rows. Each IR expression becomes a Polars expression; nothing is
evaluated row by row in Python.
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl

from qualispec.compiler.syntax import ast
from qualispec.compiler.graph import references
from qualispec.runtime.plan import Plan, as_fraction

ROW = "__row"
GROUP_ID = "#group"  # the group as a small integer: windows partition on it, not on the label


class EngineError(Exception):
    """A plan this engine cannot run (reported as a bug: the compiler should have refused it)."""


class _Translator:
    def __init__(self, plan: Plan):
        self.plan = plan

    def param(self, name: str) -> pl.Expr:
        value = self.plan.parameters[name]
        if isinstance(value, dict):
            mapping = {k: _python(v) for k, v in value.items()}
            return pl.col("field").replace_strict(mapping, default=None, return_dtype=_dtype(mapping.values()))
        return pl.lit(_python(value))

    def constant(self, e: ast.Expr):
        """The value of an expression that must be known before the data (a quantile's q)."""
        if isinstance(e, ast.Num):
            return e.value
        if isinstance(e, ast.Text):
            return e.value
        if isinstance(e, ast.Ref) and e.target in self.plan.parameters:
            return self.plan.parameters[e.target]
        raise EngineError(f"{e} is not a constant")

    def __call__(self, e: ast.Expr) -> pl.Expr:
        t = self
        if isinstance(e, ast.Num):
            return pl.lit(float(e.value))
        if isinstance(e, ast.Text):
            return pl.lit(e.value)
        if isinstance(e, ast.Bool):
            return pl.lit(e.value)
        if isinstance(e, ast.Missing):
            return pl.lit(None)
        if isinstance(e, ast.Ref):
            target = e.target or ""
            if target.startswith("field:"):
                return pl.lit(target[6:])
            if target in self.plan.parameters:
                return self.param(target)
            return pl.col(target)
        if isinstance(e, ast.Unary):
            return ~t(e.operand) if e.op == "not" else -t(e.operand)
        if isinstance(e, ast.Binary):
            a, b = t(e.left), t(e.right)
            if e.op == "and":
                return a & b
            if e.op == "or":
                return a | b
            if e.op == "+":
                return a + b
            if e.op == "-":
                return a - b
            if e.op == "*":
                return a * b
            return pl.when(b != 0).then(a / b)  # x / 0 is missing: "not computable"
        if isinstance(e, ast.Compare):
            a, b = t(e.left), t(e.right)
            return {"=": a.eq, "!=": a.ne, "<": a.lt, "<=": a.le, ">": a.gt, ">=": a.ge}[e.op](b)
        if isinstance(e, ast.Member):
            operand = t(e.operand)
            out = None
            for o in e.options:
                test = operand == t(o)
                out = test if out is None else out | test
            return out
        if isinstance(e, ast.If):
            cond = t(e.cond)
            return pl.when(cond.is_null()).then(None).when(cond).then(t(e.then)).otherwise(t(e.else_))
        if isinstance(e, ast.Piecewise):
            return self.piecewise(e)
        if isinstance(e, ast.Decide):
            return self.decide(e)
        if isinstance(e, ast.Call):
            return self.call(e)
        raise EngineError(f"no Polars form for {type(e).__name__}")

    def piecewise(self, e: ast.Piecewise) -> pl.Expr:
        x = self(e.x)
        points = [(self(a), self(b)) for a, b in e.points]
        x0, y0 = points[0]
        chain = pl.when(x.is_null()).then(None).when(x <= x0).then(y0)
        for (xa, ya), (xb, yb) in zip(points, points[1:]):
            chain = chain.when(x < xb).then(ya + (x - xa) * (yb - ya) / (xb - xa))
        return chain.otherwise(points[-1][1])

    def decide(self, e: ast.Decide) -> pl.Expr:
        subjects = [self(s) for s in e.subjects]
        chain = None
        for patterns, result in e.rules:
            cond = pl.lit(True)
            for s, p in zip(subjects, patterns):
                if not isinstance(p, ast.Wildcard):
                    cond = cond & (s == self(p)).fill_null(False)
            chain = pl.when(cond).then(self(result)) if chain is None else chain.when(cond).then(self(result))
        return chain.otherwise(None)

    def call(self, e: ast.Call) -> pl.Expr:
        args = [self(a) for a in e.args]
        f = e.func
        if f == "available":
            return args[0].is_not_null()
        if f == "min_of":
            return pl.min_horizontal(*args)
        if f == "max_of":
            return pl.max_horizontal(*args)
        if f == "abs":
            return args[0].abs()
        if f == "floor":
            return args[0].floor()
        if f == "round":
            return args[0].round(0, mode="half_to_even")
        partition = {"all": None, "group": GROUP_ID, "field": "field"}.get(e.over, e.over)
        x = args[0]
        if e.where is not None:  # only the rows where the condition holds count in the population
            x = pl.when(self(e.where).fill_null(False)).then(x)
        if f == "quantile":
            q = as_fraction(self.constant(e.args[1]))
            method = self.constant(e.option("method")) if e.option("method") is not None else "lower"
            return quantile(x, q, method, partition)
        agg = {"median": x.median(), "mean": x.mean(), "sum": x.sum(), "count": x.count(),
               "min": x.min(), "max": x.max()}.get(f)
        if agg is None:
            raise EngineError(f"unknown function {f}")
        return _over(agg, partition)


def _over(expr: pl.Expr, partition: str | None) -> pl.Expr:
    return expr.over(partition) if partition else expr


def quantile(x: pl.Expr, q: Fraction, method: str, partition: str | None) -> pl.Expr:
    """The q-quantile of x's non-missing values in each partition, with exact index arithmetic.

    Values sorted x(0) ≤ … ≤ x(n−1); h = q·(n−1) computed exactly (q is a fraction,
    n an integer, so there is no floating-point doubt about floor and ceil):
    lower = x(⌊h⌋), higher = x(⌈h⌉), nearest = the closer of the two (ties: lower),
    midpoint = their mean, linear = x(⌊h⌋) + (h − ⌊h⌋)·(x(⌈h⌉) − x(⌊h⌋)).
    """
    # Index arithmetic happens inside the window: count() is the partition's count there.
    n = x.count().cast(pl.Int64)  # count() is UInt32: (n - 1) must not wrap around
    scaled = (n - 1).clip(0) * q.numerator  # h = scaled / q.denominator
    lo = scaled // q.denominator
    rem = scaled % q.denominator
    hi = lo + (rem > 0).cast(pl.Int64)
    ordered = x.sort(nulls_last=True)  # missing values last, so index k is the k-th smallest value

    def at(index: pl.Expr) -> pl.Expr:
        return _over(ordered.get(index), partition)

    if method == "lower":
        return at(lo)
    if method == "higher":
        return at(hi)
    if method == "nearest":
        return _over(pl.when(2 * rem > q.denominator).then(ordered.get(hi)).otherwise(ordered.get(lo)), partition)
    if method == "midpoint":
        return (at(lo) + at(hi)) / 2
    if method == "linear":
        return _over(ordered.get(lo) + (rem / q.denominator) * (ordered.get(hi) - ordered.get(lo)), partition)
    raise EngineError(f"unknown quantile method {method}")


def _python(value):
    if isinstance(value, Fraction):
        return float(value)
    return value


def _dtype(values):
    values = [v for v in values if v is not None]
    if all(isinstance(v, bool) for v in values):
        return pl.Boolean
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return pl.Float64
    return pl.String


# ------------------------------------------------------------------ execution
def execute(plan: Plan, frame: pl.DataFrame, keep: set[str] | None = None) -> pl.DataFrame:
    """Every node's column (or only those in ``keep``), the group, and payouts rounded to the cent.

    Steps are scheduled by depth (a step's depth is one more than the deepest step it
    reads), and each depth is one ``with_columns``, which Polars runs in parallel.
    """
    t = _Translator(plan)
    depth: dict[str, int] = {}
    levels: dict[int, list[pl.Expr]] = {}
    field_masks: set[str] = set()

    def field_mask(fields: tuple[str, ...]) -> pl.Expr:
        """One yes/no column per set of fields, computed first."""
        mask = _mask_column(fields)
        if mask not in field_masks:
            field_masks.add(mask)
            levels.setdefault(0, []).append(pl.col("field").is_in(list(fields)).alias(mask))
        return pl.col(mask)

    def add_group() -> None:
        if "group" in depth:
            return
        level = 1 + max((depth.get(case.condition, 0) for case in plan.groups), default=0)
        depth[GROUP_ID] = depth["group"] = level
        levels.setdefault(level, []).append(_group_id_expr(plan, field_mask))
        levels.setdefault(level + 1, []).append(_group_label_expr(plan))

    for step in plan.steps:
        needs = references(step.expr)  # what the dependency graph says the step reads
        if "group" in needs:
            add_group()
        level = 1 + max((depth.get(n, 0) for n in needs), default=0)
        depth[step.column] = level
        expr = t(step.expr)
        if step.fields and plan.has_fields:
            expr = pl.when(field_mask(step.fields)).then(expr)
        if step.round_cents:
            expr = expr.round(2, mode="half_to_even")
        levels.setdefault(level, []).append(expr.alias(step.column))
    if plan.groups:
        add_group()
    lf = frame.lazy().with_row_index(ROW)
    for level in sorted(levels):
        lf = lf.with_columns(levels[level])
    if keep is not None:  # intermediate columns are computed in passing, never held
        lf = lf.select([c for c in lf.collect_schema().names() if c in keep or c == ROW])
    return allocate(plan, lf.collect())


def _mask_column(fields: tuple[str, ...]) -> str:
    return "#in:" + ",".join(fields)


def _group_id_expr(plan: Plan, field_mask) -> pl.Expr:
    """The index of the row's group in the plan (missing when none holds)."""
    chain = None
    for i, case in enumerate(plan.groups):
        cond = field_mask((case.field_name,)) & pl.col(case.condition).fill_null(False)
        chain = (pl.when(cond) if chain is None else chain.when(cond)).then(pl.lit(i, pl.Int16))
    return chain.otherwise(None).alias(GROUP_ID)


def _group_label_expr(plan: Plan) -> pl.Expr:
    """The group's label, as an enumeration of the campaign's labels (not millions of strings)."""
    labels = {i: case.label for i, case in enumerate(plan.groups)}
    enum = pl.Enum(list(dict.fromkeys(labels.values())))
    return pl.col(GROUP_ID).replace_strict(labels, default=None, return_dtype=enum).alias("group")


# ------------------------------------------------------------------ money
def allocate(plan: Plan, frame: pl.DataFrame) -> pl.DataFrame:
    """Add whole cents to the exact payouts, adding up to what each group distributes.

    (Frame operations go through ``.lazy()…collect()``: in Polars 2, an eager
    ``select`` on a wide frame is many times slower than the same lazy query.)

    Within a group, every (establishment, indicator) cell gets the floor of its exact
    amount in cents; the cents left over — the group's exact total rounded half to
    even, minus the floors — go one each to the cells with the largest remainders,
    ties broken by FINESS, field, then the indicators' order in the spec.
    """
    for allocation in plan.allocations:
        columns = [col for _, col in allocation.payouts]
        if not allocation.envelope:  # payouts of their own (profit-sharing): each rounded to the cent
            frame = frame.lazy().with_columns([(pl.col(c) * 100).round(0, mode="half_to_even").cast(pl.Int64)
                                               .alias(c + "#cents") for c in columns]).collect()
            continue
        # An envelope shared by group adds up group by group; one shared nationally, over everyone.
        by_group = allocation.group_amount is not None and plan.groups
        frame = _largest_remainder(frame, columns, GROUP_ID if by_group else None)
    return frame


def _largest_remainder(frame: pl.DataFrame, columns: list[str], partition: str | None) -> pl.DataFrame:
    """Cents per cell with the largest remainder, without sorting every cell.

    Each group's cutoff is its leftover-th largest remainder, found by selection
    (top_k); a cell above the cutoff wins a cent; the few cells exactly on it are
    ordered by FINESS, field and indicator, and the first ones take the cents still
    to give.
    """
    exact = [(pl.col(c).fill_null(0.0) * 100) for c in columns]
    remainders = [f"{c}#remainder" for c in columns]
    wide = frame.lazy()
    if partition is None:
        wide = wide.with_columns(pl.lit("all").alias("#partition"))
    else:
        wide = wide.with_columns(pl.col(partition).alias("#partition"))
    wide = wide.with_columns([(e - e.floor()).alias(r) for e, r in zip(exact, remainders)])
    wide = wide.with_columns(
        pl.sum_horizontal(remainders).sum().over("#partition").round(0, mode="half_to_even").cast(pl.Int64).alias("#leftover")
    ).collect()
    cells = pl.concat([
        wide.lazy().select(pl.col(ROW), pl.col("#partition"), pl.lit(i, pl.Int32).alias("cell"),
                           pl.col(r).alias("remainder"), pl.col("#leftover").alias("leftover"))
        .filter(pl.col("remainder") > 0)  # only they can win: the leftover never exceeds their number
        for i, r in enumerate(remainders)
    ])
    cutoff = pl.col("remainder").top_k(pl.col("leftover").first()).min()
    cutoffs = cells.group_by("#partition").agg(
        cutoff.alias("cutoff"), pl.col("leftover").first(), (pl.col("remainder") > cutoff).sum().alias("n_above"),
    ).collect()
    ties = (
        cells.join(cutoffs.lazy().select("#partition", "cutoff"), on="#partition")
        .filter(pl.col("remainder") == pl.col("cutoff"))
        .collect()
    )
    cutoff_of = pl.col("#partition").replace_strict(dict(zip(cutoffs["#partition"], cutoffs["cutoff"])), default=None,
                                               return_dtype=pl.Float64)
    rows = ties[ROW]  # the row index is the position: the tied cells' names are read directly
    ties = ties.with_columns(
        finess=wide["finess"].gather(rows),
        field=wide["field"].gather(rows) if "field" in wide.columns else pl.lit(""),
    )
    tie_winners = (
        ties.join(cutoffs.select("#partition", "n_above"), on="#partition")
        .sort(["#partition", "finess", "field", "cell"])
        .filter(pl.int_range(pl.len()).over("#partition") < pl.col("leftover") - pl.col("n_above"))
        .select(ROW, "cell")
    )
    out = {}
    for i, (e, c, r) in enumerate(zip(exact, columns, remainders)):
        tie_won = pl.col(ROW).is_in(tie_winners.filter(pl.col("cell") == i)[ROW].implode())
        won = (pl.col(r) > cutoff_of).fill_null(False) | ((pl.col(r) == cutoff_of).fill_null(False) & tie_won)
        out[c + "#cents"] = e.floor().cast(pl.Int64) + won.cast(pl.Int64)
    return wide.lazy().with_columns(**out).drop(remainders + ["#leftover", "#partition"]).collect()
