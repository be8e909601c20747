"""Single typos made in the shipped specs are said at their line, at least as often as today.

tests/typo_mutations.py makes every single typo of a class in every shipped spec (a `%` dropped, a
percent written as a ratio, a value ×10 or ÷10, an operator flipped, a unit changed with its value,
two weights swapped, a weight raised, a quantile's order out of range) and compiles the campaign.
This test runs a fixed sample of each class (every n-th mutation, the same each run: 64 mutations,
~15 s CPU) and fails when fewer are said at the edited line than the floor reached (on the whole campaign,
2026-12-04: all « % dropped », « percent written as a ratio », « weight raised » and « quantile order »
typos are said at their line): a check that stops saying a class of typos
is a regression, even when no single-case test names that spec line. The whole campaign, with the
survival table and silent examples: ``python -m tests.typo_mutations``.
"""

from __future__ import annotations

import pytest

from tests.typo_mutations import CLASSES, run

# class: (every n-th mutation, mutations said at their line in that sample at least, sample size)
FLOORS = {
    "drop_percent": (20, 6, 6),
    "percent_as_ratio": (20, 6, 6),
    "times_ten": (40, 6, 7),
    "divided_by_ten": (40, 6, 7),
    "flip_strictness": (12, 5, 7),
    "flip_direction": (12, 7, 7),
    "unit_with_value": (10, 6, 6),
    "swap_weights": (1, 5, 9),
    "double_weight": (3, 6, 6),
    "quantile_order": (2, 3, 3),
}


@pytest.fixture(scope="module")
def sampled():
    return run(set(FLOORS), {kind: step for kind, (step, _, _) in FLOORS.items()})


def test_every_class_of_the_campaign_has_a_floor():
    assert set(FLOORS) == set(CLASSES)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_typos_of_a_class_are_said_at_their_line_at_least_as_often_as_the_floor(sampled, kind):
    counts, seen = sampled
    _, floor, size = FLOORS[kind]
    assert sum(counts[kind].values()) == size, "the shipped specs changed: count the sample again"
    missed = [f"[{result}] {mutation}" for mutation, result, _ in seen[kind] if result != "line"]
    assert counts[kind]["line"] >= floor, f"{kind}: {counts[kind]['line']} of {size} said at their line; " \
                                          "not said:\n" + "\n".join(missed)
