"""A dataset that is wrong is refused before anything is computed, with the line and what to do."""

from __future__ import annotations

import pytest

from conftest import IFAQ_2024, run_cli
from ifaq_rows import COLUMNS, row, write_rows

GOOD = [row(1, "MCO"), row(2, "MCO", stays=20000, activity_groups_80=40), row(3, "PSY")]


def refused(engine, tmp_path, rows, columns=COLUMNS, out=None):
    """Refused on every engine alike: the data is checked before any engine starts."""
    data = write_rows(tmp_path / "data.csv", rows, columns)
    args = ["eval", IFAQ_2024, "--data", data, "--engine", engine.name] + (["--out", out] if out else [])
    code, stdout, stderr = run_cli(*args)
    assert code == 1, stdout
    assert "Traceback" not in stderr
    assert stderr.splitlines()[0] == f"{data} : jeu de données refusé ; rien n'a été calculé ni écrit."
    return stderr, data


def test_a_good_dataset_is_accepted(engine, tmp_path):
    data = write_rows(tmp_path / "data.csv", GOOD)
    code, out, err = run_cli("eval", IFAQ_2024, "--data", data, "--out", tmp_path / "r.csv", "--engine", engine.name)
    assert code == 0, err


def test_missing_column(engine, tmp_path):
    err, _ = refused(engine, tmp_path, GOOD, [c for c in COLUMNS if c != "num2_denominator"])
    assert "  colonne manquante : num2_denominator" in err
    assert "qualispec inputs" in err


def test_wrong_type_names_the_line_and_the_value(engine, tmp_path):
    err, data = refused(engine, tmp_path, GOOD[:1] + [row(2, "MCO", stays="beaucoup")])
    assert f"  colonne stays : attendu un nombre entier : {data}:3 ('beaucoup')" in err


def test_a_decimal_count_is_refused(engine, tmp_path):
    err, data = refused(engine, tmp_path, [row(1, "MCO", num1_denominator="10.5")])
    assert f"colonne num1_denominator : attendu un nombre entier : {data}:2 ('10.5')" in err


def test_negative_count(engine, tmp_path):
    err, data = refused(engine, tmp_path, [row(1, "DIA", sessions=-3)])
    assert f"{data}:2: sessions = -3 est négatif ; un compte ne peut pas l'être" in err


def test_numerator_above_denominator(engine, tmp_path):
    err, data = refused(engine, tmp_path, [row(1, "MCO"), row(2, "SSR", num1_numerator=101, num1_denominator=100)])
    assert (f"{data}:3: num1_numerator = 101 dépasse num1_denominator = 100 "
            f"(indicateur num1 : un numérateur compte une partie de son dénominateur)") in err


def test_unknown_field(engine, tmp_path):
    err, data = refused(engine, tmp_path, [row(1, "MCO"), dict(row(2, "MCO"), field="USLD")])
    assert f"{data}:3: champ « USLD » inconnu ; champs possibles : MCO, SSR, HAD, DIA, PSY" in err


def test_duplicate_establishment_and_field(engine, tmp_path):
    err, data = refused(engine, tmp_path, [row(1, "MCO"), row(2, "MCO"), row(1, "MCO", stays=800)])
    assert f"{data} : (finess, field) en double : (590000001, MCO) apparaît aux lignes 2, 4" in err


def test_finess_of_the_wrong_length(engine, tmp_path):
    err, data = refused(engine, tmp_path, [dict(row(1, "MCO"), finess="59000001")])
    assert f"{data}:2: finess « 59000001 » a 8 caractères, un FINESS en a 9" in err


def test_a_field_must_fill_the_columns_its_groups_need(engine, tmp_path):
    err, data = refused(engine, tmp_path, [row(1, "MCO", activity_groups_80=None)])
    assert f"{data}:2: activity_groups_80 est vide ; il doit être rempli sur les lignes du champ MCO (cette ligne est du champ MCO)" in err


def test_percent_outside_0_100(engine, tmp_path):
    err, data = refused(engine, tmp_path, [row(1, "MCO", num2_previous=140)])
    assert f"{data}:2: num2_previous = 140 est hors de 0–100" in err


def test_several_problems_are_reported_together(engine, tmp_path):
    err, _ = refused(engine, tmp_path, [row(1, "DIA", sessions=-1), dict(row(2, "MCO"), field="XXX")])
    assert "est négatif" in err and "champ « XXX » inconnu" in err


def test_refused_data_leaves_an_existing_output_untouched(engine, tmp_path):
    out = tmp_path / "results.csv"
    out.write_text("previous results\n")
    refused(engine, tmp_path, [row(1, "DIA", sessions=-1)], out=out)
    assert out.read_text() == "previous results\n"


def test_not_a_csv_file(engine, tmp_path):
    bad = tmp_path / "data.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00")
    code, _, err = run_cli("eval", IFAQ_2024, "--data", bad, "--engine", engine.name)
    assert code == 1 and "Traceback" not in err and "refusé" in err


@pytest.mark.parametrize("name", ["results.txt", "missing-folder/results.csv"])
def test_a_bad_output_name_is_refused_before_computing(engine, tmp_path, name):
    data = write_rows(tmp_path / "data.csv", GOOD)
    code, _, err = run_cli("eval", IFAQ_2024, "--data", data, "--out", tmp_path / name, "--engine", engine.name)
    assert code == 1 and "qualispec eval:" in err


@pytest.mark.parametrize("value", ["nan", "inf", "1e309"])
def test_a_number_that_is_not_finite_is_refused(engine, tmp_path, value):
    err, data = refused(engine, tmp_path, [row(1, "MCO", economic_volume=value)])
    assert f"{data}:2: economic_volume = " in err and "n'est pas un nombre fini" in err


def test_an_impossible_amount_of_money_is_refused(engine, tmp_path):
    err, data = refused(engine, tmp_path, [row(1, "MCO", economic_volume="99999999999999999999")])
    assert f"{data}:2: economic_volume = 99999999999999999999 € dépasse 10¹² €" in err
