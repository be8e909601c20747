"""IR expressions as Spark columns, with the plan's meaning (runtime/plan.py).

Every expression becomes a Spark Column: nothing runs row by row in Python. A
population aggregate is a window over its partition; its argument (and, for a
quantile, the rank of each value) is first computed into a hidden column
(``pre``), so that no window ever nests inside another one.

Values are binary floating point; every decision that floating point could get wrong
(a comparison of non-integers, a divisor that may be 0, a piecewise knot, a floor or a
rounding) is taken on the values' exact forms instead (forms.py, integers in Spark
decimals), on the executors. Only where a value has no exact form does the decision
become a *doubt*, and the row is recomputed on the driver (exact_patch.py).
"""

from __future__ import annotations

from fractions import Fraction

from pyspark.sql import Column, Window
from pyspark.sql import functions as F

from qualispec.compiler.syntax import ast
from qualispec.runtime.engines import NotExact
from qualispec.runtime.engines.spark import rational
from qualispec.runtime.engines.spark.rational import Q
from qualispec.runtime.plan import Plan, as_fraction

GROUP_ID = "#group"
TOL = 1e-12  # a decision whose operands are closer than this (relative) is recomputed exactly
NEAR = 1e-12  # … or closer than this (absolute)
NUMERIC = ("percent", "ratio", "euro", "count", "days", "number")


class EngineError(Exception):
    """A plan this engine cannot run (reported as a bug: the compiler should have refused it)."""


class NotExactOnSpark(NotExact):
    """Values this engine cannot compute exactly (said in French): the embedded engine can."""


def _integral(e: ast.Expr) -> bool:
    """Counts and days are integers, exact in binary floating point (below 2⁵³)."""
    return getattr(e, "unit", None) in ("count", "days") or (isinstance(e, ast.Num) and e.value.denominator == 1)


def col(name: str) -> Column:
    """A column by its node id (ids hold dots: ``num1.result`` is a name, not a field of a struct)."""
    return F.col(f"`{name}`")


