"""A seeded fuzzer: damaged specs and datasets must get a message (exit 1) or work (exit 0), quickly.

Each case copies a shipped campaign (or a bundled dataset) into a temporary folder, damages it
in one way chosen by the seed, runs the command in-process and checks the promise of issue 11:
exit code 0 or 1, no traceback, no ``erreur interne`` (the message of a bug of ours), done within ``LIMIT_SECONDS``, and after a
refused dataset no output file; nothing is written outside the case's folder.

    python -m tests.fuzz --cases 5000            # both kinds, seed 0
    python -m tests.fuzz --kind data --cases 2000 --seed 7

A failure prints the case's seed, so ``--first SEED --cases 1`` replays it; keep it as a
regression test. The test suite runs a bounded number of cases (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
EXAMPLES = ROOT / "examples"
LIMIT_SECONDS = 30
DATASETS = {"ifaq/2024": "ifaq2024.csv", "caqes/2022": "caqes_2022.csv", "hopen/2022": "hopen.csv",
            "iqss/2022": "iqss_2022.csv", "ars-cpom": "ars_cpom.csv"}

TOKENS = ["{", "}", "(", ")", "[", "]", ":", ",", "=", ">=", "%", "€", "and", "or", "not", "if", "then", "else",
          "over", "group", "field", "missing", "\"", '"""', "->", "=>", "_", "0", "-", "*", "/", "let", "override",
          "drop", "carry", "extends", "indicator", "parameter", "stays", "quantile(", "decide (", "piecewise(",
          "\\", "\\x", "\\u20ac", "\\u0000", "\t", "\r", "\x00", "\ufeff", "\u200b", "é", "1" * 60, "9" * 4301,
          "1_000.5", "k€", "M€", "true", "false", "in [", "available(", "median(", " over all where (", "#"]
CELLS = ["", "-1", "abc", "1e309", "nan", "inf", "-inf", "0", "99999999999999999999", "1,5", "true", "  ", "NULL",
         "é", "12.5", "-0", "1_000", "1e300", "=SUM(1,2)", "../../../", "\x00", "590000017 ", "\u200b", "2A0000012",
         "x" * 5000, "\"quoted\nbreak\"", "banana", "0x10", "١٢٣", "1 000", "+5", ".5", "5.", "TRUE", "oui"]


@dataclass
class Outcome:
    seed: int
    kind: str
    how: str
    code: int
    seconds: float
    problem: str = ""  # empty: the promise held


def run_cli(*args) -> tuple[int, str, str]:
    from qualispec.runtime.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ specs
def mutate_text(text: str, rng: random.Random) -> tuple[str, str]:
    at = rng.randrange(max(1, len(text)))
    kind = rng.choice(["delete", "insert", "insert", "double", "drop-line", "token", "nest", "swap-lines", "truncate"])
    if kind == "delete":
        return text[:at] + text[at + 1:], f"delete at {at}"
    if kind == "insert":
        token = rng.choice(TOKENS)
        return text[:at] + token + text[at:], f"insert {token[:20]!r} at {at}"
    if kind == "double":
        return text[:at] + text[at:at + 1] + text[at:], f"double at {at}"
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    if kind == "drop-line":
        return "\n".join(lines[:i] + lines[i + 1:]), f"drop line {i + 1}"
    if kind == "swap-lines":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines), f"swap lines {i + 1} and {j + 1}"
    if kind == "truncate":
        return text[:at], f"truncate at {at}"
    if kind == "nest":
        depth = rng.choice([50, 99, 101, 1000])
        op = rng.choice(["not ", "-", "(", "if true then "])
        tail = {"(": ")" * depth, "if true then ": " else 0" * depth}.get(op, "")
        return text[:at] + op * depth + "1" + tail + text[at:], f"nest {op!r}×{depth} at {at}"
    words = text.split(" ")
    w = rng.randrange(len(words))
    words[w] = rng.choice(TOKENS)
    return " ".join(words), f"replace word {w} by {words[w][:20]!r}"


def spec_case(seed: int, work: Path) -> Outcome:
    rng = random.Random(seed)
    campaigns = sorted({p.parent for p in SPECS.rglob("*.spec")})
    folder = rng.choice(campaigns)
    scheme = folder.relative_to(SPECS).parts[0]
    shutil.copytree(SPECS / scheme, work / scheme)
    copy = work / folder.relative_to(SPECS)
    target = rng.choice(sorted(copy.glob("*.spec")))
    text = target.read_text(encoding="utf-8")
    for _ in range(rng.choice([1, 1, 1, 2, 5])):
        text, how = mutate_text(text, rng)
    encoding = rng.choice(["utf-8"] * 8 + ["latin-1", "utf-16", "bom"])
    data = ("\ufeff" + text).encode("utf-8") if encoding == "bom" else text.encode(encoding, errors="replace")
    target.write_bytes(data)
    how = f"{target.relative_to(work)}: {how}, {encoding}"
    command = rng.choice(["check", "check", "check", "inputs", "graph"])
    return _run(seed, "spec", how, work, [command, copy])


