"""The exact form (rational.py) of an IR expression, beside its floating-point column (translate.py).

``Forms.of(e)`` is called once e's floating-point column is built (the translator keeps
each node's column, ``Translator.built``), so that a condition or a quantile's ranks are
shared by both. A reference to an input reads its exact integers (execute.py adds them
before the job: ``#qn:input``); a reference to a step reads ``#qn:step``/``#qd:step``,
columns computed only when some decision asks for them (``Q.needs``). Hidden columns a
form needs (a window's numerators, a quantile's picked member) are listed in ``Q.pre``:
they are added just before the column that reads them.

No form (None) where the integers could reach 10³⁸, or for what has none (texts, an
order statistic over values with no form): the translator then keeps its doubts.
"""

from __future__ import annotations

from fractions import Fraction

from pyspark.sql import Column
from pyspark.sql import functions as F

from qualispec.compiler.syntax import ast
from qualispec.runtime.engines.spark import rational
from qualispec.runtime.engines.spark.rational import Q
from qualispec.runtime.plan import as_fraction

NUM, DEN = "#qn:", "#qd:"


class Forms:
    def __init__(self, translator, inputs: dict[str, Q], rows: int):
        self.t = translator
        self.r = translator.rationals  # the translator's operations on exact forms, and its literals
        self.inputs = inputs  # exact forms of the input columns
        self.steps: dict[str, Q] = {}  # built forms of the steps (read through their #q columns)
        self.rows = rows  # the dataset's rows: a bound on a population's size
        self._fresh = 0
        self._built: dict[int, tuple[ast.Expr, Q]] = {}  # id(node) -> (node, its form): each built once
        self._refs: dict[str, tuple[Q, Q]] = {}  # a step's form -> the form that reads its columns

    def hidden(self) -> str:
        self._fresh += 1
        return f"#qh{self._fresh}"

    def of(self, e: ast.Expr) -> Q | None:
        """The node's exact form, built once (a form is asked for again by each decision above it: each
        build is many calls to Spark's JVM, and a population sum's would add its hidden columns again)."""
        known = self._built.get(id(e))
        if known is not None and known[0] is e:
            return known[1]
        q = self._of(e)
        if q is not None:  # None may be for now only (a step whose form is not built yet): asked again
            self._built[id(e)] = (e, q)
        return q

    def _of(self, e: ast.Expr) -> Q | None:  # noqa: C901 - one branch per kind of expression
        if isinstance(e, ast.Num):
            return self.r.constant(e.value)
        if isinstance(e, ast.Missing):
            return self.r.constant(None)
        if isinstance(e, ast.Ref):
            return self.ref(e.target or "")
        if isinstance(e, ast.Unary):
            q = self.of(e.operand) if e.op == "-" else None
            return None if q is None else self.r.neg(q)
        if isinstance(e, ast.Binary) and e.op in ("+", "-", "*", "/"):
            a, b = self.of(e.left), self.of(e.right)
            if a is None or b is None:
                return None
            return {"+": self.r.add, "-": lambda x, y: self.r.add(x, y, -1), "*": self.r.mul,
                    "/": self.r.div}[e.op](a, b)
        if isinstance(e, ast.If):
            a, b = self.of(e.then), self.of(e.else_)
            if a is None or b is None:
                return None
            cond = self.t.built[id(e.cond)]
            return self.r.choose([(cond.isNull(), self.r.constant(None)), (cond, a)], b)
        if isinstance(e, ast.Piecewise):
            return self.piecewise(e)
        if isinstance(e, ast.Decide):
            return self.decide(e)
        if isinstance(e, ast.Call):
            return self.call(e)
        return None

    def ref(self, target: str) -> Q | None:
        if target in self.t.plan.parameters:
            value = self.t.plan.parameters[target]
            if not isinstance(value, dict):
                return self.r.constant(as_fraction(value)) if _numeric(value) else None
            if not value or not all(_numeric(v) for v in value.values()):
                return None
            branches = [(self.t.col("field") == F.lit(k), self.r.constant(as_fraction(v))) for k, v in value.items()]
            if any(q is None for _, q in branches):
                return None
            return self.r.choose(branches, self.r.constant(None))
        if target in self.inputs:
            return self.inputs[target]
        built = self.steps.get(target)
        if built is None:
            return None
        known = self._refs.get(target)
        if known is None or known[0] is not built:
            known = self._refs[target] = (built, Q(F.col(f"`{NUM}{target}`"), F.col(f"`{DEN}{target}`"), built.num_max,
                                                   built.den_max, built.fixed, frozenset({target})))
        return known[1]

    def decision(self, op: str, a: Q | None, b: Q | None) -> Column | None:
        """a op b decided exactly, its hidden columns and steps taken along (None: no exact decision)."""
        if a is None or b is None:
            return None
        decided = self.r.compare(op, a, b)
        if decided is not None:
            self.t.use(a, b)
        return decided

    def piecewise(self, e: ast.Piecewise) -> Q | None:
        x = self.of(e.x)
        points = [(self.of(a), self.of(b)) for a, b in e.points]
        if x is None or any(a is None or b is None for a, b in points):
            return None
        (x0, y0) = points[0]
        at_or_below = self.r.compare("<=", x, x0)
        if at_or_below is None:
            return None
        branches = [(x.num.isNull(), self.r.constant(None)), (at_or_below, y0)]
        for (xa, ya), (xb, yb) in zip(points, points[1:]):
            below = self.r.compare("<", x, xb)
            run = self.r.add(xb, xa, -1)
            rise = self.r.add(yb, ya, -1)
            offset = self.r.add(x, xa, -1)
            slope = None if None in (run, rise, offset) else self.r.mul(offset, rise)
            part = None if slope is None else self.r.div(slope, run)
            value = None if part is None else self.r.add(ya, part)
            if below is None or value is None:
                return None
            branches.append((below, value))
        return self.r.choose(branches, points[-1][1])

    def decide(self, e: ast.Decide) -> Q | None:
        results = [self.of(result) for _, result in e.rules]
        if any(q is None for q in results):
            return None
        conditions = self.t.decide_conditions[id(e)]
        return self.r.choose(list(zip(conditions, results)), self.r.constant(None))

    def call(self, e: ast.Call) -> Q | None:
        f = e.func
        if e.over is None:
            if f in ("min_of", "max_of"):
                return self.extreme(f, [self.of(a) for a in e.args])
            x = self.of(e.args[0]) if e.args else None
            if x is None or f not in ("abs", "floor", "round"):
                return None
            if f == "abs":
                return self.r.absolute(x)
            whole = self.r.floor(x) if f == "floor" else self.r.round_half_even(x)
            return None if whole is None else self.r.integer(whole, x.num_max + 1, x)
        return self.t.aggregate_forms.get(id(e))

    def extreme(self, f: str, args: list[Q | None]) -> Q | None:
        if any(a is None for a in args):
            return None
        best = args[0]
        for other in args[1:]:
            better = self.r.compare("<" if f == "min_of" else ">", other, best)
            if better is None:
                return None
            take = best.num.isNull() | (other.num.isNotNull() & F.coalesce(better, F.lit(False)))
            best = self.r.choose([(take, other)], best)
        return best

    def total(self, x: Q | None, keep: Column, window) -> Q | None:
        """The exact sum over a population: the numerators added up, over their one fixed denominator."""
        if x is None or x.fixed is None or x.num_max * self.rows >= rational.LIMIT:
            return None
        name, bound = self.hidden(), x.num_max * self.rows
        summed = F.coalesce(F.sum(F.col(f"`{name}`")).over(window), F.lit(0)).cast(rational.kind(bound))
        return Q(summed, self.r.constant(x.fixed).num, bound, x.fixed, x.fixed, x.needs,
                 x.pre + ((name, F.when(keep, x.num).cast(rational.kind(bound))),))

    def picked(self, x: Q | None, keep: Column, window, rank: Column, indices: list[Column]) -> list[Q] | None:
        """The members at these ranks of the population (ranked by the floating-point values)."""
        if x is None:
            return None
        member = self.hidden()
        pre = x.pre + ((member, F.when(keep, F.struct(x.num.alias("n"), x.den.alias("d")))),)
        names = [self.hidden() for _ in indices]
        pre += tuple((name, F.max(F.when(rank == index, F.col(f"`{member}`"))).over(window))
                     for name, index in zip(names, indices))
        return [Q(F.col(f"`{name}`")["n"], F.col(f"`{name}`")["d"], x.num_max, x.den_max, x.fixed, x.needs, pre)
                for name in names]


def _numeric(value) -> bool:
    return not isinstance(value, (bool, str)) and value is not None and isinstance(as_fraction(value), Fraction)
