"""A parameter marked `informative:` is read by no rule: nothing downstream would notice a typo in it, so
the compiler checks its value like any other one (unit, sign, plausible range), at its line.

CAQES 2022: « fixe enveloppe nationale = 12,5 millions d'€ », shown in the fiche only, « l'arbitrage
national sur la répartition de l'enveloppe par région n'est pas connu à ce jour ». CAQES 2017 D3.1:
« La valeur cible est 50% des séjours », shown only (the targeting reads the 10 % threshold).
"""

from __future__ import annotations

import pytest

from conftest import SPECS, compile_folder, with_typo

ENVELOPE = "parameter regional_envelope: euro = 12.5 M€ {"
D31 = "parameter d31_target: percent = 50% {"


def said_at(folder, path, line):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if (d.span.file, d.span.line) == (str(path), line)]


@pytest.mark.parametrize("scheme, year, file, written, typo, code, severity", [
    ("caqes", "2022", "contract.spec", ENVELOPE, "parameter regional_envelope: euro = 12.5 {",
     "check.bare_number_declared", "error"),  # no unit: 12,5 € or 12,5 M€?
    ("caqes", "2022", "contract.spec", ENVELOPE, "parameter regional_envelope: euro = 12.5% {",
     "check.declared_unit", "error"),
    ("caqes", "2022", "contract.spec", ENVELOPE, "parameter regional_envelope: euro = 12.5 € {",
     "check.value_out_of_range", "warning"),  # the millions forgotten
    ("caqes", "2022", "contract.spec", ENVELOPE, "parameter regional_envelope: euro = 12.5 k€ {",
     "check.value_out_of_range", "warning"),
    ("caqes", "2022", "contract.spec", ENVELOPE, "parameter regional_envelope: euro = -12.5 M€ {",
     "check.negative_parameter_amount", "warning"),
    ("caqes", "2017", "practices.spec", D31, "parameter d31_target: percent = 50 {", "check.bare_number_declared", "error"),
    ("caqes", "2017", "practices.spec", D31, "parameter d31_target: percent = 500% {", "check.percent_out_of_range", "warning"),
    ("caqes", "2017", "practices.spec", D31, "parameter d31_target: percent = 5% {", "check.value_out_of_range", "warning"),
])
def test_a_typo_in_an_informative_parameter_is_said_at_its_line(tmp_path, scheme, year, file, written, typo, code,
                                                                 severity):
    folder, path, line = with_typo(tmp_path, scheme, year, file, written, typo)
    found = said_at(folder, path, line)
    assert [(d.code, d.severity) for d in found] == [(code, severity)], [d.message for d in found]


def test_an_informative_parameter_a_rule_reads_is_warned_about(tmp_path):
    """« lue par aucune règle » no longer holds once a rule reads it: the targeting compares with the
    target instead of the threshold, the fiche still says the target decides nothing."""
    folder, path, _ = with_typo(tmp_path, "caqes", "2017", "practices.spec",
                                "d31_rate < d31_threshold", "d31_rate < d31_target")
    text = path.read_text(encoding="utf-8")
    line = text[:text.index("  informative:", text.index(D31))].count("\n") + 1
    _, diagnostics = compile_folder(folder)
    [warning] = [d for d in diagnostics.sorted() if d.code == "check.informative_but_read"]
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message.startswith("« d31_target » est dit informatif (lu par aucune règle) mais une règle le lit")
