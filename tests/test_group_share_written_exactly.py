"""The share of a group's envelope that is paid is written as an exact decimal (8,8 %), never as the binary float
8.800000000000001, in the summary and in the « groupes » sheet of an XLSX output."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal

import polars as pl

from tests.conftest import EXAMPLE, IFAQ_2024, run_cli


def test_the_share_paid_of_each_group_is_an_exact_decimal_in_the_xlsx_groups_sheet(tmp_path):
    out = tmp_path / "résultats.xlsx"
    code, _, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE, "--out", out, "-q")
    assert code == 0, err
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet2.xml").decode()
    numbers = re.findall(r"<v>([^<]*)</v>", sheet)
    assert numbers and not [n for n in numbers if re.fullmatch(r"-?\d+\.\d{3,}", n)]
    groups = pl.read_excel(out, sheet_name="groupes")
    for paid, envelope, share in groups.select("Versé sur l'enveloppe du groupe (€)", "Enveloppe du groupe (€)",
                                                    "Part de l'enveloppe versée (%)").iter_rows():
        if envelope:
            exact = (Decimal(str(paid)) / Decimal(str(envelope)) * 100).quantize(Decimal("0.1"), "ROUND_HALF_UP")
            assert Decimal(str(share)) == exact