# ------------------------------------------------------------------ datasets
def data_case(seed: int, work: Path) -> Outcome:
    rng = random.Random(seed)
    campaign, example = rng.choice(sorted(DATASETS.items()))
    frame = pl.read_csv(EXAMPLES / example, infer_schema=False).head(rng.choice([1, 5, 60]))
    how = []
    for _ in range(rng.choice([0, 1, 1, 2, 4])):
        kind = rng.choice(["cell", "cell", "cell", "copy-cell", "copy-cell", "drop-column", "duplicate-row",
                           "header-only", "rename"])
        column = rng.choice(frame.columns)
        if kind == "cell" and frame.height:
            row, value = rng.randrange(frame.height), rng.choice(CELLS)
            frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value))
                                       .otherwise(pl.col(column)).alias(column))
            how.append(f"{column}[{row}] = {value[:20]!r}")
        elif kind == "copy-cell" and frame.height:  # another row's value: usually valid, sometimes not
            row, source = rng.randrange(frame.height), rng.randrange(frame.height)
            frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(frame[column][source]))
                                       .otherwise(pl.col(column)).alias(column))
            how.append(f"{column}[{row}] = {column}[{source}]")
        elif kind == "drop-column":
            frame = frame.drop(column)
            how.append(f"drop {column}")
        elif kind == "duplicate-row" and frame.height:
            frame = pl.concat([frame, frame.head(1)])
            how.append("duplicate row 1")
        elif kind == "header-only":
            frame = frame.head(0)
            how.append("header only")
        elif kind == "rename":
            frame = frame.rename({column: column + "_x"})
            how.append(f"rename {column}")
    form = rng.choice(["csv", "csv", "parquet", "parquet-typed"])
    data = work / ("d.parquet" if form.startswith("parquet") else "d.csv")
    if form == "csv":
        frame.write_csv(data)
    elif form == "parquet":
        frame.write_parquet(data)
    else:  # numbers as Parquet numbers (floats, unsigned, …), text where they do not parse
        dtype = rng.choice([pl.Float64, pl.Int64, pl.UInt64, pl.Float32])
        typed = frame.with_columns(pl.col(c).cast(dtype, strict=False) for c in frame.columns
                                   if c not in ("finess", "field") and frame[c].cast(dtype, strict=False).null_count()
                                   == frame[c].null_count())
        typed.write_parquet(data)
    out = work / rng.choice(["r.csv", "r.parquet", "r.xlsx"])
    return _run(seed, "data", f"{campaign} {form}: " + "; ".join(how), work,
                ["eval", SPECS / campaign, "--data", data, "--out", out, "--quiet"], out=out)


# ------------------------------------------------------------------ running
def _run(seed: int, kind: str, how: str, work: Path, args, out: Path | None = None) -> Outcome:
    before = set(_listing(work))
    started = time.perf_counter()
    try:
        code, _, err = run_cli(*args)
    except BaseException as error:  # noqa: BLE001 - the fuzzer reports whatever escapes
        code, err = -1, f"escaped: {type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    problem = ""
    if code not in (0, 1):
        problem = f"exit {code}"
    elif "Traceback" in err or "erreur interne" in err:
        problem = "traceback or internal error"
    elif seconds > LIMIT_SECONDS:
        problem = f"took {seconds:.0f} s"
    elif out is not None and code == 1 and out.exists():
        problem = "refused, yet an output file was written"
    new = set(_listing(work)) - before - ({out.name} if out is not None and code == 0 else set())
    if not problem and new:
        problem = f"unexpected files: {sorted(new)[:3]}"
    return Outcome(seed, kind, how, code, seconds, problem + (f"\n{err[-800:]}" if problem else ""))


def _listing(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*")]


def run_cases(kind: str, first: int, count: int) -> list[Outcome]:
    outcomes = []
    for seed in range(first, first + count):
        with tempfile.TemporaryDirectory(prefix="qualispec-fuzz-") as tmp:
            case = spec_case if kind == "spec" else data_case
            outcomes.append(case(seed, Path(tmp)))
    return outcomes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200, help="cases of each kind (default 200)")
    parser.add_argument("--first", type=int, default=0, help="seed of the first case (default 0)")
    parser.add_argument("--kind", choices=["spec", "data", "all"], default="all")
    args = parser.parse_args(argv)
    failures = 0
    for kind in (["spec", "data"] if args.kind == "all" else [args.kind]):
        started = time.perf_counter()
        outcomes = run_cases(kind, args.first, args.cases)
        bad = [o for o in outcomes if o.problem]
        failures += len(bad)
        codes = {c: sum(o.code == c for o in outcomes) for c in sorted({o.code for o in outcomes})}
        slowest = max(outcomes, key=lambda o: o.seconds)
        print(f"{kind}: {len(outcomes)} cases in {time.perf_counter() - started:.0f} s; exit codes {codes}; "
              f"slowest {slowest.seconds:.1f} s (seed {slowest.seed}); failures {len(bad)}")
        for o in bad:
            print(f"  FAIL seed {o.seed} ({o.kind}) {o.how}: {o.problem}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
