"""CPOM « Structures concernées »: an establishment outside the structures an indicator concerns (an SSR-only
establishment for the PRADO indicators and HAD use after MCO, a hospital with neither MCO nor SSR for the
occupancy rate and the DMS) says so by a status and leaves that indicator's columns empty: the dataset is
accepted and the indicator reads « non concerné », neither computed nor counted as not met."""

from __future__ import annotations

import polars as pl
import pytest

import qualispec
from tests.conftest import ROOT

MCO_COLUMNS = ["prado_conventions_signed", "prado_conventions_potential", "prado_maternity_adhesions",
               "prado_maternity_potential", "prado_ortho_adhesions", "prado_ortho_potential",
               "had_transfer_stays_mco", "had_total_stays_mco"]


@pytest.fixture(scope="module")
def cpom():
    return qualispec.load(ROOT / "specs" / "ars-cpom")


def first_establishment(**columns) -> pl.DataFrame:
    frame = pl.read_csv(ROOT / "examples" / "ars_cpom.csv", infer_schema_length=0).head(1)
    return frame.with_columns(pl.lit(v, pl.String).alias(k) for k, v in columns.items())


def test_an_establishment_without_mco_leaves_the_mco_columns_empty(cpom):
    rows = cpom.evaluate(first_establishment(status_mco="non_concerne", **{c: None for c in MCO_COLUMNS})).rows
    row = rows.row(0, named=True)
    for ind in ("prado_conventions", "prado_maternity", "prado_ortho", "had_use_post_mco"):
        assert row[f"{ind}_status"] == "non concerné", ind
        assert row[f"{ind}_result"] is None
    assert row["trajectoire_transfers_rate_status"] == "calculé"  # still concerned as a structure d'aval


def test_an_empty_status_means_concerned(cpom):
    row = cpom.evaluate(first_establishment()).rows.row(0, named=True)
    assert row["prado_conventions_status"] == "calculé" and row["occupancy_rate_status"] == "calculé"


def test_a_concerned_establishment_with_empty_columns_is_refused_not_hidden(cpom):
    with pytest.raises(qualispec.DataError) as refused:
        cpom.validate(first_establishment(status_mco_ssr="renseigne", occupancy_stay_days=None))
    assert "occupancy_stay_days est vide alors que l'établissement est concerné" in str(refused.value)


def test_a_status_outside_its_values_is_refused(cpom):
    with pytest.raises(qualispec.DataError) as refused:
        cpom.validate(first_establishment(status_ssr="non_applicable"))
    assert "status_ssr" in str(refused.value)


def test_an_occupancy_rate_above_100_percent_is_accepted_not_refused(cpom):
    """« Taux d'occupation » : journées des séjours / « journées – lits » exploitables, each « selon périmètre
    défini » (3. Suivi des engagements); the document does not bound it by 100 %: not a proportion."""
    row = cpom.evaluate(first_establishment(occupancy_stay_days="10200", occupancy_bed_days="10000")).rows.row(0, named=True)
    assert row["occupancy_rate_status"] == "calculé" and float(row["occupancy_rate_result"]) == 102


def test_a_proportion_of_the_cpom_still_refuses_a_numerator_above_its_denominator(cpom):
    with pytest.raises(qualispec.DataError) as refused:
        cpom.validate(first_establishment(ca_stays="501", surgery_stays_total="500"))
    assert "ca_stays = 501 dépasse surgery_stays_total = 500" in str(refused.value)
