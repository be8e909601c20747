"""Writing results: CSV, Parquet or XLSX by extension, never half-written.

The file is written next to its destination under a temporary name and moved into
place only when complete, so an existing output is either replaced whole or left
untouched (a crash or a full disk never leaves a truncated file behind).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import polars as pl

from qualispec.compiler.whole_files import written_whole
from qualispec.runtime.data import xlsx

FORMATS = (".csv", ".parquet", ".xlsx")
XLSX_MAX_ROWS = 1_048_575  # a worksheet holds 1 048 576 rows, one of them the header


class OutputError(Exception):
    pass


def check_destination(path: str | Path, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Refuse a bad destination before any computation starts (``inputs``: files it must not replace)."""
    p = Path(path)
    for source in inputs:
        if _same_file(p, Path(source)):
            raise OutputError(f"{path} est aussi le fichier de données lu : il serait écrasé ; "
                              "choisissez un autre nom pour --out")
    if p.suffix.lower() not in FORMATS:
        raise OutputError(f"{path} : type de fichier de résultats inconnu « {p.suffix} » ; utilisez .csv, .parquet ou .xlsx")
    if p.parent and not p.parent.exists():
        raise OutputError(f"{path} : le dossier {p.parent} n'existe pas ; créez-le ou choisissez un autre --out")
    if p.is_dir():
        raise OutputError(f"{path} est un dossier ; donnez un nom de fichier (résultats.csv, .parquet ou .xlsx)")
    return p


def check_rows(path: str | Path, count: Callable[[], int]) -> None:
    """An XLSX sheet has a fixed number of rows: say so before computing, not after. ``count()`` gives the
    rows, asked only for a sheet (on Spark, counting is a job)."""
    if Path(path).suffix.lower() == ".xlsx" and (rows := count()) > XLSX_MAX_ROWS:
        def grouped(n: int) -> str:  # 1 048 575, without touching the path's own underscores
            return f"{n:_}".replace("_", " ")

        raise OutputError(f"{path}: {grouped(rows)} lignes de résultats, une feuille XLSX en contient au plus "
                          f"{grouped(XLSX_MAX_ROWS)} ; écrivez en .csv ou .parquet")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except (OSError, ValueError):
        return False


def write_table(rows: pl.DataFrame, path: str | Path, groups: pl.DataFrame | None = None, headers=None,
                excel_fr: bool = False, group_headers=None) -> None:
    """``headers``, ``group_headers``: the French headers of :mod:`headers` for the results and the per-group
    summary (XLSX); ``excel_fr``: a CSV that French Excel opens in columns (``;``, decimal comma, UTF-8 with a
    byte-order mark)."""
    p = check_destination(path)
    with written_whole(p, suffix=p.suffix) as tmp:
        suffix = p.suffix.lower()
        if suffix == ".csv" and excel_fr:
            titles = {h.column: h.title for h in headers or ()}
            said = [pl.when(pl.col(c)).then(pl.lit("oui")).when(pl.col(c).not_()).then(pl.lit("non")).alias(c)
                    for c, dtype in rows.schema.items() if dtype == pl.Boolean]  # as the headers say: « (oui/non) »
            rows.with_columns(said).rename({c: titles.get(c, c) for c in rows.columns}).write_csv(
                tmp, separator=";", decimal_comma=True, include_bom=True)
        elif suffix == ".csv":
            rows.write_csv(tmp)
        elif suffix == ".parquet":
            rows.write_parquet(tmp)
        else:
            _write_xlsx(rows, groups, tmp, headers, group_headers)


def _write_xlsx(rows: pl.DataFrame, groups: pl.DataFrame | None, tmp: str, headers=None, group_headers=None) -> None:
    """French headers with units, header frozen, a filter on every column, % and € formats (runtime/data/xlsx.py);
    the Excel limit of rows is checked before computing (check_rows)."""
    sheets = [("résultats", rows, headers, (1, 1) if headers else (1, 3))]
    if groups is not None:
        sheets.append(("groupes", groups, group_headers, (1, 1)))
    xlsx.write_xlsx(tmp, sheets)
