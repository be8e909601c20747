"""A growth rate may be negative: an input declared `signed: true` takes any percentage (−2,5 %), every
other percentage column stays within 0–100 and a negative value there is refused at its row, in French.
CAQES 2017: the transport part's « cible obligatoire d'évolution des dépenses » may be given as a signed
rate, and the three spending-growth indicators compare their growth with the rate set in the contract."""

from __future__ import annotations

import shutil
from decimal import Decimal

import polars as pl
import pytest

import qualispec
from tests.conftest import ROOT, compile_folder

CAQES_2017 = ROOT / "specs" / "caqes" / "2017"


@pytest.fixture(scope="module")
def caqes():
    return qualispec.load(CAQES_2017)


def example(n: int = 0, **columns) -> pl.DataFrame:
    """Establishment ``n`` of the CAQES 2017 example, with ``columns`` replaced."""
    frame = pl.read_csv(ROOT / "examples" / "caqes_2017.csv", infer_schema_length=0).slice(n, 1)
    return frame.with_columns(pl.lit(v, pl.String).alias(k) for k, v in columns.items())


def test_a_target_growth_of_minus_2_percent_is_met_exactly_at_98_percent_of_last_year(caqes):
    base = dict(transport_target_growth="-2", transport_spending_previous="500000", transport_target_spending=None)
    rows = caqes.evaluate(pl.concat([example(**base, transport_spending="490000"),
                                     example(1, **base, transport_spending="490000.01")])).rows
    assert rows["transport_montant_cible"].to_list() == [Decimal("490000.00")] * 2
    assert rows["transport_cible_atteinte"].to_list() == [True, False]


def test_without_a_rate_the_target_amount_of_the_contract_is_used(caqes):
    rows = caqes.evaluate(example(transport_target_growth=None, transport_target_spending="440000",
                                  transport_spending="440000")).rows
    assert rows["transport_montant_cible"][0] == Decimal("440000.00") and rows["transport_cible_atteinte"][0] is True


def test_a_spending_growth_is_compared_with_the_signed_rate_of_the_contract(caqes):
    rows = caqes.evaluate(pl.concat([
        example(phev_spending_growth_previous="100000", phev_spending_growth_current="99000", phev_spending_growth_target="-1"),
        example(1, phev_spending_growth_previous="100000", phev_spending_growth_current="99000.01",
                phev_spending_growth_target="-1"),
        example(2, phev_spending_growth_previous="100000", phev_spending_growth_current="99000",
                phev_spending_growth_target=None),
    ])).rows
    assert rows["phev_spending_growth_objective"].to_list() == [True, False, None]  # −1 % ≤ −1 %; −0,99999 % is not


def test_a_negative_rate_where_the_spec_does_not_declare_it_signed_is_refused_at_its_row(caqes, tmp_path):
    path = tmp_path / "caqes.csv"
    example(d31_rate="-5").write_csv(path)
    with pytest.raises(qualispec.DataError) as refused:
        caqes.validate(path)
    message = str(refused.value)
    assert f"{path}:2: d31_rate = -5 est hors de 0–100" in message and "signed: true" in message


def test_a_negative_rate_is_accepted_where_it_is_declared_signed(caqes):
    assert caqes.validate(example(transport_target_growth="-12.5", transport_spending_previous="1")) is not None


def test_signed_on_an_amount_is_a_compile_error_at_its_line(tmp_path):
    shutil.copytree(CAQES_2017, tmp_path / "2017")
    spec = tmp_path / "2017" / "transport.spec"
    text = spec.read_text(encoding="utf-8")
    written = "input transport_spending_previous: euro {\n  optional: true\n"
    assert written in text
    spec.write_text(text.replace(written, "input transport_spending_previous: euro {\n  signed: true\n  optional: true\n", 1),
                    encoding="utf-8")
    _, diagnostics = compile_folder(tmp_path / "2017")
    [error] = [d for d in diagnostics.sorted() if d.severity == "error"]
    assert error.message == "« signed » ne vaut que pour un pourcentage : la donnée d'entrée « transport_spending_previous » est en euro"
    assert error.span.line == text[:text.index(written)].count("\n") + 2
