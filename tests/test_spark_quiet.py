"""``qualispec eval --engine spark`` says only qualispec's French messages: Spark, Java and PySpark say nothing.

Spark started for a policy author prints English lines by default (« WARNING: Using incubator modules »
from Java, « Using Spark's default log4j profile », « Setting default log level to "WARN" », « WARN
NativeCodeLoader », PySpark's « does not yet fully support pandas >= 3.0.0 »). A fresh process is the only
place to see a start (the test run's session is started once, in this process): one process, one Spark
start, two evaluations through the command line's entry point (what ``python -m qualispec`` runs) — a
refused dataset, whose French refusal must still be shown, then the bundled example. SPARK_MASTER=local[1]
also shows that, with no session of the user's, SPARK_MASTER says where qualispec starts Spark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import polars as pl

from conftest import EXAMPLE, IFAQ_2024

SCRIPT = textwrap.dedent("""
    import json, sys
    from qualispec.runtime.cli.main import main
    campaign, bad, good, out = sys.argv[1:]
    codes = [main(["eval", campaign, "--data", data, "--out", out, "--engine", "spark"]) for data in (bad, good)]
    from qualispec.runtime.engines.spark import session
    print(json.dumps({"codes": codes, "master": session().sparkContext.master}))
""")


def test_spark_says_nothing_in_english_and_our_french_refusal_still_shows(tmp_path):
    bad = tmp_path / "refuse.csv"
    table = pl.read_csv(EXAMPLE, infer_schema=False)
    table.with_columns(pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("douze")).otherwise(pl.col("num1_denominator"))
                       .alias("num1_denominator")).write_csv(bad)
    out = tmp_path / "resultats.csv"
    env = dict(os.environ, SPARK_MASTER="local[1]")
    env.pop("PYSPARK_GATEWAY_PORT", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(IFAQ_2024), str(bad), str(EXAMPLE), str(out)],
                          capture_output=True, text=True, env=env, timeout=600)
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said == {"codes": [1, 0], "master": "local[1]"}, done.stderr[-3000:]
    assert done.stderr.splitlines() == [  # the refusal, in French, and nothing else: no line of Spark's, Java's or pandas'
        f"{bad} : jeu de données refusé ; rien n'a été calculé ni écrit.",
        f"  colonne num1_denominator : attendu un nombre entier : {bad}:5 ('douze')"]
    assert pl.read_csv(out, infer_schema=False).height == pl.read_csv(EXAMPLE, infer_schema=False).height
