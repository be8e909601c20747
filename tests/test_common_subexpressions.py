"""A formula written out in several steps is computed once (runtime/engines/polars_common.py), same numbers.

IFAQ 2022's redistributed weight of each of its 19 indicators divides by the sum of the weights of
what counts on the row: the same sum in every indicator. Written out 19 times with its error bound,
it made a query that Polars took seconds to plan for a few hundred rows (13 s for the 360-row
example of the money report); computed once, about 2 s.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_folder
from qualispec.runtime.data.dataset import load_dataset
from qualispec.runtime.engines import polars_engine
from qualispec.runtime.engines.polars_common import COMMON, common_steps
from qualispec.runtime.evaluate import evaluate
from qualispec.runtime.plan import build_plan
from qualispec.compiler.syntax import ast

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ifaq_2022():
    compiled = compile_folder(ROOT / "specs/ifaq/2022", Diagnostics())
    assert compiled is not None
    return compiled


def test_the_sum_of_counted_weights_is_computed_once_for_the_19_indicators(ifaq_2022):
    steps = common_steps(build_plan(ifaq_2022).steps)
    hidden = {s.column for s, _ in steps if s.column.startswith(COMMON)}
    weights = [(s, e) for s, e in steps if s.column.endswith(".effective_weight")]
    assert len(weights) == 19
    read = [{n.target for n in ast.walk(e) if isinstance(n, ast.Ref) and n.target in hidden} for _, e in weights]
    shared = set.intersection(*read)
    assert shared, "the 19 redistributed weights read no common column"
    for s, e in weights:  # what a weight reads is computed before it
        assert all(h in {x.column for x, _ in steps[:steps.index((s, e))]} for h in shared)


def test_a_campaign_without_repeated_formulas_is_left_as_written():
    compiled = compile_folder(ROOT / "specs/hopen/2023", Diagnostics())
    steps = build_plan(compiled).steps
    assert [(s, e) for s, e in common_steps(steps)] == [(s, s.expr) for s in steps]


def test_every_value_is_the_same_as_with_each_formula_written_out(ifaq_2022, monkeypatch):
    frame = load_dataset(str(ROOT / "examples/ifaq2022.csv"), ifaq_2022.campaign)
    once = evaluate(ifaq_2022, frame, keep_all=True)
    assert not [c for c in once.values.columns if c.startswith(COMMON)]  # hidden columns never come out
    monkeypatch.setattr(polars_engine, "common_steps", lambda steps: [(s, s.expr) for s in steps])
    written_out = evaluate(ifaq_2022, frame, keep_all=True)
    assert once.engine_pass == written_out.engine_pass
    assert_frame_equal(once.rows, written_out.rows, check_exact=True)
    assert_frame_equal(once.values, written_out.values.select(once.values.columns), check_exact=True)
    assert set(once.values.columns) == set(written_out.values.columns)
    assert once.rows["total_payout"].cast(pl.Float64).sum() > 0


def test_the_volume_of_a_group_is_summed_once_for_both_payouts_same_cents(monkeypatch):
    # IFAQ 2024 pays each indicator group_amount × (economic_volume / sum(economic_volume) over group) × …:
    # the group's volume is a column of its own, read by both payouts (a window inside their branches and
    # error bounds was planned once per occurrence, 0,15 s of CPU at 1 M rows), with the same cents.
    compiled = compile_folder(ROOT / "specs/ifaq/2024", Diagnostics())
    steps = common_steps(build_plan(compiled).steps)
    hidden = {s.column: e for s, e in steps if s.column.startswith(COMMON)}
    sums = [c for c, e in hidden.items() if isinstance(e, ast.Call) and e.func == "sum" and e.over == "group"]
    assert len(sums) == 1
    payouts = [e for s, e in steps if s.column in ("num1.payout", "num2.payout")]
    assert len(payouts) == 2 and all(any(isinstance(n, ast.Ref) and n.target == sums[0] for n in ast.walk(e))
                                     for e in payouts)
    frame = load_dataset(str(ROOT / "examples/ifaq2024.csv"), compiled.campaign)
    once = evaluate(compiled, frame, keep_all=True)
    monkeypatch.setattr(polars_engine, "common_steps", lambda steps: [(s, s.expr) for s in steps])
    written_out = evaluate(compiled, frame, keep_all=True)
    assert_frame_equal(once.rows, written_out.rows, check_exact=True)
    assert_frame_equal(once.values, written_out.values.select(once.values.columns), check_exact=True)
