"""A weight of 100 % adds no error: ±1 · x is exactly ±x in floating point.

IFAQ 2024 scores an indicator whose evolution is not counted as level_weight_evolution_not_counted
(100 %) × level. The engine's error bound of that score is the level's own, not the level's plus a
rounding of the product: where the level is exact (0 or 100 %, a result at or past the target), so
is the score, and establishments paid the same at the largest-remainder cut-off are found equal
without their payouts being computed one by one in Python. The cents do not change.
"""

from __future__ import annotations

import polars as pl
import pytest

from conftest import IFAQ_2024
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_one
from qualispec.runtime.data.dataset import _Where, validate
from qualispec.runtime.data.example_data import generate
from qualispec.runtime.engines import polars_engine
from qualispec.runtime.plan import build_plan


@pytest.fixture(scope="module")
def ifaq_2024():
    return compile_one(IFAQ_2024, Diagnostics())


def fast_pass(compiled, rows: int, seed: int) -> pl.DataFrame:
    frame = validate(generate(rows, seed), compiled.campaign, _Where("données", False))
    return polars_engine._approximate(build_plan(compiled), frame, {}, None, fast=True).frame


def test_a_score_weighted_100_percent_is_as_exact_as_its_level(ifaq_2024):
    values = fast_pass(ifaq_2024, 600, 3)
    not_counted = values.filter(~pl.col("num1.evolution_paid") & pl.col("num1.level").is_not_null())
    assert not_counted.height > 100
    assert (not_counted["num1.score#err"] == not_counted["num1.level#err"]).all()
    at_target = not_counted.filter(pl.col("num1.level") == 1.0)
    assert at_target.height > 0 and (at_target["num1.score#err"] == 0).all(), "a level of 100 % is exact, so is its score"


def test_a_weighted_score_still_counts_its_rounding(ifaq_2024):
    values = fast_pass(ifaq_2024, 600, 3)
    weighted = values.filter(pl.col("num2.evolution_paid") & pl.col("num2.evolution").is_not_null()
                             & (pl.col("num2.level") > 0) & (pl.col("num2.level") < 1))
    assert weighted.height > 0
    assert (weighted["num2.score#err"] > weighted["num2.level#err"] * 0.5).all()  # 50 % · level + 50 % · evolution


def test_the_cents_are_those_of_the_exact_pass(ifaq_2024):
    plan = build_plan(ifaq_2024)
    frame = validate(generate(20_000, 2), ifaq_2024.campaign, _Where("données", False))
    fast_stats, exact_stats = {}, {}
    fast = polars_engine.execute(plan, frame, None, fast_stats)
    exact = polars_engine.execute(plan, frame, None, exact_stats, fast=False)
    assert fast_stats["pass"] == "fast" and exact_stats["pass"] == "exact"
    cents = [c for c in fast.columns if c.endswith("#cents")]
    assert cents and fast.select(polars_engine.ROW, *cents).equals(exact.select(polars_engine.ROW, *cents))
    assert fast_stats["exact_rows"] <= 4  # the cut-off's equal payouts computed once (10 rows before)
