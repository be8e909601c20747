"""A parameter no rule reads pays nothing: a typo in its value (« 12.5 € » typed for 12,5 M€) would go
unseen, so the compiler says, at the line where the value is written, that no rule reads it. A parameter
kept only to be shown (the CAQES regional envelope of « 12,5 millions d'€ », whose split by region « n'est
pas connu à ce jour ») says why with `informative:`, and is then not warned about.
"""

from __future__ import annotations

import shutil

from conftest import SPECS, compile_folder

HEADER = '''
campaign demo { label: "Démo" source: doc "§1" }
document doc { label: "Document" }
input spending: euro { label: "Dépenses" source: doc "§2" }
indicator spent { label: "Dépenses" unit: euro result: spending source: doc "§3" }
'''


def warnings(folder, code="check.unread_parameter"):
    _, diagnostics = compile_folder(folder)
    assert not diagnostics.has_errors(), diagnostics.render()
    return [d for d in diagnostics.sorted() if d.code == code]


def test_an_amount_no_rule_reads_is_warned_about_at_its_line(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + 'parameter envelope: euro = 12.5 € { label: "Enveloppe" source: doc "§4" }\n'})
    [warning] = warnings(folder)
    lines = (folder / "c.spec").read_text(encoding="utf-8").splitlines()
    assert warning.severity == "warning"
    assert (warning.span.file, lines[warning.span.line - 1]) == (str(folder / "c.spec"), lines[-1])
    assert lines[-1].startswith("parameter envelope: euro = 12.5 €")
    assert "« envelope » n'est lu par aucune règle" in warning.message
    assert "informative:" in warning.hint


def test_a_parameter_a_rule_reads_is_not_warned_about(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER.replace("result: spending", "result: spending - envelope")
                           + 'parameter envelope: euro = 12.5 € { label: "Enveloppe" source: doc "§4" }\n'})
    assert warnings(folder) == []


def test_an_informative_parameter_says_why_and_is_not_warned_about(campaign_dir):
    folder = campaign_dir({"c.spec": HEADER + 'parameter envelope: euro = 12.5 M€ { label: "Enveloppe" '
                           'informative: "Montrée, aucun paiement n\'est calculé." source: doc "§4" }\n'})
    assert warnings(folder) == []


def test_the_regional_envelope_typed_in_euros_is_warned_about_without_its_reason(tmp_path):
    """CAQES 2022: « fixe enveloppe nationale = 12,5 millions d'€ »; typed « 12.5 € », no rule reads it."""
    shutil.copytree(SPECS / "caqes", tmp_path / "caqes")
    path = tmp_path / "caqes" / "2022" / "contract.spec"
    text = path.read_text(encoding="utf-8")
    written = "parameter regional_envelope: euro = 12.5 M€ {"
    assert written in text
    start = text.index(written)
    informative = text.index("  informative:", start)
    assert informative < text.index("\n}", start)  # the shipped spec says why it is only shown
    end = text.index("\n", informative) + 1
    path.write_text(text[:start] + written.replace("12.5 M€", "12.5 €") + text[start + len(written):informative]
                    + text[end:], encoding="utf-8")
    [warning] = warnings(tmp_path / "caqes" / "2022")
    assert (warning.span.file, warning.span.line) == (str(path), text[:start].count("\n") + 1)
    assert "regional_envelope" in warning.message


def test_the_shipped_unread_parameters_each_say_why_they_are_only_shown():
    for campaign in ("caqes/2017", "caqes/2022", "caqes/2023"):
        assert warnings(SPECS / campaign) == []
