"""The plan's exact meaning for chosen rows, in rationals: what a floating-point engine defers to.

An engine that computes in floating point (runtime/engines/polars_engine.py) carries an
error bound with every value; wherever a decision (a comparison, a branch, a floor, a
cent) or a written digit lies within that bound of its boundary, the row is *doubtful*
and its values are taken from here instead. Nothing here depends on the engine: it
reads the validated dataset (exact decimals) and, to find the members of a population,
the engine's own columns (the row's group, the approximate values that order it).

Aggregates are exact too: a sum or a mean of an input column is summed in decimals; an
order statistic (quantile, median, min, max) is found by the approximate order, then the
few values within error of the one it picks are compared exactly.
"""

from __future__ import annotations

import math
import weakref
from decimal import Decimal
from fractions import Fraction

import polars as pl

from qualispec.compiler import ir
from qualispec.compiler.evaluator import Evaluator
from qualispec.compiler.syntax import ast
from qualispec.runtime.plan import Plan, as_fraction

ORDER_STATISTICS = ("quantile", "median", "min", "max")


def round_half_even(value: Fraction) -> int:
    return round(value)  # Python rounds a Fraction half to even, exactly


def to_exact(value):
    """A dataset cell as an exact value (decimals as written, floats by their shortest decimal form)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, float):
        return None if math.isnan(value) else Fraction(Decimal(repr(value)))
    return Fraction(value)


class ExactRows:
    """Exact values of any node on any row, computed on demand and kept."""

    def __init__(self, campaign: ir.Campaign, plan: Plan, inputs: pl.DataFrame, approx: pl.DataFrame,
                 group_id: str, shared: dict[str, dict] | None = None, ordered: frozenset[str] = frozenset(),
                 relative: dict[str, float] | None = None):
        self.campaign, self.plan, self.inputs, self.approx, self.group_id = campaign, plan, inputs, approx, group_id
        self.relative = relative or {}  # approximate columns within r·|value| of the exact one (no error column)
        self.ordered = ordered  # columns whose approximate order is the exact one, equal floats equal values
        self.shared = shared or {}  # group amounts sharing their envelope (runtime/shares.py): cents per group
        self.steps = {s.column: s for s in plan.steps}
        self.rows: dict[int, _Row] = {}
        self.aggregates: dict[tuple, object] = {}
        self.populations: dict[tuple, list[int]] = {}
        self.group_conditions = [(i, case) for i, case in enumerate(plan.groups)]

    def row(self, index: int) -> "_Row":
        if index not in self.rows:
            self.rows[index] = _Row(self, index)
        return self.rows[index]

    def value(self, index: int, node_id: str):
        return self.row(index).node(node_id)

    def cell(self, index: int, column: str):
        return to_exact(self.inputs[column][index])

    # -------------------------------------------------------------- populations
    def members(self, over: str, row: "_Row") -> tuple[tuple, pl.Series]:
        """The key of the row's population and the rows in it (their indices)."""
        if over == "all":
            if ("all",) not in self.populations:
                self.populations[("all",)] = pl.int_range(0, self.inputs.height, dtype=pl.UInt32, eager=True)
            return ("all",), self.populations[("all",)]
        if over == "group":
            key = row.group_index()
            column = self.approx[self.group_id]
        elif over == "field":
            key = row.node("field")
            column = self.inputs["field"]
        else:
            key = row.node(over)
            column = self.inputs[over]
        if key is None:
            return (over, None), pl.Series([], dtype=pl.UInt32)
        if (over, key) not in self.populations:  # found once per population, not once per row that asks
            self.populations[(over, key)] = column.eq(key).fill_null(False).arg_true()
        return (over, key), self.populations[(over, key)]

    def aggregate(self, call: ast.Call, row: "_Row"):
        key, members = self.members(call.over, row)
        cache = (id(call), key)
        if cache not in self.aggregates:
            self.aggregates[cache] = self._aggregate(call, members, row)
        return self.aggregates[cache]

    def _aggregate(self, call: ast.Call, members: pl.Series, row: "_Row"):
        arg = call.args[0]
        func = call.func
        if call.where is not None:
            members = pl.Series([m for m in members if self.row(m).expr(call.where) is True], dtype=pl.UInt32)
        input_column = self._input_column(arg)
        if func in ("sum", "mean", "count") and input_column is not None:
            values = self.inputs[input_column].gather(members).drop_nulls()
            if func == "count":
                return Fraction(values.len())
            if values.len() == 0:
                return None
            if _sums_exactly(values):  # by Polars, in integers
                total = Fraction(values.sum()) if values.dtype.is_decimal() else Fraction(int(values.cast(pl.Int128).sum()))
            else:
                total = sum((to_exact(v) for v in values.to_list()), Fraction(0))
            return total if func == "sum" else total / values.len()
        if func in ORDER_STATISTICS and isinstance(arg, ast.Ref) and call.where is None:
            return self._order_statistic(call, arg, members, row)
        values = [v for v in (self.row(m).expr(arg) for m in members) if v is not None]
        if func == "count":
            return Fraction(len(values))
        if not values:
            return None
        if func == "sum":
            return sum(values, Fraction(0))
        if func == "mean":
            return sum(values, Fraction(0)) / len(values)
        return _pick(sorted(values), func, self._q(call, row), self._method(call, row))

    def _input_column(self, arg: ast.Expr) -> str | None:
        if isinstance(arg, ast.Ref) and arg.target in self.campaign.inputs and arg.target in self.inputs.columns:
            return arg.target
        return None

    def _q(self, call: ast.Call, row: "_Row") -> Fraction:
        if call.func == "quantile":
            return as_fraction(row.expr(call.args[1]))
        return {"median": Fraction(1, 2), "min": Fraction(0), "max": Fraction(1)}[call.func]

    def _method(self, call: ast.Call, row: "_Row") -> str:
        if call.func == "median":
            return "midpoint"
        method = call.option("method")
        return row.expr(method) if method is not None else "lower"

    def _order_statistic(self, call: ast.Call, arg: ast.Ref, members: pl.Series, row: "_Row"):
        """The exact order statistic, comparing exactly only the values near the approximate one."""
        column = arg.target
        approx = self.approx[column].cast(pl.Float64).gather(members)
        members, approx = members.filter(approx.is_not_null()), approx.drop_nulls()
        n = approx.len()
        if n == 0:
            return None
        q, method = self._q(call, row), self._method(call, row)
        h = q * (n - 1)
        lo, hi = math.floor(h), math.ceil(h)
        if column in self.ordered:  # the member at that place in the float order holds the exact value
            by_float = members.gather(approx.arg_sort())
            return _interpolate(*(self.row(by_float[i]).node(column) for i in (lo, hi)), h - lo, method)
        known = list(zip(members.to_list(), approx.to_list()))
        ordered = sorted(v for _, v in known)
        picked = {}
        for index in {lo, hi}:
            v = ordered[index]
            margin = 1e-9 * max(abs(v), 1e-300) + 1e-300
            below = sum(1 for _, x in known if x < v - margin)
            near = sorted(self.row(m).node(column) for m, x in known if abs(x - v) <= margin)
            picked[index] = near[index - below]
        return _interpolate(picked[lo], picked[hi], h - lo, method)

    def group_of(self, row: "_Row") -> int | None:
        field_name = row.node("field") if self.plan.has_fields else None
        for i, case in self.group_conditions:
            if self.plan.has_fields and field_name != case.field_name:
                continue
            if row.node(case.condition) is True:
                return i
        return None


