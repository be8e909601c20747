"""CPOM (volet 2 « Gestion des opérations ») and HOP'EN targets, exactly on them and a hair either side.

- CPOM, « 3. Suivi des engagements »: Terr-esanté letters, cible « 80 % des patients dont le dossier
  patient a été créé »; pooled medical and hotel purchases, cible « 30% ». The document marks neither
  ≥ nor >: the spec reads « atteinte à partir de » the target (≥), an assumption shown in the fiche.
- HOP'EN (webinaire IQSS / IFAQ 2022, « Présentation des indicateurs IFAQ Numérique en lien avec les
  programmes HOPEN/SUN-ES »): D2.2 « jusqu'à fin 2022, 50 % des DMP … sont alimentés », « Dès 2023, le
  seuil de validation est porté à 64 % des séjours »; D6.3 « 60% des correspondants équipés d'une MSS ont
  reçu au moins un document ». Read as reached from the target on (≥).

The amounts are decimals in euros and cents: their ratio is exact, so 300 000,54 € of 1 000 001,80 €
is 30 % exactly, although binary floating point makes it 29,999999999999996 %.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from conftest import ROOT
from qualispec.runtime.data.dataset import load_dataset
from conftest import compile_folder

CPOM = ROOT / "specs" / "ars-cpom"


def compiled(folder):
    campaign, diagnostics = compile_folder(folder)
    assert not diagnostics.has_errors(), diagnostics.render()
    return campaign


@pytest.fixture(scope="module")
def cpom():
    return compiled(CPOM)


def one_establishment(engine, campaign, example: str, tmp_path, **columns) -> dict:
    frame = pl.read_csv(ROOT / "examples" / example, infer_schema_length=0).head(1)
    path = tmp_path / example
    frame.with_columns(pl.lit(str(v), pl.String).alias(k) for k, v in columns.items()).write_csv(path)
    return engine.evaluate(campaign, load_dataset(path, campaign.campaign)).rows.row(0, named=True)


@pytest.mark.parametrize("pair", [("purchases_medical", "purchases_medical_pooled", "purchases_title_2_total"),
                                  ("purchases_hotel", "purchases_hotel_pooled", "purchases_title_3_total")],
                         ids=["médical", "hôtelier"])
@pytest.mark.parametrize("pooled, total, written, reached", [
    ("300000", "1000000", "30.000000", True),        # 30 % exactly
    ("300000.54", "1000001.80", "30.000000", True),  # 30 % exactly, 29,999999999999996 % in binary floating point
    ("300000.60", "1000002", "30.000000", True),     # 30 % exactly, also below 30 % in floating point
    ("300000.53", "1000001.80", "29.999999", False),  # one cent short: not reached
    ("300000.55", "1000001.80", "30.000001", True),  # one cent over
])
def test_pooled_purchases_reach_30_percent_exactly_on_it(engine, cpom, tmp_path, pair, pooled, total, written,
                                                         reached):
    indicator, numerator, denominator = pair
    out = one_establishment(engine, cpom, "ars_cpom.csv", tmp_path, **{numerator: pooled, denominator: total})
    assert out[f"{indicator}_objective"] is reached
    assert out[f"{indicator}_result"] == Decimal(written)  # the exact ratio, written at 6 decimals


@pytest.mark.parametrize("letters, patients, reached", [
    (800, 1000, True), (4, 5, True), (799999, 1000000, False), (800001, 1000000, True), (3, 4, False),
    (1000, 1000, True), (1200, 1000, True),  # more letters than patients: a count for 100 patients, above
])
def test_terr_esante_letters_reach_80_percent_exactly_on_it(engine, cpom, tmp_path, letters, patients, reached):
    out = one_establishment(engine, cpom, "ars_cpom.csv", tmp_path, terr_esante_letters_sent_5_days=letters,
                            terr_esante_patients_with_record=patients)
    assert out["terr_esante_letters_objective"] is reached


@pytest.mark.parametrize("year, d22_target", [("2022", 50), ("2023", 64)])
def test_hopen_dmp_target_is_reached_exactly_on_it_and_not_a_stay_below(engine, tmp_path, year, d22_target):
    campaign = compiled(ROOT / "specs" / "hopen" / year)
    stays = 25 * 40000                    # 1 000 000 stays: d22_target % is a whole number of stays
    on = d22_target * stays // 100
    for numerator, reached in [(on, True), (on - 1, False), (on + 1, True)]:
        out = one_establishment(engine, campaign, "hopen.csv", tmp_path, d22_numerator=numerator,
                                d22_denominator=stays)
        assert out["d22_target"] == d22_target
        assert out["d22_objective"] is reached, (year, numerator)


@pytest.mark.parametrize("year", ["2022", "2023"])
@pytest.mark.parametrize("correspondents, reached", [(60, True), (3, True), (59, False), (5999999, False)])
def test_hopen_mss_target_of_60_percent_is_reached_exactly_on_it(engine, tmp_path, year, correspondents, reached):
    """60 of 100, 3 of 5: 60 %; 59 of 100, 5 999 999 of 10 000 000: below."""
    total = {60: 100, 3: 5, 59: 100, 5999999: 10000000}[correspondents]
    campaign = compiled(ROOT / "specs" / "hopen" / year)
    out = one_establishment(engine, campaign, "hopen.csv", tmp_path, d63_numerator=correspondents,
                            d63_denominator=total)
    assert out["d63_objective"] is reached


def test_the_inclusive_reading_of_the_cpom_targets_is_written_in_the_fiches():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "generated").rglob("*.md")
                     if "cpom" in str(p))
    assert "Cible atteinte à partir de 30 % (≥) ; le document ne marque ni ≥ ni" in text
    assert "Cible atteinte à partir de 80 % (≥)" in text
