"""Exact rationals as pairs of Int128 Polars expressions: decisions and digits decided exactly, in Polars.

A value's exact form is ``Q(num, den)``: on a row, the value is num/den with den > 0.
Each form carries static bounds of its integers (``num_max`` ≥ |num|, ``den_max`` ≥ den),
known before the data is read: from the literals, and from the largest magnitude of each
input column of the dataset at hand. An operation whose integers could leave the range
(2¹²⁶, so Int128 never wraps) has no exact form; the engine then keeps the value in
floating point with its error bound (polars_translate.py), and defers to runtime/exact.py
if a decision is in doubt. Nothing is reduced (Polars has no gcd); the plan's decisions
compare a few integers, decimals and literals and stay far inside the range.

A form is ``always`` held where its value is known, except an order statistic whose pick
is ambiguous on floats (polars_calls.py): there den is 0 on the rows of that population.

``fixed`` is the denominator when it is one known integer on every row (an integer or a
decimal input, a literal, their products): sums over a population are then exact sums
of numerators, and two values with the same fixed denominator are compared directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

I128 = pl.Int128
LIMIT = 2 ** 126  # every integer of a form, and every product a comparison makes, stays below


@dataclass(frozen=True)
class Q:
    num: pl.Expr
    den: pl.Expr  # > 0 where held, 0 where not (only when not ``always``)
    num_max: int
    den_max: int
    fixed: int | None = None  # the denominator, when the same on every row
    always: bool = True  # held on every row

    def held(self) -> pl.Expr | None:
        """Where the form is held (None: on every row)."""
        return None if self.always else (self.den > 0).fill_null(False)


NOT_HELD = Q(pl.lit(0, I128), pl.lit(0, I128), 0, 0, None, False)


class Lazy:
    """An exact form built on first use (when a decision or a written digit asks for it), then kept.

    Most values never need theirs (a payout is never compared), and building every form
    would make each Polars expression many times larger.
    """

    __slots__ = ("_make", "_form", "_built")

    def __init__(self, make: Callable[[], Q | None]):
        self._make, self._form, self._built = make, None, False

    def __call__(self) -> Q | None:
        if not self._built:
            self._form, self._built = self._make(), True
        return self._form


def known(q: Q | None) -> Lazy | None:
    return None if q is None else Lazy(lambda: q)


def lazy(make: Callable[..., Q | None], *parts: Lazy | None) -> Lazy | None:
    """make(*forms of parts), built on first use; None when a part has no exact form."""
    if any(p is None for p in parts):
        return None

    def build() -> Q | None:
        forms = [p() for p in parts]
        return None if any(f is None for f in forms) else make(*forms)

    return Lazy(build)


def form(x: Lazy | None) -> Q | None:
    return None if x is None else x()


def _checked(num: pl.Expr, den: pl.Expr, num_max: int, den_max: int, fixed=None, always=True) -> Q | None:
    if num_max >= LIMIT or den_max >= LIMIT:
        return None
    return Q(num, den, num_max, den_max, fixed, always)


def constant(value: Fraction | int | None) -> Q | None:
    if value is None:
        return Q(pl.lit(None, I128), pl.lit(1, I128), 0, 1, 1)  # missing, exactly
    value = Fraction(value)
    return _checked(pl.lit(value.numerator, I128), pl.lit(value.denominator, I128), abs(value.numerator),
                    value.denominator, value.denominator)


def integer(expr: pl.Expr, largest: int) -> Q | None:
    return _checked(expr.cast(I128), pl.lit(1, I128), largest, 1, 1)


def decimal(unscaled: pl.Expr, scale: int, largest_unscaled: int) -> Q | None:
    """A pl.Decimal column by its unscaled integer (``to_physical()``, as Int128) over 10^scale."""
    return _checked(unscaled, pl.lit(10 ** scale, I128), largest_unscaled, 10 ** scale, 10 ** scale)


def columns(num: str, den: str, like: Q) -> Q:
    return Q(pl.col(num), pl.col(den), like.num_max, like.den_max, like.fixed, like.always)


def masked(a: Q, keep: pl.Expr) -> Q:
    """The form where ``keep`` holds, missing elsewhere."""
    return Q(pl.when(keep).then(a.num), a.den, a.num_max, a.den_max, a.fixed, a.always)


def _minus(x: pl.Expr) -> pl.Expr:
    return pl.lit(0, I128) - x  # Polars has no negation for Int128


def _both(a: Q, b: Q) -> tuple[pl.Expr | None, bool]:
    """Where both forms are held (None: everywhere), and whether that is every row."""
    ha, hb = a.held(), b.held()
    if ha is None:
        return hb, hb is None
    return (ha if hb is None else ha & hb), False


def _unless_held(held: pl.Expr | None, den: pl.Expr) -> pl.Expr:
    return den if held is None else pl.when(held).then(den).otherwise(pl.lit(0, I128))


def _fixed_product(a: Q, b: Q) -> int | None:
    return a.fixed * b.fixed if a.fixed is not None and b.fixed is not None else None


def add(a: Q, b: Q, sign: int = 1) -> Q | None:
    held, always = _both(a, b)
    if a.fixed is not None and a.fixed == b.fixed:
        num = a.num + b.num if sign > 0 else a.num - b.num
        return _checked(num, _unless_held(held, a.den), a.num_max + b.num_max, a.den_max, a.fixed, always)
    left, right = a.num * b.den, b.num * a.den
    return _checked(left + right if sign > 0 else left - right, _unless_held(held, a.den * b.den),
                    a.num_max * b.den_max + b.num_max * a.den_max, a.den_max * b.den_max, _fixed_product(a, b), always)


def mul(a: Q, b: Q) -> Q | None:
    held, always = _both(a, b)
    return _checked(a.num * b.num, _unless_held(held, a.den * b.den), a.num_max * b.num_max, a.den_max * b.den_max,
                    _fixed_product(a, b), always)


def div(a: Q, b: Q) -> Q | None:
    """a / b, missing where b is 0."""
    held, always = _both(a, b)
    if a.fixed is not None and a.fixed == b.fixed:  # the common denominator cancels
        num, den, num_max, den_max = a.num, b.num, a.num_max, b.num_max
    else:
        num, den, num_max, den_max = a.num * b.den, a.den * b.num, a.num_max * b.den_max, a.den_max * b.num_max
    negative = den < 0
    num = pl.when(b.num == 0).then(None).when(negative).then(_minus(num)).otherwise(num)
    den = pl.when(negative).then(_minus(den)).otherwise(den)
    return _checked(num, _unless_held(held, den), num_max, den_max, None, always)


def neg(a: Q) -> Q:
    return Q(_minus(a.num), a.den, a.num_max, a.den_max, a.fixed, a.always)


def absolute(a: Q) -> Q:
    return Q(a.num.abs(), a.den, a.num_max, a.den_max, a.fixed, a.always)


def compare(op: str, a: Q, b: Q) -> tuple[pl.Expr, pl.Expr | None] | None:
    """(a op b decided exactly, where held — None: everywhere), or None when the products could overflow."""
    held, _ = _both(a, b)
    if a.fixed is not None and a.fixed == b.fixed:
        left, right = a.num, b.num
    else:
        if a.num_max * b.den_max >= LIMIT or b.num_max * a.den_max >= LIMIT:
            return None
        left, right = a.num * b.den, b.num * a.den
    test = {"=": left.eq, "!=": left.ne, "<": left.lt, "<=": left.le, ">": left.gt, ">=": left.ge}[op](right)
    return test, held


def floor(a: Q) -> pl.Expr:
    return a.num // a.den  # Polars' integer division floors


def _narrow(a: Q) -> tuple[Q, pl.DataType]:
    """In Int64 when its integers fit (several times faster than Int128)."""
    if a.num_max < 2 ** 62 and a.den_max < 2 ** 62:
        return Q(a.num.cast(pl.Int64), a.den.cast(pl.Int64), a.num_max, a.den_max, a.fixed, a.always), pl.Int64
    return a, I128


def round_half_even(a: Q) -> pl.Expr:
    a, dtype = _narrow(a)
    q = a.num // a.den
    twice = 2 * (a.num - q * a.den)
    up = (twice > a.den) | ((twice == a.den) & (q % 2 != 0))
    return q + up.cast(dtype)


def scaled_digits(a: Q, factor: int) -> tuple[pl.Expr, pl.Expr | None] | None:
    """(round_half_even(value · factor) as Int64, where held — None: everywhere), or None if out of range."""
    if a.num_max * factor >= LIMIT:
        return None
    digits = round_half_even(Q(a.num * factor, a.den, a.num_max * factor, a.den_max))
    held = a.held()
    if a.num_max * factor >= 2 ** 62:  # only small enough digits are written from here
        fits = (digits.abs() < 2 ** 62).fill_null(True)
        held = fits if held is None else held & fits
    return digits.cast(pl.Int64, strict=False), held


def choose(branches: list[tuple[pl.Expr, Q]], otherwise: Q) -> Q:
    """when(cond).then(q)… for both halves (a branch not held exactly is NOT_HELD)."""
    num = den = None
    for cond, q in branches:
        num = (pl.when(cond) if num is None else num.when(cond)).then(q.num)
        den = (pl.when(cond) if den is None else den.when(cond)).then(q.den)
    every = [q for _, q in branches] + [otherwise]
    fixed = otherwise.fixed if all(q.fixed == otherwise.fixed for q in every) else None
    return Q(num.otherwise(otherwise.num), den.otherwise(otherwise.den), max(q.num_max for q in every),
             max(q.den_max for q in every), fixed, all(q.always for q in every))
