"""Datasets as people have them: a CSV saved by French Excel (« ; », decimal comma, Windows-1252),
a workbook, percentages given as fractions; and results a French spreadsheet opens as it should."""

from __future__ import annotations

import polars as pl
import pytest

from conftest import EXAMPLE, IFAQ_2024, run_cli
from qualispec.runtime.data.headers import Header
from qualispec.runtime.data.output import write_table


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "ref.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", out, "-q")
    assert code == 0, err
    return pl.read_csv(out, infer_schema=False)


def _french_excel_csv(path, rows: int | None = None):
    """The example dataset as French Excel saves it, with a comment column holding accents."""
    frame = pl.read_csv(EXAMPLE, infer_schema=False)
    frame = frame.with_columns(pl.lit("Hôpital Sainte-Élise, près de l'Hérault").alias("commentaire"))
    text = frame.write_csv(separator=";")
    lines = text.splitlines()
    header, body = lines[0], [line.replace(".", ",") for line in lines[1:]]  # every decimal point → comma
    path.write_bytes(("\r\n".join([header] + body) + "\r\n").encode("cp1252"))
    return path


def test_a_french_excel_csv_is_read_with_its_dialect_guessed_and_said(tmp_path, reference):
    data = _french_excel_csv(tmp_path / "export_excel.csv")
    out = tmp_path / "r.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data, "--out", out)
    assert code == 0, err
    assert "séparateur « ; »" in err and "virgule décimale" in err and "Windows-1252" in err
    assert "--sep" in err  # how to impose another reading
    assert pl.read_csv(out, infer_schema=False).equals(reference)


def test_the_dialect_can_be_given_and_then_nothing_is_guessed(tmp_path, reference):
    data = _french_excel_csv(tmp_path / "export_excel.csv")
    out = tmp_path / "r.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data, "--out", out, "--sep", ";", "--decimal", ",",
                           "--encoding", "windows-1252")
    assert code == 0, err
    assert "deviné" not in err
    assert pl.read_csv(out, infer_schema=False).equals(reference)


def test_headers_in_capitals_or_with_spaces_are_read_as_the_columns_they_name(tmp_path, reference, engine):
    """« FINESS », « Stays », « economic_volume  »: the same columns, on every engine, and said."""
    frame = pl.read_csv(EXAMPLE, infer_schema=False)
    written = {c: (c.upper() if i % 3 == 0 else f" {c.capitalize()}  " if i % 3 == 1 else c)
               for i, c in enumerate(frame.columns)}
    data = tmp_path / "en_tetes.csv"
    frame.rename(written).write_csv(data)
    out = tmp_path / "r.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data, "--out", out, "--engine", engine.name)
    assert code == 0, err
    assert "colonne « FINESS » lue comme finess" in err and "(majuscules ou espaces de l'en-tête ignorés)" in err
    assert pl.read_csv(out, infer_schema=False).equals(reference)


def test_a_wrong_encoding_names_the_line_and_what_to_try(tmp_path):
    data = _french_excel_csv(tmp_path / "export_excel.csv")
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data, "--encoding", "utf-8")
    assert code == 1
    assert "ligne 2 :" in err and "0xF4" in err and "--encoding windows-1252" in err
    assert "Traceback" not in err


def test_an_unknown_encoding_is_refused_in_words(tmp_path):
    code, _, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--encoding", "klingon")
    assert code == 1 and "encodage inconnu « klingon »" in err


