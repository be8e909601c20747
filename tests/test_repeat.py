"""Repetition inside a row: one block of declarations, read once per item (GHM roots, classes …)."""

from __future__ import annotations

import csv

from tests.conftest import compile_folder, run_cli, write_campaign

HEAD = 'campaign essai { label: "Essai" scheme: "ESSAI" year: 2024 assumption: "essai" }\n'
ROOTS = HEAD + '''parameter rehosp_target: ratio = 1 { assumption: "essai" }
repeat root in ["05C02", "06C04"] {
  input readmissions_{root}: count { label: "Ré-hospitalisations observées, racine {root}" assumption: "essai" }
  input expected_{root}: count { label: "Ré-hospitalisations attendues, racine {root}" assumption: "essai" }
  indicator rehosp_{root} {
    label: "Ré-hospitalisations après chirurgie ambulatoire, racine {root}"
    unit: ratio
    numerator: readmissions_{root}
    denominator: expected_{root}
    target: rehosp_target
    objective: result <= target
    assumption: "essai"
  }
}
'''


def compiled(tmp_path, text: str):
    return compile_folder(write_campaign(tmp_path / "c", {"campaign.spec": text}))


def errors(tmp_path, text: str) -> list[str]:
    _, diagnostics = compiled(tmp_path, text)
    return [f"{d.span.line}: {d.message}" for d in diagnostics.items if d.severity == "error"]


def test_each_root_is_an_indicator_with_its_own_columns_and_words(tmp_path):
    result, diagnostics = compiled(tmp_path, ROOTS)
    assert not diagnostics.has_errors()
    campaign = result.campaign
    assert list(campaign.indicators) == ["rehosp_05C02", "rehosp_06C04"]
    assert campaign.indicators["rehosp_06C04"].label == "Ré-hospitalisations après chirurgie ambulatoire, racine 06C04"
    assert {"readmissions_05C02", "expected_06C04"} <= set(campaign.inputs)


def test_each_root_is_evaluated_on_the_same_row(tmp_path):
    folder = write_campaign(tmp_path / "c", {"campaign.spec": ROOTS})
    data = tmp_path / "d.csv"
    data.write_text("finess,readmissions_05C02,expected_05C02,readmissions_06C04,expected_06C04\n"
                    "000000001,3,2,2,2\n", encoding="utf-8")  # observed above expected is allowed: a ratio
    code, printed, err = run_cli("eval", folder, "--data", data, "--out", tmp_path / "o.csv")
    assert code == 0, err
    row = next(csv.DictReader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert (row["rehosp_05c02_objective"], row["rehosp_06c04_objective"]) == ("false", "true")  # 1,5 > 1 ; 1 ≤ 1


def test_a_message_about_a_copy_points_at_the_line_written_once(tmp_path):
    text = ROOTS.replace("denominator: expected_{root}", "denominator: expected_{root} + rehosp_target")
    found = errors(tmp_path, text)  # both copies are wrong, both at the line written once
    assert {e for e in found if "additionner" in e} == {"10: unités incompatibles : impossible d'additionner count et ratio"}


def test_an_item_repeated_in_the_list_is_an_error(tmp_path):
    found = errors(tmp_path, ROOTS.replace('["05C02", "06C04"]', '["05C02", "06C04", "05C02"]'))
    assert any(e.startswith("3: l'élément « 05C02 » est répété") for e in found), found


def test_an_item_that_cannot_be_part_of_a_name_is_an_error(tmp_path):
    found = errors(tmp_path, ROOTS.replace('"06C04"', '"D2.2"'))
    assert any("l'élément « D2.2 » ne peut pas entrer dans un nom" in e for e in found), found


def test_a_placeholder_without_repeat_is_an_error(tmp_path):
    text = HEAD + 'input readmissions_{root}: count { assumption: "essai" }\n'
    found = errors(tmp_path, text)
    assert any(e.startswith("2: « {root} » dans le nom « readmissions_{root} » n'est défini par aucun repeat")
               for e in found), found


def test_an_empty_repeat_is_an_error(tmp_path):
    found = errors(tmp_path, HEAD + 'repeat root in ["05C02"] { }\n')
    assert any("repeat root ne contient aucune déclaration" in e for e in found), found


def test_repeats_nest_classes_by_year(tmp_path):
    text = HEAD + '''repeat year in [y2017, y2018] {
  repeat class in [epo, anti_tnf] {
    input prescriptions_{class}_{year}: count { label: "Prescriptions {class} ({year})" assumption: "essai" }
  }
}
'''
    result, diagnostics = compiled(tmp_path, text)
    assert list(result.campaign.inputs) == ["prescriptions_epo_y2017", "prescriptions_anti_tnf_y2017",
                                            "prescriptions_epo_y2018", "prescriptions_anti_tnf_y2018"]
