"""IFAQ 2024, Num.2: the evolution at the stability band and the published precision, and ex aequo
establishments on their group's threshold.

The rules (webinaire IFAQ 2022, « Modalités de valorisation des indicateurs », repris par le guide IFAQ
2024, « Focus sur les indicateurs numériques du dispositif IFAQ » : « une part de rémunération au titre
du niveau atteint et une part de rémunération au titre de la progression ») and the named readings of
the spec where the documents are silent:
- the evolution is « négative 0 % », « stable 50 % », « positive 100 % »; result and previous result
  are compared rounded to « comparison_precision » (0,01 point, half up); the gap is stable up to and
  including « stability_band » (0 point in the campaign);
- the threshold (« valeur seuil de début de rémunération », « 70 % des établissements ») is the lower
  30th percentile of the group's results, x(⌊30 % × (n − 1)⌋); a result at most equal to it is paid
  0 %, whatever its evolution; it is compared with the exact result, not the rounded one;
- ex aequo establishments are treated alike, whatever their row, their numerator and denominator.
"""

from __future__ import annotations

import shutil
from fractions import Fraction

import pytest

from conftest import IFAQ_2024, compile_folder
from ifaq_rows import row, write_rows
from qualispec.runtime.data.dataset import load_dataset

NEGATIVE, STABLE, POSITIVE = 0, 50, 100
TARGET = Fraction(50)  # Num.2: « 50 % des correspondants … ont reçu au moins un document »


@pytest.fixture(scope="module")
def ifaq2024():
    compiled, diagnostics = compile_folder(IFAQ_2024)
    assert not diagnostics.has_errors(), diagnostics.render()
    return compiled


def with_stability_band(tmp_path, band: str):
    """The IFAQ 2024 campaign with another stability band (the 2022 parameter, carried into 2024)."""
    shutil.copytree(IFAQ_2024.parent, tmp_path / "ifaq")
    valuation = tmp_path / "ifaq" / "2022" / "valuation.spec"
    text = valuation.read_text(encoding="utf-8")
    assert "parameter stability_band: percent = 0% {" in text
    valuation.write_text(text.replace("parameter stability_band: percent = 0% {",
                                      f"parameter stability_band: percent = {band} {{"), encoding="utf-8")
    compiled, diagnostics = compile_folder(tmp_path / "ifaq" / "2024")
    assert not diagnostics.has_errors(), diagnostics.render()
    return compiled


def evaluate_rows(compiled, engine, tmp_path, rows, name="d.csv"):
    out = engine.evaluate(compiled, load_dataset(write_rows(tmp_path / name, rows), compiled.campaign)).rows
    return {r["finess"]: r for r in out.to_dicts()}


# Seven MCO-2 establishments at 10 … 16 %: the threshold is x(⌊0,3 × (n − 1)⌋), far below the results tested.
LOW_GROUP = [(10 + i, 100) for i in range(7)]


def evolutions(compiled, engine, tmp_path, cases):
    rows = [row(i, "MCO", num2_numerator=n, num2_denominator=d) for i, (n, d) in enumerate(LOW_GROUP)]
    rows += [row(100 + i, "MCO", num2_numerator=n, num2_denominator=d, num2_previous=p)
             for i, (n, d, p) in enumerate(cases)]
    out = evaluate_rows(compiled, engine, tmp_path, rows)
    return [out[r["finess"]]["num2_evolution"] for r in rows[len(LOW_GROUP):]]


def test_a_gap_exactly_equal_to_the_stability_band_is_stable_one_hundredth_more_is_not(engine, tmp_path):
    """With a band of 0,5 point, 48,10 % after 47,60 % is stable; 48,11 % is a progress; the same below."""
    compiled = with_stability_band(tmp_path, "0.5%")
    assert evolutions(compiled, engine, tmp_path, [
        (4810, 10000, "47.60"),      # +0,50 point: on the band, stable
        (4811, 10000, "47.60"),      # +0,51 point: progress
        (48104, 100000, "47.60"),    # 48,104 % → 48,10 %: +0,50, stable
        (48105, 100000, "47.60"),    # 48,105 % → 48,11 % (half up): +0,51, progress
        (4710, 10000, "47.60"),      # −0,50 point: stable
        (4709, 10000, "47.60"),      # −0,51 point: regression
        (47095, 100000, "47.60"),    # 47,095 % → 47,10 % (half up): −0,50, stable
        (47094, 100000, "47.60"),    # 47,094 % → 47,09 %: −0,51, regression
    ]) == [STABLE, POSITIVE, STABLE, POSITIVE, STABLE, NEGATIVE, STABLE, NEGATIVE]


def test_with_the_campaign_band_of_zero_only_an_equal_result_at_the_precision_is_stable(ifaq2024, engine, tmp_path):
    assert evolutions(ifaq2024, engine, tmp_path, [
        (4760, 10000, "47.6"),       # equal
        (4761, 10000, "47.6"),       # one hundredth above
        (4759, 10000, "47.6"),       # one hundredth below
        (1, 3, "33.33"),             # 33,333… % → 33,33 %: equal at the precision
        (2, 3, "66.67"),             # 66,666… % → 66,67 % (half up): equal at the precision
    ]) == [STABLE, POSITIVE, NEGATIVE, STABLE, STABLE]


