"""Statuses of a row (`status:` on an indicator) and the weight of what does not count, redistributed.

An indicator whose `status:` names an input reads, on each row, one of the statuses the
language knows (:data:`STATUSES`):

- ``renseigne``: the indicator is computed as written (an empty status, which only an input
  declared `optional: true` may have, reads as ``renseigne``);
- ``non_renseigne`` (not reported by the deadline): no value is taken into account, the
  objective is not met and the score is 0;
- ``non_applicable``, ``non_concerne``: the indicator does not count for the row (no result,
  objective or score), and its weight goes to the indicators of the same envelope that do
  count, in proportion to their weights. With equal weights this is the arrêtés' rule: the
  sum of the scores divided by the number of indicators the establishment must collect.

This pass runs on the resolved parts: it wraps them and adds the parts ``applicable`` and
``effective_weight``, which the envelope's payout then reads instead of ``weight``.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from qualispec.compiler import ir
from qualispec.compiler.check.trees import transform
from qualispec.compiler.check.vocabulary import NOT_COUNTED, PART_ORDER
from qualispec.compiler.syntax import ast

_SPAN = ast.NO_SPAN


def as_declared(expr: ast.Expr) -> ast.Expr:
    """The formula an author wrote inside the status wrapper this pass puts around a result, objective or score
    (« manquant si non renseigné ou ne compte pas, sinon … »): the fiches show it so, and say the statuses apart."""
    if isinstance(expr, ast.If) and expr.span == _SPAN:
        if isinstance(expr.then, ast.Missing):
            return as_declared(expr.else_)
        inner = expr.else_
        if isinstance(inner, ast.If) and inner.span == _SPAN and isinstance(inner.else_, ast.Missing):
            return as_declared(inner.then)
    return expr


class Statuses:
    """The post-pass that gives statuses their meaning in the parts and the money."""

    def _apply_statuses(self, indicators: dict[str, ir.Indicator], inputs: dict[str, ir.Input]) -> dict[str, ir.Indicator]:
        """``inputs``: to know which statuses may take a value that does not count (a status that only says
        « renseigne » or « non_renseigne », as IFAQ 2024's deadline, redistributes no weight)."""
        out = dict(indicators)
        for name, ind in indicators.items():
            if ind.status:
                out[name] = self._status_parts(ind)
        by_envelope: dict[str, list[ir.Indicator]] = {}
        for ind in out.values():
            if ind.envelope and ind.part("weight") and ind.part("payout"):
                by_envelope.setdefault(ind.envelope, []).append(ind)
        for members in by_envelope.values():
            if any(m.status and _may_not_count(inputs.get(m.status)) for m in members):
                for ind in members:
                    out[ind.name] = self._effective_weight(ind, members)
        return out

    def _status_parts(self, ind: ir.Indicator) -> ir.Indicator:
        status = ast.Ref(_SPAN, ind.status, target=ind.status, unit="category")
        given = ast.Call(_SPAN, "available", (status,), unit="boolean")  # empty (an optional status): renseigne
        not_reported = ast.If(_SPAN, given, ast.Compare(_SPAN, "=", status, ast.Text(_SPAN, "non_renseigne"), unit="boolean"),
                              ast.Bool(_SPAN, False), unit="boolean")
        counted = ast.If(_SPAN, given, ast.Unary(_SPAN, "not", ast.Member(_SPAN, status, tuple(ast.Text(_SPAN, v)
                                                                                           for v in NOT_COUNTED)),
                                                 unit="boolean"),
                         ast.Bool(_SPAN, True), unit="boolean")
        applicable = self._add_part(ind, "applicable", counted, "boolean")
        applicable_ref = ast.Ref(_SPAN, "applicable", target=applicable, unit="boolean")
        self._wrap(ind, "result", lambda e: ast.If(_SPAN, ast.Binary(_SPAN, "or", not_reported,
                                                                     ast.Unary(_SPAN, "not", applicable_ref, unit="boolean"),
                                                                     unit="boolean"),
                                                     ast.Missing(_SPAN, e.unit), e, unit=e.unit))
        self._wrap(ind, "objective", lambda e: ast.If(_SPAN, not_reported, ast.Bool(_SPAN, False),
                                                        ast.If(_SPAN, applicable_ref, e, ast.Missing(_SPAN, "boolean"),
                                                               unit="boolean"), unit="boolean"))
        self._wrap(ind, "score", lambda e: ast.If(_SPAN, not_reported, ast.Num(_SPAN, Fraction(0), e.unit),
                                                    ast.If(_SPAN, applicable_ref, e, ast.Missing(_SPAN, e.unit), unit=e.unit),
                                                    unit=e.unit))
        return _with_part(ind, "applicable", applicable)

    def _effective_weight(self, ind: ir.Indicator, members: list[ir.Indicator]) -> ir.Indicator:
        """weight × (sum of the row's weights) / (sum of the weights of what counts on the row)."""
        weight = self.nodes[ind.part("weight")]
        total, counted = None, None
        for m in members:
            w = ast.Ref(_SPAN, m.name, "weight", target=m.part("weight"), unit=weight.unit)
            term = _or_zero(w)
            if m.part("applicable"):
                ok = ast.Ref(_SPAN, m.name, "applicable", target=m.part("applicable"), unit="boolean")
                counts = ast.If(_SPAN, ast.Call(_SPAN, "available", (ok,), unit="boolean"),
                                ast.If(_SPAN, ok, term, _zero(weight.unit), unit=weight.unit), _zero(weight.unit),
                                unit=weight.unit)
            else:
                counts = term
            total = term if total is None else ast.Binary(_SPAN, "+", total, term, unit=weight.unit)
            counted = counts if counted is None else ast.Binary(_SPAN, "+", counted, counts, unit=weight.unit)
        own = ast.Ref(_SPAN, "weight", target=weight.id, unit=weight.unit)
        share = ast.Binary(_SPAN, "/", ast.Binary(_SPAN, "*", own, total, unit=weight.unit), counted, unit=weight.unit)
        if ind.part("applicable"):
            ok = ast.Ref(_SPAN, "applicable", target=ind.part("applicable"), unit="boolean")
            share = ast.If(_SPAN, ok, share, _zero(weight.unit), unit=weight.unit)
        node_id = self._add_part(ind, "effective_weight", share, weight.unit)
        payout = self.nodes[ind.part("payout")]
        if payout.expr is not None:
            rebound = transform(payout.expr, lambda e: replace(e, target=node_id)
                                if isinstance(e, ast.Ref) and e.target == weight.id else e)
            self.nodes[payout.id] = replace(payout, expr=rebound)
        return _with_part(ind, "effective_weight", node_id)

    def _add_part(self, ind: ir.Indicator, part: str, expr: ast.Expr, unit: str | None) -> str:
        node_id = f"{ind.name}.{part}"
        self.nodes[node_id] = ir.Node(node_id, "part", unit, expr, ind.span, owner=ind.name, fields=ind.fields)
        return node_id

    def _wrap(self, ind: ir.Indicator, part: str, wrap) -> None:
        node_id = ind.part(part)
        node = self.nodes.get(node_id or "")
        if node is not None and node.expr is not None:
            self.nodes[node_id] = replace(node, expr=wrap(node.expr))


def _may_not_count(status: ir.Input | None) -> bool:
    """Whether a status input may read a value that does not count (any value, when it declares no list)."""
    return status is None or not status.values or any(v in NOT_COUNTED for v in status.values)


def _with_part(ind: ir.Indicator, part: str, node_id: str) -> ir.Indicator:
    order = {p: i for i, p in enumerate(PART_ORDER)}
    parts = sorted(ind.parts + ((part, node_id),), key=lambda p: order.get(p[0], 100))
    return replace(ind, parts=tuple(parts))


def _zero(unit: str | None) -> ast.Num:
    return ast.Num(_SPAN, Fraction(0), unit)


def _or_zero(e: ast.Expr) -> ast.Expr:
    """The value, or 0 on rows where it is not defined (an indicator outside its fields)."""
    return ast.If(_SPAN, ast.Call(_SPAN, "available", (e,), unit="boolean"), e, _zero(e.unit), unit=e.unit)
