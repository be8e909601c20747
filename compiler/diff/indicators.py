"""What changed in the rules that pay: indicators and their parts, parameters, envelopes.

The parts a reader looks for in an indicator (target, threshold, weight, evolution,
applicability: :data:`RULE_PARTS`) are reported with their values, even when the change
comes from a parameter they read (« par la valeur du paramètre … »). The other parts are
reported only when their formula changed both by reference and by value.
"""

from __future__ import annotations

import dataclasses

from qualispec.compiler import french, ir
from qualispec.compiler.labels import ENVELOPE_PARTS
from qualispec.compiler.check.statuses import as_declared
from qualispec.compiler.diff.changes import RULE_PARTS, ChangeList
from qualispec.compiler.diff.declarations import label_of, unit_said
from qualispec.compiler.diff.expressions import Comparison, constant, expr_text, param_text, raw
from qualispec.compiler.syntax import ast


# ------------------------------------------------------------------ indicators
def indicators(c: Comparison, out: ChangeList) -> None:
    for o, n, a, b in c.matched("indicator", c.old.indicators, c.new.indicators):
        gone = [f for f in a.fields if f not in b.fields]
        came = [f for f in b.fields if f not in a.fields]
        if gone or came:
            detail = "; ".join(x for x in (_fields_said(gone, "retiré"), _fields_said(came, "ajouté")) if x)
            out.add("indicators", "fields", n, "champs", ", ".join(a.fields) or "tous", ", ".join(b.fields) or "tous",
                    detail, removed=tuple(gone), added=tuple(came))
        for attr, word in (("category", "catégorie"), ("unit", "unité"), ("valuation", "modèle de valorisation"),
                           ("envelope", "enveloppe")):
            va, vb = getattr(a, attr), getattr(b, attr)
            if (c.forward.get(va, "old:" + va) if va else "") != vb and not (attr == "unit" and va == vb):
                if attr == "unit":
                    out.add("indicators", "changed", n, word, unit_said(va), unit_said(vb), attribute=attr,
                            units=(va, vb))
                else:
                    out.add("indicators", "changed", n, word, va or "—", vb or "—", attribute=attr)
        pa = {c.forward.get(p, "old:" + p) for p in a.prerequisites}
        if pa != set(b.prerequisites):
            out.add("indicators", "changed", n, "prérequis", ", ".join(a.prerequisites) or "aucun",
                    ", ".join(b.prerequisites) or "aucun", attribute="prerequisites")
        _status(c, out, n, a, b)
        _parts(c, out, a, b)


# The parts the compiler adds from an indicator's status (runtime/statuses): what changed there is said once,
# by the status and by the redistribution of weights, not as formulas the author never wrote.
FROM_STATUSES = ("applicable", "effective_weight")
REDISTRIBUTION = {
    "part_removed": "plus de redistribution : aucun indicateur de l'enveloppe ne peut plus ne pas compter pour un "
                    "établissement (voir le statut de recueil), son poids reste le sien",
    "part_added": "le poids d'un indicateur qui ne compte pas pour un établissement (voir le statut de recueil) est "
                  "désormais redistribué sur ses autres indicateurs",
}


def _status(c: Comparison, out: ChangeList, n: str, a: ir.Indicator, b: ir.Indicator) -> None:
    """The input that says whether an indicator was reported, counts or concerns the establishment."""
    if (c.forward.get(a.status, "old:" + a.status) if a.status else "") == b.status:
        va = c.old.inputs[a.status].values if a.status else ()
        vb = c.new.inputs[b.status].values if b.status else ()
        if va == vb:
            return
    out.add("indicators", "changed", n, "statut de recueil", _status_words(c.old, a.status),
            _status_words(c.new, b.status), attribute="status")


def _status_words(campaign: ir.Campaign, status: str) -> str:
    if not status:
        return "aucun"
    decl = campaign.inputs[status]
    values = f" ({', '.join(decl.values)})" if decl.values else ""
    return f"{label_of(decl) or status}{values}"


def _fields_said(fields: list[str], verb: str) -> str:
    if not fields:
        return ""
    s = "s" if len(fields) > 1 else ""
    return f"champ{s} {verb}{s} : {', '.join(fields)}"


def _parts(c: Comparison, out: ChangeList, a: ir.Indicator, b: ir.Indicator) -> None:
    old_parts, new_parts = dict(a.parts), dict(b.parts)
    common_fields = [f for f in b.fields if f in a.fields] or [None]
    for part in list(new_parts) + [p for p in old_parts if p not in new_parts]:
        what = french.part_label(part, pays=b.part("payout") is not None)
        section = "rules" if part in RULE_PARTS else "formulas"
        node_a = _as_declared(c.old.nodes.get(old_parts.get(part, "")))
        node_b = _as_declared(c.new.nodes.get(new_parts.get(part, "")))
        if part in FROM_STATUSES:
            if (node_a is None) != (node_b is None) and part == "effective_weight":
                kind = "part_removed" if node_a else "part_added"
                out.add("rules", kind, f"{b.name}.{part}", what, detail=REDISTRIBUTION[kind], part=part,
                        indicator=b.name)
            continue
        if node_a is None or node_b is None:
            node = node_a or node_b
            if node is None or node.expr is None:
                continue
            side = "old" if node_a else "new"
            text = c.rule_text(side, node.expr, node.unit, (a if node_a else b).name)
            out.add(section, "part_removed" if node_a else "part_added", f"{b.name}.{part}", what,
                    old=text if node_a else None, new=None if node_a else text, part=part, indicator=b.name)
            continue
        if part in RULE_PARTS:
            _rule_part(c, out, a, b, part, node_a, node_b, common_fields)
            continue
        by_ref, by_value = c.compare(node_a.expr, node_b.expr, a.name, b.name)
        if not by_ref and not by_value:
            out.add("formulas", "formula", f"{b.name}.{part}", what, c.words("old", node_a.expr, a.name),
                    c.words("new", node_b.expr, b.name), part=part, indicator=b.name)


