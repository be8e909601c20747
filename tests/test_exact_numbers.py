"""Numbers exactly on a boundary go the way the document says, on both sides of it.

Each case is one the documents' readers met: a computed quantity that is exactly a
threshold, written in decimals as a dataset would hold it. Binary floating point would
put some of them on the wrong side (165 × 1,4 = 230,99999999999997); the engine decides
them exactly. Then: money adds up to the cent and never exceeds its envelope, files hold
exact decimals whatever the row order, and the Python API validates before evaluating.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import qualispec
from conftest import EXAMPLE, IFAQ_2024, write_campaign

HEADER = '''
campaign demo { label: "Démo" source: doc "§1" }
document doc { label: "Document" }
'''


def outcome(tmp_path, spec: str, columns: dict[str, list], column: str, engine):
    folder = write_campaign(tmp_path / "c", {"c.spec": HEADER + spec})
    n = len(next(iter(columns.values())))
    frame = pl.DataFrame({"finess": [f"{i:09d}" for i in range(1, n + 1)], **columns}).cast(pl.String)
    path = tmp_path / "data.csv"
    frame.write_csv(path)
    return qualispec.load(folder).evaluate(path, engine=engine.name, spark=engine.spark).rows[column].to_list()


SHARE = '''
input ambulance: euro { label: "Dépenses ambulances" source: doc "§2" }
input transport: euro { label: "Dépenses de transport" source: doc "§2" }
indicator amb {
  label: "Part des ambulances"
  unit: percent
  numerator: ambulance
  denominator: transport
  let high = result >= 20%
  source: doc "§3"
}
'''


def test_a_share_of_exactly_20_percent_is_at_least_20_percent(tmp_path, engine):
    # CAQES 2022: 837 276,64 € of 4 186 383,20 € is exactly 20 %; one cent less is below.
    got = outcome(tmp_path, SHARE, {"ambulance": ["837276.64", "837276.63", "837276.65"],
                                    "transport": ["4186383.20"] * 3}, "amb_high", engine)
    assert got == [True, False, True]


DRESSINGS = '''
input amount: euro { label: "Montant par patient" source: doc "§2" }
input category_amount: euro { label: "Montant de la catégorie" source: doc "§2" }
parameter excess: percent = 40% { label: "Écart" source: doc "§2" }
prerequisite above { label: "Plus de 40 % au-dessus" when: amount > category_amount * (100% + excess) source: doc "§3" }
indicator d {
  label: "Pansements"
  unit: euro
  result: amount
  let over = above
  source: doc "§3"
}
'''


def test_an_amount_exactly_40_percent_above_is_not_more_than_40_percent_above(tmp_path, engine):
    # 231 € is exactly 165 € × 1,4: not « supérieur de plus de 40 % »; a cent more is.
    got = outcome(tmp_path, DRESSINGS, {"amount": ["231", "231.01", "230.99"], "category_amount": ["165"] * 3}, "d_over", engine)
    assert got == [False, True, False]


POTENTIAL = '''
input ipp_avoided: euro { label: "Économies IPP" source: doc "§2" }
input epa_avoided: euro { label: "Économies EPA" source: doc "§2" }
parameter min_potential: euro = 10_000 € { label: "Seuil de ciblage" source: doc "§2" }
indicator targeting {
  label: "Ciblage"
  unit: euro
  result: 20% * ipp_avoided + 30% * epa_avoided
  let targeted = result > min_potential
  source: doc "§3"
}
'''


def test_a_potential_of_exactly_10_000_euros_is_not_above_10_000_euros(tmp_path, engine):
    # 20 % × 49 012,97 € + 30 % × 658,02 € = 10 000,00 € exactly: « supérieur à 10 000 € » is false.
    got = outcome(tmp_path, POTENTIAL, {"ipp_avoided": ["49012.97", "49013.02", "49012.92"],
                                        "epa_avoided": ["658.02"] * 3}, "targeting_targeted", engine)
    assert got == [False, True, False]


GROWTH = '''
input spending: euro { label: "Dépenses de l'année" source: doc "§2" }
input spending_previous: euro { label: "Dépenses de l'année précédente" source: doc "§2" }
parameter max_growth: percent = 2.2% { label: "Taux d'évolution" source: doc "§2" }
indicator transport {
  label: "Transports"
  unit: percent
  result: (spending - spending_previous) / spending_previous
  let exceeds = result > max_growth
  source: doc "§3"
}
'''


def test_a_growth_of_exactly_2_2_percent_does_not_exceed_2_2_percent(tmp_path, engine):
    # CAQES 2017: 100 005 € → 102 205,11 € is +2,2 % exactly.
    got = outcome(tmp_path, GROWTH, {"spending": ["102205.11", "102205.12", "102205.10"],
                                     "spending_previous": ["100005"] * 3}, "transport_exceeds", engine)
    assert got == [False, True, False]
    rates = outcome(tmp_path, GROWTH, {"spending": ["102205.11"], "spending_previous": ["100005"]}, "transport_result", engine)
    assert rates == [Decimal("2.200000")]  # written exactly, at its stated scale


def test_results_are_written_as_exact_decimals_whatever_the_row_order(tmp_path, engine):
    campaign = qualispec.load(IFAQ_2024)
    raw = pl.read_csv(EXAMPLE, infer_schema=False)
    on = dict(engine=engine.name, spark=engine.spark)
    forward = campaign.evaluate(raw, **on).rows
    backward = campaign.evaluate(raw.reverse(), **on).rows.reverse()
    assert forward.equals(backward)
    out = tmp_path / "r.csv"
    campaign.evaluate(raw, **on).write(out)
    text = out.read_text(encoding="utf-8")
    assert "0000000001" not in text and "9999999" not in text  # no binary float shows through
    assert forward.schema["num2_result"] == pl.Decimal(38, 6) and forward.schema["total_payout"] == pl.Decimal(38, 2)


ENVELOPE = '''
input volume: euro { label: "Volume économique" source: doc "§2" }
input done_a: count { label: "A réalisés" source: doc "§2" }
input done_b: count { label: "B réalisés" source: doc "§2" }
input due: count { label: "Dus" source: doc "§2" }
parameter total: euro = 1_000 € { label: "Enveloppe" source: doc "§3" }
envelope pot {
  label: "Enveloppe"
  amount: total
  group_amount: amount
  payout: group_amount * (volume / sum(volume) over all) * weight * score
  source: doc "§3"
}
indicator a { label: "A" unit: percent numerator: done_a denominator: due score: result weight: 60% envelope: pot source: doc "§4" }
indicator b { label: "B" unit: percent numerator: done_b denominator: due score: result weight: 40% envelope: pot source: doc "§4" }
'''


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 10**8), st.integers(0, 7), st.integers(0, 7)), min_size=1, max_size=12))
def test_payouts_never_exceed_their_envelope_and_add_up_to_the_cent(tmp_path_factory, rows):
    from fractions import Fraction

    tmp_path = tmp_path_factory.mktemp("money")
    volumes = [Fraction(v, 100) for v, _, _ in rows]
    columns = {"volume": [str(Decimal(v) / 100) for v, _, _ in rows], "done_a": [a for _, a, _ in rows],
               "done_b": [b for _, _, b in rows], "due": [7] * len(rows)}
    folder = write_campaign(tmp_path / "c", {"c.spec": HEADER + ENVELOPE})
    frame = pl.DataFrame({"finess": [f"{i:09d}" for i in range(1, len(rows) + 1)], **columns}).cast(pl.String)
    frame.write_csv(tmp_path / "d.csv")
    paid = qualispec.load(folder).evaluate(tmp_path / "d.csv").rows
    cents = [int(p * 100) for p in paid["a_payout"].to_list() + paid["b_payout"].to_list()]
    exact = sum(1000 * 100 * v / sum(volumes) * (Fraction(3, 5) * Fraction(a, 7) + Fraction(2, 5) * Fraction(b, 7))
                for v, (_, a, b) in zip(volumes, rows))
    assert sum(cents) == round(exact) <= 100_000  # what is distributed is the exact total, to the cent
    assert all(c >= 0 for c in cents)


def test_the_python_api_never_evaluates_an_unvalidated_frame():
    campaign = qualispec.load(IFAQ_2024)
    raw = pl.read_csv(EXAMPLE, schema_overrides={"finess": pl.String})  # percents as 0-100 floats
    from_file = campaign.evaluate(EXAMPLE).rows["total_payout"].sum()
    assert campaign.evaluate(raw).rows["total_payout"].sum() == from_file  # validated, percents converted
    with pytest.raises(qualispec.DataError):
        campaign.validate(raw.drop("num2_previous"))
    assert "Établissement" in campaign.evaluate(EXAMPLE).explain(raw["finess"][0])


def test_a_pandas_frame_is_validated_and_paid_exactly_like_the_file_it_was_read_from():
    pandas = pytest.importorskip("pandas")  # in the test extra: the CI always runs this
    campaign = qualispec.load(IFAQ_2024)
    frame = pandas.read_csv(EXAMPLE, dtype={"finess": str})  # previous results as binary floats, 0-100
    from_file = campaign.evaluate(EXAMPLE).rows
    from_pandas = campaign.evaluate(frame).rows
    assert from_pandas["total_payout"].to_list() == from_file["total_payout"].to_list()
    with pytest.raises(qualispec.DataError, match="num2_previous"):
        campaign.validate(frame.assign(num2_previous="beaucoup"))
    with pytest.raises(TypeError, match="un chemin de fichier, un DataFrame Polars ou pandas"):
        campaign.validate([1, 2, 3])


def test_a_run_that_would_overpay_its_envelope_writes_nothing(tmp_path, engine):
    # Weights read from the data (the solver cannot bound a population's mean): 70 % + 70 % = 140 %.
    spec = ENVELOPE.replace("weight: 60%", "weight: mean(w) over all").replace("weight: 40%", "weight: mean(w) over all")
    spec = spec.replace('input due: count', 'input w: ratio { label: "Poids lu" source: doc "§2" }\ninput due: count')
    folder = write_campaign(tmp_path / "c", {"c.spec": HEADER + spec})
    _, diagnostics = __import__("conftest").compile_folder(folder)
    assert [d.code for d in diagnostics.items if d.code.startswith("check.money")] == ["check.money_unproved"]
    pl.DataFrame({"finess": ["000000001", "000000002"], "volume": ["10", "30"], "done_a": ["7", "7"],
                  "done_b": ["7", "7"], "due": ["7", "7"], "w": ["0.7", "0.7"]}).write_csv(tmp_path / "d.csv")
    from conftest import run_cli
    code, _, err = run_cli("eval", folder, "--data", tmp_path / "d.csv", "--out", tmp_path / "r.csv", "--engine", engine)
    assert code == 1 and "verserait 1\u202f400,00 € pour 1\u202f000,00 €" in err and "aucun résultat n'est écrit" in err
    assert not (tmp_path / "r.csv").exists()
    with pytest.raises(qualispec.OverEnvelope, match="verserait 1\u202f400,00 €"):  # and from Python
        qualispec.load(folder).evaluate(tmp_path / "d.csv", engine=engine.name, spark=engine.spark)


FLOATS = '''
input volume: euro { label: "Volume économique" source: doc "§2" }
indicator v { label: "Volume" unit: euro result: volume source: doc "§3" }
'''


def test_a_parquet_float_is_read_as_the_decimal_it_was_written_as(tmp_path):
    # 24 988 493,77 € stored as a binary double is read as 24 988 493,77 exactly (not …769999998976 or
    # …76999999955); a sum that floating point made 0,30000000000000004 stays that, in full; 10⁻⁷ stays 10⁻⁷.
    folder = write_campaign(tmp_path / "c", {"c.spec": HEADER + FLOATS})
    for values, expected in (([24988493.77, 0.1, 5e8, 0.0], ["24988493.77", "0.1", "500000000", "0"]),
                             ([0.1 + 0.2, 1e-7], ["0.30000000000000004", "0.0000001"])):
        path = tmp_path / "d.parquet"
        pl.DataFrame({"finess": [f"{i:09d}" for i in range(1, len(values) + 1)], "volume": values},
                     schema={"finess": pl.String, "volume": pl.Float64}).write_parquet(path)
        read = qualispec.load(folder).validate(path).frame["volume"].to_list()
        assert read == [Decimal(e) for e in expected]


HALF = '''
input volume: euro { label: "Volume économique" source: doc "§2" }
input done: count { label: "Réalisés" source: doc "§2" }
input due: count { label: "Dus" source: doc "§2" }
parameter total: euro = TOTAL { label: "Enveloppe" source: doc "§3" }
envelope pot {
  label: "Enveloppe"
  amount: total
  group_amount: amount
  payout: group_amount * (volume / sum(volume) over all) * weight * score
  source: doc "§3"
}
indicator a { label: "A" unit: percent numerator: done denominator: due score: result weight: 50% envelope: pot source: doc "§4" }
'''


@pytest.mark.parametrize("total, paid", [("0.03 €", "0.02"), ("0.05 €", "0.02"), ("0.07 €", "0.04")])
def test_half_a_cent_left_over_goes_to_the_even_total(tmp_path, engine, total, paid):
    # Half of 3 centimes is 1,5 centime: rounded half to even, 2 centimes are paid; half of 5 is 2,5: 2 centimes.
    got = outcome(tmp_path, HALF.replace("TOTAL", total), {"volume": ["100"], "done": ["1"], "due": ["1"]},
                  "a_payout", engine)
    assert got == [Decimal(paid)]
