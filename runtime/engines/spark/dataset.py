"""A dataset that lives on Spark (a DataFrame of the user's, a Parquet or CSV storage path), validated there.

The same contract as runtime/data/dataset.py (the embedded path): the columns the
campaign reads, typed by their unit, FINESS and fields checked, one row per
establishment (and field), values within their range and their declared list, required
values present, a proportion's numerator not above its denominator. Every check is a
Spark column; one job counts the bad rows of each, and only the first ten of a failed
check come back to the driver, named by their key (FINESS and field: a distributed
table has no line numbers). The validated frame stays on Spark, percentages held as
ratios, rows numbered 0, 1, … in the frame's order (``__row``) without moving them.
"""

from __future__ import annotations

import csv

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from qualispec.compiler import ir
from qualispec.runtime.data.contract import contract_rows, has_fields
from qualispec.runtime.data.dataset import _FALSE, _TRUE, MAX_SCALE, MAX_SHOWN, DataError, refuse_missing_columns
from qualispec.runtime.data.reading import (Dialect, ReadError, _encoding_name, fraction_warning, looks_like_fractions,
                                            refuse_repeated_headers, settled)
from qualispec.runtime.data.rules import Operations, row_rules, wanted
from qualispec.runtime.engines.spark.execute import ROW

SAMPLE_LINES = 50  # lines of a CSV read to guess its dialect
# Spark's CSV reader knows few charsets: Windows-1252 is read byte for byte as Latin-1, then the letters it
# puts at 0x80–0x9F (€, œ, ’, …) are put back (_as_windows_1252).
SPARK_CHARSETS = {"utf-8": "UTF-8", "latin-1": "ISO-8859-1", "cp1252": "ISO-8859-1"}
_CP1252 = {chr(b): bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
INTEGERS = ("count", "days")
NUMBERS = ("percent", "ratio", "euro", "number")


def _column(name: str) -> Column:
    return F.col(f"`{name}`")


SPARK = Operations(value=_column, written=lambda name: _column(f"#raw:{name}"), is_null=lambda v: v.isNull(),
                   is_in=lambda v, values: v.isin(values), length=F.length, matches=lambda v, pattern: v.rlike(pattern))


def read(spark: SparkSession, path: str, dialect: Dialect | None = None, notes: list[str] | None = None) -> DataFrame:
    """A Parquet or CSV file or folder where Spark reads (local, hdfs://, s3a://…). A CSV is read as text in
    its dialect, given or guessed from its first lines as the embedded reader guesses it (said in ``notes``)."""
    is_csv = str(path).rstrip("/").lower().endswith(".csv")
    try:
        if not is_csv:
            return spark.read.parquet(str(path))
        dialect = dialect or Dialect()
        first = [r[0] for r in spark.read.text(str(path)).limit(SAMPLE_LINES).collect()]  # read as UTF-8
        encoding = (_encoding_name(dialect.encoding) if dialect.encoding
                    else "cp1252" if any("\ufffd" in line for line in first) else "utf-8")
        if encoding not in SPARK_CHARSETS:
            raise DataError(str(path), [f"Spark ne lit un CSV qu'en UTF-8, Windows-1252 ou Latin-1, pas en {encoding} : "
                                        "réenregistrez le fichier en UTF-8"])
        separator, _ = settled("\n".join(first), dialect, encoding, str(path), notes if notes is not None else [])
        refuse_repeated_headers(next(csv.reader(first[:1], delimiter=separator), []))
        table = (spark.read.option("header", True).option("sep", separator).option("inferSchema", False)
                 .option("encoding", SPARK_CHARSETS[encoding]).csv(str(path)))
        return _as_windows_1252(table) if encoding == "cp1252" else table
    except DataError:
        raise
    except ReadError as error:
        raise DataError(str(path), error.problems) from None
    except Exception as error:  # Spark says why in its own words (no such path, not Parquet…)
        said = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(str(path), [f"illisible par Spark : {said}"]) from None


def _as_windows_1252(table: DataFrame) -> DataFrame:
    """A CSV read as Latin-1 with the 27 letters Windows-1252 puts at 0x80–0x9F put back, in names and cells."""
    latin, letters = "".join(_CP1252), "".join(_CP1252.values())
    return table.select(*[F.translate(F.col(f"`{c}`"), latin, letters).alias(c.translate(str.maketrans(_CP1252)))
                          for c in table.columns])


def validate(sdf: DataFrame, campaign: ir.Campaign, name: str, notes: list[str] | None = None) -> DataFrame:
    """The dataset typed and checked on Spark (DataError: every problem, in French, with the rows' keys);
    a percent column that looks like fractions is said in ``notes``."""
    columns = contract_rows(campaign)
    refuse_missing_columns(name, columns, sdf.columns)
    for c in columns:  # `optional: true`: a column the file may lack is read as empty, as on the embedded engine
        if c.name not in sdf.columns:
            sdf = sdf.withColumn(c.name, F.lit(None).cast("string"))
    kinds = dict(sdf.dtypes)
    scales = _scales(sdf, [c for c in columns if c.unit in NUMBERS and kinds[c.name] == "string"])
    typed, problems = {}, []
    checks: list[tuple[Column, object]] = []
    for c in columns:
        typed[c.name], bad = _typed(F.col(f"`{c.name}`"), kinds[c.name], c, scales.get(c.name))
        if bad is None:
            problems.append(f"colonne {c.name} : de type {kinds[c.name]}, attendu {wanted(c.unit)}")
        elif bad is not False:  # flagged on the values as given, checked with the others
            typed[f"#unread:{c.name}"] = bad
            checks.append((F.col(f"`#unread:{c.name}`"),
                           lambda r, c=c: f"{c.name} = « {r['#raw:' + c.name]} » : attendu {wanted(c.unit)}"))
    if problems:
        raise DataError(name, problems)
    raw = {f"#raw:{c.name}": F.col(f"`{c.name}`").cast("string") for c in columns}
    frame = sdf.select(*[v.alias(k) for k, v in typed.items()], *[v.alias(k) for k, v in raw.items()])
    _refuse_bad_rows(frame, checks, name, has_fields(campaign))  # values that cannot be read, first
    rules = [(F.coalesce(rule.breaks(SPARK), F.lit(False)), rule.said) for rule in row_rules(campaign, columns)]
    _refuse_bad_rows(frame, rules, name, has_fields(campaign))
    _refuse_duplicates(frame, name, has_fields(campaign))
    if notes is not None:
        notes.extend(_fraction_warnings(frame, columns, name))
    typed_kinds = dict(frame.dtypes)
    out = frame.select(*[_engine_value(c, typed_kinds[c.name]).alias(c.input or c.name) for c in columns])
    return numbered(out)


def numbered(sdf: DataFrame) -> DataFrame:
    """``__row`` = 0, 1, … in the frame's order, from each partition's count (a few numbers to the driver)."""
    ided = sdf.withColumn("#id", F.monotonically_increasing_id())
    part = F.shiftright(F.col("#id"), 33)
    counts = sorted((r[0], r[1]) for r in ided.groupBy(part.alias("p")).count().collect())
    offset, start = None, 0
    for p, n in counts:
        offset = F.when(part == p, F.lit(start)) if offset is None else offset.when(part == p, F.lit(start))
        start += n
    within = F.col("#id").bitwiseAND(F.lit((1 << 33) - 1))
    row = (within if offset is None else offset.otherwise(F.lit(0)) + within).cast("long")
    return ided.withColumn(ROW, row).drop("#id")


def _scales(sdf: DataFrame, columns) -> dict[str, int]:
    """Decimals to keep for number columns written as text: the longest fraction (one small job)."""
    if not columns:
        return {}
    lengths = [F.max(F.length(F.regexp_extract(_cleaned(F.col(f"`{c.name}`")), r"\.(\d+)$", 1))).alias(c.name)
               for c in columns]
    row = sdf.agg(*lengths).first()
    return {c.name: min(int(row[c.name] or 0), MAX_SCALE) for c in columns}


def _cleaned(text: Column) -> Column:
    return F.regexp_replace(F.regexp_replace(F.trim(text), "[\u00a0\u202f ]", ""), ",", ".")


def _typed(column: Column, kind: str, c, scale: int | None) -> tuple[Column, Column | bool | None]:
    """(the typed value, where a value could not be read — False: never; None: the column's type is wrong)."""
    unit = c.unit
    if unit in ("text", "category"):
        return (column.cast("string"), False) if kind == "string" or kind in ("int", "bigint") else (column, None)
    if kind == "string":
        text = F.when(F.trim(column) != "", F.trim(column))
        if unit == "boolean":
            lower = F.lower(text)
            value = F.when(lower.isin(list(_TRUE)), True).when(lower.isin(list(_FALSE)), False)
        elif unit in INTEGERS:
            number = _cleaned(text).try_cast("decimal(38,6)")
            value = F.when(number == F.floor(number), number.try_cast("long"))
        else:
            value = _cleaned(text).try_cast(f"decimal(38,{scale or 0})")
        return value, text.isNotNull() & value.isNull()
    if unit == "boolean":
        return (column, False) if kind == "boolean" else (column, None)
    numeric = kind in ("tinyint", "smallint", "int", "bigint", "float", "double") or kind.startswith("decimal")
    if not numeric:
        return column, None
    if unit in INTEGERS:
        if kind in ("tinyint", "smallint", "int", "bigint"):
            return column.cast("long"), False
        value = F.when(F.isnan(column.cast("double")) | (column != F.floor(column)), None).otherwise(column.try_cast("long"))
        return value, column.isNotNull() & value.isNull()
    if kind.startswith("decimal"):
        return column, False
    if kind in ("float", "double"):  # 65.6 in binary is read as the decimal 65.6 (its shortest writing)
        value = column.cast("string").try_cast("decimal(38,12)")
        return value, column.isNotNull() & value.isNull()
    return column.cast("decimal(38,0)"), False


def _fraction_warnings(frame: DataFrame, columns, name: str) -> list[str]:
    """The embedded reader's warning for percent columns given as fractions (0,8182 for 81,82 %), in one job."""
    percents = [c.name for c in columns if c.unit == "percent"]
    if not percents:
        return []
    measures = []
    for n in percents:
        v, inside = F.col(f"`{n}`"), (F.col(f"`{n}`") > 0) & (F.col(f"`{n}`") < 1)
        measures += [F.count(v).alias(f"count:{n}"), F.max(v).alias(f"max:{n}"),
                     F.first(F.when(inside, F.col(f"`#raw:{n}`")), ignorenulls=True).alias(f"inside:{n}")]
    seen = frame.agg(*measures).first()
    return [fraction_warning(name, n, seen[f"inside:{n}"]) for n in percents
            if looks_like_fractions(seen[f"count:{n}"], seen[f"max:{n}"], seen[f"inside:{n}"] is not None)]


def _key(r, with_field: bool) -> str:
    return f"ligne (finess {r['finess']}" + (f", champ {r['field']})" if with_field else ")")


def _refuse_bad_rows(frame: DataFrame, checks, name: str, with_field: bool) -> None:
    if not checks:
        return
    flagged = frame.withColumns({f"#bad{i}": bad for i, (bad, _) in enumerate(checks)})
    counts = flagged.agg(*[F.sum(F.col(f"`#bad{i}`").cast("long")).alias(str(i)) for i in range(len(checks))]).first()
    problems = []
    for i, (_, describe) in enumerate(checks):
        n = int(counts[str(i)] or 0)
        if not n:
            continue
        rows = flagged.where(F.col(f"`#bad{i}`")).limit(MAX_SHOWN).collect()
        listed = "; ".join(f"{_key(r, with_field)} : {describe(r)}" for r in rows)
        problems.append(listed + (f" (et {n - MAX_SHOWN} lignes de plus)" if n > MAX_SHOWN else ""))
    if problems:
        raise DataError(name, problems + ["corrigez ces lignes ; rien n'a été calculé"])


def _refuse_duplicates(frame: DataFrame, name: str, with_field: bool) -> None:
    keys = ["finess", "field"] if with_field else ["finess"]
    twice = frame.groupBy(*keys).count().where(F.col("count") > 1).limit(MAX_SHOWN).collect()
    if twice:
        said = "; ".join(f"({', '.join(str(r[k]) for k in keys)}) sur {r['count']} lignes" for r in twice)
        raise DataError(name, [f"{'(finess, champ)' if with_field else 'finess'} en double : {said} ; gardez une ligne "
                               f"par établissement{' et champ' if with_field else ''}"])


def _engine_value(c, kind: str) -> Column:
    """Percentages as ratios, exactly: two more decimals (at most 100 %: three digits before the point)."""
    v = F.col(f"`{c.name}`")
    if c.unit == "percent" and kind.startswith("decimal"):
        scale = int(kind.split(",")[1].rstrip(")"))
        return (v.cast(f"decimal({scale + 4},{scale})") * F.lit("0.01").cast("decimal(3,2)")).cast(
            f"decimal(38,{scale + 2})")
    return v
