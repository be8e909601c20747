"""IFAQ 2022, the other items of the oSIS fiches D2.2I and D6.3I (webinar 2022, « Organisation des fiches
d'indicateurs dans l'oSIS »): « Période de mesure de l'indicateur – sur 1 mois calendaire » and « Nombre de
séjours total pendant la période d'observation de l'indicateur ». Optional columns: the webinar does not say
how they enter the computation (nor which month may be chosen: read as January to October 2022, the end of
the entry window). They are checked at their row, shown, and change no payout."""

from __future__ import annotations

import polars as pl
import pytest

import qualispec
from tests.conftest import ROOT, run_cli

IFAQ_2022 = ROOT / "specs" / "ifaq" / "2022"


@pytest.fixture(scope="module")
def campaign():
    return qualispec.load(IFAQ_2022)


def example(**columns) -> pl.DataFrame:
    frame = pl.read_csv(ROOT / "examples" / "ifaq2022.csv", infer_schema_length=0)
    return frame.with_columns(pl.lit(v, pl.String).alias(k) for k, v in columns.items())


def test_the_items_are_shown_and_change_no_payout(campaign):
    without = campaign.evaluate(example()).rows
    first = example()["d2_2_denominator"].cast(pl.Int64).max()
    with_items = campaign.evaluate(example(measurement_month_d2_2="2022-09", total_stays_d2_2=str(first),
                                           measurement_month_d6_3="2022-09", total_stays_d6_3="1000")).rows
    assert with_items["total_payout"].to_list() == without["total_payout"].to_list()
    assert set(with_items["d2_2_mois_de_mesure"].to_list()) == {"2022-09"}
    assert set(with_items["d6_3_sejours_de_la_periode"].to_list()) == {1000}


def test_the_dmp_denominator_is_compared_with_the_stays_of_the_month_exactly_on_and_above(campaign):
    rows = campaign.evaluate(example(total_stays_d2_2="615")).rows  # the first row's denominator is 615
    first = rows.filter(pl.col("finess") == "590000001").filter(pl.col("field") == "MCO").row(0, named=True)
    assert first["d2_2_denominateur_au_plus_sejours_de_la_periode"] is True  # 615 ≤ 615
    rows = campaign.evaluate(example(total_stays_d2_2="614")).rows
    first = rows.filter(pl.col("finess") == "590000001").filter(pl.col("field") == "MCO").row(0, named=True)
    assert first["d2_2_denominateur_au_plus_sejours_de_la_periode"] is False  # 615 séjours DMP > 614 séjours


@pytest.mark.parametrize("month", ["2022-01", "2022-10"])
def test_a_month_of_2022_up_to_october_is_accepted(campaign, month):
    assert campaign.evaluate(example(measurement_month_d2_2=month)).rows.height > 0


@pytest.mark.parametrize("month", ["2021-12", "2022-11", "2022-9", "septembre"])
def test_a_month_outside_january_to_october_2022_is_refused_at_its_row(tmp_path, month):
    data = tmp_path / "ifaq.csv"
    example().with_columns(measurement_month_d6_3=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(month))
                           .otherwise(None)).write_csv(data)
    code, out, err = run_cli("eval", str(IFAQ_2022), "--data", str(data), "--out", str(tmp_path / "out.csv"))
    assert code != 0 and not (tmp_path / "out.csv").exists()
    assert f"{data}:2: measurement_month_d6_3 = « {month} » n'est pas une valeur prévue" in err