def test_a_workbook_gives_the_same_results_as_the_csv(tmp_path, reference):
    book = tmp_path / "donnees.xlsx"
    frame = pl.read_csv(EXAMPLE, infer_schema_length=0)
    typed = frame.with_columns(pl.col(c).cast(pl.Float64) for c in frame.columns
                               if c not in ("finess", "field") and frame[c].str.contains(r"^[0-9.]*$").all())
    typed.write_excel(book)
    out = tmp_path / "r.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", book, "--out", out, "-q")
    assert code == 0, err
    assert pl.read_csv(out, infer_schema=False).equals(reference)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_column_named_twice_is_refused_since_which_one_holds_the_values_is_a_guess(tmp_path, suffix):
    """Two « num1_numerator » columns, the second with other counts: a reader would silently keep one."""
    frame = pl.read_csv(EXAMPLE, infer_schema_length=0)
    twice = frame.with_columns(pl.lit("0").alias("num1_numerator_bis"))
    data = tmp_path / f"deux_fois{suffix}"
    if suffix == ".csv":
        text = twice.write_csv().replace("num1_numerator_bis", "num1_numerator", 1)
        data.write_text(text, encoding="utf-8")
    else:
        twice.write_excel(data)
        import openpyxl
        book = openpyxl.load_workbook(data)
        book.active.cell(1, twice.width).value = "num1_numerator"
        book.save(data)
    out = tmp_path / "r.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data, "--out", out)
    assert code == 1 and not out.exists()
    position = frame.columns.index("num1_numerator") + 1
    assert f"la colonne « num1_numerator » apparaît deux fois dans l'en-tête (colonnes {position} et {twice.width})" in err
    assert "Traceback" not in err


def test_an_empty_file_is_refused_in_words(tmp_path):
    data = tmp_path / "vide.csv"
    data.write_bytes(b"")
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data)
    assert code == 1 and "le fichier est vide" in err and "empty CSV" not in err


def test_percentages_given_as_fractions_are_warned_about(tmp_path):
    frame = pl.read_csv(EXAMPLE, infer_schema=False)
    frame = frame.with_columns((pl.col("num1_previous").cast(pl.Float64) / 100).cast(pl.String))
    data = tmp_path / "fractions.csv"
    frame.write_csv(data)
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data)
    assert code == 0, err
    assert "la colonne num1_previous est en pourcentage" in err and "multipliez-les par 100" in err
    code, _, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE)
    assert "multipliez" not in err  # the real percentages are not warned about


def test_csv_for_french_excel(tmp_path, reference):
    out = tmp_path / "pour_excel.csv"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", out, "--excel-fr", "-q")
    assert code == 0, err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel then reads UTF-8
    header = raw[3:].decode("utf-8").splitlines()[0].split(";")
    assert header[:3] == ["FINESS", "Champ", "Groupe de comparaison"]
    assert "Num.1 — score (%)" in header and "Rémunération totale (€)" in header
    back = pl.read_csv(out, separator=";", decimal_comma=True, infer_schema=False)
    assert back.height == reference.height
    score = header.index("Num.1 — score (%)")
    assert back[:, score].str.replace(",", ".").to_list() == reference["num1_score"].to_list()
    counts = header.index("Num.1 — compte pour l'établissement (oui/non)")  # a yes or no, said as its header says
    said = {"true": "oui", "false": "non", None: None}
    assert back[:, counts].to_list() == [said[v] for v in reference["num1_applicable"].to_list()]


def test_xlsx_results_have_french_headers_units_filter_and_formats(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "r.xlsx"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", out, "-q")
    assert code == 0, err
    sheet = openpyxl.load_workbook(out)["résultats"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["FINESS", "Champ", "Groupe de comparaison"]
    assert "Num.1 — résultat (%)" in header and "Num.2 — rémunération (€)" in header
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    assert sheet.max_row == 2001  # a header and the 2 000 rows of the example
    row = {h: c for h, c in zip(header, sheet[2])}
    assert row["Num.1 — résultat (%)"].number_format == '0.00" %"'
    assert "€" in row["Num.2 — rémunération (€)"].number_format
    assert row["FINESS"].data_type == "s"


def test_a_cell_starting_with_equals_is_written_as_text_never_a_formula(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "t.xlsx"
    write_table(pl.DataFrame({"finess": ["=HYPERLINK(\"http://x\")", "=1+1"]}), out,
                headers=[Header("finess", "FINESS", None)])
    sheet = openpyxl.load_workbook(out)["résultats"]
    assert [c.value for c in sheet["A"][1:]] == ["=HYPERLINK(\"http://x\")", "=1+1"]
    assert all(c.data_type == "s" for c in sheet["A"][1:])
