"""The non-IFAQ schemes: CAQES 2017, 2022, 2023, IQSS 2022, HOP'EN 2022/2023, ARS CPOM.

They compile with no error and no warning, the rules the seeds state are pinned (strict
versus non-strict comparisons, rates, thresholds, the year switches), the policy-author
cases in each campaign's cases/ folder pass, and the example datasets are accepted.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from qualispec.compiler.syntax import ast
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_one

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
CAMPAIGNS = {
    "caqes_2017": SPECS / "caqes" / "2017",
    "caqes_2022": SPECS / "caqes" / "2022",
    "caqes_2023": SPECS / "caqes" / "2023",
    "iqss_2022": SPECS / "iqss" / "2022",
    "hopen_2022": SPECS / "hopen" / "2022",
    "hopen_2023": SPECS / "hopen" / "2023",
    "ars_cpom_volet2": SPECS / "ars-cpom",
}
EXAMPLES = {
    "caqes_2017": "caqes_2017.csv", "caqes_2022": "caqes_2022.csv", "caqes_2023": "caqes_2022.csv",
    "iqss_2022": "iqss_2022.csv", "hopen_2022": "hopen.csv", "hopen_2023": "hopen.csv", "ars_cpom_volet2": "ars_cpom.csv",
}
_cache: dict[str, object] = {}


def compiled(name: str):
    if name not in _cache:
        d = Diagnostics()
        result = compile_one(CAMPAIGNS[name], d)
        _cache[name] = (result, d)
    return _cache[name]


def campaign(name: str):
    return compiled(name)[0].campaign


def value(name: str, parameter: str) -> Fraction:
    expr = campaign(name).parameters[parameter].value
    assert isinstance(expr, ast.Num), f"{parameter} is not a number"
    return expr.value


def comparisons(expr) -> list[str]:
    return [n.op for n in ast.walk(expr) if isinstance(n, ast.Compare)]


# ------------------------------------------------------------------ compile cleanly
@pytest.mark.parametrize("name", list(CAMPAIGNS))
def test_compiles_without_errors_or_warnings(name):
    result, d = compiled(name)
    assert result is not None
    assert not d.errors, [d.render_one(x) for x in d.errors]
    assert not d.warnings, [d.render_one(x) for x in d.warnings]
    assert result.campaign.name == name


@pytest.mark.parametrize("name", list(CAMPAIGNS))
def test_every_rule_says_its_source_or_assumption(name):
    c = campaign(name)
    for kind in ("parameters", "prerequisites", "indicators", "inputs"):
        for decl in getattr(c, kind).values():
            assert decl.source is not None or decl.assumption or decl.carried, f"{kind} {decl.name}"


# ------------------------------------------------------------------ CAQES 2022
NATIONAL = ["ipp", "perfusions", "ezetimibe", "dressings", "epa", "heart_failure", "transport"]
REGIONAL = ["les", "atb", "mpi", "clinical_pharmacy", "dm_dmi", "phev_plan", "rpps_finess"]


def test_caqes_2022_has_7_national_and_7_regional_indicators():
    c = campaign("caqes_2022")
    assert set(NATIONAL) | set(REGIONAL) <= set(c.indicators)
    for name in NATIONAL:
        assert c.indicators[name].prerequisites, name
        assert c.indicators[name].part("payout"), name


@pytest.mark.parametrize("parameter, expected", [
    ("ipp_min_boxes_2019", 8500), ("ipp_rate", Fraction(20, 100)),
    ("perfusion_min_active_rate", Fraction(80, 100)), ("perfusion_min_spending", 100_000), ("perfusion_rate", Fraction(20, 100)),
    ("ezetimibe_min_rate", Fraction(9, 100)), ("ezetimibe_min_spending", 20_000), ("ezetimibe_profit_rate", Fraction(30, 100)),
    ("dressing_min_patients", 100), ("dressing_excess_vs_category", Fraction(40, 100)), ("dressing_rate", Fraction(30, 100)),
    ("epa_min_exams", 1000), ("epa_min_composite", 0), ("epa_rate", Fraction(30, 100)),
    ("hf_min_readmissions", 10), ("hf_rate", Fraction(30, 100)),
    ("transport_min_amb_share", Fraction(20, 100)), ("transport_min_amb_spending", 400_000), ("transport_rate", Fraction(20, 100)),
    ("targeting_min_potential", 10_000), ("caqes_max_national", 7), ("caqes_max_regional", 7), ("caqes_max_indicators", 14),
    ("regional_envelope", 12_500_000), ("refusal_sanction_rate", Fraction(1, 100)),
    ("les_min_spending_2020", 100_000), ("les_followup_months", 2), ("mpi_training_min_share", Fraction(25, 100)),
    ("phev_min_mco_stays", 2500), ("rpps_scope_max_rate_2020", Fraction(75, 100)),
])
def test_caqes_2022_values(parameter, expected):
    assert value("caqes_2022", parameter) == expected


@pytest.mark.parametrize("prerequisite, ops", [
    ("ipp_prereq_boxes", [">"]),                # « plus de 8 500 boîtes »
    ("perfusion_prereq_rate", [">="]),          # « ≥ 80% »
    ("perfusion_prereq_spending", [">="]),      # « ≥ 100 000 euros »
    ("ezetimibe_prereq_rate", [">="]),
    ("ezetimibe_prereq_spending", [">="]),
    ("dressing_prereq_patients", [">"]),        # « > 100 »
    ("dressing_prereq_category", [">"]),        # « > 40% »
    ("epa_prereq_exams", [">"]),                # « > 1 000 »
    ("epa_prereq_composite", [">"]),            # « > 0 % »
    ("hf_prereq_readmissions", [">"]),          # « > 10 »
    ("hf_prereq_position", [">", ">", ">", ">"]),
    ("transport_prereq_share", [">="]),
    ("transport_prereq_spending", [">="]),
    ("les_scope", [">"]),                       # « supérieures à 100 000 € »
    ("phev_plan_scope", [">"]),                 # « supérieur à un seuil fixé (2 500) »
    ("rpps_scope", ["<"]),                      # « inférieur à 75 % »
])
def test_caqes_2022_strictness(prerequisite, ops):
    assert comparisons(campaign("caqes_2022").prerequisites[prerequisite].when) == ops


def test_caqes_2022_heart_failure_uses_population_medians_and_quartiles():
    when = campaign("caqes_2022").prerequisites["hf_prereq_position"].when
    calls = [(n.func, n.over) for n in ast.walk(when) if isinstance(n, ast.Call)]
    assert calls.count(("median", "all")) == 2 and calls.count(("quantile", "all")) == 2


def test_caqes_2022_dressings_compare_with_the_cnam_reference_or_else_the_category_mean():
    c = campaign("caqes_2022")
    expr = c.nodes["dressings.montant_moyen_categorie"].expr
    calls = [(n.func, n.over) for n in ast.walk(expr) if isinstance(n, ast.Call)]
    assert ("mean", "es_category") in calls and ("available", None) in calls
    assert "dressing_category_reference" in c.inputs


def test_caqes_2022_heart_failure_rate_is_the_cnam_rate_not_readmissions_over_stays():
    c = campaign("caqes_2022")
    heart_failure = c.indicators["heart_failure"]
    assert not heart_failure.part("numerator") and not heart_failure.part("denominator")
    expr = c.nodes[heart_failure.part("result")].expr
    assert isinstance(expr, ast.Ref) and expr.target == "hf_readmission_rate"


def test_caqes_2022_targeting_is_strictly_above_10000():
    expr = campaign("caqes_2022").nodes["national_targeting.etablissement_cible"].expr
    assert comparisons(expr) == [">"]


# ------------------------------------------------------------------ CAQES 2023: the year switch
@pytest.mark.parametrize("parameter, v2022, v2023", [
    ("caqes_max_national", 7, 8), ("contract_year", 1, 2), ("les_followup_months", 2, 6),
])
def test_caqes_2023_switches_year_values(parameter, v2022, v2023):
    assert value("caqes_2022", parameter) == v2022
    assert value("caqes_2023", parameter) == v2023


def test_caqes_2023_mpi_audit_and_progress_switch():
    def flag(name, p):
        return campaign(name).parameters[p].value.value
    for p in ("mpi_yearly_audit_active", "mpi_training_progress_required", "mpi_reviews_progress_required",
              "pc_progress_required", "dmdmi_progress_required"):
        assert flag("caqes_2022", p) is False and flag("caqes_2023", p) is True, p
    assert campaign("caqes_2023").extends == "caqes_2022"


# ------------------------------------------------------------------ CAQES 2017
def test_caqes_2017_annex_3a_has_the_19_rates_with_biosimilars_by_class():
    c = campaign("caqes_2017")
    annex = [i for i in c.indicators.values() if i.category.startswith("art_10_")]
    assert len(annex) == 25  # 17 rates + 2 biosimilar rates × 4 classes
    for cls in ("epo", "anti_tnf", "insulin_glargine", "g_csf"):
        assert f"biosimilar_intra_{cls}" in c.indicators and f"biosimilar_phev_{cls}" in c.indicators


def test_caqes_2017_transport_decision_table_has_six_cells():
    expr = campaign("caqes_2017").nodes["transport.decision_transport"].expr
    assert isinstance(expr, ast.Decide)
    cells = {tuple(p.value for p in pats): res.value for pats, res in expr.rules}
    assert cells == {
        ("atteint", True): "intéressement", ("atteint", False): "ni intéressement ni sanction",
        ("non atteint", True): "sanction", ("non atteint", False): "sanction",
        ("aucun", True): "intéressement", ("aucun", False): "sanction",
    }


@pytest.mark.parametrize("parameter, expected", [
    ("transport_growth_threshold", Fraction(22, 1000)), ("transport_spending_threshold", 500_000),
    ("transport_profit_sharing_max_rate", Fraction(30, 100)), ("transport_sanction_max_rate", Fraction(1, 100)),
    ("d31_threshold", Fraction(10, 100)), ("d31_target", Fraction(50, 100)), ("doc_threshold", Fraction(10, 100)),
    ("no_contract_revenue_rate", Fraction(1, 100)), ("no_contract_les_reduction_rate", Fraction(30, 100)),
    ("base_revenue_sanction_max_rate", Fraction(1, 100)), ("base_les_reduction_max_rate", Fraction(30, 100)),
])
def test_caqes_2017_values(parameter, expected):
    assert value("caqes_2017", parameter) == expected


def test_caqes_2017_targeting_is_strict():
    nodes = campaign("caqes_2017").nodes
    assert comparisons(nodes["transport_targeting.evolution_au_dessus_du_seuil"].expr) == [">"]   # « dépasse le seuil »
    assert comparisons(nodes["transport_targeting.depenses_au_dessus_du_seuil"].expr) == [">"]
    assert comparisons(nodes["practice_targeting.medicaments_cible"].expr) == ["<"]        # « strictement inférieur à 10% »
    assert comparisons(nodes["practice_targeting.parcours_cible"].expr) == ["<"]


def test_caqes_2017_quality_part_has_no_profit_sharing():
    c = campaign("caqes_2017")
    assert not c.indicators["practice_targeting"].part("payout")


# ------------------------------------------------------------------ IQSS, HOP'EN, CPOM
def test_iqss_2022_dossier_patient_has_16_measures():
    c = campaign("iqss_2022")
    dossier = [i for i in c.indicators.values() if i.category == "dossier_patient" and i.name != "optional_dossier"]
    # QLS (MCO, SSR, PSY) + QLS CA + pain (4 fields) + 7 single-field indicators = 16 measures
    assert sum(len(i.fields) for i in dossier) == 16
    assert value("iqss_2022", "qls_objective") == 80


def test_hopen_dmp_target_moves_from_50_to_64_and_mss_stays_60():
    assert value("hopen_2022", "d22_target") == Fraction(50, 100)
    assert value("hopen_2023", "d22_target") == Fraction(64, 100)
    assert value("hopen_2022", "d63_target") == value("hopen_2023", "d63_target") == Fraction(60, 100)


def test_cpom_trajectoire_denominator_is_transfers_to_ssr_or_had():
    c = campaign("ars_cpom_volet2")
    assert c.nodes["trajectoire_transfers_rate.denominator"].expr.name == "transfers_ssr_had_total"
    assert value("ars_cpom_volet2", "terr_esante_letters_target") == Fraction(80, 100)
    assert value("ars_cpom_volet2", "purchases_medical_target") == value("ars_cpom_volet2", "purchases_hotel_target") == Fraction(30, 100)


# ------------------------------------------------------------------ cases and examples
@pytest.mark.parametrize("name", [n for n in CAMPAIGNS if (CAMPAIGNS[n] / "cases").is_dir()])
def test_policy_author_cases_pass(name):
    from qualispec.runtime.cases import render, run_cases

    results = run_cases(compiled(name)[0], CAMPAIGNS[name])
    assert results, f"no case in {CAMPAIGNS[name] / 'cases'}"
    assert all(r.passed for r in results), render([r for r in results if not r.passed])


@pytest.mark.parametrize("name", list(CAMPAIGNS))
def test_example_dataset_is_accepted_and_evaluates(name):
    from qualispec.runtime.data.dataset import load_dataset
    from qualispec.runtime.evaluate import evaluate

    c = compiled(name)[0]
    frame = load_dataset(ROOT / "examples" / EXAMPLES[name], c.campaign)
    rows = evaluate(c, frame).rows
    assert 5 <= rows.height <= 20
