"""Group and prerequisite conditions, compared by the z3 solver over the inputs they read.

A change comes with an establishment that satisfies one version and not the other, and,
for a group, the groups it falls in under each campaign. When the solver cannot read a
condition, the change is reported (unless sympy proves both equal), with a warning.
"""

from __future__ import annotations

from dataclasses import replace

import z3

from qualispec.compiler import french, ir
from qualispec.compiler.diff.changes import KIND_WORDS, SECTION_OF_KIND, ChangeList
from qualispec.compiler.diff.expressions import Comparison, raw
from qualispec.compiler.diff.matching import TABLES
from qualispec.compiler.proofs import partition


def conditions(c: Comparison, out: ChangeList, kind: str) -> None:
    """Every matched group (``kind="group"``) or prerequisite whose condition changed."""
    table_old, table_new = getattr(c.old, TABLES[kind]), getattr(c.new, TABLES[kind])
    section = SECTION_OF_KIND[kind]
    merged = _merged(c)
    for o, n, a, b in c.matched(kind, table_old, table_new):
        if kind == "group" and a.field_name != b.field_name:
            out.add(section, "changed", n, "champ", a.field_name, b.field_name, attribute="field")
            continue
        fields = [b.field_name] if kind == "group" else (list(c.new.field_decls) or [None])
        _condition(c, out, merged, kind, section, a, b, fields)


def _condition(c: Comparison, out: ChangeList, merged: ir.Campaign, kind, section, a, b, fields) -> None:
    old_text, new_text = c.words("old", a.when) or "—", c.words("new", b.when) or "—"
    proved_equal, found, unprovable = True, None, ""
    for f in fields:
        ca, cb = c.canon(a.when, "old", None, True, f), c.canon(b.when, "new", None, True, f)
        if ca is None or cb is None:
            proved_equal = ca is None and cb is None
            continue
        context = _field_conditions(c, f) if kind == "group" else []

        def formula_of(t, ca=ca, cb=cb, context=context):
            xor = z3.Xor(t(ca), t(cb))
            for other in context:  # every input the field's groups read gets a value in the example
                try:
                    t(other)
                except partition.Unprovable:
                    pass
            return xor

        try:
            ex = partition.example(merged, f, formula_of)
        except (partition.Unprovable, z3.Z3Exception) as why:
            unprovable = str(why)
            if not c.same(ca, cb):
                proved_equal = False
            continue
        if ex is not None:
            proved_equal, found = False, (f, ex, ca, cb)
            break
    if proved_equal:
        return
    detail, data = "", {}
    if found:
        f, ex, ca, cb = found
        data = {"example": tuple((k, raw(v)) for k, v in ex.values), "field": f or ""}
        before = partition.holds(merged, f, ca, ex.values)
        if kind == "group":
            old_groups = _groups_holding(c, merged, "old", f, ex.values)
            new_groups = _groups_holding(c, merged, "new", f, ex.values)
            data.update(old_groups=tuple(old_groups), new_groups=tuple(new_groups))
            detail = (f"exemple : {_example_text(ex)} — {c.old.name} : {_names(old_groups)} ; "
                      f"{c.new.name} : {_names(new_groups)}")
        else:
            yes = lambda v: "rempli" if v else "non rempli"  # noqa: E731
            detail = (f"exemple{f' (champ {f})' if f else ''} : {_example_text(ex)} — "
                      f"{c.old.name} : {yes(before)} ; {c.new.name} : {yes(not before)}")
    elif unprovable:
        detail = f"pas d'exemple : la condition lit {unprovable}, que le solveur ne sait pas traiter"
        out.warnings.append(f"{KIND_WORDS[kind]} {b.name} : {detail}")
    out.add(section, "condition", b.name, "condition", old_text, new_text, detail, **data)


def _merged(c: Comparison) -> ir.Campaign:
    """The new campaign, knowing the old inputs too (under their new or ``old:`` names)."""
    nodes = dict(c.new.nodes)
    for name, node in c.old.nodes.items():
        if node.kind == "input":
            key = c.forward.get(name, "old:" + name)
            nodes.setdefault(key, replace(node, id=key))
    return replace(c.new, nodes=nodes)


def _field_conditions(c: Comparison, field) -> list:
    out = []
    for side, campaign in (("old", c.old), ("new", c.new)):
        for g in campaign.groups_of(field):
            cond = c.canon(g.when, side, None, True, field)
            if cond is not None:
                out.append(cond)
    return out


def _groups_holding(c: Comparison, merged: ir.Campaign, side, field, values) -> list[str]:
    campaign = c.old if side == "old" else c.new
    out = []
    for g in campaign.groups_of(field):
        cond = c.canon(g.when, side, None, True, field)
        if cond is not None and partition.holds(merged, field, cond, values):
            out.append(g.label or g.name)
    return out


# ------------------------------------------------------------------ the example, in words
def _names(groups: list[str]) -> str:
    return ", ".join(groups) if groups else "aucun groupe"


def _example_text(ex: partition.Example) -> str:
    ranges = {name: (lo, hi) for name, lo, hi in ex.ranges}
    parts = []
    for name, v in ex.values:
        if isinstance(v, bool):
            parts.append(f"{name} = {'oui' if v else 'non'}")
            continue
        text = f"{name} = {french.plain(v)}"
        if name in ranges and ranges[name] != (0, None):  # (0, None): any count, not worth saying
            lo, hi = ranges[name]
            span = f"de {french.plain(lo)} à {french.plain(hi)}" if lo is not None and hi is not None else \
                f"à partir de {french.plain(lo)}" if lo is not None else f"jusqu'à {french.plain(hi)}"
            text += f" (de même pour {name} {span}, le reste inchangé)"
        parts.append(text)
    return ", ".join(parts) if parts else "tout établissement"
