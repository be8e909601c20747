"""CAQES 2017, 2022 and 2023: the order of the dataset's rows changes no written byte.

Several CAQES rules compare an establishment with the others: the dressings' reference is « la moyenne de
la catégorie d'établissement » of the amount per patient (webinaire « nouveau CAQES », pansements), the
heart-failure targeting compares the stays and the readmission rate with the median and the quartiles of
all establishments. In binary floating point such a mean depends on the order of its terms; the rules do
not. Each establishment's written line must be the same bytes whatever the row order, and the file
follows the order of the dataset.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest

import qualispec
from conftest import ROOT

CAMPAIGNS = {"2017": "caqes_2017.csv", "2022": "caqes_2022.csv", "2023": "caqes_2022.csv"}
ROWS = 240


def many_establishments(example: str, n: int = ROWS, seed: int = 7) -> pl.DataFrame:
    """The bundled example's establishments, repeated under new FINESS with their euros moved by up to ±10 %
    (to the cent) and their counts by up to 3: amounts whose floating-point sums depend on their order."""
    rng = random.Random(seed)
    frame = pl.read_csv(ROOT / "examples" / example, infer_schema_length=0)
    rows = frame.to_dicts()
    made = []
    for i in range(n):
        r = dict(rows[i % len(rows)], finess=f"{100000000 + i * 7919:09d}")
        for column, value in r.items():
            if column == "finess" or value is None or not value.replace(".", "", 1).isdigit():
                continue
            if "." in value and Decimal(value) > 100:
                r[column] = str((Decimal(value) * rng.randint(90, 110) / 100).quantize(Decimal("0.01")))
            elif "." not in value and int(value) > 10:
                r[column] = str(int(value) + rng.randint(0, 3))
        made.append(r)
    return pl.DataFrame(made, schema={c: pl.String for c in frame.columns})


def shuffled(frame: pl.DataFrame, seed: int) -> pl.DataFrame:
    return frame.sample(fraction=1.0, shuffle=True, seed=seed)


def float_means_depend_on_order(frame: pl.DataFrame, orders: list[pl.DataFrame]) -> bool:
    """The guard that this test can fail: the dressings' mean per category, summed as floats, is not the same
    number in every order, while the exact mean is."""
    def means(f: pl.DataFrame, exact: bool):
        out: dict[str, object] = {}
        for r in f.iter_rows(named=True):
            if r["dressing_patients"] in (None, "0"):
                continue
            if exact:
                v = Fraction(r["dressing_reimbursed"]) / Fraction(r["dressing_patients"])
            else:
                v = float(r["dressing_reimbursed"]) / float(r["dressing_patients"])
            out[r["es_category"]] = out.get(r["es_category"], 0) + v
        return out
    exact = [means(f, True) for f in [frame, *orders]]
    floats = [means(f, False) for f in [frame, *orders]]
    return all(e == exact[0] for e in exact) and any(f != floats[0] for f in floats)


def written_lines(engine, campaign, frame: pl.DataFrame, tmp_path, name: str) -> list[str]:
    data, out = tmp_path / f"{name}.csv", tmp_path / f"{name}.out.csv"
    frame.write_csv(data)
    campaign.evaluate(data, engine=engine.name, spark=engine.spark).write(out)
    return out.read_bytes().decode("utf-8").splitlines()


@pytest.mark.parametrize("year", sorted(CAMPAIGNS))
def test_shuffled_rows_write_the_same_bytes_for_every_establishment(engine, tmp_path, year):
    campaign = qualispec.load(ROOT / "specs" / "caqes" / year)
    frame = many_establishments(CAMPAIGNS[year])
    orders = [shuffled(frame, 3), frame.reverse()]
    if year != "2017":
        assert float_means_depend_on_order(frame, orders)
    straight = written_lines(engine, campaign, frame, tmp_path, "straight")
    by_finess = {line.split(",", 1)[0]: line for line in straight[1:]}
    assert len(by_finess) == ROWS
    for k, order in enumerate(orders):
        lines = written_lines(engine, campaign, order, tmp_path, f"order{k}")
        assert lines[0] == straight[0]                                    # the same header
        assert [line.split(",", 1)[0] for line in lines[1:]] == order["finess"].to_list()  # the data's order
        for line in lines[1:]:
            assert line == by_finess[line.split(",", 1)[0]]               # byte for byte


def test_a_parquet_file_holds_the_same_exact_values_whatever_the_row_order(tmp_path):
    campaign = qualispec.load(ROOT / "specs" / "caqes" / "2022")
    frame = many_establishments("caqes_2022.csv")
    written = []
    for k, f in enumerate([frame, shuffled(frame, 11)]):
        data, out = tmp_path / f"d{k}.csv", tmp_path / f"r{k}.parquet"
        f.write_csv(data)
        campaign.evaluate(data).write(out)
        written.append(pl.read_parquet(out).sort("finess"))
    straight, back = written
    assert straight.schema == back.schema and straight.equals(back)
    assert any(isinstance(t, pl.Decimal) for t in straight.schema.values())  # exact decimals, not floats
