"""Realistic synthetic IFAQ 2024 datasets.

One row per (establishment, field of activity).  ``generate(rows, seed)`` builds
exactly ``rows`` rows with a numpy ``Generator`` seeded by ``seed``: the same
seed always gives the same frame.  Everything is vectorised (no Python loop per
row): 10 million rows take a few seconds.

Columns (in this order) and how they are drawn
----------------------------------------------
``finess``
    9-character FINESS number: 2-digit department (01..95, 20 skipped since
    Corsica uses 2A/2B) followed by a 7-digit serial.  The serial is
    ``(i * 2718281 + 17) mod 10**7`` for the i-th establishment, a bijection (the
    multiplier is prime to 10), so numbers look scattered but never collide.
``field``
    MCO, SSR, HAD, DIA or PSY.  An establishment has 1, 2 or 3 fields
    (probabilities 55 / 30 / 15 %), drawn without replacement with weights
    MCO 40, SSR 20, PSY 18, HAD 12, DIA 10 (Efraimidis-Spirakis keys
    ``u ** (1 / w)``).  The last establishment may be cut short so that the
    frame has exactly ``rows`` rows.
Size variables (log-normal, only on the rows of the field that uses them)
    - MCO ``stays``: median 6 000, log-sd 1.6, clipped to 1..250 000;
      ``activity_groups_80``: median 35 at the median size, elasticity 0.35 to
      stays, log-sd 0.55, clipped to 1..300 (small specialised clinics have few
      activity groups, big university hospitals many).
    - SSR ``stays``: median 800, log-sd 1.0; ``nosological_groups_80``: median
      20 at the median size, elasticity 0.3, log-sd 0.45, clipped to 1..80.
    - HAD ``stays``: median 400, log-sd 1.0.
    - DIA ``sessions``: median 7 000, log-sd 0.8.
    - PSY ``active_file``: median 3 500, log-sd 0.9 (about 12 % at 10 000 or
      more); ``sectorised`` with probability 65 %, ``full_time_care`` 60 %.
    Every comparison-group boundary (stays 500 / 20 000 / 730, activity groups
    15 / 35, nosological groups 20, sessions 7 970, active file 4 000 / 10 000)
    gets 2 % of the rows of its field placed exactly on it and 0.5 % placed
    one unit below it, so that ``<`` versus ``<=`` mistakes show up.  With
    these parameters all 17 comparison groups (HAD, MCO-1..5, DIA-1..2,
    SSR-1..4, PSY-1..5) are populated from a couple of thousand rows on.
``economic_volume``
    Euros, 2 decimals (the float nearest to a whole number of cents), roughly
    proportional to size: MCO 2 500 EUR per stay, SSR 8 000, HAD 6 000, DIA 300
    per session, PSY 2 500 per patient of the active file, times a log-normal
    factor (log-sd 0.3), clipped to 50 000 .. 500 000 000 EUR.
Indicators ``num1`` and ``num2`` (not on PSY rows, which are null)
    Denominator: log-normal, median 60, log-sd 0.9, clipped to 1..3 000; set to
    0 (numerator 0: indicator not computable) on 0.3 % of the rows.
    Numerator: 3 % of rows at 0 %, 4 % at 100 %, 2 % at exactly 50 % (the
    denominator is made even), the others denominator * p randomly rounded
    down or up, with p drawn
    from Beta(3, 4) for num1 (mean 43 %) and Beta(2.5, 3.5) for num2 (mean 42 %),
    so most results lie between 10 % and 80 % and small denominators add more
    0 % and 100 %.
``num1_previous``, ``num2_previous``
    Last campaign's result in percent, 2 decimals: the current result (or a
    Beta draw when the current one is not computable) plus a normal move of
    sd 4 points, clipped to 0..100; 12 % of them are exactly the current
    result rounded to 2 decimals (so exactly equal when the result has at most
    2 decimals: 0, 50, 100, 25 ...); null 10 % of the time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

FIELDS = ("MCO", "SSR", "HAD", "DIA", "PSY")
MCO, SSR, HAD, DIA, PSY = range(5)
FIELD_WEIGHTS = np.array([40, 20, 12, 10, 18], dtype=np.float64)
FIELDS_PER_ESTABLISHMENT_P = np.array([0.55, 0.30, 0.15])  # 1, 2 or 3 fields

COLUMNS = (
    "finess", "field", "stays", "activity_groups_80", "nosological_groups_80",
    "sessions", "active_file", "sectorised", "full_time_care", "economic_volume",
    "num1_numerator", "num1_denominator", "num2_numerator", "num2_denominator",
    "num1_previous", "num2_previous",
)

ON_BOUNDARY = 0.02      # share of a field's rows placed exactly on each boundary
BELOW_BOUNDARY = 0.005  # share placed one unit below it


def _lognormal_int(rng, n, median, sigma, low, high, centre=None):
    """Rounded log-normal integers clipped to [low, high]; ``centre`` shifts the log-mean per row."""
    log = np.log(median) + sigma * rng.standard_normal(n)
    if centre is not None:
        log += centre
    return np.clip(np.rint(np.exp(log)), low, high).astype(np.int64)


def _snap_to_boundaries(rng, values, boundaries):
    """Put ON_BOUNDARY of the values exactly on each boundary, BELOW_BOUNDARY one unit below it."""
    n = len(values)
    u = rng.random(n)
    start = 0.0
    for b in boundaries:
        values[(u >= start) & (u < start + ON_BOUNDARY)] = b
        start += ON_BOUNDARY
        values[(u >= start) & (u < start + BELOW_BOUNDARY)] = b - 1
        start += BELOW_BOUNDARY
    return values


def _establishments(rng, rows):
    """Per row: establishment index and field code; rows of one establishment are contiguous."""
    # Draw a few more establishments than needed, then cut at exactly `rows` rows.
    n_est = int(rows / 1.6 * 1.1) + 16
    counts = rng.choice(3, size=n_est, p=FIELDS_PER_ESTABLISHMENT_P) + 1
    ends = np.cumsum(counts)
    n_used = int(np.searchsorted(ends, rows)) + 1
    counts = counts[:n_used]
    counts[-1] -= ends[n_used - 1] - rows  # trim the last establishment
    # Weighted sampling without replacement: the 3 largest keys u ** (1 / w).
    keys = rng.random((n_used, len(FIELDS))) ** (1.0 / FIELD_WEIGHTS)
    order = np.argsort(-keys, axis=1)[:, :3]
    est = np.repeat(np.arange(n_used), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    position = np.arange(rows) - starts
    return n_used, est, order[est, position].astype(np.int8)


def _finess(rng, n_est, est):
    if n_est > 10**7:
        raise ValueError("more than 10 million establishments: FINESS serials would collide")
    department = rng.integers(1, 95, size=n_est)
    department[department >= 20] += 1  # skip 20 (Corsica is 2A / 2B)
    serial = (np.arange(n_est, dtype=np.int64) * 2_718_281 + 17) % 10**7
    number = department * 10**7 + serial
    return pl.Series("finess", number[est]).cast(pl.String).str.zfill(9)


def _indicator(rng, n, beta_a, beta_b):
    """Numerator, denominator and previous result (percent) of one indicator for n rows."""
    den = _lognormal_int(rng, n, 60, 0.9, 1, 3000)
    u = rng.random(n)
    zero, full, half = u < 0.03, (u >= 0.03) & (u < 0.07), (u >= 0.07) & (u < 0.09)
    den[half] += den[half] % 2
    p = rng.beta(beta_a, beta_b, size=n)
    # den * p rounded up or down at random (keeps the mean; binomial draws are 10x slower).
    num = np.floor(den * p + rng.random(n)).astype(np.int64)
    num[zero] = 0
    num[full] = den[full]
    num[half] = den[half] // 2
    not_computable = rng.random(n) < 0.003
    den[not_computable] = 0
    num[not_computable] = 0

    current = np.where(den > 0, 100.0 * num / np.maximum(den, 1), 100.0 * p)
    moved = np.clip(current + 4.0 * rng.standard_normal(n), 0.0, 100.0)
    equal = rng.random(n) < 0.12
    previous = np.where(equal, current, moved)
    # Whole cents then / 100: the float nearest to a 2-decimal number.
    previous = np.rint(previous * 100.0) / 100.0
    previous_null = rng.random(n) < 0.10
    return num, den, previous, previous_null


def generate(rows: int, seed: int) -> pl.DataFrame:
    """A synthetic IFAQ 2024 dataset of exactly ``rows`` rows (see the module docstring)."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    rng = np.random.default_rng(seed)
    n_est, est, field = _establishments(rng, rows)
    finess = _finess(rng, n_est, est)
    is_ = {code: field == code for code in range(len(FIELDS))}

    # Size variables are drawn for every row, then only kept on the right field.
    mco_stays = _snap_to_boundaries(rng, _lognormal_int(rng, rows, 6000, 1.6, 1, 250_000), (500, 20_000))
    mco_centre = 0.35 * (np.log(mco_stays) - np.log(6000))
    activity_groups = _snap_to_boundaries(rng, _lognormal_int(rng, rows, 35, 0.55, 1, 300, mco_centre), (15, 35))
    ssr_stays = _snap_to_boundaries(rng, _lognormal_int(rng, rows, 800, 1.0, 1, 60_000), (730,))
    ssr_centre = 0.3 * (np.log(ssr_stays) - np.log(800))
    nosological_groups = _snap_to_boundaries(rng, _lognormal_int(rng, rows, 20, 0.45, 1, 80, ssr_centre), (20,))
    had_stays = _lognormal_int(rng, rows, 400, 1.0, 1, 30_000)
    sessions = _snap_to_boundaries(rng, _lognormal_int(rng, rows, 7000, 0.8, 1, 200_000), (7970,))
    active_file = _snap_to_boundaries(rng, _lognormal_int(rng, rows, 3500, 0.9, 1, 150_000), (4000, 10_000))
    sectorised = rng.random(rows) < 0.65
    full_time_care = rng.random(rows) < 0.60

    stays = np.select([is_[MCO], is_[SSR], is_[HAD]], [mco_stays, ssr_stays, had_stays], 0)
    size = np.select(
        [is_[MCO], is_[SSR], is_[HAD], is_[DIA]],
        [mco_stays * 2500.0, ssr_stays * 8000.0, had_stays * 6000.0, sessions * 300.0],
        active_file * 2500.0,
    )
    euros = np.clip(size * np.exp(0.3 * rng.standard_normal(rows)), 50_000.0, 500_000_000.0)
    economic_volume = np.rint(euros * 100.0) / 100.0

    num1, den1, prev1, prev1_null = _indicator(rng, rows, 3.0, 4.0)
    num2, den2, prev2, prev2_null = _indicator(rng, rows, 2.5, 3.5)

    def column(values, valid, dtype):
        return pa.array(values, mask=~valid, type=dtype)

    psy, not_psy = is_[PSY], ~is_[PSY]
    with_stays = is_[MCO] | is_[SSR] | is_[HAD]
    field_names = pa.DictionaryArray.from_arrays(pa.array(field), pa.array(FIELDS)).cast(pa.large_string())
    table = pa.table({
        "finess": finess.to_arrow(),
        "field": field_names,
        "stays": column(stays, with_stays, pa.int64()),
        "activity_groups_80": column(activity_groups, is_[MCO], pa.int64()),
        "nosological_groups_80": column(nosological_groups, is_[SSR], pa.int64()),
        "sessions": column(sessions, is_[DIA], pa.int64()),
        "active_file": column(active_file, psy, pa.int64()),
        "sectorised": column(sectorised, psy, pa.bool_()),
        "full_time_care": column(full_time_care, psy, pa.bool_()),
        "economic_volume": pa.array(economic_volume, type=pa.float64()),
        "num1_numerator": column(num1, not_psy, pa.int64()),
        "num1_denominator": column(den1, not_psy, pa.int64()),
        "num1_previous": column(prev1, not_psy & ~prev1_null, pa.float64()),
        "num2_numerator": column(num2, not_psy, pa.int64()),
        "num2_denominator": column(den2, not_psy, pa.int64()),
        "num2_previous": column(prev2, not_psy & ~prev2_null, pa.float64()),
    })
    return pl.from_arrow(table)


