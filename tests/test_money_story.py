"""The money diff tells its story first: a headline, then an attribution that adds up to 100 % with
the unexplained rest as its own row, each rule change in French; lists cut in the terminal say how
many rows are left, and the HTML and JSON hold them all."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from conftest import ROOT, run_cli

OLD, NEW, DATA = ROOT / "specs" / "ifaq" / "2022", ROOT / "specs" / "ifaq" / "2024", ROOT / "examples" / "ifaq2022_2024.csv"


@pytest.fixture
def terminal(money_diff_2022_2024):
    return money_diff_2022_2024  # French thousands spaces read as spaces


def _attribution_lines(out: str) -> list[str]:
    block = out.split("Ce qui explique l'écart", 1)[1].split("\n\n", 1)[0]
    return block.splitlines()[3:]


def test_the_headline_comes_first_with_money_and_who_wins_and_loses(terminal):
    lines = terminal.splitlines()
    # Only the scope warning comes before it: 17 indicators of 2022 are outside the 2024 guide.
    old, new = "« IFAQ 2022 — tous les indicateurs »", "« IFAQ 2024 — indicateurs numériques »"  # by their titles
    assert lines[0].startswith(f"Attention : 17 indicateurs de {old} hors du périmètre de {new}")
    assert lines[1].startswith(f"  Ils payaient 170 095 972,64 € dans {old}")
    first = lines[2:7]
    assert first[0].startswith(f"En bref : de {old} à {new}, sur 360 lignes")
    assert "513 780 242,04 €" in first[1] and "53 880 790,08 €" in first[1]
    assert re.search(r"\d+ gagnent \(.*%\), \d+ perdent \(.*%\)", first[2])
    assert terminal.index("Ce qui explique l'écart") < terminal.index("Comparaison des règles")


def test_the_attribution_adds_up_to_100_percent_with_the_rest_as_a_row(terminal):
    lines = _attribution_lines(terminal)
    shares = [Decimal(m.group(1).replace(",", ".")) for line in lines
              if not line.startswith(("Total", "(")) and (m := re.search(r"  (-?[\d,]+) %", line))]
    assert sum(shares) == Decimal("100.0")
    assert any(line.startswith("Reste non expliqué") for line in lines)
    total = next(line for line in lines if line.startswith("Total"))
    assert "-459 899 451,96 €" in total and "100,0 %" in total


def test_each_rule_change_is_said_with_french_labels(terminal):
    lines = "\n".join(_attribution_lines(terminal))
    assert "« Part de l'enveloppe IFAQ rémunérée par les indicateurs numériques »" in lines
    assert "ifaq_digital" not in lines and "num1_target" not in lines and "group_amount" not in lines


def test_the_terminal_says_how_many_rows_it_leaves_out_and_the_json_has_them_all(terminal, money_diff_2022_2024_json):
    assert "Qui perd (360)" in terminal
    assert "… et 350 de plus" in terminal
    payouts = money_diff_2022_2024_json["payouts"]
    assert len(payouts["rows"]) == 360
    assert payouts["headline"].startswith("Attention : 17 indicateurs") and "En bref" in payouts["headline"]
    assert payouts["attribution"][-2]["changement"].startswith("Total") or any(
        r["changement"] == "Total" for r in payouts["attribution"])


def test_the_html_report_lists_every_row_and_starts_with_the_story(tmp_path):
    out = tmp_path / "rapport.html"
    code, _, err = run_cli("diff", OLD, NEW, "--data", DATA, "--format", "html", "--out", out)
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert page.index("En bref") < page.index("Ce qui explique") < page.index("<h2>Indicateurs")
    losers = page.split("Qui perd (360)", 1)[1].split("</table>", 1)[0]
    assert losers.count("<tr>") == 361  # header + every establishment row
