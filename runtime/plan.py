"""From a compiled campaign to an engine-neutral relational plan.

The plan is a list of column assignments over one table (a row per establishment
and field), in dependency order, plus how rows get their group and how money is
rounded. Expressions stay IR expressions: each engine (runtime/engines/polars_engine.py
today; Spark tomorrow) translates them, with the same meaning:

- a value that is missing (NULL) makes arithmetic and comparisons missing, and
  an ``if`` whose condition is missing is missing too (never silently the ``else``
  branch: "previous result unknown" must not read as "no progress");
- ``a / b`` is missing when ``b`` is 0 (an indicator with a zero denominator is
  "not computable", and the spec says what that is worth);
- aggregates ignore missing values and are windows over the partition named
  after ``over`` (group, field, all, or a category column); ``min_of``/``max_of``
  leave missing values out (missing only when all are);
- an indicator's parts are only defined on the rows of the indicator's fields.

The numeric contract (every engine gives the same digits):

- Every numeric value IS an exact rational number. Inputs: count and days are
  integers; euro, percent, ratio and number are exact decimals as written (CSV
  ``12,5`` is 25/2; a Parquet decimal exactly; a Parquet float by its shortest
  decimal form). A percent p (0–100 in files) is held as the ratio p/100, exactly.
  Literals are exact (``60 %`` is 3/5, ``2 k€`` is 2000).
- + − × are exact, ``a / b`` is the exact quotient; comparisons, ``abs``, ``min_of``,
  ``max_of`` and ``floor`` are exact; ``round`` is half to even; a piecewise curve
  interpolates exactly; ``decide`` takes the first row whose patterns are equal.
- quantile(x, q, method): the n non-missing values sorted x(0) ≤ … ≤ x(n−1),
  h = q·(n−1) exactly; lower x(⌊h⌋), higher x(⌈h⌉), nearest x(⌊h⌋) unless
  h − ⌊h⌋ > 1/2, midpoint (x(⌊h⌋) + x(⌈h⌉))/2, linear x(⌊h⌋) + (h − ⌊h⌋)(x(⌈h⌉) − x(⌊h⌋));
  median is the midpoint at q = 1/2; mean is the exact sum over the count.
- An envelope's amounts (``Step.round_cents``) are rounded half to even to whole cents,
  except its group amounts when the campaign has groups (``Step.shared_by_group``): the
  groups share round_half_even(Σ 100·a) cents, a being each group's exact amount, by
  largest remainder: each group ⌊100·a⌋, the leftover one cent each to the largest exact
  remainders, ties by the groups' order in the spec (rows in no group count as one more
  group, last). The group amounts add up to the envelope to the cent.
- Payouts of an Allocation, per partition (the group when it has a group amount,
  else everyone): each cell gets ⌊100·p⌋ cents; the leftover, round_half_even(Σ 100·p)
  − Σ ⌊100·p⌋, goes one cent each to the largest exact remainders 100·p − ⌊100·p⌋,
  ties by FINESS, field, then the order of ``Allocation.payouts``. A payout without
  an envelope is round_half_even(100·p) cents. No partition pays more than its
  group amount (the run is refused otherwise).
- Written values (``written_scale``): percent as 100·ratio and ratio/number with 6
  decimals, euro amounts with 2, payouts as cents/100, integers as integers; each
  rounded half to even from the exact value, so files never depend on the row order.

An engine may compute exactly (decimals, rationals) or fast in floating point with an
error bound, deferring to runtime/exact.py every row where a decision or a written
digit falls within the bound; the results are identical. The Polars engine does both:
each value in float64 with its bound and, where a decision or a digit needs it, as an
exact fraction of Int128 integers (runtime/engines/polars_rational.py); only what cannot
be held in that range goes to runtime/exact.py (``Evaluation.exact_rows`` counts it).
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
    shared_by_group: bool = False  # the group amounts share the envelope by largest remainder


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
    typed_ir: ir.Campaign | None = None  # the typed IR, for the exact evaluation of chosen rows


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
        shared = is_amount and node_id.endswith(".group_amount") and bool(campaign.groups)
        steps.append(Step(node_id, node.expr, node.unit, node.fields if node.kind == "part" else (), is_amount, shared))

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
                parameter_values(campaign), campaign)


def as_fraction(value) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


WHOLE_UNITS = (None, "count", "days", "number")  # an exact integer of these units is written as a whole number


def written_scale(unit: str | None) -> tuple[int, int]:
    """How a value of this unit is written: (factor applied to the held value, decimals)."""
    if unit == "percent":
        return 100, 6
    if unit == "euro":
        return 1, 2
    return 1, 6
