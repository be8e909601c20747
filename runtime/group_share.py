"""The share of a group's envelope its establishments are paid, as the summary and the XLSX « groupes » sheet
show it: an exact decimal with one decimal, rounded half up from the exact cents (never a binary float such
as 8.800000000000001)."""

from __future__ import annotations

import polars as pl


def share_paid(paid: str = "paid", envelope: str = "envelope") -> pl.Expr:
    """paid / envelope in percent, to 0,1 % (half up), Decimal(38, 1); empty where the envelope is 0."""
    p, e = ((pl.col(c) * 100).cast(pl.Int128) for c in (paid, envelope))
    tenths = (p * 2000 + e) // (e * 2)  # round(1000 · p / e) half up, both in cents and not negative
    return (pl.when(e > 0).then(tenths).otherwise(None).cast(pl.Int128)
            .reinterpret(dtype=pl.Decimal(38, 1)).alias("share_paid"))
