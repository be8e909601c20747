"""The fast pass (floats and error bounds, no exact lane) writes what the exact pass writes, or gives way.

The embedded engine first evaluates in floating point only: a comparison whose two sides are
within error of each other is decided as an equality when their exact forms cannot be that
close without being equal (their denominators are bounded: the grid of the values). A
decision that this cannot settle sends the whole evaluation to the exact pass, where every
value carries its exact form. Both must write the same digits and pay the same cents.
"""

from __future__ import annotations

import csv

import polars as pl
import pytest

from conftest import IFAQ_2024, ROOT, SPECS
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_one
from qualispec.runtime.data.dataset import _Where, load_dataset, validate
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


IFAQ_2022 = SPECS / "ifaq" / "2022"
IFAQ_2022_EXAMPLE = ROOT / "examples" / "ifaq2022.csv"


@pytest.fixture(scope="module")
def ifaq_2022():
    return compile_one(IFAQ_2022, Diagnostics())


def test_ifaq_2022_example_is_settled_in_the_fast_pass_cell_for_cell_as_the_exact_pass(ifaq_2022):
    # Each group's threshold is the lower 30th percentile of its results: a member of the population, one
    # result of the group exactly on it. Decimals of one denominator sorted in floats with errors far below
    # their grid are sorted exactly (polars_calls._sorted_on_grid): the picked member's exact value is on the
    # same grid, and the result equal to it is decided equal in the fast pass.
    frame = load_dataset(str(IFAQ_2022_EXAMPLE), ifaq_2022.campaign)
    plan = build_plan(ifaq_2022)
    fast_stats, exact_stats = {}, {}
    fast = polars_engine.execute(plan, frame, None, fast_stats).sort(polars_engine.ROW)
    exact = polars_engine.execute(plan, frame, None, exact_stats, fast=False).sort(polars_engine.ROW)
    assert fast_stats["pass"] == "fast" and exact_stats["pass"] == "exact"
    assert fast.columns == exact.columns and fast.schema == exact.schema
    assert fast.equals(exact), "every cell the same both ways"


def test_a_population_whose_float_order_may_not_be_its_exact_order_is_left_to_the_exact_pass(ifaq_2022, tmp_path):
    # Five MCO-5 results written with 14 decimals (fractions of 10^16): the threshold is x(1) = 1,00000000000001 %,
    # a result equal to it is told equal in floats (its error is far below 10^-16), but the 100 % member's float
    # is within 2·10^-16 of its value, more than a quarter of the grid: the float order of that population is
    # not proved exact, so the fast pass does not decide from it.
    with open(IFAQ_2022_EXAMPLE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    template = next(r for r in rows if r["field"] == "MCO" and r["stays"] == "499")
    scores = ["1.00000000000001", "1", "2", "3", "100"]
    data = tmp_path / "data.csv"
    with open(data, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(template))
        writer.writeheader()
        for i, score in enumerate(scores):
            writer.writerow({**template, "finess": f"{590000101 + i:09d}", "economic_volume": "1000000",
                             "esatis_mco_48h_score": score})
    frame = load_dataset(str(data), ifaq_2022.campaign)
    plan = build_plan(ifaq_2022)
    stats = {}
    values = polars_engine.execute(plan, frame, None, stats).sort(polars_engine.ROW)
    assert stats["pass"] == "exact"
    assert values["esatis_mco_48h.score"].to_list()[:2] == [0, 0]  # on the threshold and under it: nothing
    assert values["esatis_mco_48h.score"].to_list()[2] > 0
