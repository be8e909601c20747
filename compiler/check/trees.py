"""Helpers on expression trees: rebuild with a function, bind a template to its owner, read a constant."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from qualispec.compiler.syntax import ast


def with_unit(expr: ast.Expr, unit: str) -> ast.Expr:
    try:
        return replace(expr, unit=unit)
    except TypeError:
        return expr


def is_constant(expr: ast.Expr) -> bool:
    return all(not isinstance(n, (ast.Ref, ast.Call)) or (isinstance(n, ast.Ref) and n.name in ("true", "false"))
               for n in ast.walk(expr))


def bind_template(template: ast.Expr, owner: str) -> ast.Expr:
    """Replace every ``@name`` reference of a template by the owner's part ``owner.name``."""
    def bind(e):
        if isinstance(e, ast.Ref) and e.target and e.target.startswith("@"):
            return replace(e, target=f"{owner}.{e.target[1:]}")
        return e
    return transform(template, bind)


def transform(expr: ast.Expr, fn) -> ast.Expr:
    """Rebuild an expression bottom-up, applying ``fn`` to every node."""
    changes = {}
    for f in expr.__dataclass_fields__:
        value = getattr(expr, f)
        if isinstance(value, ast.Expr):
            changes[f] = transform(value, fn)
        elif isinstance(value, tuple) and value and any(isinstance(v, (ast.Expr, tuple)) for v in value):
            changes[f] = _transform_tuple(value, fn)
    return fn(replace(expr, **changes) if changes else expr)


def _transform_tuple(values, fn):
    out = []
    for v in values:
        if isinstance(v, ast.Expr):
            out.append(transform(v, fn))
        elif isinstance(v, tuple):
            out.append(_transform_tuple(v, fn))
        else:
            out.append(v)
    return tuple(out)



def literal_value(expr: ast.Expr) -> Fraction | bool | str | None:
    """The value of a constant expression (a parameter's), or None."""
    if isinstance(expr, ast.Num):
        return expr.value
    if isinstance(expr, (ast.Text, ast.Bool)):
        return expr.value
    if isinstance(expr, ast.Unary) and expr.op == "-" and isinstance(expr.operand, ast.Num):
        return -expr.operand.value
    return None
