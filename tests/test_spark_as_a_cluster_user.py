"""The Spark engine used as a cluster user uses it: their own session, their DataFrame, storage paths.

A cluster user has a SparkSession already (the shared local[2] session of the test run plays
that part), reads the establishments' table as a Spark DataFrame or gives a storage path, and
writes the results back to storage. The data is validated on Spark like a file (a wrong type,
a value outside a declared list: refused in French, naming the column and the row's key), and
the rows computed are those of the embedded engine, cell for cell.
"""

from __future__ import annotations

import polars as pl
import pytest

import qualispec
from conftest import EXAMPLE, IFAQ_2024, ROOT
from qualispec.runtime.data.dataset import DataError
from test_engines import assert_same_cells

IFAQ_2022 = ROOT / "specs" / "ifaq" / "2022"
EXAMPLE_2022 = ROOT / "examples" / "ifaq2022.csv"


def spark_frame(spark, frame: pl.DataFrame):
    return spark.createDataFrame(frame.to_arrow())


def as_read_by_the_user(path) -> pl.DataFrame:
    """The example as a user's typed table: counts as integers, money and rates as floating point."""
    return pl.read_csv(path, schema_overrides={"finess": pl.String})


def test_a_spark_dataframe_gives_the_rows_of_the_embedded_engine_and_stays_on_spark(spark_session, monkeypatch):
    import qualispec.runtime.engines.spark as spark_engine

    def no_fetch(_):
        raise AssertionError("the establishment table came to the driver")
    monkeypatch.setattr(spark_engine, "to_polars", no_fetch)  # the group amounts are shared on Spark
    campaign = qualispec.load(IFAQ_2024)
    table = as_read_by_the_user(EXAMPLE)
    on_spark = campaign.evaluate(spark_frame(spark_session, table), engine="spark")
    assert on_spark.spark_rows.sparkSession is spark_session  # computed where the DataFrame is
    assert on_spark._evaluation.collected == {"rows": 0, "cells": 0}  # nothing recomputed on the driver
    embedded = campaign.evaluate(table)
    assert_same_cells(embedded.rows, on_spark.rows)


def test_the_users_session_is_used_even_when_spark_master_says_otherwise(spark_session, monkeypatch):
    """SPARK_MASTER names a cluster that does not exist: a new session there would fail to start."""
    monkeypatch.setenv("SPARK_MASTER", "spark://nowhere.invalid:7077")
    campaign = qualispec.load(IFAQ_2024)
    result = campaign.evaluate(EXAMPLE, engine="spark")  # no session given: the active one, the user's
    assert result.spark_rows.sparkSession is spark_session
    assert result.rows.height == pl.read_csv(EXAMPLE).height


def test_parquet_and_csv_storage_paths_are_read_and_written_by_spark(spark_session, tmp_path):
    campaign = qualispec.load(IFAQ_2024)
    parquet = tmp_path / "etablissements.parquet"
    spark_frame(spark_session, as_read_by_the_user(EXAMPLE)).write.parquet(str(parquet))  # a folder of parts
    expected = campaign.evaluate(EXAMPLE).rows
    for source in (f"file://{parquet}", f"file://{EXAMPLE}"):
        result = campaign.evaluate(source, engine="spark")
        assert result._dataset.on_spark, source
        assert_same_cells(expected, result.rows)
    target = tmp_path / "resultats"
    result.write(f"file://{target}")
    written = pl.read_parquet(target / "*.parquet")
    assert sorted(written["finess"].to_list()) == sorted(expected["finess"].to_list())
    assert written["total_payout"].cast(pl.Float64).sum() == pytest.approx(expected["total_payout"].cast(pl.Float64).sum())


def refusal(campaign, frame) -> str:
    with pytest.raises(DataError) as refused:
        campaign.evaluate(frame, engine="spark")
    return str(refused.value)


def test_a_column_of_the_wrong_type_is_refused_by_its_name(spark_session):
    campaign = qualispec.load(IFAQ_2024)
    table = as_read_by_the_user(EXAMPLE).with_columns(pl.col("num1_numerator") > 10)  # true/false, not a count
    said = refusal(campaign, spark_frame(spark_session, table))
    assert "colonne num1_numerator : de type boolean, attendu un nombre entier" in said


