"""The dataset a campaign needs: one column per input its formulas read.

The contract is derived from the compiled campaign, never written by hand: an input
that no formula uses is not asked for, and ``qualispec inputs`` shows exactly what
``qualispec eval`` will check.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

from qualispec.compiler import ir
from qualispec.compiler.graph import references

TYPES = {"count": "integer", "percent": "number (0–100)", "ratio": "number", "euro": "number (euros)",
         "days": "integer", "number": "number", "boolean": "true/false", "category": "text", "text": "text"}


@dataclass(frozen=True)
class Column:
    name: str
    unit: str
    type: str
    required_for: str  # the fields whose rows must fill it ("all", "none" or "MCO, SSR")
    meaning: str
    input: str = ""  # the input's name in the spec (usually the same as the column)
    values: tuple[str, ...] = ()
    may_be_absent: bool = False  # `optional: true`: the file may lack the column (read as empty)
    signed: bool = False  # `signed: true` on a percent: any finite value (a growth of −2,5 %), not 0–100


def used_inputs(campaign: ir.Campaign) -> list[ir.Input]:
    used: set[str] = set()
    for node in campaign.nodes.values():
        used |= references(node.expr)
    return [decl for name, decl in campaign.inputs.items() if name in used]


def has_fields(campaign: ir.Campaign) -> bool:
    return bool(campaign.field_decls)


def contract_rows(campaign: ir.Campaign) -> list[Column]:
    rows = [Column("finess", "text", "text (9 characters)", "all",
                   "Numéro FINESS de l'établissement (entité juridique)")]
    if has_fields(campaign):
        fields = ", ".join(campaign.field_decls)
        rows.append(Column("field", "category", f"one of {fields}", "all", "Champ d'activité de la ligne",
                           values=tuple(campaign.field_decls)))
    for decl in used_inputs(campaign):
        node = campaign.nodes[decl.name]
        if decl.optional:
            required = "none"
        elif node.fields:
            required = ", ".join(node.fields)
        else:  # with fields, an input no field must fill is optional; without fields, it is required
            required = "none" if has_fields(campaign) else "all"
        kind = "number (signed percent, e.g. -2.5)" if getattr(decl, "signed", False) else TYPES.get(decl.unit, decl.unit)
        rows.append(Column(decl.column, decl.unit, kind, required,
                           decl.label or decl.description, decl.name, decl.values, bool(decl.optional),
                           bool(getattr(decl, "signed", False))))
    return rows


def render_contract(rows: list[Column], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2)
    header = ["column", "unit", "type", "required_for", "meaning"]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.name, r.unit, r.type, r.required_for, r.meaning])
        return out.getvalue().rstrip("\n")
    table = [header] + [[r.name, r.unit, r.type, r.required_for, r.meaning] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    lines = []
    for i, row in enumerate(table):
        lines.append("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row[:4])) + "  " + row[4])
        if i == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 7)
    return "\n".join(lines)
