"""Objectives met and not met: the outcome of schemes that monitor (IQSS, HOP'EN, CPOM) as well as pay.

An indicator with an ``objective`` part (« objectif atteint », by default ``result >= target``
in a scheme that does not pay) gets, on each row, yes, no, or nothing when the result is not
available or the indicator does not count for the establishment. ``eval`` prints how many
establishments met each objective; ``diff --data`` how many went from met to not met.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from qualispec.compiler import ir
from qualispec.runtime.evaluate import STATUS_OUT_OF_SCOPE


@dataclass(frozen=True)
class ObjectiveCount:
    indicator: str
    label: str
    met: int
    not_met: int
    not_evaluated: int  # result not available, or the indicator does not count for the establishment
    shown: str = ""  # how a reader calls it: « Num.1 », else its label (shortened)


@dataclass(frozen=True)
class ObjectiveChange:
    """One indicator present in both campaigns: how many rows meet its objective on each side, and moves."""

    indicator_old: str
    indicator_new: str
    met_old: int
    met_new: int
    lost: int  # met under the old rules, not met under the new ones
    gained: int


def objective_changes(old_rows: pl.DataFrame, new_rows: pl.DataFrame, keys: list[str],
                      pairs) -> list[ObjectiveChange]:
    """Rows (establishment, field) whose objective goes from met to not met, or back, per indicator."""
    out = []
    for o, n in pairs:
        a, b = f"{o.lower()}_objective", f"{n.lower()}_objective"
        if a not in old_rows.columns or b not in new_rows.columns:
            continue
        both = old_rows.select(keys + [pl.col(a).alias("old")]).join(
            new_rows.select(keys + [pl.col(b).alias("new")]), on=keys, how="full", coalesce=True)
        lost = both.filter(pl.col("old").fill_null(False) & ~pl.col("new").fill_null(False)).height
        gained = both.filter(~pl.col("old").fill_null(False) & pl.col("new").fill_null(False)).height
        out.append(ObjectiveChange(o, n, int(both["old"].sum() or 0), int(both["new"].sum() or 0), lost, gained))
    return out


def pays(campaign: ir.Campaign) -> bool:
    return any(ind.part("payout") for ind in campaign.indicators.values())


def with_objectives(campaign: ir.Campaign) -> list[ir.Indicator]:
    return [ind for ind in campaign.indicators.values() if ind.part("objective")]


def objective_counts(campaign: ir.Campaign, rows: pl.DataFrame) -> list[ObjectiveCount]:
    out = []
    for ind in with_objectives(campaign):
        column, status = f"{ind.name.lower()}_objective", f"{ind.name.lower()}_status"
        if column not in rows.columns:
            continue
        rows_of = rows.filter(pl.col(status).cast(pl.String) != STATUS_OUT_OF_SCOPE) if status in rows.columns else rows
        values = rows_of[column]
        met = int(values.sum() or 0)
        missing = values.null_count()
        out.append(ObjectiveCount(ind.name, ind.label, met, values.len() - missing - met, missing, _shown(ind)))
    return out


def _shown(ind: ir.Indicator, width: int = 48) -> str:
    if ind.short_name != ind.name or not ind.label:
        return ind.short_name
    return ind.label if len(ind.label) <= width else ind.label[:width - 1].rstrip() + "…"


def format_counts(counts: list[ObjectiveCount], pays_money: bool) -> str:
    """The counts as a terminal table; « valeur cible » in a scheme that pays, « objectif » otherwise."""
    header = ["indicateur", "cible atteinte" if pays_money else "objectif atteint", "non atteint", "non évalué"]
    rows = [header] + [[c.shown or c.indicator, str(c.met), str(c.not_met), str(c.not_evaluated)] for c in counts]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(x.ljust(widths[j]) if j == 0 else x.rjust(widths[j]) for j, x in enumerate(r)))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
