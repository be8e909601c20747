"""`qualispec diff OLD NEW`: what a policy author expects to read when comparing two campaigns.

Each pair of campaigns lives in tests/fixtures/diff/<pair>/old and new (written by
make_pairs.py from base/, a small campaign with two digital indicators, MCO and PSY).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qualispec.compiler.diff import render as diff_render
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.diff.rules import diff
from qualispec.compiler.pipeline import compile_one
from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
SPECS = Path(__file__).parent.parent / "specs"


def campaign(path: Path):
    compiled = compile_one(path, Diagnostics())
    assert compiled is not None, path
    return compiled.campaign


def changes(pair: str):
    return diff(campaign(FIXTURES / pair / "old"), campaign(FIXTURES / pair / "new")).changes


def only(found, **match):
    hits = [c for c in found if all(getattr(c, k) == v for k, v in match.items())]
    assert len(hits) == 1, (match, [(c.section, c.kind, c.subject, c.what) for c in found])
    return hits[0]


# ------------------------------------------------------------------ no false changes
def test_a_campaign_compared_with_itself_has_no_change():
    for folder in (FIXTURES / "base", SPECS / "ifaq" / "2024", SPECS / "ifaq" / "2022"):
        c = campaign(folder)
        assert diff(c, c).changes == ()


def test_two_identical_campaigns_report_nothing():
    assert changes("identical") == ()
    code, out, _ = run_cli("diff", FIXTURES / "identical" / "old", FIXTURES / "identical" / "new")
    assert code == 0 and "Aucune différence de règles" in out


def test_rewritten_but_equal_formulas_comments_and_order_report_nothing():
    # One file instead of four, other declaration order, comments, `target <= result` for
    # `result >= target`, `3 * w / 3` for `w`, 0.25 for the parameter worth 0.25, 1 M€ for
    # 1000000, `not (stays < 500)` for `stays >= 500`, fields listed in another order.
    assert changes("reformatted") == ()


# ------------------------------------------------------------------ indicators
def test_a_renamed_indicator_is_a_rename_not_a_removal_and_an_addition():
    found = changes("renamed")
    rename = only(found, section="indicators", kind="renamed")
    assert (rename.old, rename.new) == ("dmp", "num1")
    assert not [c for c in found if c.kind in ("added", "removed")]
    # its parameters were renamed too, with the same values: no rule, no formula changed
    assert not [c for c in found if c.section in ("rules", "formulas", "parameters") and c.kind != "renamed"]


def test_a_rename_declared_with_extends_and_override_as():
    rename = only(changes("extends"), section="indicators", kind="renamed")
    assert (rename.old, rename.new) == ("dmp", "num1")
    assert "override dmp as num1" in rename.detail


def test_a_field_removed_from_an_indicator():
    change = only(changes("field_removed"), section="indicators", kind="fields")
    assert change.subject == "dmp"
    assert (change.old, change.new) == ("MCO, PSY", "MCO")
    assert change.get("removed") == ("PSY",)


# ------------------------------------------------------------------ rules and parameters
def test_a_weight_change_shows_old_and_new():
    found = changes("weight")
    rule = only(found, section="rules", subject="mss.weight")
    assert "0,75" in rule.old and "0,7" in rule.new
    param = only(found, section="parameters", subject="mss_weight")
    assert (param.old, param.new) == ("0,75", "0,7")


def test_a_target_change_shows_old_and_new():
    found = changes("target")
    rule = only(found, section="rules", subject="dmp.target")
    assert rule.old == "Valeur cible du DMP (20 %)" and rule.new == "Valeur cible du DMP (50 %)"  # by its label
    assert only(found, section="parameters", subject="dmp_target").new == "50 %"


def test_applicability_evolution_deadline_and_assumptions():
    found = changes("rules_and_texts")
    assert (only(found, subject="dmp.not_applicable_allowed").old,
            only(found, subject="dmp.not_applicable_allowed").new) == ("vrai", "faux")
    assert only(found, subject="mss.evolution_paid").new == "vrai"
    deadline = only(found, section="texts", subject="dmp", what="date limite de saisie")
    assert (deadline.old, deadline.new) == ("30 septembre 2023", "20 septembre 2023")
    assert only(found, section="assumptions", subject="threshold_quantile").kind == "assumption_removed"


def test_a_real_formula_change_shows_both_versions():
    found = changes("formula")
    score = only(found, section="formulas", subject="dmp.score")
    # in French words, as the fiches write it: the indicator's own parts by their names, never code names
    assert score.old == "si résultat non disponible alors 0 % sinon si résultat ≥ cible alors 100 % sinon niveau"
    assert score.new.endswith("sinon niveau / 2")
    table = diff_render.to_table(diff(campaign(FIXTURES / "formula" / "old"), campaign(FIXTURES / "formula" / "new")))
    # the same change in two indicators is shown once, each by its words with its code name
    assert re.search(r"^• [^•]*\(dmp\.score\), [^•]*\(mss\.score\) —\s+formule modifiée", table, re.M), table


# ------------------------------------------------------------------ comparison groups
def test_a_one_character_threshold_change_in_one_group_names_the_establishments_it_moves():
    change = only(changes("threshold_one_group"), section="groups")
    assert change.subject == "MCO_1" and change.kind == "condition"
    assert dict(change.get("example"))["stays"] == 500
    assert "stays de 500 à 549" in change.detail
    assert change.get("old_groups") == ("MCO-1",) and change.get("new_groups") == ()
    assert "aucun groupe" in change.detail


def test_the_same_threshold_moved_in_every_group_sends_establishments_to_mco_5():
    found = changes("threshold_all_groups")
    assert {c.subject for c in found} == {"MCO_1", "MCO_2", "MCO_5"}
    mco1 = only(found, subject="MCO_1")
    assert mco1.get("old_groups") == ("MCO-1",) and mco1.get("new_groups") == ("MCO-5",)


# ------------------------------------------------------------------ the real campaigns
@pytest.mark.skipif(not (SPECS / "ifaq" / "2022").is_dir(), reason="IFAQ 2022 not written yet")
def test_ifaq_2022_to_2024():
    found = diff(campaign(SPECS / "ifaq" / "2022"), campaign(SPECS / "ifaq" / "2024")).changes
    renames = {(c.old, c.new) for c in found if c.section == "indicators" and c.kind == "renamed"}
    assert {("d2_2", "num1"), ("d6_3", "num2")} <= renames
    target = only(found, section="rules", subject="num1.target")
    assert "20 %" in target.old and "50 %" in target.new
    assert only(found, section="indicators", kind="fields", subject="num2").get("removed") == ("PSY",)
    # formulas and rules in the words of the fiches: labels, never the spec's code names
    payout = only(found, section="formulas", subject="num1.payout")
    assert "× Volume économique de l'établissement dans le champ (recettes pour la PSY) / somme(" in payout.new
    # the oSIS status changed (« non_applicable » in 2022, the deadline's « non_renseigne » in 2024): said once, as
    # the status, not as the result, score and « compte » formulas the compiler wraps around it
    status = [c for c in found if c.subject == "num1" and c.get("attribute") == "status"]
    assert len(status) == 1 and "(renseigne, non_applicable)" in status[0].old
    assert "(renseigne, non_renseigne)" in status[0].new
    assert not [c for c in found if c.subject in ("num1.result", "num1.score", "num1.applicable")]
    assert "plus de redistribution" in only(found, subject="num1.effective_weight").detail
    assert "Valeur cible de rémunération de Num.1 (50 %)" == target.new
    code_names = re.compile(r"\b(result|weight|target|threshold|level|numerator|denominator|d2_2_status|"
                            r"score_not_computable|group_amount|economic_volume|psy_secured)\b")
    for change in found:
        if change.section in ("formulas", "rules", "envelopes"):
            for text in (change.old, change.new):
                assert not code_names.search(text or ""), (change.subject, text)


# ------------------------------------------------------------------ command line
@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_every_format(fmt, tmp_path):
    out = tmp_path / f"report.{fmt}"
    code, stdout, _ = run_cli("diff", FIXTURES / "target" / "old", FIXTURES / "target" / "new", "--format", fmt,
                              "--out", out)
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "dmp_target" in text
    if fmt == "json":
        data = json.loads(text)
        assert any(c["subject"] == "dmp_target" and c["new"] == "50 %" for c in data["changes"])


def test_compile_errors_are_the_compiler_messages_and_exit_1(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "c.spec").write_text('campaign x { label: "x" }\nparameter p: percent = 10 {\n', encoding="utf-8")
    code, out, err = run_cli("diff", bad, FIXTURES / "base")
    assert code == 1 and "Traceback" not in err and "error" in err


def test_a_gap_in_the_new_groups_is_shown_but_the_diff_goes_on():
    code, out, err = run_cli("diff", FIXTURES / "threshold_one_group" / "old", FIXTURES / "threshold_one_group" / "new")
    assert code == 0 and "laissent un trou" in err and "MCO_1" in out


def test_payouts_on_a_dataset(tmp_path):
    out = tmp_path / "impact.json"
    code, _, err = run_cli("diff", FIXTURES / "threshold_all_groups" / "old", FIXTURES / "threshold_all_groups" / "new",
                           "--data", FIXTURES / "demo.csv", "--format", "json", "--out", out)
    assert code == 0, err
    payouts = json.loads(out.read_text(encoding="utf-8"))["payouts"]
    moved = [r for r in payouts["rows"] if r["group_old"] != r["group_new"]]
    assert [(r["finess"], r["group_old"], r["group_new"]) for r in moved] == [("010000001", "MCO-1", "MCO-5")]
    assert "annulé seul" in payouts["method"]


def test_a_target_change_moves_money_and_is_named_as_the_cause(tmp_path):
    out = tmp_path / "impact.json"
    code, _, err = run_cli("diff", FIXTURES / "target" / "old", FIXTURES / "target" / "new",
                           "--data", FIXTURES / "demo.csv", "--format", "json", "--out", out)
    assert code == 0, err
    payouts = json.loads(out.read_text(encoding="utf-8"))["payouts"]
    assert payouts["effects"][0]["subject"] == "dmp_target"
    assert any(abs(r["difference"]) > 0 for r in payouts["rows"])
    assert payouts["total_new"] < payouts["total_old"]  # a higher target: scores fall, so do payouts


def test_cases_of_the_old_campaign_under_the_new_one():
    code, out, err = run_cli("diff", FIXTURES / "target" / "old", FIXTURES / "target" / "new", "--cases")
    assert code == 0, err
    assert "1 dont le résultat change" in out and "dmp_score" in out


def test_the_2022_to_2024_money_report_runs_on_the_bundled_comparison_data():
    from conftest import ROOT, run_cli

    code, out, err = run_cli("diff", ROOT / "specs" / "ifaq" / "2022", ROOT / "specs" / "ifaq" / "2024",
                             "--data", ROOT / "examples" / "ifaq2022_2024.csv")
    assert code == 0, err
    assert "paramètre « Valeur cible de rémunération de Num.1 » : 20 % → 50 %" in out
    assert "Méthode : les deux campagnes sont évaluées sur le même jeu de données." in out
