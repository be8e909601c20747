"""Record-level example data: the stays and correspondents behind an IFAQ 2024 example dataset.

``write_records(frame, seed, folder)`` writes ``closed_stays.parquet`` and
``correspondents.parquet`` whose counts, per establishment and field, are exactly the
frame's Num.1 and Num.2 numerators and denominators (``qualispec eval … --records``
gives the same results as the establishment dataset). Per row:

- closed stays: the Num.1 denominator's stays of patients with a DMP, in scope, of which
  the numerator's first ones had a CME document published; plus stays outside the count,
  drawn per row: patients without a DMP (about 2,3 %, as the guide says of the territory)
  and stays removed from the scope (about 1 %), published or not at random; patients make
  1 to 4 stays each (mean about 1,3);
- correspondents: the Num.2 denominator's MSS-equipped correspondents concerned by a stay,
  of which the numerator's first ones received a document; plus correspondents without an
  MSS (about 25 % more), who never count.

Rows are written in batches (a Parquet row group per batch), so that 50 million stays are
generated in bounded memory. Everything is vectorised with numpy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

BATCH_ROWS = 20_000  # establishment rows per batch
COMPUTED = ("num1_numerator", "num1_denominator", "num2_numerator", "num2_denominator")


def write_records(frame: pl.DataFrame, seed: int, folder: str | Path) -> dict[str, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"closed_stays": folder / "closed_stays.parquet", "correspondents": folder / "correspondents.parquet"}
    rng = np.random.default_rng(seed)
    writers: dict[str, pq.ParquetWriter] = {}
    try:
        for start in range(0, frame.height, BATCH_ROWS):
            batch = frame.slice(start, BATCH_ROWS)
            for name, table in (("closed_stays", _stays(rng, batch, start)),
                                ("correspondents", _correspondents(rng, batch, start))):
                if name not in writers:
                    writers[name] = pq.ParquetWriter(paths[name], table.schema)
                writers[name].write_table(table)
    finally:
        for writer in writers.values():
            writer.close()
    return paths


def establishments_without_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """The establishment dataset to give beside the records: the counts are computed from them."""
    return frame.drop(list(COMPUTED))


def _rows_of(batch: pl.DataFrame, per_row: np.ndarray):
    index = np.repeat(np.arange(batch.height), per_row)
    return (batch["finess"].gather(index).to_arrow(), batch["field"].cast(pl.String).gather(index).to_arrow(), index)


def _first_k(per_row: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Within each row's block of per_row records, True on the first k."""
    starts = np.repeat(np.cumsum(per_row) - per_row, per_row)
    return (np.arange(per_row.sum()) - starts) < np.repeat(k, per_row)


def _stays(rng, batch: pl.DataFrame, offset: int) -> pa.Table:
    counted = batch["num1_denominator"].fill_null(0).to_numpy()
    fed = batch["num1_numerator"].fill_null(0).to_numpy()
    no_dmp = rng.binomial(counted, 0.023 / 0.977)
    out_of_scope = rng.binomial(counted, 0.01)
    per_row = counted + no_dmp + out_of_scope
    finess, field, index = _rows_of(batch, per_row)
    n = int(per_row.sum())
    in_count = _first_k(per_row, counted)
    with_dmp_extra = _first_k(per_row, counted + out_of_scope) & ~in_count
    has_dmp = in_count | with_dmp_extra
    excluded = with_dmp_extra
    dmp_fed = np.where(in_count, _first_k(per_row, fed), rng.random(n) < 0.4)
    patients = np.maximum(1, np.round(per_row / 1.3)).astype(np.int64)
    patient = rng.integers(0, np.repeat(patients, per_row)) if n else np.zeros(0, np.int64)
    patient_id = pl.select(pl.format("P{}-{}", pl.Series(index + offset), pl.Series(patient))).to_series().to_arrow()
    return pa.table({"finess": finess, "field": field, "patient": patient_id,
                     "has_dmp": has_dmp, "excluded": excluded, "dmp_fed": dmp_fed})


def _correspondents(rng, batch: pl.DataFrame, offset: int) -> pa.Table:
    equipped = batch["num2_denominator"].fill_null(0).to_numpy()
    sent = batch["num2_numerator"].fill_null(0).to_numpy()
    not_equipped = rng.binomial(equipped, 0.25)
    per_row = equipped + not_equipped
    finess, field, index = _rows_of(batch, per_row)
    n = int(per_row.sum())
    mss = _first_k(per_row, equipped)
    document_sent = np.where(mss, _first_k(per_row, sent), False)
    stay = pl.select(pl.format("S{}-{}", pl.Series(index + offset), pl.Series(rng.integers(0, 1_000_000, n))))
    return pa.table({"finess": finess, "field": field, "stay": stay.to_series().to_arrow(),
                     "mss_equipped": mss, "document_sent": document_sent})
