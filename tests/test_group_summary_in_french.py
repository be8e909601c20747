"""The summary per group that ``qualispec eval`` prints speaks as the XLSX « groupes » sheet does (French headers
with units, an envelope shared nationally by its label, never a code name), and its share paid is the exact share
rounded half up to 0,1 % (6,25 % is 6,3 %), for each group and for the total — never a binary float's (6,2 %).
The XLSX written by the Python API (``Result.write``) has the same French headers as ``qualispec eval --out``."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import polars as pl

import qualispec
from qualispec.compiler.french import NBSP
from qualispec.runtime.cli.cmd_eval import format_groups
from qualispec.runtime.group_share import share_paid
from tests.conftest import EXAMPLE, IFAQ_2024, SPECS, run_cli

HEADERS = ["Groupe de comparaison", "Établissements (nombre)", "Enveloppe du groupe (€)",
           "Versé sur l'enveloppe du groupe (€)", "Part de l'enveloppe versée (%)"]
CODE_NAMES = ("paid", "share", "envelope", "establishments", "ifaq_", "versé (", "part versée")


def cells(line: str) -> list[str]:
    return [c for c in re.split(r" {2,}", line.strip())]


def number(cell: str) -> Decimal:
    return Decimal(cell.rstrip(" €%").replace(NBSP, "").replace(",", "."))


def exact_share(paid: Decimal, envelope: Decimal) -> Decimal:
    return (paid * 100 / envelope).quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_the_printed_summary_of_ifaq_2024_has_french_headers_and_exact_shares():
    code, stdout, err = run_cli("eval", IFAQ_2024, "--data", EXAMPLE)
    assert code == 0, err
    lines = stdout.splitlines()
    assert cells(lines[0]) == HEADERS
    assert not [word for word in CODE_NAMES if word in lines[0]]
    table = [cells(line) for line in lines[2:] if not line.startswith("-")]
    total = next(i for i, row in enumerate(table) if row[0] == "total")
    groups, total_row = table[:total], table[total]
    assert len(groups) == 17  # HAD, MCO-1…5, DIA-1…2, SSR-1…4, PSY-1…5
    for row in groups + [total_row]:
        envelope, paid, share = number(row[2]), number(row[3]), number(row[4])
        assert row[4].endswith(" %") and share == exact_share(paid, envelope), row
    assert number(total_row[2]) == sum(number(row[2]) for row in groups) == Decimal("700000000.00")
    assert number(total_row[3]) == sum(number(row[3]) for row in groups)
    assert total_row[1] == f"2{NBSP}000" == f"{sum(int(row[1]) for row in groups):,}".replace(",", NBSP)  # grouped like the euros


def test_an_envelope_shared_nationally_is_named_by_its_label_in_the_printed_summary():
    code, stdout, err = run_cli("eval", SPECS / "ifaq" / "2022", "--data", EXAMPLE.parent / "ifaq2022.csv")
    assert code == 0, err
    header = cells(stdout.splitlines()[0])
    campaign = qualispec.load(SPECS / "ifaq" / "2022").compiled.campaign
    national = [e for e in campaign.envelopes.values() if e.label and f"Versé — {e.label} (€)" in header]
    assert header[:5] == HEADERS and national, header
    assert not [c for c in header if "paid_" in c or "ifaq_" in c]


def summary(paid_cents: list[int], envelope_cents: list[int]) -> list[list[str]]:
    groups = pl.DataFrame({"group": [f"G{i + 1}" for i in range(len(paid_cents))], "field": ["MCO"] * len(paid_cents),
                           "establishments": [3] * len(paid_cents),
                           "envelope": [Decimal(c) / 100 for c in envelope_cents],
                           "paid": [Decimal(c) / 100 for c in paid_cents]},
                          schema_overrides={"establishments": pl.UInt32, "envelope": pl.Decimal(38, 2),
                                            "paid": pl.Decimal(38, 2)}).with_columns(share_paid())
    return [cells(line) for line in format_groups(groups).splitlines() if not line.startswith("-")]


def test_a_share_of_exactly_6_25_percent_is_printed_6_3_percent_for_a_group_and_for_the_total():
    # 0,07 € of 1,12 € is 6,25 % exactly; as binary floats 0.07 / 1.12 * 100 prints 6,2 %
    table = summary([7, 7], [112, 112])
    assert [row[4] for row in table[1:]] == ["6,3 %", "6,3 %", "6,3 %"]  # G1, G2, total (0,14 € of 2,24 €)
    assert table[-1][:4] == ["total", "6", "2,24 €", "0,14 €"]


def test_a_share_just_below_the_half_is_rounded_down_and_an_empty_envelope_has_no_share():
    table = summary([6, 5], [112, 0])  # 5,357… % ; no envelope: no share, not a division by zero
    assert table[1][4] == "5,4 %" and table[2][4] == "—"
    assert table[-1][4] == exact_share(Decimal("0.11"), Decimal("1.12")).to_eng_string().replace(".", ",") + " %"


def test_the_python_api_writes_the_xlsx_with_the_french_headers_of_the_command_line(tmp_path):
    campaign = qualispec.load(IFAQ_2024)
    out = tmp_path / "api.xlsx"
    campaign.evaluate(campaign.validate(EXAMPLE)).write(out)
    book = openpyxl.load_workbook(out, read_only=True)
    groups = [c.value for c in next(book["groupes"].iter_rows(max_row=1))]
    assert groups == HEADERS[:1] + ["Champ"] + HEADERS[1:]
    results = [c.value for c in next(book["résultats"].iter_rows(max_row=1))]
    assert results[:3] == ["FINESS", "Champ", "Groupe de comparaison"] and results[-1] == "Rémunération totale (€)"
