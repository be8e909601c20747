"""Proofs over group conditions: every establishment of a field in exactly one group.

Sampling can miss a gap one stay wide; an SMT solver cannot. Each group condition is
translated to z3 over the inputs it reads (counts are integers ≥ 0, fractions lie in
[0, 1], yes/no are booleans); for each field the solver is asked for an
establishment in two groups at once (overlap) and for one in none (gap). When it
finds one, that establishment is the example shown to the author.

An overlap is shown at the two groups' conditions (the `when:` lines the author typed). A gap is
shown at the field's first group, with the conditions that border it as a note: those that take
the example in with `<` read as `<=` and `>` as `>=` (« stays > 500 » typed for « stays >= 500 »
leaves 500 stays in no group), or a whole number one step outside the gap (« stays >= 550 »).
Which of them was mistyped, the solver cannot tell. A group inherited unchanged is told at this
campaign's decision on it (compiler/pipeline.py).

This module is the only one that knows z3; the rule diff uses :func:`witness` too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from fractions import Fraction

import z3

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast
from qualispec.compiler import messages
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.limits import SOLVER_TIMEOUT_MS


class Unprovable(Exception):
    """A condition uses something the solver cannot reason about (an aggregate, a part), or it gave up."""


def _solver() -> z3.Solver:
    solver = z3.Solver()
    solver.set("timeout", SOLVER_TIMEOUT_MS)
    return solver


class _Translator:
    def __init__(self, campaign: ir.Campaign, field_name: str):
        self.campaign, self.field_name = campaign, field_name
        self.variables: dict[str, z3.ExprRef] = {}
        self.domain: list[z3.BoolRef] = []

    def var(self, name: str) -> z3.ExprRef:
        if name in self.variables:
            return self.variables[name]
        unit = self.campaign.nodes[name].unit
        if unit == "boolean":
            v = z3.Bool(name)
        elif unit == "count":
            v = z3.Int(name)
            self.domain.append(v >= 0)
        elif unit in ("percent", "ratio"):
            v = z3.Real(name)
            self.domain += [v >= 0, v <= 1]
        elif unit in ("euro", "days"):
            v = z3.Real(name)
            self.domain.append(v >= 0)
        elif unit in ("number",):
            v = z3.Real(name)
        else:
            raise Unprovable(messages.word("why.unit_unknown_to_solver", name=name, unit=unit))
        self.variables[name] = v
        return v

    def __call__(self, e: ast.Expr):
        if isinstance(e, ast.Num):
            return z3.RealVal(str(e.value)) if e.value.denominator != 1 else z3.IntVal(int(e.value))
        if isinstance(e, ast.Bool):
            return z3.BoolVal(e.value)
        if isinstance(e, ast.Text):
            return z3.StringVal(e.value)
        if isinstance(e, ast.Ref):
            return self.ref(e)
        if isinstance(e, ast.Unary):
            inner = self(e.operand)
            return z3.Not(inner) if e.op == "not" else -inner
        if isinstance(e, ast.Binary):
            a, b = self(e.left), self(e.right)
            return {"and": lambda: z3.And(a, b), "or": lambda: z3.Or(a, b), "+": lambda: a + b,
                    "-": lambda: a - b, "*": lambda: a * b, "/": lambda: _real(a) / _real(b)}[e.op]()
        if isinstance(e, ast.Compare):
            a, b = self(e.left), self(e.right)
            return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[e.op]
        if isinstance(e, ast.Member):
            x = self(e.operand)
            return z3.Or([x == self(o) for o in e.options])
        if isinstance(e, ast.If):
            return z3.If(self(e.cond), self(e.then), self(e.else_))
        raise Unprovable(messages.word("why.expression_unknown_to_solver", what=type(e).__name__.lower()))

    def ref(self, e: ast.Ref):
        target = e.target or ""
        if target.startswith("field:"):
            return z3.StringVal(target[6:])
        if target == "field":
            return z3.StringVal(self.field_name)
        node = self.campaign.nodes.get(target)
        if node is None:
            raise Unprovable(e.text)
        if node.kind == "input":
            return self.var(target)
        if node.kind == "parameter":
            param = self.campaign.parameters[target]
            value = param.value if param.keyed_by is None else dict(param.values).get(self.field_name)
            if value is None:
                raise Unprovable(messages.word("why.no_value_for_key", name=target, key=self.field_name))
            return self(value)
        if node.kind == "group":
            return self(node.expr)
        raise Unprovable(messages.word("why.from_population", name=e.text))


def _real(x):
    return z3.ToReal(x) if z3.is_int(x) else x


def _describe(model: z3.ModelRef, variables: dict[str, z3.ExprRef]) -> str:
    parts = []
    for name, var in sorted(variables.items()):
        value = model.eval(var, model_completion=True)
        if z3.is_int_value(value):
            parts.append(f"{name} = {value.as_long()}")
        elif z3.is_true(value) or z3.is_false(value):
            parts.append(f"{name} = {'yes' if z3.is_true(value) else 'no'}")
        elif z3.is_rational_value(value):
            fraction = Fraction(value.numerator_as_long(), value.denominator_as_long())
            parts.append(f"{name} = {_number(fraction)}")
        else:
            parts.append(f"{name} = {value}")
    return ", ".join(parts) if parts else "any establishment"


def _number(value: Fraction) -> str:
    """Written as in a spec (7970, not 7 970), so an author can search for it."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.6g}"


