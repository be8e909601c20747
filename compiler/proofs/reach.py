"""Values decided before any data is read: targets out of reach, scores out of 0–100 %.

A result that is a proportion (a numerator counting part of its denominator) or a
percentage read from the dataset (refused outside 0–100 at its row) lies between 0 % and
100 %. A target or a threshold written as a value outside that range is then decided
before any data is read: 150 % is never reached, −5 % always is. That is a typo more often
than a rule (« 1,5 » for « 15 % », a sign), so the author is told at the value's line.
Values computed from the population (a quantile) are not judged here.

A valuation curve gives a score between 0 % and 100 %: the proof that an envelope never pays
more than it distributes rests on it. Every value a curve can give as written (a branch of an
``if``, a point of a ``piecewise``, a rule of a decision table, a parameter's value) is checked,
and so is a score computed from those values alone (level × weight + evolution × weight), by
interval arithmetic. A score that reads a result itself is not judged here; the run still
refuses to write results that overpay an envelope.

Any other percent parameter written outside 0–100 % (a rate of 200 % that pays twice the savings,
−20 %) is said at its value too.

A division by a value that is 0 before any data is read (a number of indicators set to 0 in one
field) has no value on any row: the engine would leave every result it feeds missing. It is an
error at the divisor, with the fields where it is 0.

A parameter given by field (or by group) with no value for a field where an indicator reads it
(« digital_share = { MCO: 25 %, SSR: 25 % … } » without DIA) leaves the weights, targets or amounts
it makes missing there: those establishments would be paid nothing, with no other message. It is
an error at the parameter, naming the fields and the indicators.
"""

from __future__ import annotations

from qualispec.compiler import french, ir, labels, messages
from qualispec.compiler.graph import references
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.evaluator import Evaluator, NotConstant
from qualispec.compiler.check.statuses import as_declared
from qualispec.compiler.syntax.ast import signed_number
from qualispec.compiler.syntax import ast

BOUNDED_PARTS = ("target", "threshold")


