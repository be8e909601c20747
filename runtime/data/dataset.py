"""Reading a dataset and refusing bad data before anything is computed.

Every problem names the file, the line (CSV: the line in the file, header = line 1;
Parquet: the row, from 1), the column, the value, and what to do. All checks are
vectorised; the messages are built only for the offending rows.

Values are converted to the engine's representation here and only here: numbers that
are not counts are exact decimals (``12,5`` is the decimal 12.5, never the nearest
binary double; a Parquet float is read by its shortest decimal form), and a percent
column (0–100 in the file) becomes a ratio (0–1) exactly, as every fraction is held inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from qualispec.compiler import ir
from qualispec.compiler.syntax import ast
from qualispec.runtime.data.contract import Column, contract_rows, has_fields

MAX_SHOWN = 10
MAX_EUROS = 10**12  # a thousand billion euros: above any hospital's or scheme's money, and cents stay exact
FINESS_LENGTH = 9
MAX_SCALE = 24  # decimals kept from a file (38 digits in all: 14 before the point)
_TRUE = ("true", "1", "yes", "oui", "vrai", "t", "y", "o")
_FALSE = ("false", "0", "no", "non", "faux", "f", "n")
_INTEGER_UNITS = ("count", "days")
_NUMBER_UNITS = ("percent", "ratio", "euro", "number")


class DataError(Exception):
    """The dataset is refused; ``problems`` are the messages, one per line."""

    def __init__(self, path: str, problems: list[str]):
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path, self.problems = path, problems

    def render(self) -> str:
        head = f"{self.path}: the dataset is refused; nothing was computed or written."
        return "\n".join([head] + [f"  {p}" for p in self.problems])


@dataclass(frozen=True)
class _Where:
    """How to name a row: CSV line numbers or Parquet row numbers."""

    path: str
    csv: bool
    offset: int = 0  # rows of the file before this table (a case inside a case file)

    def row(self, index: int) -> str:
        index += self.offset
        return f"{self.path}:{index + 2}" if self.csv else f"{self.path}: row {index + 1}"


def read_table(path: str | Path, dialect=None, numeric=frozenset(), notes: list[str] | None = None
               ) -> tuple[pl.DataFrame, bool]:
    """The raw table (CSV and XLSX cells as text, so that bad cells can be named), and whether its rows are
    lines of the file. ``dialect``: a :class:`reading.Dialect` (guessed when None); ``numeric``: the columns
    read as numbers (where a decimal comma is turned into a point); ``notes``: where guesses are said."""
    from qualispec.runtime.data.reading import Dialect, ReadError, read_raw

    p = Path(path)
    if not p.exists():
        raise DataError(str(path), ["no such file"])
    try:
        return read_raw(p, dialect or Dialect(), numeric, notes if notes is not None else [])
    except ReadError as error:
        raise DataError(str(path), error.problems) from None
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(str(path), [f"illisible comme {p.suffix[1:].upper()} : {first}",
                                    "vérifiez que c'est un CSV avec une ligne d'en-tête (séparateur, encodage : "
                                    "--sep, --encoding), un classeur .xlsx ou un fichier Parquet"]) from None


def load_dataset(path: str | Path, campaign: ir.Campaign, dialect=None, notes: list[str] | None = None) -> pl.DataFrame:
    from qualispec.runtime.data.reading import fraction_warnings

    columns = contract_rows(campaign)
    frame, is_csv = read_table(path, dialect, {c.name for c in columns if c.unit in _NUMBER_UNITS + _INTEGER_UNITS},
                               notes)
    if notes is not None:
        notes.extend(fraction_warnings(frame, columns, str(path)))
    return validate(frame, campaign, _Where(str(path), is_csv))


def validate(frame: pl.DataFrame, campaign: ir.Campaign, where: _Where) -> pl.DataFrame:
    """Check ``frame`` against the campaign's contract; return it typed and converted."""
    columns = contract_rows(campaign)
    missing = [c.name for c in columns if c.name not in frame.columns]
    if missing:
        raise DataError(where.path, [f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
                                     "the columns a campaign needs are listed by: qualispec inputs <campaign folder>"])
    problems: list[str] = []
    typed = {}
    for column in columns:
        typed[column.name] = _typed(frame[column.name], column, where, problems)
    out = pl.DataFrame(typed)
    if problems:
        raise DataError(where.path, problems)

    _check_finess(out, where, problems)
    if has_fields(campaign):
        _check_fields(out, campaign, where, problems)
    _check_duplicates(out, has_fields(campaign), where, problems)
    _check_ranges(out, columns, where, problems)
    _check_values(out, columns, where, problems)
    _check_required(out, columns, campaign, where, problems)
    _check_numerators(out, campaign, where, problems)
    if problems:
        raise DataError(where.path, problems)
    return _to_engine(out, columns)