def witness(campaign: ir.Campaign, field_name: str, formula_of) -> str | None:
    """An establishment (as text) for which ``formula_of(translate)`` holds, or None if there is none."""
    found = example(campaign, field_name, formula_of, ranges=False)
    return found.text if found else None


@dataclass(frozen=True)
class Example:
    """An establishment the solver found: its values, and how far each number may move.

    ``ranges`` gives, for each whole-number input, the lowest and highest value it may
    take with every other value unchanged while the formula still holds (None: no bound).
    """

    values: tuple[tuple[str, object], ...]  # name → Fraction or bool, sorted by name
    ranges: tuple[tuple[str, Fraction | None, Fraction | None], ...]
    text: str

    def value(self, name: str):
        return dict(self.values).get(name)


def example(campaign: ir.Campaign, field_name: str | None, formula_of, ranges: bool = True) -> Example | None:
    """Like :func:`witness`, with the values themselves (and their ranges) for callers that reason on them."""
    translate = _Translator(campaign, field_name)
    try:
        formula = formula_of(translate)
        solver = _solver()
        solver.add(*translate.domain, formula)
        verdict = solver.check()
    except z3.Z3Exception as error:  # e.g. a yes/no compared with a number (the checker says so too)
        raise Unprovable(f"le solveur refuse cette condition ({error})") from None
    if verdict == z3.unknown:
        raise Unprovable(f"le solveur n'a pas conclu en {SOLVER_TIMEOUT_MS / 1000:g} s (conditions non linéaires ?)".replace(".", ","))
    if verdict != z3.sat:
        return None
    model = solver.model()
    values = []
    for name, var in sorted(translate.variables.items()):
        v = model.eval(var, model_completion=True)
        if z3.is_true(v) or z3.is_false(v):
            values.append((name, z3.is_true(v)))
        elif z3.is_int_value(v):
            values.append((name, Fraction(v.as_long())))
        elif z3.is_rational_value(v):
            values.append((name, Fraction(v.numerator_as_long(), v.denominator_as_long())))
    spans = []
    if ranges:
        for name, value in values:
            var = translate.variables[name]
            if isinstance(value, bool) or not z3.is_int(var):
                continue
            others = [translate.variables[n] == _z3_value(v) for n, v in values if n != name]
            low, high = _bound(translate.domain + [formula] + others, var, False), \
                _bound(translate.domain + [formula] + others, var, True)
            if low != high:
                spans.append((name, low, high))
    return Example(tuple(values), tuple(spans), _describe(model, translate.variables))


def _z3_value(v):
    if isinstance(v, bool):
        return z3.BoolVal(v)
    return z3.RealVal(str(v)) if v.denominator != 1 else z3.IntVal(int(v))


