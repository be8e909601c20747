"""CAQES and CPOM from their records: IPP dispensings, PMSI stays, on both engines.

The CAQES 2022 IPP indicator reads boxes prescribed in 2019 and spending reimbursed in the
evaluated and the previous year; the CPOM performance and ambulatory-surgery indicators read
days and stays. Given the records those figures count (dispensings, stays, with a few that
must not count: another year, CMD 14 and 15, outside the negotiated scope), each campaign
gives the results of the establishment table the records add up to, on both engines.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from conftest import ROOT, compile_folder
from qualispec.runtime.data.dataset import load_dataset
from qualispec.runtime.data.records import load_with_records

CAQES_2022 = ROOT / "specs" / "caqes" / "2022"
CPOM = ROOT / "specs" / "ars-cpom"
IPP = ("ipp_boxes_2019", "ipp_spending", "ipp_spending_previous")
STAYS = ("occupancy_stay_days", "dms_stay_days", "dms_stays", "ca_stays", "surgery_stays_total")


def dispensings(table: pl.DataFrame) -> pl.DataFrame:
    """Per establishment: its 2019 boxes in two dispensings, each year's spending in three, and a
    dispensing of another year (2020: neither evaluated nor previous) that counts nowhere."""
    rows = []
    for r in table.iter_rows(named=True):
        boxes, now, before = int(r["ipp_boxes_2019"]), Decimal(r["ipp_spending"]), Decimal(r["ipp_spending_previous"])
        rows += [(r["finess"], boxes // 2, Decimal("12.30"), True, False, False),
                 (r["finess"], boxes - boxes // 2, Decimal("7.05"), True, False, False)]
        for amount, evaluated in ((now, True), (before, False)):
            third = (amount / 3).quantize(Decimal("0.01"))
            for part in (third, third, amount - 2 * third):
                rows.append((r["finess"], 3, part, False, evaluated, not evaluated))
        rows.append((r["finess"], 999, Decimal("1000.00"), False, False, False))
    return pl.DataFrame(rows, orient="row", schema={
        "finess": pl.String, "boxes": pl.Int64, "reimbursed": pl.Decimal(38, 2), "in_2019": pl.Boolean,
        "in_evaluated_year": pl.Boolean, "in_previous_year": pl.Boolean})


def stays(table: pl.DataFrame) -> pl.DataFrame:
    """Per establishment: the DMS stays (their days add up), one stay carrying the occupancy days,
    ambulatory (0 day) and other surgery stays, and surgery stays of CMD 14 and 15 that count nowhere."""
    rows = []
    for r in table.iter_rows(named=True):
        n, days = int(r["dms_stays"]), int(r["dms_stay_days"])
        for i in range(n):
            rows.append((r["finess"], days // n + (1 if i < days % n else 0), False, True, False, "05"))
        rows.append((r["finess"], int(r["occupancy_stay_days"]), True, False, False, "05"))
        ambulatory, surgery = int(r["ca_stays"]), int(r["surgery_stays_total"])
        rows += [(r["finess"], 0, False, False, True, "08")] * ambulatory
        rows += [(r["finess"], 2, False, False, True, "08")] * (surgery - ambulatory)
        rows += [(r["finess"], 0, False, False, True, "14"), (r["finess"], 0, False, False, True, "15")]
    return pl.DataFrame(rows, orient="row", schema={
        "finess": pl.String, "days": pl.Int64, "occupancy_scope": pl.Boolean, "dms_scope": pl.Boolean,
        "surgery": pl.Boolean, "cmd": pl.String})


def from_records_and_from_the_table(engine, folder, full: pl.DataFrame, computed, table: str, records, tmp_path):
    c, _ = compile_folder(folder)
    full.write_csv(tmp_path / "full.csv")
    full.drop(computed).write_csv(tmp_path / "etab.csv")
    records.write_parquet(tmp_path / f"{table}.parquet")
    expected = engine.evaluate(c, load_dataset(tmp_path / "full.csv", c.campaign)).rows
    got = engine.evaluate(c, load_with_records(tmp_path / "etab.csv", c.campaign,
                                               {table: tmp_path / f"{table}.parquet"})).rows
    return expected, got


def test_caqes_ipp_boxes_and_spending_from_the_dispensings(engine, tmp_path):
    full = pl.read_csv(ROOT / "examples" / "caqes_2022.csv", infer_schema=False)
    expected, got = from_records_and_from_the_table(engine, CAQES_2022, full, IPP, "ipp_dispensings",
                                                    dispensings(full), tmp_path)
    assert got.equals(expected)
    assert got["ipp_payout"].cast(pl.Float64).sum() > 0, "the IPP indicator pays someone: the test means something"


def test_cpom_days_and_stays_from_the_pmsi_stays(engine, tmp_path):
    full = pl.read_csv(ROOT / "examples" / "ars_cpom.csv", infer_schema=False)
    small = full.with_columns(pl.col(c).cast(pl.Int64) // 50 for c in STAYS)  # a few thousand stays each
    expected, got = from_records_and_from_the_table(engine, CPOM, small, STAYS, "stays", stays(small), tmp_path)
    assert got.equals(expected)
    assert got["ambulatory_surgery_rate_result"].is_not_null().all()


def test_spark_counts_the_cpom_stays_as_the_embedded_path_does(spark_session, tmp_path):
    from qualispec.runtime.data.records import aggregate
    from qualispec.runtime.engines.spark.records import aggregate as spark_aggregate

    c, _ = compile_folder(CPOM)
    full = pl.read_csv(ROOT / "examples" / "ars_cpom.csv", infer_schema=False)
    small = full.with_columns(pl.col(c).cast(pl.Int64) // 50 for c in STAYS)
    stays(small).write_parquet(tmp_path / "stays.parquet")
    on_polars = aggregate(c.campaign, {"stays": tmp_path / "stays.parquet"}).sort("finess")
    on_spark = spark_aggregate(c.campaign, {"stays": str(tmp_path / "stays.parquet")}, spark_session).sort("finess")
    assert on_spark.select(on_polars.columns).equals(on_polars)
    assert on_polars.select(STAYS).equals(small.sort("finess").select(STAYS))
