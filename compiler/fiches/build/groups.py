"""The comparison groups of a campaign as tables: one row per group, one column per input its
condition reads (``stays``: ``≥ 500 et < 20 000``), the rest of the condition in words."""

from __future__ import annotations

from qualispec.compiler import french, ir
from qualispec.compiler.check import literal_value
from qualispec.compiler.fiches.build.context import CampaignContext, value_text
from qualispec.compiler.fiches.build.provenance import provenance
from qualispec.compiler.fiches.pages import GroupRow, GroupTable
from qualispec.compiler.syntax import ast


def group_inputs(ctx: CampaignContext) -> tuple[tuple[str, str, str], ...]:
    names = set()
    for g in ctx.c.groups.values():
        if g.when is not None:
            names |= {r.target for r in ast.walk(g.when) if isinstance(r, ast.Ref) and r.target in ctx.c.inputs}
    return tuple((n, ctx.c.inputs[n].label, french.UNIT_WORDS.get(ctx.c.inputs[n].unit, ctx.c.inputs[n].unit))
                 for n in sorted(names))


def group_tables(ctx: CampaignContext) -> tuple[GroupTable, ...]:
    c = ctx.c
    tables = []
    fields = list(c.field_decls) + sorted({g.field_name for g in c.groups.values()} - set(c.field_decls))
    for f in fields:
        groups = c.groups_of(f)
        if not groups:
            continue
        decomposed = {g.name: _decompose(g.when, c) for g in groups}
        columns: list[str] = []
        for g in groups:
            for name in (decomposed[g.name] or ({}, ""))[0]:
                if name not in columns:
                    columns.append(name)
        rows = []
        for g in groups:
            parts = decomposed[g.name]
            condition = french.formula(g.when) if g.when is not None else ""
            if parts is None:
                cells = tuple("" for _ in columns)
            else:
                cells = tuple(parts[0].get(col, "—") for col in columns)
                condition = parts[1]
            rows.append(GroupRow(g.name, g.label or g.name, cells, condition, g.description, provenance(c, g)))
        tables.append(GroupTable(f, c.field_decls[f].label if f in c.field_decls else f,
                                 tuple((col, c.inputs[col].label if col in c.inputs else col) for col in columns),
                                 tuple(rows)))
    return tuple(tables)


def _decompose(when: ast.Expr | None, c: ir.Campaign) -> tuple[dict[str, str], str] | None:
    """A group condition as one cell per input (``stays``: ``≥ 500 et < 20 000``) and a remainder."""
    if when is None:
        return {}, ""
    atoms: list[ast.Expr] = []

    def flatten(e):
        if isinstance(e, ast.Binary) and e.op == "and":
            flatten(e.left)
            flatten(e.right)
        else:
            atoms.append(e)
    flatten(when)
    cells: dict[str, list[str]] = {}
    rest: list[str] = []
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
    ops = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
    for atom in atoms:
        if isinstance(atom, ast.Bool) and atom.value:
            continue
        if isinstance(atom, ast.Ref) and atom.target in c.inputs:
            cells.setdefault(atom.target, []).append("oui")
            continue
        if isinstance(atom, ast.Unary) and atom.op == "not" and isinstance(atom.operand, ast.Ref) \
                and atom.operand.target in c.inputs:
            cells.setdefault(atom.operand.target, []).append("non")
            continue
        if isinstance(atom, ast.Compare):
            left, right, op = atom.left, atom.right, atom.op
            if isinstance(right, ast.Ref) and right.target in c.inputs and not isinstance(left, ast.Ref):
                left, right, op = right, left, flip[op]
            value = literal_value(right)
            if isinstance(left, ast.Ref) and left.target in c.inputs and value is not None:
                unit = right.unit if isinstance(right, ast.Num) and right.unit else c.inputs[left.target].unit
                cells.setdefault(left.target, []).append(f"{ops[op]} {value_text(value, unit)}")
                continue
        rest.append(french.formula(atom))
    return {k: " et ".join(v) for k, v in cells.items()}, " et ".join(rest)
