"""Evaluate a compiled campaign on the engine chosen by name (runtime/engines/)."""

from __future__ import annotations

from qualispec.runtime.engines import ENGINES, EngineUnavailable, spark_engine


def evaluate_on(engine: str, compiled, frame, spark=None):
    """``frame``: a validated dataset; ``spark``: a SparkSession of the user's (Spark engine only)."""
    if engine == "polars":
        from qualispec.runtime.evaluate import evaluate
        return evaluate(compiled, frame)
    if engine == "spark":
        return spark_engine().evaluate(compiled, frame, spark)
    raise EngineUnavailable(f"moteur inconnu « {engine} » ; moteurs possibles : {', '.join(ENGINES)}")
