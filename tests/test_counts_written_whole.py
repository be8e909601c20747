"""A count is written as a whole number: « 8 », never « 8.0 ».

CAQES 2022 shows, for each regional indicator, how many of its sub-indicators are active and how many
are met (« Nombre de sous-indicateurs actifs / atteints »). They are sums of « if … then 1 else 0 »,
numbers without a unit; the engine knows them to be exact integers, and the results write them so,
on every engine. No number of any campaign's results on its example dataset is held as a binary float
(written « 8.0 »): each is a whole number or an exact decimal.
"""

from __future__ import annotations

import csv
import re
from fractions import Fraction

import pytest

from conftest import EXAMPLE, IFAQ_2024, ROOT, compile_folder, run_cli
from qualispec.runtime.data.dataset import load_dataset
from qualispec.runtime.data.output import write_table
from qualispec.runtime.evaluate import evaluate
from qualispec.runtime.plan import build_plan
from test_specs_schemes import CAMPAIGNS, EXAMPLES

CAQES_2022 = CAMPAIGNS["caqes_2022"]
CAQES_2022_DATA = ROOT / "examples" / EXAMPLES["caqes_2022"]
REGIONAL = ("les", "atb", "mpi", "phev_plan")  # the regional indicators that count their sub-indicators
WHOLE = re.compile(r"-?\d+")

RUNS = {**{name: (folder, ROOT / "examples" / EXAMPLES[name]) for name, folder in CAMPAIGNS.items()},
        "ifaq_2022": (ROOT / "specs" / "ifaq" / "2022", ROOT / "examples" / "ifaq2022.csv"),
        "ifaq_2024": (IFAQ_2024, EXAMPLE)}


def _rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_caqes_2022_results_write_the_active_and_met_criteria_as_whole_numbers(tmp_path):
    out = tmp_path / "résultats.csv"
    code, _, err = run_cli("eval", CAQES_2022, "--data", CAQES_2022_DATA, "--out", out, "-q")
    assert code == 0, err
    rows = _rows(out)
    assert rows
    for row in rows:
        for indicator in REGIONAL:
            active, met = row[f"{indicator}_criteres_actifs"], row[f"{indicator}_criteres_atteints"]
            assert WHOLE.fullmatch(active), (row["finess"], indicator, active)
            assert WHOLE.fullmatch(met), (row["finess"], indicator, met)
            assert 0 <= int(met) <= int(active)
            if row[f"{indicator}_result"]:  # the result is the share of active criteria met, in %, 6 decimals
                share = Fraction(int(met), int(active)) * 100
                assert abs(Fraction(row[f"{indicator}_result"]) - share) <= Fraction(1, 2 * 10 ** 6)


def test_the_engine_writes_the_number_of_criteria_whole(engine, tmp_path):
    """On each engine, the written CSV of CAQES 2022 (examples data) shows the counts without a decimal point."""
    c, _ = compile_folder(CAQES_2022)
    out = tmp_path / f"{engine}.csv"
    write_table(engine.evaluate(c, load_dataset(CAQES_2022_DATA, c.campaign)).rows, out)
    rows = _rows(out)
    cells = [row[f"{i}_criteres_{what}"] for row in rows for i in REGIONAL for what in ("actifs", "atteints")]
    assert cells and all(WHOLE.fullmatch(cell) for cell in cells), sorted(set(cells))


@pytest.mark.parametrize("name", sorted(RUNS))
def test_no_number_of_any_campaign_is_written_as_a_binary_float(name, tmp_path):
    """Every number of the results is a whole number or an exact decimal, never a float (which a CSV writes
    « 8.0 » or « 0.41000000000000003 »); every cell of a count is whole (polars engine)."""
    folder, data = RUNS[name]
    c, _ = compile_folder(folder)
    results = evaluate(c, load_dataset(data, c.campaign)).rows
    floats = [column for column, dtype in results.schema.items() if dtype.is_float()]
    assert not floats, floats
    out = tmp_path / "résultats.csv"
    write_table(results, out)
    rows = _rows(out)
    counts = [o.name for o in build_plan(c).outputs if o.part != "payout" and o.unit == "count"]
    not_whole = {column: cell for row in rows for column in counts if (cell := row[column]) and not WHOLE.fullmatch(cell)}
    assert not not_whole, not_whole
