"""IR expressions as sympy expressions: for formulas in fiches, and proofs in the diff.

sympy never sees data: it renders formulas (LaTeX, MathML), proves that two versions
of a formula are equal (a rewrite is not a change), and evaluates a curve on a grid
of results to draw it. Aggregates over a population and ``available(x)`` become
opaque functions, so ``quantile(result, 30%) over group`` stays one symbol-like term.
"""

from __future__ import annotations

import hashlib

import sympy as sp

from qualispec.compiler.proofs import refute
from qualispec.compiler.syntax import ast

MISSING = sp.Symbol("∅")


def symbol(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def to_sympy(e: ast.Expr, name_of=None) -> sp.Expr:
    """The sympy form of an expression. ``name_of(ref)`` chooses each reference's symbol name."""
    name_of = name_of or _default_name

    def conv(x: ast.Expr):
        if isinstance(x, ast.Num):
            return sp.Rational(x.value.numerator, x.value.denominator)
        if isinstance(x, ast.Bool):
            return sp.true if x.value else sp.false
        if isinstance(x, ast.Text):
            return sp.Symbol(f"«{x.value}»")
        if isinstance(x, ast.Missing):
            return MISSING
        if isinstance(x, ast.Ref):
            return sp.Symbol(name_of(x)) if x.unit == "boolean" else symbol(name_of(x))
        if isinstance(x, ast.Unary):
            inner = conv(x.operand)
            return sp.Not(inner) if x.op == "not" else -inner
        if isinstance(x, ast.Binary):
            a, b = conv(x.left), conv(x.right)
            if x.op == "and":
                return sp.And(a, b)
            if x.op == "or":
                return sp.Or(a, b)
            return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b}[x.op]()
        if isinstance(x, ast.Compare):
            a, b = conv(x.left), conv(x.right)
            return {"=": sp.Eq, "!=": sp.Ne, "<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge}[x.op](a, b)
        if isinstance(x, ast.Member):
            a = conv(x.operand)
            return sp.Or(*[sp.Eq(a, conv(o)) for o in x.options])
        if isinstance(x, ast.If):
            return sp.Piecewise((conv(x.then), conv(x.cond)), (conv(x.else_), True))
        if isinstance(x, ast.Piecewise):
            return _piecewise(conv(x.x), [(conv(a), conv(b)) for a, b in x.points])
        if isinstance(x, ast.Decide):
            subjects = [conv(s) for s in x.subjects]
            pieces = []
            for patterns, result in x.rules:
                conds = [sp.Eq(s, conv(p)) if not isinstance(p, ast.Wildcard) else sp.true
                         for s, p in zip(subjects, patterns)]
                pieces.append((conv(result), sp.And(*conds)))
            pieces.append((MISSING, True))
            return sp.Piecewise(*pieces)
        if isinstance(x, ast.Call):
            args = [conv(a) for a in x.args]
            if x.func in ("min_of", "max_of"):
                return (sp.Min if x.func == "min_of" else sp.Max)(*args)
            if x.func == "abs":
                return sp.Abs(args[0])
            if x.func == "available":
                return sp.Ne(args[0], MISSING)
            if x.func == "floor":
                return sp.floor(args[0])
            name = x.func + (f"_{x.over}" if x.over else "")
            if x.where is not None:  # the population's condition is part of the value
                args.append(sp.Piecewise((1, conv(x.where)), (0, True)))
                name += "_where"
            return sp.Function(name)(*args)
        raise TypeError(f"no sympy form for {type(x).__name__}")

    return conv(e)


def _piecewise(x, points):
    """Linear between consecutive points, flat before the first and after the last."""
    pieces = [(points[0][1], x <= points[0][0])]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        pieces.append((y0 + (x - x0) * (y1 - y0) / (x1 - x0), x < x1))
    pieces.append((points[-1][1], True))
    return sp.Piecewise(*pieces)


def _default_name(ref: ast.Ref) -> str:
    target = ref.target or ref.text
    return target.split(".", 1)[1] if "." in target else target


def equivalent(a: ast.Expr, b: ast.Expr, proofs: dict[str, bool] | None = None) -> bool:
    """True when two formulas are provably equal (``a/b*100`` and ``100*a/b`` are). A point where they differ
    (:mod:`.refute`) settles it in milliseconds; otherwise sympy decides, and ``proofs`` keeps its answer by
    formula pair (:func:`proof_key`), for the next pair alike or the next run of ``docs``."""
    try:
        left, right = to_sympy(a, _full_name), to_sympy(b, _full_name)
    except TypeError:
        return False
    if left == right:
        return True
    if refute.counterexample(left, right, MISSING):
        return False
    key = proof_key(left, right)
    if proofs is not None and key in proofs:
        return proofs[key]
    try:
        if isinstance(left, sp.logic.boolalg.Boolean) or isinstance(right, sp.logic.boolalg.Boolean):
            proved = bool(sp.simplify(sp.Equivalent(left, right)) == sp.true)
        else:
            proved = sp.simplify(left - right) == 0
    except (TypeError, ValueError, AttributeError):
        proved = False
    if proofs is not None:
        proofs[key] = bool(proved)
    return bool(proved)


def proof_key(left: sp.Basic, right: sp.Basic) -> str:
    """The two formulas, written out in full by sympy, hashed: the same key for the same question."""
    return hashlib.sha256(f"{sp.srepr(left)}\n{sp.srepr(right)}".encode("utf-8")).hexdigest()


def _full_name(ref: ast.Ref) -> str:
    return ref.target or ref.text


def to_latex(e: ast.Expr, name_of=None) -> str:
    return sp.latex(to_sympy(e, name_of))


def to_mathml(e: ast.Expr, name_of=None) -> str:
    """Presentation MathML, which browsers render natively (no script, works offline)."""
    return sp.mathml(to_sympy(e, name_of), printer="presentation")