def write(frame: pl.DataFrame, path) -> Path:
    """Write ``frame`` as Parquet (``.parquet``/``.pq``) or CSV (``.csv``), by the file extension."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        frame.write_parquet(path)
    elif suffix == ".csv":
        frame.write_csv(path)
    else:
        raise ValueError(f"unknown extension {suffix!r}: use .csv or .parquet")
    return path


def comparison_group() -> pl.Expr:
    """Polars expression giving the IFAQ 2024 comparison group label of a row (used by the checks)."""
    c = pl.col
    af_small = c("active_file") < 4000
    return (
        pl.when(c("field") == "HAD").then(pl.lit("HAD"))
        .when((c("field") == "MCO") & (c("stays") < 500)).then(pl.lit("MCO-5"))
        .when((c("field") == "MCO") & (c("activity_groups_80") < 15)).then(pl.lit("MCO-1"))
        .when((c("field") == "MCO") & (c("activity_groups_80") < 35)).then(pl.lit("MCO-2"))
        .when((c("field") == "MCO") & (c("stays") < 20000)).then(pl.lit("MCO-3"))
        .when(c("field") == "MCO").then(pl.lit("MCO-4"))
        .when((c("field") == "DIA") & (c("sessions") < 7970)).then(pl.lit("DIA-1"))
        .when(c("field") == "DIA").then(pl.lit("DIA-2"))
        .when((c("field") == "SSR") & (c("stays") < 730) & (c("nosological_groups_80") < 20)).then(pl.lit("SSR-1"))
        .when((c("field") == "SSR") & (c("nosological_groups_80") < 20)).then(pl.lit("SSR-2"))
        .when((c("field") == "SSR") & (c("stays") < 730)).then(pl.lit("SSR-3"))
        .when(c("field") == "SSR").then(pl.lit("SSR-4"))
        .when((c("field") == "PSY") & (c("active_file") >= 10000)).then(pl.lit("PSY-1"))
        .when((c("field") == "PSY") & ~af_small).then(pl.lit("PSY-2"))
        .when((c("field") == "PSY") & c("sectorised")).then(pl.lit("PSY-3"))
        .when((c("field") == "PSY") & c("full_time_care")).then(pl.lit("PSY-4"))
        .when(c("field") == "PSY").then(pl.lit("PSY-5"))
        .alias("group")
    )


if __name__ == "__main__":  # quick self-check: python -m qualispec.runtime.data.example_data
    import time

    frame = generate(2000, 1)
    print(frame.head())
    counts = frame.group_by(comparison_group()).len().sort("group")
    print(counts)
    assert counts.height == 17 and counts["group"].null_count() == 0
    for rows in (1_000_000, 10_000_000):
        start = time.perf_counter()
        big = generate(rows, 1)
        print(f"{rows:>10,} rows generated in {time.perf_counter() - start:.2f} s")
