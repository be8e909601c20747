"""CAQES 2017, the transport part (instruction du 26 juillet 2017, annexe 4), exactly on its boundaries.

- Targeting: an establishment is targeted when its annual growth of transport spending, or its annual
  amount, « dépasse le seuil » — 2,2 % and 500 000 € in 2017 (note 6). Exactly on a threshold does not
  exceed it.
- The mandatory target: spending at most the target amount (last year's spending times one plus the
  signed rate of the contract) is « atteinte ». 272 549 € − 3 % = 264 372,53 € exactly, which binary
  floating point makes 264 372,52999999997 €: a spending of 264 372,53 € would miss it by a rounding.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from conftest import ROOT, compile_folder
from qualispec.runtime.data.dataset import load_dataset


@pytest.fixture(scope="module")
def caqes_2017():
    compiled, diagnostics = compile_folder(ROOT / "specs" / "caqes" / "2017")
    assert not diagnostics.has_errors(), diagnostics.render()
    return compiled


def transport(engine, compiled, tmp_path, **columns) -> dict:
    frame = pl.read_csv(ROOT / "examples" / "caqes_2017.csv", infer_schema_length=0).head(1)
    frame = frame.with_columns(pl.lit(v, pl.String).alias(k) for k, v in columns.items())
    path = tmp_path / "caqes_2017.csv"
    frame.write_csv(path)
    return engine.evaluate(compiled, load_dataset(path, compiled.campaign)).rows.row(0, named=True)


@pytest.mark.parametrize("previous, reference, exceeds", [
    ("100005", "102205.11", False),     # +2,2 % exactly (0,022000000000000020 in floats): does not exceed
    ("100005", "102205.12", True),      # one cent more
    ("250000", "255500", False),        # +2,2 % exactly
    ("250000", "255500.01", True),
])
def test_a_growth_of_exactly_2_2_percent_does_not_exceed_the_threshold(engine, caqes_2017, tmp_path, previous,
                                                                      reference, exceeds):
    out = transport(engine, caqes_2017, tmp_path, transport_ref_spending=reference,
                    transport_ref_spending_previous=previous)
    assert out["transport_targeting_evolution_au_dessus_du_seuil"] is exceeds
    assert out["transport_targeting_depenses_au_dessus_du_seuil"] is False  # far below 500 000 €
    assert out["transport_targeting_peut_etre_propose"] is exceeds


@pytest.mark.parametrize("reference, exceeds", [("500000", False), ("500000.01", True), ("499999.99", False)])
def test_an_amount_of_exactly_500_000_euros_does_not_exceed_the_threshold(engine, caqes_2017, tmp_path, reference,
                                                                         exceeds):
    out = transport(engine, caqes_2017, tmp_path, transport_ref_spending=reference,
                    transport_ref_spending_previous=reference)  # no growth: only the amount can target
    assert out["transport_targeting_depenses_au_dessus_du_seuil"] is exceeds
    assert out["transport_targeting_peut_etre_propose"] is exceeds


@pytest.mark.parametrize("spending, met", [("264372.53", True), ("264372.54", False), ("264372.52", True)])
def test_spending_exactly_on_the_target_of_minus_3_percent_meets_it(engine, caqes_2017, tmp_path, spending, met):
    out = transport(engine, caqes_2017, tmp_path, transport_target_growth="-3", transport_spending_previous="272549",
                    transport_target_spending=None, transport_spending=spending)
    assert out["transport_montant_cible"] == Decimal("264372.53")
    assert out["transport_cible_atteinte"] is met
