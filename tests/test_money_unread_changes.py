"""The money diff evaluates again only the rule changes a payout reads.

To attribute the difference, each rule change is undone alone in the new campaign, which is evaluated
again. A change that no payout reads, directly or not (CAQES 2023's parameters of objectives, IFAQ
2024's « non applicable » declarations), cannot move a cent: its effect is 0 on every row without
evaluating it. These tests evaluate them anyway and find every payout unchanged, and check that the
report still lists them, with no effect.
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import ROOT, compile_folder
from qualispec.compiler import graph as graphs
from qualispec.compiler.diff.rules import diff, reverts
from qualispec.compiler.pipeline import Compiled
from qualispec.runtime import impact

PAIRS = {"CAQES 2022 → 2023": ("caqes/2022", "caqes/2023", "caqes_2022.csv"),
         "IFAQ 2022 → 2024": ("ifaq/2022", "ifaq/2024", "ifaq2022_2024.csv")}


@pytest.fixture(scope="module", params=sorted(PAIRS))
def pair(request):
    old_folder, new_folder, data = PAIRS[request.param]
    (old, _), (new, _) = compile_folder(ROOT / "specs" / old_folder), compile_folder(ROOT / "specs" / new_folder)
    rules = diff(old.campaign, new.campaign)
    frame_old, frame_new = impact.frames(old, new, str(ROOT / "examples" / data), rules, None, [])
    return old, new, frame_new, rules, str(ROOT / "examples" / data)


def _unread(old, new):
    money = impact._read_by_money(new)
    return [r for r in reverts(old.campaign, new.campaign) if not impact._reaches(new.campaign, r.campaign, money)]


def test_the_changes_no_payout_reads_leave_every_payout_as_it_is(pair):
    old, new, frame_new, _, _ = pair
    unread = _unread(old, new)
    assert unread, "each of these campaigns has changes that pay nothing"
    payouts = impact._payouts(new, frame_new)
    for revert in unread:
        graph = graphs.build(revert.campaign)
        undone = impact._payouts(Compiled(revert.campaign, graph, tuple(graphs.evaluation_order(graph))), frame_new)
        keys = [k for k in ("finess", "field") if k in payouts.columns] + ["total_payout"]
        assert_frame_equal(undone.select(keys), payouts.select(keys), check_exact=True)


UNREAD = {  # what each change reads into, by the campaigns' formulas
    "caqes_2023": {"caqes_max_national", "contract_year", "dmdmi_progress_required", "les_followup_months",
                   "mpi_reviews_progress_required", "mpi_training_progress_required", "mpi_yearly_audit_active",
                   "pc_progress_required"},  # the regional contract's objectives: only the national indicators pay
    "ifaq_2024": {"num1.not_applicable_allowed", "num2.not_applicable_allowed"},  # a data check, not money
}


def test_a_change_a_payout_reads_is_still_evaluated(pair):
    old, new, _, _, _ = pair
    unread = {r.subject for r in _unread(old, new)}
    assert unread == UNREAD[new.campaign.name]
    read = {r.subject for r in reverts(old.campaign, new.campaign)} - unread
    if new.campaign.name == "ifaq_2024":  # the target, the envelope, the digital share, the fields, evolution
        assert read == {"digital_share", "ifaq_digital.amount", "num1.evolution_paid", "num1.fields", "num1.previous",
                        "num1_target", "num2.fields", "num2.previous"}


def test_the_report_lists_every_change_with_no_effect_for_those_no_payout_reads(pair, monkeypatch):
    old, new, _, rules, data = pair
    evaluated = []
    real = impact._payouts
    monkeypatch.setattr(impact, "_payouts", lambda c, frame, rows=None: evaluated.append(c) or real(c, frame, rows))
    report = impact.compare_payouts(old, new, data, rules)
    unread = {r.subject for r in _unread(old, new)}
    assert len(evaluated) == 2 + len(reverts(old.campaign, new.campaign)) - len(unread)
    assert {e.subject for e in report.effects} == {r.subject for r in reverts(old.campaign, new.campaign)}
    for e in report.effects:
        if e.subject in unread:
            assert (e.net, e.moved, e.establishments) == (0.0, 0.0, 0)
