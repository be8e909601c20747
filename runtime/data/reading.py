"""Reading a dataset as people have it: CSV from French Excel (``;``, decimal comma, Windows-1252),
any other CSV dialect, XLSX workbooks and Parquet.

The dialect is given (``--sep``, ``--decimal``, ``--encoding``) or guessed from the file's first
lines, and a guess other than plain UTF-8 CSV with ``,`` and a decimal point is said in a note that
names it and how to impose another. Cells are returned as text (CSV, XLSX) so that a bad cell can
be named at its line; :mod:`dataset` validates and converts them. A number written with a decimal
comma (``81,82``, ``1 234,5``) becomes ``81.82`` in the columns the campaign reads as numbers,
never in a text column.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path

import polars as pl

SAMPLE_BYTES = 64 * 1024
SEPARATORS = ",;\t|"
SEPARATOR_WORDS = {",": "« , »", ";": "« ; »", "\t": "tabulation", "|": "« | »"}
ENCODING_NAMES = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_SPACES = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space: French thousands separators
_COMMA_NUMBER = rf"^\s*[-+]?(\d{{1,3}}({_SPACES}\d{{3}})+|\d+)(,\d+)?\s*$"
_COMMA_DECIMAL = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_POINT_DECIMAL = re.compile(r"^\s*[-+]?\d+\.\d+\s*$")


class ReadError(Exception):
    """The file cannot be read as a table; ``problems`` say why and what to do (in French)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written; ``None`` is « guess it from the file »."""

    sep: str | None = None
    decimal: str | None = None
    encoding: str | None = None


def read_raw(path: Path, dialect: Dialect, numeric: frozenset[str] | set[str], notes: list[str],
             expected: frozenset[str] | set[str] = frozenset()) -> tuple[pl.DataFrame, bool]:
    """The table with its cells as text (CSV, XLSX) or typed (Parquet), and whether rows are lines.
    ``expected``: the columns the campaign reads, found under a header written with other capitals or
    spaces around it (« FINESS », « stays  »), said in ``notes``."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return _as_expected(pl.read_parquet(path), expected, path, notes), False
    if suffix in EXCEL_SUFFIXES:
        return _as_expected(_read_excel(path), expected, path, notes), True
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, dialect, numeric, notes, expected), True
    raise ReadError([f"type de fichier inconnu « {suffix} » : utilisez .csv, .xlsx ou .parquet"])


def header_renames(names: list[str], expected) -> dict[str, str]:
    """{header as written: column of the campaign} for the headers that differ from a column the campaign reads
    only by capitals or spaces around them, when that column is not in the file under its own name."""
    by_key: dict[str, list[str]] = {}
    for name in expected:
        by_key.setdefault(name.strip().casefold(), []).append(name)
    renames = {}
    for name in names:
        meant = by_key.get(name.strip().casefold(), [])
        if name not in expected and len(meant) == 1 and meant[0] not in names:
            renames[name] = meant[0]
    return renames


def said_renames(renames: dict[str, str], path) -> list[str]:
    if not renames:
        return []
    return [f"{path} : " + ", ".join(f"colonne « {written} » lue comme {column}" for written, column in renames.items())
            + " (majuscules ou espaces de l'en-tête ignorés)"]


def _as_expected(frame: pl.DataFrame, expected, path, notes: list[str]) -> pl.DataFrame:
    renames = header_renames(frame.columns, expected)
    notes.extend(said_renames(renames, path))
    return frame.rename(renames) if renames else frame


# ------------------------------------------------------------------ CSV
def _read_csv(path: Path, dialect: Dialect, numeric, notes: list[str], expected=frozenset()) -> pl.DataFrame:
    data = path.read_bytes()
    encoding, text = _decode(data, dialect.encoding)
    if not text.strip():
        raise ReadError(["le fichier est vide", "enregistrez-y une ligne d'en-tête puis une ligne par établissement"])
    sep, decimal = settled(text[:SAMPLE_BYTES], dialect, encoding, str(path), notes)
    refuse_repeated_headers(next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep), []))
    source = data if encoding == "utf-8" and not data.startswith(b"\xef\xbb\xbf") else text.encode("utf-8")
    frame = _as_expected(pl.read_csv(source, separator=sep, infer_schema=False, null_values=[""]), expected, path, notes)
    if decimal == ",":
        frame = _decimal_comma(frame, numeric)
    return frame


def settled(sample: str, dialect: Dialect, encoding: str, path: str, notes: list[str]) -> tuple[str, str]:
    """(separator, decimal mark): as given, or guessed from the file's first lines; what was guessed
    (and the encoding, when it is not UTF-8 and was not given) is said in ``notes``."""
    sep = dialect.sep if dialect.sep is not None else _guess_separator(sample)
    decimal = dialect.decimal if dialect.decimal is not None else _guess_decimal(sample, sep)
    guessed = []
    if dialect.sep is None and sep != ",":
        guessed.append(f"séparateur {SEPARATOR_WORDS.get(sep, repr(sep))}")
    if dialect.decimal is None and decimal == ",":
        guessed.append("virgule décimale")
    if dialect.encoding is None and encoding != "utf-8":
        guessed.append(f"encodage {ENCODING_NAMES.get(encoding, encoding)} (le fichier n'est pas en UTF-8)")
    if guessed:
        notes.append(f"{path} : lu avec {', '.join(guessed)}, deviné d'après le fichier ; "
                     "imposez un autre choix avec --sep, --decimal ou --encoding")
    return sep, decimal


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """(encoding used, text). Without an encoding: UTF-8 (with or without BOM), else Windows-1252."""
    if encoding is not None:
        name = _encoding_name(encoding)
        try:
            return name, data.decode("utf-8-sig" if name == "utf-8" else name)
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b"\n") + 1
            raise ReadError([f"ligne {line} : l'octet 0x{data[error.start]:02X} n'existe pas en "
                             f"{ENCODING_NAMES.get(name, name)}",
                             "un fichier enregistré par Excel en France est souvent en Windows-1252 : "
                             "essayez --encoding windows-1252"]) from None
    try:
        return "utf-8", data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1252", data.decode("cp1252", errors="replace")