def test_a_value_outside_the_declared_list_is_refused_at_its_row(spark_session):
    campaign = qualispec.load(IFAQ_2022)
    table = pl.read_csv(EXAMPLE_2022, infer_schema=False)
    table = table.with_columns(pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("peut-etre"))
                               .otherwise(pl.col("d2_2_status")).alias("d2_2_status"))
    finess, field = table["finess"][2], table["field"][2]
    said = refusal(campaign, spark_frame(spark_session, table))
    assert (f"ligne (finess {finess}, champ {field}) : d2_2_status = « peut-etre » n'est pas une valeur prévue ; "
            "valeurs possibles : renseigne, non_applicable") in said


def test_text_that_is_not_a_number_an_unknown_field_and_a_duplicate_are_refused(spark_session):
    campaign = qualispec.load(IFAQ_2024)
    table = pl.read_csv(EXAMPLE, infer_schema=False)
    first = table.row(0, named=True)
    table = table.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("douze"))
                               .otherwise(pl.col("num1_denominator")).alias("num1_denominator"))
    said = refusal(campaign, spark_frame(spark_session, table))
    assert (f"ligne (finess {first['finess']}, champ {first['field']}) : num1_denominator = « douze » : "
            "attendu un nombre entier") in said
    unknown = pl.read_csv(EXAMPLE, infer_schema=False).with_columns(
        pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("XYZ")).otherwise(pl.col("field")).alias("field"))
    assert "champ « XYZ » inconnu ; champs possibles : MCO" in refusal(campaign, spark_frame(spark_session, unknown))
    twice = pl.read_csv(EXAMPLE, infer_schema=False)
    twice = pl.concat([twice, twice.head(1)])
    said = refusal(campaign, spark_frame(spark_session, twice))
    assert f"(finess, champ) en double : ({first['finess']}, {first['field']}) sur 2 lignes" in said


def test_eval_reads_and_writes_storage_paths_through_spark(spark_session, tmp_path):
    from conftest import run_cli

    parquet = tmp_path / "etablissements.parquet"
    spark_frame(spark_session, as_read_by_the_user(EXAMPLE)).write.parquet(str(parquet))
    code, _, err = run_cli("eval", IFAQ_2024, "--data", f"file://{parquet}", "--out", f"file://{tmp_path / 'out'}",
                           "--engine", "spark", "--quiet")
    assert code == 0, err
    written = pl.read_parquet(tmp_path / "out" / "*.parquet")
    expected = qualispec.load(IFAQ_2024).evaluate(EXAMPLE).rows
    assert sorted(written["finess"].to_list()) == sorted(expected["finess"].to_list())
    assert written["total_payout"].sum() == expected["total_payout"].sum()


def test_a_percentage_is_bounded_on_spark_as_on_the_embedded_engine_unless_declared_signed(spark_session):
    """CAQES 2017: a contract's target growth may be −12,5 % (`signed: true`); the D3.1 rate may not be −5 %."""
    campaign = qualispec.load(ROOT / "specs" / "caqes" / "2017")
    table = pl.read_csv(ROOT / "examples" / "caqes_2017.csv", infer_schema=False).slice(0, 1)
    signed = table.with_columns(transport_target_growth=pl.lit("-12.5"), transport_spending_previous=pl.lit("1"))
    assert campaign.evaluate(spark_frame(spark_session, signed), engine="spark").rows.height == 1
    said = refusal(campaign, spark_frame(spark_session, table.with_columns(d31_rate=pl.lit("-5"))))
    assert f"ligne (finess {table['finess'][0]}) : d31_rate = -5 est hors de 0–100" in said and "signed: true" in said


def test_a_bad_row_is_refused_in_the_same_words_on_both_engines(spark_session):
    """One description of the rules (a FINESS of 8 characters, an unknown field, a numerator above its
    denominator): each engine says where the row is in its own way, and what is wrong in the same words."""
    import re

    campaign = qualispec.load(IFAQ_2024)
    table = as_read_by_the_user(EXAMPLE).with_row_index("#")
    bad = table.with_columns(
        finess=pl.when(pl.col("#") == 0).then(pl.lit("59000001")).otherwise(pl.col("finess")),
        field=pl.when(pl.col("#") == 1).then(pl.lit("XYZ")).otherwise(pl.col("field")),
        num1_numerator=pl.when(pl.col("#") == 2).then(pl.col("num1_denominator") + 1).otherwise(pl.col("num1_numerator")),
    ).drop("#")
    with pytest.raises(DataError) as embedded:
        campaign.validate(bad)
    on_spark = refusal(campaign, spark_frame(spark_session, bad))
    said_embedded = {re.sub(r"^tableau: ligne \d+: ", "", p) for p in embedded.value.problems}
    said_on_spark = {re.sub(r"^ligne \([^)]*\) : ", "", p.strip()) for p in on_spark.splitlines()[1:]
                     if not p.strip().startswith("corrigez")}
    assert said_on_spark == said_embedded
    assert any("a 8 caractères, un FINESS en a 9" in s for s in said_embedded)
    assert any(s.startswith("champ « XYZ » inconnu") for s in said_embedded)
    assert any("num1_numerator" in s and "dépasse num1_denominator" in s for s in said_embedded)


