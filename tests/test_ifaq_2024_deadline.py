"""IFAQ 2024, the deadline of the oSIS entry: « Passée cette date, aucune saisie d'établissement ne pourra
être prise en compte » (guide IFAQ 2024, « Précisions sur la campagne de recueil … limite au 20/09/2024 »).

An establishment that did not enter an indicator by 20 September 2024 stays in the dataset with the status
« non_renseigne »: its numbers may be empty, its score is 0 and its economic volume stays in its group's
sum (the payouts, to the cent, are in specs/ifaq/2024/cases/date_limite.csv, run on both engines). An
establishment whose status is « renseigne » or empty must fill its numbers on its MCO, SSR, HAD and DIA
rows: an empty one is refused at its row, in the same words on both engines; a PSY row, which the 2024
indicators do not concern, asks for nothing.
"""

from __future__ import annotations

import polars as pl
import pytest

import qualispec
from conftest import EXAMPLE, IFAQ_2024, run_cli


@pytest.fixture(scope="module")
def ifaq_2024():
    return qualispec.load(IFAQ_2024)


@pytest.fixture(params=["polars", "spark"])
def on(request):
    """Evaluates a campaign on a Polars frame with the embedded engine, or on the same rows with Spark."""
    spark = request.getfixturevalue("spark_session") if request.param == "spark" else None

    def evaluate(campaign, frame):
        if spark is not None:
            frame = spark.createDataFrame(frame.to_arrow())
        return campaign.evaluate(frame, engine=request.param)
    return evaluate


def rows_of(field: str, n: int = 1, **columns) -> pl.DataFrame:
    """``n`` rows of the bundled example of one field, with some columns set (None: empty)."""
    frame = pl.read_csv(EXAMPLE, infer_schema_length=0).filter(pl.col("field") == field).head(n)
    return frame.with_columns(pl.lit(v, pl.String).alias(k) for k, v in columns.items())


def refusal(on, campaign, frame) -> str:
    with pytest.raises(qualispec.DataError) as refused:
        on(campaign, frame)
    return str(refused.value)


def test_an_empty_numerator_of_an_establishment_that_entered_is_refused_at_its_line(tmp_path):
    data = tmp_path / "ifaq2024.csv"
    frame = pl.read_csv(EXAMPLE, infer_schema_length=0)
    line = frame["field"].to_list().index("MCO")
    frame.with_columns(num1_numerator=pl.when(pl.int_range(pl.len()) == line).then(None)
                       .otherwise(pl.col("num1_numerator"))).write_csv(data)
    code, out, err = run_cli("eval", str(IFAQ_2024), "--data", str(data), "--out", str(tmp_path / "out.csv"))
    assert code != 0 and not (tmp_path / "out.csv").exists()
    assert (f"{data}:{line + 2}: num1_numerator est vide alors que l'établissement est concerné (ligne du champ "
            "MCO, num1_status vide, lu « renseigne ») : remplissez num1_numerator, ou écrivez non_renseigne dans "
            "num1_status si l'établissement ne l'a pas saisi à temps") in err


def test_both_engines_refuse_an_empty_number_while_the_status_reads_renseigne(on, ifaq_2024):
    said = refusal(on, ifaq_2024, rows_of("SSR", num2_status="renseigne", num2_denominator=None))
    assert ("num2_denominator est vide alors que l'établissement est concerné (ligne du champ SSR, num2_status = "
            "« renseigne ») : remplissez num2_denominator, ou écrivez non_renseigne dans num2_status") in said


def test_both_engines_accept_an_establishment_that_did_not_enter_and_pay_it_nothing(on, ifaq_2024):
    first = pl.int_range(pl.len()) == 0  # the first of three HAD establishments did not enter Num.1
    frame = rows_of("HAD", 3, num1_numerator="60", num1_denominator="100", num2_numerator="60", num2_denominator="100")
    frame = frame.with_columns(num1_status=pl.when(first).then(pl.lit("non_renseigne")),
                               num1_numerator=pl.when(~first).then(pl.col("num1_numerator")),
                               num1_denominator=pl.when(~first).then(pl.col("num1_denominator")))
    rows = on(ifaq_2024, frame).rows
    late = rows.row(0, named=True)
    assert late["num1_result"] is None and float(late["num1_score"]) == 0 and float(late["num1_payout"]) == 0
    assert float(late["num2_score"]) == 100 and float(late["num2_payout"]) > 0  # Num.2 was entered: paid as usual
    assert [float(r["num1_score"]) for r in rows.iter_rows(named=True)][1:] == [100, 100]


def test_a_psy_row_asks_for_nothing_on_both_engines(on, ifaq_2024):
    frame = rows_of("PSY", num1_numerator=None, num1_denominator=None, num2_numerator=None, num2_denominator=None)
    assert on(ifaq_2024, frame).rows.height == 1


def test_non_applicable_is_no_longer_a_status_in_2024(on, ifaq_2024):
    """« en 2024, il ne sera plus possible de se déclarer « non applicable » aux indicateurs numériques »."""
    said = refusal(on, ifaq_2024, rows_of("MCO", num1_status="non_applicable"))
    assert "num1_status = « non_applicable » n'est pas une valeur prévue ; valeurs possibles : renseigne, non_renseigne" in said


def test_inputs_says_on_which_rows_and_by_which_status_the_numbers_are_required():
    code, out, err = run_cli("inputs", str(IFAQ_2024))
    lines = {x.split()[0]: x for x in out.splitlines() if x.strip()}
    for ind in ("num1", "num2"):
        for part in ("numerator", "denominator"):
            assert f"si {ind}_status vaut « renseigne » ou est vide (lignes MCO, SSR, HAD, DIA)" in lines[f"{ind}_{part}"]
        assert " facultative " in lines[f"{ind}_status"]
