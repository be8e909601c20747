"""Hand-written baselines of the IFAQ 2024 computation: idiomatic Polars and DuckDB SQL.

They are the yardsticks the qualispec engine is measured against, so they are
written to be fast, yet they compute exactly what tests/reference_ifaq2024.py
computes: comparison group, results, thresholds ('lower' 30th percentile per
group), levels, evolutions, scores, group envelopes and payouts in cents with
largest-remainder rounding (ties by finess, field, indicator order).

Numerics: results, levels, scores and payouts are float64.  The comparisons
that decide discrete outcomes are exact in float64 for these data (see the
reference module docstring); economic volumes are summed as whole cents
(Int64) so the group and total volumes are exact.  What remains inexact is the
cell payout p itself (relative error ~1e-16, i.e. ~1e-7 cent on the biggest
cells), which can only matter when two cells' fractional parts are closer than
that at the largest-remainder cut-off, or when a p or a group total is within
that distance of an integer or of a half: a rare 1-cent swap on very large data.

Quantile: polars ``quantile(0.3, interpolation="lower")`` takes index
floor(0.3 * (n - 1)) in float64, which equals the exact floor(3 * (n - 1) / 10)
for every n up to at least 2e7 (0.3 rounds so that 0.3 * m never lands below
an integer it should reach).  DuckDB ``quantile_disc(x, 0.3)`` is the SQL
inverse-CDF definition, index ceil(0.3 * n) - 1, which differs (n = 4: index 1
instead of 0).  Both baselines therefore take the element at the integer index
3 * (n - 1) // 10 of the sorted computable results themselves.
"""

from __future__ import annotations

import polars as pl

ENVELOPE_CENTS = 70_000_000_000  # 700 million euros
TARGET = 50.0
WEIGHTS = {"num1": 0.25, "num2": 0.75}
EVOLUTION_PAID = {"num1": False, "num2": True}
SHARE = {"MCO": 0.17, "SSR": 0.17, "HAD": 0.17, "DIA": 0.50, "PSY": 0.0}

OUTPUT_COLUMNS = [
    "finess", "field", "group",
    "num1_result", "num1_threshold", "num1_level", "num1_evolution", "num1_score", "num1_payout_cents",
    "num2_result", "num2_threshold", "num2_level", "num2_evolution", "num2_score", "num2_payout_cents",
    "total_payout_cents",
]


# --------------------------------------------------------------------------- polars

def _group_expr() -> pl.Expr:
    c = pl.col
    field = c("field")
    small_af = c("active_file") < 4000
    return (
        pl.when(field == "HAD").then(pl.lit("HAD"))
        .when(field == "MCO").then(
            pl.when(c("stays") < 500).then(pl.lit("MCO-5"))
            .when(c("activity_groups_80") < 15).then(pl.lit("MCO-1"))
            .when(c("activity_groups_80") < 35).then(pl.lit("MCO-2"))
            .when(c("stays") < 20000).then(pl.lit("MCO-3"))
            .otherwise(pl.lit("MCO-4")))
        .when(field == "DIA").then(
            pl.when(c("sessions") < 7970).then(pl.lit("DIA-1")).otherwise(pl.lit("DIA-2")))
        .when(field == "SSR").then(
            pl.when(c("nosological_groups_80") < 20)
            .then(pl.when(c("stays") < 730).then(pl.lit("SSR-1")).otherwise(pl.lit("SSR-2")))
            .otherwise(pl.when(c("stays") < 730).then(pl.lit("SSR-3")).otherwise(pl.lit("SSR-4"))))
        .when(field == "PSY").then(
            pl.when(c("active_file") >= 10000).then(pl.lit("PSY-1"))
            .when(~small_af).then(pl.lit("PSY-2"))
            .when(c("sectorised")).then(pl.lit("PSY-3"))
            .when(c("full_time_care")).then(pl.lit("PSY-4"))
            .otherwise(pl.lit("PSY-5")))
    )


