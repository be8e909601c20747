"""The typos that would pay wrong money without a word, refused at their line.

How a value's unit is decided: a literal carries the unit written after it (``60 %``,
``500 €``, ``2 M€``, ``12 days``); a bare number (``60``) is a plain number. A plain
number may scale (``0.5 * level``), count (``stays >= 500``) or divide, but it is refused
where a percent or an amount in euro is expected (a declared percent or euro parameter,
or the other side of a comparison, a sum, a branch, a table row, a curve point): there
``60`` would silently read as 6 000 % or as 60 €, so the author is asked to write
``60 %`` or ``60 €``. Zero is the only bare number allowed (0 is 0 in every unit).
A parameter or input declared ``ratio`` (0.6) never meets a percent (60 %) in a
comparison or a sum; a count or a number of days is a whole number; a quantile's order
is a percent between 0 % and 100 %; an amount beyond 10¹² € is a typo, one with fractions of a cent is warned about; a count or a number of days written
negative is refused, a declared amount written negative is warned about. A ratio parameter is written
as a ratio (``0.25``, not ``25%``: with a percent sign ``0.25%`` would silently be 0.0025) and lies
between 0 and 1 (``25`` typed for 0.25 is warned about at its value).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from qualispec.compiler import french, messages
from qualispec.compiler.syntax import ast
from qualispec.compiler.syntax.ast import signed_number

MAX_EUROS = 10 ** 12  # a thousand billion euros: above any scheme's money (the dataset check uses the same)
GUARDED = ("percent", "euro")


def bare_value(e: ast.Expr) -> Fraction | None:
    """The value of a number written without a unit (``60``, ``-2.5``), else None."""
    number = signed_number(e)
    return number.value if number is not None and number.unit is None else None


def written(value: Fraction) -> str:
    """A value as the spec would write it: 0.6, 60, 10_000 stays 10000."""
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def suggestion(value: Fraction, unit: str) -> str:
    if unit == "percent":
        shown = value * 100 if 0 < abs(value) < 1 else value  # 0.6 meant 60 %; 60 meant 60 %
        return f"{written(shown)} %"
    return f"{written(value)} €"


class Typos:
    """Checks mixed into the Checker (see checker.py)."""

    def _bare_beside(self, e: ast.Expr, other_unit: str | None) -> None:
        """A bare number on one side, a percent or euro on the other."""
        value = bare_value(e)
        if value is None or value == 0 or other_unit not in GUARDED:
            return
        self.d.error("check.bare_number_beside", e.span, value=written(value), unit=other_unit,
                     suggestion=suggestion(value, other_unit))

    def _bare_pair(self, left: ast.Expr, right: ast.Expr) -> None:
        self._bare_beside(left, getattr(right, "unit", None))
        self._bare_beside(right, getattr(left, "unit", None))
        self._ratio_with_percent(left, right)

    def _bare_declared(self, e: ast.Expr, unit: str, what: str) -> None:
        """A declared percent, euro, count or days given a value that cannot be meant."""
        value = bare_value(e)
        if value is None:
            if isinstance(e, ast.Num) and e.unit == "euro":
                self._amount_range(e)
            self._declared_range(e, unit, what)
            return
        if unit in GUARDED and value != 0:
            self.d.error("check.bare_number_declared", e.span, what=what, unit=unit, value=written(value),
                         suggestion=suggestion(value, unit))
        elif unit in ("count", "days") and value.denominator != 1:
            self.d.error("check.whole_number", e.span, what=what, unit=unit, value=written(value))
        else:
            self._declared_range(e, unit, what)

    def _declared_range(self, e: ast.Expr, unit: str, what: str) -> None:
        """A count or a number of days written negative is refused (a percent outside 0–100 %: proofs/reach.py)."""
        number = signed_number(e)
        if number is not None and unit in ("count", "days") and number.unit in (None, unit) and number.value < 0:
            self.d.error("check.negative_count", e.span, what=what, unit=unit, value=written(number.value))
        elif number is not None and unit == "euro" and number.unit == "euro" and number.value < 0:
            self.d.warning("check.negative_parameter_amount", e.span, what=what, value=written(number.value))
        elif number is not None and unit == "ratio" and number.unit is None and not 0 <= number.value <= 1:
            # `ratio = 25` for 0.25: the weight would be 2 500 %
            meant = number.value / 100 if 1 < number.value <= 100 else None
            self.d.warning("check.ratio_out_of_range", e.span, what=what, value=french.literal(number.value, "ratio"),
                           hint=messages.word("hint.did_you_mean", options=f"`{written(meant)}`") if meant else None)

    def _ratio_with_percent(self, left: ast.Expr, right: ast.Expr) -> None:
        for a, b in ((left, right), (right, left)):
            if getattr(b, "unit", None) == "percent" and self._declared_ratio(a):
                self.d.error("check.ratio_with_percent", a.span, name=a.name)

    def _declared_ratio(self, e: ast.Expr) -> bool:
        if not isinstance(e, ast.Ref) or e.member is not None:
            return False
        decl = self.decls.get(e.name)
        return decl is not None and decl.kind in ("parameter", "input") and decl.unit == "ratio"

    def _amount_range(self, e: ast.Num) -> None:
        if abs(e.value) > MAX_EUROS:
            self.d.error("check.amount_range", e.span, value=written(e.value))
        elif (e.value * 100).denominator != 1:  # 12.505 € for 12 505 €, a decimal point for a thousands one
            self.d.warning("check.sub_cent_amount", e.span, value=written(e.value))

    def _quantile_order(self, q: ast.Expr) -> None:
        """A quantile's order: a percent between 0 % and 100 % (a literal, or a parameter's value)."""
        value = bare_value(q)
        if value is not None and value != 0:
            self.d.error("check.bare_number_beside", q.span, value=written(value), unit="percent",
                         suggestion=suggestion(value, "percent"))
            return
        literal = q
        if isinstance(q, ast.Ref) and q.target in self.nodes and self.nodes[q.target].kind == "parameter":
            literal = self.nodes[q.target].expr
        if isinstance(literal, ast.Num) and not 0 <= literal.value <= 1:  # said where the value is written
            self.d.error("check.quantile_order_range", literal.span, value=written(literal.value * 100))