class _Row(Evaluator):
    """One row's values, in the compiler's exact meaning (compiler/evaluator.py) with the data filled in."""

    def __init__(self, rows: ExactRows, index: int):
        # rows keeps its _Row objects: a weak reference back, so that no cycle holds the engine's frames until a
        # garbage collection (a million-row frame of floats)
        self.rows, self.index = weakref.proxy(rows), index
        field_name = rows.inputs["field"][index] if "field" in rows.inputs.columns else None
        super().__init__(rows.campaign, field_name)

    def group_index(self) -> int | None:
        if "#group_index" not in self.memo:
            self.memo["#group_index"] = self.rows.group_of(self)
        return self.memo["#group_index"]

    def node(self, node_id: str):
        if node_id in self.memo:
            return self.memo[node_id]
        if node_id == "group":
            index = self.group_index()
            value = None if index is None else self.rows.plan.groups[index].label
        elif node_id in ("finess", "field"):
            value = self.rows.inputs[node_id][self.index] if node_id in self.rows.inputs.columns else None
        elif node_id in self.c.inputs:
            value = self.rows.cell(self.index, node_id)
        else:
            step = self.rows.steps.get(node_id)
            if step is not None and step.fields and self.rows.plan.has_fields and self.field not in step.fields:
                value = None
            else:
                value = super().node(node_id)
            if step is not None and step.round_cents and value is not None:
                cents = self.rows.shared.get(node_id, {})
                whole = cents.get(self.group_index()) if cents else round_half_even(value * 100)
                value = None if whole is None else Fraction(whole, 100)
        self.memo[node_id] = value
        return value

    def expr(self, e: ast.Expr):
        if isinstance(e, ast.Call):
            if e.over is not None:
                return self.rows.aggregate(e, self)
            if e.func in ("min_of", "max_of"):  # as the engines: missing values are left out
                values = [v for v in (self.expr(a) for a in e.args) if v is not None]
                return (min if e.func == "min_of" else max)(values) if values else None
        return super().expr(e)


def _sums_exactly(values: pl.Series) -> bool:
    """Decimals or integers whose sum cannot leave 38 digits (Polars sums them in Int128)."""
    if not (values.dtype.is_decimal() or values.dtype.is_integer()):
        return False
    unscaled = values.to_physical() if values.dtype.is_decimal() else values
    largest = unscaled.cast(pl.Int128).abs().max()
    return largest is None or int(largest) * values.len() < 10 ** 37


def _pick(ordered: list, func: str, q: Fraction, method: str):
    n = len(ordered)
    h = q * (n - 1)
    lo, hi = math.floor(h), math.ceil(h)
    return _interpolate(ordered[lo], ordered[hi], h - lo, method)


def _interpolate(low, high, fraction: Fraction, method: str):
    """The contract's quantile rules (runtime/plan.py), given x(⌊h⌋), x(⌈h⌉) and h − ⌊h⌋."""
    if method == "lower":
        return low
    if method == "higher":
        return high
    if method == "nearest":
        return high if fraction > Fraction(1, 2) else low
    if method == "midpoint":
        return (low + high) / 2
    return low + fraction * (high - low)  # linear
