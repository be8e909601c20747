"""From a compiled campaign to an engine-neutral relational plan.

The plan is a list of column assignments over one table (a row per establishment
and field), in dependency order, plus how rows get their group and how money is
rounded. Expressions stay IR expressions: each engine (runtime/engine_polars.py
today; a SQL or PySpark engine tomorrow) translates them, with the same meaning:

- a value that is missing (NULL) makes arithmetic and comparisons missing, and
  an ``if`` whose condition is missing is missing too (never silently the ``else``
  branch: "previous result unknown" must not read as "no progress");
- ``a / b`` is missing when ``b`` is 0 (an indicator with a zero denominator is
  "not computable", and the spec says what that is worth);
- aggregates ignore missing values and are windows over the partition named
  after ``over`` (group, field, all, or a category column);
- an indicator's parts are only defined on the rows of the indicator's fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast
from qualispec.compiler.check import literal_value
from qualispec.compiler.pipeline import Compiled

# Parts that are rules, not values of an establishment: shown in fiches, not in results.
RULE_PARTS = ("evolution_paid", "not_applicable_allowed")


@dataclass(frozen=True)
class Step:
    column: str  # the node id
    expr: ast.Expr
    unit: str | None
    fields: tuple[str, ...] = ()  # only these rows get a value (empty: all rows)
    round_cents: bool = False  # an envelope's amounts are whole cents


@dataclass(frozen=True)
class GroupCase:
    field_name: str
    label: str
    condition: str  # the column holding the group's condition


@dataclass(frozen=True)
class Allocation:
    """Payouts of these indicators share the envelope's group amount to the cent."""

    envelope: str
    group_amount: str | None  # column of the group's amount (None: no cap, round each cell)
    payouts: tuple[tuple[str, str], ...]  # (indicator, payout column)


@dataclass(frozen=True)
class OutputColumn:
    name: str
    source: str  # the node id
    unit: str | None
    indicator: str = ""
    part: str = ""


@dataclass(frozen=True)
class Plan:
    campaign: str
    has_fields: bool
    steps: tuple[Step, ...]
    groups: tuple[GroupCase, ...]
    allocations: tuple[Allocation, ...]
    outputs: tuple[OutputColumn, ...]
    parameters: dict  # name → Fraction | bool | str, or {field: value} when keyed


def parameter_values(campaign: ir.Campaign) -> dict:
    values = {}
    for name, p in campaign.parameters.items():
        if p.keyed_by:
            values[name] = {key: literal_value(expr) for key, expr in p.values}
        else:
            values[name] = literal_value(p.value) if p.value is not None else None
    return values


def build_plan(compiled: Compiled) -> Plan:
    campaign = compiled.campaign
    steps = []
    for node_id in compiled.order:
        node = campaign.nodes[node_id]
        if node.kind in ("input", "builtin", "parameter") or node.expr is None:
            continue
        is_amount = node.kind == "envelope" and node_id.rsplit(".", 1)[-1] in ("amount", "group_amount")
        steps.append(Step(node_id, node.expr, node.unit, node.fields if node.kind == "part" else (), is_amount))

    groups = tuple(GroupCase(g.field_name, g.label or g.name, g.name) for g in campaign.groups.values())

    allocations = []
    by_envelope: dict[str, list[tuple[str, str]]] = {}
    for ind in campaign.indicators.values():
        payout = ind.part("payout")
        if payout and campaign.nodes[payout].expr is not None:
            by_envelope.setdefault(ind.envelope, []).append((ind.name, payout))
    for envelope, cells in by_envelope.items():
        amount = f"{envelope}.group_amount" if envelope and f"{envelope}.group_amount" in campaign.nodes else None
        allocations.append(Allocation(envelope, amount, tuple(cells)))

    outputs = [OutputColumn("finess", "finess", "text")]
    if campaign.field_decls:
        outputs.append(OutputColumn("field", "field", "category"))
    if campaign.groups:
        outputs.append(OutputColumn("group", "group", "category"))
    for ind in campaign.indicators.values():
        for part, node_id in ind.parts:
            if part in RULE_PARTS:
                continue
            outputs.append(OutputColumn(f"{ind.name.lower()}_{part}", node_id, campaign.nodes[node_id].unit, ind.name, part))
    return Plan(campaign.name, bool(campaign.field_decls), tuple(steps), groups, tuple(allocations), tuple(outputs),
                parameter_values(campaign))


def as_fraction(value) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)
