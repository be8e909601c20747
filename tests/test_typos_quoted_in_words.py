"""An amount its quotation writes in words (« supérieur à 10 000 euros », « ≥ 100 000 euros ») is read as one:
a digit lost or added in the value is said at its line, as it is for « 500 000€ ».

CAQES 2022 (webinaire « nouveau CAQES »): « ciblage des établissements avec un intéressement potentiel
supérieur à 10 000 euros », « Dépenses pour les systèmes actifs et diffuseurs ≥ 100 000 euros »,
« Dépense pour la prescription d'ézétimibe ≥ 20 000 euros ». Those three values checked clean at
ten times or a tenth of themselves.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from conftest import compile_folder, with_typo
from qualispec.compiler.check.quoted import quoted_values


@pytest.mark.parametrize("file, written, typo, value, quoted", [
    ("contract.spec", "parameter targeting_min_potential: euro = 10_000 € {",
     "parameter targeting_min_potential: euro = 100_000 € {", "100\u202f000 €", "10\u202f000 €"),
    ("contract.spec", "parameter targeting_min_potential: euro = 10_000 € {",
     "parameter targeting_min_potential: euro = 1_000 € {", "1\u202f000 €", "10\u202f000 €"),
    ("national.spec", "parameter perfusion_min_spending: euro = 100_000 € {",
     "parameter perfusion_min_spending: euro = 1_000_000 € {", "1\u202f000\u202f000 €", "100\u202f000 €"),
    ("national.spec", "parameter ezetimibe_min_spending: euro = 20_000 € {",
     "parameter ezetimibe_min_spending: euro = 2_000 € {", "2\u202f000 €", "20\u202f000 €"),
])
def test_an_amount_its_quotation_writes_in_euros_is_checked_against_it(tmp_path, file, written, typo, value, quoted):
    folder, path, line = with_typo(tmp_path, "caqes", "2022", file, written, typo)
    _, diagnostics = compile_folder(folder)
    said = [d for d in diagnostics.sorted() if (d.span.file, d.span.line) == (str(path), line)]
    assert [d.code for d in said] == ["check.value_not_quoted"], diagnostics.render()
    assert f"vaut {value} alors que les textes qu'il cite donnent {quoted}" in said[0].message


@pytest.mark.parametrize("text, amounts", [
    ("« supérieur à 10 000 euros »", {10000}),
    ("« ≥ 20 000 euros (en montants remboursés) »", {20000}),
    ("« 12,5 millions d'euros »", {12500000}),
    ("« 12,5 millions d’€ »", {12500000}),
    ("« 1 euro »", {1}),
    ("« 3 milliards d'euros »", {3 * 10 ** 9}),
    ("« 2 européens, 5 eurosceptiques »", set()),     # a word that begins with « euro » is not an amount
])
def test_amounts_written_in_words_are_read_as_amounts(text, amounts):
    assert quoted_values([text], "euro") == {Fraction(a) for a in amounts}