def _indicator_exprs(ind: str) -> list[pl.Expr]:
    """Result, threshold, level, evolution, score of one indicator (needs columns group, digital)."""
    num, den = pl.col(f"{ind}_numerator"), pl.col(f"{ind}_denominator")
    result = pl.when(pl.col("digital") & (den > 0)).then((num * 100).cast(pl.Float64) / den)

    r = pl.col(f"{ind}_result")
    # k = floor(3 (n - 1) / 10) over the non-null results; count() is UInt32, so cast
    # before subtracting (0 - 1 would wrap around).  clip(0): empty group -> index 0 of
    # an all-null list -> null threshold.
    k = ((r.count().cast(pl.Int64) - 1) * 3 // 10).clip(0)
    threshold = pl.when(r.is_not_null()).then(r.sort(nulls_last=True).get(k).over("group"))

    t = pl.col(f"{ind}_threshold")
    level = (
        pl.when(r >= TARGET).then(100.0)   # first: also covers threshold >= target
        .when(r <= t).then(0.0)
        .otherwise(100.0 * (r - t) / (TARGET - t))
    )
    if EVOLUTION_PAID[ind]:
        # result and previous compared at 2 decimals, half up (comparison_precision, comparison_half_up)
        delta = (r * 100 + 0.5).floor() - (pl.col(f"{ind}_previous") * 100 + 0.5).floor()
        evolution = pl.when(delta > 0).then(100.0).when(delta < 0).then(0.0).when(delta == 0).then(50.0)
    else:
        evolution = pl.lit(None, dtype=pl.Float64)

    lv, ev = pl.col(f"{ind}_level"), pl.col(f"{ind}_evolution")
    score = (
        pl.when(~pl.col("digital")).then(None)
        .when(r.is_null()).then(0.0)
        .when(r > TARGET).then(100.0)      # « supérieur à la valeur cible »: strictly above
        .when(r <= t).then(0.0)            # at or below the threshold: nothing, evolution included
        .when(ev.is_not_null()).then(0.5 * lv + 0.5 * ev)
        .otherwise(lv)
    )
    return [result.alias(f"{ind}_result"), threshold.alias(f"{ind}_threshold"),
            level.alias(f"{ind}_level"), evolution.alias(f"{ind}_evolution"), score.alias(f"{ind}_score")]


def polars_baseline(frame: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    lf = frame.lazy()
    exprs = {ind: _indicator_exprs(ind) for ind in WEIGHTS}

    rows = (
        lf.with_row_index("row")
        .with_columns(
            _group_expr().alias("group"),
            (pl.col("field") != "PSY").alias("digital"),
            (pl.col("economic_volume") * 100).round().cast(pl.Int64).alias("volume"),
            pl.col("field").replace_strict(SHARE, return_dtype=pl.Float64).alias("share"),
        )
        # Each stage needs the previous one's columns (polars evaluates a with_columns in parallel).
        .with_columns(exprs["num1"][0], exprs["num2"][0])
        .with_columns(exprs["num1"][1], exprs["num2"][1])
        .with_columns(exprs["num1"][2], exprs["num1"][3], exprs["num2"][2], exprs["num2"][3])
        .with_columns(exprs["num1"][4], exprs["num2"][4])
        .with_columns(pl.col("volume").sum().over("group").alias("volume_group"))
        .with_columns(
            # Group envelope in cents, rounded half to even; then this row's share of it.
            (ENVELOPE_CENTS * pl.col("volume_group").cast(pl.Float64)
             / pl.col("volume").sum()).round(0, mode="half_to_even").alias("envelope"),
        )
        .with_columns(
            (pl.col("envelope") * pl.col("volume") / pl.col("volume_group")
             * WEIGHTS[ind] * pl.col("share") * pl.col(f"{ind}_score").fill_null(0.0) / 100.0).alias(f"{ind}_exact")
            for ind in WEIGHTS
        )
    )

    # Materialise once: both the remainder step and the output read these columns.
    rows = rows.collect().lazy()

    # Largest remainder over the cells (row, indicator) of each group.
    cells = pl.concat([
        rows.select("row", "group", "finess", pl.lit(i, pl.Int8).alias("ind"), pl.col(f"{ind}_exact").alias("p"))
        for i, ind in enumerate(WEIGHTS)
    ])
    cells = (
        cells.with_columns(pl.col("p").floor().alias("base"))
        .with_columns((pl.col("p") - pl.col("base")).alias("frac"))
        .with_columns(
            (pl.col("p").sum().round(0, mode="half_to_even") - pl.col("base").sum())
            .over("group").cast(pl.Int64).alias("leftover"),
        )
        # Only cells with a fractional part can win a leftover cent (leftover <= their count).
        .filter(pl.col("frac") > 0)
        .collect()
        .lazy()
    )
    # Instead of sorting every cell by (fraction desc, finess, indicator), find the
    # leftover-th largest fraction of each group (top_k is a selection, not a sort):
    # cells above it win a cent; among cells exactly at it (ties, rare), the first
    # ones by (finess, indicator) take the cents still to give.
    cutoff = cells.group_by("group").agg(
        pl.col("frac").top_k(pl.col("leftover").first()).min().alias("cutoff"),  # null if leftover 0
    )
    cells = (
        cells.join(cutoff, on="group", how="left")
        .with_columns((pl.col("frac") > pl.col("cutoff")).fill_null(False).alias("above"))
        .with_columns(pl.col("above").sum().over("group").alias("n_above"))
        .filter(pl.col("frac") >= pl.col("cutoff"))  # winners and ties only
        .select("row", "group", "finess", "ind", "frac", "cutoff", "above", "leftover", "n_above")
        .collect()
    )
    above = cells.filter(pl.col("above"))
    tied = (
        cells.filter(~pl.col("above"))  # frac == cutoff
        .sort(["group", "finess", "ind"])
        .filter(pl.int_range(pl.len()).over("group") < pl.col("leftover") - pl.col("n_above"))
    )
    extra = pl.concat([above.select("row", "ind"), tied.select("row", "ind")])  # one row per extra cent

    out = rows.with_columns(
        (pl.col(f"{ind}_exact").floor().cast(pl.Int64)
         + pl.col("row").is_in(extra.filter(pl.col("ind") == i)["row"].implode()).cast(pl.Int64)
         ).alias(f"{ind}_payout_cents")
        for i, ind in enumerate(WEIGHTS)
    ).with_columns((pl.col("num1_payout_cents") + pl.col("num2_payout_cents")).alias("total_payout_cents"))
    return out.select(OUTPUT_COLUMNS).collect()


# --------------------------------------------------------------------------- duckdb

DUCKDB_SQL = """
WITH base AS (
    SELECT
        row_number() OVER () AS row_id,
        finess, field,
        CASE
            WHEN field = 'HAD' THEN 'HAD'
            WHEN field = 'MCO' THEN CASE
                WHEN stays < 500 THEN 'MCO-5'
                WHEN activity_groups_80 < 15 THEN 'MCO-1'
                WHEN activity_groups_80 < 35 THEN 'MCO-2'
                WHEN stays < 20000 THEN 'MCO-3'
                ELSE 'MCO-4' END
            WHEN field = 'DIA' THEN CASE WHEN sessions < 7970 THEN 'DIA-1' ELSE 'DIA-2' END
            WHEN field = 'SSR' THEN CASE
                WHEN stays < 730 AND nosological_groups_80 < 20 THEN 'SSR-1'
                WHEN nosological_groups_80 < 20 THEN 'SSR-2'
                WHEN stays < 730 THEN 'SSR-3'
                ELSE 'SSR-4' END
            WHEN field = 'PSY' THEN CASE
                WHEN active_file >= 10000 THEN 'PSY-1'
                WHEN active_file >= 4000 THEN 'PSY-2'
                WHEN sectorised THEN 'PSY-3'
                WHEN full_time_care THEN 'PSY-4'
                ELSE 'PSY-5' END
        END AS grp,
        field <> 'PSY' AS digital,
        CASE field WHEN 'DIA' THEN 0.50 WHEN 'PSY' THEN 0.0 ELSE 0.17 END::DOUBLE AS share,
        round(economic_volume * 100)::BIGINT AS volume,
        CASE WHEN field <> 'PSY' AND num1_denominator > 0
             THEN (num1_numerator * 100)::DOUBLE / num1_denominator END AS r1,
        CASE WHEN field <> 'PSY' AND num2_denominator > 0
             THEN (num2_numerator * 100)::DOUBLE / num2_denominator END AS r2,
        num2_previous AS prev2
    FROM {table}
),
-- Per group, in one pass: thresholds (element 3 * (n - 1) // 10, 0-based, of the sorted
-- computable results) and the group's economic volume.  A GROUP BY joined back to the
-- rows is cheaper here than PARTITION BY windows (17 groups, no per-row sort needed).
per_group AS (
    SELECT grp,
        list_sort(list(r1) FILTER (WHERE r1 IS NOT NULL))[3 * (count(r1) - 1) // 10 + 1] AS t1,
        list_sort(list(r2) FILTER (WHERE r2 IS NOT NULL))[3 * (count(r2) - 1) // 10 + 1] AS t2,
        sum(volume) AS volume_group
    FROM base GROUP BY grp
),
scored AS (
    SELECT b.*, g.t1, g.t2, g.volume_group,
        CASE WHEN r1 IS NOT NULL THEN
            CASE WHEN r1 >= 50 THEN 100.0 WHEN r1 <= t1 THEN 0.0 ELSE 100.0 * (r1 - t1) / (50 - t1) END
        END AS l1,
        CASE WHEN r2 IS NOT NULL THEN
            CASE WHEN r2 >= 50 THEN 100.0 WHEN r2 <= t2 THEN 0.0 ELSE 100.0 * (r2 - t2) / (50 - t2) END
        END AS l2,
        CASE WHEN floor(r2 * 100 + 0.5) > floor(prev2 * 100 + 0.5) THEN 100.0
             WHEN floor(r2 * 100 + 0.5) < floor(prev2 * 100 + 0.5) THEN 0.0
             WHEN r2 IS NOT NULL AND prev2 IS NOT NULL THEN 50.0 END AS e2,
        -- Group envelope in cents, rounded half to even.
        round_even({envelope} * g.volume_group::DOUBLE / (SELECT sum(volume_group) FROM per_group), 0)
            AS envelope
    FROM base b JOIN per_group g USING (grp)
),
scored2 AS (
    SELECT *,
        CASE WHEN NOT digital THEN NULL WHEN r1 IS NULL THEN 0.0 WHEN r1 >= 50 THEN 100.0 ELSE l1 END AS s1,
        CASE WHEN NOT digital THEN NULL WHEN r2 IS NULL THEN 0.0 WHEN r2 > 50 THEN 100.0
             WHEN r2 <= t2 THEN 0.0 WHEN e2 IS NOT NULL THEN 0.5 * l2 + 0.5 * e2 ELSE l2 END AS s2
    FROM scored
),
money AS (
    SELECT *, floor(p1) AS base1, p1 - floor(p1) AS frac1, floor(p2) AS base2, p2 - floor(p2) AS frac2
    FROM (SELECT *,
            envelope * volume / volume_group * 0.25 * share * coalesce(s1, 0) / 100 AS p1,
            envelope * volume / volume_group * 0.75 * share * coalesce(s2, 0) / 100 AS p2
          FROM scored2)
),
-- Largest remainder.  Rather than ranking every cell (row, indicator) of a group by
-- (fraction desc, finess, indicator), find the leftover-th largest fraction (cutoff):
-- cells above it get a cent, and only the few cells exactly at it are ranked by
-- (finess, indicator) for the cents still to give.
cut AS (
    SELECT grp, leftover, fracs[leftover] AS cutoff,
        list_position(fracs, fracs[leftover]) - 1 AS n_above  -- cells strictly above the cutoff
    FROM (
        SELECT grp,
            (round_even(sum(p1) + sum(p2), 0) - sum(base1) - sum(base2))::BIGINT AS leftover,
            list_sort(list(frac1) FILTER (WHERE frac1 > 0) || list(frac2) FILTER (WHERE frac2 > 0), 'DESC') AS fracs
        FROM money GROUP BY grp)
),
tie_winners AS (
    SELECT row_id, ind FROM (
        SELECT t.row_id, t.ind, c.leftover - c.n_above AS to_give,
            row_number() OVER (PARTITION BY t.grp ORDER BY t.finess, t.ind) AS tie_rank
        FROM (SELECT row_id, grp, finess, 0 AS ind, frac1 AS frac FROM money
              UNION ALL
              SELECT row_id, grp, finess, 1 AS ind, frac2 AS frac FROM money) t
        JOIN cut c ON t.grp = c.grp AND t.frac = c.cutoff)
    WHERE tie_rank <= to_give
)
SELECT m.finess, m.field, m.grp AS "group",
    r1 AS num1_result, CASE WHEN r1 IS NOT NULL THEN t1 END AS num1_threshold, l1 AS num1_level,
    NULL::DOUBLE AS num1_evolution, s1 AS num1_score, pay1 AS num1_payout_cents,
    r2 AS num2_result, CASE WHEN r2 IS NOT NULL THEN t2 END AS num2_threshold, l2 AS num2_level,
    e2 AS num2_evolution, s2 AS num2_score, pay2 AS num2_payout_cents,
    pay1 + pay2 AS total_payout_cents
FROM (
    SELECT m.*,
        base1::BIGINT + (coalesce(frac1 > c.cutoff, false) OR w1.row_id IS NOT NULL)::BIGINT AS pay1,
        base2::BIGINT + (coalesce(frac2 > c.cutoff, false) OR w2.row_id IS NOT NULL)::BIGINT AS pay2
    FROM money m
    JOIN cut c USING (grp)
    LEFT JOIN (SELECT row_id FROM tie_winners WHERE ind = 0) w1 ON m.row_id = w1.row_id
    LEFT JOIN (SELECT row_id FROM tie_winners WHERE ind = 1) w2 ON m.row_id = w2.row_id
) m
"""


def duckdb_baseline(con, table_name: str) -> pl.DataFrame:
    """Run the hand-written SQL on ``table_name`` (a table or view of the dataset in ``con``).

    Row order of the result is not guaranteed (no ORDER BY: it would cost ~10 %).
    """
    sql = DUCKDB_SQL.format(table=table_name, envelope=ENVELOPE_CENTS)
    return pl.from_arrow(con.sql(sql).to_arrow_table())


# --------------------------------------------------------------------------- self-check

def compare_with_reference(rows: int = 3000, seed: int = 7, duplicate: bool = False) -> dict:
    """Run both baselines and the exact reference on a generated dataset; count differing cells.

    ``duplicate=True`` adds a copy of every row under another FINESS ("X" + last 8
    characters): every payout then has a twin with the same fractional part, which
    exercises the tie rule of the largest remainder.
    """
    import sys
    from fractions import Fraction
    from pathlib import Path

    import duckdb

    from qualispec.runtime.data.example_data import generate

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from reference_ifaq2024 import evaluate_reference

    frame = generate(rows, seed)
    if duplicate:
        twin = frame.with_columns(("X" + pl.col("finess").str.slice(1)).alias("finess"))
        frame = pl.concat([frame, twin])
    reference = evaluate_reference(frame.to_dicts())
    con = duckdb.connect()
    con.register("ifaq", frame)
    outputs = {"polars": polars_baseline(frame), "duckdb": duckdb_baseline(con, "ifaq")}

    def close(a, b):  # exact Fraction vs float
        if a is None or b is None:
            return a is None and b is None
        return abs(Fraction(a) - Fraction(b)) <= Fraction(1, 10**9) * max(1, abs(Fraction(a)))

    report = {}
    for name, out in outputs.items():
        by_key = {(r["finess"], r["field"]): r for r in out.to_dicts()}
        differing = {}
        for ref in reference:
            got = by_key[ref["finess"], ref["field"]]
            for column in OUTPUT_COLUMNS[2:]:
                expected, actual = ref[column], got[column]
                same = expected == actual if column.endswith("cents") or column == "group" else close(expected, actual)
                if not same:
                    differing.setdefault(column, []).append((ref["finess"], ref["field"], expected, actual))
        report[name] = differing
        print(f"{name}: {len(out)} rows, differing cells per column:",
              {c: len(v) for c, v in differing.items()} or "none")
        for column, diffs in differing.items():
            print(f"  {column}: first differences {diffs[:3]}")
    return report


if __name__ == "__main__":  # python benchmarks/baselines.py
    compare_with_reference()
    print("with every row duplicated (ties in the largest remainder):")
    compare_with_reference(1500, 11, duplicate=True)
