"""Where to correct weights that overpay an envelope (or take money back): the lines their values are written at.

The proof (money.py) finds an establishment whose weights add up to more than 100 % and says so at
the envelope. The typo is seldom there: it is a value typed in a parameter (« d6_3_weight = 0.95 »
for 0,75), one entry of a `by field` map (9 indicators typed 8), a new value at an `override` line,
or one `weight:` formula written differently from its siblings (« 100% + digital_share »). Each of
those lines gets the error too, once, saying what to check there and showing the counter-example;
so does a weight that can fall below 0 (a digital share of 117 % leaves the others −1,9 % each).
A formula several indicators write alike (the same operations on parameters) is not blamed line by
line: a typo is not repeated; the values of the parameters it reads are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields, is_dataclass

from qualispec.compiler import french, ir, messages
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.syntax import ast
from qualispec.compiler.syntax.ast import signed_number


@dataclass(frozen=True)
class Overpaid:
    """One field where the weights of an envelope can add up to more than 100 %: the proof's message arguments."""

    field_name: str | None
    indicators: tuple[ir.Indicator, ...]  # the weights to blame: all those of the field, or the one below 0
    args: dict
    code: str = "check.weights_over_envelope"  # or check.negative_weight


def at_written_lines(campaign: ir.Campaign, paid, overpaid: list[Overpaid], diagnostics: Diagnostics) -> None:
    if not overpaid:
        return
    shared = Counter(_formula(campaign, ind) for ind in paid)
    blamed: dict[tuple[str, int], None] = {}  # one error per line, for the first field found overpaid there
    for over in overpaid:
        for ind in over.indicators:
            expr = campaign.nodes[ind.part("weight")].expr
            if shared[_formula(campaign, ind)] == 1:
                _say(diagnostics, blamed, expr.span, over, messages.word(
                    "hint.weight_formula_here", indicator=ind.short_name, example=over.args["example"],
                    rule=_rule(over)))
            for name, key, value in _written_values(campaign, expr, over.field_name):
                number = signed_number(value)
                shown = french.literal(number.value, campaign.parameters[name].unit) if number is not None else ""
                if shown and key:
                    shown += messages.word("phrase.for_key", key=key)
                _say(diagnostics, blamed, value.span, over, messages.word(
                    "hint.weight_value_here", name=name, value=f" ({shown})" if shown else "",
                    example=over.args["example"], rule=_rule(over)))


def _rule(over: Overpaid) -> str:
    return messages.word("phrase.weight_not_negative" if over.code == "check.negative_weight" else "phrase.weights_at_most_100")


def _say(diagnostics, blamed, span, over: Overpaid, hint: str) -> None:
    where = (span.file, span.line)
    if span.line <= 0 or where in blamed:
        return
    blamed[where] = None
    diagnostics.error(over.code, span, hint=hint, **over.args)


def _written_values(campaign: ir.Campaign, expr, field_name, seen=None):
    """(parameter, field key or "", value expression) of every number a weight reads, through its names."""
    seen = set() if seen is None else seen
    for e in ast.walk(expr):
        target = getattr(e, "target", None) if isinstance(e, ast.Ref) else None
        if target is None or target in seen:
            continue
        seen.add(target)
        parameter = campaign.parameters.get(target)
        if parameter is not None:
            if parameter.unit in ("boolean", "text", "category"):
                continue
            if parameter.value is not None:
                yield target, "", parameter.value
            yield from ((target, key, value) for key, value in parameter.values if key == field_name)
            continue
        node = campaign.nodes.get(target)
        if node is not None and node.kind not in ("input", "builtin") and node.expr is not None:
            yield from _written_values(campaign, node.expr, field_name, seen)


def _formula(campaign: ir.Campaign, ind: ir.Indicator):
    """A weight's formula as written, where it is written and which parameters it names left aside: siblings
    written alike (« d2_2_weight * digital_share », « d6_3_weight * digital_share ») have one shape; their
    parameters' values are blamed instead."""
    return _shape(campaign.nodes[ind.part("weight")].expr, campaign.parameters)


def _shape(value, parameters):
    if isinstance(value, ast.Ref) and value.target in parameters:
        return ("parameter", value.member)
    if is_dataclass(value):
        return (type(value).__name__,) + tuple(_shape(getattr(value, f.name), parameters) for f in fields(value)
                                               if f.name != "span")
    if isinstance(value, (tuple, list)):
        return tuple(_shape(v, parameters) for v in value)
    return value
