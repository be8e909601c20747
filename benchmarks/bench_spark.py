"""The Spark engine in local[2] beside the embedded engine and hand-written baselines, in one run.

    python benchmarks/bench_spark.py                                  # 10k 100k 1M rows, 1M 10M stays
    python benchmarks/bench_spark.py --rows 10k 100k --stays 1M 10M

Printed, from fresh processes (each its own peak memory; Spark's JVM started before the clock):

1. evaluation of the establishment table (IFAQ 2024, the same Parquet file, validated first):
   qualispec on Polars and on Spark local[2], the Spark/Polars ratio, and end to end (read,
   validate, compute, write a CSV) against the hand-written Polars pipeline
   (benchmarks/baselines.py: read + compute + write);
2. aggregation of record tables (closed stays): qualispec on Polars, on Spark, and the
   hand-written Polars group-by;
3. for each, Spark's growth: seconds per million rows at each size, and a least-squares line
   t = a + b·rows (a: what any job costs, b: seconds per million rows), for a cluster user to
   extrapolate from (b divided by the cores they have, roughly).

Spark's JVM compiles once, quickly (``-XX:TieredStopAtLevel=1``, the option the engine gives the local
sessions it makes: spark.LOCAL_JAVA_OPTIONS), as ``qualispec eval --engine spark`` runs on one machine.

The machine's load average is printed at the start and the end: wall-clock figures are only
comparable between runs at a similar load. The evaluation's CPU seconds (the Python process
and Spark's JVM, both cores) are printed beside them: on a shared machine they are what the
computation itself cost, and its growth is fitted on them too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ROWS = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def one(script: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, str(HERE / script), "--one", *args], capture_output=True, text=True,
                          env=spark_env())
    if done.returncode != 0:
        raise SystemExit(f"{script} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def spark_env() -> dict:
    """The benchmarks make their own local[2] session (the driver's memory is set before its JVM starts): its
    JVM is given the options the engine's own local sessions have (spark.LOCAL_JAVA_OPTIONS: compiled once,
    quickly), as a user's ``qualispec eval --engine spark`` has them."""
    from qualispec.runtime.engines.spark import LOCAL_JAVA_OPTIONS

    return {**os.environ, "PYSPARK_SUBMIT_ARGS": f"--driver-java-options {LOCAL_JAVA_OPTIONS} pyspark-shell"}


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least squares t = a + b·n (b per row)."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    b = sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0
    return mean_y - b * mean_x, b


def growth(title: str, points: list[tuple[int, float]]) -> None:
    print(f"  {title}: " + ", ".join(f"{n:,} rows {t:.2f} s ({t / n * 1e6:.2f} s per million)" for n, t in points))
    if len(points) >= 2:
        a, b = fit(points)
        print(f"  fit: t ≈ {a:.2f} s + {b * 1e6:.2f} s per million rows")


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", nargs="*", default=["10k", "100k", "1M"], help="establishment rows")
    parser.add_argument("--stays", nargs="*", default=["1M", "10M"], help="stays (records)")
    args = parser.parse_args()
    from bench_data import dataset_path
    from bench_records import stays_file

    print(f"start: {load()}")
    print("\n1. Evaluation of the establishment table (IFAQ 2024), seconds")
    print(f"{'rows':>6} {'qualispec/Polars':>17} {'qualispec/Spark':>16} {'Spark/Polars':>13} "
          f"{'e2e qualispec':>14} {'e2e Spark':>10} {'e2e hand-written':>17} {'e2e ratio':>10} {'to driver':>10} "
          f"{'CPU Polars':>11} {'CPU Spark':>10} {'CPU ratio':>10}")
    spark_points, spark_cpu = [], []
    for size in args.rows:
        path = str(dataset_path(size))
        polars, spark, baseline = (one("bench_eval.py", impl, path, "--repeat", "1")
                                   for impl in ("qualispec", "spark", "polars"))
        totals = {polars["total_payout"], spark["total_payout"], baseline["total_payout"]}
        p, s, h = polars["timings"], spark["timings"], baseline["timings"]
        print(f"{size:>6} {p['compute']:17.2f} {s['compute']:16.2f} {s['compute'] / p['compute']:12.1f}x "
              f"{p['end_to_end']:14.2f} {s['end_to_end']:10.2f} {h['end_to_end']:17.2f} "
              f"{p['end_to_end'] / h['end_to_end']:9.1f}x {s.get('collected', '?')!s:>10} "
              f"{p['compute_cpu']:11.2f} {s['compute_cpu']:10.2f} {s['compute_cpu'] / p['compute_cpu']:9.1f}x"
              + ("" if len(totals) == 1 else f"  TOTALS DIFFER {totals}"))
        print(f"{'':>6} validate {p['validate']:.2f} s of {p['end_to_end']:.2f} s end to end; "
              f"peak MB: Polars {polars['peak_mb']:.0f}, Spark driver {spark['peak_mb']:.0f}, hand-written "
              f"{baseline['peak_mb']:.0f}; total paid {next(iter(totals)):,.2f} €")
        spark_points.append((ROWS[size], s["compute"]))
        spark_cpu.append((ROWS[size], s["compute_cpu"]))
    growth("Spark local[2], evaluation, wall clock", spark_points)
    growth("Spark local[2], evaluation, CPU seconds (both cores)", spark_cpu)

    print("\n2. Aggregation of records (closed stays → Num.1 counts per establishment and field), seconds")
    print(f"{'stays':>6} {'qualispec/Polars':>17} {'qualispec/Spark':>16} {'Spark/Polars':>13} {'hand-written':>13}")
    record_points = []
    import polars as pl
    for size in args.stays:
        path = str(stays_file(size))
        n = pl.scan_parquet(path).select(pl.len()).collect().item()
        polars, spark, baseline = (one("bench_records.py", impl, path) for impl in ("qualispec", "spark", "polars"))
        assert polars["checksum"] == spark["checksum"] == baseline["checksum"], "the implementations disagree"
        print(f"{size:>6} {polars['seconds']:17.2f} {spark['seconds']:16.2f} "
              f"{spark['seconds'] / polars['seconds']:12.1f}x {baseline['seconds']:13.2f}  ({n:,} stays)")
        record_points.append((n, spark["seconds"]))
    growth("Spark local[2], records", record_points)
    print(f"\nend: {load()}")


if __name__ == "__main__":
    main()
