"""A whole shared equally by a count of indicators: the count is the number of indicators sharing it.

IFAQ 2022: in each field, the indicators other than the digital pair weigh « (100% - digital_share) /
other_indicator_count » (9 in MCO, 5 in SSR and HAD, 1 in DIA, 6 in PSY). Typed 10 for MCO, the nine
weigh 74,7 % instead of 83 %: every MCO establishment is paid short, and no proof of overpayment sees
it. Typed 8, they overpay. Either way the count is said at its value for that field.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import SPECS, compile_folder

COUNTS = "{ MCO: 9, SSR: 5, HAD: 5, DIA: 1, PSY: 6 }"


def counted(tmp_path, typo):
    shutil.copytree(SPECS / "ifaq", tmp_path / "ifaq")
    path = tmp_path / "ifaq" / "2022" / "envelope.spec"
    text = path.read_text(encoding="utf-8")
    assert COUNTS in text
    path.write_text(text.replace(COUNTS, typo, 1), encoding="utf-8")
    _, diagnostics = compile_folder(path.parent)
    line = text[:text.index(COUNTS)].count("\n") + 1
    return [d for d in diagnostics.sorted() if d.code == "check.share_count"], path, line


@pytest.mark.parametrize("typo, field, written, expected", [
    ("{ MCO: 10, SSR: 5, HAD: 5, DIA: 1, PSY: 6 }", "MCO", "10", "9"),  # paid short
    ("{ MCO: 8, SSR: 5, HAD: 5, DIA: 1, PSY: 6 }", "MCO", "8", "9"),  # overpaid (refused by the proof too)
    ("{ MCO: 9, SSR: 5, HAD: 5, DIA: 2, PSY: 6 }", "DIA", "2", "1"),  # certification alone weighs 25 %
    ("{ MCO: 9, SSR: 5, HAD: 5, DIA: 1, PSY: 7 }", "PSY", "7", "6"),
])
def test_a_count_that_is_not_the_number_of_indicators_sharing_a_weight_is_said_at_its_value(tmp_path, typo, field,
                                                                                               written, expected):
    [warning], path, line = counted(tmp_path, typo)
    assert (warning.span.file, warning.span.line, warning.severity) == (str(path), line, "warning")
    assert warning.message.startswith(f"« other_indicator_count » vaut {written} pour {field} alors que {expected} "
                                      "indicateurs de l'enveloppe « ifaq_results » s'y partagent un même poids")
    assert f"({expected})" in warning.hint


def test_the_shipped_counts_are_the_numbers_of_indicators_sharing_the_weight(tmp_path):
    found, _, _ = counted(tmp_path, COUNTS)
    assert found == []