def test_a_previous_result_given_with_more_decimals_is_rounded_like_the_result(ifaq2024, engine, tmp_path):
    """The previous result is rounded at the same precision and half up: 47,605 % is 47,61 %."""
    assert evolutions(ifaq2024, engine, tmp_path, [
        (4761, 10000, "47.605"),     # 47,61 % after 47,605 % → 47,61 %: stable
        (4760, 10000, "47.605"),     # 47,60 % after 47,61 %: regression
        (4760, 10000, "47.6049"),    # 47,60 % after 47,6049 % → 47,60 %: stable
    ]) == [STABLE, NEGATIVE, STABLE]


# Eleven MCO-2 establishments: ⌊0,3 × 10⌋ = 3, the threshold is the 4th smallest result, 20 %, held by
# three establishments written three ways (1/5, 20/100, 7/35).
ON_THE_CUT_OFF = [(1, 5), (20, 100), (7, 35)]
GROUP = [(10, 100), (11, 100), (12, 100), *ON_THE_CUT_OFF,
         (200001, 1000000),          # 20,0001 %: 20,00 % at the comparison precision, yet above the threshold
         (2001, 10000), (40, 100), (45, 100), (60, 100)]
PREVIOUS = "5.00"                    # every establishment progressed


def tied_group(order):
    return [row(i, "MCO", num2_numerator=GROUP[i][0], num2_denominator=GROUP[i][1], num2_previous=PREVIOUS)
            for i in order]


def close(written, exact: Fraction) -> bool:
    """A value written with 6 decimals is the exact value rounded: within half a millionth of it."""
    return abs(Fraction(str(written)) - exact) <= Fraction(1, 2 * 10 ** 6)


def level(n: int, d: int) -> Fraction:
    """« % proportionnel à l'écart à la cible » between the threshold (20 %) and the target (50 %)."""
    return (Fraction(100 * n, d) - 20) / (TARGET - 20) * 100


@pytest.mark.parametrize("order", [range(11), range(10, -1, -1), [5, 0, 9, 3, 7, 1, 10, 4, 2, 8, 6]],
                         ids=["in order", "reversed", "shuffled"])
def test_ex_aequo_on_the_threshold_are_all_paid_nothing_whatever_their_row(ifaq2024, engine, tmp_path, order):
    out = evaluate_rows(ifaq2024, engine, tmp_path, tied_group(order))
    by_index = {i: out[row(i, "MCO")["finess"]] for i in range(11)}
    assert {Fraction(str(r["num2_threshold"])) for r in out.values()} == {20}
    for i in (3, 4, 5):              # on the threshold: 0 %, a positive evolution included
        assert by_index[i]["num2_evolution"] == POSITIVE
        assert by_index[i]["num2_score"] == 0 and by_index[i]["num2_payout"] == 0
    for i in (6, 7):                 # above, by 0,0001 and 0,01 point: paid their level and their progress
        want = (level(*GROUP[i]) + POSITIVE) / 2
        assert close(by_index[i]["num2_score"], want)
        assert by_index[i]["num2_score"] > 50 and by_index[i]["num2_payout"] > 0
    paid = [i for i in range(11) if by_index[i]["num2_payout"] > 0]
    assert paid == [6, 7, 8, 9, 10]  # ex aequo on the threshold make fewer than 70 % paid (5 of 11)


def test_the_same_establishments_in_another_order_are_paid_the_same_cents(ifaq2024, engine, tmp_path):
    straight = evaluate_rows(ifaq2024, engine, tmp_path, tied_group(range(11)), "a.csv")
    shuffled = evaluate_rows(ifaq2024, engine, tmp_path, tied_group([5, 0, 9, 3, 7, 1, 10, 4, 2, 8, 6]), "b.csv")
    for finess, r in straight.items():
        for column in ("num2_threshold", "num2_level", "num2_score", "num2_payout", "total_payout"):
            assert shuffled[finess][column] == r[column], (finess, column)


# Two ratios one part in 10¹⁸ apart, the same binary float: 333 333 340 / 999 999 999 (held twice, the
# threshold) and 253 968 259 / 761 904 761, just above it.
ON = (333333340, 999999999)
HAIR_ABOVE = (253968259, 761904761)


@pytest.mark.parametrize("hair_first", [True, False], ids=["above written first", "above written last"])
def test_a_result_a_hair_above_a_tied_threshold_is_not_read_as_equal(ifaq2024, engine, tmp_path, hair_first):
    assert Fraction(*HAIR_ABOVE) > Fraction(*ON) and HAIR_ABOVE[0] / HAIR_ABOVE[1] == ON[0] / ON[1]
    group = [HAIR_ABOVE, ON, ON] if hair_first else [ON, ON, HAIR_ABOVE]
    group += [(10, 100), (11, 100), (12, 100), (40, 100), (41, 100), (42, 100), (43, 100), (60, 100)]
    rows = [row(i, "MCO", num2_numerator=n, num2_denominator=d, num2_previous=PREVIOUS)
            for i, (n, d) in enumerate(group)]
    out = evaluate_rows(ifaq2024, engine, tmp_path, rows)
    scores = {group[i]: out[r["finess"]]["num2_score"] for i, r in enumerate(rows) if group[i] in (ON, HAIR_ABOVE)}
    assert close(out[rows[0]["finess"]]["num2_threshold"], 100 * Fraction(*ON))
    assert scores[ON] == 0                       # on the threshold: nothing
    assert scores[HAIR_ABOVE] >= 50              # above it: its (tiny) level and its progress
    payout = {group[i]: out[r["finess"]]["num2_payout"] for i, r in enumerate(rows)}
    assert payout[ON] == 0 and payout[HAIR_ABOVE] > 0