def check_reach(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    _check_targets(campaign, diagnostics)
    _check_scores(campaign, diagnostics)
    _check_percent_parameters(campaign, diagnostics)
    _check_divisors(campaign, diagnostics)
    _check_rates(campaign, diagnostics)
    _check_keyed_values(campaign, diagnostics)


def _check_keyed_values(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    """Every field (or group) where an indicator reads a parameter given by field (by group) has its value."""
    fields = list(campaign.field_decls)
    missing: dict[str, dict[str, list[str]]] = {}  # parameter → field or group without a value → indicators reading it
    for indicator in campaign.indicators.values():
        applies = indicator.fields or fields
        for name in _parameters_read(campaign, [node for _, node in indicator.parts]):
            parameter = campaign.parameters[name]
            if parameter.keyed_by not in ("field", "group"):
                continue
            keys = applies if parameter.keyed_by == "field" else \
                [g.name for g in campaign.groups.values() if g.field_name in applies]
            given = {key for key, _ in parameter.values}
            for key in keys:
                if key not in given:
                    missing.setdefault(name, {}).setdefault(key, []).append(indicator.short_name)
    for name, keys in missing.items():
        parameter = campaign.parameters[name]
        table = campaign.field_decls if parameter.keyed_by == "field" else campaign.groups
        shown = ", ".join(f"{key} ({table[key].label})" if key in table and table[key].label else key for key in keys)
        readers = sorted({indicator for indicators in keys.values() for indicator in indicators})
        where = parameter.values[0][1].span if parameter.values else parameter.span
        diagnostics.error("check.value_missing_for_key", where, name=name, missing=shown,
                          by=messages.word("phrase.by_field" if parameter.keyed_by == "field" else "phrase.by_group"),
                          readers=", ".join(readers[:5]) + (" …" if len(readers) > 5 else ""),
                          example=" ".join(f"{key}: …" for key in keys))


def _parameters_read(campaign: ir.Campaign, nodes: list[str]):
    """The parameters that the computation of ``nodes`` reads, through the names it uses."""
    seen, stack = set(), list(nodes)
    while stack:
        node = campaign.nodes.get(stack.pop())
        if node is None or node.id in seen:
            continue
        seen.add(node.id)
        if node.kind == "parameter":
            yield node.id
        else:
            stack += references(node.expr)


def _check_rates(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    """A result made of a percentage (« numerator: num1_previous ») or a proportion scaled past 100 %
    (« numerator / denominator * 100 »: 0,5 already reads 50 %, the result would reach 10 000 %)."""
    for indicator in campaign.indicators.values():
        sides = [campaign.nodes.get(indicator.part(p) or "") for p in ("numerator", "denominator")]
        if None not in sides and any(n.unit in ("percent", "ratio") for n in sides) and sides[0].expr is not None:
            diagnostics.warning("check.mixed_rate", sides[0].expr.span, indicator=indicator.short_name,
                                numerator=french.UNIT_WORDS.get(sides[0].unit, sides[0].unit),
                                denominator=french.UNIT_WORDS.get(sides[1].unit, sides[1].unit))
        result = campaign.nodes.get(indicator.part("result") or "")
        if not indicator.proportion or result is None or result.expr is None:
            continue
        expr = as_declared(result.expr)
        bounds = _proportion_bounds(expr, indicator)
        if bounds is not None and bounds[1] > 1:
            diagnostics.warning("check.proportion_scaled", expr.span, indicator=indicator.short_name,
                                value=french.literal(bounds[1], "percent"))


def _proportion_bounds(expr, indicator: ir.Indicator):
    """The least and greatest value of a result written from numerator / denominator (between 0 and 1) and
    written numbers, else None."""
    if isinstance(expr, ast.Binary) and expr.op == "/" and all(
            isinstance(side, ast.Ref) and side.target == indicator.part(part)
            for side, part in ((expr.left, "numerator"), (expr.right, "denominator"))):
        return (0, 1)
    number = signed_number(expr)
    if number is not None:
        return (number.value, number.value)
    if isinstance(expr, ast.Binary) and expr.op in ("*", "/"):
        a, b = _proportion_bounds(expr.left, indicator), _proportion_bounds(expr.right, indicator)
        if a is None or b is None:
            return None
        if expr.op == "/":
            if b[0] <= 0 <= b[1]:
                return None
            b = (1 / b[1], 1 / b[0])
        products = [x * y for x in a for y in b]
        return (min(products), max(products))
    return None


def _check_divisors(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    """A divisor that is 0, in some field, whatever the data: said once at the divisor."""
    fields = list(campaign.field_decls) or [None]
    said = set()
    for node in campaign.nodes.values():
        for e in ast.walk(node.expr) if node.expr is not None else ():
            if not (isinstance(e, ast.Binary) and e.op == "/") or e.right.span in said:
                continue
            zero_in = [f for f in fields if _constant(campaign, e.right, f) == 0]
            if zero_in:
                said.add(e.right.span)
                diagnostics.error("check.division_by_zero", e.right.span, divisor=french.formula(e.right, labels.namer(campaign)),
                                  fields=", ".join(f for f in zero_in if f) or "tous")


def _check_percent_parameters(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    """Any other percent parameter written outside 0–100 % (200 % for 20 %, a sign too many) is said at its value,
    unless a target or a score check above has said more about it there."""
    said = diagnostics.places()
    for parameter in campaign.parameters.values():
        if parameter.unit != "percent":
            continue
        for value in filter(None, map(signed_number, [parameter.value] + [v for _, v in parameter.values])):
            if value.unit == "percent" and not 0 <= value.value <= 1 \
                    and value.span.place not in said:
                diagnostics.warning("check.percent_out_of_range", value.span,
                                    what=messages.word("what.decl", kind="parameter", name=parameter.name),
                                    value=french.literal(value.value, "percent"))


def _check_scores(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    used = {indicator.valuation for indicator in campaign.indicators.values()}
    for curve in campaign.curves.values():
        if curve.name not in used or curve.unit != "percent" or curve.value is None:
            continue
        bindings = dict(curve.bindings)
        given = _given(campaign, curve.value, bindings, set())  # the score, and the parts it is made of
        given += [v for name, e in curve.bindings if getattr(e, "unit", None) == "percent"
                  for v in _given(campaign, e, bindings, {name})]
        wrong = list({(v.span, v.value): v for v in given if not 0 <= v.value <= 1}.values())
        for value in wrong:
            diagnostics.error("check.score_out_of_range", value.span, curve=curve.label or curve.name,
                              value=french.literal(value.value, "percent"), given="")
        bounds = None if wrong else _bounds(campaign, curve.value, bindings, set())
        if bounds not in (None, EMPTY) and not _in_0_100(bounds):
            culprits = list(dict(_culprits(campaign, curve.value, bindings, set())).items())
            given = messages.word("reach.score_given", values=", ".join(
                f"{name} = {french.literal(value.value, 'percent')}" for name, value in culprits)) if culprits else ""
            diagnostics.error("check.score_out_of_range", curve.value.span, curve=curve.label or curve.name,
                              value=french.literal(bounds[1] if bounds[1] > 1 else bounds[0], "percent"), given=given,
                              causes=tuple(value.span for _, value in culprits))


def _in_0_100(bounds) -> bool:
    return bounds == EMPTY or (bounds is not None and 0 <= bounds[0] and bounds[1] <= 1)


def _culprits(campaign: ir.Campaign, expr, bindings: dict, seen: set) -> list[tuple[str, ast.Num]]:
    """The parameters whose written values make a score leave 0–100 %: the factors and terms of the
    branches out of range (« level_weight * level + evolution_weight * evolution »: both weights)."""
    outcomes = _outcomes(expr)
    if outcomes is not None:
        return [c for outcome in outcomes if not _in_0_100(_bounds(campaign, outcome, bindings, seen))
                for c in _culprits(campaign, outcome, bindings, seen)]
    if isinstance(expr, ast.Ref) and expr.target and expr.target.startswith("@"):
        if expr.name not in bindings or expr.name in seen:
            return []
        return _culprits(campaign, bindings[expr.name], bindings, seen | {expr.name})
    if isinstance(expr, ast.Binary) and expr.op in ("+", "-", "*"):
        return [c for side in (expr.left, expr.right) for c in _written_parameters(campaign, side)]
    return _written_parameters(campaign, expr)


def _written_parameters(campaign: ir.Campaign, expr) -> list[tuple[str, ast.Num]]:
    """The parameters a sum or product names directly, with their written values."""
    if isinstance(expr, ast.Binary) and expr.op in ("+", "-", "*"):
        return [c for side in (expr.left, expr.right) for c in _written_parameters(campaign, side)]
    if isinstance(expr, ast.Ref) and expr.target in campaign.parameters:
        return [(expr.name, value) for value in _written_values(campaign, expr)]
    return []


def _given(campaign: ir.Campaign, expr, bindings: dict, seen: set) -> list[ast.Num]:
    """The written values a curve's formula can give: through branches, points, rules and names."""
    outcomes = _outcomes(expr)
    if outcomes is not None:
        return [v for outcome in outcomes for v in _given(campaign, outcome, bindings, seen)]
    if isinstance(expr, ast.Ref) and expr.target and expr.target.startswith("@") and expr.name in bindings:
        if expr.name in seen:
            return []
        return _given(campaign, bindings[expr.name], bindings, seen | {expr.name})
    return _written_values(campaign, expr)


def _outcomes(expr) -> list | None:
    """What a choice can give (an ``if``'s branches, a ``piecewise``'s points, a table's rules), else None."""
    if isinstance(expr, ast.If):
        return [expr.then, expr.else_]
    if isinstance(expr, ast.Piecewise):
        return [y for _, y in expr.points]
    if isinstance(expr, ast.Decide):
        return [result for _, result in expr.rules]
    return None


EMPTY = ()  # a formula that gives no number (« missing »: the indicator is not scored)


def _bounds(campaign: ir.Campaign, expr, bindings: dict, seen: set):
    """The least and greatest value a formula can give, from written values only (interval arithmetic);
    None when it reads something unbounded here (a result, a share of the population)."""
    if isinstance(expr, ast.Missing):
        return EMPTY
    outcomes = _outcomes(expr)
    if outcomes is not None:
        found = EMPTY
        for outcome in outcomes:
            found = _hull(found, _bounds(campaign, outcome, bindings, seen))
        return found
    if isinstance(expr, ast.Ref) and expr.target and expr.target.startswith("@"):
        if expr.name not in bindings or expr.name in seen:
            return None
        return _bounds(campaign, bindings[expr.name], bindings, seen | {expr.name})
    if isinstance(expr, ast.Binary) and expr.op in ("+", "-", "*"):
        a, b = _bounds(campaign, expr.left, bindings, seen), _bounds(campaign, expr.right, bindings, seen)
        if a is None or b is None or EMPTY in (a, b):
            return None if None in (a, b) else EMPTY
        if expr.op == "+":
            return (a[0] + b[0], a[1] + b[1])
        if expr.op == "-":
            return (a[0] - b[1], a[1] - b[0])
        products = [x * y for x in a for y in b]
        return (min(products), max(products))
    numbers = [signed_number(w) for w in _written(campaign, expr)]
    if numbers and None not in numbers:  # every value written as a number (not read from the data)
        return (min(n.value for n in numbers), max(n.value for n in numbers))
    return None


def _hull(a, b):
    if a is None or b is None:
        return None
    if a == EMPTY or b == EMPTY:
        return b if a == EMPTY else a
    return (min(a[0], b[0]), max(a[1], b[1]))


def _check_targets(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
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


def _written(campaign: ir.Campaign, expr) -> list:
    """What a part is given as written: the expression itself, or a parameter's value (per field too)."""
    if isinstance(expr, ast.Ref) and expr.target in campaign.parameters:
        parameter = campaign.parameters[expr.target]
        return ([parameter.value] if parameter.value is not None else []) + [v for _, v in parameter.values]
    return [expr]


def _written_values(campaign: ir.Campaign, expr) -> list[ast.Num]:
    """The numbers among what a part is given as written."""
    return [n for n in map(signed_number, _written(campaign, expr)) if n is not None]


def _constant(campaign: ir.Campaign, expr, field_name):
    """The value of ``expr`` for ``field_name`` when no data is needed, else None."""
    try:
        return Evaluator(campaign, field_name).expr(expr)
    except NotConstant:
        return None
