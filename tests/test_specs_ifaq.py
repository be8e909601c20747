"""The IFAQ specs: they compile cleanly, 2024 extends 2022, and the 2024 dataset contract
(which the runtime, its tests and tests/reference_ifaq2024.py rely on) does not move."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_one, compile_path
from qualispec.runtime.data.contract import contract_rows

ROOT = Path(__file__).resolve().parents[1]
IFAQ = ROOT / "specs" / "ifaq"

CONTRACT_2024 = [
    "finess", "field", "stays", "activity_groups_80", "nosological_groups_80", "sessions", "active_file",
    "sectorised", "full_time_care", "economic_volume", "num1_numerator", "num1_denominator", "num1_previous",
    "num2_numerator", "num2_denominator", "num2_previous",
    # the entry status at the deadline (« renseigne » or empty, « non_renseigne »; may be absent from a file)
    "num1_status", "num2_status",
    # optional items of the oSIS fiches (may be absent from a file)
    "measurement_month_num1", "total_stays_num1", "measurement_month_num2", "total_stays_num2",
]
GROUP_LABELS = ["HAD", "MCO-1", "MCO-2", "MCO-3", "MCO-4", "MCO-5", "DIA-1", "DIA-2", "SSR-1", "SSR-2", "SSR-3",
                "SSR-4", "PSY-1", "PSY-2", "PSY-3", "PSY-4", "PSY-5"]


def _compile(folder: Path):
    d = Diagnostics()
    compiled = compile_one(folder, d)
    assert compiled is not None and not d.errors, [str(e.message) for e in d.errors]
    return compiled.campaign, d


def test_check_ifaq_has_no_error_and_no_warning():
    d = Diagnostics()
    compiled = compile_path(IFAQ, d)
    assert sorted(c.campaign.name for c in compiled) == ["ifaq_2022", "ifaq_2024"]
    assert [x.message for x in d.errors] == []
    assert [x.message for x in d.warnings] == []


def test_cli_check_exits_0():
    out = subprocess.run([sys.executable, "-m", "qualispec.runtime.cli.main", "check", str(IFAQ)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr


def test_2024_contract_is_pinned():
    campaign, _ = _compile(IFAQ / "2024")
    assert [c.name for c in contract_rows(campaign)] == CONTRACT_2024


def test_2024_extends_2022_and_renames_the_digital_pair():
    campaign, _ = _compile(IFAQ / "2024")
    assert campaign.extends == "ifaq_2022"
    assert list(campaign.indicators) == ["num1", "num2"]
    assert campaign.indicators["num1"].renamed_from == "d2_2"
    assert campaign.indicators["num2"].renamed_from == "d6_3"
    assert sorted(g.label for g in campaign.groups.values()) == sorted(GROUP_LABELS)
    assert list(campaign.envelopes) == ["ifaq_digital"]
    # every inherited group and the standard curve are carried, with a stated assumption
    carried = {**campaign.groups, **campaign.curves, **campaign.parameters}
    for name in list(campaign.groups) + ["ifaq_standard", "threshold_quantile", "level_weight"]:
        assert campaign.lineage[name] == "carry" and carried[name].carried, name
    # the 2022 non-digital indicators are dropped, each with a reason
    for name in ("certification", "qls", "pain", "iso_ortho", "psy_long_stays", "volume_2019_share"):
        assert campaign.dropped[name]


@pytest.mark.parametrize("name, value", [("num1_target", "1/2"), ("num2_target", "1/2"),
                                         ("num1_weight", "1/4"), ("num2_weight", "3/4"),
                                         ("ifaq_envelope_total", "700000000"), ("threshold_quantile", "3/10"),
                                         ("level_weight", "1/2"), ("evolution_weight", "1/2")])
def test_2024_parameter_values(name, value):
    from fractions import Fraction

    from qualispec.compiler.check import literal_value

    campaign, _ = _compile(IFAQ / "2024")
    assert literal_value(campaign.parameters[name].value) == Fraction(value)


def test_2024_digital_share_psy_is_zero_and_2022_is_not():
    share = {}
    for year in ("2022", "2024"):
        campaign, _ = _compile(IFAQ / year)
        share[year] = {k: str(v.value) for k, v in campaign.parameters["digital_share"].values}
    assert share["2024"]["PSY"] == "0" and share["2022"]["PSY"] != "0"
    assert {k: v for k, v in share["2024"].items() if k != "PSY"} == \
        {k: v for k, v in share["2022"].items() if k != "PSY"}


def test_2022_lists_every_indicator_of_the_2022_slide():
    campaign, _ = _compile(IFAQ / "2022")
    fields = {name: set(ind.fields) for name, ind in campaign.indicators.items()}
    assert fields["certification"] == fields["d2_2"] == fields["d6_3"] == {"MCO", "SSR", "HAD", "DIA", "PSY"}
    assert fields["pain"] == {"MCO", "SSR", "HAD", "PSY"}
    assert fields["qls"] == {"MCO", "SSR", "PSY"}
    for name, field in [("iso_ortho", "MCO"), ("ete_ortho", "MCO"), ("esatis_mco_48h", "MCO"),
                        ("esatis_mco_ca", "MCO"), ("qls_ca", "MCO"), ("pcc", "MCO"), ("esatis_ssr", "SSR"),
                        ("care_plan", "SSR"), ("had_record", "HAD"), ("had_pressure_ulcer", "HAD"),
                        ("had_coordination", "HAD"), ("psy_addiction", "PSY"), ("psy_long_stays", "PSY"),
                        ("psy_cardio", "PSY")]:
        assert fields[name] == {field}, name
    assert len(campaign.categories) == 8


def test_every_ifaq_declaration_says_where_it_comes_from():
    for year in ("2022", "2024"):
        campaign, _ = _compile(IFAQ / year)
        for decl in campaign.declarations():
            if decl.kind in ("field", "document"):
                continue
            assert decl.source is not None or decl.assumption or decl.carried, (year, decl.kind, decl.name)


@pytest.mark.parametrize("year", ["2022", "2024"])
def test_policy_author_cases_pass(year):
    out = subprocess.run([sys.executable, "-m", "qualispec.runtime.cli.main", "test", str(IFAQ / year)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert " 0 en échec" in out.stdout
