"""IR expressions as Polars expressions: a value in floating point with an error bound, and its exact form.

Each translated value ``V`` has two lanes:

- ``value`` in float64 with ``err``, an upper bound of |computed − exact| (None when the
  value is exact: integers, and operations on them);
- ``exact``, the same value as an exact rational in Int128 integers (polars_rational.py),
  held on the rows where its integers stay inside the guarded range.

Every decision (comparison, branch, piecewise segment, decide row, floor, round) whose two
sides are closer than their errors is taken from the exact lane, in Polars. Only where the
exact lane is not held either does the decision become a *doubt*; doubtful rows are
recomputed exactly in Python (runtime/exact.py).

Bounds are first order with u = 2⁻⁵² (twice the unit roundoff) per operation:
  a ± b: ea + eb + u|a ± b|;  a·b: |a|eb + |b|ea + ea·eb + u|ab|;
  a / b: (|a|eb + |b|ea) / (|b|(|b| − eb)) + u|a/b|;  sums over n rows: Σe + u·n·Σ|x|;
  an order statistic: the largest error of its population (the picked value is within it).

Most bounds are *relative*, known before the data: e ≤ r·|computed value| with r a number
(``V.rel``), so no column holds them. An input or a literal has r = u; products, quotients,
negations, minima and maxima, branches and the order statistics that pick a member keep a
relative bound: a·b: ra + rb + ra·rb + u;  a / b: (ra + rb) / (1 − rb) + u;  a branch or a
min/max: the largest r of its values (x ↦ x ± r|x| is increasing for r < 1, so the k-th
smallest of values each within r|x| of its exact one is within r|x| of the exact k-th
smallest). Sums and differences (cancellation) have an absolute bound, held as a column.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from qualispec.compiler.syntax import ast
from qualispec.runtime.engines import polars_rational as rational
from qualispec.runtime.engines.polars_rational import NOT_HELD, Lazy, Q, form, known, lazy
from qualispec.runtime.plan import Plan

U = 2.0 ** -52
ROW = "__row"  # the row number (quantiles pick rows by it)
GROUP_ID = "#group"  # the group as a small integer: windows partition on it, not on the label
INTEGER_UNITS = ("count", "days")
OPS = {"=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


class EngineError(Exception):
    """A plan this engine cannot run (reported as a bug: the compiler should have refused it)."""


@dataclass(frozen=True)
class V:
    """A translated value: float expression, error bound (None: exact), integer or not, exact form."""

    value: pl.Expr
    err: pl.Expr | None = None
    integer: bool = False
    exact: Lazy | None = None  # the exact form, built on first use
    rounded: bool = False  # value is the exact value correctly rounded (one division of exact integers)
    rel: float | None = None  # err is rel·|value| (a relative bound, held in no column); None: err is absolute
    constant: Fraction | None = None  # the value, when it is a number known before the data (a literal, a parameter)


def relative(value: pl.Expr, rel: float, integer: bool = False, exact: Lazy | None = None, rounded: bool = False) -> V:
    """A value within rel·|value| of its exact one."""
    return V(value, value.cast(pl.Float64).abs() * rel, integer, exact, rounded, rel)


def rel_of(v: V) -> float | None:
    """v's relative bound: 0 when v is exact, None when its bound is absolute."""
    return 0.0 if v.err is None else v.rel


def abs_err(v: V) -> pl.Expr:
    return v.err if v.err is not None else pl.lit(0.0)


def _close(a: V, b: V) -> pl.Expr | None:
    """a and b are closer than their errors (the float comparison may go either way)."""
    if a.err is None and b.err is None:
        return None
    return ((a.value - b.value).abs() < abs_err(a) + abs_err(b)).fill_null(False)


def grid_gap(a: Q, b: Q | None = None) -> float | None:
    """The least distance between two different values of these exact forms (or of ``a`` and an integer).

    a = n/d and b = m/e with d ≤ D, e ≤ E: a ≠ b means |a − b| ≥ 1/(D·E) (1/D when both have the same
    fixed denominator D). So floats within error of each other, with errors below a quarter of that gap,
    stand for EQUAL exact values: the fast pass decides a close comparison as an equality, exactly,
    without the exact lane. None when a form is not held on every row (then there is no such grid).
    """
    if not a.always or (b is not None and not b.always):
        return None
    if b is not None and a.fixed is not None and a.fixed == b.fixed:
        bound = a.fixed
    else:
        bound = _den_bound(a) * (1 if b is None else _den_bound(b))
    return 1 / bound if bound > 0 else None  # 0: a divisor that is always 0, the value always missing


