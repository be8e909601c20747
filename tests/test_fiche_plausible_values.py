"""The campaign page says, beside a parameter's value, the plausible values its `range:` declares: the
guard a typo is checked against (a Num.1 target of 0,5 % typed for 50 %), shown as such, never as a
value of the documents."""

import html
import re

from conftest import ROOT

PAGE = ROOT / "generated" / "ifaq_2024" / "index.html"


def value_cell(name: str) -> str:
    """The « Valeur » cell of a parameter's row in the campaign page's table of parameters, as text."""
    row = re.search(rf"<td><code>{name}</code>.*?</td>\s*<td class=\"value\">(.*?)</td>", PAGE.read_text(encoding="utf-8"),
                    re.S)
    assert row, f"no row for {name} in {PAGE}"
    return html.unescape(re.sub(r"<[^>]+>", " ", row.group(1))).split()


def test_a_target_shows_its_plausible_values_as_a_guard():
    assert " ".join(value_cell("num1_target")) == (
        "50 % Valeurs plausibles : de 10 % à 90 % (contrôle de saisie : une valeur hors de ces bornes est signalée)")


def test_a_part_of_a_whole_shows_the_value_the_other_parts_leave_it():
    shown = " ".join(value_cell("num2_weight"))
    assert shown.startswith("0,75 Valeur attendue : 1 − ") and "Num.1" in shown and "une autre valeur est signalée" in shown


def test_a_parameter_without_a_range_shows_its_value_alone():
    assert value_cell("target_reached_at_equality") == ["non"]
