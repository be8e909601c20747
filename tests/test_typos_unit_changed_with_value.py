"""A parameter's unit changed together with its value is said at its line, in the unit its documents use.

`parameter ipp_rate: ratio = 0.2` is the same number as `percent = 20%`: no payout changes today. But the
CAQES 2022 webinaire writes « 20% des économies générées », a percentage: declared as a ratio, the rate
no longer reads as its document, and the first comparison or sum with a percentage mixes two units. The
warning is at the value the author typed, not only at some later use.
"""

from __future__ import annotations

from conftest import compile_folder, with_typo


def said_at(folder, path, line):
    _, diagnostics = compile_folder(folder)
    return [d for d in diagnostics.sorted() if (d.span.file, d.span.line) == (str(path), line)]


def test_a_rate_its_document_writes_as_a_percentage_declared_as_a_ratio_is_warned_at_its_line(tmp_path):
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "national.spec", "parameter ipp_rate: percent = 20% {",
                                   "parameter ipp_rate: ratio = 0.2 {")
    [warning] = [d for d in said_at(folder, path, line) if d.code == "check.ratio_quoted_as_percent"]
    assert warning.severity == "warning"
    assert warning.message == "« ipp_rate » est déclaré en ratio (0,2) alors que ses textes l'écrivent en pourcentage (20 %)"
    assert warning.hint.startswith("déclarez-le `percent` et écrivez `20 %`")


def test_a_target_declared_as_a_ratio_is_said_at_its_value_not_only_where_it_meets_a_percentage(tmp_path):
    """ARS CPOM: « 80 % » of letters sent through the e-santé territory; the target typed `ratio = 0.8`."""
    folder, path, line = with_typo(tmp_path, "ars-cpom", "", "indicators.spec",
                                   "parameter terr_esante_letters_target: percent = 80% {",
                                   "parameter terr_esante_letters_target: ratio = 0.8 {")
    assert "check.ratio_quoted_as_percent" in [d.code for d in said_at(folder, path, line)]


def test_a_ratio_its_documents_write_as_a_ratio_is_not_warned(tmp_path):
    """IFAQ 2022: « Indicateur DMP valorisé à 0,25 » — a ratio in the document, a ratio in the spec."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "numerique.spec", "parameter d2_2_weight: ratio = 0.25 {",
                                   "parameter d2_2_weight: ratio = 0.25 {")
    assert [d for d in said_at(folder, path, line) if d.code == "check.ratio_quoted_as_percent"] == []
