"""Engines: what runs the engine-neutral plan (runtime/plan.py) over a validated dataset.

- ``polars`` (the default): embedded, in this process (polars_engine.py);
- ``spark``: PySpark, on this machine (``local[*]``) or on a cluster through the user's
  own SparkSession or Spark Connect (spark/; ``pip install 'qualispec[spark]'``).

Both follow the plan's numeric contract and give the same rows, cell for cell. An
engine is chosen by name (runtime/on_engine.py): the evaluation it returns has ``rows``
(the output contract, a Polars frame) and ``groups`` (the summary per group).
"""

from __future__ import annotations

ENGINES = ("polars", "spark")


class EngineUnavailable(Exception):
    """The engine asked for cannot run here (its library is not installed)."""


class NotExact(Exception):
    """Values an engine cannot compute exactly (said in French, with the engine that can): nothing is written."""


class OverEnvelope(Exception):
    """Payouts would exceed what an envelope distributes; nothing may be written."""

    @classmethod
    def of(cls, envelope: str, paid_cents: int, amount_cents: int, group=None) -> "OverEnvelope":
        """The refusal, in French, for a partition (a group, or everyone) paid more than its amount."""
        from qualispec.compiler import french

        return cls(f"l'enveloppe « {envelope} » verserait {french.euro(paid_cents / 100)} pour "
                   f"{french.euro(amount_cents / 100)} à distribuer"
                   + (f" (groupe n° {group})" if group is not None else "")
                   + " : aucun résultat n'est écrit ; vérifiez que les poids des indicateurs qu'elle paie "
                     "ne dépassent pas 100 % (qualispec check le signale)")


def spark_engine():
    """The Spark engine's module, or a French message saying how to install it."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise EngineUnavailable("le moteur Spark demande PySpark et Java : pip install 'qualispec[spark]' "
                                "(et un Java 17 ou plus, par exemple apt-get install openjdk-17-jre-headless)") from None
    from qualispec.runtime.engines import spark
    return spark
