"""qualispec: pay-for-quality rules as code.

The public Python API, for notebooks and scripts::

    import qualispec

    campaign = qualispec.load("specs/ifaq/2024")         # checked; SpecError lists the problems
    data = campaign.validate("examples/ifaq2024.csv")    # or a Polars or pandas frame; DataError names the rows
    result = campaign.evaluate(data)                     # a raw frame is validated first, never skipped
    result = campaign.evaluate(data, engine="spark")     # the same rows from PySpark (spark=your_session)
    result.rows                                          # one row per establishment (and field), exact decimals
    result.groups                                        # per group: envelope, paid, share paid
    print(result.explain("080000017"))                   # why, in French

The code lives in the top-level folders of the repository (see pyproject.toml):
``compiler/`` is ``qualispec.compiler``, ``runtime/`` is ``qualispec.runtime``,
``grammar/`` is ``qualispec.grammar``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__version__ = "0.1.0"
# What the command line says when it is stopped (here, so that a stop during start-up can say it too).
INTERRUPTED = "qualispec : interrompu ; aucun fichier n'a été laissé à moitié écrit"
STOPPED = "qualispec : arrêté (SIGTERM) ; aucun fichier n'a été laissé à moitié écrit"
__all__ = ["Campaign", "Dataset", "Result", "SpecError", "DataError", "OverEnvelope", "NotExact", "EngineUnavailable",
           "load"]


class SpecError(Exception):
    """The campaign does not check; ``str()`` lists every problem with its file, line and fix."""


def __getattr__(name):
    if name == "DataError":  # the dataset's own error, importable from here
        from qualispec.runtime.data.dataset import DataError
        return DataError
    if name in ("OverEnvelope", "NotExact", "EngineUnavailable"):  # the engines' refusals
        from qualispec.runtime import engines
        return getattr(engines, name)
    raise AttributeError(name)


@dataclass(frozen=True)
class Dataset:
    """A frame checked against one campaign's contract: the only thing a campaign evaluates."""

    campaign: str
    frame: object = field(repr=False)  # polars.DataFrame, typed and converted (exact decimals); or a Spark DataFrame
    source: str = ""

    @property
    def on_spark(self) -> bool:
        """Validated on Spark (a Spark DataFrame or a storage path read by Spark): it stays there."""
        return type(self.frame).__module__.startswith("pyspark")


def _on_storage(path) -> bool:
    """A storage path Spark reads and writes (``hdfs://``, ``s3a://``, ``abfss://``, ``file://``…)."""
    return isinstance(path, (str, Path)) and "://" in str(path)


def _is_spark(data) -> bool:
    return type(data).__module__.startswith("pyspark")


@dataclass
class Result:
    """What a campaign computed for a dataset."""

    _evaluation: object = field(repr=False)  # the engine's evaluation (rows, groups; on Spark: frame, write)
    _campaign: "Campaign" = field(repr=False)
    _dataset: Dataset = field(repr=False)
    _full: object = field(default=None, repr=False)

    @property
    def rows(self):
        """polars.DataFrame: the output contract (finess, field, group, <indicator>_<part>, total_payout);
        on Spark, brought to this machine when asked for (``spark_rows`` stays on Spark)."""
        return self._evaluation.rows

    @property
    def groups(self):
        """polars.DataFrame: per group (small)."""
        return self._evaluation.groups

    @property
    def spark_rows(self):
        """The rows as a Spark DataFrame, where they were computed (engine="spark" only)."""
        if not hasattr(self._evaluation, "frame"):
            raise TypeError("spark_rows : seulement avec engine=\"spark\"")
        return self._evaluation.frame.drop("__row")

    def explain(self, finess: str) -> str:
        """The chain of values of one establishment, in French (from every intermediate value)."""
        from qualispec.runtime.evaluate import evaluate
        from qualispec.runtime.explain import NotFound, explain

        if self._full is None:  # explanations need every intermediate value, not only the outputs
            frame = self._dataset.frame
            if self._dataset.on_spark:  # the establishment table (one row per establishment and field)
                from qualispec.runtime.engines import spark_engine

                frame = spark_engine().to_polars(frame)
            self._full = evaluate(self._campaign.compiled, frame, keep_all=True)
        try:
            found = explain(self._campaign.compiled, self._full, finess)
        except NotFound:
            raise KeyError(f"aucun établissement de FINESS {finess} dans {self._dataset.source or 'ce jeu de données'}") from None
        return "\n".join(sentence for e in found for sentence in e.sentences)

    def write(self, path: str | Path) -> None:
        """CSV, Parquet or XLSX by extension, written whole or not at all. On Spark, a storage path
        (``hdfs://…``, ``s3a://…``, ``file://…``) is written by Spark, where it runs: a folder of
        Parquet (or CSV, for a path ending in .csv) parts. An XLSX has French headers with units, as
        ``qualispec eval --out`` writes it; CSV and Parquet keep the columns' names."""
        from qualispec.runtime.data.headers import french_headers, group_headers
        from qualispec.runtime.data.output import write_table

        if hasattr(self._evaluation, "write") and _on_storage(path):
            self._evaluation.write(str(path))
            return
        campaign, rows = self._campaign.compiled.campaign, self.rows  # XLSX: the French headers of `qualispec eval`
        write_table(rows, path, self.groups, french_headers(campaign, self._evaluation.plan.outputs, rows.columns),
                    group_headers=group_headers(campaign, self.groups.columns))


