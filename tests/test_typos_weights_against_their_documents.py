"""Weights typed otherwise than their documents write them are said at their line.

IFAQ 2022: « Indicateur DMP valorisé à 0,25 ; Indicateur MSS valorisé à 0, 75 », and the pair weighs
« environ 17% » of the field (« 50% » in DIA), 1/7 in PSY by the author's assumption. The two weights
swapped still add up to 1 and the envelope still holds: only the document tells which is which. A field's
share doubled (34 % for 17 %) also keeps the envelope (the other indicators share what is left), so the
money proof cannot see it; the documents can. Which field takes which quoted share is not read from the
words: two fields' shares swapped stay silent (see tests/typo_mutations.py).
"""

from __future__ import annotations

from conftest import compile_folder, with_typo


def warned_at(folder, path, line, code="check.value_not_quoted"):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if d.code == code and (d.span.file, d.span.line) == (str(path), line)]


def test_two_ratio_weights_swapped_are_warned_where_the_quoted_decimal_is_not_the_value(tmp_path):
    """Swapped, they still make 1: the range [1 - d6_3_weight, 1 - d6_3_weight] holds."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", "parameter d2_2_weight: ratio = 0.25 {",
                                   "parameter d2_2_weight: ratio = 0.75 {")
    path.write_text(path.read_text(encoding="utf-8").replace("parameter d6_3_weight: ratio = 0.75 {",
                                                             "parameter d6_3_weight: ratio = 0.25 {"), encoding="utf-8")
    [warning] = warned_at(folder, path, line)
    assert warning.message == "« d2_2_weight » vaut 0,75 alors que les textes qu'il cite donnent 0,25, 1"


def test_a_field_share_none_of_its_texts_or_its_assumption_gives_is_warned_at_its_line(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", "{ MCO: 17%, SSR: 17%,",
                                   "{ MCO: 34%, SSR: 17%,")
    [warning] = warned_at(folder, path, line)
    assert warning.message.startswith("« digital_share » vaut 34 % pour MCO alors que les textes qu'il cite donnent")
    assert "17 %" in warning.message and "14,29 %" in warning.message


def test_the_shares_as_shipped_are_not_warned(tmp_path):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", "{ MCO: 17%, SSR: 17%,",
                                   "{ MCO: 17%, SSR: 17%,")
    assert warned_at(folder, path, line) == []
