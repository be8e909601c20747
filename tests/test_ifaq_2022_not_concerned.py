"""IFAQ 2022: an MCO establishment without PTH/PTG surgery, or without day surgery, is « non concerné » by
the indicators that only measure that activity (ISO/ÉTE ortho; e-Satis MCO CA and QLS CA). They do not
count for it and their weight goes to the field's other indicators in proportion to their weights (reading
marked as an assumption on ortho_status / ambulatory_status, as for the digital pair's « non applicable »).
An empty status is « renseigne »: the file may even lack both columns (declared optional)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

import qualispec
from tests.conftest import ROOT

IFAQ_2022 = ROOT / "specs" / "ifaq" / "2022"
WEIGHTED = ["certification", "iso_ortho", "ete_ortho", "esatis_mco_48h", "esatis_mco_ca", "pain", "qls", "qls_ca",
            "pcc", "d2_2", "d6_3"]


@pytest.fixture(scope="module")
def campaign():
    return qualispec.load(IFAQ_2022)


def mco_rows(**status) -> pl.DataFrame:
    example = pl.read_csv(ROOT / "examples" / "ifaq2022.csv", infer_schema_length=0)
    rows = example.filter(pl.col("field") == "MCO").head(12)
    return rows.with_columns(pl.lit(v, pl.String).alias(k) for k, v in status.items())


def weights(result, finess: str) -> dict[str, Decimal]:
    row = result.rows.filter(pl.col("finess") == finess).row(0, named=True)
    return {ind: row[f"{ind}_effective_weight"] for ind in WEIGHTED}


def test_without_the_status_columns_every_indicator_counts_as_before(campaign):
    result = campaign.evaluate(mco_rows())
    finess = result.rows["finess"][0]
    row = result.rows.row(0, named=True)
    assert {ind: row[f"{ind}_weight"] for ind in WEIGHTED} == weights(result, finess)


def test_an_establishment_without_pth_ptg_gives_the_ortho_weight_to_the_others(campaign):
    frame = mco_rows(ortho_status="renseigne")
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("non_concerne"))
                               .otherwise(pl.col("ortho_status")).alias("ortho_status"),
                               pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col("iso_ortho_ratio"))
                               .alias("iso_ortho_ratio"),
                               pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col("ete_ortho_ratio"))
                               .alias("ete_ortho_ratio"))
    result = campaign.evaluate(frame)
    row = result.rows.row(0, named=True)
    assert row["iso_ortho_status"] == "non concerné" and row["ete_ortho_status"] == "non concerné"
    assert row["iso_ortho_score"] is None and row["iso_ortho_payout"] == 0
    got = weights(result, row["finess"])
    assert got["iso_ortho"] == 0 and got["ete_ortho"] == 0
    before = {ind: row[f"{ind}_weight"] for ind in WEIGHTED}
    kept = sum(w for ind, w in before.items() if ind not in ("iso_ortho", "ete_ortho"))
    for ind in WEIGHTED:
        if ind not in ("iso_ortho", "ete_ortho"):  # in proportion to their weights, the whole weight kept
            assert abs(got[ind] - before[ind] * sum(before.values()) / kept) < Decimal("0.000001"), ind
    assert abs(sum(got.values()) - sum(before.values())) < Decimal("0.00001")
    explanation = result.explain(row["finess"])
    assert "établissement non concerné : l'indicateur ne compte pas pour lui" in explanation


def test_an_establishment_without_day_surgery_is_not_concerned_by_the_two_ca_indicators(campaign):
    frame = mco_rows(ambulatory_status="non_concerne", esatis_mco_ca_score=None, qls_ca_score=None)
    result = campaign.evaluate(frame)
    row = result.rows.row(0, named=True)
    assert row["esatis_mco_ca_status"] == "non concerné" and row["qls_ca_status"] == "non concerné"
    assert weights(result, row["finess"])["qls_ca"] == 0


def test_a_status_outside_its_values_is_refused_at_its_row(campaign):
    with pytest.raises(qualispec.DataError) as refused:
        campaign.validate(mco_rows(ortho_status="non_applicable"))
    assert "ortho_status" in str(refused.value) and "non_applicable" in str(refused.value)