# ------------------------------------------------------------------ types
def _typed(series: pl.Series, column: Column, where: _Where, problems: list[str]) -> pl.Series:
    unit = column.unit
    if unit in ("text", "category"):
        return series.cast(pl.String)
    if series.dtype == pl.String:
        text = series.str.strip_chars().replace("", None)
        if unit == "boolean":
            lower = text.str.to_lowercase()
            converted = pl.select(
                pl.when(lower.is_in(_TRUE)).then(True).when(lower.is_in(_FALSE)).then(False).otherwise(None)
            ).to_series().alias(series.name)
            want = "true or false"
        else:
            cleaned = text.str.replace_all(r"[\u00a0\u202f ]", "").str.replace(",", ".", literal=True)
            if unit in _INTEGER_UNITS:
                as_float = cleaned.cast(pl.Float64, strict=False)
                converted = pl.select(pl.when(as_float == as_float.floor()).then(as_float)).to_series()
                converted = converted.cast(pl.Int64, strict=False).alias(series.name)
                want = "a whole number"
            else:
                converted = as_decimal(cleaned).alias(series.name)
                want = "a number"
                as_float = cleaned.cast(pl.Float64, strict=False)
                infinite = (converted.is_null() & as_float.is_not_null() & ~as_float.is_finite()).fill_null(False)
                _report(problems, where, infinite, lambda i: f"{column.name} = {text[i]} is not a finite number")
                converted = pl.select(pl.when(infinite).then(pl.lit(0, converted.dtype)).otherwise(converted)).to_series()
                converted = converted.alias(series.name)
        bad = (text.is_not_null() & converted.is_null()).arg_true()
        if len(bad):
            shown = ", ".join(f"{where.row(i)} ('{text[i]}')" for i in bad[:MAX_SHOWN].to_list())
            more = f" and {len(bad) - MAX_SHOWN} more" if len(bad) > MAX_SHOWN else ""
            problems.append(f"column {column.name}: expected {want}: {shown}{more}")
        return converted
    # Parquet: the column has a type already; it must be the right kind.
    dtype = series.dtype
    if unit == "boolean":
        if dtype != pl.Boolean:
            problems.append(f"column {column.name}: has type {dtype}, expected true/false (Boolean)")
        return series
    if not dtype.is_numeric():
        problems.append(f"column {column.name}: has type {dtype}, expected {'a whole number' if unit in _INTEGER_UNITS else 'a number'}")
        return series
    if unit in _INTEGER_UNITS and dtype.is_float():
        fractional = (series.is_not_null() & (series != series.floor())).arg_true()
        if len(fractional):
            shown = ", ".join(f"{where.row(i)} ({series[i]})" for i in fractional[:MAX_SHOWN].to_list())
            problems.append(f"column {column.name}: expected a whole number: {shown}")
        return series.cast(pl.Int64, strict=False)
    if unit in _INTEGER_UNITS:
        return series.cast(pl.Int64)
    if dtype.is_decimal():
        return series
    if dtype.is_float():
        finite = series.is_finite() | series.is_null()
        bad = (~finite).fill_null(False).arg_true()
        if len(bad):
            shown = ", ".join(f"{where.row(i)} ({series[i]})" for i in bad[:MAX_SHOWN].to_list())
            problems.append(f"column {column.name}: is not a finite number: {shown}")
            return series
        return series.cast(pl.Decimal(38, 12))  # 65.6 as a float is read as the decimal 65.6
    return series.cast(pl.Decimal(38, 0))


def as_decimal(text: pl.Series) -> pl.Series:
    """Decimal text as exact decimals, at the scale of its longest fraction (unreadable text: missing)."""
    scale = min(text.str.extract(r"\.(\d+)$").str.len_chars().max() or 0, MAX_SCALE)
    return text.cast(pl.Decimal(38, scale), strict=False)


# ------------------------------------------------------------------ rows
def _report(problems, where: _Where, mask: pl.Series, describe) -> None:
    rows = mask.fill_null(False).arg_true()
    if len(rows):
        shown = "; ".join(f"{where.row(i)}: {describe(i)}" for i in rows[:MAX_SHOWN].to_list())
        more = f" (and {len(rows) - MAX_SHOWN} more rows)" if len(rows) > MAX_SHOWN else ""
        problems.append(shown + more)


def _check_finess(frame, where, problems) -> None:
    finess = frame["finess"]
    _report(problems, where, finess.is_null(), lambda i: "finess is empty; every row needs the establishment's FINESS")
    bad = finess.is_not_null() & (finess.str.len_chars() != FINESS_LENGTH)
    _report(problems, where, bad, lambda i: f"finess '{finess[i]}' has {len(finess[i])} characters, a FINESS has 9 "
                                           f"(keep leading zeros: store the column as text)")


def _check_fields(frame, campaign, where, problems) -> None:
    known = list(campaign.field_decls)
    field = frame["field"]
    bad = field.is_null() | ~field.is_in(known)
    _report(problems, where, bad, lambda i: f"unknown field '{field[i]}'; expected one of {', '.join(known)}")


