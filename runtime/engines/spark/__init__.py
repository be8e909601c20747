"""The Spark engine: the same engine-neutral plan (runtime/plan.py), run where the data is.

``evaluate(compiled, data, spark=None)`` takes a validated Polars frame (one row per
establishment and field; records are aggregated by Spark first, records.py) and returns
a ``SparkEvaluation`` whose rows stay a Spark DataFrame (write them with ``write`` to a
storage path) and whose per-group summary is a small Polars frame. Without a session of their own, users get one at ``SPARK_MASTER``, at
spark-submit's ``--master``, or on this machine (``local[*]``): see ``session``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

import polars as pl
from pyspark import SparkConf
from pyspark.sql import DataFrame, SparkSession

from qualispec.compiler.pipeline import Compiled
from qualispec.runtime.engines.spark import quiet
from qualispec.runtime.engines.spark.execute import ROW, execute
from qualispec.runtime.engines.spark.numbers import DoubleNumbers
from qualispec.runtime.engines.spark.output import STATUS, group_summary, output_rows
from qualispec.runtime.plan import Plan, build_plan


def session(where: str | None = None) -> SparkSession:
    """The active Spark session if the user made one; else one at ``where``.

    ``where``: ``local[*]`` (this machine, every core), ``local[2]``, a cluster's master
    URL (``spark://host:7077``, ``yarn``, ``k8s://…``), or ``sc://host:15002`` for Spark
    Connect. Without it: the ``SPARK_MASTER`` environment variable; else, under
    ``spark-submit``, the master it was given (``--master``); else ``local[*]``.
    """
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    where = where or os.environ.get("SPARK_MASTER") or (None if _under_spark_submit() else "local[*]")
    if where is not None and where.startswith("sc://"):
        deep_plans_allowed()
        with quiet.no_pyspark_warnings():
            return SparkSession.builder.remote(where).getOrCreate()
    settings = {"spark.app.name": "qualispec", "spark.ui.showConsoleProgress": "false",
                "spark.sql.session.timeZone": "UTC"}
    if where is None:  # under spark-submit: its JVM is already running, with its own options
        session = SparkSession.builder.config(map=settings).getOrCreate()
    else:
        if where.startswith("local"):  # on this machine: no web UI, few shuffle partitions, C1 only (below)
            settings.update({"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4",
                             "spark.driver.extraJavaOptions": LOCAL_JAVA_OPTIONS})
        session = _started(SparkConf().setMaster(where).setAll(list(settings.items())))
    session.sparkContext.setLogLevel("ERROR")
    return session


def _started(conf: SparkConf) -> SparkSession:
    """A session on a driver JVM started here, quiet (quiet.py): Spark's log lines and Java's startup line
    are not shown to the policy author. The log configuration is Spark's driver default option, so that
    a user's own (spark.driver.extraJavaOptions) comes after it and wins."""
    from pyspark import SparkContext

    conf.set("spark.driver.defaultJavaOptions", quiet.LOG4J_OPTION)
    with quiet.no_pyspark_warnings():
        if SparkContext._gateway is None:  # no JVM yet in this process (PySpark keeps one once started)
            SparkContext(conf=conf, gateway=quiet.gateway(conf))
        return SparkSession.builder.config(conf=conf).getOrCreate()


# A JVM started for one evaluation on this machine compiles its hot code once, quickly (C1), not a second time
# optimised (C2): Spark generates new classes for every query, and C2 spent more CPU compiling them than the
# executors spent computing (IFAQ 2024, local[2]: 20 of 39 CPU seconds at 10 000 rows). Only for the
# sessions made here; a cluster's long-lived executors keep their own settings.
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"


def deep_plans_allowed() -> None:
    """Spark Connect sends the plan as nested protobuf messages, a campaign's nested more than 100 deep, and
    protobuf's default runtime (upb) refuses to read a message that deep (« Exceeded
    upb_DecodeOptions_MaxDepth ») unless oversize messages are allowed, as here, for this process. (The
    pure-Python runtime has no such limit, but the client spent 245 CPU seconds in it for IFAQ 2024 on the
    2 000-row example, against 6 in upb.)"""
    from google.protobuf.internal import api_implementation

    if api_implementation.Type() == "upb":
        from google._upb import _message
        _message.SetAllowOversizeProtos(True)
    elif api_implementation.Type() == "cpp":
        from google.protobuf.pyext import _message
        _message.SetAllowOversizeProtos(True)


def _through_connect(*objects) -> bool:
    """A DataFrame or a session of Spark Connect's (a client of a Connect server)."""
    return any(type(o).__module__.startswith("pyspark.sql.connect") for o in objects if o is not None)


def _under_spark_submit() -> bool:
    """spark-submit starts Python with the address of the JVM it launched (and its --master)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


@dataclass(frozen=True)
class SparkEvaluation:
    plan: Plan
    frame: DataFrame  # the output contract, one row per establishment (and field), on Spark
    groups: pl.DataFrame  # the per-group summary, small
    collected: dict  # what came to the driver: "rows" recomputed there, "cells" ranked there (both 0 normally)

    @cached_property
    def rows(self) -> pl.DataFrame:
        """The rows on the driver, in the dataset's order, typed as the embedded engine types them."""
        rows = pl.from_arrow(self.frame.orderBy(ROW).drop(ROW).toArrow())
        labels = pl.Enum(list(dict.fromkeys(case.label for case in self.plan.groups))) if self.plan.groups else None
        return rows.with_columns(
            [pl.col(c).cast(STATUS) for c in rows.columns if c.endswith("_status")]
            + ([pl.col("group").cast(labels)] if labels is not None and "group" in rows.columns else []))

    def write(self, path: str, format: str | None = None) -> None:
        """Write the rows where Spark writes (a folder of Parquet or CSV parts, any storage path)."""
        kind = format or ("csv" if path.rstrip("/").lower().endswith(".csv") else "parquet")
        writer = self.frame.orderBy(ROW).drop(ROW).write.mode("overwrite")
        if kind == "csv":
            writer.option("header", True).csv(path)
        else:
            writer.parquet(path)


def read_and_validate(compiled: Compiled, path_or_frame, spark: SparkSession | None = None, dialect=None,
                      notes: list[str] | None = None) -> DataFrame:
    """A Spark DataFrame, or a Parquet/CSV path Spark reads (any storage path), validated on Spark.
    ``dialect``: how a CSV is written (guessed when None); ``notes``: where guesses and warnings are said."""
    from qualispec.runtime.engines.spark.dataset import read, validate

    if _through_connect(path_or_frame, spark):
        deep_plans_allowed()
    if isinstance(path_or_frame, DataFrame):
        return validate(path_or_frame, compiled.campaign, "DataFrame Spark", notes)
    from qualispec.runtime.data.contract import contract_rows
    from qualispec.runtime.data.reading import header_renames, said_renames

    path = str(path_or_frame)
    table = read(spark or session(), path, dialect, notes)
    renames = header_renames(table.columns, {c.name for c in contract_rows(compiled.campaign)})  # « FINESS »
    if notes is not None:
        notes.extend(said_renames(renames, path))
    return validate(table.withColumnsRenamed(renames) if renames else table, compiled.campaign, path, notes)


def to_polars(validated: DataFrame) -> pl.DataFrame:
    """A dataset validated on Spark brought to this machine, in its order (one row per establishment and field)."""
    return pl.from_arrow(validated.orderBy(ROW).drop(ROW).toArrow())


def to_spark(data: pl.DataFrame, spark: SparkSession) -> DataFrame:
    """The validated dataset on Spark, each row numbered as in the dataset (``__row`` = 0, 1, …).

    Checkpointed: a frame made from local data is a local relation, which Spark's optimizer
    evaluates itself, row by row on the driver, through every projection it can reach (16 s
    of planning for 10 000 rows, 100 s for 100 000)."""
    return spark.createDataFrame(data.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
                                 .to_arrow(compat_level=pl.CompatLevel.oldest())).localCheckpoint()


def evaluate(compiled: Compiled, data, spark: SparkSession | None = None) -> SparkEvaluation:
    """``data``: a validated Polars frame (sent to Spark), or a Spark DataFrame validated on Spark
    (dataset.validate: it stays there, and its session is the one used)."""
    if _through_connect(data, spark):
        deep_plans_allowed()
    plan = build_plan(compiled)
    numbers = DoubleNumbers()
    collected = {"rows": 0, "cells": 0}
    if isinstance(data, DataFrame):
        frame = data

        def inputs() -> pl.DataFrame:  # the establishment table, only if some decision has no exact form
            return to_polars(data)
    else:
        frame, inputs = to_spark(data, spark or session()), data
    values = execute(plan, frame, None, numbers, inputs=inputs, collected=collected)
    rows = output_rows(plan, compiled, values, numbers)
    return SparkEvaluation(plan, rows, group_summary(plan, values, rows), collected)