def _den_bound(q: Q) -> int:
    return q.fixed if q.fixed is not None else q.den_max


def _held(v: V):
    q = form(v.exact)
    return q if q is not None else NOT_HELD


class Translator:
    """Translates one step at a time; ``doubts`` gathers the step's doubt conditions."""

    def __init__(self, plan: Plan, inexact_columns: set[str], integer_columns: set[str], exact_columns: dict[str, Lazy]):
        self.plan = plan
        self.inexact = inexact_columns  # columns with an error column "<name>#err"
        self.integer = integer_columns  # columns holding exact integers
        self.rounded: set[str] = set()  # columns whose floats are their exact values correctly rounded
        self.relative: dict[str, float] = {}  # inexact columns with a relative bound (no "<name>#err" column)
        self.exact = exact_columns  # columns with an exact form
        self.inputs = {name for name in exact_columns if name in (plan.typed_ir.inputs if plan.typed_ir else ())}
        self.rows = 1  # the dataset's number of rows: a bound of counts
        self.doubts: list[pl.Expr] = []
        # The fast pass: no exact lane in the query; decisions on the grid of their exact forms (see grid_gap),
        # and any other close call a doubt that sends the whole evaluation to the exact pass.
        self.fast = False
        self.ordered: set[str] = set()  # columns whose float order is their exact order (see polars_calls)

    def doubt(self, condition: pl.Expr | None) -> None:
        if condition is not None:
            self.doubts.append(condition)

    def compare(self, op: str, a: V, b: V) -> pl.Expr:
        """a op b, decided exactly wherever the floats are too close to tell."""
        approx = getattr(a.value, OPS[op])(b.value)
        close = _close(a, b)
        if close is None:
            return approx
        qa, qb = form(a.exact), form(b.exact)
        if self.fast:
            gap = None if qa is None or qb is None else grid_gap(qa, qb)
            if gap is None:
                self.doubt(close)
                return approx
            self.doubt(close & ((abs_err(a) + abs_err(b)) * 4 >= gap))
            return pl.when(close).then(pl.lit(op in ("=", "<=", ">="))).otherwise(approx)
        decided = None if qa is None or qb is None else rational.compare(op, qa, qb)
        if decided is None:
            self.doubt(close)
            return approx
        exact, held = decided
        if held is None:  # held on every row: the exact decision is the decision
            return exact
        self.doubt(close & ~held)
        return pl.when(close & held).then(exact).otherwise(approx)

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
        numeric = [v for v in values if isinstance(v, Fraction)]
        exact = all(Fraction(float(v)) == v for v in numeric)
        if isinstance(value, dict):
            mapping = {k: _python(v) for k, v in value.items()}
            expr = pl.col("field").replace_strict(mapping, default=None, return_dtype=_dtype(mapping.values()))
            exact_form = known(_keyed_exact(value)) if numeric and len(numeric) == len(values) else None
        else:
            expr = pl.lit(_python(value))
            exact_form = known(rational.constant(value)) if numeric else None
        integer = bool(numeric) and all(v.denominator == 1 for v in numeric)
        if not exact:
            return relative(expr, U, integer, exact_form)
        return V(expr, None, integer, exact_form, constant=value if isinstance(value, Fraction) else None)

    def __call__(self, e: ast.Expr) -> V:  # noqa: C901 - one branch per expression kind
        if isinstance(e, ast.Num):
            f = float(e.value)
            exact = known(rational.constant(e.value))
            if Fraction(f) == e.value:
                return V(pl.lit(f), None, e.value.denominator == 1, exact, constant=e.value)
            return V(pl.lit(f), pl.lit(abs(f) * U), e.value.denominator == 1, exact, False, U)
        if isinstance(e, (ast.Text, ast.Bool)):
            return V(pl.lit(e.value))
        if isinstance(e, ast.Missing):
            return V(pl.lit(None), None, False, known(rational.constant(None)))
        if isinstance(e, ast.Ref):
            target = e.target or ""
            if target.startswith("field:"):
                return V(pl.lit(target[6:]))
            if target in self.plan.parameters:
                return self.param(target)
            if target in self.relative:
                return relative(pl.col(target), self.relative[target], target in self.integer, self.exact.get(target),
                                target in self.rounded)
            err = pl.col(target + "#err") if target in self.inexact else None
            return V(pl.col(target), err, target in self.integer, self.exact.get(target), target in self.rounded)
        if isinstance(e, ast.Unary):
            v = self(e.operand)
            if e.op == "not":
                return V(~v.value)
            return V(-v.value, v.err, v.integer, lazy(rational.neg, v.exact), False, v.rel)
        if isinstance(e, ast.Binary):
            return self.binary(e)
        if isinstance(e, ast.Compare):
            return V(self.compare(e.op, self(e.left), self(e.right)))
        if isinstance(e, ast.Member):
            operand = self(e.operand)
            out = None
            for o in e.options:
                test = self.compare("=", operand, self(o))
                out = test if out is None else out | test
            return V(out)
        if isinstance(e, ast.If):
            return self.branch(e)
        if isinstance(e, ast.Piecewise):
            return self.piecewise(e)
        if isinstance(e, ast.Decide):
            return self.decide(e)
        if isinstance(e, ast.Call):
            return call(self, e)
        raise EngineError(f"no Polars form for {type(e).__name__}")

    # -------------------------------------------------------------- arithmetic and branches
    def binary(self, e: ast.Binary) -> V:
        a, b = self(e.left), self(e.right)
        if e.op == "and":
            return V(a.value & b.value)
        if e.op == "or":
            return V(a.value | b.value)
        return arithmetic(e.op, a, b, self)

    def choose(self, branches: list[tuple[pl.Expr, V]], otherwise: V) -> V:
        """when(cond).then(v)… over both lanes; a missing condition gives a missing value."""
        value = err = None
        for cond, v in branches:
            value = (pl.when(cond) if value is None else value.when(cond)).then(v.value)
        value = value.otherwise(otherwise.value)
        every = [v for _, v in branches] + [otherwise]
        rels = [rel_of(v) for v in every]
        if any(v.err is not None for v in every) and None not in rels:
            err = max(rels)  # each within its r·|value| of its exact value: within the largest r
        elif any(v.err is not None for v in every):
            for cond, v in branches:
                err = (pl.when(cond) if err is None else err.when(cond)).then(abs_err(v))
            err = err.otherwise(abs_err(otherwise))
        exact = None
        if any(v.exact is not None for v in every):
            exact = Lazy(lambda: rational.choose([(cond, _held(v)) for cond, v in branches], _held(otherwise)))
        # correctly rounded when each branch is, or exact (a missing value, a literal): the chosen float is
        rounded = any(v.rounded for v in every) and all(v.rounded or v.err is None for v in every)
        if isinstance(err, float):
            return relative(value, err, all(v.integer for v in every), exact, rounded)
        return V(value, err, all(v.integer for v in every), exact, rounded)

    def branch(self, e: ast.If) -> V:
        cond, then, else_ = self(e.cond), self(e.then), self(e.else_)
        missing = V(pl.lit(None), None, True, known(rational.constant(None)))
        return self.choose([(cond.value.is_null(), missing), (cond.value, then)], else_)

    def piecewise(self, e: ast.Piecewise) -> V:
        x = self(e.x)
        points = [(self(a), self(b)) for a, b in e.points]
        x0, y0 = points[0]
        missing = V(pl.lit(None), None, True, known(rational.constant(None)))
        branches = [(x.value.is_null(), missing), (self.compare("<=", x, x0), y0)]
        for (xa, ya), (xb, yb) in zip(points, points[1:]):
            slope = arithmetic("/", arithmetic("-", yb, ya, self), arithmetic("-", xb, xa, self), self)
            y = arithmetic("+", ya, arithmetic("*", arithmetic("-", x, xa, self), slope, self), self)
            branches.append((self.compare("<", x, xb), y))
        value = self.choose(branches, points[-1][1])
        if value.err is None:  # a value between points: not an integer, yet exact (a bound of 0)
            return relative(value.value, 0.0, False, value.exact)
        return V(value.value, value.err, False, value.exact, False, value.rel)

    def decide(self, e: ast.Decide) -> V:
        subjects = [self(s) for s in e.subjects]
        branches = []
        for patterns, result in e.rules:
            cond = pl.lit(True)
            for s, p in zip(subjects, patterns):
                if not isinstance(p, ast.Wildcard):
                    cond = cond & self.compare("=", s, self(p)).fill_null(False)
            branches.append((cond, self(result)))
        chosen = self.choose(branches, V(pl.lit(None), None, True, known(rational.constant(None))))
        return V(chosen.value, chosen.err, False, chosen.exact, False, chosen.rel)


