"""An envelope is shared into its group amounts to the cent, and payouts stay within them.

Each group's exact share of the envelope is rarely a whole number of cents; rounding each
on its own made the IFAQ 2024 groups add up to 700 000 000,01 € for a 700 000 000 €
envelope. The groups share the envelope by largest remainder: each gets its share rounded
down to the cent, and the cents left go one each to the largest remainders, ties to the
group declared first (runtime/shares.py).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import polars as pl
from hypothesis import HealthCheck, given, settings, strategies as st

import qualispec
from conftest import EXAMPLE, IFAQ_2024, write_campaign


def test_the_17_group_amounts_of_ifaq_2024_add_up_to_the_700_million_envelope(engine):
    groups = qualispec.load(IFAQ_2024).evaluate(EXAMPLE, engine=engine.name, spark=engine.spark).groups
    assert groups.height == 17
    assert sum(groups["envelope"].to_list()) == Decimal("700000000.00")
    assert all(paid <= envelope for paid, envelope in zip(groups["paid"], groups["envelope"]))


CAMPAIGN = '''
campaign demo { label: "Démo" source: doc "§1" }
document doc { label: "Document" }
field MCO { label: "MCO" }
input beds: count { label: "Lits" fields: [MCO] source: doc "§2" }
input volume: euro { label: "Volume économique" fields: [MCO] source: doc "§2" }
input done_a: count { label: "A réalisés" fields: [MCO] source: doc "§2" }
input done_b: count { label: "B réalisés" fields: [MCO] source: doc "§2" }
input due: count { label: "Dus" fields: [MCO] source: doc "§2" }
parameter total: euro = 1_000 € { label: "Enveloppe" source: doc "§3" }
group small { label: "Petits" field: MCO when: beds < 100 source: doc "§4" }
group middle { label: "Moyens" field: MCO when: beds >= 100 and beds < 300 source: doc "§4" }
group large { label: "Grands" field: MCO when: beds >= 300 source: doc "§4" }
envelope pot {
  label: "Enveloppe"
  amount: total
  group_amount: amount * (sum(volume) over group / sum(volume) over all)
  payout: group_amount * (volume / sum(volume) over group) * weight * score
  source: doc "§3"
}
indicator a { label: "A" unit: percent fields: [MCO] numerator: done_a denominator: due score: result weight: 60% envelope: pot source: doc "§5" }
indicator b { label: "B" unit: percent fields: [MCO] numerator: done_b denominator: due score: result weight: 40% envelope: pot source: doc "§5" }
'''
SIZES = {"Petits": 50, "Moyens": 200, "Grands": 500}


def evaluate(tmp_path, rows):
    """rows: (group label, volume in cents, A done of 7, B done of 7)."""
    folder = write_campaign(tmp_path / "c", {"c.spec": CAMPAIGN})
    frame = pl.DataFrame({"finess": [f"{i:09d}" for i in range(1, len(rows) + 1)], "field": ["MCO"] * len(rows),
                          "beds": [SIZES[g] for g, *_ in rows],
                          "volume": [str(Decimal(v) / 100) for _, v, _, _ in rows],
                          "done_a": [a for *_, a, _ in rows], "done_b": [b for *_, b in rows], "due": [7] * len(rows)})
    frame.cast(pl.String).write_csv(tmp_path / "d.csv")
    return qualispec.load(folder).evaluate(tmp_path / "d.csv")


def test_three_equal_groups_share_1000_euros_with_the_cent_left_to_the_group_declared_first(tmp_path):
    evaluation = evaluate(tmp_path, [("Grands", 100, 7, 7), ("Moyens", 100, 7, 7), ("Petits", 100, 7, 7)])
    envelope = dict(zip(evaluation.groups["group"], evaluation.groups["envelope"]))
    assert envelope == {"Petits": Decimal("333.34"), "Moyens": Decimal("333.33"), "Grands": Decimal("333.33")}
    paid = dict(zip(evaluation.rows["group"].cast(pl.String), evaluation.rows["total_payout"]))
    assert paid == envelope  # a full score pays the whole group amount, to the cent


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(SIZES)), st.integers(1, 10**9), st.integers(0, 7), st.integers(0, 7)),
                min_size=1, max_size=15))
def test_group_amounts_add_up_to_the_envelope_and_payouts_to_what_each_group_distributes(tmp_path_factory, rows):
    evaluation = evaluate(tmp_path_factory.mktemp("groups"), rows)
    envelope = dict(zip(evaluation.groups["group"], evaluation.groups["envelope"]))
    volumes = {g: sum(Fraction(v, 100) for h, v, _, _ in rows if h == g) for g in envelope}
    everyone = sum(volumes.values())
    assert sum(envelope.values()) == Decimal("1000.00")  # the groups share the whole envelope, to the cent
    for g, amount in envelope.items():
        cents = int(amount * 100)
        assert abs(cents - 100_000 * volumes[g] / everyone) < 1  # its share, rounded down or up by one cent
        members = [(v, a, b) for h, v, a, b in rows if h == g]
        exact = sum(Fraction(cents) * Fraction(v, 100) / volumes[g] * (Fraction(3, 5) * Fraction(a, 7)
                                                                        + Fraction(2, 5) * Fraction(b, 7))
                    for v, a, b in members)
        paid = evaluation.rows.filter(pl.col("group").cast(pl.String) == g)
        paid_cents = [int(p * 100) for p in paid["a_payout"].to_list() + paid["b_payout"].to_list()]
        assert sum(paid_cents) == round(exact) <= cents  # what it distributes, to the cent, never more
        assert all(c >= 0 for c in paid_cents)
