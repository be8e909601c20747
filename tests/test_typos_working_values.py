"""Values the documents do not give, typed wrong, are said at their line.

IFAQ's certification and long-stay scores are working values (« Les documents ne disent pas comment la
certification est rémunérée »): they have no quotation to be read against and no range the documents
would bound, so `certification_score_conditional = 5%` for 50 % checked clean, a percent between 0 and
100 % all the same. Their assumption now states the working value (« Valeur de travail, non officielle :
50 % »), and a value other than the one figure its assumption writes is said at its line.

Where the documents bound a value, its `range:` quotes them: the level's weight when the evolution is not
counted lies between « Poids de 50% » and « 100% niveau atteint »; a CAQES contract year between 1 and 5
(« Contrat d'une durée limitée à 5 ans »); an e-Satis score between 0 and 100; the expected normalised
ratio of ÉTÉ/ISO ortho is 1. The published counts of evaluated establishments quote their figures
(« ETE-PTH 3/61 »).
"""

from __future__ import annotations

import pytest

from conftest import compile_folder, with_typo


def said_at(folder, path, line):
    _, diagnostics = compile_folder(folder)
    assert not diagnostics.has_errors(), diagnostics.render()
    return [d for d in diagnostics.sorted() if (d.span.file, d.span.line) == (str(path), line)]


@pytest.mark.parametrize("written, typo, message", [
    ("parameter certification_score_conditional: percent = 50% {",
     "parameter certification_score_conditional: percent = 5% {",
     "« certification_score_conditional » vaut 5 % alors que son hypothèse écrit 50 %"),
    ("parameter certification_score_certified: percent = 100% {",
     "parameter certification_score_certified: percent = 10% {",
     "« certification_score_certified » vaut 10 % alors que son hypothèse écrit 100 %"),
    ("parameter certification_score_mention: percent = 100% {",
     "parameter certification_score_mention: percent = 10% {",
     "« certification_score_mention » vaut 10 % alors que son hypothèse écrit 100 %"),
    ("parameter certification_score_not_certified: percent = 0% {",
     "parameter certification_score_not_certified: percent = 10% {",
     "« certification_score_not_certified » vaut 10 % alors que son hypothèse écrit 0 %"),
    ("parameter long_stay_score_measured: percent = 100% {",
     "parameter long_stay_score_measured: percent = 10% {",
     "« long_stay_score_measured » vaut 10 % alors que son hypothèse écrit 100 %"),
    ("parameter ortho_score_as_expected: percent = 100% {",
     "parameter ortho_score_as_expected: percent = 10% {",
     "« ortho_score_as_expected » vaut 10 % alors que son hypothèse écrit 100 %"),
])
def test_a_working_value_typed_otherwise_than_its_assumption_writes_is_said_at_its_line(tmp_path, written, typo,
                                                                                       message):
    folder, path, line = with_typo(tmp_path, "ifaq", "2022", "valuation.spec", written, typo)
    [warning] = said_at(folder, path, line)
    assert warning.code == "check.value_not_as_assumed" and warning.message == message
    assert "assumption:" in warning.hint


def test_a_working_value_changed_in_its_assumption_too_is_accepted(tmp_path):
    folder, path, line = with_typo(
        tmp_path, "ifaq", "2022", "valuation.spec",
        "parameter certification_score_conditional: percent = 50% {\n"
        "  label: \"Certification — score d'un établissement certifié sous conditions\"\n"
        "  assumption: \"Les documents ne disent pas comment la certification est rémunérée. Valeur de travail, "
        "non officielle : 50 %.\"",
        "parameter certification_score_conditional: percent = 40% {\n"
        "  label: \"Certification — score d'un établissement certifié sous conditions\"\n"
        "  assumption: \"Les documents ne disent pas comment la certification est rémunérée. Valeur de travail, "
        "non officielle : 40 %.\"")
    assert said_at(folder, path, line) == []


@pytest.mark.parametrize("scheme, year, file, written, typo, code", [
    ("ifaq", "2022", "valuation.spec", "parameter level_weight_evolution_not_counted: percent = 100% {",
     "parameter level_weight_evolution_not_counted: percent = 10% {", "check.value_out_of_range"),
    ("caqes", "2022", "regional.spec", "parameter contract_year: count = 1 {",
     "parameter contract_year: count = 10 {", "check.value_out_of_range"),
    ("caqes", "2023", "year_2023.spec", "override contract_year = 2 {", "override contract_year = 20 {",
     "check.value_out_of_range"),
    ("iqss", "2022", "autres.spec", "parameter esatis_mco_48h_hdf_2021: number = 74.1 {",
     "parameter esatis_mco_48h_hdf_2021: number = 741 {", "check.value_out_of_range"),
    ("iqss", "2022", "autres.spec", "parameter esatis_ssr_all_2021: number = 73.7 {",
     "parameter esatis_ssr_all_2021: number = -73.7 {", "check.value_out_of_range"),
    ("ifaq", "2022", "valuation.spec", "parameter ortho_expected_ratio: number = 1 {",
     "parameter ortho_expected_ratio: number = -1 {", "check.value_out_of_range"),
    ("ifaq", "2022", "valuation.spec", "parameter ortho_expected_ratio: number = 1 {",
     "parameter ortho_expected_ratio: number = 10 {", "check.value_out_of_range"),
    # « ETE-PTH 3/61 » (Hauts-de-France), « 17/684 » (France): the evaluated establishments quote them too
    ("iqss", "2022", "autres.spec", "parameter ortho_ete_pth_evaluated_hdf_2021: count = 61 {",
     "parameter ortho_ete_pth_evaluated_hdf_2021: count = 610 {", "check.value_not_quoted"),
    ("iqss", "2022", "autres.spec", "parameter ortho_iso_ptg_evaluated_france_2021: count = 665 {",
     "parameter ortho_iso_ptg_evaluated_france_2021: count = 6650 {", "check.value_not_quoted"),
])
def test_a_value_out_of_what_the_documents_bound_is_said_at_its_line(tmp_path, scheme, year, file, written, typo,
                                                                    code):
    folder, path, line = with_typo(tmp_path, scheme, year, file, written, typo)
    assert [d.code for d in said_at(folder, path, line)] == [code]
