"""`qualispec diff` in the terminal reads like the rules, as the HTML report does: the campaigns by their titles,
each parameter, indicator and rule by its French label, with its code name only where an author needs it to edit
a spec: in parentheses after its words, in a rename (« d2_2_target → num1_target ») and in `override … as …`."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, SPECS, compile_folder, run_cli

OLD, NEW, DATA = SPECS / "ifaq" / "2022", SPECS / "ifaq" / "2024", ROOT / "examples" / "ifaq2022_2024.csv"


@pytest.fixture
def rules(rules_diff_2022_2024):
    return rules_diff_2022_2024


@pytest.fixture
def money(money_diff_2022_2024):
    return money_diff_2022_2024


@pytest.fixture(scope="module")
def code_names():
    """The code names an author writes that have words of their own: campaigns, parameters, indicators (with an
    underscore or a digit: « les », a CAQES indicator, is also a French word)."""
    names = set()
    for folder in (OLD, NEW):
        c = compile_folder(folder)[0].campaign
        names |= {c.name} | {n for n in [*c.parameters, *c.indicators] if re.search(r"[_0-9]", n)}
    return re.compile(r"(?<![\w.])(" + "|".join(sorted(names, key=len, reverse=True)) + r")(?![\w])")


def _prose(out: str) -> str:
    """The terminal without what is meant as code: a name alone in parentheses after its words, the two names of a
    rename, `override … as …`."""
    out = re.sub(r"override \w+ as \w+", " ", out)
    out = re.sub(r"^\s+[\w.]+ → [\w.]+$", " ", out, flags=re.M)
    out = re.sub(r"\([\w.]+\s+→\s+[\w.]+\)", " ", out)  # a rename in the terminal's short list: « Num.1 … (d2_2 → num1) »
    return re.sub(r"\([\w.]+\)", " ", out)


def test_the_title_names_both_campaigns_by_their_titles(rules):
    assert rules.startswith("Comparaison des règles : IFAQ 2022 — tous les indicateurs → "
                            "IFAQ 2024 — indicateurs numériques\n")


def test_a_parameter_is_said_by_its_label_with_its_code_name_in_parentheses(rules):
    assert "• Valeur cible de rémunération de Num.1 (num1_target) — valeur modifiée (valeur)" in rules
    assert "• Num.1 : valeur cible de rémunération (num1.target) — modifié\n" in rules  # its words said once
    # the rename: both code names, as the spec writes them, after the parameter's words
    assert "Valeur cible de rémunération de Num.1 (d2_2_target → num1_target)" in rules
    assert "par la valeur du paramètre « Valeur cible de rémunération de Num.1 » (voir Paramètres)" in rules


def test_the_full_list_says_how_each_rename_was_declared(rules_diff_2022_2024_markdown):
    assert "`override d2_2_target as num1_target`" in rules_diff_2022_2024_markdown


def test_no_code_name_is_left_in_the_prose_of_the_rule_diff(rules, code_names):
    left = [(m.group(1), prose[max(0, m.start() - 50):m.end() + 10]) for prose in [_prose(rules)]
            for m in code_names.finditer(prose)]
    assert not left, f"{len(left)} code names in the terminal, first: {left[:3]}"


def test_the_money_story_names_the_campaigns_and_indicators_by_their_titles(money, code_names):
    story = money.split("Qui gagne", 1)[0]
    assert story.startswith("Attention : 17 indicateurs de « IFAQ 2022 — tous les indicateurs » hors du périmètre "
                            "de « IFAQ 2024 — indicateurs numériques » (non comparés) : « Certification des ES », ")
    assert "En bref : de « IFAQ 2022 — tous les indicateurs » à « IFAQ 2024 — indicateurs numériques », sur 360" in story
    left = [(m.group(1), story[max(0, m.start() - 50):m.end() + 10]) for m in code_names.finditer(story)]
    assert not left, f"{len(left)} code names in the money story, first: {left[:3]}"


def test_the_money_tables_head_their_columns_by_the_campaigns_short_names(money, code_names):
    losers = money.split("Qui perd (360)", 1)[1].splitlines()[2]
    assert losers.split() == ["FINESS", "champ", "groupe", "IFAQ", "2022", "groupe", "IFAQ", "2024", "IFAQ", "2022",
                              "IFAQ", "2024", "écart"]
    tables = money.split("Comparaison des règles", 1)[0]
    tables = tables[tables.index("Qui gagne"):]
    left = [(m.group(1), prose[max(0, m.start() - 50):m.end() + 10]) for prose in [_prose(tables)]
            for m in code_names.finditer(prose)]
    assert not left, f"{len(left)} code names in the money tables, first: {left[:3]}"
