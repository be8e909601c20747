"""How the Spark engine holds numbers: the plan's numeric contract in Spark terms.

One object decides the representation of every literal, operation and rounding,
so that the translator (translate.py) says *what* is computed and this module
*how exactly*.
"""

from __future__ import annotations

from fractions import Fraction

from pyspark.sql import Column
from pyspark.sql import functions as F


class DoubleNumbers:
    """Binary floating point, as the embedded engine holds numbers today."""

    def __init__(self):
        self._powers: dict[int, Column] = {}

    def literal(self, value: Fraction) -> Column:
        return F.lit(float(value))

    def of_integer(self, column: Column) -> Column:
        return column.cast("double")

    def arithmetic(self, op: str, a: Column, b: Column) -> Column:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        return a * b

    def divide(self, a: Column, b: Column) -> Column:
        return F.try_divide(a.cast("double"), b.cast("double"))

    def floor(self, x: Column) -> Column:
        return F.floor(x).cast("double")

    def round_even(self, x: Column, digits: int) -> Column:
        """Half to even on the binary value (Java's rint), as the embedded engine rounds its fast path."""
        scale = 10 ** digits
        return F.rint(x * scale) / scale if digits else F.rint(x)

    def sum(self, x: Column) -> Column:
        return F.sum(x)

    def decimal_of(self, digits: Column, decimals: int) -> Column:
        """The exact decimal digits · 10^-decimals (digits: an integer column), as the output holds it."""
        power = self._powers.get(decimals)
        if power is None:  # one literal per evaluation (each Column built is a call to Spark's JVM)
            power = self._powers[decimals] = F.lit(10 ** decimals).cast("decimal(38,0)")
        return (digits.cast("decimal(38,0)") / power).cast(f"decimal(38,{decimals})")