def _encoding_name(encoding: str) -> str:
    lowered = encoding.lower().replace("_", "-")
    aliases = {"utf8": "utf-8", "utf-8-sig": "utf-8", "windows-1252": "cp1252", "win-1252": "cp1252",
               "cp-1252": "cp1252", "latin1": "latin-1", "iso-8859-1": "latin-1", "latin-9": "iso8859-15",
               "iso-8859-15": "iso8859-15"}
    name = aliases.get(lowered, lowered)
    try:
        "".encode(name)
    except LookupError:
        raise ReadError([f"encodage inconnu « {encoding} » : utilisez par exemple utf-8 ou windows-1252"]) from None
    return name


def _guess_separator(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=SEPARATORS).delimiter
    except csv.Error:
        counts = {sep: lines[0].count(sep) for sep in SEPARATORS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _guess_decimal(sample: str, sep: str) -> str:
    """``,`` when the numbers of the first lines are written with a comma and none with a point."""
    if sep == ",":
        return "."
    comma = point = 0
    for row in csv.reader(io.StringIO(sample), delimiter=sep):
        for cell in row:
            comma += bool(_COMMA_DECIMAL.match(cell))
            point += bool(_POINT_DECIMAL.match(cell))
    return "," if comma and not point else "."


def _decimal_comma(frame: pl.DataFrame, numeric) -> pl.DataFrame:
    """``1 234,5`` → ``1234.5`` in the numeric columns; other cells unchanged (validation names them)."""
    changed = []
    for name in frame.columns:
        if name not in numeric:
            continue
        cell = pl.col(name)
        changed.append(pl.when(cell.str.contains(_COMMA_NUMBER))
                       .then(cell.str.replace_all(_SPACES, "").str.replace(",", ".", literal=True))
                       .otherwise(cell).alias(name))
    return frame.with_columns(changed) if changed else frame


# ------------------------------------------------------------------ XLSX
def _read_excel(path: Path) -> pl.DataFrame:
    """The first sheet, every cell as text (numbers in their shortest exact writing: 81.82)."""
    try:
        header = pl.read_excel(path, engine="calamine", has_header=False, read_options={"n_rows": 1},
                               infer_schema_length=0)
        refuse_repeated_headers(["" if v is None else str(v) for v in header.row(0)] if header.height else [])
        return pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except ModuleNotFoundError:
        raise ReadError(["la lecture des classeurs Excel demande le paquet fastexcel (pip install fastexcel)"]) from None


def refuse_repeated_headers(names: list[str]) -> None:
    """Two columns of the same name: which one holds the values is a guess (a reader renames the second)."""
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        name = name.strip()
        if not name:  # an empty header cell is no name (its column is unnamed, not a second one)
            continue
        if name in seen:
            raise ReadError([f"la colonne « {name} » apparaît deux fois dans l'en-tête (colonnes {seen[name]} et "
                             f"{position}) : on ne sait pas laquelle lire",
                             "renommez ou supprimez l'une des deux"])
        seen[name] = position


# ------------------------------------------------------------------ plausibility
def fraction_warnings(frame: pl.DataFrame, columns, path: str) -> list[str]:
    """A percent column (0–100 in the file) whose values all lie between 0 and 1 was probably given as
    fractions (0,8182 for 81,82 %): said, not refused, since a result below 1 % is possible."""
    warnings = []
    for column in columns:
        if column.unit != "percent" or column.name not in frame.columns:
            continue
        cells = frame[column.name].cast(pl.String).str.strip_chars()
        values = cells.cast(pl.Float64, strict=False)  # a plausibility test, never a computed value
        inside = (values > 0) & (values < 1)
        if looks_like_fractions(values.drop_nulls().len(), values.max(), inside.any()):
            warnings.append(fraction_warning(path, column.name, cells.filter(inside)[0]))
    return warnings


def looks_like_fractions(count: int, largest, some_inside: bool) -> bool:
    """At least two values, none above 1 and some strictly between 0 and 1."""
    return count >= 2 and largest is not None and largest <= 1 and bool(some_inside)


def fraction_warning(path: str, name: str, written: str) -> str:
    """What to say of a percent column that looks like fractions, with one of its values as written."""
    written = written.strip()
    hundred = format((Decimal(written.replace(",", ".")) * 100).normalize(), "f").replace(".", ",")
    return (f"{path} : attention, la colonne {name} est en pourcentage (0 à 100) mais toutes ses valeurs sont entre 0 "
            f"et 1 (par ex. {written.replace('.', ',')}) : si ce sont des fractions, multipliez-les par 100 "
            f"({written.replace('.', ',')} → {hundred} %)")
