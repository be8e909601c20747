"""Units are part of the type of every value.

A unit belongs to a dimension: ``percent`` and ``ratio`` are both fractions (50 % is
the ratio 0.5, and they compare and add freely); ``count``, ``euro`` and ``days`` are
amounts of different things and never mix by addition or comparison. A number written
without a unit (``500``) takes the unit of what it meets, as in ``stays >= 500``.

Internally every fraction is held as a ratio (0.5 for 50 %): a unit changes how a value
is read from a dataset and shown, never how it is computed.
"""

from __future__ import annotations

NUMERIC = ("count", "percent", "ratio", "euro", "days", "number")
UNITS = NUMERIC + ("boolean", "category", "text")

# Words a policy author may write for a type, and the unit they mean.
ALIASES = {"integer": "count", "eur": "euro", "bool": "boolean", "string": "text"}


def dimension(unit: str | None) -> str | None:
    if unit in ("percent", "ratio"):
        return "fraction"
    if unit in ("category", "text"):
        return "text"
    return unit


def is_numeric(unit: str | None) -> bool:
    return unit is None or unit in NUMERIC


class UnitError(Exception):
    """A unit mistake: a message code of compiler/messages (``units.*``) and its arguments."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


def _name(unit: str | None) -> str:
    return unit or "number"


def same_dimension(a: str | None, b: str | None, verb: str) -> str | None:
    """The unit of ``a op b`` for + - and comparisons: both sides must measure the same thing."""
    if a is None or a == "number":
        return b
    if b is None or b == "number":
        return a
    if dimension(a) != dimension(b):
        raise UnitError(f"units.{verb}", a=_name(a), b=_name(b))
    if a != b:  # percent with ratio: keep the percent, it is what the author wrote
        return "percent" if "percent" in (a, b) else a
    return a


def multiply(a: str | None, b: str | None) -> str | None:
    for x, y in ((a, b), (b, a)):
        if x is None or x == "number" or dimension(x) == "fraction":
            if not is_numeric(y):
                raise UnitError("units.multiply", a=_name(x), b=_name(y))
            if dimension(x) == "fraction" and dimension(y) == "fraction":
                return "percent" if "percent" in (x, y) else "ratio"
            return y if y is not None else x
    if {a, b} <= {"count"}:
        return "count"
    if {a, b} in ({"euro", "count"}, {"days", "count"}):
        return "euro" if "euro" in (a, b) else "days"
    raise UnitError("units.multiply", a=_name(a), b=_name(b))


def divide(a: str | None, b: str | None) -> str | None:
    if not (is_numeric(a) and is_numeric(b)):
        raise UnitError("units.divide", a=_name(a), b=_name(b))
    if b is None or b == "number" or dimension(b) == "fraction":
        return a
    if a is None or a == "number":
        return "number"
    if dimension(a) == dimension(b):
        return "ratio"  # count / count, euro / euro: a rate
    if b == "count":
        return a  # euro / count: an amount per patient, per stay…
    raise UnitError("units.divide", a=_name(a), b=_name(b))


def check_numeric(unit: str | None, what: str) -> None:
    if not is_numeric(unit):
        raise UnitError("units.needs_number", what=what, unit=_name(unit))


def check_boolean(unit: str | None, what: str) -> None:
    if unit not in ("boolean", None):
        raise UnitError("units.needs_boolean", what=what, unit=_name(unit))


def compatible(declared: str, actual: str | None) -> bool:
    """Can a value of unit ``actual`` be stored where ``declared`` is expected?"""
    if actual is None:
        return True
    if declared == "number":
        return is_numeric(actual)
    return dimension(declared) == dimension(actual) or (actual == "number" and is_numeric(declared))
