"""Tables of records aggregated by Spark, where they are stored (any path Spark reads: local, HDFS, S3…).

The same checks and aggregates as runtime/data/records.py (the embedded path), in one
Spark job: each record is typed and checked, and the group-by per establishment (and
field) counts the malformed ones beside the aggregates. Only the aggregates — a row per
establishment — come back to the driver; when records are malformed, the first ten are
fetched to be named by file and line (CSV) or record number (Parquet), as the embedded
engine names them, and by key (see ``_positions``).
"""

from __future__ import annotations

import csv
import os
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlparse

import polars as pl
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast
from qualispec.runtime.data.dataset import MAX_SHOWN, DataError, _FALSE, _TRUE
from qualispec.runtime.data.reading import ReadError, refuse_repeated_headers
from qualispec.runtime.engines.spark.dataset import SPARK
from qualispec.runtime.data.records import (breaks_a_key_rule, computed_inputs, exact_literal, key_and_value_rules,
                                            parameter_value)

EXACT = "decimal(38,9)"


def read(spark: SparkSession, path: str) -> tuple[DataFrame, bool]:
    is_csv = str(path).rstrip("/").lower().endswith(".csv")
    try:
        if is_csv:
            first = [r[0] for r in spark.read.text(str(path)).limit(1).collect()]
            refuse_repeated_headers(next(csv.reader(first), []))
            return spark.read.option("header", True).option("inferSchema", False).csv(str(path)), True
        return spark.read.parquet(str(path)), False
    except ReadError as error:
        raise DataError(str(path), error.problems) from None
    except Exception as error:  # Spark says why in its own words (no such path, not Parquet…)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(str(path), [f"illisible par Spark : {first}"]) from None


def aggregate(campaign: ir.Campaign, paths: dict[str, str], spark: SparkSession) -> pl.DataFrame | None:
    result = None
    for name, path in paths.items():
        table = campaign.tables.get(name)
        if table is None:
            raise DataError(str(path), [f"la campagne ne déclare pas de table « {name} » "
                                        f"(tables : {', '.join(campaign.tables) or 'aucune'})"])
        frame = _aggregate_table(campaign, table, str(path), spark)
        result = frame if result is None else result.join(frame, on=list(table.key), how="full", coalesce=True)
    return result


def _aggregate_table(campaign, table: ir.Table, path: str, spark) -> pl.DataFrame:
    df, is_csv = read(spark, path)
    wanted = list(table.key) + [c for c, _ in table.columns]
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise DataError(path, [f"colonnes manquantes : {', '.join(missing)} (la table {table.name} a les colonnes "
                               f"{', '.join(wanted)})"])
    units = dict(table.columns)
    typed = {c: _typed(F.col(c), units[c], is_csv) for c in units}
    on_key, on_values = key_and_value_rules(table, campaign)  # key rules: tested on the aggregates' rows
    value_checks = _checks(typed, on_values)
    bad = F.lit(False)
    for cond, _ in value_checks:
        bad = bad | cond
    records = df.select([F.col(k).cast("string").alias(k) for k in table.key] + [typed[c].alias(c) for c in units]
                        + [bad.alias("#bad")])
    sums = records.groupBy(*table.key).agg(
        *[_aggregate(i.from_records, campaign).alias(i.column) for i in computed_inputs(campaign, table.name)],
        F.sum(F.col("#bad").cast("long")).alias("#bad"))
    result = pl.from_arrow(sums.toArrow())
    if result["#bad"].sum() or breaks_a_key_rule(result, table, on_key):
        _refuse(df, _checks(typed, on_key) + value_checks, wanted, path, is_csv)
    return result.drop("#bad").with_columns(pl.col(c).cast(pl.Int64) for c in result.columns
                                            if c not in table.key and c != "#bad" and result[c].dtype.is_integer())


def _refuse(df: DataFrame, checks, wanted: list[str], path: str, is_csv: bool) -> None:
    flagged = df.select(*[F.col(c) for c in wanted], *[cond.alias(f"#bad{i}") for i, (cond, _) in enumerate(checks)],
                        *_position_columns())
    any_bad = None
    for i in range(len(checks)):
        any_bad = F.col(f"#bad{i}") if any_bad is None else any_bad | F.col(f"#bad{i}")
    rows = flagged.where(any_bad).limit(MAX_SHOWN).collect()
    at = _positions(flagged, rows, path, is_csv)
    problems = []
    for row, where in zip(rows, at):
        values = row.asDict()
        key = ", ".join(f"{k} {'vide' if values[k] is None else values[k]}" for k in wanted[:2])
        said = [describe(values) for i, (_, describe) in enumerate(checks) if values[f"#bad{i}"]]
        problems.append(f"{where} ({key}) : " + " ; ".join(said))
    raise DataError(path, problems + ["corrigez ces enregistrements ; rien n'a été calculé"])


