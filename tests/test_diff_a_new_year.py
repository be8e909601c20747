"""A new campaign year read as an analyst reads it: IFAQ 2025 started from 2024 with `qualispec new`, its
Num.2 target raised to 60 %, the pair's weights moved to 0,4 / 0,6 and the national amount to 750 M€
(figures of this exercise, not of a document), then compared with 2024 on the bundled dataset."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import EXAMPLE, SPECS, run_cli

CHANGES = '''
override num2_target = 60% {
  label: "Valeur cible de rémunération de Num.2"
  description: "La cible de Num.2 passe de 50 % à 60 %."
  source: guide_ifaq_2024 "Évolutions pour 2025"
}
override num1_weight = 0.4 {
  label: "Poids de Num.1 dans la paire d'indicateurs numériques"
  assumption: "Poids revus pour 2025."
}
override num2_weight = 0.6 {
  label: "Poids de Num.2 dans la paire d'indicateurs numériques"
  assumption: "Poids revus pour 2025."
}
override ifaq_envelope_total = 750000000 € {
  label: "Montant national IFAQ"
  description: "750 M€ en 2025."
  source: arrete_ifaq "Arrêté 2025"
}
'''


@pytest.fixture(scope="module")
def year_2025(tmp_path_factory):
    root = tmp_path_factory.mktemp("specs")
    shutil.copytree(SPECS / "ifaq", root / "ifaq")
    code, _, err = run_cli("new", root / "ifaq" / "2024", root / "ifaq" / "2025")
    assert code == 0, err
    carried = root / "ifaq" / "2025" / "carried.spec"
    text = carried.read_text(encoding="utf-8")
    for name in ("num2_target", "num1_weight", "num2_weight", "ifaq_envelope_total"):  # each now an override
        text, n = re.subn(r"# [^\n]*\ncarry %s \{\n[^}]*\}\n\n?" % name, "", text)
        assert n == 1, name
    carried.write_text(text, encoding="utf-8")
    (root / "ifaq" / "2025" / "changes.spec").write_text(CHANGES, encoding="utf-8")
    return root / "ifaq"


@pytest.fixture(scope="module")
def report(year_2025):
    code, out, err = run_cli("diff", year_2025 / "2024", year_2025 / "2025", "--data", EXAMPLE)
    assert code == 0, err
    return out


def _bullet(report: str, start: str) -> str:
    """One change of the rules' list: its bullet line and the lines below it, up to the next bullet."""
    text = report[report.index(start):]
    return text[:text.index("\n•", 1)] if "\n•" in text[1:] else text


def test_a_weight_is_said_changed_by_the_parameter_that_changed_not_by_every_one_it_reads(report):
    weight = _bullet(report, "• Num.1 : poids")
    why = weight[weight.index("par la valeur"):]
    assert "« Poids de Num.1 dans la paire d'indicateurs numériques »" in why
    assert "Part de la pondération" not in why  # the digital share is the same in both years


def test_a_change_larger_than_the_whole_gap_is_not_given_as_a_share_above_100_percent(report):
    headline = report[:report.index("Ce qui explique")]
    line = next(line for line in headline.splitlines() if "pèse le plus" in line)
    assert "Poids de Num.1" in line and "+9 149 583,00 €" in line.replace("\u202f", " ")
    assert "plus que l'écart total : d'autres changements jouent en sens inverse" in line
    assert not re.search(r"-?\d[\d\u202f ]*,\d %", line.split("0,4", 1)[1])  # no « -1 780,5 % de l'écart »


def test_the_tables_head_their_key_columns_in_french(report):
    winners = report.split("Qui gagne (", 1)[1].splitlines()[2]
    assert winners.split()[:2] == ["FINESS", "champ"]
    per_group = report.split("Par groupe de comparaison", 1)[1].splitlines()[2]
    assert per_group.split()[:2] == ["champ", "groupe"]