def _as_declared(node: ir.Node | None) -> ir.Node | None:
    """A part as its author wrote it, without the status wrapper (the status is compared on its own)."""
    if node is None or node.expr is None:
        return node
    return dataclasses.replace(node, expr=as_declared(node.expr))


def _rule_part(c: Comparison, out: ChangeList, a, b, part, node_a, node_b, fields) -> None:
    by_ref, by_value = c.compare(node_a.expr, node_b.expr, a.name, b.name)
    per_field = []
    keyed = any(c.keyed(node_a.expr, "old")) or any(c.keyed(node_b.expr, "new"))
    if keyed and fields != [None]:  # a value by field: compare field by field, on the fields both cover
        by_value = all(c.same(c.canon(node_a.expr, "old", a.name, True, f),
                              c.canon(node_b.expr, "new", b.name, True, f)) for f in fields)
    if by_value:
        return
    for f in fields:
        va = constant(c.canon(node_a.expr, "old", a.name, True, f))
        vb = constant(c.canon(node_b.expr, "new", b.name, True, f))
        if va != vb or va is None:
            per_field.append((f, va, vb))
    unit_a, unit_b = node_a.unit, node_b.unit
    if {unit_a, unit_b} == {"percent", "ratio"}:  # 0,25 and 4,25 % side by side: both in percent
        unit_a = unit_b = "percent"
    detail = ""
    if by_ref:
        params = sorted({n.target for n in ast.walk(node_b.expr) if isinstance(n, ast.Ref)
                         and c.kind_new.get(n.target or "") == "parameter" and c.parameter_changed(n.target)})
        detail = f"par la valeur du paramètre {', '.join(params)} (voir Paramètres)" if params else ""
    values = [(f, va, vb) for f, va, vb in per_field if va is not None and vb is not None]
    if values and any(f is not None for f, _, _ in values) and len({(va, vb) for _, va, vb in values}) > 1:
        detail = "; ".join(x for x in (detail, "par champ : " + " ; ".join(
            f"{f} {french.literal(va, unit_a)} → {french.literal(vb, unit_b)}" for f, va, vb in values)) if x)
    out.add("rules", "changed", f"{b.name}.{part}", french.part_label(part, pays=b.part("payout") is not None),
            c.rule_text("old", node_a.expr, unit_a, a.name), c.rule_text("new", node_b.expr, unit_b, b.name), detail,
            part=part, indicator=b.name,
            values=tuple((f or "", raw(va), raw(vb)) for f, va, vb in per_field))


# ------------------------------------------------------------------ parameters
def parameters(c: Comparison, out: ChangeList) -> None:
    for o, n, a, b in c.matched("parameter", c.old.parameters, c.new.parameters):
        if a.unit != b.unit:
            out.add("parameters", "changed", n, "unité", unit_said(a.unit), unit_said(b.unit), attribute="unit",
                    units=(a.unit, b.unit))
        if (a.keyed_by is None) != (b.keyed_by is None):
            out.add("parameters", "value", n, "valeur", param_text(a), param_text(b))
            continue
        if a.keyed_by is None:
            if c.parameter_changed(n):
                out.add("parameters", "value", n, "valeur", expr_text(a.value, a.unit), expr_text(b.value, b.unit),
                        label_of(b), old_value=raw(constant(c.canon(a.value, "old", None, True))),
                        new_value=raw(constant(c.canon(b.value, "new", None, True))))
            continue
        diffs = c.field_changes(a, b)
        if diffs:
            out.add("parameters", "value", n, "valeur par champ",
                    " ; ".join(f"{f} : {expr_text(va, a.unit) if va else '—'}" for f, va, _ in diffs),
                    " ; ".join(f"{f} : {expr_text(vb, b.unit) if vb else '—'}" for f, _, vb in diffs),
                    label_of(b), fields=tuple(f for f, _, _ in diffs))


# ------------------------------------------------------------------ envelopes
def envelopes(c: Comparison, out: ChangeList) -> None:
    for o, n, a, b in c.matched("envelope", c.old.envelopes, c.new.envelopes):
        pa, pb = dict(a.parts), dict(b.parts)
        for part in list(pb) + [p for p in pa if p not in pb]:
            na, nb = c.old.nodes.get(pa.get(part, "")), c.new.nodes.get(pb.get(part, ""))
            if na is None or nb is None:
                out.add("envelopes", "part_removed" if na else "part_added", f"{n}.{part}", ENVELOPE_PARTS.get(part, part),
                        c.words("old", na.expr if na else None), c.words("new", nb.expr if nb else None))
                continue
            by_ref, by_value = c.compare(na.expr, nb.expr, o, n)
            if not by_ref and not by_value:
                out.add("envelopes", "formula", f"{n}.{part}", ENVELOPE_PARTS.get(part, part), c.words("old", na.expr),
                        c.words("new", nb.expr))
            elif by_ref and not by_value and part == "amount":
                out.add("envelopes", "changed", f"{n}.{part}", ENVELOPE_PARTS["amount"], c.rule_text("old", na.expr, na.unit),
                        c.rule_text("new", nb.expr, nb.unit))
        if (a.payout is None) != (b.payout is None) or (a.payout is not None and not c.same(
                c.canon(a.payout, "old", o, False), c.canon(b.payout, "new", n, False))):
            out.add("envelopes", "formula", f"{n}.payout", "rémunération par indicateur",
                    c.words("old", a.payout), c.words("new", b.payout))