def test_a_french_excel_csv_on_storage_is_read_by_spark_with_its_dialect_guessed_and_said(spark_session, tmp_path):
    """« ; », decimal comma and Windows-1252, as French Excel saves it, read where it is stored."""
    from conftest import run_cli
    from test_data_as_people_have_it import _french_excel_csv

    data = _french_excel_csv(tmp_path / "export_excel.csv")
    out = tmp_path / "r.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", f"file://{data}", "--out", out, "--engine", "spark")
    assert code == 0, err
    assert "séparateur « ; »" in err and "virgule décimale" in err and "Windows-1252" in err and "--encoding" in err
    reference = tmp_path / "reference.csv"
    assert run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", reference, "-q")[0] == 0  # embedded, from the UTF-8 file
    assert pl.read_csv(out, infer_schema=False).equals(pl.read_csv(reference, infer_schema=False))


def test_percentages_given_as_fractions_are_warned_about_on_spark(spark_session, tmp_path):
    from conftest import run_cli

    frame = pl.read_csv(EXAMPLE, infer_schema=False)
    data = tmp_path / "fractions.csv"
    frame.with_columns((pl.col("num1_previous").cast(pl.Float64) / 100).cast(pl.String)).write_csv(data)
    code, _, err = run_cli("eval", IFAQ_2024, "--data", f"file://{data}", "--engine", "spark")
    assert code == 0, err
    assert "la colonne num1_previous est en pourcentage (0 à 100)" in err and "multipliez-les par 100" in err
    code, _, err = run_cli("eval", IFAQ_2024, "--data", f"file://{EXAMPLE}", "--engine", "spark")
    assert code == 0, err
    assert "multipliez" not in err  # the real percentages are not warned about


def test_windows_1252_letters_are_read_back_on_spark_where_its_reader_lacks_that_charset(spark_session, tmp_path):
    """Spark reads Latin-1, not Windows-1252: « œ », « – » and « € » (bytes 0x9C, 0x96, 0x80) are put back."""
    from qualispec.runtime.engines.spark.dataset import read

    path = tmp_path / "commentaires.csv"
    path.write_bytes("finess;commentaire\r\n590000001;Hôpital du cœur – 5 € par séjour\r\n".encode("cp1252"))
    notes = []
    table = read(spark_session, f"file://{path}", notes=notes)
    assert table.collect()[0]["commentaire"] == "Hôpital du cœur – 5 € par séjour"
    assert "Windows-1252" in notes[0]


def test_a_percentage_written_with_many_decimals_is_computed_on_spark_as_on_the_embedded_engine(spark_session):
    """0,818199999999999 written out by a spreadsheet: its 18 decimals, as a ratio 20, once made Spark fail
    (its literals stop at 2⁶³); now each value is exact on both engines."""
    campaign = qualispec.load(IFAQ_2024)
    table = pl.read_csv(EXAMPLE, infer_schema=False).with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("81.819999999999999999")).otherwise(pl.col("num1_previous"))
        .alias("num1_previous"))
    assert_same_cells(campaign.evaluate(table).rows,
                      campaign.evaluate(spark_frame(spark_session, table), engine="spark").rows)


def test_a_storage_path_spark_cannot_read_or_a_column_named_twice_is_refused_in_words(spark_session, tmp_path):
    from conftest import run_cli

    code, _, err = run_cli("eval", IFAQ_2024, "--data", f"file://{tmp_path}/absent.parquet", "--engine", "spark")
    assert code == 1 and "illisible par Spark" in err and "Traceback" not in err
    twice = tmp_path / "deux_fois.csv"
    text = EXAMPLE.read_text(encoding="utf-8").splitlines()
    twice.write_text("\n".join([text[0] + ",field"] + [line + ",MCO" for line in text[1:]]) + "\n", encoding="utf-8")
    code, _, err = run_cli("eval", IFAQ_2024, "--data", f"file://{twice}", "--engine", "spark")
    assert code == 1 and "la colonne « field » apparaît deux fois dans l'en-tête (colonnes 2 et" in err
    assert "Traceback" not in err
