"""An engine that refuses to compute (a value it cannot compute exactly, payouts above an envelope) is
told to the user as a refusal in French, with exit code 1 and no file written: not as « erreur interne »."""

import pytest

from conftest import EXAMPLE, IFAQ_2024, run_cli
from qualispec.runtime import on_engine
from qualispec.runtime.engines import NotExact, OverEnvelope

REFUSALS = [
    NotExact("un quantile porte sur des valeurs dont le dénominateur exact peut atteindre 10 000 : le moteur Spark "
             "ne sait pas les ranger exactement ; évaluez cette campagne avec le moteur intégré (--engine polars)"),
    OverEnvelope.of("Enveloppe IFAQ", 70_000_000_100, 70_000_000_000),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=["not exact", "over envelope"])
def test_an_engine_refusal_is_said_and_nothing_is_written(tmp_path, monkeypatch, refusal):
    def refuse(*args, **kwargs):
        raise refusal

    monkeypatch.setattr(on_engine, "evaluate_on", refuse)
    out = tmp_path / "r.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", out, "--quiet")
    assert code == 1
    assert err.strip() == f"qualispec eval: {refusal}"
    assert "erreur interne" not in err and not out.exists() and list(tmp_path.iterdir()) == []


def test_the_spark_refusal_is_an_engine_refusal():
    pytest.importorskip("pyspark")
    from qualispec.runtime.engines.spark.translate import NotExactOnSpark

    assert issubclass(NotExactOnSpark, NotExact)
