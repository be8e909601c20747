"""IFAQ 2024 evaluated by the engine, checked against the rules written independently.

tests/reference_ifaq2024.py implements the rules of the IFAQ documents in plain Python with exact
fractions; the engine must give the same group, result, threshold, level, evolution,
score and the same payout to the cent.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from fractions import Fraction

import polars as pl
import pytest

from conftest import EXAMPLE, IFAQ_2024, compile_folder
from ifaq_rows import COLUMNS, row, write_rows
from qualispec.runtime.data import example_data
from qualispec.runtime.data.dataset import DataError, load_dataset
from qualispec.runtime.evaluate import evaluate
from qualispec.runtime.explain import explain
from reference_ifaq2024 import evaluate_reference


@pytest.fixture(scope="module")
def ifaq2024():
    compiled, diagnostics = compile_folder(IFAQ_2024)
    assert not diagnostics.has_errors(), diagnostics.render()
    return compiled


def run(compiled, path, engine):
    return engine.evaluate(compiled, load_dataset(path, compiled.campaign)).rows


def reference(path):
    raw = pl.read_csv(path, infer_schema_length=None, schema_overrides={"finess": pl.String}).to_dicts()
    return evaluate_reference(raw)


def assert_same_as_reference(engine_rows: pl.DataFrame, ref_rows: list[dict]):
    for ref, got in zip(ref_rows, engine_rows.to_dicts(), strict=True):
        where = f"{ref['finess']} {ref['field']}"
        assert got["group"] == ref["group"], where
        for ind in ("num1", "num2"):
            for part in ("result", "level", "evolution", "score"):
                want = ref[f"{ind}_{part}"]
                have = got[f"{ind}_{part}"]
                assert (want is None) == (have is None), f"{where} {ind}_{part}: {want} vs {have}"
                if want is not None:
                    assert float(have) == pytest.approx(float(want), abs=1e-6), f"{where} {ind}_{part}"  # 6 decimals
            if ref[f"{ind}_result"] is not None:
                assert float(got[f"{ind}_threshold"]) == pytest.approx(float(ref[f"{ind}_threshold"]), abs=1e-6), where
            assert round(got[f"{ind}_payout"] * 100) == ref[f"{ind}_payout_cents"], f"{where} {ind}_payout"
        assert round(got["total_payout"] * 100) == ref["total_payout_cents"], where


@pytest.mark.parametrize("rows, seed", [(3000, 3), (1500, 11)])
def test_engine_matches_the_independent_reference(engine, ifaq2024, tmp_path, rows, seed):
    path = example_data.write(example_data.generate(rows, seed), tmp_path / "data.csv")
    assert_same_as_reference(run(ifaq2024, path, engine), reference(path))


def test_bundled_example_matches_the_reference(engine, ifaq2024):
    assert_same_as_reference(run(ifaq2024, EXAMPLE, engine), reference(EXAMPLE))


def test_parquet_gives_the_same_results_as_csv(engine, ifaq2024, tmp_path):
    frame = example_data.generate(800, 5)
    csv_rows = run(ifaq2024, example_data.write(frame, tmp_path / "d.csv"), engine)
    parquet_rows = run(ifaq2024, example_data.write(frame, tmp_path / "d.parquet"), engine)
    assert csv_rows.equals(parquet_rows)


# ---------------------------------------------------------------- groups at their boundaries
BOUNDARIES = [
    (row(1, "MCO", stays=499, activity_groups_80=10), "MCO-5"),
    (row(2, "MCO", stays=500, activity_groups_80=10), "MCO-1"),
    (row(3, "MCO", stays=500, activity_groups_80=14), "MCO-1"),
    (row(4, "MCO", stays=500, activity_groups_80=15), "MCO-2"),
    (row(5, "MCO", stays=500, activity_groups_80=34), "MCO-2"),
    (row(6, "MCO", stays=500, activity_groups_80=35), "MCO-3"),
    (row(7, "MCO", stays=19999, activity_groups_80=35), "MCO-3"),
    (row(8, "MCO", stays=20000, activity_groups_80=35), "MCO-4"),
    (row(9, "MCO", stays=20000, activity_groups_80=34), "MCO-2"),
    (row(10, "DIA", sessions=7969), "DIA-1"),
    (row(11, "DIA", sessions=7970), "DIA-2"),
    (row(12, "SSR", stays=729, nosological_groups_80=19), "SSR-1"),
    (row(13, "SSR", stays=730, nosological_groups_80=19), "SSR-2"),
    (row(14, "SSR", stays=729, nosological_groups_80=20), "SSR-3"),
    (row(15, "SSR", stays=730, nosological_groups_80=20), "SSR-4"),
    (row(16, "PSY", active_file=10000), "PSY-1"),
    (row(17, "PSY", active_file=9999), "PSY-2"),
    (row(18, "PSY", active_file=4000), "PSY-2"),
    (row(19, "PSY", active_file=3999, sectorised="true"), "PSY-3"),
    (row(20, "PSY", active_file=3999, sectorised="false", full_time_care="true"), "PSY-4"),
    (row(21, "PSY", active_file=3999, sectorised="false", full_time_care="false"), "PSY-5"),
    (row(22, "HAD", stays=3), "HAD"),
]


def test_every_group_boundary_lands_in_the_right_group(engine, ifaq2024, tmp_path):
    path = write_rows(tmp_path / "b.csv", [r for r, _ in BOUNDARIES])
    got = run(ifaq2024, path, engine)["group"].to_list()
    assert got == [g for _, g in BOUNDARIES]
    assert got == [r["group"] for r in reference(path)]


# ---------------------------------------------------------------- the valuation, case by case
def group_of_five(results: list[tuple[int, int]], previous: list[float | None] | None = None) -> list[dict]:
    """Five MCO-2 establishments with Num.2 results n/d; Num.1 fixed at 30 %."""
    previous = previous or [None] * len(results)
    return [row(i, "MCO", num2_numerator=n, num2_denominator=d, num2_previous=p)
            for i, ((n, d), p) in enumerate(zip(results, previous))]


def test_threshold_is_the_lower_30th_percentile_of_the_group(engine, ifaq2024, tmp_path):
    # results 10, 20, 30, 40, 60 %: k = floor(0.3 × 4) = 1 → threshold 20 %
    rows = group_of_five([(10, 100), (20, 100), (30, 100), (40, 100), (60, 100)])
    out = run(ifaq2024, write_rows(tmp_path / "v.csv", rows), engine)
    assert out["num2_threshold"].to_list() == [20.0] * 5
    # below or on the threshold: level 0; between: proportional to the distance to the target; above
    # the target (50 %): 100 % whatever the evolution
    assert out["num2_level"].cast(pl.Float64).to_list() == pytest.approx([0, 0, 100 * (30 - 20) / (50 - 20), 100 * (40 - 20) / (50 - 20), 100])
    assert out["num2_score"].cast(pl.Float64).to_list() == pytest.approx([0, 0, 100 / 3, 200 / 3, 100])


def test_only_a_result_above_the_target_is_paid_100_percent_whatever_its_evolution(engine, ifaq2024, tmp_path):
    """« Un ES dont le résultat à l'indicateur est supérieur à la valeur cible de rémunération est rémunéré à
    100% sur cet indicateur, sans prise en compte de son évolution » (target_reached_at_equality: non).
    Exactly on the target (50 %) and fallen from 80 %: level 100 % × 50 % + negative evolution 0 % × 50 %;
    one point above, fallen too: 100 %."""
    rows = group_of_five([(10, 100), (20, 100), (30, 100), (50, 100), (51, 100)], [None, None, None, 80.0, 80.0])
    out = run(ifaq2024, write_rows(tmp_path / "t.csv", rows), engine)
    assert out["num2_level"][3] == 100 and out["num2_evolution"][3] == 0
    assert out["num2_score"][3] == 50
    assert out["num2_score"][4] == 100


def test_evolution_negative_stable_positive_unknown(engine, ifaq2024, tmp_path):
    # four at 40 %, two at 10 %, one at 45 %: threshold = 10 % (k = floor(0.3 × 6) = 1), so the level
    # at 40 % is 100 × (40 − 10) / (50 − 10) = 75 and the score is half level, half evolution
    rows = group_of_five([(40, 100)] * 4 + [(10, 100), (10, 100), (45, 100)],
                         [45.0, 40.0, 35.0, None, 5.0, None, 40.0])
    out = run(ifaq2024, write_rows(tmp_path / "e.csv", rows), engine)
    assert out["num2_threshold"][0] == 10.0
    assert out["num2_evolution"].to_list()[:4] == [0.0, 50.0, 100.0, None]
    assert out["num2_score"].cast(pl.Float64).to_list()[:4] == pytest.approx([37.5, 62.5, 87.5, 75.0])  # unknown: level alone
    # Num.1: evolution is not taken into account in 2024, its score is the level alone
    assert out["num1_evolution"].to_list() == [None] * 7


def test_on_the_threshold_nothing_is_paid_even_for_a_positive_evolution(engine, ifaq2024, tmp_path):
    # « 70 % des établissements rémunérés »; arrêté 2019: only results strictly above the threshold
    rows = group_of_five([(40, 100)] * 4 + [(10, 100), (10, 100), (45, 100)],
                         [45.0, 40.0, 35.0, None, 5.0, None, 40.0])
    out = run(ifaq2024, write_rows(tmp_path / "e.csv", rows), engine)
    assert out["num2_evolution"][4] == 100.0      # 10 % after 5 %: a positive evolution…
    assert out["num2_score"][4] == 0.0            # …but on the threshold: 0 %
    assert out["num2_payout"][4] == 0.0


def test_stable_means_equal_even_when_written_as_a_decimal(engine, ifaq2024, tmp_path):
    # 246/375 = 65.6 % exactly; previous written 65.6: stable, not a regression of one float ulp
    rows = group_of_five([(10, 100), (20, 100), (30, 100), (40, 100), (246, 375)], [None, None, None, None, 65.6])
    out = run(ifaq2024, write_rows(tmp_path / "s.csv", rows), engine)
    assert out["num2_score"][4] == 100.0
    rows = group_of_five([(10, 100), (20, 100), (30, 100), (40, 100), (14, 80)], [None, None, None, None, 17.5])
    out = run(ifaq2024, write_rows(tmp_path / "s2.csv", rows), engine)
    assert out["num2_evolution"][4] == 50.0


# The previous result is known as published, with 2 decimals (« 47,60 »); the result of the campaign is an
# exact ratio. Both are compared rounded to comparison_precision (0,01 point), half up (comparison_half_up).
LOW_GROUP = [(10, 100), (11, 100), (12, 100), (13, 100), (14, 100), (15, 100), (16, 100)]  # threshold 12 %


def evolutions(compiled, tmp_path, engine, results_and_previous):
    rows = group_of_five(LOW_GROUP + [(n, d) for n, d, _ in results_and_previous],
                         [None] * len(LOW_GROUP) + [p for _, _, p in results_and_previous])
    out = run(compiled, write_rows(tmp_path / "c.csv", rows), engine)
    return out["num2_evolution"].to_list()[len(LOW_GROUP):]


def test_a_result_equal_to_the_published_previous_at_2_decimals_is_stable(engine, ifaq2024, tmp_path):
    assert evolutions(ifaq2024, tmp_path, engine, [
        (476, 1000, 47.60),         # 47,6 % exactly after 47,60 %: stable
        (1000, 2101, 47.60),        # 47,5963… % is 47,60 % at 2 decimals: stable, not a regression
        (47604, 100000, 47.60),     # 47,604 % → 47,60 %: stable
        (47595, 100000, 47.60),     # 47,595 % → 47,60 % (half up): stable
    ]) == [50.0, 50.0, 50.0, 50.0]


def test_a_hair_above_or_below_at_the_published_precision_is_a_progress_or_a_regression(engine, ifaq2024, tmp_path):
    assert evolutions(ifaq2024, tmp_path, engine, [
        (4761, 10000, 47.60),       # 47,61 % after 47,60 %: progress
        (47605, 100000, 47.60),     # 47,605 % → 47,61 % (half up): progress
        (47605, 100000, 47.61),     # … and stable after 47,61 %
        (47594, 100000, 47.60),     # 47,594 % → 47,59 %: regression
        (4759, 10000, 47.60),       # 47,59 % after 47,60 %: regression
    ]) == [100.0, 100.0, 50.0, 0.0, 0.0]


def test_a_tie_goes_to_the_even_digit_when_the_campaign_says_so(engine, tmp_path):
    """With comparison_half_up = non, 47,605 % is 47,60 % (even) and 47,615 % is 47,62 %."""
    shutil.copytree(IFAQ_2024.parent, tmp_path / "ifaq")
    valuation = tmp_path / "ifaq" / "2022" / "valuation.spec"
    text = valuation.read_text(encoding="utf-8")
    assert "comparison_half_up: boolean = true" in text
    valuation.write_text(text.replace("comparison_half_up: boolean = true", "comparison_half_up: boolean = false"),
                         encoding="utf-8")
    compiled, diagnostics = compile_folder(tmp_path / "ifaq" / "2024")
    assert not diagnostics.has_errors(), diagnostics.render()
    assert evolutions(compiled, tmp_path, engine, [
        (47605, 100000, 47.60),     # 47,605 % → 47,60 %: stable
        (47615, 100000, 47.61),     # 47,615 % → 47,62 %: progress
        (47625, 100000, 47.62),     # 47,625 % → 47,62 %: stable
    ]) == [50.0, 100.0, 50.0]


def test_the_explanation_shows_the_values_compared_at_their_precision(ifaq2024, tmp_path):
    rows = group_of_five(LOW_GROUP + [(47605, 100000)], [None] * len(LOW_GROUP) + [47.60])
    path = write_rows(tmp_path / "x.csv", rows)
    compiled = ifaq2024
    evaluation = evaluate(compiled, load_dataset(path, compiled.campaign), keep_all=True)
    [explained] = explain(compiled, evaluation, rows[-1]["finess"])
    num2 = next(i for i in explained.indicators if i.id == "num2").sentences[0]
    assert "évolution 100,0 % (précédent 47,6 %)" in num2
    assert "précision de comparaison" in num2 and "arrondi vers le haut à mi-chemin" in num2
    # the result rounded half up to 0,01 point (47,61 %), the previous as published (47,60 %)
    assert re.search(r"résultat arrondi à la précision de comparaison \(arrondi vers le haut à mi-chemin : oui ; "
                     r"précision de comparaison : 0,01 %\) : 47,61 % ; "
                     r"résultat précédent arrondi à la précision de comparaison \([^)]*\) : 47,6 %( ;|\.$)", num2)


def test_a_zero_denominator_is_not_computable_and_pays_nothing(engine, ifaq2024, tmp_path):
    rows = group_of_five([(10, 100), (20, 100), (0, 0), (40, 100), (60, 100)])
    out = run(ifaq2024, write_rows(tmp_path / "z.csv", rows), engine)
    assert out["num2_result"][2] is None
    assert out["num2_status"][2] == "non calculable (dénominateur nul)"
    assert out["num2_score"][2] == 0.0 and out["num2_payout"][2] == 0.0
    # the threshold is computed over the four computable results: 10, 20, 40, 60 → k = floor(0.9) = 0
    assert out["num2_threshold"][0] == 10.0


def test_psy_is_out_of_the_digital_pair_in_2024(engine, ifaq2024, tmp_path):
    out = run(ifaq2024, write_rows(tmp_path / "p.csv", [row(1, "PSY"), row(2, "MCO")]), engine)
    psy = out.row(0, named=True)
    assert psy["num1_status"] == "hors champ" and psy["num1_score"] is None
    assert psy["total_payout"] == 0.0


# ---------------------------------------------------------------- money
def test_payouts_are_cents_that_add_up_to_what_each_group_distributes(ifaq2024, tmp_path):
    path = example_data.write(example_data.generate(4000, 21), tmp_path / "m.csv")
    compiled = ifaq2024
    evaluation = evaluate(compiled, load_dataset(path, compiled.campaign))
    rows = evaluation.rows
    values = evaluation.values.sort("__row")
    exact = defaultdict(Fraction)
    paid = defaultdict(int)
    for r, v in zip(rows.iter_rows(named=True), values.iter_rows(named=True)):
        for ind in ("num1", "num2"):
            cents = r[f"{ind}_payout"] * 100
            assert cents == pytest.approx(round(cents), abs=1e-6), "whole cents"
            assert r[f"{ind}_payout"] >= 0
            if r[f"{ind}_score"] in (None, 0.0):
                assert r[f"{ind}_payout"] == 0.0, "an establishment scoring 0 gets 0"
            paid[r["group"]] += round(cents)
            exact[r["group"]] += Fraction(v[f"{ind}.payout"] or 0) * 100
    for group, cents in paid.items():
        assert cents == round(exact[group]), group  # what is distributed is the exact total, to the cent
    summary = {g["group"]: g for g in evaluation.groups.to_dicts()}
    for group, cents in paid.items():
        assert round(summary[group]["paid"] * 100) == cents
        assert summary[group]["paid"] <= summary[group]["envelope"]
    assert rows.select(["finess", "field"]).is_duplicated().sum() == 0, "nobody is paid twice"


def test_ties_in_the_largest_remainder_go_by_finess_then_indicator(engine, ifaq2024, tmp_path):
    """Every establishment twice (another FINESS, same figures): equal remainders everywhere."""
    frame = example_data.generate(1500, 13)
    twins = frame.with_columns(("2A" + pl.col("finess").str.slice(2)).alias("finess"))  # a Corsican twin
    path = example_data.write(pl.concat([frame, twins]), tmp_path / "twins.csv")
    assert_same_as_reference(run(ifaq2024, path, engine), reference(path))


# ---------------------------------------------------------------- the oSIS fiche's other items
def test_the_measurement_month_and_total_stays_are_checked_shown_and_change_no_payout(ifaq2024, tmp_path):
    """« le choix d'un mois de mesure parmi ces 8 mois » (janvier à août 2024); « Nombre de séjours total pendant
    la période d'observation »: optional columns; the guide does not say how they enter the computation."""
    rows = group_of_five([(10, 100), (20, 100), (30, 100), (40, 100), (60, 100)])
    columns = COLUMNS + ["measurement_month_num1", "total_stays_num1"]
    for r in rows:
        r.update(measurement_month_num1="2024-03", total_stays_num1=150)
    with_items = evaluate(ifaq2024, load_dataset(write_rows(tmp_path / "b.csv", rows, columns), ifaq2024.campaign)).rows
    without = evaluate(ifaq2024, load_dataset(write_rows(tmp_path / "c.csv", rows), ifaq2024.campaign)).rows
    assert with_items["total_payout"].to_list() == without["total_payout"].to_list()
    assert with_items["num1_mois_de_mesure"].to_list() == ["2024-03"] * 5
    assert with_items["num1_denominateur_au_plus_sejours_de_la_periode"].to_list() == [True] * 5  # 100 ≤ 150
    rows[0]["measurement_month_num1"] = "2024-09"
    path = write_rows(tmp_path / "d.csv", rows, columns)
    with pytest.raises(DataError) as refused:
        load_dataset(path, ifaq2024.campaign)
    assert f"{path}:2: measurement_month_num1 = « 2024-09 » n'est pas une valeur prévue" in str(refused.value)
