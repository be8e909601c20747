"""Numbers written inside formulas, read against the formula around them.

A parameter's value is read against its documents (quoted.py) and its declared range (ranges.py); a
number typed inside a formula has neither. Two of its typos show in the formula itself:
- a percentage beyond ±100 % (`100% + transport_target_growth` typed `1000% + …`): no shipped rule
  writes one, a share or a rate of the documents lies within it;
- a rounding step written twice that differs (`floor(x / 0.01 €) * 0.1 €`): « au centime inférieur »
  divides and multiplies by the same step, else every amount is ten times too large or too small.
The campaign's year is a year (`2022`, not `20220`): the fiches, the diff and the files carry it.
"""

from __future__ import annotations

from fractions import Fraction

from qualispec.compiler import french, ir
from qualispec.compiler.check.typos import written
from qualispec.compiler.syntax import ast

ROUNDING = ("floor", "round", "ceil")
YEARS = range(1990, 2101)


def _step(e: ast.Expr):
    """What an operand names, to tell two steps apart: a parameter, or a number with its unit."""
    if isinstance(e, ast.Ref):
        return e.target or e.text
    number = ast.signed_number(e)
    return (number.value, number.unit) if number is not None else None


def _divisor(arg: ast.Expr) -> ast.Expr | None:
    """The step a rounding divides by: `x / step`, or `x / step + 1 / 2` (half up)."""
    if isinstance(arg, ast.Binary) and arg.op in ("+", "-") and isinstance(arg.left, ast.Binary):
        arg = arg.left
    return arg.right if isinstance(arg, ast.Binary) and arg.op == "/" else None


class Formulas:
    """Checks mixed into the Checker (see checker.py), once the campaign is built."""

    def _check_formula_numbers(self, campaign: ir.Campaign) -> None:
        said = self.d.places()
        seen: set = set()
        for node in campaign.nodes.values():
            if node.expr is None or node.kind == "parameter":
                continue
            for e in ast.walk(node.expr):
                if e.span.place in seen:
                    continue  # a formula shared by parts (a curve's let) is told once
                seen.add(e.span.place)
                if isinstance(e, ast.Num) and e.unit == "percent" and abs(e.value) > 1 and e.span.place not in said:
                    self.d.warning("check.percent_literal_out_of_range", e.span, value=french.literal(e.value, "percent"),
                                   meant=f"{written(e.value * 10)} %")  # 1000% for 100 %
                if isinstance(e, ast.Binary) and e.op == "*" and isinstance(e.left, ast.Call) \
                        and e.left.func in ROUNDING and e.left.args:
                    divisor = _divisor(e.left.args[0])
                    a, b = (_step(divisor) if divisor is not None else None), _step(e.right)
                    if a is not None and b is not None and a != b:
                        self.d.warning("check.rounding_steps_differ", e.right.span, func=e.left.func)

    def _check_year(self, decl: ast.Decl, year: int | None) -> None:
        prop = decl.get("year")
        if year is not None and year not in YEARS:
            self.d.warning("check.year_range", prop.value.span, value=year)
