"""Two versions of a formula: told apart at a point where they differ, before sympy is asked to prove them equal.

The rule diff asks « is the new formula the old one rewritten? » many times per pair of campaigns;
sympy's proof took seconds per piecewise of statuses (most of the time of ``docs``). A point where
both sides take different exact values answers « no » at once; an equality is never refuted.
"""

from __future__ import annotations

import sympy as sp

from qualispec.compiler.proofs import refute, symbolic
from qualispec.compiler.proofs.symbolic import MISSING

result, target, threshold, level = (sp.Symbol(n, real=True) for n in ("@.result", "@.target", "@.threshold", "@.level"))
status = sp.Symbol("d6_3_status", real=True)
paid = sp.Symbol("evolution_paid")  # a yes/no parameter
NOT_FILLED = sp.Symbol("«non_renseigne»")
quantile = sp.Function("quantile_group")


def differ(a, b) -> bool:
    return refute.counterexample(a, b, MISSING)


def test_rewrites_of_the_same_rule_are_never_told_apart():
    same = [
        (result / target * 100, 100 * result / target),
        (sp.Piecewise((1, result >= target), (0, True)), sp.Piecewise((0, result < target), (1, True))),
        (sp.Max(result, 0) - sp.Min(result, 0), sp.Abs(result)),
        (quantile(result, sp.Rational(3, 10)) * 2, quantile(result, sp.Rational(3, 10)) + quantile(result, sp.Rational(3, 10))),
        (sp.And(paid, sp.Ne(result, MISSING)), sp.Not(sp.Or(sp.Not(paid), sp.Eq(result, MISSING)))),
        (sp.Piecewise((0, sp.Eq(status, NOT_FILLED)), (level, True)),
         sp.Piecewise((level, sp.Ne(status, NOT_FILLED)), (0, True))),
    ]
    for a, b in same:
        assert not differ(a, b), (a, b)


def test_a_threshold_reached_at_equality_or_not_is_told_apart():
    # only the point where the result equals the target separates them: the constants are tried
    assert differ(sp.Piecewise((1, result >= sp.Rational(4, 5)), (0, True)),
                  sp.Piecewise((1, result > sp.Rational(4, 5)), (0, True)))


def test_a_status_that_now_gives_zero_is_told_apart():
    before = sp.Piecewise((level, result >= threshold), (0, True))
    after = sp.Piecewise((0, sp.Eq(status, NOT_FILLED)), (before, True))
    assert differ(before, after)


def test_a_missing_value_handled_differently_is_told_apart():
    assert differ(sp.Piecewise((result, sp.Ne(result, MISSING)), (0, True)), result)


def test_an_aggregate_over_another_population_is_told_apart():
    other = sp.Function("quantile_field")
    assert differ(quantile(result, sp.Rational(3, 10)), other(result, sp.Rational(3, 10)))


def test_the_answer_is_the_same_on_every_run():
    a, b = sp.Piecewise((1, result >= target), (0, True)), sp.Piecewise((1, result > target), (0, True))
    assert {differ(a, b) for _ in range(5)} == {True}


def test_sympy_still_proves_what_no_point_refutes_and_its_answer_is_kept():
    from qualispec.compiler.syntax import ast

    def ref(name):
        return ast.Ref(ast.NO_SPAN, name, target=name, unit="percent")

    def op(sign, left, right):
        return ast.Binary(ast.NO_SPAN, sign, left, right)

    weight, score, bonus = ref("weight"), ref("score"), ref("bonus")
    factored = op("*", weight, op("+", score, bonus))  # weight × (score + bonus)
    expanded = op("+", op("*", weight, score), op("*", bonus, weight))
    proofs: dict[str, bool] = {}
    assert symbolic.equivalent(factored, expanded, proofs)
    assert list(proofs.values()) == [True]  # sympy proved it, once
    (key,) = proofs
    proofs[key] = False  # the next run reads the kept answer instead of proving again
    assert not symbolic.equivalent(factored, expanded, proofs)
    assert not symbolic.equivalent(factored, op("*", weight, score), {})
