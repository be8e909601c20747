"""An envelope shared into its group amounts to the cent, by largest remainder (engine-neutral).

Each group gets ⌊100·a⌋ cents of its exact amount a; the leftover, round_half_even(Σ 100·a)
minus those floors, goes one cent each to the groups with the largest exact remainders
100·a − ⌊100·a⌋, ties by the groups' order in the spec (rows in no group, key None, last).
When the groups' shares add up to one, the group amounts add up to the envelope to the cent.
"""

from __future__ import annotations

import math
from fractions import Fraction

from qualispec.runtime.exact import round_half_even


def share_cents(amounts: dict[int | None, Fraction | None]) -> dict[int | None, int | None]:
    """Whole cents per group (key: the group's index in the plan; None: the rows in no group)."""
    known = {g: Fraction(a) * 100 for g, a in amounts.items() if a is not None}
    cents = {g: math.floor(a) for g, a in known.items()}
    leftover = round_half_even(sum(known.values(), Fraction(0))) - sum(cents.values())
    order = sorted(known, key=lambda g: (-(known[g] - cents[g]), g is None, g or 0))
    for g in order[:max(leftover, 0)]:
        cents[g] += 1
    return {g: cents.get(g) for g in amounts}
