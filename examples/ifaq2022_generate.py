"""Deterministic synthetic dataset for the IFAQ 2022 campaign (specs/ifaq/2022).

    python examples/ifaq2022_generate.py            # rewrites examples/ifaq2022.csv
    python examples/ifaq2022_generate.py --rows 600 --seed 3 --out /tmp/x.csv

One row per establishment (FINESS) and field, with the columns that
``qualispec inputs specs/ifaq/2022`` lists. The figures are invented (plausible orders
of magnitude only); some establishments sit exactly on group boundaries, some declare a
digital indicator "not applicable", some have no orthopaedic surgery or too few e-Satis
answers (empty cells), and PSY has no previous value (new in 2022).
Only the standard library: the same seed always gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

COLUMNS = [
    "finess", "field", "stays", "activity_groups_80", "nosological_groups_80", "sessions", "active_file",
    "sectorised", "full_time_care", "economic_volume",
    "d2_2_numerator", "d2_2_denominator", "d2_2_status", "d6_3_numerator", "d6_3_denominator", "d6_3_status",
    "certification_decision", "iso_ortho_ratio", "ete_ortho_ratio",
    "esatis_mco_48h_score", "esatis_mco_48h_previous", "esatis_mco_ca_score", "esatis_mco_ca_previous",
    "esatis_ssr_score", "esatis_ssr_previous", "pain_result", "pain_previous", "qls_score", "qls_previous",
    "qls_ca_score", "qls_ca_previous", "pcc_result", "pcc_previous", "care_plan_result", "care_plan_previous",
    "had_record_result", "had_record_previous", "had_pressure_ulcer_result", "had_pressure_ulcer_previous",
    "had_coordination_result", "had_coordination_previous", "psy_addiction_result", "psy_cardio_result",
    "psy_long_stay_rate", "economic_volume_2019",
]

FIELD_MIX = [("MCO",), ("MCO", "SSR"), ("MCO", "SSR", "HAD"), ("SSR",), ("HAD",), ("DIA",), ("PSY",),
             ("MCO", "PSY"), ("MCO", "DIA"), ("SSR", "PSY")]

# Values exactly on (or one below) a group boundary, cycled through.
MCO_STAYS = [499, 500, 19_999, 20_000]
MCO_GROUPS = [14, 15, 34, 35]
SSR_STAYS = [729, 730]
SSR_GROUPS = [19, 20]
DIA_SESSIONS = [7_969, 7_970]
PSY_FILE = [3_999, 4_000, 9_999, 10_000]


def _finess(i: int) -> str:
    return f"59{i:07d}"


def _score(rng: random.Random, mean: float, spread: float = 12.0) -> float:
    return round(min(100.0, max(0.0, rng.gauss(mean, spread))), 1)


def _maybe(rng: random.Random, p_missing: float, value):
    return "" if rng.random() < p_missing else value


def _digital(rng: random.Random, row: dict, prefix: str, mean_rate: float) -> None:
    applicable = rng.random() > 0.06
    row[f"{prefix}_status"] = "renseigne" if applicable else "non_applicable"
    if not applicable:
        return
    den = rng.choice([0] * 1 + list(range(20, 900, 7)))  # now and then a zero denominator
    rate = min(1.0, max(0.0, rng.gauss(mean_rate, 0.18)))
    row[f"{prefix}_denominator"] = den
    row[f"{prefix}_numerator"] = int(round(den * rate))


def generate(rows: int = 400, seed: int = 2022) -> list[dict]:
    rng = random.Random(seed)
    out: list[dict] = []
    i = 0
    while len(out) < rows:
        i += 1
        fields = rng.choice(FIELD_MIX)
        certification = rng.choices(["mention", "certifie", "sous_conditions", "non_certifie"], [1, 12, 4, 1])[0]
        for field in fields:
            if len(out) >= rows:
                break
            row = {c: "" for c in COLUMNS}
            row["finess"], row["field"] = _finess(i), field
            row["certification_decision"] = certification
            n = len(out)
            if field == "MCO":
                row["stays"] = MCO_STAYS[n % 4] if n % 5 == 0 else rng.randint(100, 60_000)
                row["activity_groups_80"] = MCO_GROUPS[(n // 5) % 4] if n % 5 == 0 else rng.randint(3, 80)
                volume = row["stays"] * rng.uniform(1_800, 3_200)
                ortho = rng.random() < 0.55
                row["iso_ortho_ratio"] = round(rng.lognormvariate(0, 0.35), 2) if ortho else ""
                row["ete_ortho_ratio"] = round(rng.lognormvariate(0, 0.35), 2) if ortho else ""
                row["esatis_mco_48h_score"] = _maybe(rng, 0.15, _score(rng, 73.7, 4))
                row["esatis_mco_48h_previous"] = _maybe(rng, 0.25, _score(rng, 73.0, 4))
                row["esatis_mco_ca_score"] = _maybe(rng, 0.3, _score(rng, 78.1, 4))
                row["esatis_mco_ca_previous"] = _maybe(rng, 0.35, _score(rng, 77.5, 4))
                row["qls_score"] = _maybe(rng, 0.05, _score(rng, 49, 18))
                row["qls_previous"] = _maybe(rng, 0.3, _score(rng, 45, 18))
                row["qls_ca_score"] = _maybe(rng, 0.3, _score(rng, 58, 18))
                row["qls_ca_previous"] = _maybe(rng, 0.4, _score(rng, 55, 18))
                row["pcc_result"] = _maybe(rng, 0.1, _score(rng, 70, 15))
                row["pcc_previous"] = _maybe(rng, 0.5, _score(rng, 68, 15))
            elif field == "SSR":
                row["stays"] = SSR_STAYS[n % 2] if n % 4 == 0 else rng.randint(100, 4_000)
                row["nosological_groups_80"] = SSR_GROUPS[(n // 4) % 2] if n % 4 == 0 else rng.randint(5, 40)
                volume = row["stays"] * rng.uniform(4_000, 9_000)
                row["esatis_ssr_score"] = _maybe(rng, 0.3, _score(rng, 73.7, 4))
                row["esatis_ssr_previous"] = _maybe(rng, 0.4, _score(rng, 73.0, 4))
                row["qls_score"] = _maybe(rng, 0.05, _score(rng, 52, 18))
                row["qls_previous"] = _maybe(rng, 0.3, _score(rng, 48, 18))
                row["care_plan_result"] = _maybe(rng, 0.05, _score(rng, 65, 15))
                row["care_plan_previous"] = _maybe(rng, 0.4, _score(rng, 62, 15))
            elif field == "HAD":
                volume = rng.uniform(300_000, 12_000_000)
                for name in ("had_record", "had_pressure_ulcer", "had_coordination"):
                    row[f"{name}_result"] = _maybe(rng, 0.05, _score(rng, 70, 15))
                    row[f"{name}_previous"] = _maybe(rng, 0.4, _score(rng, 66, 15))
            elif field == "DIA":
                row["sessions"] = DIA_SESSIONS[n % 2] if n % 3 == 0 else rng.randint(800, 30_000)
                volume = row["sessions"] * rng.uniform(250, 450)
            else:  # PSY
                row["active_file"] = PSY_FILE[n % 4] if n % 3 == 0 else rng.randint(300, 16_000)
                row["sectorised"] = "true" if rng.random() < 0.6 else "false"
                row["full_time_care"] = "true" if rng.random() < 0.7 else "false"
                volume = row["active_file"] * rng.uniform(2_000, 5_000)
                row["qls_score"] = _maybe(rng, 0.05, _score(rng, 45, 18))
                row["psy_addiction_result"] = _maybe(rng, 0.05, _score(rng, 55, 18))
                row["psy_cardio_result"] = _maybe(rng, 0.05, _score(rng, 50, 18))
                row["psy_long_stay_rate"] = _maybe(rng, 0.1, round(rng.uniform(0, 15), 1))
            if field != "DIA":  # pain: MCO, SSR, HAD, PSY; no previous value for PSY (new in 2022)
                row["pain_result"] = _maybe(rng, 0.05, _score(rng, 72, 15))
                row["pain_previous"] = "" if field == "PSY" else _maybe(rng, 0.4, _score(rng, 70, 15))
            row["economic_volume"] = round(volume, 2)
            row["economic_volume_2019"] = "" if field == "PSY" else round(volume * rng.uniform(0.85, 1.05), 2)
            _digital(rng, row, "d2_2", 0.25)
            _digital(rng, row, "d6_3", 0.45)
            out.append(row)
    return out


def write(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("ifaq2022.csv"))
    args = parser.parse_args()
    write(generate(args.rows, args.seed), args.out)
    print(f"{args.rows} rows written to {args.out}")


if __name__ == "__main__":
    main()
