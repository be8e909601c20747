"""CAQES 2017, contrat socle: « Les indicateurs peuvent être assortis de coefficients […] les coefficients
peuvent être fixés à 0% s'ils ne sont pas applicables à l'établissement ». The instruction gives no value and
no formula: each national indicator shows the coefficient of the contract's grid, 100 % when the grid sets
none — a working value marked as an assumption, never an official one."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

import qualispec
from tests.conftest import ROOT

CAQES_2017 = ROOT / "specs" / "caqes" / "2017"


def test_the_default_coefficient_is_a_marked_assumption():
    campaign = qualispec.load(CAQES_2017)
    parameter = campaign.compiled.campaign.parameters["base_indicator_coefficient"]
    assert "valeur de travail, non officielle" in parameter.assumption


def test_a_coefficient_of_the_grid_is_shown_and_the_default_applies_without_one():
    frame = pl.read_csv(ROOT / "examples" / "caqes_2017.csv", infer_schema_length=0).head(2)
    frame = frame.with_columns(coefficient_lap_units=pl.Series(["0", None], dtype=pl.String))
    rows = qualispec.load(CAQES_2017).evaluate(frame).rows
    assert rows["lap_units_coefficient"].to_list() == [Decimal("0.000000"), Decimal("100.000000")]
    assert rows["lap_beds_coefficient"].to_list() == [Decimal("100.000000")] * 2
