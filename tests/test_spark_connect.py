"""The Spark engine through Spark Connect, as a cluster user who has only a Connect address would run it.

Spark Connect is real here: pyspark starts a local Connect server (``SparkSession.builder.remote("local[2]")``,
the server jar pyspark ships) and the client talks to it over gRPC, as to a cluster's ``sc://host:15002``.
It runs in a process of its own (a Connect session cannot share the test run's classic one). The user's
table is made a Connect DataFrame, evaluated there, and its rows compared with the embedded engine's, cell
for cell. The client keeps protobuf's default runtime (upb, in C): the engine lets it read a campaign's
deep plan (spark.deep_plans_allowed). With the pure-Python runtime, as before, the client spent 245 CPU
seconds on serialising plans (23 minutes at a load of 13 on 2 cores, 789 s at a load of 8). The local
server's JVM compiles with C1 only, as the engine's own local sessions do: 92 -> 56 CPU seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import EXAMPLE, IFAQ_2024

pytest.importorskip("grpc", reason="Spark Connect needs grpcio (pyproject's test extra installs it)")
from qualispec.runtime.engines.spark import LOCAL_JAVA_OPTIONS  # noqa: E402 (the local server's JVM, as the engine's local[*])

SCRIPT = textwrap.dedent("""
    import json, sys
    import polars as pl
    from google.protobuf.internal import api_implementation
    from pyspark.sql import SparkSession
    import qualispec
    from qualispec.runtime.engines.spark import session
    spark = (SparkSession.builder.remote("local[2]").config("spark.sql.shuffle.partitions", "4")
             .config("spark.ui.showConsoleProgress", "false").config("spark.ui.enabled", "false")
             .config("spark.driver.extraJavaOptions", sys.argv[3]).getOrCreate())
    kind = type(spark).__module__
    campaign = qualispec.load(sys.argv[1])
    table = pl.read_csv(sys.argv[2], schema_overrides={"finess": pl.String})
    on_spark = campaign.evaluate(spark.createDataFrame(table.to_arrow()), engine="spark")
    same = session() is spark  # the engine uses the user's Connect session, not one of its own
    embedded = campaign.evaluate(table)
    a, b = embedded.rows, on_spark.rows.select(embedded.rows.columns)
    differ = [c for c in a.columns if a[c].cast(pl.String).to_list() != b[c].cast(pl.String).to_list()]
    print(json.dumps({"kind": kind, "protobuf": api_implementation.Type(), "same_session": same, "rows": b.height,
                      "differ": differ, "collected": on_spark._evaluation.collected}))
    spark.stop()
""")


def test_a_campaign_evaluated_through_spark_connect_gives_the_embedded_engines_cells():
    env = {k: v for k, v in os.environ.items() if k not in ("SPARK_MASTER", "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION")}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(IFAQ_2024), str(EXAMPLE), LOCAL_JAVA_OPTIONS],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said["kind"].startswith("pyspark.sql.connect")  # a Connect client, not a classic session
    assert said["protobuf"] != "python"  # in C: the client took 245 CPU s in the pure-Python one, 6 in C
    assert said["same_session"]
    assert said["rows"] > 0 and said["differ"] == []
    assert said["collected"] == {"rows": 0, "cells": 0}