class Campaign:
    """A checked campaign: validate datasets against it, evaluate them."""

    def __init__(self, compiled, path: str):
        self.compiled, self.path = compiled, path
        self.name = compiled.campaign.name

    def __repr__(self) -> str:
        return f"Campaign({self.name!r}, {self.path!r})"

    def inputs(self):
        """The columns a dataset must have (name, unit, type, required for, meaning)."""
        from qualispec.runtime.data.contract import contract_rows

        return contract_rows(self.compiled.campaign)

    def validate(self, data, name: str = "", spark=None) -> Dataset:
        """Check ``data`` (a CSV/Parquet path, a Polars or a pandas frame); DataError names each bad row.

        A Spark DataFrame, or a storage path (``hdfs://…``, ``s3a://…``) with ``spark`` a session, is
        validated on Spark, where it is, and stays there."""
        import polars as pl

        from qualispec.runtime.data.dataset import _Where, load_dataset, validate

        if isinstance(data, Dataset):
            return self._own(data)
        if _is_spark(data) or (_on_storage(data) and spark is not None):
            from qualispec.runtime.engines import spark_engine

            frame = spark_engine().read_and_validate(self.compiled, data, spark)
            return Dataset(self.name, frame, name or ("DataFrame Spark" if _is_spark(data) else str(data)))
        if isinstance(data, (str, Path)):
            return Dataset(self.name, load_dataset(data, self.compiled.campaign), str(data))
        if not isinstance(data, pl.DataFrame):
            if type(data).__module__.split(".")[0] != "pandas":
                raise TypeError("validate() prend un chemin de fichier, un DataFrame Polars ou pandas")
            data = pl.from_pandas(data)
        raw = data.with_columns(pl.col(c).cast(pl.String) for c in ("finess",) if c in data.columns)
        where = _Where(name or "tableau", False)
        return Dataset(self.name, validate(raw, self.compiled.campaign, where), name or "tableau")

    def evaluate(self, data, engine: str = "polars", spark=None) -> Result:
        """Evaluate a Dataset (or anything ``validate`` takes: it is validated first).

        ``engine``: ``"polars"`` (embedded, the default) or ``"spark"`` (PySpark), with
        ``spark`` a SparkSession of yours, or none: then the one of a Spark DataFrame given,
        else the active one, else one at ``SPARK_MASTER``, spark-submit's ``--master`` or
        ``local[*]``. On Spark, a Spark DataFrame or a storage path (``hdfs://…``) is read
        and validated by Spark and never comes to this machine (``Result.spark_rows``,
        ``Result.write`` to a storage path). Both engines give the same rows, cell for cell.
        OverEnvelope when the payouts would exceed an envelope; NotExact when the engine cannot compute
        a value exactly (the message names the engine that can).
        """
        from qualispec.runtime.on_engine import evaluate_on

        if engine == "spark" and spark is None and _on_storage(data):
            from qualispec.runtime.engines import spark_engine

            spark = spark_engine().session()
        dataset = self.validate(data, spark=spark if engine == "spark" else None)
        frame = dataset.frame
        if dataset.on_spark and engine != "spark":  # asked for on this machine: brought here
            from qualispec.runtime.engines import spark_engine

            frame = spark_engine().to_polars(frame)
        return Result(evaluate_on(engine, self.compiled, frame, spark), self, dataset)

    def _own(self, dataset: Dataset) -> Dataset:
        if dataset.campaign != self.name:
            raise ValueError(f"ce jeu de données a été validé pour la campagne {dataset.campaign}, pas pour {self.name}")
        return dataset


def load(path: str | Path) -> Campaign:
    """The campaign in ``path`` (a campaign folder), checked; SpecError when it has errors."""
    from qualispec.compiler.diagnostics import Diagnostics
    from qualispec.compiler.pipeline import compile_one

    diagnostics = Diagnostics()
    compiled = compile_one(path, diagnostics)
    if compiled is None or diagnostics.has_errors():
        raise SpecError(diagnostics.render())
    return Campaign(compiled, str(path))
