"""`qualispec explain --diff OLD NEW --data FILE --finess ID`: one establishment's why between IFAQ 2022 and
2024 — its group, results, scores, weights and payout in each campaign, then the rule changes that explain
the difference in euros, by their French labels, with the unexplained rest: the lines add up to the
difference. Bad inputs get a French message and exit code 1 or 2."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_cli

OLD, NEW, DATA = ROOT / "specs" / "ifaq" / "2022", ROOT / "specs" / "ifaq" / "2024", ROOT / "examples" / "ifaq2022_2024.csv"
FINESS = "590000001"  # a dialysis (DIA) and an MCO row in the example dataset


@pytest.fixture(scope="module")
def why():
    code, out, err = run_cli("explain", "--diff", OLD, NEW, "--data", DATA, "--finess", FINESS, "--format", "json")
    assert code == 0, err
    return {row["field"]: row for row in json.loads(out)["rows"]}


def test_each_field_of_the_establishment_has_its_payout_in_both_campaigns(why):
    dia = why["DIA"]
    assert dia["old_explanation"]["group"] == dia["new_explanation"]["group"] == "DIA-1"
    assert dia["payout_old"] == float(dia["old_explanation"]["total_payout"])
    assert dia["payout_new"] == float(dia["new_explanation"]["total_payout"])
    assert set(why) == {"DIA", "MCO"}


def test_the_explaining_lines_add_up_to_the_difference_to_the_cent(why):
    for row in why.values():
        assert round(sum(c["euros"] for c in row["changes"]) + row["rest"], 2) == round(row["difference"], 2)


def test_a_higher_target_for_num1_costs_a_row_whose_result_is_below_it(why):
    # DIA row: Num.1 result 23,3 %, above the 2022 target (20 %: level 100 %) but below the 2024 one (50 %)
    dia = why["DIA"]
    num1 = next(i for i in dia["new_explanation"]["indicators"] if i["id"] == "num1")
    assert "résultat 23,3 %" in num1["sentences"][0] and "valeur cible 50,0 %" in num1["sentences"][0]
    target = next(c for c in dia["changes"] if c["change"].startswith("paramètre « Valeur cible de rémunération de Num.1 »"))
    assert target["euros"] < 0


def test_what_indicators_left_out_of_2024_paid_it_is_its_own_line(why):
    dia = why["DIA"]
    old = {i["id"]: float(i["values"]["payout"]) for i in dia["old_explanation"]["indicators"]}
    scope = next(c for c in dia["changes"] if c["change"].startswith("Indicateurs hors du périmètre de la campagne IFAQ 2024"))
    assert scope["euros"] == -round(old["certification"], 2)  # of the DIA row's 2022 indicators, only certification
    removed = next(c for c in dia["changes"] if c["change"].startswith("Indicateurs retirés (1)"))
    assert removed["euros"] == -round(old["volume_2019_share"], 2)


def test_the_text_tells_both_campaigns_then_the_changes_in_french():
    code, out, err = run_cli("explain", "--diff", OLD, NEW, "--data", DATA, "--finess", FINESS, "-q")
    assert code == 0, err
    dia = out.split("\n\n\n")[0] if "\n\n\n" in out else out
    old, new = "« IFAQ 2022 — tous les indicateurs »", "« IFAQ 2024 — indicateurs numériques »"  # by their titles
    assert dia.startswith(f"Établissement {FINESS}, champ DIA : de {old} à {new}, la rémunération passe de ")
    assert dia.index(f"Dans {old} :") < dia.index(f"Dans {new} :") < dia.index("Ce qui explique l'écart")
    assert "ifaq_2022" not in dia and "ifaq_2024" not in dia
    assert "  Indicateurs hors du périmètre de la campagne IFAQ 2024 (1) : ce qu'ils lui payaient dans la campagne " \
           "IFAQ 2022 : " in dia
    assert "  Total : " in dia and "Reste non expliqué" in dia
    assert "d2_2_target" not in dia and "num1_target" not in dia  # parameters by their French labels


def test_an_unknown_finess_is_said_in_french_before_any_evaluation():
    code, out, err = run_cli("explain", "--diff", OLD, NEW, "--data", DATA, "--finess", "999999999")
    assert code == 1 and out == ""
    assert "aucun établissement de FINESS 999999999" in err
    assert "ni pour « IFAQ 2022 — tous les indicateurs » ni pour « IFAQ 2024 — indicateurs numériques »" in err
    assert "ifaq_2022" not in err and "ifaq_2024" not in err  # by their titles, as the standard output says them


def test_a_folder_with_diff_or_neither_is_refused_with_exit_code_2():
    code, _, err = run_cli("explain", OLD, "--diff", OLD, NEW, "--data", DATA, "--finess", FINESS)
    assert code == 2 and "avec --diff OLD NEW, pas de dossier en plus" in err
    code, _, err = run_cli("explain", "--data", DATA, "--finess", FINESS)
    assert code == 2 and "donnez le dossier de la campagne (PATH), ou --diff OLD NEW" in err


def test_columns_read_under_their_other_name_or_left_empty_are_said_once_per_campaign():
    code, out, err = run_cli("explain", "--diff", OLD, NEW, "--data", DATA, "--finess", FINESS)
    assert code == 0, err
    old, new = "« IFAQ 2022 — tous les indicateurs » : ", "« IFAQ 2024 — indicateurs numériques » : "  # by their titles
    said = [line for line in (out + err).splitlines() if line.startswith((old, new))]
    assert (new + "4 colonnes lues sous le nom de l'autre campagne (donnée renommée) : "
            "num1_numerator ← d2_2_numerator, num1_denominator ← d2_2_denominator, "
            "num2_numerator ← d6_3_numerator, num2_denominator ← d6_3_denominator") in said
    empty = [line for line in said if line.startswith(new) and "absentes du fichier, laissées vides" in line]
    assert len(empty) == 1 and "num1_previous" in empty[0] and "num2_status" in empty[0]
    assert len(said) == 3


def test_a_dataset_without_a_column_the_old_campaign_asks_on_every_row_is_refused_in_one_sentence():
    code, out, err = run_cli("explain", "--diff", OLD, NEW, "--data", ROOT / "examples" / "ifaq2024.csv",
                             "--finess", "080000017")
    assert code == 1 and out == ""
    assert "« IFAQ 2022 — tous les indicateurs » ne peut pas être évaluée sur ce jeu de données" in err
    assert "ifaq_2022" not in err
    assert "n'a pas les colonnes qu'elle demande à chaque ligne concernée : d2_2_status, d6_3_status, " \
           "certification_decision" in err
    assert len(err.splitlines()) <= 3  # not one message per row and column


def test_a_score_for_a_result_not_computable_reads_in_french():
    code, out, err = run_cli("explain", "--diff", OLD, NEW, "--data", DATA, "--finess", FINESS, "-q")
    assert code == 0, err
    assert "score 0,0 % (résultat non disponible : 0 %)" in out and "non résultat disponible" not in out
