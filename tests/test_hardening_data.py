"""A bad dataset is refused at its row (file:line or row, column, value), never a crash or a silent accept.

Each case is one the fuzzing campaign of issue 11 found. "Refused" means exit 1, the
dataset named, nothing computed, no output file.
"""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from conftest import EXAMPLE, IFAQ_2024, ROOT, run_cli

CAQES_2022 = ROOT / "specs" / "caqes" / "2022"
CAQES_DATA = ROOT / "examples" / "caqes_2022.csv"


def evaluate(spec, data, out):
    code, stdout, err = run_cli("eval", spec, "--data", data, "--out", out, "--quiet")
    assert "Traceback" not in err and "erreur interne" not in err, err
    return code, err


def refused(spec, data, out) -> str:
    code, err = evaluate(spec, data, out)
    assert code == 1, err
    assert not out.exists()
    return err


def ifaq_rows(n=40) -> pl.DataFrame:
    return pl.read_csv(EXAMPLE, infer_schema=False).head(n)


def test_a_header_only_csv_is_refused(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(CAQES_DATA.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    err = refused(CAQES_2022, data, tmp_path / "r.csv")
    assert "le fichier n'a aucune ligne de données (seulement l'en-tête)" in err


def test_a_category_value_outside_the_declared_values_is_refused_at_its_line(tmp_path):
    frame = pl.read_csv(CAQES_DATA, infer_schema=False)
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("banana"))
                               .otherwise(pl.col("pc_analysis_level")).alias("pc_analysis_level"))
    data = tmp_path / "d.csv"
    frame.write_csv(data)
    err = refused(CAQES_2022, data, tmp_path / "r.csv")
    assert "d.csv:4: pc_analysis_level = « banana » n'est pas une valeur prévue ; " \
           "valeurs possibles : aucun, initial, approfondi, optimisé" in err


@pytest.mark.parametrize("finess, why", [
    ("590\x0000017", "n'est pas un numéro FINESS"),
    ("ABCDEFGHI", "n'est pas un numéro FINESS"),
    ("../../../", "n'est pas un numéro FINESS"),
    ("59000001\u200b", "n'est pas un numéro FINESS"),
    ("590000017 ", "a 10 caractères"),
    ("=SUM(1,2)", "n'est pas un numéro FINESS"),
])
def test_a_finess_that_is_not_nine_digits_is_refused(tmp_path, finess, why):
    frame = ifaq_rows().with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(finess))
                                     .otherwise(pl.col("finess")).alias("finess"))
    data = tmp_path / "d.parquet"
    frame.write_parquet(data)
    err = refused(IFAQ_2024, data, tmp_path / "r.xlsx")
    assert "d.parquet: ligne 1: finess « " in err and why in err
    assert "\x00" not in err and "\u200b" not in err


def test_a_corsican_finess_is_accepted(tmp_path):
    frame = ifaq_rows().with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("2A0000012"))
                                     .otherwise(pl.col("finess")).alias("finess"))
    data = tmp_path / "d.csv"
    frame.write_csv(data)
    code, err = evaluate(IFAQ_2024, data, tmp_path / "r.csv")
    assert code == 0, err


def test_text_from_the_data_is_never_a_formula_in_xlsx(tmp_path):
    from qualispec.runtime.data.output import write_table
    import openpyxl

    out = tmp_path / "r.xlsx"
    write_table(pl.DataFrame({"finess": ["=SUM(1,2)", "http://x.example"], "n": [1, 2]}), out)
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet["A"]] == ["finess", "=SUM(1,2)", "http://x.example"]
    assert all(c.data_type == "s" for c in sheet["A"][1:])  # strings, not formulas


def test_line_numbers_stay_true_after_a_quoted_line_break(tmp_path):
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines()[:30]
    lines = [header]
    for i, row in enumerate(rows):
        cells = row.split(",")
        if i == 3:
            cells[0] = '"5900\n00017"'  # a FINESS with a line break inside quotes: 2 lines of the file
        if i == 20:
            cells[2] = "abc"  # stays: record 21, on line 23 of the file (22 without the break)
        if i == 25:
            cells[2] = '"1\n2"'  # a value with a line break: record 26, line 28
        lines.append(",".join(cells))
    data = tmp_path / "d.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = refused(IFAQ_2024, data, tmp_path / "r.csv")
    assert "d.csv:23 ('abc'), " in err and "d.csv:28 ('1⏎2')" in err


def test_a_ten_megabyte_value_is_cut_in_the_message(tmp_path):
    frame = ifaq_rows().with_columns(pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("x" * 10_000_000))
                                     .otherwise(pl.col("stays")).alias("stays"))
    data = tmp_path / "d.csv"
    frame.write_csv(data)
    err = refused(IFAQ_2024, data, tmp_path / "r.csv")
    assert "d.csv:3 ('xxxx" in err and len(err) < 5000


@pytest.mark.parametrize("value, why", [(float("nan"), "n'est pas un nombre fini"),
                                        (1e300, "est trop grand pour un nombre entier")])
