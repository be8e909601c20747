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

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl

from qualispec.compiler import ir
from qualispec.runtime.data.contract import Column, contract_rows, has_fields
from qualispec.runtime.data.rules import POLARS, Rule, row_rules, shown, wanted

MAX_SHOWN = 10
MAX_SCALE = 24  # decimals kept from a file (38 digits in all: 14 before the point)
INT64_MAX = 2**63 - 1
_TRUE = ("true", "1", "yes", "oui", "vrai", "t", "y", "o")
_FALSE = ("false", "0", "no", "non", "faux", "f", "n")
_INTEGER_UNITS = ("count", "days")
_NUMBER_UNITS = ("percent", "ratio", "euro", "number")


class DataError(Exception):
    """The dataset is refused; ``problems`` are the messages, one per line."""

    def __init__(self, path: str, problems: list[str]):
        self.path, self.problems = path, problems
        super().__init__(self.render())  # str(error) names every bad row, as the command line shows them

    def render(self) -> str:
        head = f"{self.path} : jeu de données refusé ; rien n'a été calculé ni écrit."
        return "\n".join([head] + [f"  {p}" for p in self.problems])


@dataclass(frozen=True)
class _Where:
    """How to name a row: CSV line numbers (true even after a quoted line break) or Parquet row numbers."""

    path: str
    csv: bool
    offset: int = 0  # rows of the file before this table (a case inside a case file)
    _starts: list = field(default_factory=list, compare=False, repr=False)  # line of each record, read lazily

    def row(self, index: int) -> str:
        return f"{self.path}:{self.number(index)}" if self.csv else f"{self.path}: ligne {self.number(index)}"

    def number(self, index: int) -> int:
        """The line of the file (CSV) or the row number from 1 (Parquet, XLSX) of data record ``index``."""
        index += self.offset
        return self.line(index) if self.csv else index + 1

    def line(self, index: int) -> int:
        """The line where data record ``index`` starts (the header is line 1)."""
        if not self._starts:
            self._starts.extend(_record_starts(self.path))
        return self._starts[index + 1] if index + 1 < len(self._starts) else index + 2


def _record_starts(path: str) -> list[int]:
    """The line on which each record of a CSV file starts: a line break inside quotes continues a record."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return []
    if b'"' not in data:
        return list(range(1, data.count(b"\n") + 2))
    starts, line = [1], 1
    for token in re.finditer(rb'"[^"]*"|\n', data):
        if token.group() == b"\n":
            line += 1
            starts.append(line)
        else:
            line += token.group().count(b"\n")
    return starts


def read_table(path: str | Path, dialect=None, numeric=frozenset(), notes: list[str] | None = None,
               expected=frozenset()) -> tuple[pl.DataFrame, bool]:
    """The raw table (CSV and XLSX cells as text, so that bad cells can be named), and whether its rows are
    lines of the file. ``dialect``: a :class:`reading.Dialect` (guessed when None); ``numeric``: the columns
    read as numbers (where a decimal comma is turned into a point); ``notes``: where guesses are said;
    ``expected``: the columns the campaign reads, also found under a header with other capitals or spaces."""
    from qualispec.runtime.data.reading import Dialect, ReadError, read_raw

    p = Path(path)
    if not p.exists():
        raise DataError(str(path), ["fichier introuvable", "vérifiez le chemin du jeu de données"])
    try:
        return read_raw(p, dialect or Dialect(), numeric, notes if notes is not None else [], expected)
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
                               notes, {c.name for c in columns})
    if notes is not None:
        notes.extend(fraction_warnings(frame, columns, str(path)))
    return validate(frame, campaign, _Where(str(path), is_csv))


def refuse_missing_columns(name: str, columns: list[Column], present) -> None:
    """The columns of the contract a table lacks (an `optional: true` one may be absent), on every engine."""
    missing = [c.name for c in columns if c.name not in present and not c.may_be_absent]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise DataError(name, [f"colonne{plural} manquante{plural} : {', '.join(missing)}",
                               "les colonnes qu'attend la campagne : qualispec inputs <dossier de la campagne>"])


def validate(frame: pl.DataFrame, campaign: ir.Campaign, where: _Where) -> pl.DataFrame:
    """Check ``frame`` against the campaign's contract; return it typed and converted."""
    columns = contract_rows(campaign)
    refuse_missing_columns(where.path, columns, frame.columns)
    if frame.height == 0:
        raise DataError(where.path, ["le fichier n'a aucune ligne de données (seulement l'en-tête) : rien à calculer",
                                     "ajoutez une ligne par établissement (et par champ)"])
    problems: list[str] = []
    typed = {}
    for column in columns:
        if column.name in frame.columns:
            typed[column.name] = _typed(frame[column.name], column, where, problems)
        else:  # an optional column left out: empty on every row, of the type its unit reads as
            empty = _typed(pl.Series(column.name, [None], pl.String), column, where, problems)
            typed[column.name] = pl.repeat(None, frame.height, dtype=empty.dtype, eager=True).alias(column.name)
    out = pl.DataFrame(typed)
    if problems:
        raise DataError(where.path, problems)

    _check_rules(out, row_rules(campaign, columns), where, problems)
    _check_duplicates(out, has_fields(campaign), where, problems)
    if problems:
        raise DataError(where.path, problems)
    return _to_engine(out, columns)


