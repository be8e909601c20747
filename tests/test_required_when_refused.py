"""The refusals of `required_when:` / `required_unless:` / `required_with:`, at their row, on both engines.

CPOM « Structures concernées »: a concerned establishment (status « renseigne », or empty) with an empty
column is refused at its row, not a silent « non calculable ». CAQES 2017 transports: a row with neither a
target rate nor a target amount, or a rate without last year's spending, is refused at its row.
"""

from __future__ import annotations

import polars as pl
import pytest

import qualispec
from tests.conftest import ROOT, run_cli
from tests.test_required_when import CPOM, caqes, cpom, example  # noqa: F401 (fixtures)


def refused(campaign, frame, engine="polars", spark=None) -> str:
    if engine == "spark":
        frame = spark.createDataFrame(frame.to_arrow())
    with pytest.raises(qualispec.DataError) as error:
        campaign.evaluate(frame, engine=engine)
    return str(error.value)


# ------------------------------------------------------------------ CPOM: concerned means filled
def test_a_concerned_establishment_with_an_empty_column_is_refused_at_its_row(tmp_path):
    """`qualispec eval` names the file, the line, the column, the status, and what to write instead."""
    data = tmp_path / "cpom.csv"
    pl.read_csv(ROOT / "examples" / "ars_cpom.csv", infer_schema_length=0).with_columns(
        status_mco_ssr=pl.lit("renseigne"),
        occupancy_bed_days=pl.when(pl.int_range(pl.len()) == 2).then(None).otherwise(pl.col("occupancy_bed_days")),
    ).write_csv(data)
    code, out, err = run_cli("eval", str(CPOM), "--data", str(data), "--out", str(tmp_path / "out.csv"))
    assert code != 0 and not (tmp_path / "out.csv").exists()
    assert (f"{data}:4: occupancy_bed_days est vide alors que l'établissement est concerné (status_mco_ssr = "
            "« renseigne ») : remplissez occupancy_bed_days, ou écrivez non_concerne dans status_mco_ssr s'il ne "
            "l'est pas") in err
    assert f"{data}:3:" not in err and f"{data}:5:" not in err  # only the row with the empty column


def test_an_empty_status_reads_concerned_so_the_column_is_required(cpom):
    said = refused(cpom, example("ars_cpom.csv", status_mco=None, prado_maternity_potential=None))
    assert "prado_maternity_potential est vide alors que l'établissement est concerné (status_mco vide, lu « renseigne »)" in said


# ------------------------------------------------------------------ CAQES 2017: a rate or an amount
def test_a_transport_target_given_neither_as_a_rate_nor_as_an_amount_is_refused(caqes):
    said = refused(caqes, example("caqes_2017.csv", transport_target_growth=None, transport_target_spending=None))
    assert "transport_target_growth et transport_target_spending sont vides tous les deux : remplissez l'un des deux" in said


def test_a_target_rate_without_last_years_spending_is_refused(caqes):
    said = refused(caqes, example("caqes_2017.csv", transport_target_growth="-2", transport_target_spending=None,
                                  transport_spending_previous=None))
    assert ("transport_spending_previous est vide alors que transport_target_growth est rempli (-2) : "
            "transport_target_growth ne se calcule pas sans transport_spending_previous") in said


# ------------------------------------------------------------------ the same refusals on Spark
def test_spark_refuses_the_same_rows_with_the_same_words(cpom, caqes, spark_session):
    said = refused(cpom, example("ars_cpom.csv", status_mco_ssr="renseigne", occupancy_bed_days=None), "spark",
                   spark_session)
    assert ("occupancy_bed_days est vide alors que l'établissement est concerné (status_mco_ssr = « renseigne »)") in said
    said = refused(caqes, example("caqes_2017.csv", transport_target_growth=None, transport_target_spending=None),
                   "spark", spark_session)
    assert "transport_target_growth et transport_target_spending sont vides tous les deux" in said
    frame = example("ars_cpom.csv", status_mco_ssr="non_concerne", occupancy_bed_days=None, occupancy_stay_days=None,
                    dms_stay_days=None, dms_stays=None)
    assert cpom.evaluate(spark_session.createDataFrame(frame.to_arrow()), engine="spark").rows.height == 1
