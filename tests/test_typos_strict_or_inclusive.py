"""A threshold compared the other way than its texts say (``>=`` typed for ``>``, ``<`` for ``<=``) is said
at the comparison.

The thresholds of the shipped campaigns say in their label, or in the quotation of their source, whether
a value equal to them is in or out: « Prescription de plus de 8 500 boîtes en 2019 » (strictly more),
« Taux de recours aux systèmes actifs et diffuseur ≥ 80% » (at least), « inférieur à 75 % lors de
l'évaluation des contrats CAQES 2020 » (strictly less), « Nombre maximal d'indicateurs » (at most). An
operator typed the other way checks clean otherwise, and moves every establishment exactly on the
threshold to the other side: 8 500 boxes would be eligible, 80 % would not.
"""

from __future__ import annotations

import pytest

from conftest import SPECS, compile_folder, with_typo

FLIPS = [  # scheme, year, file, the comparison as shipped, as typed, what its texts say
    ("caqes", "2022", "national.spec", "when: ipp_boxes_2019 > ipp_min_boxes_2019",
     "when: ipp_boxes_2019 >= ipp_min_boxes_2019", ">", "strictement plus"),
    ("caqes", "2022", "national.spec", "when: perfusion_active_rate >= perfusion_min_active_rate",
     "when: perfusion_active_rate > perfusion_min_active_rate", ">=", "au moins"),
    ("caqes", "2022", "national.spec", "when: perfusion_active_spending >= perfusion_min_spending",
     "when: perfusion_active_spending > perfusion_min_spending", ">=", "au moins"),
    ("caqes", "2022", "national.spec", "when: ezetimibe_rate >= ezetimibe_min_rate",
     "when: ezetimibe_rate > ezetimibe_min_rate", ">=", "au moins"),
    ("caqes", "2022", "national.spec", "when: ezetimibe_prescription_spending >= ezetimibe_min_spending",
     "when: ezetimibe_prescription_spending > ezetimibe_min_spending", ">=", "au moins"),
    ("caqes", "2022", "national.spec", "when: dressing_patients > dressing_min_patients",
     "when: dressing_patients >= dressing_min_patients", ">", "strictement plus"),
    ("caqes", "2022", "national.spec", "when: epa_exams > epa_min_exams",
     "when: epa_exams >= epa_min_exams", ">", "strictement plus"),
    ("caqes", "2022", "national.spec", "when: epa_composite > epa_min_composite",
     "when: epa_composite >= epa_min_composite", ">", "strictement plus"),
    ("caqes", "2022", "national.spec", "when: hf_readmissions > hf_min_readmissions",
     "when: hf_readmissions >= hf_min_readmissions", ">", "strictement plus"),
    ("caqes", "2022", "national.spec", "when: transport.result >= transport_min_amb_share",
     "when: transport.result > transport_min_amb_share", ">=", "au moins"),
    ("caqes", "2022", "national.spec", "when: transport_amb_spending >= transport_min_amb_spending",
     "when: transport_amb_spending > transport_min_amb_spending", ">=", "au moins"),
    ("caqes", "2022", "regional.spec", "les_spending_2020 > les_min_spending_2020",
     "les_spending_2020 >= les_min_spending_2020", ">", "au-delà"),
    ("caqes", "2022", "regional.spec", "mco_stays > phev_min_mco_stays", "mco_stays >= phev_min_mco_stays", ">",
     "strictement plus"),
    ("caqes", "2022", "regional.spec", "when: rpps_rate_2020 < rpps_scope_max_rate_2020",
     "when: rpps_rate_2020 <= rpps_scope_max_rate_2020", "<", "en deçà"),
    ("caqes", "2022", "regional.spec", "else mpi_trained_share >= mpi_training_min_share",
     "else mpi_trained_share > mpi_training_min_share", ">=", "minimale"),
    ("caqes", "2022", "contract.spec", "potentiel_arrondi > targeting_min_potential",
     "potentiel_arrondi >= targeting_min_potential", ">", "au-delà"),
    ("caqes", "2022", "contract.spec", "contract_national_count <= caqes_max_national",
     "contract_national_count < caqes_max_national", "<=", "maximal"),
    ("caqes", "2022", "contract.spec", "contract_regional_count <= caqes_max_regional",
     "contract_regional_count < caqes_max_regional", "<=", "maximal"),
    ("caqes", "2022", "contract.spec", "result >= caqes_min_indicators", "result > caqes_min_indicators", ">=",
     "minimal"),
    ("caqes", "2017", "practices.spec", "d31_rate < d31_threshold", "d31_rate <= d31_threshold", "<",
     "strictement inférieur"),
    ("caqes", "2017", "practices.spec", "doc_ci_upper < doc_threshold", "doc_ci_upper <= doc_threshold", "<",
     "strictement inférieur"),
    ("caqes", "2017", "transport.spec", "result > transport_growth_threshold",
     "result >= transport_growth_threshold", ">", "dépasse"),
    ("caqes", "2017", "transport.spec", "transport_ref_spending > transport_spending_threshold",
     "transport_ref_spending >= transport_spending_threshold", ">", "dépasse"),
    # the threshold written first: « 8 500 < boîtes » read as « boîtes > 8 500 »
    ("caqes", "2022", "national.spec", "when: ipp_boxes_2019 > ipp_min_boxes_2019",
     "when: ipp_min_boxes_2019 <= ipp_boxes_2019", "<", "strictement plus"),
]