def arithmetic(op: str, a: V, b: V, translator: Translator) -> V:
    """``a op b`` with its error bound and exact form, for + - * /."""
    exact = lazy({"+": rational.add, "-": lambda x, y: rational.add(x, y, -1), "*": rational.mul,
                  "/": rational.div}[op], a.exact, b.exact)
    ea, eb = abs_err(a), abs_err(b)
    ra, rb = rel_of(a), rel_of(b)
    if op in ("+", "-", "*"):
        value = a.value + b.value if op == "+" else a.value - b.value if op == "-" else a.value * b.value
        if a.integer and b.integer and a.err is None and b.err is None:
            return V(value, None, True, exact)
        if op == "*" and (kept := _times_one(a, b)) is not None:  # ±1 · x is exactly ±x: x's error, no rounding
            return relative(value, kept.rel, False, exact) if kept.rel is not None else V(value, kept.err, False, exact)
        if op == "*" and ra is not None and rb is not None:
            return relative(value, ra + rb + ra * rb + U, False, exact)
        if op == "*":
            err = _magnitude(a) * eb + _magnitude(b) * ea + ea * eb + U * value.abs()
        else:
            err = ea + eb + U * value.abs()
        return V(value, err, False, exact)
    value = pl.when(b.value != 0).then(a.value / b.value)  # x / 0 is missing: "not computable"
    if ra is not None and rb is not None and rb < 0.5:  # |b| ≤ rb·|b| only where b is 0: then missing, exactly
        once = a.integer and b.integer and a.err is None and b.err is None  # integers below 2⁵³: one rounding
        return relative(value, (ra + rb) / (1 - rb) + U, False, exact, once)
    if b.err is None:
        once = a.integer and b.integer and a.err is None  # integers below 2⁵³ (see _exact_pick): one rounding
        return V(value, ea / _magnitude(b) + U * value.abs(), False, exact, once)
    translator.doubt((_magnitude(b) <= eb).fill_null(False))  # even the sign of the divisor is unsure
    err = (_magnitude(a) * eb + _magnitude(b) * ea) / (_magnitude(b) * (_magnitude(b) - eb)) + U * value.abs()
    return V(value, err, False, exact)


