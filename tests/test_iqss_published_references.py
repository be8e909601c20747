"""IQSS 2022: published results are reference values beside an establishment's own, never targets. The
complications 2021 (données 2020) slide gives, per indicator, the establishments « moins bons qu'attendus »
over those evaluated, in Hauts-de-France and in France (webinar 2022, L258-269)."""

from __future__ import annotations

from fractions import Fraction

import pytest

import qualispec
from tests.conftest import ROOT

PUBLISHED = {  # indicator: (worse, evaluated) in Hauts-de-France, then in France
    "ete_pth": ((3, 61), (17, 684)), "ete_ptg": ((5, 62), (25, 681)),
    "iso_pth": ((0, 61), (10, 660)), "iso_ptg": ((0, 61), (5, 665)),
}


@pytest.fixture(scope="module")
def campaign():
    return qualispec.load(ROOT / "specs" / "iqss" / "2022").compiled.campaign


@pytest.mark.parametrize("indicator", sorted(PUBLISHED))
def test_the_published_counts_are_the_slides(campaign, indicator):
    for (worse, evaluated), scope in zip(PUBLISHED[indicator], ("hdf", "france")):
        assert campaign.parameters[f"ortho_{indicator}_worse_{scope}_2021"].value.value == worse
        assert campaign.parameters[f"ortho_{indicator}_evaluated_{scope}_2021"].value.value == evaluated


def test_the_shares_are_shown_on_each_row_and_are_not_targets(campaign):
    rows = qualispec.load(ROOT / "specs" / "iqss" / "2022").evaluate(ROOT / "examples" / "iqss_2022.csv").rows
    row = rows.row(0, named=True)
    assert abs(Fraction(str(row["ortho_complications_part_ete_pth_hdf"])) - Fraction(3, 61)) < Fraction(1, 10**6)
    assert row["ortho_complications_part_iso_pth_hdf"] == 0
    assert campaign.indicators["ortho_complications"].part("target") is None
