"""CAQES 2022, dressings: « Montant moyen remboursé par patient > 40% par rapport à la catégorie de
l'établissement » (webinaire « nouveau CAQES », Pansements, Pré requis). Without a CNAM reference, the
category's reference is the plain mean of the amounts per patient of its establishments in the dataset,
the establishment included (an assumption of the spec). « > 40 % » is strict: exactly 1,4 times the
mean is not enough.

Three CH establishments with 200 patients each: 69 740,30 €, 47 361,78 € and 32 341,42 € reimbursed.
The first one's amount per patient, 348,7015 €, is exactly 1,4 × the mean (249,0725 €); binary floating
point finds it above.
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl
import pytest

from conftest import ROOT, compile_folder
from qualispec.runtime.data.dataset import load_dataset

OTHERS = ["47361.78", "32341.42"]


@pytest.fixture(scope="module")
def caqes_2022():
    compiled, diagnostics = compile_folder(ROOT / "specs" / "caqes" / "2022")
    assert not diagnostics.has_errors(), diagnostics.render()
    return compiled


def first_ch(engine, compiled, tmp_path, reimbursed: str) -> dict:
    frame = pl.read_csv(ROOT / "examples" / "caqes_2022.csv", infer_schema_length=0)
    frame = frame.filter(pl.col("es_category") == "CH").head(3).with_columns(
        dressing_patients=pl.lit("200"), dressing_reimbursed=pl.Series([reimbursed, *OTHERS]),
        dressing_category_reference=pl.lit(None, pl.String), dressing_snds_available=pl.lit("true"),
        dressing_avoided_spending=pl.lit("1000"))
    path = tmp_path / "caqes.csv"
    frame.write_csv(path)
    return engine.evaluate(compiled, load_dataset(path, compiled.campaign)).rows.row(0, named=True)


def test_the_case_is_exactly_on_the_boundary_and_floats_put_it_above():
    amounts = [Fraction(x) / 200 for x in ["69740.30", *OTHERS]]
    assert amounts[0] == sum(amounts) / 3 * Fraction(14, 10)
    floats = [float(x) / 200 for x in ["69740.30", *OTHERS]]
    assert floats[0] > sum(floats) / 3 * 1.4


@pytest.mark.parametrize("reimbursed, eligible", [
    ("69740.30", False),   # exactly 40 % above the category's mean: not « > 40% »
    ("69740.29", False),   # one cent less
    ("69740.31", True),    # one cent more: above (1,4 × the mean takes only 1,4 / 3 of that cent)
])
def test_dressings_exactly_40_percent_above_the_category_mean_are_not_eligible(engine, caqes_2022, tmp_path,
                                                                              reimbursed, eligible):
    out = first_ch(engine, caqes_2022, tmp_path, reimbursed)
    assert out["dressings_eligible"] is eligible
    assert out["dressings_payout"] == (300 if eligible else 0)  # « 30% des économies générées », 1 000 €
