"""A formula as it applies this campaign: the yes/no values that need no data (a parameter
« évolution rémunérée = non », a part fixed by the campaign) are put in, and the branches they
rule out are removed, so that a fiche does not show an evolution formula for an indicator whose
evolution is not paid. A value that differs by field or needs data is left as written."""

from __future__ import annotations

from dataclasses import replace

from qualispec.compiler import ir
from qualispec.compiler.evaluator import NotConstant, constant
from qualispec.compiler.syntax import ast


def this_campaign(campaign: ir.Campaign, expr: ast.Expr) -> ast.Expr:
    """``expr`` with its constant yes/no conditions decided."""
    def known(e: ast.Expr) -> bool | None:
        if isinstance(e, ast.Bool):
            return e.value
        if isinstance(e, ast.Ref) and e.target and (e.target in campaign.parameters or e.target in campaign.nodes):
            try:
                value = constant(campaign, e.target)
            except (NotConstant, KeyError):
                return None
            return value if isinstance(value, bool) else None
        return None

    def yes_no(e: ast.Expr, value: bool) -> ast.Expr:
        return ast.Bool(e.span, value)

    def fold(e: ast.Expr) -> ast.Expr:
        if isinstance(e, ast.Unary) and e.op == "not":
            inner = fold(e.operand)
            b = known(inner)
            return yes_no(e, not b) if b is not None else replace(e, operand=inner)
        if isinstance(e, ast.Binary) and e.op in ("and", "or"):
            left, right = fold(e.left), fold(e.right)
            a, b = known(left), known(right)
            absorbing = e.op == "or"  # true absorbs an « or », false an « and »
            if absorbing in (a, b):
                return yes_no(e, absorbing)
            if a is not None:
                return right
            if b is not None:
                return left
            return replace(e, left=left, right=right)
        if isinstance(e, ast.If):
            cond = fold(e.cond)
            b = known(cond)
            if b is not None:
                return fold(e.then if b else e.else_)
            return replace(e, cond=cond, then=fold(e.then), else_=fold(e.else_))
        return e

    return fold(expr)
