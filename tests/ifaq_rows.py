"""Build small IFAQ 2024 datasets by hand, one establishment and field per row."""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ["finess", "field", "stays", "activity_groups_80", "nosological_groups_80", "sessions", "active_file",
           "sectorised", "full_time_care", "economic_volume", "num1_numerator", "num1_denominator", "num1_previous",
           "num2_numerator", "num2_denominator", "num2_previous"]

DEFAULTS = {
    "MCO": {"stays": 1000, "activity_groups_80": 20},
    "SSR": {"stays": 1000, "nosological_groups_80": 10},
    "HAD": {},
    "DIA": {"sessions": 5000},
    "PSY": {"active_file": 5000, "sectorised": "true", "full_time_care": "true"},
}


def row(n: int, field: str, **values) -> dict:
    """A valid row for establishment number ``n``; keyword arguments override the defaults."""
    base = {"finess": f"{590000000 + n:09d}", "field": field, "economic_volume": 1_000_000}
    if field != "PSY":
        base.update(num1_numerator=30, num1_denominator=100, num2_numerator=30, num2_denominator=100)
    base.update(DEFAULTS[field])
    base.update(values)
    return base


def write_rows(path: Path, rows: list[dict], columns: list[str] = COLUMNS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: ("" if r.get(c) is None else r.get(c)) for c in columns})
    return path
