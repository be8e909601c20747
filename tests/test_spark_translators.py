"""Each evaluation on Spark builds its own Columns: two translators never share one.

A Column is built once per translator (each costs a call to Spark's JVM on a classic session):
its literals, its exact forms' integers, its column references and field tests. Those caches
belong to the translator, never to a module, so that two campaigns evaluated one after the other
(or at once, or on two sessions) cannot read each other's Columns. Each result must still be the
embedded engine's, cell for cell.
"""

from __future__ import annotations

import importlib
import pkgutil
from fractions import Fraction

from pyspark.sql import Column

from conftest import EXAMPLE, IFAQ_2024, compile_folder
from qualispec.runtime.data.dataset import load_dataset
from qualispec.runtime.engines import spark as spark_package
from qualispec.runtime.engines.spark.numbers import DoubleNumbers
from qualispec.runtime.engines.spark.translate import Translator
from qualispec.runtime.plan import build_plan
from test_engines import assert_same_cells, both_engines
from test_specs_schemes import ROOT, compiled

CAQES_2022_EXAMPLE = ROOT / "examples" / "caqes_2022.csv"


def spark_modules():
    return [importlib.import_module(f"{spark_package.__name__}.{m.name}")
            for m in pkgutil.iter_modules(spark_package.__path__)]


def module_level_columns() -> list[str]:
    """Module globals of the Spark engine that hold Columns: dicts of Columns, or filled caches of functions."""
    held = []
    for module in spark_modules():
        for name, value in vars(module).items():
            if isinstance(value, dict) and any(isinstance(v, Column) for v in value.values()):
                held.append(f"{module.__name__}.{name}")
            if callable(value) and hasattr(value, "cache_info") and value.cache_info().currsize:
                held.append(f"{module.__name__}.{name}")
    return held


def test_two_translators_build_their_own_columns_and_each_reuses_its_own(spark_session):
    plan = build_plan(compile_folder(IFAQ_2024)[0])
    first, second = Translator(plan, DoubleNumbers()), Translator(plan, DoubleNumbers())
    third_of_first, third_of_second = first.rationals.constant(Fraction(1, 3)), second.rationals.constant(Fraction(1, 3))
    assert third_of_first.num is not third_of_second.num and third_of_first.den is not third_of_second.den
    assert first.col("field") is not second.col("field")
    assert first.in_fields(("MCO",)) is not second.in_fields(("MCO",))
    # within one translator, each is built once
    assert first.rationals.constant(Fraction(1, 3)) is third_of_first
    assert first.col("field") is first.col("field")
    assert first.in_fields(("MCO",)) is first.in_fields(("MCO",))


def test_two_campaigns_evaluated_in_turn_give_the_embedded_engines_cells_and_leave_no_column_behind(spark_session):
    ifaq = compile_folder(IFAQ_2024)[0]
    caqes = compiled("caqes_2022")[0]
    ifaq_data, caqes_data = load_dataset(EXAMPLE, ifaq.campaign), load_dataset(CAQES_2022_EXAMPLE, caqes.campaign)
    # IFAQ, then CAQES, then IFAQ again from a second compilation: each the embedded engine's, to the cent
    for compiled_campaign, data in ((ifaq, ifaq_data), (caqes, caqes_data), (compile_folder(IFAQ_2024)[0], ifaq_data)):
        on_polars, on_spark = both_engines(compiled_campaign, data, spark_session)
        assert_same_cells(on_polars.rows, on_spark.rows)
        assert module_level_columns() == []
