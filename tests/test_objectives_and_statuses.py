"""Objectives met or not, statuses of a row, weights redistributed, rates that are not proportions.

Each test is a small campaign written the way a policy author would, and the values the
rules say it must give: an objective is met exactly at its target; an establishment that
does not report by the deadline counts as not reached; a not-applicable indicator's
weight goes to the other indicators the establishment must collect.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import compile_folder, run_cli, write_campaign

HEAD = '''
campaign essai {
  label: "Campagne d'essai"
  scheme: "ESSAI"
  year: 2024
  assumption: "campagne d'essai"
}
'''


def campaign(tmp_path: Path, body: str, rows: list[dict]) -> tuple[Path, Path]:
    folder = write_campaign(tmp_path / "c", {"campaign.spec": HEAD + body})
    data = tmp_path / "data.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder, data


def evaluate(tmp_path: Path, folder: Path, data: Path) -> tuple[str, list[dict]]:
    out = tmp_path / "out.csv"
    code, printed, err = run_cli("eval", folder, "--data", data, "--out", out)
    assert code == 0, err
    with out.open(encoding="utf-8") as f:
        return printed, list(csv.DictReader(f))


def errors_of(folder: Path) -> list[str]:
    _, diagnostics = compile_folder(folder)
    return [f"{d.span.line}: {d.message}" for d in diagnostics.items if d.severity == "error"]


# ------------------------------------------------------------------ objectives
MONITORED = '''
input dmp_num: count { assumption: "essai" }
input dmp_den: count { assumption: "essai" }
parameter dmp_target: percent = 50% { assumption: "essai" }
indicator dmp {
  label: "Alimentation du DMP"
  numerator: dmp_num
  denominator: dmp_den
  target: dmp_target
  assumption: "essai"
}
'''


def test_an_objective_is_met_from_its_target_on_and_eval_counts_establishments(tmp_path):
    folder, data = campaign(tmp_path, MONITORED, [
        {"finess": "000000001", "dmp_num": 50, "dmp_den": 100},  # exactly 50 %: met
        {"finess": "000000002", "dmp_num": 49, "dmp_den": 100},  # 49 %: not met
        {"finess": "000000003", "dmp_num": 0, "dmp_den": 0},  # not computable: not evaluated
    ])
    printed, rows = evaluate(tmp_path, folder, data)
    assert [r["dmp_objective"] for r in rows] == ["true", "false", ""]
    assert "objectif atteint" in printed and "0,00 €" not in printed  # a scheme that does not pay
    line = next(x for x in printed.splitlines() if x.startswith("Alimentation du DMP"))  # by its label
    assert line.split() == ["Alimentation", "du", "DMP", "1", "1", "1"]


def test_explain_says_objective_met_in_french(tmp_path):
    folder, data = campaign(tmp_path, MONITORED, [{"finess": "000000001", "dmp_num": 60, "dmp_den": 100}])
    code, out, err = run_cli("explain", folder, "--data", data, "--finess", "000000001")
    assert code == 0, err
    assert "valeur cible 50,0 % ; objectif atteint" in out
    assert "target" not in out


def test_lower_is_better_objective_is_written_by_the_author(tmp_path):
    body = '''
input stay_days: days { assumption: "essai" }
input stays: count { assumption: "essai" }
indicator dms {
  unit: days
  numerator: stay_days
  denominator: stays
  target: 5 days
  objective: result <= target
  assumption: "essai"
}
'''
    folder, data = campaign(tmp_path, body, [
        {"finess": "000000001", "stay_days": 500, "stays": 100},  # 5 days: met
        {"finess": "000000002", "stay_days": 510, "stays": 100},  # 5,1 days: not met
    ])
    _, rows = evaluate(tmp_path, folder, data)
    assert [r["dms_objective"] for r in rows] == ["true", "false"]


def test_a_target_may_be_a_sentence_and_no_objective_is_computed(tmp_path):
    body = MONITORED.replace("target: dmp_target", 'target: "A négocier localement"')
    folder, data = campaign(tmp_path, body, [{"finess": "000000001", "dmp_num": 60, "dmp_den": 100}])
    _, rows = evaluate(tmp_path, folder, data)
    assert "dmp_objective" not in rows[0] and rows[0]["dmp_target"] == "A négocier localement"
    code, out, _ = run_cli("explain", folder, "--data", data, "--finess", "000000001")
    assert "valeur cible « A négocier localement »" in out and "objectif non évalué" in out


def test_an_objective_must_be_yes_or_no(tmp_path):
    body = MONITORED.replace("target: dmp_target", "target: dmp_target\n  objective: result - target")
    folder, _ = campaign(tmp_path, body, [{"finess": "000000001", "dmp_num": 1, "dmp_den": 2}])
    assert any("« objective » de l'indicateur « dmp » doit valoir oui ou non (true ou false)" in e for e in errors_of(folder))


# ------------------------------------------------------------------ statuses and weights
THREE_INDICATORS = '''
input stays: count { assumption: "essai" }
input a_status: category { values: ["renseigne", "non_renseigne", "non_applicable", "non_concerne"] assumption: "essai" }
parameter pot_total: euro = 3000 € { assumption: "essai" }
parameter pass_mark: percent = 50% { assumption: "essai" }
envelope pot {
  amount: pot_total
  payout: amount * (stays / sum(stays) over all) * weight * score
  assumption: "essai"
}
''' + "".join(f'''
input {x}_num: count {{ assumption: "essai" }}
input {x}_den: count {{ assumption: "essai" }}
indicator {x} {{
  numerator: {x}_num
  denominator: {x}_den{status}
  weight: 1/3
  score: if result >= pass_mark then 100% else 0%
  envelope: pot
  assumption: "essai"
}}
''' for x, status in (("a", "\n  status: a_status"), ("b", ""), ("c", "")))


def three(finess: str, status: str) -> dict:
    return {"finess": finess, "stays": 100, "a_status": status, "a_num": 6, "a_den": 10, "b_num": 6, "b_den": 10,
            "c_num": 6, "c_den": 10}


def test_a_not_applicable_indicator_gives_its_weight_to_the_others(tmp_path):
    # Three indicators of weight 1/3 each, all at 100 %: one not applicable, the two others weigh 1/2.
    folder, data = campaign(tmp_path, THREE_INDICATORS, [three("000000001", "renseigne"),
                                                         three("000000002", "non_applicable"),
                                                         three("000000003", "non_concerne")])
    _, rows = evaluate(tmp_path, folder, data)
    reported, not_applicable, not_concerned = rows
    assert reported["total_payout"] == "1000.00"
    for row in (not_applicable, not_concerned):
        assert row["a_payout"] == "0.00" and row["a_score"] == "" and row["a_result"] == ""
        assert float(row["b_effective_weight"]) == 0.5 and row["b_payout"] == "500.00"
        assert row["total_payout"] == "1000.00"  # redistributed, not lost
    assert not_applicable["a_status"] == "non applicable" and not_concerned["a_status"] == "non concerné"


def test_not_reported_by_the_deadline_counts_as_not_reached(tmp_path):
    folder, data = campaign(tmp_path, THREE_INDICATORS, [three("000000001", "non_renseigne")])
    _, rows = evaluate(tmp_path, folder, data)
    row = rows[0]
    assert row["a_result"] == "" and row["a_score"] == "0.000000" and row["a_payout"] == "0.00"
    assert float(row["b_effective_weight"]) == float(row["b_weight"])  # its weight is not redistributed
    assert row["a_status"] == "non renseigné (compte comme non atteint)"
    code, out, _ = run_cli("explain", folder, "--data", data, "--finess", "000000001")
    assert "non renseigné à la date limite" in out


def test_not_reported_objective_is_not_met(tmp_path):
    body = MONITORED.replace("input dmp_num", 'input dmp_status: category { values: ["renseigne", "non_renseigne"] '
                                              'assumption: "essai" }\ninput dmp_num')
    body = body.replace("target: dmp_target", "target: dmp_target\n  status: dmp_status")
    folder, data = campaign(tmp_path, body, [{"finess": "000000001", "dmp_status": "non_renseigne",
                                              "dmp_num": 90, "dmp_den": 100}])
    _, rows = evaluate(tmp_path, folder, data)
    assert rows[0]["dmp_objective"] == "false" and rows[0]["dmp_result"] == ""


def test_an_unknown_status_is_refused_at_its_line(tmp_path):
    body = THREE_INDICATORS.replace('"non_concerne"]', '"non_concernee"]')
    folder, _ = campaign(tmp_path, body, [three("000000001", "renseigne")])
    assert any(e.startswith("9: statut inconnu « non_concernee »") for e in errors_of(folder)), errors_of(folder)


def test_a_status_is_read_from_a_category(tmp_path):
    body = THREE_INDICATORS.replace("input a_status: category {", "input a_status: count {")
    folder, _ = campaign(tmp_path, body, [three("000000001", "renseigne")])
    assert any("se lit dans une donnée de type category" in e for e in errors_of(folder))


def test_a_status_outside_the_declared_values_is_refused_at_its_row(tmp_path):
    folder, data = campaign(tmp_path, THREE_INDICATORS, [three("000000001", "renseigne"), three("000000002", "absent")])
    code, _, err = run_cli("eval", folder, "--data", data, "--out", tmp_path / "o.csv")
    assert code != 0 and f"{data}:3" in err and "absent" in err
    assert not (tmp_path / "o.csv").exists()


# ------------------------------------------------------------------ rates that are not proportions
LETTERS = '''
input letters: count { assumption: "essai" }
input patients: count { assumption: "essai" }
indicator letters_per_patient {
  unit: percent
  numerator: letters
  denominator: patients
  assumption: "essai"
}
'''


def test_a_proportion_refuses_a_numerator_above_its_denominator(tmp_path):
    folder, data = campaign(tmp_path, LETTERS, [{"finess": "000000001", "letters": 60000, "patients": 51308}])
    code, _, err = run_cli("eval", folder, "--data", data)
    assert code != 0 and "letters = 60000 dépasse patients = 51308" in err


def test_proportion_false_accepts_more_letters_than_patients(tmp_path):
    body = LETTERS.replace("denominator: patients", "denominator: patients\n  proportion: false")
    folder, data = campaign(tmp_path, body, [{"finess": "000000001", "letters": 60000, "patients": 51308}])
    _, rows = evaluate(tmp_path, folder, data)
    assert round(float(rows[0]["letters_per_patient_result"]), 4) == 116.9408


def test_proportion_must_be_true_or_false(tmp_path):
    body = LETTERS.replace("denominator: patients", 'denominator: patients\n  proportion: "non"')
    folder, _ = campaign(tmp_path, body, [{"finess": "000000001", "letters": 1, "patients": 2}])
    assert any("la propriété « proportion » de l'indicateur « letters_per_patient » doit être true ou false" in e
               for e in errors_of(folder))


def test_days_per_stay_and_spending_growth_are_rates_not_proportions(tmp_path):
    body = '''
input stay_days: days { assumption: "essai" }
input stays: count { assumption: "essai" }
input spending: euro { assumption: "essai" }
input spending_previous: euro { assumption: "essai" }
parameter growth_target: percent = -2.5% { assumption: "essai" }
indicator dms {
  unit: days
  numerator: stay_days
  denominator: stays
  assumption: "essai"
}
indicator spending_growth {
  numerator: spending
  denominator: spending_previous
  let growth = result - 100%
  objective: growth <= growth_target
  assumption: "essai"
}
'''
    folder, data = campaign(tmp_path, body, [
        {"finess": "000000001", "stay_days": 530, "stays": 100, "spending": 970, "spending_previous": 1000},
        {"finess": "000000002", "stay_days": 400, "stays": 100, "spending": 1100, "spending_previous": 1000},
    ])
    _, rows = evaluate(tmp_path, folder, data)
    assert [float(r["dms_result"]) for r in rows] == [5.3, 4.0]
    assert [r["spending_growth_objective"] for r in rows] == ["true", "false"]  # −3 % ≤ −2,5 % ; +10 % is not


def test_a_campaign_extending_another_can_say_an_indicator_no_longer_reads_a_status(tmp_path):
    # IFAQ 2024: « il ne sera plus possible de se déclarer « non applicable » » — `status: missing`.
    base, data = campaign(tmp_path, THREE_INDICATORS, [three("000000001", "renseigne")])
    later = write_campaign(tmp_path / "later", {"campaign.spec": '''
campaign essai_suite extends "../c" {
  label: "Campagne suivante"
  scheme: "ESSAI"
  year: 2025
  assumption: "campagne d'essai"
}
override a {
  status: missing
}
drop a_status {
  reason: "plus de statut : le recueil est obligatoire"
}
carry b, c, pass_mark, pot, pot_total {
  assumption: "inchangés"
}
'''})
    compiled, diagnostics = compile_folder(later)
    assert not diagnostics.errors, [e.message for e in diagnostics.errors]
    assert compiled.campaign.indicators["a"].status == ""
    assert compiled.campaign.indicators["a"].part("effective_weight") is None  # nothing left to redistribute
    assert "a_status" not in compiled.campaign.inputs


def test_missing_is_a_status_only_in_the_status_property(tmp_path):
    body = THREE_INDICATORS.replace("  envelope: pot\n", "  envelope: missing\n", 1)
    folder, _ = campaign(tmp_path, body, [three("000000001", "renseigne")])
    assert errors_of(folder)
