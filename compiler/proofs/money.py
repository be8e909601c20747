"""Proof that an envelope cannot pay more than it distributes.

An envelope's payout shares its group amount by the establishment's part of the group
(its economic volume over the group's) times each indicator's weight and score; scores
lie between 0 % and 100 %. What one establishment receives is therefore at most its
part times the sum of the weights of the indicators the envelope pays it, and the group
is never overpaid exactly when, in every field, those weights add up to at most 100 %
for every possible establishment. The solver (z3, with a time limit) is asked for an
establishment whose weights add up to more; when it finds one, that establishment is the
counter-example shown to the author. The run checks the cents again (runtime), so a
weight the solver cannot read (computed from a population) is reported as not proved,
never as proved.
"""

from __future__ import annotations

from fractions import Fraction

import z3

from qualispec.compiler import ir
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.proofs.partition import Unprovable, _describe, _Translator

TIME_LIMIT_MS = 5000


def check_money(campaign: ir.Campaign, diagnostics: Diagnostics) -> None:
    for envelope in campaign.envelopes.values():
        paid = [ind for ind in campaign.indicators.values() if ind.envelope == envelope.name and ind.part("weight")]
        if not paid:
            continue
        for field_name in list(campaign.field_decls) or [None]:
            indicators = [i for i in paid if field_name is None or not i.fields or field_name in i.fields]
            if indicators:
                _prove(campaign, envelope, field_name, indicators, diagnostics)


def _prove(campaign, envelope, field_name, indicators, diagnostics) -> None:
    translate = _Translator(campaign, field_name or "")
    try:
        weights = [(ind.name, translate(campaign.nodes[ind.part("weight")].expr)) for ind in indicators]
    except (Unprovable, z3.Z3Exception) as why:
        diagnostics.warning("check.money_unproved", envelope.span, name=envelope.name, why=str(why))
        return
    solver = z3.Solver()
    solver.set("timeout", TIME_LIMIT_MS)
    solver.add(translate.domain)
    total = z3.Sum([_real(w) for _, w in weights])
    solver.add(total > 1)
    outcome = solver.check()
    if outcome == z3.unknown:
        diagnostics.warning("check.money_unproved", envelope.span, name=envelope.name,
                            why=f"le solveur n'a pas conclu en {TIME_LIMIT_MS // 1000} s")
        return
    if outcome != z3.sat:
        return
    model = solver.model()
    shares = ", ".join(f"{name} {_percent(model.eval(_real(w), model_completion=True))}" for name, w in weights)
    situation = _describe(model, translate.variables)
    example = shares + ("" if situation == "any establishment" else f" (avec {situation})")
    diagnostics.error("check.weights_over_envelope", envelope.span, name=envelope.name,
                      where=f"du champ {field_name}" if field_name else "quelconque",
                      total=_percent(model.eval(total, model_completion=True)), example=example)


def _real(x):
    return z3.ToReal(x) if z3.is_int(x) else x


def _percent(value) -> str:
    if z3.is_rational_value(value):
        fraction = Fraction(value.numerator_as_long(), value.denominator_as_long()) * 100
        text = f"{float(fraction):.4g}".replace(".", ",")
        return f"{text} %"
    return str(value)
