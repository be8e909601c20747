"""Plausible values of a parameter: `range: [min, max]`, in the parameter's unit, bounds included.

A value can be of the right unit and still wrong: a stability band of 100 % makes every evolution
« stable », a target of 0,5 % typed for 50 % pays everyone, a comparison precision of 1 % rounds away
the two published decimals. A parameter that declares the values the source documents make plausible
is told, at the line where its value is written, when a value (or one value of a `by field` map)
falls outside them. A later campaign inherits the range with the parameter, so a new value typed at
an `override` line is checked there; the override may give another range, with its source.
Informative parameters (read by no rule) are checked the same way: nothing else would notice.

A bound is a written number or a formula of other parameters, decided before any data is read:
parts that make a whole say so, each from the other (« Indicateur DMP valorisé à 0,25 ; Indicateur
MSS valorisé à 0,75 », which « comptent ensemble pour 1 »: `range: [1 - d6_3_weight, 1 - d6_3_weight]`),
so that 0,95 typed for 0,75 is said at both lines, and a pair weighing 0,9 (an envelope paid short,
which no proof of overpayment sees) too.
"""

from __future__ import annotations

from dataclasses import replace

from qualispec.compiler import french, ir, messages, units
from qualispec.compiler.evaluator import Evaluator, NotConstant
from qualispec.compiler.syntax import ast
from qualispec.compiler.check.scope import Scope
from qualispec.compiler.syntax.ast import signed_number


class Ranges:
    """Checks mixed into the Checker (see checker.py), once the campaign is built (bounds may read parameters)."""

    def _check_ranges(self, campaign: ir.Campaign) -> None:
        said = self.d.places()  # `ratio = 25`: said once
        for name, parameter in campaign.parameters.items():
            prop = self.decls[name].get("range")
            if prop is not None and isinstance(prop.value, ast.ListLit):  # not a list: said by the property check
                self._check_range(campaign, parameter, prop, said)

    def _check_range(self, campaign: ir.Campaign, parameter: ir.Parameter, prop: ast.Property, said: set) -> None:
        unit = parameter.unit
        what = messages.word("what.decl", kind="parameter", name=parameter.name)
        if not units.is_numeric(unit):
            self.d.error("check.range_not_number", prop.span, what=what, unit=unit)
            return
        if len(prop.value.items) != 2:
            self.d.error("check.range_shape", prop.value.span, what=what, count=len(prop.value.items))
            return
        scope = Scope(self, where=what)
        bounds = []
        for item in prop.value.items:
            before = len(self.d.errors)
            bound = self.resolve(item, scope)
            if len(self.d.errors) > before:
                return  # an unknown name: said at the bound
            if any(isinstance(e, ast.Call) or (isinstance(e, ast.Ref) and e.target not in campaign.parameters)
                   for e in ast.walk(bound)):  # a written number, or a formula of parameters
                self.d.error("check.range_bound", item.span, what=what)
                return
            self._typed(bound, unit, what)
            if len(self.d.errors) > before:
                return  # a bound in another unit: said at the bound
            bounds.append(bound)
        campaign.parameters[parameter.name] = replace(parameter, plausible=tuple(bounds))  # for the fiches
        for key, expr in [("", parameter.value)] + list(parameter.values):
            number = signed_number(expr) if expr is not None else None
            if number is None or number.span.place in said \
                    or (unit == "percent" and not 0 <= number.value <= 1):  # said after (proofs/reach.py)
                continue
            try:
                evaluate = Evaluator(campaign, key or None).expr
                low, high = (evaluate(bound) for bound in bounds)
            except (NotConstant, ZeroDivisionError, TypeError):
                continue
            if low is None or high is None:
                continue
            shown_low, shown_high = french.literal(low, unit), french.literal(high, unit)
            written = all(signed_number(b) is not None for b in bounds)
            if low > high and written:
                self.d.error("check.range_order", prop.value.span, what=what, low=shown_low, high=shown_high)
                return
            if low > high:
                continue  # a bound read from a parameter that is itself off: said at that parameter
            if low <= number.value <= high:
                continue
            where = messages.word("phrase.for_key", key=key) if key else ""
            value = french.literal(number.value, unit)
            if low == high and not written:
                self.d.warning("check.value_not_as_declared", number.span, what=what, value=value, where=where,
                               expected=shown_low, formula=french.formula(bounds[0]))
            else:
                self.d.warning("check.value_out_of_range", number.span, what=what, low=shown_low, high=shown_high,
                               value=value, where=where)