# ------------------------------------------------------------------ types
def _typed(series: pl.Series, column: Column, where: _Where, problems: list[str]) -> pl.Series:
    unit = column.unit
    if unit in ("text", "category") and series.dtype == pl.String:
        return series
    if series.dtype == pl.String:
        text = series.str.strip_chars().replace("", None)
        want = wanted(unit)
        if unit == "boolean":
            lower = text.str.to_lowercase()
            converted = pl.select(
                pl.when(lower.is_in(_TRUE)).then(True).when(lower.is_in(_FALSE)).then(False).otherwise(None)
            ).to_series().alias(series.name)
        else:
            cleaned = text.str.replace_all(r"[\u00a0\u202f ]", "").str.replace(",", ".", literal=True)
            if unit in _INTEGER_UNITS:
                as_float = cleaned.cast(pl.Float64, strict=False)
                converted = pl.select(pl.when(as_float == as_float.floor()).then(as_float)).to_series()
                converted = converted.cast(pl.Int64, strict=False).alias(series.name)
            else:
                converted = as_decimal(cleaned).alias(series.name)
                as_float = cleaned.cast(pl.Float64, strict=False)
                infinite = (converted.is_null() & as_float.is_not_null() & ~as_float.is_finite()).fill_null(False)
                _report(problems, where, infinite, lambda i: f"{column.name} = {text[i]} n'est pas un nombre fini")
                converted = pl.select(pl.when(infinite).then(pl.lit(0, converted.dtype)).otherwise(converted)).to_series()
                converted = converted.alias(series.name)
        bad = (text.is_not_null() & converted.is_null()).arg_true()
        if len(bad):
            listed = ", ".join(f"{where.row(i)} ('{shown(text[i])}')" for i in bad[:MAX_SHOWN].to_list())
            more = f" et {len(bad) - MAX_SHOWN} autres" if len(bad) > MAX_SHOWN else ""
            problems.append(f"colonne {column.name} : attendu {want} : {listed}{more}")
        return converted
    # Parquet: the column has a type already; it must be the right kind.
    dtype = series.dtype
    if unit in ("text", "category"):
        if dtype in (pl.String, pl.Categorical) or dtype.is_integer() or isinstance(dtype, pl.Enum):
            return series.cast(pl.String)
        problems.append(f"colonne {column.name} : a le type {dtype}, attendu du texte")
        return pl.Series(series.name, [None] * len(series), pl.String)
    if unit == "boolean":
        if dtype != pl.Boolean:
            problems.append(f"colonne {column.name} : a le type {dtype}, attendu {wanted(unit)}")
        return series
    if not dtype.is_numeric():
        problems.append(f"colonne {column.name} : a le type {dtype}, attendu {wanted(unit)}")
        return series
    if unit in _INTEGER_UNITS and dtype.is_float():
        _report(problems, where, series.is_nan() | series.is_infinite(),
                lambda i: f"{column.name} = {series[i]} n'est pas un nombre fini")
        finite = series.is_not_nan() & series.is_finite()
        fractional = (finite & (series != series.floor())).arg_true()
        if len(fractional):
            listed = ", ".join(f"{where.row(i)} ({series[i]})" for i in fractional[:MAX_SHOWN].to_list())
            problems.append(f"colonne {column.name} : attendu un nombre entier : {listed}")
        _report(problems, where, finite & (series.abs() > INT64_MAX),
                lambda i: f"{column.name} = {series[i]} est trop grand pour un nombre entier")
        return series.cast(pl.Int64, strict=False)
    if unit in _INTEGER_UNITS:
        _report(problems, where, series > INT64_MAX,
                lambda i: f"{column.name} = {series[i]} est trop grand pour un nombre entier (au plus {INT64_MAX})")
        return series.cast(pl.Int64, strict=False)
    if dtype.is_decimal():
        return series
    if dtype.is_float():
        finite = series.is_finite() | series.is_null()
        bad = (~finite).fill_null(False).arg_true()
        if len(bad):
            listed = ", ".join(f"{where.row(i)} ({series[i]})" for i in bad[:MAX_SHOWN].to_list())
            problems.append(f"colonne {column.name} : n'est pas un nombre fini : {listed}")
            return series
        huge = (series.abs() >= 10**(38 - 12)).fill_null(False)
        if huge.any():  # beyond what 38 digits with 12 decimals hold
            _report(problems, where, huge, lambda i: f"{column.name} = {series[i]} est trop grand pour être lu exactement")
            return series
        return shortest_decimal(series)  # 65.6 as a float is read as the decimal 65.6
    return series.cast(pl.Decimal(38, 0))