def _times_one(a: V, b: V) -> V | None:
    """The inexact operand of a product whose other operand is exactly 1 or −1 (a weight of 100 %), else None.

    Multiplying a float by ±1 only sets its sign: the product is exactly ±x, within x's error of the exact
    product, with no rounding of its own (an exact operand is left to the other rules)."""
    for one, other in ((a, b), (b, a)):
        if one.constant is not None and abs(one.constant) == 1 and one.err is None and other.err is not None:
            return other
    return None


def _magnitude(v: V) -> pl.Expr:
    """|value| as a float, for error bounds (also of an always-missing value, typed null)."""
    return v.value.cast(pl.Float64).abs()


def _keyed_exact(values: dict):
    forms = {k: Fraction(v) for k, v in values.items()}
    nums = pl.col("field").replace_strict({k: f.numerator for k, f in forms.items()}, default=None,
                                          return_dtype=rational.I128)
    dens = pl.col("field").replace_strict({k: f.denominator for k, f in forms.items()}, default=None,
                                          return_dtype=rational.I128)
    same = {f.denominator for f in forms.values()}
    biggest = max(abs(f.numerator) for f in forms.values()), max(f.denominator for f in forms.values())
    return rational._checked(nums, dens, *biggest, same.pop() if len(same) == 1 else None)


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


from qualispec.runtime.engines.polars_calls import call  # noqa: E402 - functions and aggregates build on V and Translator
