"""The diff says what is out of scope first, and what objectives establishments lose or gain."""

from __future__ import annotations

from pathlib import Path

from qualispec.compiler.diff.rules import diff
from tests.conftest import compile_folder, run_cli

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def test_indicators_outside_the_2024_guide_are_out_of_scope_not_removed():
    old, _ = compile_folder(SPECS / "ifaq" / "2022")
    new, _ = compile_folder(SPECS / "ifaq" / "2024")
    changes = diff(old.campaign, new.campaign).changes
    scope = [c.subject for c in changes if c.kind == "out_of_scope" and c.get("decl_kind") == "indicator"]
    assert len(scope) == 17 and "qls" in scope and "certification" in scope
    assert not [c for c in changes if c.kind == "removed" and c.subject in scope]
    code, out, _ = run_cli("diff", SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024")
    first = out[out.index("•"):].split("\n    ", 1)[0]  # the first change, its words wrapped, before its values
    assert "hors périmètre" in first  # said first


def test_the_money_diff_warns_about_scope_before_the_totals_and_does_not_claim_a_closed_envelope():
    code, out, err = run_cli("diff", SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024",
                             "--data", ROOT / "examples" / "ifaq2022_2024.csv")
    assert code == 0, err
    warning = out.index("Attention : 17 indicateurs de « IFAQ 2022 — tous les indicateurs » hors du périmètre de "
                        "« IFAQ 2024 — indicateurs numériques »")
    assert warning < out.index("la rémunération totale passe de")
    assert "Indicateurs hors du périmètre de la campagne IFAQ 2024 (17)" in out  # in the attribution, not « retirés »
    assert "Indicateurs retirés (1)" in out  # only the 2019 volume share, a transitional mechanism of 2022
    assert "l'enveloppe étant fermée" not in out


def test_hopen_2023_diff_counts_establishments_that_no_longer_meet_the_dmp_objective():
    code, out, err = run_cli("diff", SPECS / "hopen" / "2022", SPECS / "hopen" / "2023",
                             "--data", ROOT / "examples" / "hopen.csv")
    assert code == 0, err
    d22 = "« D2.2 — Taux de documents publiés dans le DMP pour les patients disposant d'un DMP au cours de leur séjour »"
    line = next(x for x in out.splitlines() if x.startswith(d22))  # the indicator by its label, in both columns
    # 50 % → 64 %: three of the six establishments at or above 50 % are below 64 %.
    assert line.replace(d22, "d22").split() == ["d22", "d22", "6", "3", "3", "0"]
    assert "0,00 €" not in out and "rémunération totale" not in out  # HOP'EN sets objectives, it pays nothing
    assert "objectifs : 3 passent d'atteint à non atteint" in out
    assert "valeur cible (objectif)" in out and "valeur cible de rémunération" not in out


def test_hopen_json_reports_objectives_and_no_payouts():
    import json

    code, out, err = run_cli("diff", SPECS / "hopen" / "2022", SPECS / "hopen" / "2023",
                             "--data", ROOT / "examples" / "hopen.csv", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert "payouts" not in report
    d22 = next(o for o in report["objectives"] if o["indicator_new"] == "d22")
    assert (d22["met_old"], d22["met_new"], d22["lost"], d22["gained"]) == (6, 3, 3, 0)