def shortest_decimal(series: pl.Series) -> pl.Series:
    """Floats as exact decimals, each by its shortest decimal form (24988493.77, not the binary neighbour
    24988493.769999999552…), at the scale of the longest such fraction, so that 38 digits hold the largest."""
    fast = _few_decimals(series)
    if fast is not None:
        return fast
    text = series.cast(pl.String)
    scientific = text.str.contains("e", literal=True).fill_null(False)
    if scientific.any():  # Polars writes 1e-7 and 1.5e+20: those few written out in full
        rows = scientific.arg_true()
        text = text.scatter(rows, [format(Decimal(t), "f") for t in text.gather(rows).to_list()])
    largest = series.abs().max()
    whole_digits = len(str(int(largest))) if largest is not None else 1
    return as_decimal(text, min(MAX_SCALE, 38 - whole_digits))


def _few_decimals(series: pl.Series) -> pl.Series | None:
    """The same without text, when every value is n / 10^s with |n| < 2^51 for one small s: then
    n = round(x · 10^s) exactly, and that n / 10^s is the only s-decimal number the float stands for
    (it reads back as x: checked in NumPy, whose division is IEEE's; Polars divides by a constant
    through its reciprocal, one rounding too many). None when no such s is found."""
    values = series.to_numpy()
    finite = values[~np.isnan(values)] if series.null_count() else values
    largest = float(np.abs(finite).max()) if finite.size else 0.0
    for scale in range(16):
        power = 10.0 ** scale
        if largest * power >= 2.0 ** 51:
            return None
        unscaled = np.round(finite * power)
        if np.array_equal(unscaled / power, finite):
            whole = pl.Series(series.name, np.round(values * power)).cast(pl.Int64, strict=False)
            whole = pl.select(pl.when(series.is_null()).then(None).otherwise(whole)).to_series()
            return whole.cast(pl.Int128).reinterpret(dtype=pl.Decimal(38, scale)).alias(series.name)  # n as unscaled
    return None


def as_decimal(text: pl.Series, max_scale: int = MAX_SCALE) -> pl.Series:
    """Decimal text as exact decimals, at the scale of its longest fraction (unreadable text: missing)."""
    scale = min(text.str.extract(r"\.(\d+)$").str.len_chars().max() or 0, max_scale)
    return text.cast(pl.Decimal(38, scale), strict=False)


# ------------------------------------------------------------------ rows
def _report(problems, where: _Where, mask: pl.Series, describe) -> None:
    rows = mask.fill_null(False).arg_true()
    if len(rows):
        listed = "; ".join(f"{where.row(i)}: {describe(i)}" for i in rows[:MAX_SHOWN].to_list())
        more = f" (et {len(rows) - MAX_SHOWN} autres lignes)" if len(rows) > MAX_SHOWN else ""
        problems.append(listed + more)


def _check_rules(frame: pl.DataFrame, rules: list[Rule], where: _Where, problems: list[str]) -> None:
    """Every row that breaks a rule (runtime/data/rules.py), the first ten of each named by their line."""
    broken = frame.select(rule.breaks(POLARS).fill_null(False).any().alias(str(i)) for i, rule in enumerate(rules))
    for i, rule in enumerate(rules):
        if broken[str(i)].item():  # the rows of the rules broken only (one boolean per rule otherwise)
            mask = frame.select(rule.breaks(POLARS)).to_series()
            _report(problems, where, mask, lambda row: rule.said(frame.row(row, named=True)))


def _check_duplicates(frame, with_field: bool, where, problems) -> None:
    keys = ["finess", "field"] if with_field else ["finess"]
    if frame.select(pl.struct(keys).hash().n_unique()).item() == frame.height:
        return  # as many hashes as rows: no two rows have the same key (a quarter of the exact search's cost)
    dup = frame.lazy().select(pl.struct(keys).is_duplicated()).collect().to_series()
    if dup.any():
        first_seen = {}
        for i in dup.arg_true().to_list():
            key = tuple(frame[k][i] for k in keys)
            first_seen.setdefault(key, []).append(i)
        shown_keys = []
        for key, rows in list(first_seen.items())[:MAX_SHOWN]:
            lines = ", ".join(str(where.number(i)) for i in rows)
            shown_keys.append(f"({', '.join(shown(k) for k in key)}) apparaît aux lignes {lines}")
        more = f" (et {len(first_seen) - MAX_SHOWN} autres)" if len(first_seen) > MAX_SHOWN else ""
        problems.append(f"{where.path} : {'(finess, field)' if with_field else 'finess'} en double : "
                        + " ; ".join(shown_keys) + more + " ; gardez une ligne par établissement"
                        + (" et par champ" if with_field else ""))


def _to_engine(frame: pl.DataFrame, columns: list[Column]) -> pl.DataFrame:
    """Rename columns to input names and hold percentages as ratios."""
    out = {}
    for c in columns:
        s = frame[c.name]
        if c.unit == "percent" and s.dtype.is_decimal():
            s = s.cast(pl.Decimal(38, s.dtype.scale + 2)) / 100  # exact: two more decimals
        out[c.input or c.name] = s
    return pl.DataFrame(out)
