"""CAQES 2022, regional indicators: each is targeted on its own list of establishments (« Pour chaque indicateur
régional, une stratégie de ciblage … 7 listes d'ES ciblés ; un nombre différent d'ES / liste et des ES différents »,
webinaire « nouveau CAQES », La méthodologie de ciblage sur les indicateurs régionaux). An establishment not targeted
on one says so by its status (« non_concerne ») and leaves that indicator's columns empty: the dataset is accepted
and the indicator reads « non concerné ». A targeted establishment (empty status) that leaves a column empty is
refused at its row, never scored on a missing value."""

from __future__ import annotations

import polars as pl
import pytest

import qualispec
from tests.conftest import ROOT

REGIONAL = {
    "les_status": ("les", ["les_cme_information", "les_followup_months_done", "les_audit_report_sent"]),
    "atb_status": ("atb", ["atb_cme_information", "atb_audit_reports"]),
    "mpi_status": ("mpi", ["mpi_q1_exit", "mpi_q1_entry", "mpi_q1_previous", "mpi_q2_mean", "mpi_q2_mean_previous",
                           "mpi_q3_after", "mpi_q3_entry", "mpi_q3_previous", "mpi_q4_mean", "mpi_q4_mean_before",
                           "mpi_q4_mean_previous", "mpi_team", "mpi_initial_audit", "mpi_training",
                           "mpi_trained_share", "mpi_trained_share_previous", "mpi_reviews", "mpi_reviews_share",
                           "mpi_reviews_share_previous", "mpi_yearly_audit"]),
    "pc_status": ("clinical_pharmacy", ["pc_analysis_level", "pc_conciliation_level", "pc_interview_level",
                                        "pc_beds_level1", "pc_beds_total", "pc_beds_level1_previous"]),
    "dmdmi_status": ("dm_dmi", ["dmdmi_iud_traced", "dmdmi_iud_total", "dmdmi_iud_previous"]),
    "phev_status": ("phev_plan", [f"phev_{s}_{c}" for s in ("working_group", "action_plan", "actions_done")
                                  for c in ("1", "2", "3")]),
    "rpps_status": ("rpps_finess", ["rpps_orders_identified", "rpps_orders_total", "rpps_rate_previous"]),
}


@pytest.fixture(scope="module", params=["2022", "2023"])
def caqes(request):
    return qualispec.load(ROOT / "specs" / "caqes" / request.param)


def first_establishment(**columns) -> pl.DataFrame:
    frame = pl.read_csv(ROOT / "examples" / "caqes_2022.csv", infer_schema_length=0).head(1)
    return frame.with_columns(pl.lit(v, pl.String).alias(k) for k, v in columns.items())


def test_an_had_only_establishment_not_targeted_on_mpi_leaves_the_mpi_columns_empty(caqes):
    """MPI: « Les établissements MCO et SSR » (Périmètre); an HAD-only establishment has no MPI data at all."""
    _, columns = REGIONAL["mpi_status"]
    data = first_establishment(activity_mco="false", activity_ssr="false", activity_had="true",
                               mpi_status="non_concerne", **{c: None for c in columns})
    row = caqes.evaluate(data).rows.row(0, named=True)
    assert row["mpi_status"] == "non concerné"
    assert row["mpi_result"] is None
    assert row["les_status"] == "calculé"  # still targeted on the other regional indicators


@pytest.mark.parametrize("status", sorted(REGIONAL))
def test_each_regional_indicator_may_be_not_concerned_with_its_columns_empty(caqes, status):
    indicator, columns = REGIONAL[status]
    row = caqes.evaluate(first_establishment(**{status: "non_concerne"}, **{c: None for c in columns})).rows.row(0, named=True)
    assert row[f"{indicator}_status"] == "non concerné"
    assert row[f"{indicator}_result"] is None


def test_an_empty_status_means_targeted(caqes):
    row = caqes.evaluate(first_establishment()).rows.row(0, named=True)
    for indicator, _ in REGIONAL.values():
        assert row[f"{indicator}_status"] == "calculé", indicator


def test_a_targeted_establishment_with_an_empty_mpi_column_is_refused_not_hidden(caqes):
    with pytest.raises(qualispec.DataError) as refused:
        caqes.validate(first_establishment(mpi_status="renseigne", mpi_q1_exit=None))
    assert "mpi_q1_exit est vide alors que l'établissement est concerné" in str(refused.value)


def test_a_regional_status_outside_its_values_is_refused(caqes):
    with pytest.raises(qualispec.DataError) as refused:
        caqes.validate(first_establishment(atb_status="non_applicable"))
    assert "atb_status" in str(refused.value)


UNREAD_IN_2022 = ["mpi_trained_share_previous", "mpi_reviews_share_previous", "pc_beds_level1_previous",
                  "dmdmi_iud_previous"]  # « Remontée d'information année N » : progress is asked from 2023 on


def test_last_years_values_are_not_asked_in_2022_since_no_progress_is_then_expected():
    """2022 reads MPI training and reviews, clinical pharmacy beds and the IUD rate without comparing them with the
    previous year (the year's *_progress_required parameters are false): a targeted establishment need not give
    last year's values, and the file may lack their columns."""
    caqes = qualispec.load(ROOT / "specs" / "caqes" / "2022")
    with_them = caqes.evaluate(first_establishment()).rows
    without = caqes.evaluate(first_establishment().drop(UNREAD_IN_2022)).rows
    assert without.drop([c for c in UNREAD_IN_2022 if c in without.columns]).equals(
        with_them.drop([c for c in UNREAD_IN_2022 if c in with_them.columns]))
    rows = {c.name: c for c in caqes.inputs()}
    assert all(rows[c].required_for == "none" and rows[c].may_be_absent for c in UNREAD_IN_2022)


def test_in_2023_progress_is_expected_and_last_years_values_are_required():
    caqes = qualispec.load(ROOT / "specs" / "caqes" / "2023")
    with pytest.raises(qualispec.DataError) as refused:
        caqes.validate(first_establishment(pc_beds_level1_previous=None))
    assert "pc_beds_level1_previous est vide" in str(refused.value)
