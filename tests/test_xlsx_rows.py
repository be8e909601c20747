"""The XLSX rows made by Polars (runtime/data/xlsx.py) hold what xlsxwriter itself writes, cell for cell: values,
types, number formats, texts that look like formulas, control characters or escapes, spaces kept; and a text
that looks like markup stays that text (xlsxwriter would write it as rich text)."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import polars as pl
import xlsxwriter

from qualispec.runtime.data import xlsx
from qualispec.runtime.data.headers import Header

TEXTS = ["=1+1", "<r><t>gras</t></r>", "a & b < c > d", " espace devant", "espace derrière ", "ligne\nsuivante",
         "contrôle\x01ici\x1f", "_x0041_ déjà échappé", "tab\tulation", "retour\r", "é ü € 漢字", "", None]


def _frame() -> pl.DataFrame:
    n = len(TEXTS)
    return pl.DataFrame({
        "finess": [f"0{i:08d}" for i in range(n)],
        "text": pl.Series(TEXTS, dtype=pl.Utf8),
        "status": pl.Series(["calculé", "hors champ"] * (n // 2) + [None], dtype=pl.Enum(["calculé", "hors champ"])),
        "score": pl.Series([Decimal("12.345678"), Decimal("0"), Decimal("-3.5"), None] * 3 + [Decimal("100")],
                           dtype=pl.Decimal(38, 6)),
        "payout": pl.Series([Decimal("1234567.89"), None, Decimal("0.01")] * 4 + [Decimal("-2")], dtype=pl.Decimal(38, 2)),
        "count": pl.Series(list(range(n - 1)) + [None], dtype=pl.Int64),
        "ratio": pl.Series([0.1, 1 / 3, 2.5e-7, 1e20, -0.0, None] * 2 + [123.0], dtype=pl.Float64),
        "counts": pl.Series([True, False, None] * 4 + [True], dtype=pl.Boolean),
    })


HEADERS = [Header("finess", "FINESS", None), Header("text", "Texte", None), Header("status", "Statut", None),
           Header("score", "Score (%)", "percent"), Header("payout", "Rémunération (€)", "euro"),
           Header("count", "Nombre", "count"), Header("ratio", "Ratio", None), Header("counts", "Compte (oui/non)", None)]


def _by_xlsxwriter(frame: pl.DataFrame, path) -> None:
    """The reference: xlsxwriter's constant-memory mode fed one write_row per row."""
    with xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "constant_memory": True}) as book:
        sheet = book.add_worksheet("résultats")
        formats = {u: book.add_format({"num_format": f}) for u, f in xlsx.NUMBER_FORMATS.items()}
        for j, h in enumerate(HEADERS):
            sheet.set_column(j, j, 12, formats.get(h.unit))
            sheet.write_string(0, j, h.title)
        for i, values in enumerate(frame.iter_rows()):
            sheet.write_row(i + 1, 0, values)


def _cells(path):
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return sheet, [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows()]


def test_the_rows_hold_what_xlsxwriter_writes(tmp_path):
    frame = _frame()
    _by_xlsxwriter(frame, tmp_path / "reference.xlsx")
    xlsx.write_xlsx(str(tmp_path / "ours.xlsx"), [("résultats", frame, HEADERS, (1, 1))])
    _, reference = _cells(tmp_path / "reference.xlsx")
    sheet, ours = _cells(tmp_path / "ours.xlsx")
    assert len(ours) == frame.height + 1
    assert [c[0] for c in ours[0]] == [h.title for h in HEADERS]  # the header (bold here) apart
    # xlsxwriter writes a text « <r>…</r> » as rich-text markup (« gras »): here it stays the text it is
    assert ours[2][1] == ("<r><t>gras</t></r>", "s", "General") and reference[2][1][0] == "gras"
    ours[2][1] = reference[2][1] = None
    for row, (mine, theirs) in enumerate(zip(ours[1:], reference[1:])):
        assert mine == theirs, f"ligne {row + 2}"
    assert ours[1][1] == ("=1+1", "s", "General")  # a text, never a formula
    assert ours[7][1][0] == "contrôle_x0001_ici_x001F_" and ours[4][1][0] == " espace devant"  # Excel reads _xHHHH_
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:H{frame.height + 1}"
    assert sheet.dimensions == f"A1:H{frame.height + 1}"


def test_many_rows_are_written_a_slice_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "SLICE_ROWS", 4)  # 13 rows: four slices, numbered on
    frame = _frame()
    xlsx.write_xlsx(str(tmp_path / "ours.xlsx"), [("résultats", frame, HEADERS, (1, 1)),
                                                  ("groupes", frame.head(5), None, (1, 1))])
    book = openpyxl.load_workbook(tmp_path / "ours.xlsx")
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows(min_row=2)]
    assert [r[0] for r in rows] == frame["finess"].to_list()
    assert [r[5] for r in rows] == frame["count"].to_list()
    assert [[c.value for c in row] for row in book.worksheets[1].iter_rows(max_row=1)][0] == frame.columns
    assert len(list(book.worksheets[1].iter_rows())) == 6


def test_an_empty_result_is_a_header_only(tmp_path):
    frame = _frame().head(0)
    xlsx.write_xlsx(str(tmp_path / "ours.xlsx"), [("résultats", frame, HEADERS, (1, 1))])
    rows = list(openpyxl.load_workbook(tmp_path / "ours.xlsx").worksheets[0].iter_rows(values_only=True))
    assert rows == [tuple(h.title for h in HEADERS)]
