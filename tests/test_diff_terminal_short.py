"""`qualispec diff` in the terminal is short: the money first (with --data), then in each section of the rule diff
the changes that weigh most (values, rules and formulas before texts), the rest counted as « … et N autres » with
where the full list is; HTML, Markdown and JSON keep every change. Units are said in French words."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, SPECS, run_cli

OLD, NEW, DATA = SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024", ROOT / "examples" / "ifaq2022_2024.csv"
FULL_LIST = "(liste entière : --format html, markdown ou json)"


@pytest.fixture
def rules(rules_diff_2022_2024):
    return rules_diff_2022_2024


@pytest.fixture
def money(money_diff_2022_2024):
    return money_diff_2022_2024


def _section(out: str, title: str) -> str:
    return out.split(f"\n{title} (", 1)[1].split("\n\n", 1)[0]


def test_the_246_rule_changes_of_2022_to_2024_fit_in_a_few_screens(rules):
    assert "246 différences" in rules
    assert len(rules.splitlines()) <= 220  # 865 lines when every change was printed in full


def test_each_section_cut_says_how_many_are_left_and_where_they_all_are(rules):
    assert f"  … et 70 autres {FULL_LIST}" in _section(rules, "Hypothèses")  # 74 assumptions, 4 of them said
    textes = _section(rules, "Textes (définitions, périodes de mesure, dates limites …)")
    told = re.search(r"… et (\d+) autres", textes)
    assert told and int(told.group(1)) + textes.count("\n• ") == 46


def test_a_small_diff_is_shown_in_full_without_a_count():
    fixtures = ROOT / "tests" / "fixtures" / "diff" / "target"
    code, out, err = run_cli("diff", fixtures / "old", fixtures / "new")
    assert code == 0, err
    assert "… et" not in out and "liste entière" not in out


def test_values_and_formulas_come_before_renames_and_removals(rules):
    parameters = _section(rules, "Paramètres").splitlines()
    assert parameters[2].startswith("• Valeur cible de rémunération de Num.1 (num1_target) — valeur modifiée")
    renames = next(line for line in parameters if line.startswith("• renommés (4) : "))
    assert parameters.index(renames) > parameters.index(next(line for line in parameters if "— retiré" in line))


def test_the_full_lists_keep_every_change(rules_diff_2022_2024_markdown):
    code, out, err = run_cli("diff", OLD, NEW, "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)["changes"]) == 246
    assert "… et" not in rules_diff_2022_2024_markdown


def test_units_are_said_in_french_words(rules_diff_2022_2024_markdown):
    out = rules_diff_2022_2024_markdown
    added = next(line for line in out.splitlines() if "(`num1_previous`) | ajouté (donnée)" in line)
    assert "| pourcentage (%) |" in added
    status = next(line for line in out.splitlines() if "(`num1_status`) | ajouté (donnée)" in line)
    assert "| catégorie, valeurs : renseigne, non\\_renseigne |" in status
    assert not re.search(r"\| (percent|category|number|euro)[ ,|]", out)


def test_with_data_the_money_comes_first_then_the_rules(money):
    assert money.index("En bref") < money.index("Qui perd (360)") < money.index("Par groupe de comparaison") \
        < money.index("Comparaison des règles")


def test_the_terminal_names_four_indicators_out_of_scope_and_counts_the_rest(money, money_diff_2022_2024_json):
    first = money.splitlines()[0]
    assert first.endswith("« Satisfaction et expérience patient MCO +48h (e-Satis MCO +48h) » et 13 autres.")
    assert "« Mesure des séjours longs (PSY)" in money_diff_2022_2024_json["payouts"]["headline"]  # the 17th, in full
