"""Targets and thresholds that no result can reach, or that every result reaches.

A result that is a proportion (a numerator counting part of its denominator) or a
percentage read from the dataset (refused outside 0–100 at its row) lies between 0 % and
100 %. A target or a threshold written as a value outside that range is then decided
before any data is read: 150 % is never reached, −5 % always is. That is a typo more often
than a rule (« 1,5 » for « 15 % », a sign), so the author is told at the value's line.
Values computed from the population (a quantile) are not judged here.
"""

from __future__ import annotations

from dataclasses import replace

from qualispec.compiler import french, ir, messages
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.syntax import ast

BOUNDED_PARTS = ("target", "threshold")


def check_reach(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    for indicator in campaign.indicators.values():
        if not _between_0_and_100(campaign, indicator):
            continue
        for part in BOUNDED_PARTS:
            node_id = indicator.part(part)
            if node_id is None:
                continue
            for value in _written_values(campaign, campaign.nodes[node_id].expr):
                if value.unit == "percent" and not 0 <= value.value <= 1:
                    diagnostics.warning("check.out_of_reach_above" if value.value > 1 else "check.out_of_reach_below",
                                        value.span, what=messages.word(f"reach.{part}"), indicator=indicator.short_name,
                                        value=french.literal(value.value, "percent"))


def _between_0_and_100(campaign: ir.Campaign, indicator: ir.Indicator) -> bool:
    node_id = indicator.part("result")
    if node_id is None or campaign.nodes[node_id].unit != "percent":
        return False
    if indicator.proportion:
        return True
    expr = campaign.nodes[node_id].expr
    return isinstance(expr, ast.Ref) and expr.target in campaign.inputs


def _written_values(campaign: ir.Campaign, expr) -> list[ast.Num]:
    """The numbers a part is given as written: a literal, or a parameter's value (per field too)."""
    if isinstance(expr, ast.Ref) and expr.target in campaign.parameters:
        parameter = campaign.parameters[expr.target]
        written = ([parameter.value] if parameter.value is not None else []) + [v for _, v in parameter.values]
    else:
        written = [expr]
    return [n for n in map(_number, written) if n is not None]


def _number(expr) -> ast.Num | None:
    """A written number, its sign included (« -5 % » is a minus before 5 %)."""
    if isinstance(expr, ast.Num):
        return expr
    if isinstance(expr, ast.Unary) and expr.op == "-" and isinstance(expr.operand, ast.Num):
        return replace(expr.operand, span=expr.span, value=-expr.operand.value)
    return None

