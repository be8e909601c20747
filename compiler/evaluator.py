"""The value of a formula for one establishment, or with no data at all.

Used where a single value is wanted without running the engine: the fiches (a
parameter's value, a curve drawn point by point, a constant part) and the
explanations (which branch of a score applied to this establishment). The meaning
is the engine's (runtime/plan.py), in exact fractions.
"""

from __future__ import annotations

from fractions import Fraction

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast


class NotConstant(Exception):
    """The value needs a dataset (an input, an aggregate over establishments)."""


class Evaluator:
    """Values of constant formulas: parameters, literals, parts computed from them.

    ``overrides`` fixes node ids (``num1.result``) to values; ``field`` chooses the value of
    parameters given by field. Missing values are ``None`` and propagate as in the engine
    (runtime/plan.py): a comparison with a missing value is missing, and so is an ``if``
    whose condition is missing.
    """

    def __init__(self, campaign: ir.Campaign, field_name: str | None = None, overrides: dict | None = None):
        self.c, self.field, self.overrides = campaign, field_name, dict(overrides or {})
        self.memo: dict[str, object] = {}
        self.active: set[str] = set()

    def node(self, node_id: str):
        if node_id in self.overrides:
            return self.overrides[node_id]
        if node_id in self.memo:
            return self.memo[node_id]
        if node_id == "field":
            if self.field is None:
                raise NotConstant("field")
            return self.field
        if node_id.startswith("field:"):
            return node_id[6:]
        node = self.c.nodes.get(node_id)
        if node is None or node.kind in ("input", "builtin") or node_id in self.active:
            raise NotConstant(node_id)
        if node.kind == "parameter":
            value = self.parameter(self.c.parameters[node_id])
        elif node.expr is None:
            raise NotConstant(node_id)
        else:
            self.active.add(node_id)
            try:
                value = self.expr(node.expr)
            finally:
                self.active.discard(node_id)
        self.memo[node_id] = value
        return value

    def parameter(self, p: ir.Parameter):
        if p.values:
            if p.keyed_by != "field" or self.field is None:
                raise NotConstant(p.name)
            entry = dict(p.values).get(self.field)
            if entry is None:
                return None
            return self.expr(entry)
        if p.value is None:
            raise NotConstant(p.name)
        return self.expr(p.value)

    def expr(self, e: ast.Expr):  # noqa: C901 - one branch per expression kind
        if isinstance(e, ast.Ref):  # first: the most frequent (a curve drawn point by point reads names above all)
            if not e.target:
                raise NotConstant(e.text)
            return self.node(e.target)
        if isinstance(e, ast.Num):
            return e.value
        if isinstance(e, (ast.Text, ast.Bool)):
            return e.value
        if isinstance(e, ast.Missing):
            return None
        if isinstance(e, ast.Unary):
            v = self.expr(e.operand)
            if v is None:
                return None
            return (not v) if e.op == "not" else -v
        if isinstance(e, ast.Binary):
            if e.op in ("and", "or"):
                a, b = self.expr(e.left), self.expr(e.right)
                if e.op == "and":
                    return False if (a is False or b is False) else (None if None in (a, b) else True)
                return True if (a is True or b is True) else (None if None in (a, b) else False)
            a, b = self.expr(e.left), self.expr(e.right)
            if a is None or b is None:
                return None
            if e.op == "/":
                return None if b == 0 else Fraction(a) / Fraction(b)
            return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b}[e.op]()
        if isinstance(e, ast.Compare):
            a, b = self.expr(e.left), self.expr(e.right)
            if a is None or b is None:
                return None
            return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[e.op]
        if isinstance(e, ast.Member):
            v = self.expr(e.operand)
            return None if v is None else v in [self.expr(o) for o in e.options]
        if isinstance(e, ast.If):
            cond = self.expr(e.cond)
            if cond is None:
                return None
            return self.expr(e.then) if cond else self.expr(e.else_)
        if isinstance(e, ast.Piecewise):
            x = self.expr(e.x)
            points = [(self.expr(a), self.expr(b)) for a, b in e.points]
            if x is None or any(p is None for pt in points for p in pt):
                return None
            if x <= points[0][0]:
                return points[0][1]
            for (x0, y0), (x1, y1) in zip(points, points[1:]):
                if x < x1:
                    return y1 if x1 == x0 else y0 + (x - x0) * (y1 - y0) / (x1 - x0)
            return points[-1][1]
        if isinstance(e, ast.Decide):
            subjects = [self.expr(s) for s in e.subjects]
            for patterns, result in e.rules:
                if all(isinstance(p, ast.Wildcard) or (s is not None and s == self.expr(p))
                       for s, p in zip(subjects, patterns)):
                    return self.expr(result)
            return None
        if isinstance(e, ast.Call):
            if e.over is not None:
                raise NotConstant(e.func)
            args = [self.expr(a) for a in e.args]
            if e.func == "available":
                return args[0] is not None
            if any(a is None for a in args):
                return None
            if e.func in ("min_of", "max_of"):
                return (min if e.func == "min_of" else max)(args)
            if e.func == "abs":
                return abs(args[0])
            if e.func == "floor":
                return Fraction(int(args[0] // 1))
            if e.func == "round":
                return Fraction(round(args[0]))
            raise NotConstant(e.func)
        raise NotConstant(type(e).__name__)


def constant(campaign: ir.Campaign, node_id: str, field_name: str | None = None):
    """The value of a node when it needs no data, else raises :class:`NotConstant`."""
    return Evaluator(campaign, field_name).node(node_id)