class Translator:
    def __init__(self, plan: Plan, numbers):
        self.plan = plan
        self.numbers = numbers  # how numbers are held: runtime/engines/spark/numbers.py
        self.pre: list[tuple[str, Column]] = []  # hidden columns the current step reads, in order
        self.doubts: list[Column] = []  # when one holds, the row's step is recomputed exactly (runtime/exact.py)
        self._fresh = 0
        self.forms = None  # the exact forms (forms.Forms), set by execute.py
        self.request = lambda steps: None  # computes these steps' exact forms (execute.py)
        self.built: dict[int, Column] = {}  # each translated node's column, by id
        self.decide_conditions: dict[int, list[Column]] = {}
        self.aggregate_forms: dict[int, Q | None] = {}
        # the Columns this translator builds more than once, its own (never shared with another translator):
        # each costs a call to Spark's JVM on a classic session, and a Column is immutable
        self.rationals = rational.Rationals()  # exact forms' operations, with their literals
        self._columns: dict[str, Column] = {}
        self._in_fields: dict[tuple[str, ...], Column] = {}

    def col(self, name: str) -> Column:
        """A column by its node id, built once by this translator."""
        column = self._columns.get(name)
        if column is None:
            column = self._columns[name] = col(name)
        return column

    def in_fields(self, fields: tuple[str, ...]) -> Column:
        """The row is of one of these fields (each literal is a call to Spark's JVM: built once)."""
        test = self._in_fields.get(fields)
        if test is None:
            test = self._in_fields[fields] = self.col("field").isin(list(fields))
        return test

    def window(self, partition: str | None):
        return Window.partitionBy(self.col(partition)) if partition else Window.partitionBy(F.lit(0))

    def exact(self, e: ast.Expr) -> Q | None:
        return None if self.forms is None else self.forms.of(e)

    def use(self, *forms: Q) -> None:
        """These forms are read by the current step: their hidden columns before it, their steps computed."""
        staged = {name for name, _ in self.pre}
        for q in forms:
            self.pre += [(name, column) for name, column in q.pre if name not in staged]
            staged |= {name for name, _ in q.pre}
            self.request(q.needs)

    def decided(self, op: str, left: ast.Expr, right: ast.Expr) -> Column | None:
        """left op right on the exact forms, or None when one has none."""
        return None if self.forms is None else self.forms.decision(op, self.exact(left), self.exact(right))

    def doubt(self, condition: Column) -> None:
        self.doubts.append(F.coalesce(condition, F.lit(False)))

    def near(self, a: Column, b: Column) -> None:
        """Doubt when a and b are equal within what binary floating point may have lost."""
        self.doubt(F.abs(a - b) <= (F.abs(a) + F.abs(b)) * TOL + F.lit(NEAR))

    def hidden(self, column: Column, kind: str) -> Column:
        self._fresh += 1
        name = f"#{kind}{self._fresh}"
        self.pre.append((name, column))
        return self.col(name)

    def param(self, name: str) -> Column:
        value = self.plan.parameters[name]
        if isinstance(value, dict):
            chain = None
            for key, v in value.items():
                test = self.col("field") == F.lit(key)
                chain = F.when(test, self.literal(v)) if chain is None else chain.when(test, self.literal(v))
            return chain.otherwise(F.lit(None)) if chain is not None else F.lit(None)
        return self.literal(value)

    def literal(self, value) -> Column:
        if value is None:
            return F.lit(None)
        if isinstance(value, (bool, str)):
            return F.lit(value)
        return self.numbers.literal(as_fraction(value))

    def constant(self, e: ast.Expr):
        """The value of an expression that must be known before the data (a quantile's q)."""
        if isinstance(e, (ast.Num, ast.Text)):
            return e.value
        if isinstance(e, ast.Ref) and e.target in self.plan.parameters:
            return self.plan.parameters[e.target]
        raise EngineError(f"{e} is not a constant")

    def __call__(self, e: ast.Expr) -> Column:
        column = self._translate(e)
        self.built[id(e)] = column
        return column

    def _translate(self, e: ast.Expr) -> Column:  # noqa: C901 - one branch per kind of expression
        t = self
        if isinstance(e, ast.Num):
            return self.numbers.literal(e.value)
        if isinstance(e, (ast.Text, ast.Bool)):
            return F.lit(e.value)
        if isinstance(e, ast.Missing):
            return F.lit(None)
        if isinstance(e, ast.Ref):
            target = e.target or ""
            if target.startswith("field:"):
                return F.lit(target[6:])
            if target in self.plan.parameters:
                return self.param(target)
            return self.col(target)
        if isinstance(e, ast.Unary):
            return ~t(e.operand) if e.op == "not" else -t(e.operand)
        if isinstance(e, ast.Binary):
            a, b = t(e.left), t(e.right)
            if e.op == "and":
                return a & b
            if e.op == "or":
                return a | b
            if e.op in ("+", "-", "*"):
                return self.numbers.arithmetic(e.op, a, b)
            if not _integral(e.right):
                divisor = self.exact(e.right)
                if divisor is not None:  # 0 exactly, or not
                    self.use(divisor)
                    return F.when(divisor.num != 0, self.numbers.divide(a, b))
                self.near(b, F.lit(0.0))  # a divisor that is 0 exactly, or nearly
            return F.when(b != 0, self.numbers.divide(a, b))  # x / 0 is missing: "not computable"
        if isinstance(e, ast.Compare):
            a, b = t(e.left), t(e.right)
            numeric = getattr(e.left, "unit", None) in NUMERIC or getattr(e.right, "unit", None) in NUMERIC
            if numeric and not (_integral(e.left) and _integral(e.right)):
                exact = self.decided(e.op, e.left, e.right)
                if exact is not None:
                    return exact
                self.near(a, b)
            return {"=": a.__eq__, "!=": a.__ne__, "<": a.__lt__, "<=": a.__le__, ">": a.__gt__,
                    ">=": a.__ge__}[e.op](b)
        if isinstance(e, ast.Member):
            operand = t(e.operand)
            out = None
            for o in e.options:
                test = operand == t(o)
                out = test if out is None else out | test
            return out
        if isinstance(e, ast.If):
            cond = t(e.cond)
            return F.when(cond.isNull(), F.lit(None)).when(cond, t(e.then)).otherwise(t(e.else_))
        if isinstance(e, ast.Piecewise):
            return self.piecewise(e)
        if isinstance(e, ast.Decide):
            return self.decide(e)
        if isinstance(e, ast.Call):
            return self.call(e)
        raise EngineError(f"no Spark form for {type(e).__name__}")

    def piecewise(self, e: ast.Piecewise) -> Column:
        n = self.numbers
        x = self(e.x)
        points = [(self(a), self(b)) for a, b in e.points]
        x0, y0 = points[0]
        knots = [self.decided("<=", e.x, e.points[0][0])] + [self.decided("<", e.x, b) for b, _ in e.points[1:]]
        if any(k is None for k in knots):  # the segment chosen in floating point, doubtful near a knot
            knots = [x <= x0] + [x < xb for xb, _ in points[1:]]
            for xp, _ in points:
                self.near(x, xp)
        chain = F.when(x.isNull(), F.lit(None)).when(knots[0], y0)
        for (xa, ya), (xb, yb), below in zip(points, points[1:], knots[1:]):
            slope_part = n.divide(n.arithmetic("*", n.arithmetic("-", x, xa), n.arithmetic("-", yb, ya)),
                                  n.arithmetic("-", xb, xa))
            chain = chain.when(below, n.arithmetic("+", ya, slope_part))
        return chain.otherwise(points[-1][1])

    def decide(self, e: ast.Decide) -> Column:
        subjects = [self(s) for s in e.subjects]
        chain = None
        conditions = self.decide_conditions[id(e)] = []
        for patterns, result in e.rules:
            cond = F.lit(True)
            for subject, s, p in zip(e.subjects, subjects, patterns):
                if not isinstance(p, ast.Wildcard):
                    pattern, same = self(p), None
                    if getattr(subject, "unit", None) in NUMERIC and not _integral(subject):
                        same = self.decided("=", subject, p)
                        if same is None:
                            self.near(s, pattern)
                    cond = cond & F.coalesce(s == pattern if same is None else same, F.lit(False))
            conditions.append(cond)
            chain = F.when(cond, self(result)) if chain is None else chain.when(cond, self(result))
        return chain.otherwise(F.lit(None))

    def call(self, e: ast.Call) -> Column:
        f = e.func
        n = self.numbers
        if f in ("available", "min_of", "max_of", "abs", "floor", "round"):
            args = [self(a) for a in e.args]
            if f == "available":
                return args[0].isNotNull()
            if f == "min_of":
                return F.least(*args)
            if f == "max_of":
                return F.greatest(*args)
            if f == "abs":
                return F.abs(args[0])
            x = self.exact(e.args[0])
            r = self.rationals
            whole = None if x is None else (r.floor if f == "floor" else r.round_half_even)(x)
            if whole is not None:  # decided on the exact value
                self.use(x)
                return whole.cast("double")
            frac = args[0] - F.floor(args[0])
            if f == "floor":
                self.doubt((frac < F.abs(args[0]) * TOL + NEAR) | (1 - frac < F.abs(args[0]) * TOL + NEAR))
                return n.floor(args[0])
            self.doubt(F.abs(frac - 0.5) < F.abs(args[0]) * TOL + NEAR)
            return n.round_even(args[0], 0)
        partition = {"all": None, "group": GROUP_ID, "field": "field"}.get(e.over, e.over)
        x = self(e.args[0])
        keep = F.lit(True)
        if e.where is not None:  # only the rows where the condition holds count in the population
            keep = F.coalesce(self(e.where), F.lit(False))
            x = F.when(keep, x)
        x = self.hidden(x, "x")  # a window reads a column, never another window
        w = self.window(partition)
        exact = self.exact(e.args[0]) if self.forms is not None else None
        if f in ("quantile", "median"):
            q = as_fraction(self.constant(e.args[1])) if f == "quantile" else Fraction(1, 2)
            method = "midpoint" if f == "median" else \
                (self.constant(e.option("method")) if e.option("method") is not None else "lower")
            return self.quantile(x, q, method, w, e, exact, keep)
        if f == "count":
            self.aggregate_forms[id(e)] = self.rationals.integer(F.count(x).over(w), self.forms.rows) \
                if self.forms else None
            return F.count(x).over(w)
        if f in ("sum", "mean") and self.forms is not None:
            total = self.forms.total(exact, keep, w)
            if f == "mean" and total is not None:
                count = self.rationals.integer(F.count(x).over(w), self.forms.rows)
                total = None if count is None else self.rationals.div(total, count)
            self.aggregate_forms[id(e)] = total
            if total is not None:  # added up exactly, then rounded once (a float sum loses n roundings)
                self.use(total)
                value = rational.to_double(total)
                return F.coalesce(value, n.literal(Fraction(0))) if f == "sum" else value
        if f == "sum":
            return F.coalesce(n.sum(x).over(w), n.literal(Fraction(0)))  # nothing to add up: 0
        if f == "mean":
            return n.divide(n.sum(x).over(w), F.count(x).over(w))
        if f == "min":
            return F.min(x).over(w)
        if f == "max":
            return F.max(x).over(w)
        raise EngineError(f"unknown function {f}")

    def quantile(self, x: Column, q: Fraction, method: str, w, e: ast.Call, exact: Q | None, keep: Column) -> Column:
        """The q-quantile of x's non-missing values in the window, with exact index arithmetic.

        Values sorted x(0) ≤ … ≤ x(n−1); h = q·(n−1) in integers (q is a fraction):
        lower = x(⌊h⌋), higher = x(⌈h⌉), nearest = the closer of the two (ties: lower),
        midpoint = their mean, linear = x(⌊h⌋) + (h − ⌊h⌋)·(x(⌈h⌉) − x(⌊h⌋)). The exact
        form is that of the members picked, ranked by their exact values when they have an exact form
        (see :meth:`exact_order`), else by their floating-point values.

        The ranks are a window ordered within the population: over everyone (``over all``), one
        partition, on one core, with every column of the table (Spark sorts it there); by group or
        field, a partition each. A population's count and picked members are windows too. (Group-bys
        joined back, branch spark-groupby, gave the same cells but cost more on local[2]: each a job.)
        The table is the establishment table, one row per establishment and field, never records
        (record tables are grouped by establishment before: records.py, on every core): that one
        partition holds the campaign's establishment rows.
        """
        num = self.numbers
        count = self.hidden(F.count(x).over(w), "n")
        order = [x.asc_nulls_last()]
        keys = self.exact_order(exact)
        if keys is not None:  # the exact order first: two values of one binary float are told apart
            order[:0] = [F.when(x.isNotNull(), key).asc_nulls_last() for key in keys]
        rank = self.hidden(F.when(x.isNotNull(), F.row_number().over(w.orderBy(*order)) - 1), "rank")
        scaled = self.hidden(F.greatest(count - 1, F.lit(0)).cast("long") * F.lit(q.numerator), "h")
        rem = self.hidden(F.pmod(scaled, F.lit(q.denominator)), "rem")
        lo = self.hidden(((scaled - rem) / F.lit(q.denominator)).cast("long"), "lo")
        hi = self.hidden(lo + (rem > 0).cast("long"), "hi")
        above = rem * 2 > F.lit(q.denominator)
        picks = None if self.forms is None else self.forms.picked(exact, keep, w, rank, [lo, hi])
        if picks is not None:
            self.aggregate_forms[id(e)] = _exact_quantile(self.rationals, method, *picks, rem, above, q.denominator)

        def at(index: Column) -> Column:
            return F.max(F.when(rank == index, x)).over(w)

        if method == "lower":
            return at(lo)
        if method == "higher":
            return at(hi)
        if method == "nearest":
            return F.when(above, at(hi)).otherwise(at(lo))
        if method == "midpoint":
            return num.divide(num.arithmetic("+", at(lo), at(hi)), num.literal(Fraction(2)))
        if method == "linear":
            low = at(lo)
            step = num.arithmetic("-", at(hi), low)
            return num.arithmetic("+", low, num.divide(num.arithmetic("*", num.of_integer(rem), step),
                                                       num.literal(Fraction(q.denominator))))
        raise EngineError(f"unknown quantile method {method}")


    def exact_order(self, exact: Q | None) -> list[Column] | None:
        """Integer keys in the exact order of the values (compared one after the other).

        One key when it fits: ⌊num·10ᵏ/den⌋ with 10ᵏ > den_max². Two different fractions of
        denominators at most den_max differ by at least 1/den_max², so their keys differ; equal
        fractions (1/5, 20/100) get one key. When num·10ᵏ could leave the range where the engine
        divides exactly (rational.DIGITS_LIMIT: a denominator up to 10¹¹, a count of correspondents
        that large), the integer part ⌊num/den⌋ (rational.floor: exact, or the job stops in French),
        then the remainder's digits in a base 10ᵇ with den_max·10ᵇ below the limit, as many as make
        10ᵏ > den_max²: each digit an exact integer division, each remainder a hidden column (an
        expression would repeat the one before it twice). Beyond (a denominator of 30 digits):
        refused, in French, rather than ranked in floating point."""
        if exact is None:
            return None
        r = self.rationals
        factor = 10 ** len(str(exact.den_max ** 2))
        if exact.num_max * factor < rational.DIGITS_LIMIT:
            scaled = r.scaled(exact, factor)
            if scaled is not None:
                self.use(scaled)
                return [r.floor(scaled)]
        digits = len(str(rational.DIGITS_LIMIT)) - 1 - len(str(exact.den_max))  # den_max·10ᵇ < DIGITS_LIMIT
        if digits < 1:
            raise NotExactOnSpark(_TOO_FINE.format(den=f"{exact.den_max:_}".replace("_", " ")))
        self.use(exact)
        whole = self.hidden(r.floor(exact), "k")
        keys = [whole]
        rest = self.hidden(r.remainder(exact, whole), "r")  # in [0, den)
        base, reached = 10 ** digits, 1
        while reached <= exact.den_max ** 2:
            part = r.shifted(rest, exact, base)  # rest·10ᵇ over den
            digit = self.hidden(r.floor(part), "k")
            keys.append(digit)
            reached *= base
            if reached <= exact.den_max ** 2:
                rest = self.hidden(r.remainder(part, digit), "r")
        return keys


_TOO_FINE = ("un quantile porte sur des valeurs dont le dénominateur exact peut atteindre {den} : le moteur Spark "
             "ne sait pas les ranger exactement ; évaluez cette campagne avec le moteur intégré (--engine polars)")


def _exact_quantile(r: rational.Rationals, method: str, low: Q, high: Q, rem: Column, above: Column,
                    denominator: int) -> Q | None:
    if method == "lower":
        return low
    if method == "higher":
        return high
    if method == "nearest":
        return r.choose([(above, high)], low)
    if method == "midpoint":
        both = r.add(low, high)
        return None if both is None else r.div(both, r.constant(2))
    if method == "linear":
        step = r.add(high, low, -1)
        part = None if step is None else r.mul(r.integer(rem, denominator), step)
        part = None if part is None else r.div(part, r.constant(denominator))
        return None if part is None else r.add(low, part)
    return None
