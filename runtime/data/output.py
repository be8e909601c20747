"""Writing results: CSV, Parquet or XLSX by extension, never half-written.

The file is written next to its destination under a temporary name and moved into
place only when complete, so an existing output is either replaced whole or left
untouched (a crash or a full disk never leaves a truncated file behind).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polars as pl

FORMATS = (".csv", ".parquet", ".xlsx")


class OutputError(Exception):
    pass


def check_destination(path: str | Path) -> Path:
    """Refuse a bad destination before any computation starts."""
    p = Path(path)
    if p.suffix.lower() not in FORMATS:
        raise OutputError(f"{path}: unknown output type '{p.suffix}'; use .csv, .parquet or .xlsx")
    if p.parent and not p.parent.exists():
        raise OutputError(f"{path}: the folder {p.parent} does not exist")
    if p.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    return p


def write_table(rows: pl.DataFrame, path: str | Path, groups: pl.DataFrame | None = None) -> None:
    p = check_destination(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=p.suffix, dir=p.parent or ".")
    os.close(fd)
    try:
        suffix = p.suffix.lower()
        if suffix == ".csv":
            rows.write_csv(tmp)
        elif suffix == ".parquet":
            rows.write_parquet(tmp)
        else:
            _write_xlsx(rows, groups, tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; the result is an ordinary file
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_xlsx(rows: pl.DataFrame, groups: pl.DataFrame | None, tmp: str) -> None:
    import xlsxwriter

    with xlsxwriter.Workbook(tmp) as workbook:
        rows.write_excel(workbook, worksheet="résultats", autofit=True, float_precision=2,
                         header_format={"bold": True}, freeze_panes=(1, 3))
        if groups is not None:
            groups.write_excel(workbook, worksheet="groupes", autofit=True, float_precision=2,
                               header_format={"bold": True})
