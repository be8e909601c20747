"""A value that none of the texts it quotes gives is said at its line.

The shipped parameters quote their documents: « Part de l'ambulance sur total transports (AMB + TXI +
VSL) ≥ 20% », « ces seuils sont fixés respectivement à 2,2% et 500 000€ », « (1% du montant reçu de
l'AM) ». A digit lost or added in the value (2 % for 20 %, 22 % for 2,2 %) is a percent all the same and
checks clean otherwise; here the value is read against the percentages and amounts its own label,
description, note and source write.
"""

from __future__ import annotations

import pytest

from conftest import SPECS, compile_folder, with_typo


def warnings_at(folder, path, line):
    _, diagnostics = compile_folder(folder)
    assert not diagnostics.has_errors(), diagnostics.render()
    return [d for d in diagnostics.sorted() if d.severity == "warning" and (d.span.file, d.span.line) == (str(path), line)]


@pytest.mark.parametrize("scheme, year, file, written, typo, said", [
    ("caqes", "2022", "national.spec", "parameter transport_min_amb_share: percent = 20% {",
     "parameter transport_min_amb_share: percent = 2% {",
     "« transport_min_amb_share » vaut 2 % alors que les textes qu'il cite donnent 20 %"),
    ("caqes", "2017", "transport.spec", "parameter transport_growth_threshold: percent = 2.2% {",
     "parameter transport_growth_threshold: percent = 22% {",
     "« transport_growth_threshold » vaut 22 % alors que les textes qu'il cite donnent 2,2 %"),
    ("caqes", "2022", "contract.spec", "parameter refusal_sanction_rate: percent = 1% {",
     "parameter refusal_sanction_rate: percent = 10% {", "« refusal_sanction_rate » vaut 10 % alors que"),
    ("caqes", "2022", "regional.spec", "parameter les_min_spending_2020: euro = 100_000 € {",
     "parameter les_min_spending_2020: euro = 10_000 € {",
     "« les_min_spending_2020 » vaut 10\u202f000 € alors que les textes qu'il cite donnent 100\u202f000 €"),
    # « Évolution stable 50% » typed 5 %
    ("ifaq", "2022", "valuation.spec", "parameter evolution_stable: percent = 50% {",
     "parameter evolution_stable: percent = 5% {", "« evolution_stable » vaut 5 % alors que les textes qu'il cite donnent 50 %"),
    # « ces seuils sont fixés respectivement à 2,2% et 500 000€ »
    ("caqes", "2017", "transport.spec", "parameter transport_spending_threshold: euro = 500_000 € {",
     "parameter transport_spending_threshold: euro = 50_000 € {",
     "« transport_spending_threshold » vaut 50 000 € alors que les textes qu'il cite donnent 500 000 €"),
    ("ars-cpom", "", "indicators.spec", "parameter purchases_medical_target: percent = 30% {",
     "parameter purchases_medical_target: percent = 3% {", "« purchases_medical_target » vaut 3 % alors que"),
])
def test_a_value_its_quoted_text_does_not_give_is_said_at_its_line(tmp_path, scheme, year, file, written, typo, said):
    folder, path, line = with_typo(tmp_path, scheme, year, file, written, typo)
    [warning] = warnings_at(folder, path, line)
    assert warning.code == "check.value_not_quoted" and warning.message.startswith(said)
    assert "assumption:" in warning.hint


def test_the_hopen_target_typed_for_the_ifaq_one_is_said_at_the_override_line(tmp_path):
    """IFAQ 2024 Num.2: « 50 % des correspondants … » (the HOP'EN target, 60 %, is not an IFAQ one)."""
    folder, path, line = with_typo(tmp_path, "ifaq", "2024", "numerique.spec",
                                   "override d6_3_target as num2_target {", "override d6_3_target as num2_target = 60% {")
    [warning] = warnings_at(folder, path, line)
    assert warning.message == "« num2_target » vaut 60 % alors que les textes qu'il cite donnent 50 %"


def test_a_value_the_author_reads_into_the_document_says_so_and_is_not_judged(tmp_path):
    """IFAQ 2022 PSY: the webinaire gives no digital share (17 %, 50 % elsewhere); 1/7 is an assumption."""
    _, diagnostics = compile_folder(SPECS / "ifaq" / "2022")
    assert [d for d in diagnostics.items if d.code == "check.value_not_quoted"] == []


def test_no_shipped_value_contradicts_the_texts_it_quotes():
    for folder in sorted({p.parent for p in SPECS.rglob("campaign.spec")}):
        _, diagnostics = compile_folder(folder)
        assert [d.message for d in diagnostics.items if d.code == "check.value_not_quoted"] == []


@pytest.mark.parametrize("scheme, year, file, written, typo, said", [
    # « au moins 100 patients » typed 10
    ("caqes", "2022", "national.spec", "parameter dressing_min_patients: count = 100 {",
     "parameter dressing_min_patients: count = 10 {",
     "« dressing_min_patients » vaut 10 alors que les textes qu'il cite donnent 100"),
    ("caqes", "2022", "contract.spec", "parameter caqes_max_national: count = 7 {",
     "parameter caqes_max_national: count = 70 {", "« caqes_max_national » vaut 70 alors que"),
    # the QLS objective « 80/100 » typed 8
    ("iqss", "2022", "dossier_patient.spec", "parameter qls_objective: number = 80 {",
     "parameter qls_objective: number = 8 {", "« qls_objective » vaut 8 alors que les textes qu'il cite donnent 80, 100"),
])
def test_a_count_its_quotation_does_not_give_is_said_at_its_line(tmp_path, scheme, year, file, written, typo, said):
    folder, path, line = with_typo(tmp_path, scheme, year, file, written, typo)
    [warning] = warnings_at(folder, path, line)
    assert warning.code == "check.value_not_quoted" and warning.message.startswith(said)


def test_an_override_of_a_count_the_new_year_quotes_is_accepted(tmp_path):
    """CAQES 2023: « 8 » national indicators (7 in 2022), quoted by the override."""
    _, diagnostics = compile_folder(SPECS / "caqes" / "2023")
    assert [d for d in diagnostics.items if d.code == "check.value_not_quoted"] == []
