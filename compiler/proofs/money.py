"""Proof that an envelope cannot pay more than it distributes.

An envelope's payout shares its group amount by the establishment's part of the group
(its economic volume over the group's) times each indicator's weight and score; scores
lie between 0 % and 100 %. What one establishment receives is therefore at most its
part times the sum of the weights of the indicators the envelope pays it, and the group
is never overpaid exactly when, in every field, those weights add up to at most 100 %
for every possible establishment. The solver (z3, with a time limit) is asked for an
establishment whose weights add up to more; when it finds one, that establishment is the
counter-example shown to the author, at the envelope (with where each weight is written)
and at the lines where the values those weights read are written (proofs/blame.py). The
run checks the cents again (runtime), so a weight the solver cannot read (computed from a
population) is reported as not proved, never as proved.
"""

from __future__ import annotations

from fractions import Fraction

import z3

from qualispec.compiler import french, ir, messages
from qualispec.compiler.proofs import blame
from qualispec.compiler.proofs.shares import check_shares
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.proofs.partition import Unprovable, _describe, _Translator

TIME_LIMIT_MS = 5000


def check_money(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    check_shares(campaign, diagnostics)  # a whole shared by a count that is not the number sharing it
    if any(d.code in ("check.division_by_zero", "check.value_missing_for_key") for d in diagnostics.errors):
        return  # a weight divided by 0, or missing in a field, has no value: the solver would choose one
    for envelope in campaign.envelopes.values():
        _amount_not_negative(campaign, envelope, diagnostics)
        paid = [ind for ind in campaign.indicators.values() if ind.envelope == envelope.name and ind.part("weight")]
        if not paid:
            continue
        overpaid = []
        for field_name in list(campaign.field_decls) or [None]:
            indicators = [i for i in paid if field_name is None or not i.fields or field_name in i.fields]
            if indicators:
                found = _prove(campaign, envelope, field_name, indicators, diagnostics)
                if found is not None:
                    overpaid.append(found)
        blame.at_written_lines(campaign, paid, overpaid, diagnostics)


def _amount_not_negative(campaign, envelope, diagnostics) -> None:
    """The amount an envelope shares (« 700 M€ − 300 M€ ») is never below 0 €."""
    amount = dict(envelope.parts).get("amount")
    if amount is None:
        return
    translate = _Translator(campaign, "")
    try:
        value = _real(translate(campaign.nodes[amount].expr))
    except (Unprovable, z3.Z3Exception):
        return  # read from the data: the run checks the cents
    model = _counter_example(translate, value < 0, envelope, diagnostics)
    if model is not None:
        diagnostics.error("check.negative_amount", campaign.nodes[amount].expr.span, name=envelope.name,
                          value=_euros(model.eval(value, model_completion=True)))


def _prove(campaign, envelope, field_name, indicators, diagnostics) -> None:
    translate = _Translator(campaign, field_name or "")
    try:
        weights = [(ind.short_name, translate(campaign.nodes[ind.part("weight")].expr)) for ind in indicators]
    except (Unprovable, z3.Z3Exception) as why:
        diagnostics.warning("check.money_unproved", envelope.span, name=envelope.name, why=str(why))
        return None
    total = z3.Sum([_real(w) for _, w in weights])
    where = f"du champ {field_name}" if field_name else "quelconque"
    model = _counter_example(translate, total > 1, envelope, diagnostics)
    if model is not None:
        args = dict(name=envelope.name, where=where, total=_percent(model.eval(total, model_completion=True)),
                    example=_example(model, weights, translate))
        notes = tuple(messages.word("note.weight_here", indicator=ind.short_name,
                                    place=campaign.nodes[ind.part("weight")].expr.span,
                                    value=_percent(model.eval(_real(w), model_completion=True)))
                      for ind, (_, w) in zip(indicators, weights))
        diagnostics.error("check.weights_over_envelope", envelope.span, notes=notes, **args)
        return blame.Overpaid(field_name, tuple(indicators), args)
    for name, weight in weights:  # a weight below 0 would take money back from the establishment
        model = _counter_example(translate, _real(weight) < 0, envelope, diagnostics)
        if model is not None:
            args = dict(name=envelope.name, where=where, indicator=name, example=_example(model, weights, translate))
            diagnostics.error("check.negative_weight", envelope.span, **args)
            negative = next(ind for ind in indicators if ind.short_name == name)
            return blame.Overpaid(field_name, (negative,), args, "check.negative_weight")
    return None


def _counter_example(translate, claim, envelope, diagnostics):
    """An establishment for which ``claim`` holds (a z3 model), or None when none can exist."""
    solver = z3.Solver()
    solver.set("timeout", TIME_LIMIT_MS)
    solver.add(translate.domain)
    solver.add(claim)
    outcome = solver.check()
    if outcome == z3.unknown:
        diagnostics.warning("check.money_unproved", envelope.span, name=envelope.name,
                            why=f"le solveur n'a pas conclu en {TIME_LIMIT_MS // 1000} s")
        return None
    return solver.model() if outcome == z3.sat else None


def _example(model, weights, translate) -> str:
    shares = ", ".join(f"{name} {_percent(model.eval(_real(w), model_completion=True))}" for name, w in weights)
    situation = _describe(model, translate.variables)
    return shares + ("" if situation == "any establishment" else f" (avec {situation})")


def _real(x):
    return z3.ToReal(x) if z3.is_int(x) else x


def _fraction(value) -> Fraction | None:
    """A z3 rational as an exact fraction (None: the solver gave something else)."""
    if z3.is_rational_value(value):
        return Fraction(value.numerator_as_long(), value.denominator_as_long())
    return None


def _euros(value) -> str:
    amount = _fraction(value)
    return french.literal(amount, "euro") if amount is not None else str(value)


def _percent(value) -> str:
    share = _fraction(value)
    if share is None:
        return str(value)
    return f"{float(share * 100):.4g} %".replace(".", ",")  # four digits shown: an example, not a decision
