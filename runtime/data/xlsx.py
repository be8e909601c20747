"""Writing results as an XLSX sheet a reader can use at once: French headers with units, header frozen, a filter
on every column, % and € number formats. Cells are values only: a text starting with « = » stays text, never a
formula.

xlsxwriter lays out the workbook (styles, headers, widths, frozen panes, filter); the data rows, which it would
write one Python call per cell (100 s for 500 000 rows), are made here as the sheet's XML by Polars, a slice of
rows at a time, and streamed into the sheet: the memory does not grow with the rows and the cells are what
xlsxwriter writes in its constant-memory mode (numbers in ``<v>``, texts inline and escaped, booleans ``t="b"``,
each cell with its column's number format).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import polars as pl

NUMBER_FORMATS = {"percent": '0.00" %"', "euro": '#,##0.00" €"', "count": "0", "days": "0"}
WIDTH_ROWS = 20_000  # column widths are measured on the first rows
SLICE_ROWS = 20_000  # rows turned into XML at a time
STRING_MAX = 32_767  # the longest text a cell holds
_CONTROL = [chr(c) for c in range(32) if chr(c) not in "\t\n"] + ["\ufffe", "\uffff"]  # not allowed in XML: written _xHHHH_ as Excel does
_ESCAPE_LIKE = r"_(x[0-9A-Fa-f]{4}_)"  # a text that reads as such an escape keeps its « _ »: _x005F_
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def write_xlsx(tmp: str, sheets: list[tuple[str, pl.DataFrame, object, tuple[int, int]]]) -> None:
    """``sheets``: (name, frame, headers, frozen (row, column)), written into ``tmp``."""
    import xlsxwriter

    with tempfile.TemporaryDirectory() as work:
        layout = str(Path(work) / "layout.xlsx")
        options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                   "constant_memory": True}
        styles = []
        with xlsxwriter.Workbook(layout, options) as workbook:
            for name, frame, headers, frozen in sheets:
                styles.append(_layout_sheet(workbook, name, frame, headers, frozen))
            # the style number each column's cells carry, as xlsxwriter numbers its formats
            styles = [[f._get_xf_index() if f is not None else None for f in columns] for columns in styles]
        _fill(layout, tmp, [(frame, columns) for (_, frame, _, _), columns in zip(sheets, styles)])


def _layout_sheet(workbook, name: str, frame: pl.DataFrame, headers, frozen: tuple[int, int]) -> list:
    titles = {h.column: h.title for h in headers or ()}
    units = {h.column: h.unit for h in headers or ()}
    sheet = workbook.add_worksheet(name)
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    formats = {unit: workbook.add_format({"num_format": f}) for unit, f in NUMBER_FORMATS.items()}
    widths = frame.head(WIDTH_ROWS).select(pl.col(c).cast(pl.Utf8).str.len_chars().max().fill_null(0) for c in frame.columns)
    columns = []
    for j, column in enumerate(frame.columns):
        title = titles.get(column, column)
        width = max(10, min(40, max(widths[0, j], min(len(title), 24)) + 2))
        columns.append(formats.get(units.get(column)))
        sheet.set_column(j, j, width, columns[-1])
        sheet.write_string(0, j, title, header)
    sheet.freeze_panes(*frozen)
    sheet.autofilter(0, 0, max(frame.height, 1), max(len(frame.columns) - 1, 0))
    return columns


def _fill(layout: str, out: str, sheets: list[tuple[pl.DataFrame, list]]) -> None:
    """Copy the laid-out workbook into ``out``, each sheet's rows written after its header row."""
    with zipfile.ZipFile(layout) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            number = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if number is None:
                target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            frame, styles = sheets[int(number.group(1)) - 1]
            last = f"{column_letters(max(frame.width - 1, 0))}{frame.height + 1}"
            data = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>'.encode(), data, count=1)
            head, end = data.split(b"</sheetData>", 1)
            with target.open(item.filename, "w", force_zip64=True) as sheet:  # compressed as the archive says
                sheet.write(head)
                for first, part in zip(range(0, max(frame.height, 1), SLICE_ROWS), frame.iter_slices(SLICE_ROWS)):
                    sheet.write(rows_xml(part, styles, first + 2).encode("utf-8"))
                sheet.write(b"</sheetData>")
                sheet.write(end)


def rows_xml(part: pl.DataFrame, styles: list, first_row: int) -> str:
    """The ``<row>`` elements of ``part``, its first row numbered ``first_row`` (1 is the header)."""
    if part.height == 0 or part.width == 0:
        return ""
    row = "_row" + "_" * max(map(len, part.columns))  # a name no column has
    numbered = part.with_columns(pl.int_range(first_row, first_row + part.height).cast(pl.Utf8).alias(row))
    cells = [_cell(numbered, j, column, styles[j], row) for j, column in enumerate(part.columns)]
    xml = pl.concat_str([pl.lit('<row r="'), pl.col(row), pl.lit('">'), *cells, pl.lit("</row>")])
    return numbered.select(xml.str.join("")).item()


def _cell(part: pl.DataFrame, j: int, column: str, style, row: str) -> pl.Expr:
    """One column's cells: ``<c r="B7" s="2">…</c>``, nothing for an empty value (or an empty text, as xlsxwriter)."""
    dtype = part.schema[column]
    value = pl.col(column)
    attributes = f"\" s=\"{style}\"" if style else "\""  # closes r="…", then the style
    start = [pl.lit(f'<c r="{column_letters(j)}'), pl.col(row)]
    if dtype == pl.Boolean:
        return pl.concat_str([*start, pl.lit(f'{attributes} t="b"><v>'), value.cast(pl.UInt8).cast(pl.Utf8),
                              pl.lit("</v></c>")]).fill_null("")
    if dtype.is_numeric() or isinstance(dtype, pl.Decimal):
        return pl.concat_str([*start, pl.lit(f"{attributes}><v>"), value.cast(pl.Utf8), pl.lit("</v></c>")]).fill_null("")
    if dtype in (pl.Utf8, pl.Categorical) or isinstance(dtype, pl.Enum):
        cell = pl.concat_str([*start, pl.lit(f'{attributes} t="inlineStr"><is>'), _text(part, column), pl.lit("</is></c>")])
        return pl.when(value.cast(pl.Utf8) == "").then(pl.lit("")).otherwise(cell).fill_null("")
    raise TypeError(f"colonne {column} : type {dtype} non écrit en XLSX")


def _text(part: pl.DataFrame, column: str) -> pl.Expr:
    """``<t>…</t>`` for a text, as xlsxwriter writes it: at most 32 767 characters, « & < > » escaped, control
    characters written _xHHHH_ (and a text that reads as such an escape keeps its « _ » as _x005F_), leading or
    trailing spaces kept."""
    values = part.get_column(column).cast(pl.Utf8)
    text = pl.col(column).cast(pl.Utf8).str.slice(0, STRING_MAX)
    if values.str.contains(r"_x[0-9A-Fa-f]{4}_").any():
        text = text.str.replace_all(_ESCAPE_LIKE, "_x005F_$1")
    for char in _CONTROL:
        if values.str.contains(char, literal=True).any():
            text = text.str.replace_all(char, f"_x{ord(char):04X}_", literal=True)
    text = (text.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True))
    preserve = pl.col(column).cast(pl.Utf8).str.contains(r"^\s|\s$")
    return pl.concat_str([pl.when(preserve).then(pl.lit('<t xml:space="preserve">')).otherwise(pl.lit("<t>")),
                          text, pl.lit("</t>")])


def column_letters(j: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