def _bound(constraints, var, upper: bool) -> Fraction | None:
    opt = z3.Optimize()
    opt.set("timeout", min(2000, SOLVER_TIMEOUT_MS))
    opt.add(*constraints)
    handle = opt.maximize(var) if upper else opt.minimize(var)
    if opt.check() != z3.sat:
        return None
    value = handle.value()
    if z3.is_int_value(value):
        return Fraction(value.as_long())
    if not z3.is_rational_value(value):  # unbounded (oo) or an open bound (epsilon)
        return None
    return Fraction(value.numerator_as_long(), value.denominator_as_long())


def holds(campaign: ir.Campaign, field_name: str | None, expr: ast.Expr, values) -> bool | None:
    """Whether a condition is true for an establishment with ``values`` (None: cannot tell)."""
    try:
        translate = _Translator(campaign, field_name)
        formula = translate(expr)
    except Unprovable:
        return None
    given = dict(values)
    pairs = [(var, _z3_value(given[name])) for name, var in translate.variables.items() if name in given]
    result = z3.simplify(z3.substitute(formula, *pairs) if pairs else formula)
    if z3.is_true(result):
        return True
    if z3.is_false(result):
        return False
    return None


def check_partition(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    """Each field's groups must not overlap and must leave no gap."""
    if not campaign.groups:
        return
    for field_name in campaign.field_decls:
        groups = [g for g in campaign.groups_of(field_name) if g.when is not None]
        if not groups:
            diagnostics.error("proof.no_group", campaign.field_decls[field_name].span, field=field_name)
            continue
        try:
            _check_field(campaign, field_name, groups, diagnostics)
        except Unprovable as reason:
            diagnostics.warning("proof.unprovable", groups[0].span, field=field_name, reason=reason)


def _check_field(campaign: ir.Campaign, field_name: str, groups: list[ir.Group], diagnostics: Diagnostics) -> None:
    for i, first in enumerate(groups):
        for second in groups[i + 1:]:
            in_both = witness(campaign, field_name, lambda t: z3.And(t(first.when), t(second.when)))
            if in_both is not None:
                diagnostics.error("proof.overlap", second.span, first=_label(first), second=_label(second),
                                  field=field_name, notes=(messages.word("proof.overlap_example", example=in_both),),
                                  causes=(first.when.span, second.when.span))
    in_none = lambda t: z3.Not(z3.Or([t(g.when) for g in groups]))  # noqa: E731
    found = example(campaign, field_name, in_none)
    if found is not None:
        borders = [g.when.span for g in groups if _borders(campaign, field_name, g, found, in_none)]
        diagnostics.error("proof.gap", groups[0].span, field=field_name,
                          notes=(messages.word("proof.gap_example", example=found.text),)
                          + ((messages.word("proof.gap_borders", places=", ".join(map(str, borders))),) if borders else ()))


def _borders(campaign: ir.Campaign, field_name: str, group: ir.Group, gap: Example, in_none) -> bool:
    """Whether ``group``'s condition passes along the gap: it takes in the example with its strict comparisons
    read as inclusive, or a whole number one step outside the gap (« stays >= 550 » typed for 500 leaves
    500 to 549 stays in no group: 550 is this group's)."""
    if witness(campaign, field_name, lambda t: z3.And(in_none(t), t(_inclusive(group.when)))) is not None:
        return True
    for name, low, high in gap.ranges:
        for step in ([low - 1] if low is not None else []) + ([high + 1] if high is not None else []):
            moved = [(n, step if n == name else v) for n, v in gap.values]
            if holds(campaign, field_name, group.when, moved):
                return True
    return False


def _inclusive(e):
    """A condition with its strict comparisons read as inclusive (« stays > 500 » as « stays >= 500 »)."""
    if isinstance(e, ast.Compare) and e.op in ("<", ">"):
        e = replace(e, op=e.op + "=")
    if isinstance(e, (tuple, list)):
        return type(e)(_inclusive(x) for x in e)
    if not is_dataclass(e):
        return e
    return replace(e, **{f.name: _inclusive(getattr(e, f.name)) for f in fields(e) if f.init and f.name != "span"})


def _label(group: ir.Group) -> str:
    return f"{group.name}" + (f" ({group.label})" if group.label and group.label != group.name else "")