def test_nan_or_huge_in_a_parquet_count_is_named_not_called_empty(tmp_path, value, why):
    frame = ifaq_rows().with_columns(pl.col("stays").cast(pl.Float64))
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(value).otherwise(pl.col("stays")).alias("stays"))
    data = tmp_path / "d.parquet"
    frame.write_parquet(data)
    err = refused(IFAQ_2024, data, tmp_path / "r.csv")
    assert "d.parquet: ligne 1: stays = " in err and why in err and "est vide" not in err.split("ligne 1: stays")[1][:80]


def test_a_parquet_uint64_beyond_int64_is_refused(tmp_path):
    frame = ifaq_rows().with_columns(pl.col("stays").cast(pl.UInt64))
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(2**64 - 1, pl.UInt64))
                               .otherwise(pl.col("stays")).alias("stays"))
    data = tmp_path / "d.parquet"
    frame.write_parquet(data)
    err = refused(IFAQ_2024, data, tmp_path / "r.csv")
    assert "d.parquet: ligne 1: stays = 18446744073709551615 est trop grand pour un nombre entier" in err


def test_a_parquet_list_column_is_refused(tmp_path):
    frame = ifaq_rows().with_columns(pl.concat_list("finess").alias("finess"))
    data = tmp_path / "d.parquet"
    frame.write_parquet(data)
    err = refused(IFAQ_2024, data, tmp_path / "r.csv")
    assert "colonne finess : a le type List(String), attendu du texte" in err


def test_out_equal_to_data_is_refused_before_anything(tmp_path):
    data = tmp_path / "d.csv"
    data.write_bytes(EXAMPLE.read_bytes())
    code, err = evaluate(IFAQ_2024, data, data)
    assert code == 1 and "d.csv est aussi le fichier de données lu : il serait écrasé" in err
    assert data.read_bytes() == EXAMPLE.read_bytes()


def test_xlsx_beyond_its_row_limit_is_refused_before_computing(tmp_path, monkeypatch):
    from qualispec.runtime.data import output

    monkeypatch.setattr(output, "XLSX_MAX_ROWS", 100)  # the real limit, 1 048 575, is the sheet's
    err = refused(IFAQ_2024, EXAMPLE, tmp_path / "r.xlsx")
    assert "r.xlsx: 2 000 lignes de résultats, une feuille XLSX en contient au plus 100" in err


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from qualispec.runtime.data import output

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pl.DataFrame, "write_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_table(pl.DataFrame({"a": [1]}), tmp_path / "r.parquet")
    assert list(tmp_path.iterdir()) == []


def test_a_huge_float_in_a_parquet_amount_is_refused_at_its_row(tmp_path):
    frame = ifaq_rows().with_columns(pl.col("economic_volume").cast(pl.Float64))
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(1e300).otherwise(pl.col("economic_volume"))
                               .alias("economic_volume"))
    data = tmp_path / "d.parquet"
    frame.write_parquet(data)
    err = refused(IFAQ_2024, data, tmp_path / "r.csv")
    assert "d.parquet: ligne 1: economic_volume = 1e+300 est trop grand pour être lu exactement" in err


@pytest.mark.parametrize("signal_name, stopped_code, said", [("SIGINT", 130, "interrompu"), ("SIGTERM", 143, "arrêté")])
def test_an_interrupted_eval_stops_cleanly_or_finishes_whole(tmp_path, signal_name, stopped_code, said):
    """A real process, interrupted (Ctrl-C) or stopped (kill, a scheduler) while it reads, computes or writes:
    a stop code with no file left behind, not even a hidden one, or a whole file (the stop may come after
    the file was renamed into place, as the engine got faster)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    data = tmp_path / "big.csv"
    assert run_cli("example-data", "--rows", "200000", "--seed", "3", "--out", data)[0] == 0
    for delay in (0.3, 1.0, 2.0, 3.5):
        out = tmp_path / "out"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        process = subprocess.Popen([sys.executable, "-m", "qualispec", "eval", str(IFAQ_2024), "--data", str(data),
                                    "--out", str(out / "r.parquet"), "--quiet"], cwd=ROOT, text=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        process.send_signal(getattr(signal, signal_name))
        err = process.communicate(timeout=300)[1]
        assert "Traceback" not in err, err
        if process.returncode == stopped_code:  # no file, or one the rename had made whole before the stop came
            assert said in err and os.listdir(out) in ([], ["r.parquet"]), (delay, os.listdir(out))
            if os.listdir(out):
                assert pl.read_parquet(out / "r.parquet").height == 200_000
        elif process.returncode == -getattr(signal, signal_name):  # stopped while Python starts or shuts down
            assert os.listdir(out) in ([], ["r.parquet"]), (delay, os.listdir(out))  # after the rename: whole
            if os.listdir(out):
                assert pl.read_parquet(out / "r.parquet").height == 200_000
        else:
            assert process.returncode == 0 and os.listdir(out) == ["r.parquet"], (delay, process.returncode, err)
            assert pl.read_parquet(out / "r.parquet").height == 200_000
