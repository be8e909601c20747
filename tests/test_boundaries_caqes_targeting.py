"""CAQES 2022, regional targeting on the national indicators: « ciblage des établissements avec un
intéressement potentiel supérieur à 10 000 euros » (webinaire « nouveau CAQES », Le ciblage régional sur
les indicateurs nationaux). The potential is a rate times savings and can fall between two cents; it is
compared at the named precision « targeting_comparison_precision » (one cent, an assumption), as it is written."""

from __future__ import annotations

import polars as pl
import pytest

import qualispec
from tests.conftest import ROOT


@pytest.fixture(scope="module", params=["2022", "2023"])
def caqes(request):
    return qualispec.load(ROOT / "specs" / "caqes" / request.param)


def potential_from_ipp_only(caqes, ipp_savings: str) -> dict:
    """One establishment whose only profit-sharing is the IPP one, 20 % of its estimated savings."""
    frame = pl.read_csv(ROOT / "examples" / "caqes_2022.csv", infer_schema_length=0).head(1)
    others = [c for c in frame.columns if c.endswith("_avoided_spending") and c != "ipp_avoided_spending"]
    frame = frame.with_columns(pl.lit(ipp_savings).alias("ipp_avoided_spending"), *[pl.lit("0").alias(c) for c in others])
    return caqes.evaluate(frame).rows.row(0, named=True)


@pytest.mark.parametrize("savings, written, targeted", [
    ("50000", "10000.00", False),     # exactly 10 000 €: not « supérieur à »
    ("50000.02", "10000.00", False),  # 10 000,004 €, written 10 000,00 €: not targeted either
    ("50000.025", "10000.00", False),  # 10 000,005 €: half a cent goes to the even cent, 10 000,00 €
    ("50000.03", "10000.01", True),   # 10 000,006 €: rounds to 10 000,01 €, above
    ("50000.05", "10000.01", True),   # 10 000,01 €: one cent above
])
def test_the_potential_is_compared_with_10_000_euros_as_it_is_written(caqes, savings, written, targeted):
    row = potential_from_ipp_only(caqes, savings)
    assert str(row["national_targeting_interessement_potentiel"]) == written
    assert row["national_targeting_etablissement_cible"] is targeted


def test_the_targeting_precision_is_an_assumption_shown_in_the_fiche():
    fiche = (ROOT / "generated").rglob("*.md")
    text = "\n".join(p.read_text(encoding="utf-8") for p in fiche if "caqes" in str(p) and "2022" in str(p))
    assert "Précision à laquelle l'intéressement potentiel est comparé au seuil de ciblage" in text
    assert "10 000,004 €" in text