@pytest.mark.parametrize("scheme, year, file, written, typo, meant, words", FLIPS,
                         ids=[f"{f[4].split(': ')[-1]}" for f in FLIPS])
def test_a_threshold_compared_the_other_way_than_its_texts_say_is_said_at_the_comparison(
        tmp_path, scheme, year, file, written, typo, meant, words):
    folder, path, line = with_typo(tmp_path, scheme, year, file, written, typo)
    _, diagnostics = compile_folder(folder)
    said = [d for d in diagnostics.sorted() if d.code == "check.comparison_wording"]
    assert [(d.span.file, d.span.line) for d in said] == [(str(path), line)], diagnostics.render()
    assert not diagnostics.has_errors()
    [warning] = said
    operator = typo.split()[-2]
    assert warning.message.startswith(f"`{operator}` face à « ")
    assert f"alors que ses textes disent « " in warning.message
    assert "un établissement exactement sur le seuil changerait de côté" in warning.message
    assert warning.hint.startswith(f"écrivez `{meant}`")


def test_the_shipped_comparisons_read_their_thresholds_as_their_texts_say():
    for folder in sorted({p.parent for p in SPECS.rglob("campaign.spec")}):
        _, diagnostics = compile_folder(folder)
        assert not [d for d in diagnostics.items if d.code == "check.comparison_wording"], diagnostics.render()


@pytest.mark.parametrize("texts, said", [
    (["Seuil (prérequis : strictement plus)", "Prescription de plus de 8 500 boîtes"], {"above": True}),
    (["Taux minimal (prérequis : au moins)", "Taux ≥ 80%"], {"above": False}),
    (["Taux 2020 en deçà duquel (strictement moins)", "inférieur à 75 %"], {"below": True}),
    (["Nombre maximal d'indicateurs par contrat", "De 1 à 14 indicateurs"], {"below": False}),
    (["supérieur ou égal à 10 %"], {"above": False}),
    (["plus de 100 patients", "au moins 100 patients"], {}),          # both ways: the texts do not decide
    (["Durée requise du suivi (mois)", "2 mois pour 2022"], {}),       # nothing said
    (["80/100, est à atteindre, voire à dépasser"], {}),             # « à dépasser » is no strict threshold
    (["Seuil du taux d'évolution (ciblage : dépasse)"], {"above": True}),
])
def test_the_words_that_say_strict_or_inclusive(texts, said):
    from qualispec.compiler.check.wording import said_strictness
    assert {side: strict for side, (strict, _) in said_strictness(texts).items()} == said


def test_an_operator_on_the_next_line_is_said_on_its_own_line(tmp_path):
    folder, path, line = with_typo(tmp_path, "caqes", "2022", "national.spec",
                                   "when: ipp_boxes_2019 > ipp_min_boxes_2019",
                                   "when: ipp_boxes_2019\n      >= ipp_min_boxes_2019")
    _, diagnostics = compile_folder(folder)
    [warning] = [d for d in diagnostics.items if d.code == "check.comparison_wording"]
    assert (warning.span.file, warning.span.line, warning.span.column) == (str(path), line + 1, 7)
