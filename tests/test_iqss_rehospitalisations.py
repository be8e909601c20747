"""IQSS 2022: « 6 indicateurs sur la Ré-hospitalisation entre 1 et 3 jours après chir ambu », one per list
of procedures (webinaire 2022, « Actualités 2/2 » and « Focus »), each the standardised ratio observed /
expected, with its own columns; an establishment without an activity leaves its columns empty."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import ROOT, compile_folder, run_cli

IQSS = ROOT / "specs" / "iqss" / "2022"
LISTS = ["cholecystectomies", "lithiases_urinaires", "affections_urinaires_non_lithiasiques", "amygdales",
         "hemorroidectomies", "prostatectomies_transuretrales"]


def test_six_indicators_one_per_list_of_procedures():
    compiled, diagnostics = compile_folder(IQSS)
    assert not diagnostics.errors
    rehosp = [name for name in compiled.campaign.indicators if name.startswith("rehosp_")]
    assert rehosp == [f"rehosp_{x}" for x in LISTS]
    for x in LISTS:
        assert {f"rehosp_{x}_observed", f"rehosp_{x}_expected"} <= set(compiled.campaign.inputs)


def test_each_ratio_is_observed_over_expected_and_an_empty_activity_gives_no_result(tmp_path: Path):
    with (IQSS.parent.parent.parent / "examples" / "iqss_2022.csv").open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    row = {c: "" for c in header} | {"finess": "690781810", "field": "MCO", "qls_score": "50", "qls_ca_score": "50",
                                     "esatis_mco_48h_score": "70", "esatis_mco_ca_score": "70"}
    row |= {"rehosp_amygdales_observed": "3", "rehosp_amygdales_expected": "2.5",      # 3 / 2,5 = 1,2
            "rehosp_cholecystectomies_observed": "2", "rehosp_cholecystectomies_expected": "2"}  # exactly as expected
    data, out = tmp_path / "d.csv", tmp_path / "o.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerow(row)
    code, _, err = run_cli("eval", IQSS, "--data", data, "--out", out)
    assert code == 0, err
    with out.open(encoding="utf-8") as f:
        result = next(csv.DictReader(f))
    assert float(result["rehosp_amygdales_result"]) == 1.2
    assert float(result["rehosp_cholecystectomies_result"]) == 1
    assert result["rehosp_hemorroidectomies_result"] == ""  # no such activity: no result, nothing refused
