"""Plausible values of a parameter: `range: [min, max]`, in the parameter's unit, bounds included.

A value can be of the right unit and still wrong: a stability band of 100 % makes every evolution
« stable », a target of 0,5 % typed for 50 % pays everyone, a comparison precision of 1 % rounds away
the two published decimals. A parameter that declares the values the source documents make plausible
is told, at the line where its value is written, when a value (or one value of a `by field` map)
falls outside them. A later campaign inherits the range with the parameter, so a new value typed at
an `override` line is checked there; the override may give another range, with its source.
Informative parameters (read by no rule) are checked the same way: nothing else would notice.
"""

from __future__ import annotations

from qualispec.compiler import french, messages, units
from qualispec.compiler.syntax import ast
from qualispec.compiler.check.scope import Scope
from qualispec.compiler.check.typos import signed_number


class Ranges:
    """Checks mixed into the Checker (see checker.py)."""

    def _check_range(self, decl: ast.Decl, unit: str, value, values) -> None:
        prop = decl.get("range")
        if prop is None or not isinstance(prop.value, ast.ListLit):
            return  # no range, or not a list (said by the property check)
        what = messages.word("what.decl", kind="parameter", name=decl.name)
        if not units.is_numeric(unit) or unit in ("boolean",):
            self.d.error("check.range_not_number", prop.span, what=what, unit=unit)
            return
        if len(prop.value.items) != 2:
            self.d.error("check.range_shape", prop.value.span, what=what, count=len(prop.value.items))
            return
        scope = Scope(self, where=what)
        bounds = []
        for item in prop.value.items:
            number = signed_number(item)
            if number is None:
                self.d.error("check.range_bound", item.span, what=what)
                return
            before = len(self.d.errors)
            self._typed(self.resolve(item, scope), unit, what)
            if len(self.d.errors) > before:
                return  # a bound in another unit: said at the bound
            bounds.append(number.value)
        low, high = bounds
        shown_low, shown_high = french.literal(low, unit), french.literal(high, unit)
        if low > high:
            self.d.error("check.range_order", prop.value.span, what=what, low=shown_low, high=shown_high)
            return
        said = {(d.span.file, d.span.line, d.span.column) for d in self.d.items}  # `ratio = 25`: said once
        written = [("", value)] + [(key, v) for key, v in values]
        for key, expr in written:
            number = signed_number(expr) if expr is not None else None
            if number is None or low <= number.value <= high \
                    or (number.span.file, number.span.line, number.span.column) in said \
                    or (unit == "percent" and not 0 <= number.value <= 1):  # said after (proofs/reach.py)
                continue
            self.d.warning("check.value_out_of_range", number.span, what=what, low=shown_low, high=shown_high,
                           value=french.literal(number.value, unit),
                           where=messages.word("phrase.for_key", key=key) if key else "")
