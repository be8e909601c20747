"""A new campaign's value ten times or more above or below the one it inherits is most often a typo:
700 € typed for 700 M€, a zero too many, 5 % for 50 %. The policy author is told at the new value;
a change that is meant says why with `large_change:`, for that campaign only."""

import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_folder

SPECS = Path(__file__).resolve().parent.parent / "specs"
TARGETING = "carry national_targeting, targeting_min_potential, targeting_comparison_precision {"
SHARES = "override digital_share = { MCO: 17%, SSR: 17%, HAD: 17%, DIA: 50%, PSY: 0% } {"


def with_override(tmp_path, scheme: str, campaign_file: str, written: str, typed: str):
    shutil.copytree(SPECS / scheme, tmp_path / scheme)
    path = tmp_path / scheme / campaign_file
    text = path.read_text(encoding="utf-8")
    assert written in text, f"{written!r} is no longer in {campaign_file}: update this test"
    path.write_text(text.replace(written, typed, 1), encoding="utf-8")
    return path, text[:text.index(written)].count("\n") + 1


def caqes_2023_targeting(tmp_path, value: str, reason: str = ""):
    """CAQES 2023 carries the 2022 targeting threshold (« un intéressement potentiel supérieur à 10 000
    euros »); here it overrides it instead, with ``value``."""
    return with_override(tmp_path, "caqes", "2023/year_2023.spec", TARGETING,
                         f"override targeting_min_potential = {value} {{\n{reason}"
                         '  source: webinar_caqes_2022 "exemple"\n}\n'
                         "carry national_targeting, targeting_comparison_precision {")


def ifaq_2024_with(tmp_path, written: str, typed: str):
    return with_override(tmp_path, "ifaq", "2024/envelope.spec", written, typed)


def warnings(folder):
    diagnostics = Diagnostics()
    compile_folder(folder, diagnostics)
    return [d for d in diagnostics.sorted() if d.code == "check.far_from_inherited"]


@pytest.mark.parametrize("typed, said", [
    ("10 €", "10 €, est 1\u202f000 fois plus petite que celle héritée de caqes_2022 (10\u202f000 €)"),
    ("100_000 €", "100\u202f000 €, est 10 fois plus grande que celle héritée de caqes_2022 (10\u202f000 €)"),
    ("1_000 €", "1\u202f000 €, est 10 fois plus petite"),
])
def test_a_threshold_off_by_a_unit_or_a_zero_is_said_at_its_value(tmp_path, typed, said):
    path, line = caqes_2023_targeting(tmp_path, typed)
    [warning] = warnings(path.parent)
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert warning.message.startswith(f"la nouvelle valeur de « targeting_min_potential », {said}")
    assert "large_change" in warning.hint


@pytest.mark.parametrize("typed", ["12_000 €", "5_000 €", "1_000.01 €", "99_999.99 €"])
def test_a_threshold_that_changes_less_than_tenfold_is_not_questioned(tmp_path, typed):
    path, _ = caqes_2023_targeting(tmp_path, typed)
    assert warnings(path.parent) == []


def test_a_tenfold_change_that_is_meant_says_why_and_is_not_questioned(tmp_path):
    path, _ = caqes_2023_targeting(tmp_path, "100_000 €", '  large_change: "seuls les gros prescripteurs sont ciblés (exemple)"\n')
    assert warnings(path.parent) == []


def test_the_reason_for_a_large_change_is_not_inherited_by_the_next_campaign(tmp_path):
    path, _ = caqes_2023_targeting(tmp_path, "100_000 €", '  large_change: "exemple"\n')
    later = tmp_path / "caqes" / "2024"
    assert run_cli("new", path.parent, later, "-q")[0] == 0
    carried = (later / "carried.spec").read_text(encoding="utf-8")
    start = carried.index("carry targeting_min_potential {")
    end = carried.index("}", start) + 1
    (later / "carried.spec").write_text(
        carried[:start] + 'override targeting_min_potential = 10_000 € {\n  source: webinar_caqes_2022 "exemple"\n}'
        + carried[end:], encoding="utf-8")
    [warning] = warnings(later)
    assert "10 fois plus petite que celle héritée de caqes_2023 (100\u202f000 €)" in warning.message


def test_a_value_given_by_field_is_compared_field_by_field(tmp_path):
    # DIA's share of the weighting typed 5 % instead of 50 %: within its plausible range (0 % to 50 %).
    path, line = ifaq_2024_with(tmp_path, SHARES, SHARES.replace("DIA: 50%", "DIA: 5%"))
    [warning] = warnings(path.parent)
    assert (warning.span.file, warning.span.line) == (str(path), line)
    assert "« digital_share » pour le champ DIA, 5 %, est 10 fois plus petite" in warning.message


def test_a_value_outside_its_declared_range_is_said_once_by_the_range(tmp_path):
    # MCO at 170 % is outside digital_share's range: that check speaks, not this one as well.
    path, _ = ifaq_2024_with(tmp_path, SHARES, SHARES.replace("MCO: 17%", "MCO: 170%"))
    assert warnings(path.parent) == []


def test_the_shipped_campaigns_change_no_value_tenfold_without_saying_why():
    for folder in sorted(p.parent for p in SPECS.glob("*/*/campaign.spec")):
        assert warnings(folder) == [], folder
