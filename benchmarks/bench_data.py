"""Generate and cache the benchmark datasets (Parquet) under benchmarks/data/ (git-ignored).

    from benchmarks.bench_data import dataset_path, load
    path = dataset_path("1M")          # generated on first use, reused afterwards
    frame = load("100k")               # polars DataFrame

Command line: ``python benchmarks/bench_data.py [10k 100k 1M 10M]`` (default: all).
A file is regenerated when missing; the name carries the size and the seed, so
changing either never reuses a stale file.  Files are written to a temporary
name and renamed, so an interrupted run leaves no half-written dataset behind.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import polars as pl

from qualispec.runtime.data.example_data import generate

DATA_DIR = Path(__file__).resolve().parent / "data"
SIZES = {"10k": 10_000, "50k": 50_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
SEED = 2024


def dataset_path(size: str | int, seed: int = SEED, data_dir: Path = DATA_DIR) -> Path:
    """Path of the cached Parquet dataset of that size (label like "1M" or a row count), creating it if needed."""
    rows = SIZES[size] if isinstance(size, str) else int(size)
    path = Path(data_dir) / f"ifaq2024_{rows}_rows_seed{seed}.parquet"
    if not path.exists():
        start = time.perf_counter()
        frame = generate(rows, seed)
        tmp = path.with_suffix(".parquet.tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(tmp)
        tmp.replace(path)
        print(f"generated {path.name} ({rows:,} rows) in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


def load(size: str | int, seed: int = SEED) -> pl.DataFrame:
    """The cached dataset as a polars DataFrame."""
    return pl.read_parquet(dataset_path(size, seed))


def scan(size: str | int, seed: int = SEED) -> pl.LazyFrame:
    """The cached dataset as a polars LazyFrame (reads lazily from Parquet)."""
    return pl.scan_parquet(dataset_path(size, seed))


def all_paths(sizes=tuple(SIZES), seed: int = SEED) -> dict[str, Path]:
    return {size: dataset_path(size, seed) for size in sizes}


if __name__ == "__main__":
    for label, path in all_paths(tuple(sys.argv[1:]) or tuple(SIZES)).items():
        print(f"{label:>5}: {path} ({path.stat().st_size / 1e6:.1f} MB)")
