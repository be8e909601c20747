"""The engine decides exactly in Polars what the Python fractions (runtime/exact.py) decide, row by row.

The Polars engine decides comparisons and writes digits from exact integer forms of its
values; runtime/exact.py evaluates the same plan in Python fractions and is what an engine
falls back to. On benchmark-like IFAQ 2024 data (rows placed exactly on group boundaries,
results exactly equal to the group threshold or to the previous result), every written
digit and every group must be the same both ways, and no step needs the Python fallback.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from conftest import IFAQ_2024
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_one
from qualispec.runtime.data.dataset import _Where, validate
from qualispec.runtime.data.example_data import generate
from qualispec.runtime.engines import polars_engine
from qualispec.runtime.exact import ExactRows, round_half_even
from qualispec.runtime.plan import build_plan, written_scale


@pytest.fixture(scope="module")
def ifaq_2024():
    return compile_one(IFAQ_2024, Diagnostics())


@pytest.mark.parametrize("seed", [3, 11])
def test_every_written_digit_is_the_one_the_exact_fractions_give(ifaq_2024, seed):
    frame = validate(generate(1200, seed), ifaq_2024.campaign, _Where("données", False))
    plan = build_plan(ifaq_2024)
    assert polars_engine._doubtful_rows(polars_engine._approximate(plan, frame, {})[0]) == [], \
        "every decision of every step is taken in Polars"
    values = polars_engine.execute(plan, frame)
    exact = ExactRows(plan.typed_ir, plan, frame, values, polars_engine.GROUP_ID)
    written = [c[len(polars_engine.WRITTEN):] for c in values.columns if c.startswith(polars_engine.WRITTEN)]
    assert {"num1.result", "num1.threshold", "num2.level", "num2.evolution", "num2.score"} <= set(written)
    on_threshold = on_previous = 0
    for i in range(frame.height):
        row = exact.row(i)
        assert values[polars_engine.GROUP_ID][i] == row.group_index(), f"row {i}: group"
        for node in written:
            factor, decimals = written_scale(plan.typed_ir.nodes[node].unit)
            want = row.node(node)
            want = None if want is None else round_half_even(Fraction(want) * factor * 10 ** decimals)
            assert values[polars_engine.WRITTEN + node][i] == want, f"row {i}: {node}"
        for ind in ("num1", "num2"):
            result = row.node(f"{ind}.result")
            on_threshold += result is not None and result == row.node(f"{ind}.threshold")
            on_previous += result is not None and result == row.node(f"{ind}.previous")
    assert on_threshold > 10 and on_previous > 10, "the data puts results exactly on the boundaries"

