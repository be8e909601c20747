"""Commands that run a campaign on data: eval, explain, example-data, test."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from qualispec.runtime.cli import compile_or_report


def register(sub) -> None:
    p = sub.add_parser("eval", help="evaluate a campaign over a dataset: scores and payouts",
                       description="Evaluate the campaign in PATH over the dataset FILE (CSV or Parquet). Writes one row "
                                   "per establishment and field (group, each indicator's values, score, weight, payout) to "
                                   "--out (CSV, Parquet or XLSX by extension) and prints a summary per group.")
    p.add_argument("path", metavar="PATH", help="a campaign folder, e.g. specs/ifaq/2024")
    p.add_argument("--data", required=True, metavar="FILE", help="the dataset (.csv or .parquet)")
    p.add_argument("--out", metavar="FILE", help="where to write the results (.csv, .parquet or .xlsx)")
    p.add_argument("--quiet", action="store_true", help="no summary table, no progress")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("explain", help="why one establishment got its scores and payout, in French",
                       description="Evaluate the campaign in PATH over FILE and explain, for the establishment --finess, "
                                   "the chain of values that led to its group, each score and its payout.")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--data", required=True, metavar="FILE")
    p.add_argument("--finess", required=True, metavar="ID")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("example-data", help="generate a realistic synthetic IFAQ 2024 dataset",
                       description="Generate a synthetic dataset following the IFAQ 2024 contract, with establishments "
                                   "in every comparison group and some exactly on group boundaries.")
    p.add_argument("--rows", type=int, default=2000, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--out", metavar="FILE", help=".csv or .parquet (default: CSV on standard output)")
    p.set_defaults(func=cmd_example_data)

    p = sub.add_parser("test", help="run the policy-author cases of each campaign under PATH",
                       description="Run the cases (cases/*.csv in each campaign folder) of every campaign under PATH "
                                   "and report each case that does not give the expected outcome.")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_test)


class _Progress:
    """A one-line progress bar on standard error, for long runs at a terminal."""

    def __init__(self, steps: list[str], enabled: bool):
        self.steps, self.enabled, self.start, self.done = steps, enabled and sys.stderr.isatty(), time.perf_counter(), 0

    def __call__(self, label: str) -> None:
        if not self.enabled:
            return
        width = 24
        filled = width * self.done // len(self.steps)
        bar = "█" * filled + "·" * (width - filled)
        sys.stderr.write(f"\r[{bar}] {label:<28} {time.perf_counter() - self.start:6.1f} s")
        sys.stderr.flush()
        self.done += 1

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write(f"\r[{'█' * 24}] {'done':<28} {time.perf_counter() - self.start:6.1f} s\n")


def _load(compiled, data: str):
    from qualispec.runtime.dataset import DataError, load_dataset

    try:
        return load_dataset(data, compiled.campaign)
    except DataError as error:
        print(error.render(), file=sys.stderr)
        return None


def cmd_eval(args) -> int:
    from qualispec.runtime.evaluate import evaluate
    from qualispec.runtime.output import OutputError, check_destination, write_table

    if args.out:
        try:
            check_destination(args.out)
        except OutputError as error:
            print(f"qualispec eval: {error}", file=sys.stderr)
            return 1
    compiled = compile_or_report(args.path)
    if compiled is None:
        return 1
    size = Path(args.data).stat().st_size if Path(args.data).exists() else 0
    progress = _Progress(["read", "compute", "write"], enabled=not args.quiet and size > 20_000_000)
    progress("reading and checking the data")
    frame = _load(compiled, args.data)
    if frame is None:
        return 1
    progress("computing")
    evaluation = evaluate(compiled, frame)
    if args.out:
        progress(f"writing {Path(args.out).name}")
        write_table(evaluation.rows, args.out, evaluation.groups)
    progress.close()
    if not args.quiet:
        print(format_groups(evaluation.groups))
        if args.out:
            print(f"{evaluation.rows.height} rows written to {args.out}")
    if not args.out and args.quiet:
        print(evaluation.rows.write_csv(), end="")
    return 0


def format_groups(groups) -> str:
    """The per-group summary as a terminal table, with a total line."""
    from qualispec.compiler import french

    records = groups.to_dicts()
    others = [c for c in groups.columns if c.startswith("paid_")]  # envelopes shared nationally
    header = ["groupe", "établissements", "enveloppe", "versé", "part versée"] + [f"versé ({c[5:]})" for c in others]

    def money(v):
        return french.euro(v) if v is not None else "—"

    def line(label, count, envelope, paid, extra):
        share = f"{french.number(paid / envelope * 100)} %" if envelope and paid is not None else "—"
        return [label, str(count), money(envelope), money(paid), share] + [money(x) for x in extra]

    rows = [header] + [line(str(g["group"]), g["establishments"], g.get("envelope"), g.get("paid"),
                            [g[c] for c in others]) for g in records]
    rows.append(line("total", sum(g["establishments"] for g in records),
                     sum(g.get("envelope") or 0 for g in records) or None, sum(g.get("paid") or 0 for g in records),
                     [sum(g[c] or 0 for g in records) for c in others]))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[j]) if j == 0 else c.rjust(widths[j]) for j, c in enumerate(r)))
        if i in (0, len(rows) - 2):
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_explain(args) -> int:
    from qualispec.runtime.evaluate import evaluate
    from qualispec.runtime.explain import NotFound, explain, to_json, to_text

    compiled = compile_or_report(args.path)
    if compiled is None:
        return 1
    frame = _load(compiled, args.data)
    if frame is None:
        return 1
    evaluation = evaluate(compiled, frame, keep_all=True)
    try:
        explanations = explain(compiled, evaluation, args.finess)
    except NotFound:
        print(f"qualispec explain: no establishment with FINESS {args.finess} in {args.data}", file=sys.stderr)
        return 1
    print(to_json(explanations) if args.format == "json" else to_text(explanations))
    return 0


def cmd_example_data(args) -> int:
    from qualispec.runtime import example_data

    if args.rows <= 0:
        print("qualispec example-data: --rows must be a positive number", file=sys.stderr)
        return 1
    if args.out and Path(args.out).suffix.lower() not in (".csv", ".parquet"):
        print(f"qualispec example-data: {args.out}: use a .csv or .parquet file name", file=sys.stderr)
        return 1
    progress = _Progress(["generate", "write"], enabled=args.rows >= 1_000_000)
    progress(f"generating {args.rows:,} rows")
    frame = example_data.generate(args.rows, args.seed)
    if args.out:
        progress(f"writing {Path(args.out).name}")
        example_data.write(frame, args.out)
        progress.close()
        print(f"{frame.height} rows written to {args.out}", file=sys.stderr)
    else:
        progress.close()
        sys.stdout.write(frame.write_csv())
    return 0


def cmd_test(args) -> int:
    from qualispec.compiler.load import campaign_folders
    from qualispec.runtime.cases import case_files, render, run_cases

    folders = [f for f in campaign_folders(args.path) if case_files(f)]
    if not folders:
        print(f"no cases under {args.path} (cases live in <campaign folder>/cases/*.csv)", file=sys.stderr)
        return 1
    results = []
    failed_compile = False
    for folder in folders:
        compiled = compile_or_report(str(folder))
        if compiled is None:
            failed_compile = True
            continue
        results.extend(run_cases(compiled, folder))
    print(render(results))
    return 1 if failed_compile or any(not r.passed for r in results) else 0
