"""One rule change undone at a time, for the money diff.

:func:`reverts` gives, for every rule change of ``old → new`` that can be undone alone, the
new campaign with that change put back as it was: the money diff evaluates each one to
attribute the difference in payouts to the changes that make it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from qualispec.compiler import french, ir
from qualispec.compiler.check import literal_value, transform
from qualispec.compiler.diff.changes import KIND_WORDS
from qualispec.compiler.diff.expressions import Comparison, param_text
from qualispec.compiler.diff.matching import TABLES
from qualispec.compiler.syntax import ast


@dataclass(frozen=True)
class Revert:
    """The new campaign with one rule change put back as it was in the old one."""

    subject: str  # what was put back: a parameter, an indicator part, a group
    label: str  # the change, in French: « paramètre num1_target : 20 % → 50 % »
    campaign: ir.Campaign


def reverts(old: ir.Campaign, new: ir.Campaign) -> list[Revert]:
    """Every rule change of ``old → new`` that can be undone alone in ``new``.

    Parameter values, indicator rules and formulas, envelope formulas, group conditions and
    the fields of an indicator. Not undoable alone: indicators added or removed, and a
    formula that reads something the new campaign no longer has (that change stays in the
    part of the difference the report does not attribute).
    """
    c = Comparison(old, new)
    out: list[Revert] = []
    for o, n in c.forward.items():
        kind = c.kind_old[o]
        if kind == "parameter":
            out.extend(_parameter(c, o, n))
        elif kind == "group":
            out.extend(_group(c, o, n))
        elif kind in ("indicator", "envelope"):
            out.extend(_parts(c, kind, o, n))
    return out


def _parameter(c: Comparison, o: str, n: str):
    a, b = c.old.parameters[o], c.new.parameters[n]
    by_value = c.same(c.canon(a.value, "old", None, True), c.canon(b.value, "new", None, True)) \
        if a.keyed_by is None and b.keyed_by is None else a.values == b.values and a.keyed_by == b.keyed_by
    if a.keyed_by is not None and b.keyed_by is not None:
        by_value = all(c.same(c.canon(dict(a.values).get(f), "old", None, True, f),
                              c.canon(dict(b.values).get(f), "new", None, True, f))
                       for f in set(dict(a.values)) | set(dict(b.values)))
    if by_value:
        return
    if (a.keyed_by is None and literal_value(a.value) is None) or \
            any(literal_value(v) is None for _, v in a.values):
        return
    param = replace(b, value=a.value, values=a.values, keyed_by=a.keyed_by)
    label = f"paramètre {n} : {param_text(a)} → {param_text(b)}"
    yield Revert(n, label, replace(c.new, parameters={**c.new.parameters, n: param}))


def _group(c: Comparison, o: str, n: str):
    a, b = c.old.groups[o], c.new.groups[n]
    if a.when is None or b.when is None or a.field_name != b.field_name:
        return
    if c.same(c.canon(a.when, "old", None, True, a.field_name), c.canon(b.when, "new", None, True, b.field_name)):
        return
    when = _in_new_names(c, a.when, None, None)
    if when is None:
        return
    nodes = {**c.new.nodes, n: replace(c.new.nodes[n], expr=when)}
    yield Revert(n, f"condition du groupe {b.label or n}",
                 replace(c.new, nodes=nodes, groups={**c.new.groups, n: replace(b, when=when)}))


def _parts(c: Comparison, kind: str, o: str, n: str):
    new = c.new
    a, b = getattr(c.old, TABLES[kind])[o], getattr(new, TABLES[kind])[n]
    for part, new_id in b.parts:
        old_id = dict(a.parts).get(part)
        na, nb = c.old.nodes.get(old_id or ""), new.nodes.get(new_id)
        if na is None or nb is None or na.expr is None or nb.expr is None:
            continue
        by_ref, by_value = c.compare(na.expr, nb.expr, o, n)
        if by_ref:  # equal, or changed only through a parameter (undone with the parameter)
            continue
        if by_value:
            continue
        expr = _in_new_names(c, na.expr, o, n)
        if expr is None:
            continue
        what = french.PART_LABELS.get(part, part)
        yield Revert(f"{n}.{part}", f"{what} de l'{KIND_WORDS[kind]} {n}",
                     replace(new, nodes={**new.nodes, new_id: replace(nb, expr=expr)}))
    if kind == "indicator" and set(a.fields) != set(b.fields):
        fields = tuple(f for f in a.fields if f in new.field_decls)
        nodes = dict(new.nodes)
        for _, node_id in b.parts:
            nodes[node_id] = replace(nodes[node_id], fields=fields)
        yield Revert(f"{n}.fields", f"champs de l'indicateur {n} : {', '.join(a.fields)} → {', '.join(b.fields)}",
                     replace(new, nodes=nodes, indicators={**new.indicators, n: replace(b, fields=fields)}))


def _in_new_names(c: Comparison, expr: ast.Expr, old_owner: str | None, new_owner: str | None) -> ast.Expr | None:
    """An old expression in the new campaign's names, evaluable there; None if it reads what is gone."""
    ok = [True]

    def fn(e):
        if isinstance(e, ast.Call) and e.over and e.over not in ("group", "field", "all"):
            if e.over not in c.forward:
                ok[0] = False
                return e
            return replace(e, over=c.forward[e.over])
        if not isinstance(e, ast.Ref) or not e.target:
            return e
        t = e.target
        if t.startswith(("field:", "@")) or t in ir.BUILTINS:
            return e
        if "." in t:
            head, part = t.split(".", 1)
            target = f"{new_owner}.{part}" if head == old_owner else \
                (f"{c.forward[head]}.{part}" if head in c.forward else None)
            if target is None or target not in c.new.nodes:
                ok[0] = False
                return e
            return replace(e, target=target)
        if t in c.forward and c.forward[t] in c.new.nodes:
            return replace(e, target=c.forward[t])
        param = c.old.parameters.get(t)
        if param is not None and param.keyed_by is None and param.value is not None:
            inner = _in_new_names(c, param.value, None, None)
            if inner is not None:
                return inner
        ok[0] = False
        return e

    out = transform(expr, fn)
    return out if ok[0] else None
