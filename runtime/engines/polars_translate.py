"""IR expressions as Polars expressions in floating point, each with a bound on its error.

Every numeric value comes with ``err``, an upper bound of |computed − exact| (None when
the value is exact: integers, and operations on them). A decision whose two sides are
closer than their errors (``a >= b`` with |a − b| < err(a) + err(b)), a floor or a round
whose argument is within its error of the boundary, a division by a value whose sign
the error hides: each adds a *doubt*, and the row's doubts are one column per step.
Doubtful rows are recomputed exactly (runtime/exact.py); the others are certain.

Bounds are first order with u = 2⁻⁵² (twice the unit roundoff) per operation:
  a ± b: ea + eb + u|a ± b|;  a·b: |a|eb + |b|ea + ea·eb + u|ab|;
  a / b: (|a|eb + |b|ea) / (|b|(|b| − eb)) + u|a/b|;  sums over n rows: Σe + u·n·Σ|x|;
  an order statistic: the largest error of its population (the picked value is within it).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from qualispec.compiler.syntax import ast
from qualispec.runtime.plan import Plan, as_fraction

U = 2.0 ** -52
GROUP_ID = "#group"  # the group as a small integer: windows partition on it, not on the label
INTEGER_UNITS = ("count", "days")


class EngineError(Exception):
    """A plan this engine cannot run (reported as a bug: the compiler should have refused it)."""


@dataclass(frozen=True)
class V:
    """A translated value: its Polars expression, its error bound (None: exact), whether it is an integer."""

    value: pl.Expr
    err: pl.Expr | None = None
    integer: bool = False


def _abs_err(v: V) -> pl.Expr:
    return v.err if v.err is not None else pl.lit(0.0)


def _close(a: V, b: V) -> pl.Expr | None:
    """Doubt: a and b are closer than their errors (the exact comparison may go either way)."""
    if a.err is None and b.err is None:
        return None
    return ((a.value - b.value).abs() < _abs_err(a) + _abs_err(b)).fill_null(False)


class Translator:
    """Translates one step at a time; ``doubts`` gathers the step's doubt conditions."""

    def __init__(self, plan: Plan, inexact_columns: set[str], integer_columns: set[str]):
        self.plan = plan
        self.inexact = inexact_columns  # columns with an error column "<name>#err"
        self.integer = integer_columns  # columns holding exact integers
        self.doubts: list[pl.Expr] = []

    def doubt(self, condition: pl.Expr | None) -> None:
        if condition is not None:
            self.doubts.append(condition)

    # -------------------------------------------------------------- leaves
    def constant(self, e: ast.Expr):
        """The value of an expression that must be known before the data (a quantile's q)."""
        if isinstance(e, (ast.Num, ast.Text)):
            return e.value
        if isinstance(e, ast.Ref) and e.target in self.plan.parameters:
            return self.plan.parameters[e.target]
        raise EngineError(f"{e} is not a constant")

    def param(self, name: str) -> V:
        value = self.plan.parameters[name]
        values = list(value.values()) if isinstance(value, dict) else [value]
        if isinstance(value, dict):
            mapping = {k: _python(v) for k, v in value.items()}
            expr = pl.col("field").replace_strict(mapping, default=None, return_dtype=_dtype(mapping.values()))
        else:
            expr = pl.lit(_python(value))
        numeric = [v for v in values if isinstance(v, Fraction)]
        exact = all(Fraction(float(v)) == v for v in numeric)
        return V(expr, None if exact else expr.abs() * U, bool(numeric) and all(v.denominator == 1 for v in numeric))

    def __call__(self, e: ast.Expr) -> V:  # noqa: C901 - one branch per expression kind
        if isinstance(e, ast.Num):
            f = float(e.value)
            return V(pl.lit(f), None if Fraction(f) == e.value else pl.lit(abs(f) * U), e.value.denominator == 1)
        if isinstance(e, (ast.Text, ast.Bool)):
            return V(pl.lit(e.value))
        if isinstance(e, ast.Missing):
            return V(pl.lit(None))
        if isinstance(e, ast.Ref):
            target = e.target or ""
            if target.startswith("field:"):
                return V(pl.lit(target[6:]))
            if target in self.plan.parameters:
                return self.param(target)
            err = pl.col(target + "#err") if target in self.inexact else None
            return V(pl.col(target), err, target in self.integer)
        if isinstance(e, ast.Unary):
            v = self(e.operand)
            return V(~v.value) if e.op == "not" else V(-v.value, v.err, v.integer)
        if isinstance(e, ast.Binary):
            return self.binary(e)
        if isinstance(e, ast.Compare):
            a, b = self(e.left), self(e.right)
            self.doubt(_close(a, b))
            return V({"=": a.value.eq, "!=": a.value.ne, "<": a.value.lt, "<=": a.value.le, ">": a.value.gt,
                      ">=": a.value.ge}[e.op](b.value))
        if isinstance(e, ast.Member):
            operand = self(e.operand)
            out = None
            for o in e.options:
                option = self(o)
                self.doubt(_close(operand, option))
                test = operand.value == option.value
                out = test if out is None else out | test
            return V(out)
        if isinstance(e, ast.If):
            cond, then, else_ = self(e.cond), self(e.then), self(e.else_)
            value = pl.when(cond.value.is_null()).then(None).when(cond.value).then(then.value).otherwise(else_.value)
            err = None
            if then.err is not None or else_.err is not None:
                err = pl.when(cond.value).then(_abs_err(then)).otherwise(_abs_err(else_))
            return V(value, err, then.integer and else_.integer)
        if isinstance(e, ast.Piecewise):
            return self.piecewise(e)
        if isinstance(e, ast.Decide):
            return self.decide(e)
        if isinstance(e, ast.Call):
            return self.call(e)
        raise EngineError(f"no Polars form for {type(e).__name__}")

    # -------------------------------------------------------------- arithmetic
    def binary(self, e: ast.Binary) -> V:
        a, b = self(e.left), self(e.right)
        if e.op == "and":
            return V(a.value & b.value)
        if e.op == "or":
            return V(a.value | b.value)
        return arithmetic(e.op, a, b, self)

    def piecewise(self, e: ast.Piecewise) -> V:
        x = self(e.x)
        points = [(self(a), self(b)) for a, b in e.points]
        x0, y0 = points[0]
        self.doubt(_close(x, x0))
        chain = pl.when(x.value.is_null()).then(None).when(x.value <= x0.value).then(y0.value)
        errs = pl.when(x.value <= x0.value).then(_abs_err(y0))
        for (xa, ya), (xb, yb) in zip(points, points[1:]):
            self.doubt(_close(x, xb))
            slope = arithmetic("/", arithmetic("-", yb, ya, self), arithmetic("-", xb, xa, self), self)
            y = arithmetic("+", ya, arithmetic("*", arithmetic("-", x, xa, self), slope, self), self)
            chain = chain.when(x.value < xb.value).then(y.value)
            errs = errs.when(x.value < xb.value).then(_abs_err(y))
        last = points[-1][1]
        return V(chain.otherwise(last.value), errs.otherwise(_abs_err(last)))

    def decide(self, e: ast.Decide) -> V:
        subjects = [self(s) for s in e.subjects]
        chain = errs = None
        inexact = False
        for patterns, result in e.rules:
            cond = pl.lit(True)
            for s, p in zip(subjects, patterns):
                if not isinstance(p, ast.Wildcard):
                    pattern = self(p)
                    self.doubt(_close(s, pattern))
                    cond = cond & (s.value == pattern.value).fill_null(False)
            r = self(result)
            inexact = inexact or r.err is not None
            chain = pl.when(cond).then(r.value) if chain is None else chain.when(cond).then(r.value)
            errs = pl.when(cond).then(_abs_err(r)) if errs is None else errs.when(cond).then(_abs_err(r))
        return V(chain.otherwise(None), errs.otherwise(0.0) if inexact else None)

    # -------------------------------------------------------------- functions and aggregates
    def call(self, e: ast.Call) -> V:  # noqa: C901 - one branch per function
        f = e.func
        if e.over is None:
            args = [self(a) for a in e.args]
            if f == "available":
                return V(args[0].value.is_not_null())
            if f in ("min_of", "max_of"):
                horizontal = pl.min_horizontal if f == "min_of" else pl.max_horizontal
                errs = [a.err for a in args if a.err is not None]
                return V(horizontal(*[a.value for a in args]), pl.max_horizontal(errs) if errs else None,
                         all(a.integer for a in args))
            x = args[0]
            if f == "abs":
                return V(x.value.abs(), x.err, x.integer)
            if f == "floor":
                if x.err is not None:
                    frac = x.value - x.value.floor()
                    self.doubt(((frac < x.err) | (1 - frac < x.err)).fill_null(False))
                return V(x.value.floor(), None, True)
            if f == "round":
                if x.err is not None:
                    self.doubt(((x.value - x.value.floor() - 0.5).abs() < x.err).fill_null(False))
                return V(x.value.round(0, mode="half_to_even"), None, True)
            raise EngineError(f"unknown function {f}")
        partition = {"all": None, "group": GROUP_ID, "field": "field"}.get(e.over, e.over)
        x = self(e.args[0])
        value = x.value
        if e.where is not None:  # only the rows where the condition holds count in the population
            outer, self.doubts = self.doubts, []
            where = self(e.where).value.fill_null(False)
            inner, self.doubts = self.doubts, outer
            if inner:  # a doubtful member makes the whole population's aggregate doubtful
                self.doubt(_over(pl.any_horizontal(inner).any(), partition))
            value = pl.when(where).then(value)
        err = x.err if x.err is None else pl.when(value.is_not_null()).then(x.err)
        if f == "count":
            return V(_over(value.count(), partition), None, True)
        if f == "sum":
            total = _over(value.sum(), partition)
            if err is None and x.integer:
                return V(total, None, True)
            n = _over(value.count(), partition)
            bound = _over(err.sum(), partition) if err is not None else pl.lit(0.0)
            return V(total, bound + U * n * _over(value.abs().sum(), partition))
        if f == "mean":
            n = _over(value.count(), partition)
            mean = _over(value.mean(), partition)
            bound = _over(err.sum(), partition) if err is not None else pl.lit(0.0)
            return V(mean, (bound + U * n * _over(value.abs().sum(), partition)) / n + U * mean.abs())
        spread = None if err is None else _over(err.max(), partition)
        if f in ("min", "max", "median"):
            agg = {"min": value.min(), "max": value.max(), "median": value.median()}[f]
            out = _over(agg, partition)
            if f == "median" and not x.integer:
                spread = _abs_err(V(out, spread)) + U * out.abs()
            return V(out, spread, x.integer and f != "median")
        if f == "quantile":
            q = as_fraction(self.constant(e.args[1]))
            method = self.constant(e.option("method")) if e.option("method") is not None else "lower"
            out = quantile(value, q, method, partition)
            if method in ("midpoint", "linear"):
                return V(out, 4 * _abs_err(V(out, spread)) + U * out.abs())
            return V(out, spread, x.integer)
        raise EngineError(f"unknown function {f}")


def arithmetic(op: str, a: V, b: V, translator: Translator) -> V:
    """``a op b`` with its error bound, for + - * /."""
    ea, eb = _abs_err(a), _abs_err(b)
    if op in ("+", "-", "*"):
        value = a.value + b.value if op == "+" else a.value - b.value if op == "-" else a.value * b.value
        if a.integer and b.integer and a.err is None and b.err is None:
            return V(value, None, True)
        if op == "*":
            err = a.value.abs() * eb + b.value.abs() * ea + ea * eb + U * value.abs()
        else:
            err = ea + eb + U * value.abs()
        return V(value, err)
    value = pl.when(b.value != 0).then(a.value / b.value)  # x / 0 is missing: "not computable"
    if b.err is None:
        return V(value, ea / b.value.abs() + U * value.abs())
    translator.doubt((b.value.abs() <= eb).fill_null(False))  # even the sign of the divisor is unsure
    err = (a.value.abs() * eb + b.value.abs() * ea) / (b.value.abs() * (b.value.abs() - eb)) + U * value.abs()
    return V(value, err)


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
