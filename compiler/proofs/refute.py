"""A counterexample to the equality of two formulas, found by exact evaluation at chosen points.

Before sympy tries to prove two formulas equal (seconds for a piecewise of statuses), they are
evaluated, in exact rationals, at a few points where they may differ: every symbol given a
value, each opaque function (an aggregate over a population) given one value per distinct
argument list. Two different values at one point settle it: the formulas are not equal,
whatever sympy would say. A point where a side does not evaluate to a plain number or truth
value (a division by zero, a missing branch) proves nothing and is skipped; with no
counterexample the question goes to sympy. The points come from a fixed seed: same answer
on every run.

The values tried mix small fractions, the formulas' own constants (so that ``x > 1/2`` and
``x >= 1/2`` meet at the boundary), the words compared with (a status equal to
« non_renseigne »; a symbol compared with words takes one of them half the time), the value of « manquant », and the values of symbols already chosen (so
that two references may be equal).
"""

from __future__ import annotations

import random
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

TRIALS = 48


def counterexample(left: sp.Basic, right: sp.Basic, missing: sp.Symbol, trials: int = TRIALS) -> bool:
    """True when a point is found where ``left`` and ``right`` take different exact values."""
    symbols = sorted(left.free_symbols | right.free_symbols, key=str)
    words = [s for s in symbols if str(s).startswith("«") or s == missing]
    # a distinct value per word: a category equals a word exactly when it is given that word's value
    word_values = {w: sp.Rational(1_000_003 + i, 7) for i, w in enumerate(words)}
    constants = sorted({c for e in (left, right) for c in e.atoms(sp.Rational)}, key=lambda c: (c.p, c.q))
    compared = _compared_with_words(left, right, word_values)
    rng = random.Random(0)
    for _ in range(trials):
        point = dict(word_values)
        for s in symbols:
            if s in point:
                continue
            if s in compared and rng.random() < 0.5:  # a status: one of the words it is compared with, half the time
                point[s] = word_values[rng.choice(compared[s])]
            elif s.is_real:
                point[s] = _number(rng, constants, [v for k, v in point.items() if k.is_real or k in word_values])
            else:  # a yes/no reference
                point[s] = sp.true if rng.random() < 0.5 else sp.false
        calls: dict = {}
        a, b = _value(left, point, calls, rng), _value(right, point, calls, rng)
        if a is not None and b is not None and type(a) is type(b) and a != b:
            return True
    return False


def _compared_with_words(left: sp.Basic, right: sp.Basic, word_values: dict) -> dict:
    """Each symbol compared with a word (``Eq(num1_status, «non_renseigne»)``) and those words, in a fixed order:
    a status and a renamed status (IFAQ 2022's d2_2_status, 2024's num1_status) differ only where one of them
    takes such a word, which random numbers almost never hit."""
    compared: dict = {}
    for e in (left, right):
        for relation in e.atoms(sp.Eq, sp.Ne):
            a, b = relation.args
            for word, other in ((a, b), (b, a)):
                if word in word_values and other.is_Symbol and other not in word_values:
                    compared.setdefault(other, set()).add(word)
    return {s: sorted(words, key=str) for s, words in compared.items()}


def _number(rng: random.Random, constants, taken) -> sp.Rational:
    pick = rng.random()
    if pick < 0.25 and constants:
        c = rng.choice(constants)
        return c + rng.choice((0, 0, sp.Rational(1, 1000), -sp.Rational(1, 1000)))
    if pick < 0.45 and taken:
        return rng.choice(taken)
    return sp.Rational(rng.randint(-40, 120), rng.choice((1, 2, 3, 4, 5, 8, 10, 100)))


def _value(expr: sp.Basic, point: dict, calls: dict, rng: random.Random):
    """``expr`` at ``point``: a Fraction or a bool; None when it does not evaluate to one."""
    try:
        e = expr.xreplace(point)
        for _ in range(50):  # innermost calls first: their arguments are numbers by then
            pending = [f for f in e.atoms(AppliedUndef) if all(_concrete(a) for a in f.args)]
            if not pending:
                break
            for f in pending:
                calls.setdefault(sp.srepr(f), sp.Rational(rng.randint(-40, 120), rng.choice((1, 3, 7))))
            e = e.xreplace({f: calls[sp.srepr(f)] for f in pending})
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, RecursionError):
        return None
    if e in (sp.true, sp.false):
        return bool(e)
    if isinstance(e, sp.Rational):
        return Fraction(int(e.p), int(e.q))
    return None


def _concrete(a) -> bool:
    return isinstance(a, sp.Rational) or a in (sp.true, sp.false)