# A record's place in its file, on Spark: the file and the split (block) Spark read it from, and its id,
# which counts the rows of a task one by one (monotonically_increasing_id). A split's records are
# consecutive in its file, so a record's number in its file is its rank in its split plus the records of
# the file's earlier splits. Computed only when a file is refused (one more pass over the records).
FILE, BLOCK, ID = "#file", "#block", "#id"


def _position_columns() -> list[Column]:
    return [F.col("_metadata.file_path").alias(FILE), F.col("_metadata.file_block_start").alias(BLOCK),
            F.monotonically_increasing_id().alias(ID)]


def _positions(flagged: DataFrame, rows: list, path: str, is_csv: bool) -> list[str]:
    """Where each refused record is: ``file:line`` (CSV: the header is line 1) or ``file: enregistrement n``."""
    if not rows:
        return []
    files = sorted({r[FILE] for r in rows})
    blocks = (flagged.where(F.col(FILE).isin(files)).groupBy(FILE, BLOCK)
              .agg(F.min(ID).alias("first"), F.count(F.lit(1)).alias("n")).collect())
    before, first, seen = {}, {}, {}
    for b in sorted(blocks, key=lambda b: (b[FILE], b[BLOCK])):
        before[(b[FILE], b[BLOCK])] = seen.get(b[FILE], 0)
        first[(b[FILE], b[BLOCK])] = b["first"]
        seen[b[FILE]] = seen.get(b[FILE], 0) + b["n"]
    said = []
    for r in rows:
        index = before[(r[FILE], r[BLOCK])] + r[ID] - first[(r[FILE], r[BLOCK])]  # 0 for the file's first record
        name = _file_name(r[FILE], path)
        said.append(f"{name}:{index + 2}" if is_csv else f"{name}: enregistrement {index + 1}")
    return said


def _file_name(uri: str, path: str) -> str:
    """The path as the user wrote it when it is the file itself, else the file of the folder (its part)."""
    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):  # hdfs://, s3a://…: as Spark says it
        return path if uri.rstrip("/") == path.rstrip("/") else uri
    local = unquote(parsed.path)
    given = unquote(urlparse(path).path) if path.startswith("file:") else path
    same = local in (os.path.abspath(given), str(Path(given).resolve()))
    return path if same else local


def _typed(column: Column, unit: str, is_csv: bool) -> Column:
    if unit in ("text", "category"):
        return column.cast("string")
    if unit == "boolean":
        if not is_csv:
            return column.cast("boolean")
        lower = F.lower(F.trim(column))
        return F.when(lower.isin(list(_TRUE)), True).when(lower.isin(list(_FALSE)), False)
    text = F.regexp_replace(F.regexp_replace(F.trim(column.cast("string")), "[\u00a0\u202f ]", ""), ",", ".")
    number = text.try_cast(EXACT)
    if unit in ("count", "days"):
        return F.when(number == F.floor(number), number.cast("long"))
    return number


def _checks(typed: dict, rules) -> list[tuple[Column, object]]:
    """The embedded engine's rules for a record (runtime/data/rules.py), as Spark columns."""
    operations = replace(SPARK, value=lambda name: typed.get(name, F.col(name).cast("string")), written=F.col)
    return [(F.coalesce(rule.breaks(operations), F.lit(False)), rule.said) for rule in rules]


def _aggregate(call: ast.Call, campaign) -> Column:
    keep = F.coalesce(_condition(call.where, campaign), F.lit(False)) if call.where is not None else F.lit(True)
    if call.func == "count":
        return F.count(F.when(keep, F.lit(1)))
    values = F.when(keep, F.col(call.args[0].member))
    if call.func == "count_distinct":
        return F.count_distinct(values)
    if call.func == "sum":
        return F.coalesce(F.sum(values), F.lit(0))
    return {"min": F.min, "max": F.max}[call.func](values)


def _condition(e: ast.Expr, campaign) -> Column:
    c = lambda x: _condition(x, campaign)  # noqa: E731
    if isinstance(e, ast.Ref):
        target = e.target or ""
        if target in campaign.parameters:
            return F.lit(exact_literal(parameter_value(campaign, target)))
        return F.lit(target[6:]) if target.startswith("field:") else F.col(target.split(".", 1)[1])
    if isinstance(e, (ast.Bool, ast.Text)):
        return F.lit(e.value)
    if isinstance(e, ast.Num):
        return F.lit(exact_literal(e.value))
    if isinstance(e, ast.Unary):
        return ~c(e.operand) if e.op == "not" else -c(e.operand)
    if isinstance(e, ast.Binary) and e.op in ("and", "or"):
        return c(e.left) & c(e.right) if e.op == "and" else c(e.left) | c(e.right)
    if isinstance(e, ast.Compare):
        a, b = c(e.left), c(e.right)
        return {"=": a.__eq__, "!=": a.__ne__, "<": a.__lt__, "<=": a.__le__, ">": a.__gt__, ">=": a.__ge__}[e.op](b)
    if isinstance(e, ast.Member):
        return c(e.operand).isin([o.value for o in e.options])
    raise DataError("", [f"condition sur des enregistrements non prise en charge : {type(e).__name__}"])
