"""The dataset a campaign needs: one column per input its formulas read.

The contract is derived from the compiled campaign, never written by hand: an input
that no formula uses is not asked for, and ``qualispec inputs`` shows exactly what
``qualispec eval`` will check.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from qualispec.compiler import ir
from qualispec.compiler.check.vocabulary import ALLOWED, CONCERNED, NOT_REPORTED, PART_ORDER
from qualispec.compiler.evaluator import Evaluator, NotConstant
from qualispec.compiler.graph import reads, references
from qualispec.compiler.syntax import ast

TYPES = {"count": "entier", "percent": "nombre de 0 à 100", "ratio": "nombre", "euro": "nombre (euros)",
         "days": "entier (jours)", "number": "nombre", "boolean": "oui/non (true/false)", "category": "texte",
         "text": "texte"}
SIGNED_PERCENT = "nombre signé (une croissance de −2,5 % s'écrit -2.5)"


@dataclass(frozen=True)
class Column:
    name: str
    unit: str
    type: str
    required_for: str  # the fields whose rows must fill it ("all", "none" or "MCO, SSR"): the CSV and JSON's words
    meaning: str
    input: str = ""  # the input's name in the spec (usually the same as the column)
    values: tuple[str, ...] = ()
    may_be_absent: bool = False  # `optional: true`: the file may lack the column (read as empty)
    signed: bool = False  # `signed: true` on a percent: any finite value (a growth of −2,5 %), not 0–100
    requirement: tuple[str, str] | None = None  # ("required_when" | "required_unless" | "required_with", other column)


def used_inputs(campaign: ir.Campaign) -> list[ir.Input]:
    """The inputs a formula reads, and those that say when one of them must be filled (`required_when:` …)."""
    used: set[str] = set()
    for node in campaign.nodes.values():
        used |= references(node.expr)
    used |= {campaign.inputs[n].requirement[1] for n in used if n in campaign.inputs and campaign.inputs[n].requirement}
    return [decl for name, decl in campaign.inputs.items() if name in used]


def read_this_year(campaign: ir.Campaign) -> set[str]:
    """The node ids the campaign's results read, outside the branches its parameters rule out.

    The walk starts from what the results show (every node but a `let` that another formula reads: a
    `let` no formula reads is a value the author reports) and follows the `let`s those read: a `let`
    that only a ruled-out branch reads is not computed for anything, so its inputs are not asked for. A branch is ruled out when its parameters decide it
    for every field: « if pc_progress_required then result > pc_beds_level1_previous else true »
    with the parameter false in 2022 does not read last year's value; nor does « mpi_yearly_audit_active
    and audit_annuel_fait » (false whatever the audit, « indicateur inactivé » in 2022), nor
    « p or x » with p true."""
    fields = list(campaign.field_decls) or [None]

    def decided(cond) -> bool | None:
        if not references(cond) <= campaign.parameters.keys():  # reads the data: decided row by row
            return None
        values = set()
        for field in fields:
            try:
                values.add(Evaluator(campaign, field).expr(cond))
            except NotConstant:
                return None
        return values.pop() if len(values) == 1 and values <= {True, False} else None

    def live(e) -> set[str]:
        if isinstance(e, ast.If):
            branch = decided(e.cond)
            if branch is not None:
                return references(e.cond) | live(e.then if branch else e.else_)
        if isinstance(e, ast.Binary) and e.op in ("and", "or"):
            absorbing = e.op == "or"  # false and x, x and false: false; true or x, x or true: true
            for side in (e.left, e.right):
                if decided(side) is absorbing:
                    return references(side)
        found = reads(e)
        for child in e.children():
            found |= live(child)
        return found

    read_by_others = {name for node in campaign.nodes.values() for name in references(node.expr) if name != node.id}
    read: set[str] = set()
    todo = [n for n in campaign.nodes.values() if not _is_let(n) or n.id not in read_by_others]
    seen = {n.id for n in todo}
    while todo:
        node = todo.pop()
        if node.expr is None:
            continue
        found = live(node.expr)
        read |= found
        for name in found - seen:
            seen.add(name)
            if name in campaign.nodes:
                todo.append(campaign.nodes[name])
    return read


STANDARD_PARTS = frozenset(PART_ORDER) | ALLOWED["indicator"].keys() | ALLOWED["envelope"].keys()


def _is_let(node: ir.Node) -> bool:
    """A `let` of an indicator or an envelope: a part whose name is the author's, not the language's."""
    return node.kind in ("part", "envelope") and node.id.partition(".")[2] not in STANDARD_PARTS


def has_fields(campaign: ir.Campaign) -> bool:
    return bool(campaign.field_decls)


def contract_rows(campaign: ir.Campaign) -> list[Column]:
    rows = [Column("finess", "text", "texte (9 caractères)", "all",
                   "Numéro FINESS de l'établissement (entité juridique)")]
    if has_fields(campaign):
        rows.append(Column("field", "category", _one_of(tuple(campaign.field_decls)), "all", "Champ d'activité de la ligne",
                           values=tuple(campaign.field_decls)))
    used = used_inputs(campaign)
    read = read_this_year(campaign)
    read |= {d.requirement[1] for d in used if d.requirement and d.name in read}
    for decl in used:
        node = campaign.nodes[decl.name]
        unread = decl.name not in read  # only in a branch this campaign's parameters rule out
        if decl.optional or unread:
            required = "none"
        elif node.fields:
            required = ", ".join(node.fields)
        else:  # with fields, an input no field must fill is optional; without fields, it is required
            required = "none" if has_fields(campaign) else "all"
        kind = SIGNED_PERCENT if getattr(decl, "signed", False) else TYPES.get(decl.unit, decl.unit)
        if decl.values:
            kind = _one_of(decl.values)
        rows.append(Column(decl.column, decl.unit, kind, required,
                           decl.label or decl.description, decl.name, decl.values, bool(decl.optional) or unread,
                           bool(getattr(decl, "signed", False)), None if unread else _requirement(campaign, decl)))
    return rows


def _one_of(values: tuple[str, ...]) -> str:
    shown = values if len(values) <= 6 else (values[0], "…", values[-1])
    return "l'un de " + ", ".join(shown) + ("" if len(values) <= 6 else f" ({len(values)} valeurs)")


def _requirement(campaign: ir.Campaign, decl: ir.Input) -> tuple[str, str] | None:
    if not decl.requirement:
        return None
    kind, other = decl.requirement
    return kind, campaign.inputs[other].column


@dataclass(frozen=True)
class Requirement:
    """An optional column another column makes required, for every engine's validation.

    A row is refused when ``column`` is empty and ``applies(other_is_empty, other_is_in)`` holds, where
    ``other_is_empty`` is the engine's "other column is empty" test and ``other_is_in(values)`` its
    membership test (written with ``|`` and ``~`` only, so that it reads a Polars series as well as a
    Spark column), and, when ``fields`` are given (`required_when:` on an input with `fields:`), the row
    is of one of them. ``said(other_value, field)`` is the French message for such a row.
    """

    column: str
    other: str
    applies: Callable
    said: Callable
    fields: tuple[str, ...] = ()


def requirements(columns: list[Column]) -> list[Requirement]:
    """What `required_when:` (status « renseigne » or empty, on the input's fields if it has some),
    `required_unless:` and `required_with:` ask."""
    out = []
    values = {c.name: c.values for c in columns}
    for c in columns:
        if not c.requirement:
            continue
        kind, other = c.requirement
        if kind == "required_when":
            fields = () if c.required_for in ("none", "all") else tuple(f.strip() for f in c.required_for.split(","))
            others = [v for v in values.get(other, ()) if v != CONCERNED]
            instead = " ou ".join(others) or "un autre statut"
            unless = ("si l'établissement ne l'a pas saisi à temps" if others == [NOT_REPORTED]
                      else "s'il ne l'est pas")
            out.append(Requirement(c.name, other, lambda empty, is_in: empty | is_in([CONCERNED]),
                                   lambda v, field=None, c=c.name, o=other, instead=instead, unless=unless:
                                   f"{c} est vide alors que l'établissement est concerné ("
                                   f"{f'ligne du champ {field}, ' if field else ''}"
                                   f"{o} {'vide, lu « renseigne »' if v is None else f'= « {v} »'}) : remplissez {c}, "
                                   f"ou écrivez {instead} dans {o} {unless}", fields))
        elif kind == "required_unless":
            out.append(Requirement(c.name, other, lambda empty, is_in: empty,
                                   lambda v, field=None, c=c.name, o=other: f"{c} et {o} sont vides tous les deux : "
                                   f"remplissez l'un des deux"))
        else:
            out.append(Requirement(c.name, other, lambda empty, is_in: ~empty,
                                   lambda v, field=None, c=c.name, o=other: f"{c} est vide alors que {o} est rempli ({v}) : "
                                   f"{o} ne se calcule pas sans {c}"))
    return out


def _required_words(r: Column) -> str:
    """When a column must be filled, in the machine words of the CSV and JSON (« all », « none », fields)."""
    if not r.requirement:
        return r.required_for
    kind, other = r.requirement
    on = "" if r.required_for in ("none", "all") else f" on {r.required_for}"
    return {"required_when": f"if {other} = {CONCERNED} or empty{on}", "required_unless": f"if {other} empty",
            "required_with": f"if {other} filled"}[kind]


def _required_in_words(r: Column) -> str:
    """When a column must be filled, for a reader of the table: « toujours », « si num1_status … »."""
    fields = {"all": "", "none": ""}.get(r.required_for, f" (lignes {r.required_for})")
    if not r.requirement:
        return {"all": "toujours", "none": "facultative"}.get(r.required_for, f"lignes {r.required_for}")
    kind, other = r.requirement
    return {"required_when": f"si {other} vaut « {CONCERNED} » ou est vide{fields}",
            "required_unless": f"si {other} est vide", "required_with": f"si {other} est rempli"}[kind]


TABLE_HEADER = ["colonne", "unité", "type", "à remplir", "sens"]


def render_contract(rows: list[Column], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2)
    header = ["column", "unit", "type", "required_for", "meaning"]  # the CSV's keys, as the JSON's
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.name, r.unit, r.type, _required_words(r), r.meaning])
        return out.getvalue().rstrip("\n")
    table = [TABLE_HEADER] + [[r.name, r.unit, r.type, _required_in_words(r), r.meaning] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    lines = []
    for i, row in enumerate(table):
        lines.append("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row[:4])) + "  " + row[4])
        if i == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 7)
    return "\n".join(lines)
