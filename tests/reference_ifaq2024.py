"""Independent, exact, plain-Python implementation of the IFAQ 2024 rules.

It is the yardstick the tests hold the real engine (and the benchmark
baselines) to.  Pure Python and ``fractions.Fraction``: no polars, no numpy,
no floating point in the arithmetic.  Written to be read side by side with the
rules, not to be fast (a few thousand rows is its intended size).

Input rows are dicts with the dataset columns of ``qualispec.runtime.data.example_data``
(None for nulls).  Float inputs (``economic_volume``, ``num*_previous``) are
decimal figures with 2 decimals stored as floats; they are read as the decimal
number they print as (``Fraction(repr(x))``: 33.33 means 3333/100, not the
binary float nearest to it).  This is also what a float engine sees: comparing
``100 * n / d`` with a float previous result in double precision gives the same
sign as the exact decimal comparison (both sides are correctly rounded
images of the same rational when the two are equal).
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from math import floor

INDICATORS = ("num1", "num2")
DIGITAL_FIELDS = ("MCO", "SSR", "HAD", "DIA")

TARGET = Fraction(50)                 # percent, both indicators
THRESHOLD_QUANTILE = Fraction(3, 10)  # 'lower' 30th percentile
WEIGHT = {"num1": Fraction(1, 4), "num2": Fraction(3, 4)}
EVOLUTION_PAID = {"num1": False, "num2": True}
EVOLUTION_STABILITY_BAND = Fraction(0)  # points
COMPARISON_PRECISION = Fraction(1, 100)  # points: result and previous compared at 2 decimals, half up
EVOLUTION_BELOW_THRESHOLD_PAID = False  # at or below the threshold: nothing, evolution included

ENVELOPE_CENTS = 700_000_000 * 100
DIGITAL_SHARE = {
    "MCO": Fraction(17, 100),
    "SSR": Fraction(17, 100),
    "HAD": Fraction(17, 100),
    "DIA": Fraction(50, 100),
    "PSY": Fraction(0),
}


def exact(value):
    """Exact Fraction of a dataset number (None stays None); floats read as their decimal repr."""
    if value is None:
        return None
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def comparison_group(row: dict) -> str:
    """Comparison group label of a row (one field of one establishment)."""
    field = row["field"]
    if field == "HAD":
        return "HAD"
    if field == "MCO":
        stays, groups = row["stays"], row["activity_groups_80"]
        if stays < 500:
            return "MCO-5"
        if groups < 15:
            return "MCO-1"
        if groups < 35:
            return "MCO-2"
        return "MCO-3" if stays < 20000 else "MCO-4"
    if field == "DIA":
        return "DIA-1" if row["sessions"] < 7970 else "DIA-2"
    if field == "SSR":
        small = row["stays"] < 730
        few_groups = row["nosological_groups_80"] < 20
        if few_groups:
            return "SSR-1" if small else "SSR-2"
        return "SSR-3" if small else "SSR-4"
    if field == "PSY":
        active_file = row["active_file"]
        if active_file >= 10000:
            return "PSY-1"
        if active_file >= 4000:
            return "PSY-2"
        if row["sectorised"]:
            return "PSY-3"
        return "PSY-4" if row["full_time_care"] else "PSY-5"
    raise ValueError(f"unknown field {field!r}")


def lower_quantile(values: list, q: Fraction):
    """'lower' quantile: sorted x_0..x_{n-1}, index floor(q * (n - 1)) computed exactly."""
    if not values:
        return None
    ordered = sorted(values)
    k = floor(q * (len(ordered) - 1))
    return ordered[k]


def indicator_result(row: dict, indicator: str):
    """Result in percent, or None when not computable (PSY row, null or zero denominator)."""
    if row["field"] not in DIGITAL_FIELDS:
        return None
    numerator = row[f"{indicator}_numerator"]
    denominator = row[f"{indicator}_denominator"]
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Fraction(100 * numerator, denominator)


def level(result, threshold, target=TARGET):
    """Achievement level, 0..100."""
    if result is None:
        return None
    # Checked first: when threshold >= target a result reaching the target still gets 100.
    if result >= target:
        return Fraction(100)
    if result <= threshold:
        return Fraction(0)
    return 100 * (result - threshold) / (target - threshold)


def evolution(result, previous):
    """Evolution score, 0 / 50 / 100, from the change in points since last campaign."""
    if result is None or previous is None:
        return None
    delta = published(result) - published(previous)
    if delta > EVOLUTION_STABILITY_BAND:
        return Fraction(100)
    if delta < -EVOLUTION_STABILITY_BAND:
        return Fraction(0)
    return Fraction(50)


def published(value):
    """``value`` (in points) rounded to COMPARISON_PRECISION, half up: 47,605 → 47,61."""
    return floor(value / COMPARISON_PRECISION + Fraction(1, 2)) * COMPARISON_PRECISION


def score(result, threshold, level_value, evolution_value):
    if result is None:
        return Fraction(0)
    # « supérieur à la valeur cible » (webinaire 2022): strictly above pays 100 % whatever the evolution;
    # exactly on the target, the level (100) and the evolution are weighted as below the target.
    if result > TARGET:
        return Fraction(100)
    if result <= threshold and not EVOLUTION_BELOW_THRESHOLD_PAID:
        return Fraction(0)
    if evolution_value is not None:
        return Fraction(1, 2) * level_value + Fraction(1, 2) * evolution_value
    return level_value


def evaluate_reference(rows: list[dict]) -> list[dict]:
    """Evaluate IFAQ 2024 on ``rows``; one result dict per input row, in input order."""
    out = []
    for row in rows:
        out.append({
            "finess": row["finess"],
            "field": row["field"],
            "group": comparison_group(row),
            "_volume": exact(row["economic_volume"]),
        })

    # 1. Results, then thresholds per (indicator, group).
    for row, res in zip(rows, out):
        for ind in INDICATORS:
            res[f"{ind}_result"] = indicator_result(row, ind)
    thresholds = {}
    groups = sorted({res["group"] for res in out})
    for ind in INDICATORS:
        for group in groups:
            computable = [res[f"{ind}_result"] for res in out
                          if res["group"] == group and res[f"{ind}_result"] is not None]
            thresholds[ind, group] = lower_quantile(computable, THRESHOLD_QUANTILE)

    # 2. Level, evolution, score per cell (row, indicator).
    for row, res in zip(rows, out):
        digital = res["field"] in DIGITAL_FIELDS
        for ind in INDICATORS:
            result = res[f"{ind}_result"]
            threshold = thresholds[ind, res["group"]] if result is not None else None
            level_value = level(result, threshold)
            evolution_value = None
            if EVOLUTION_PAID[ind]:
                evolution_value = evolution(result, exact(row[f"{ind}_previous"]))
            res[f"{ind}_threshold"] = threshold
            res[f"{ind}_target"] = TARGET if digital else None
            res[f"{ind}_level"] = level_value
            res[f"{ind}_evolution"] = evolution_value
            res[f"{ind}_score"] = score(result, threshold, level_value, evolution_value) if digital else None
            # the pair's share of the field's IFAQ weighting is part of each indicator's weight
            res[f"{ind}_weight"] = WEIGHT[ind] * DIGITAL_SHARE[res["field"]] if digital else None

    # 3. Money: group envelopes, exact payouts, largest-remainder rounding to cents.
    volume_all = sum(res["_volume"] for res in out)
    volume_group = defaultdict(Fraction)
    for res in out:
        volume_group[res["group"]] += res["_volume"]
    envelope = {}
    for res in out:
        group = res["group"]
        if group not in envelope:
            # round() of a Fraction rounds half to even.
            envelope[group] = round(ENVELOPE_CENTS * volume_group[group] / volume_all)
        res["group_envelope_cents"] = envelope[group]

    cells = defaultdict(list)  # group -> [(exact payout, tie-break key, result dict, indicator)]
    for res in out:
        group = res["group"]
        for ind_order, ind in enumerate(INDICATORS):
            if res[f"{ind}_score"] is None:  # PSY: no digital indicator, nothing paid
                exact_payout = Fraction(0)
            else:
                exact_payout = (envelope[group] * res["_volume"] / volume_group[group]
                                * res[f"{ind}_weight"] * res[f"{ind}_score"] / 100)
            cells[group].append((exact_payout, (res["finess"], res["field"], ind_order), res, ind))

    for group, group_cells in cells.items():
        distributed = round(sum(p for p, _, _, _ in group_cells))
        floors = [floor(p) for p, _, _, _ in group_cells]
        leftover = distributed - sum(floors)
        # Largest fractional part first; ties by (finess, field, indicator order) ascending.
        order = sorted(range(len(group_cells)),
                       key=lambda i: (-(group_cells[i][0] - floors[i]), group_cells[i][1]))
        extra = set(order[:leftover])
        for i, (_, _, res, ind) in enumerate(group_cells):
            res[f"{ind}_payout_cents"] = floors[i] + (1 if i in extra else 0)

    for res in out:
        res["total_payout_cents"] = sum(res[f"{ind}_payout_cents"] for ind in INDICATORS)
        del res["_volume"]
    return out


def summarise_groups(result_rows: list[dict]) -> list[dict]:
    """Per comparison group: establishments (rows), envelope, paid cents and share paid."""
    summary = {}
    for res in result_rows:
        entry = summary.setdefault(res["group"], {
            "group": res["group"],
            "establishments": 0,
            "envelope_cents": res["group_envelope_cents"],
            "paid_cents": 0,
        })
        entry["establishments"] += 1
        entry["paid_cents"] += res["total_payout_cents"]
    for entry in summary.values():
        envelope = entry["envelope_cents"]
        entry["share_paid"] = Fraction(entry["paid_cents"], envelope) if envelope else None
    return [summary[group] for group in sorted(summary)]


if __name__ == "__main__":  # quick look: python tests/reference_ifaq2024.py
    from qualispec.runtime.data.example_data import generate

    summary = summarise_groups(evaluate_reference(generate(3000, 7).to_dicts()))
    for entry in summary:
        share = entry["share_paid"]
        print(f"{entry['group']:6} {entry['establishments']:5} {entry['envelope_cents']:>14,} "
              f"{entry['paid_cents']:>14,} {float(share) if share is not None else '-':>8}")
