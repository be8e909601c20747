"""Time the XLSX results writer against a hand-written baseline, in one run.

    python benchmarks/bench_xlsx.py RESULTS.parquet            # the results of an evaluation (eval --out r.parquet)
    python benchmarks/bench_xlsx.py RESULTS.parquet --rows 100000 --check 20000

Each writer runs in a fresh Python process (peak memory is its own) on the same results, with the French headers
and units of IFAQ 2024's columns:

- ``xlsxwriter``: the hand-written baseline, xlsxwriter's constant-memory mode fed one ``write_row`` per row (the
  writer qualispec had before: one Python call per cell);
- ``qualispec``: runtime/data/xlsx.py (the rows' XML made by Polars, a slice at a time).

Printed: wall and CPU (user + sys) seconds, peak memory, file size; then both files read back (fastexcel) and
compared cell for cell, and the number format and type of each cell of the first ``--check`` rows (openpyxl).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
import polars as pl
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.compiler.pipeline import compile_one
from qualispec.runtime.data.headers import french_headers
from qualispec.runtime.data import xlsx
from qualispec.runtime.plan import build_plan

which, source, out, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
frame = pl.read_parquet(source)
frame = frame.head(rows) if rows else frame
compiled = compile_one("specs/ifaq/2024", Diagnostics())
campaign = compiled.campaign
outputs = build_plan(compiled).outputs
headers = french_headers(campaign, outputs, frame.columns)
start, cpu = time.perf_counter(), time.process_time()
if which == "xlsxwriter":  # the baseline: one write_row per row, in constant memory
    import xlsxwriter
    formats_of = xlsx.NUMBER_FORMATS
    with xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False, "constant_memory": True}) as book:
        sheet = book.add_worksheet("résultats")
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        formats = {u: book.add_format({"num_format": f}) for u, f in formats_of.items()}
        for j, h in enumerate(headers):
            sheet.set_column(j, j, 12, formats.get(h.unit))
            sheet.write_string(0, j, h.title, bold)
        row = 1
        for part in frame.iter_slices(10_000):
            for values in part.iter_rows():
                sheet.write_row(row, 0, values)
                row += 1
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, max(frame.height, 1), frame.width - 1)
else:
    xlsx.write_xlsx(out, [("résultats", frame, headers, (1, 1))])
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(which: str, source: str, out: str, rows: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, which, source, out, str(rows)], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["size_mb"] = os.path.getsize(out) / 1e6
    return figures


def same_cells(a: str, b: str) -> str:
    import fastexcel

    left = fastexcel.read_excel(a).load_sheet(0).to_polars()
    right = fastexcel.read_excel(b).load_sheet(0).to_polars()
    if left.shape != right.shape or left.columns != right.columns:
        return f"DIFFÉRENTS : {left.shape} / {right.shape}"
    differ = [c for c in left.columns if not left.get_column(c).equals(right.get_column(c))]
    return "identiques" if not differ else f"DIFFÉRENTS dans {len(differ)} colonnes : {', '.join(differ[:5])}"


def same_formats(a: str, b: str, rows: int) -> str:
    import openpyxl

    def cells(path):
        book = openpyxl.load_workbook(path, read_only=True)
        sheet = book.worksheets[0]
        out = [[(c.value, c.number_format, c.data_type) for c in row] for row in sheet.iter_rows(max_row=rows + 1)]
        panes = openpyxl.load_workbook(path, read_only=False) if rows <= 2_000 else None
        book.close()
        return out, (panes.worksheets[0].freeze_panes, panes.worksheets[0].auto_filter.ref) if panes else None

    left, right = cells(a), cells(b)
    if left[0] != right[0]:
        bad = next(i for i, (x, y) in enumerate(zip(left[0], right[0])) if x != y)
        return f"DIFFÉRENTS à la ligne {bad + 1} : {left[0][bad][:6]} / {right[0][bad][:6]}"
    return f"identiques (valeur, format, type) sur {rows} lignes" + (f", volets et filtre {left[1]}" if left[1] else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--rows", type=int, default=0, help="only the first N rows (0: all)")
    parser.add_argument("--check", type=int, default=20_000, help="rows whose formats are compared (openpyxl)")
    args = parser.parse_args()
    print(f"charge de la machine : {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cœurs")
    with tempfile.TemporaryDirectory() as work:
        paths = {}
        for which in ("xlsxwriter", "qualispec"):
            paths[which] = str(Path(work) / f"{which}.xlsx")
            f = run(which, args.results, paths[which], args.rows)
            print(f"{which:<11} {f['wall']:7.1f} s mur  {f['cpu']:7.1f} s CPU  {f['peak_mb']:7.0f} Mo au plus  "
                  f"{f['size_mb']:6.1f} Mo de fichier", flush=True)
        print("cellules relues (fastexcel) :", same_cells(paths["xlsxwriter"], paths["qualispec"]))
        print("formats (openpyxl) :", same_formats(paths["xlsxwriter"], paths["qualispec"], args.check))


if __name__ == "__main__":
    main()
