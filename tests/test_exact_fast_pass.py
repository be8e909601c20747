"""The fast pass (floats and error bounds, no exact lane) writes what the exact pass writes, or gives way.

The embedded engine first evaluates in floating point only: a comparison whose two sides are
within error of each other is decided as an equality when their exact forms cannot be that
close without being equal (their denominators are bounded: the grid of the values). A
decision that this cannot settle sends the whole evaluation to the exact pass, where every
value carries its exact form. Both must write the same digits and pay the same cents.
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


def written_and_cents(values: pl.DataFrame) -> pl.DataFrame:
    columns = [c for c in values.columns if c.startswith(polars_engine.WRITTEN) or c.endswith("#cents")]
    return values.select(polars_engine.ROW, polars_engine.GROUP_ID, *sorted(columns)).sort(polars_engine.ROW)


def both_passes(compiled, frame):
    plan = build_plan(compiled)
    fast_stats, exact_stats = {}, {}
    fast = polars_engine.execute(plan, frame, None, fast_stats)
    exact = polars_engine.execute(plan, frame, None, exact_stats, fast=False)
    return fast_stats, written_and_cents(fast), exact_stats, written_and_cents(exact)


@pytest.mark.parametrize("seed", [3, 11])
def test_results_exactly_on_thresholds_targets_and_previous_are_decided_in_the_fast_pass(ifaq_2024, seed):
    # The example data puts results exactly on the group threshold, the target and the previous result.
    frame = validate(generate(1200, seed), ifaq_2024.campaign, _Where("données", False))
    fast_stats, fast, exact_stats, exact = both_passes(ifaq_2024, frame)
    assert fast_stats["pass"] == "fast" and exact_stats["pass"] == "exact"
    assert fast.equals(exact), "the same digits, groups and cents both ways"


def test_counts_too_large_for_the_fast_pass_grid_are_decided_by_the_exact_pass(ifaq_2024):
    # The same results as fractions of counts ten million times larger: two results then differ by as
    # little as 10^-17, below what floats tell apart, so a result equal to its threshold is left to the
    # exact pass; the written results, levels, scores and cents do not change.
    raw = generate(600, 5)
    scale = 10_000_000
    counts = [c for c in raw.columns if c.endswith(("_numerator", "_denominator"))]
    bigger = raw.with_columns(pl.col(c).cast(pl.Int64) * scale for c in counts)
    small = validate(raw, ifaq_2024.campaign, _Where("données", False))
    large = validate(bigger, ifaq_2024.campaign, _Where("données", False))
    plan = build_plan(ifaq_2024)
    stats = {}
    scaled = written_and_cents(polars_engine.execute(plan, large, None, stats))
    assert stats["pass"] == "exact"
    unscaled = written_and_cents(polars_engine.execute(plan, small, None, {}))
    same = [c for c in unscaled.columns if not c.endswith(("numerator", "denominator"))]
    assert scaled.select(same).equals(unscaled.select(same))
