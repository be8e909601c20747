"""Exact rationals as pairs of Spark integer columns: decisions and digits decided on the executors.

A value's exact form is ``Q(num, den)``: on a row, the value is num/den with den > 0,
both integer columns (missing where num is).
Each form carries static bounds of its integers (``num_max`` ≥ |num|, ``den_max`` ≥ den),
known before the job runs: from the literals and from the largest magnitude of each input
column (one small aggregate over the dataset, bounds.py). An operation whose integers could
reach 10³⁸ has no exact form (None): the engine then flags the row as doubtful as before.

``fixed`` is the denominator when it is one known integer on every row (an integer or a
decimal input, a literal, their products): sums over a population are then exact sums of
numerators.

Each integer is held in the narrowest exact type its bound allows: a ``bigint`` (64-bit,
below 2⁶³) when it fits, else a ``decimal(38,0)``; an operation computes in the type of its
result's bound (its operands cast to it first). Decimal arithmetic runs on Java's
BigDecimal, two orders of magnitude slower than 64-bit integers: the IFAQ forms all fit
in 64 bits. ``needs`` names the steps whose exact form the value reads: their columns
(``#qn:step``, ``#qd:step``) are computed only when some decision or digit asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from pyspark.sql import Column
from pyspark.sql import functions as F

INTEGER = "decimal(38,0)"
LONG = "bigint"
LONG_LIMIT = 2 ** 63
LIMIT = 10 ** 38  # every integer of a form, and every product a comparison makes, stays below
DIGITS_LIMIT = 10 ** 31  # below, a quotient is exact from decimal division (scale 6: 32 digits before the point)


@dataclass(frozen=True)
class Q:
    num: Column
    den: Column
    num_max: int
    den_max: int
    fixed: int | None = None
    needs: frozenset = frozenset()
    pre: tuple = ()  # (name, Column) hidden columns the form reads, in the order they are computed


def _pre(*forms: Q) -> tuple:
    seen: dict[str, Column] = {}
    for q in forms:
        for name, column in q.pre:
            seen.setdefault(name, column)
    return tuple(seen.items())


def _needs(*forms: Q) -> frozenset:
    return frozenset().union(*(q.needs for q in forms))


def kind(bound: int) -> str:
    """The exact integer type of values whose magnitude is at most ``bound``."""
    return LONG if bound < LONG_LIMIT else INTEGER


def _fixed_product(a: Q, b: Q) -> int | None:
    return a.fixed * b.fixed if a.fixed is not None and b.fixed is not None else None


class Rationals:
    """The operations on exact forms, with the Columns they have built: one per Translator.

    Each Column built costs a call to Spark's JVM on a classic session (tens of thousands
    for a campaign, each a round trip between two processes: seconds, more on a loaded
    machine). Columns are immutable, so a literal is built once, and a column already of the
    type wanted is not cast again (``_kinds``: the type of each column ``_in`` made). These
    Columns belong to one translator, hence to one evaluation and one session: two
    translators (two campaigns evaluated at once, or one after another on another session)
    never share one."""

    def __init__(self):
        self._literals: dict[int, Column] = {}
        # id(column) -> (the column, kept alive so that the id stays its own; its type)
        self._kinds: dict[int, tuple[Column, str]] = {}
        self._constants: dict = {}  # value -> its form (None: none)

    def _int(self, value: int) -> Column:
        """An integer literal of up to 38 digits (written as text: Spark's literals of Python ints stop at 2⁶³)."""
        literal = self._literals.get(value)
        if literal is None:
            literal = self._literals[value] = self._typed(F.lit(str(value)).cast(kind(abs(value))), kind(abs(value)))
        return literal

    def _typed(self, column: Column, type_: str) -> Column:
        self._kinds[id(column)] = (column, type_)
        return column

    def _in(self, column: Column, bound: int) -> Column:
        """The column in the type of ``bound``: operands are cast to their result's type before the operation."""
        wanted = kind(bound)
        known = self._kinds.get(id(column))
        if known is not None and known[0] is column and known[1] == wanted:
            return column
        return self._typed(column.cast(wanted), wanted)

    def _checked(self, num: Column, den: Column, num_max: int, den_max: int, fixed=None, parts: tuple = ()) -> Q | None:
        if num_max >= LIMIT or den_max >= LIMIT:
            return None
        return Q(self._in(num, num_max), self._in(den, den_max), num_max, den_max, fixed, _needs(*parts), _pre(*parts))

    def constant(self, value) -> Q | None:
        if value in self._constants:
            return self._constants[value]
        if value is None:
            q = Q(F.lit(None).cast(LONG), self._int(1), 0, 1, 1)
        else:
            v = Fraction(value)
            q = self._checked(self._int(v.numerator), self._int(v.denominator), abs(v.numerator), v.denominator,
                              v.denominator)
        self._constants[value] = q
        return q

    def integer(self, column: Column, largest: int, like: Q | None = None) -> Q | None:
        """An integer column; ``like``: the form it was computed from (its steps and hidden columns)."""
        return self._checked(column, self._int(1), largest, 1, 1, () if like is None else (like,))

    def decimal(self, unscaled: Column, scale: int, largest_unscaled: int) -> Q | None:
        """A decimal column by its unscaled integers over 10^scale."""
        return self._checked(unscaled, self._int(10 ** scale), largest_unscaled, 10 ** scale, 10 ** scale)

    def _times(self, x: Column, x_max: int, y: Column, y_max: int) -> Column:
        """x·y in the type of its bound (and of each operand's: a factor may be 0)."""
        bound = max(x_max * y_max, x_max, y_max)
        # bigint × bigint is a bigint, decimal(38,0)s too
        return self._typed(self._in(x, bound) * self._in(y, bound), kind(bound))

    def add(self, a: Q, b: Q, sign: int = 1) -> Q | None:
        if a.fixed is not None and a.fixed == b.fixed:
            bound = a.num_max + b.num_max
            left, right = self._in(a.num, bound), self._in(b.num, bound)
            num = self._typed(left + right if sign > 0 else left - right, kind(bound))
            return self._checked(num, a.den, bound, a.den_max, a.fixed, (a, b))
        bound = a.num_max * b.den_max + b.num_max * a.den_max
        if bound >= LIMIT:
            return None
        left = self._times(a.num, a.num_max, b.den, b.den_max)
        right = self._times(b.num, b.num_max, a.den, a.den_max)
        left, right = self._in(left, bound), self._in(right, bound)
        den = self._times(a.den, a.den_max, b.den, b.den_max)
        return self._checked(left + right if sign > 0 else left - right, den, bound, a.den_max * b.den_max,
                             _fixed_product(a, b), (a, b))

    def mul(self, a: Q, b: Q) -> Q | None:
        num_max, den_max = a.num_max * b.num_max, a.den_max * b.den_max
        if num_max >= LIMIT or den_max >= LIMIT:
            return None
        return self._checked(self._times(a.num, a.num_max, b.num, b.num_max),
                             self._times(a.den, a.den_max, b.den, b.den_max), num_max, den_max, _fixed_product(a, b),
                             (a, b))

    def div(self, a: Q, b: Q) -> Q | None:
        """a / b, missing where b is 0."""
        if a.fixed is not None and a.fixed == b.fixed:  # the common denominator cancels
            num, den, num_max, den_max = a.num, b.num, a.num_max, b.num_max
        else:
            num_max, den_max = a.num_max * b.den_max, a.den_max * b.num_max
            if num_max >= LIMIT or den_max >= LIMIT:
                return None
            num, den = self._times(a.num, a.num_max, b.den, b.den_max), self._times(a.den, a.den_max, b.num, b.num_max)
        num, den = self._in(num, num_max), self._in(den, den_max)
        negative = den < 0
        num = F.when(b.num == 0, F.lit(None)).when(negative, -num).otherwise(num)
        den = F.when(negative, -den).otherwise(den)
        return self._checked(num, den, num_max, den_max, None, (a, b))

    def neg(self, a: Q) -> Q:
        return replace(a, num=self._in(-a.num, a.num_max))

    def absolute(self, a: Q) -> Q:
        return replace(a, num=F.abs(a.num))

    def compare(self, op: str, a: Q, b: Q) -> Column | None:
        """a op b decided exactly, or None when the products could reach 10³⁸."""
        if a.fixed is not None and a.fixed == b.fixed:
            bound = max(a.num_max, b.num_max)
            left, right = self._in(a.num, bound), self._in(b.num, bound)
        else:
            bound = max(a.num_max * b.den_max, b.num_max * a.den_max)
            if bound >= LIMIT:
                return None
            left = self._times(a.num, a.num_max, b.den, b.den_max)
            right = self._times(b.num, b.num_max, a.den, a.den_max)
            left, right = self._in(left, bound), self._in(right, bound)
        return {"=": left.__eq__, "!=": left.__ne__, "<": left.__lt__, "<=": left.__le__, ">": left.__gt__,
                ">=": left.__ge__}[op](right)

    def floor(self, a: Q) -> Column:
        """⌊num/den⌋ as an exact integer (of the type of num's bound: |⌊num/den⌋| ≤ |num| for den ≥ 1).

        64-bit numerators: the exact remainder (pmod) taken off, then an integer division. Small
        decimal numerators: by the exact remainder too. Larger ones (a group's amount from ratios of
        sums): estimated in floating point, then corrected by the exact remainder num − q·den, which
        must end in [0, den) — checked on every row (the job stops, in French, if a quotient were too
        large to be estimated within two units: beyond 10¹⁵, far above any amount in cents here)."""
        if a.num_max + a.den_max < LONG_LIMIT:
            return F.call_function("div", a.num - F.pmod(a.num, a.den), a.den).cast(LONG)
        if a.num_max < DIGITS_LIMIT:
            return F.try_divide(a.num - F.pmod(a.num, a.den), a.den).cast(INTEGER)
        q = F.floor(a.num.cast("double") / a.den.cast("double")).cast(INTEGER)
        for _ in range(2):
            r = a.num - q * a.den
            q = (q + F.when(r >= a.den, 1).when(r < 0, -1).otherwise(0)).cast(INTEGER)
        r = a.num - q * a.den
        return F.when(a.num.isNull(), F.lit(None).cast(INTEGER)).when((r >= 0) & (r < a.den), q).otherwise(
            F.raise_error(F.lit("quotient trop grand pour être calculé exactement par le moteur Spark"))
            .cast(INTEGER))

    def remainder(self, a: Q, whole: Column) -> Column:
        """num − whole·den, for ``whole`` = ⌊num/den⌋ (or a neighbour): below 2·den in magnitude."""
        bound = a.num_max + 2 * a.den_max
        return self._in(a.num, bound) - self._in(whole, bound) * self._in(a.den, bound)

    def round_half_even(self, a: Q) -> Column:
        q = self.floor(a)
        twice = self.remainder(a, q) * 2
        up = (twice > a.den) | ((twice == a.den) & (F.pmod(q, F.lit(2)) != 0))
        return self._in(q + up.cast("int"), a.num_max + 1)

    def round_scaled(self, a: Q, factor: int) -> Column | None:
        """The value times a whole factor, rounded half to even (a written value's digits).

        When num·factor would leave 64 bits but den·factor does not (a score written with 8
        decimals), the integer part q = ⌊num/den⌋ and the remainder r are taken in 64 bits first:
        x·factor = q·factor + r·factor/den, and for an even factor (10^k) rounding the second term
        half to even rounds the sum so too (q·factor is even). Only q·factor may then need more."""
        times = self.scaled(a, factor)
        if times is None or kind(times.num_max + times.den_max) == LONG or factor % 2 or \
                kind(a.num_max + 2 * a.den_max) != LONG or kind(2 * a.den_max * factor) != LONG:
            return None if times is None else self.round_half_even(times)
        q = self.floor(a)
        part = Q(self._in(self.remainder(a, q), a.den_max) * self._int(factor), a.den, a.den_max * factor, a.den_max)
        bound = a.num_max * factor + factor
        return self._in(q, bound) * self._int(factor) + self._in(self.round_half_even(part), bound)

    def shifted(self, rest: Column, a: Q, base: int) -> Q:
        """rest·base / a.den, for a remainder 0 ≤ rest < a.den (one more digit of a's fraction in that base)."""
        bound = a.den_max * base
        return Q(self._in(rest, bound) * self._int(base), self._in(a.den, bound), bound, a.den_max)

    def scaled(self, a: Q, factor: int) -> Q | None:
        """The value times a whole factor."""
        bound = a.num_max * factor
        if bound >= LIMIT:
            return None
        return self._checked(self._in(a.num, bound) * self._int(factor), a.den, bound, a.den_max, a.fixed, (a,))

    def choose(self, branches: list[tuple[Column, Q]], otherwise: Q) -> Q:
        """when(cond) → q … for both halves of the forms."""
        num = den = None
        for cond, q in branches:
            num = F.when(cond, q.num) if num is None else num.when(cond, q.num)
            den = F.when(cond, q.den) if den is None else den.when(cond, q.den)
        every = [q for _, q in branches] + [otherwise]
        fixed = otherwise.fixed if all(q.fixed == otherwise.fixed for q in every) else None
        num_max, den_max = max(q.num_max for q in every), max(q.den_max for q in every)
        return Q(self._in(num.otherwise(otherwise.num), num_max), self._in(den.otherwise(otherwise.den), den_max),
                 num_max, den_max, fixed, _needs(*every), _pre(*every))


def to_double(a: Q) -> Column:
    """The value in binary floating point (correctly rounded for most; for the float lane only)."""
    return a.num.cast("double") / a.den.cast("double")
