"""IFAQ: the digital pair weighs the same in 2022 and 2024 on the fields that keep it.

Webinaire 2022, « IFAQ 2022 : Modèle de valorisation » : DMP 0,25 and MSS 0,75 together count
for one indicator, « environ 17 % du total de la pondération IFAQ pour les domaines MCO, SSR et
HAD, et de 50 % pour le domaine DIA ». The 2024 guide does not give weights again: the 2024 spec
keeps the pair's share in each indicator's weight (not in the group amount), so the rule diff must
not report a weight change on MCO, SSR, HAD or DIA, and the money diff must not attribute one.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

import qualispec
from qualispec.compiler.diff.rules import diff
from tests.conftest import ROOT, compile_folder, run_cli

IFAQ = ROOT / "specs" / "ifaq"
EXPECTED = {  # field → (DMP, MSS) weight in % of the IFAQ weighting: 0,25 × share and 0,75 × share
    "MCO": ("4.25", "12.75"), "SSR": ("4.25", "12.75"), "HAD": ("4.25", "12.75"), "DIA": ("12.5", "37.5"),
}


def _weights(folder: str, data: str, dmp: str, mss: str) -> dict[str, tuple[str, str]]:
    campaign = qualispec.load(IFAQ / folder)
    rows = campaign.evaluate(campaign.validate(ROOT / "examples" / data)).rows
    out = {}
    for field, a, b in rows.group_by("field").agg(pl.col(f"{dmp}_weight").unique(), pl.col(f"{mss}_weight").unique()).iter_rows():
        assert len(a) == 1 and len(b) == 1, f"{field}: one weight per field"
        out[field] = (a[0], b[0])
    return out


@pytest.mark.parametrize("folder,data,dmp,mss", [("2022", "ifaq2022.csv", "d2_2", "d6_3"),
                                                 ("2024", "ifaq2024.csv", "num1", "num2")])
def test_dmp_weighs_a_quarter_and_mss_three_quarters_of_the_pair_share(folder, data, dmp, mss):
    weights = _weights(folder, data, dmp, mss)
    for field, (w_dmp, w_mss) in EXPECTED.items():
        assert weights[field] == (Decimal(w_dmp), Decimal(w_mss)), field


def test_psy_keeps_the_pair_in_2022_and_leaves_it_in_2024():
    assert _weights("2022", "ifaq2022.csv", "d2_2", "d6_3")["PSY"] == (Decimal("3.5725"), Decimal("10.7175"))  # 1/7 reading
    assert _weights("2024", "ifaq2024.csv", "num1", "num2")["PSY"] == (None, None)  # « sauf PSY »


def test_the_rule_diff_reports_no_weight_change_and_the_share_change_only_for_psy():
    old, _ = compile_folder(IFAQ / "2022")
    new, _ = compile_folder(IFAQ / "2024")
    changes = diff(old.campaign, new.campaign).changes
    assert not [c for c in changes if c.subject in ("num1.weight", "num2.weight")]
    share = [c for c in changes if c.subject == "digital_share" and c.kind == "value"]
    assert len(share) == 1 and share[0].old == "PSY : 14,29 %" and share[0].new == "PSY : 0 %"


def test_the_money_diff_attributes_nothing_to_the_pair_share():
    code, out, err = run_cli("diff", IFAQ / "2022", IFAQ / "2024", "--data", ROOT / "examples" / "ifaq2022_2024.csv")
    assert code == 0, err
    attribution = out.split("Ce qui explique l'écart", 1)[1].split("\n\n", 1)[0]
    assert "Part de la pondération IFAQ portée par la paire" not in attribution
    assert "poids" not in attribution.lower()