def _check_duplicates(frame, with_field: bool, where, problems) -> None:
    keys = ["finess", "field"] if with_field else ["finess"]
    dup = frame.lazy().select(pl.struct(keys).is_duplicated()).collect().to_series()
    if dup.any():
        first_seen = {}
        for i in dup.arg_true().to_list():
            key = tuple(frame[k][i] for k in keys)
            first_seen.setdefault(key, []).append(i)
        shown = []
        for key, rows in list(first_seen.items())[:MAX_SHOWN]:
            lines = ", ".join(where.row(i).rsplit(":", 1)[-1].strip() for i in rows)
            shown.append(f"({', '.join(str(k) for k in key)}) appears on {'lines' if where.csv else 'rows'} {lines}")
        more = f" (and {len(first_seen) - MAX_SHOWN} more)" if len(first_seen) > MAX_SHOWN else ""
        problems.append(f"{where.path}: duplicate {'(finess, field)' if with_field else 'finess'}: "
                        + "; ".join(shown) + more + "; keep one row per establishment"
                        + (" and field" if with_field else ""))


def _check_ranges(frame, columns, where, problems) -> None:
    for column in columns:
        s = frame[column.name]
        if s.dtype.is_float():
            _report(problems, where, s.is_nan() | s.is_infinite(),
                    lambda i, s=s, c=column: f"{c.name} = {s[i]} is not a finite number")
        if column.unit in ("count", "days"):
            _report(problems, where, s < 0, lambda i, s=s, c=column: f"{c.name} = {s[i]} is negative; a count cannot be")
        elif column.unit == "euro":
            _report(problems, where, s.abs() > MAX_EUROS,
                    lambda i, s=s, c=column: f"{c.name} = {s[i]} € is beyond 10¹² € and cannot be an amount of this scheme")
        elif column.unit == "percent":
            _report(problems, where, (s < 0) | (s > 100),
                    lambda i, s=s, c=column: f"{c.name} = {s[i]} is outside 0–100 (percentages are written 0 to 100)")
        elif column.unit == "ratio":
            _report(problems, where, (s < 0) | (s > 1), lambda i, s=s, c=column: f"{c.name} = {s[i]} is outside 0–1")


def _check_required(frame, columns, campaign, where, problems) -> None:
    with_field = has_fields(campaign)
    in_fields: dict[str, pl.Series] = {}  # one mask per set of fields, shared by the columns that use it
    for column in columns:
        if column.required_for in ("none",) or column.name in ("finess", "field"):
            continue
        s = frame[column.name]
        if column.required_for == "all" or not with_field:
            mask = s.is_null()
            scope = "every row"
        else:
            if column.required_for not in in_fields:
                fields = [f.strip() for f in column.required_for.split(",")]
                in_fields[column.required_for] = frame["field"].is_in(fields)
            mask = s.is_null() & in_fields[column.required_for]
            scope = f"rows of field {column.required_for}"
        _report(problems, where, mask,
                lambda i, c=column, scope=scope: f"{c.name} is empty; it must be filled on {scope}"
                + (f" (this row is {frame['field'][i]})" if with_field else ""))


def _check_values(frame, columns, where, problems) -> None:
    """A value outside the list an input declares (``values: [...]``) is refused at its row."""
    for column in columns:
        if column.values and column.name != "field":
            s = frame[column.name]
            _report(problems, where, s.is_not_null() & ~s.is_in(list(column.values)),
                    lambda i, s=s, c=column: f"{c.name} = « {s[i]} » n'est pas une valeur prévue ; "
                    f"valeurs possibles : {', '.join(c.values)}")


def _check_numerators(frame, campaign, where, problems) -> None:
    """In a proportion, a numerator above its denominator is impossible; say which row.

    Other rates (days per stay, observed / expected, spending N / N−1, letters per patient
    with `proportion: false`) are not checked."""
    for indicator in campaign.indicators.values():
        num_id, den_id = indicator.part("numerator"), indicator.part("denominator")
        if not indicator.proportion or not num_id or not den_id:
            continue
        num, den = campaign.nodes[num_id].expr, campaign.nodes[den_id].expr
        if not (isinstance(num, ast.Ref) and isinstance(den, ast.Ref)):
            continue
        ncol, dcol = campaign.inputs[num.target].column, campaign.inputs[den.target].column
        if ncol not in frame.columns or dcol not in frame.columns:
            continue
        n, d = frame[ncol], frame[dcol]
        _report(problems, where, n > d,
                lambda i, n=n, d=d, ncol=ncol, dcol=dcol: f"{ncol} = {n[i]} is above {dcol} = {d[i]} "
                f"(indicator {indicator.name}: a numerator counts part of its denominator)")


def _to_engine(frame: pl.DataFrame, columns: list[Column]) -> pl.DataFrame:
    """Rename columns to input names and hold percentages as ratios."""
    out = {}
    for c in columns:
        s = frame[c.name]
        if c.unit == "percent" and s.dtype.is_decimal():
            s = s.cast(pl.Decimal(38, s.dtype.scale + 2)) / 100  # exact: two more decimals
        out[c.input or c.name] = s
    return pl.DataFrame(out)
