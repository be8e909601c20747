"""The two engines give the same results, cell for cell, on every scheme's example dataset.

Spark runs for real (a local session on two cores, shared by the whole run); each
campaign's example is evaluated by the embedded Polars engine and by Spark, and every
cell of the result table and of the per-group summary must be equal.
"""

from __future__ import annotations

import polars as pl
import pytest

from conftest import EXAMPLE, IFAQ_2024, Engine, compile_folder, run_cli
from qualispec.runtime.cases import case_files
from qualispec.runtime.data import example_data
from qualispec.runtime.data.contract import contract_rows
from qualispec.runtime.data.dataset import _Where, load_dataset, validate
from qualispec.runtime.data.output import write_table
from test_specs_schemes import CAMPAIGNS, EXAMPLES, ROOT, compiled

EXAMPLE_DATA = [(name, ROOT / "examples" / EXAMPLES[name]) for name in CAMPAIGNS] + [("ifaq_2024", EXAMPLE)]


def both_engines(compiled_campaign, frame, spark_session):
    on_polars = Engine("polars").evaluate(compiled_campaign, frame)
    on_spark = Engine("spark", spark_session).evaluate(compiled_campaign, frame)
    return on_polars, on_spark


def assert_same_cells(expected: pl.DataFrame, got: pl.DataFrame) -> None:
    assert got.columns == expected.columns
    assert got.height == expected.height
    for column in expected.columns:
        want, have = expected[column].to_list(), got[column].to_list()
        differ = [(i, w, h) for i, (w, h) in enumerate(zip(want, have)) if w != h]
        assert not differ, f"{column}: {len(differ)} cells differ, first (row, polars, spark): {differ[:3]}"


@pytest.mark.parametrize("name, path", EXAMPLE_DATA, ids=[n for n, _ in EXAMPLE_DATA])
def test_every_scheme_gives_the_same_cells_on_both_engines(spark_session, name, path):
    c = compile_folder(IFAQ_2024)[0] if name == "ifaq_2024" else compiled(name)[0]
    polars_result, spark_result = both_engines(c, load_dataset(path, c.campaign), spark_session)
    assert_same_cells(polars_result.rows, spark_result.rows)
    assert_same_cells(polars_result.groups, spark_result.groups.select(polars_result.groups.columns)
                      .cast(dict(polars_result.groups.schema)))


def test_a_larger_population_gives_the_same_cents_on_both_engines(spark_session, tmp_path):
    c = compile_folder(IFAQ_2024)[0]
    path = example_data.write(example_data.generate(6000, 42), tmp_path / "big.parquet")
    polars_result, spark_result = both_engines(c, load_dataset(path, c.campaign), spark_session)
    assert_same_cells(polars_result.rows, spark_result.rows)


def test_eval_on_spark_from_the_command_line_writes_the_same_file(spark_session, tmp_path):
    outputs = {}
    for engine in ("polars", "spark"):
        out = tmp_path / f"{engine}.csv"
        code, _, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", out, "--engine", engine, "--quiet")
        assert code == 0, err
        outputs[engine] = out.read_text(encoding="utf-8")
    assert outputs["spark"] == outputs["polars"]


def test_spark_writes_parquet_where_the_user_asks(spark_session, tmp_path):
    """A cluster user writes to a storage path: Spark writes a folder of Parquet parts there."""
    c = compile_folder(IFAQ_2024)[0]
    frame = load_dataset(EXAMPLE, c.campaign)
    evaluation = Engine("spark", spark_session).evaluate(c, frame)
    target = tmp_path / "results.parquet"
    evaluation.write(str(target))
    written = pl.read_parquet(target / "*.parquet")
    assert written.height == evaluation.rows.height
    assert sorted(written["finess"].to_list()) == sorted(evaluation.rows["finess"].to_list())


# ------------------------------------------------------------------ the authors' cases, on both engines
CASE_FILES = [(name, path) for name in ("caqes_2017", "caqes_2022", "caqes_2023")
              for path in case_files(CAMPAIGNS[name])] + [("ifaq_2024", path) for path in case_files(IFAQ_2024)]


def written(engine: Engine, c, frame, out) -> bytes:
    """The CSV file the engine's results are written to, as bytes."""
    write_table(engine.evaluate(c, frame).rows, out)
    return out.read_bytes()


@pytest.mark.parametrize("name, path", CASE_FILES, ids=[f"{n}-{p.stem}" for n, p in CASE_FILES])
def test_every_case_row_is_written_byte_for_byte_alike_on_both_engines(spark_session, tmp_path, name, path):
    """All the rows of a case file as one population (one FINESS each): the rows authors wrote on the
    boundaries (a rate exactly on its threshold, an amount exactly on its cap), which each engine must
    decide exactly — Spark recomputes its doubtful rows as the embedded engine does."""
    c = compile_folder(IFAQ_2024)[0] if name == "ifaq_2024" else compiled(name)[0]
    table = pl.read_csv(path, infer_schema=False)
    columns = [r.name for r in contract_rows(c.campaign)]
    raw = table.select([pl.col(k) if k in table.columns else pl.lit(None, dtype=pl.String).alias(k) for k in columns])
    raw = raw.with_columns(pl.Series("finess", [f"{i:09d}" for i in range(1, raw.height + 1)]))
    frame = validate(raw, c.campaign, _Where(str(path), True))
    polars_bytes = written(Engine("polars"), c, frame, tmp_path / "polars.csv")
    assert written(Engine("spark", spark_session), c, frame, tmp_path / "spark.csv") == polars_bytes


def test_qualispec_test_runs_the_cases_on_spark(spark_session):
    """Each case on its own population, on Spark, gives the outcomes the authors expect (CAQES 2023)."""
    code, out, err = run_cli("test", CAMPAIGNS["caqes_2023"], "--engine", "spark", "--quiet")
    assert code == 0, out + err
    assert "13 cas réussis, 0 en échec" in out
