"""The ``qualispec`` command line.

Every command compiles the specs first and stops, with the compiler's messages and
exit code 1, when they have errors. No Python traceback reaches a user: expected
problems are messages; an unexpected one is reported as a bug with where to look.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qualispec import __version__
from qualispec.compiler.diagnostics import Diagnostics


def compile_or_report(path: str, quiet_warnings: bool = True):
    """The campaign in ``path``, or None after printing the compiler's messages."""
    from qualispec.compiler.pipeline import compile_one

    diagnostics = Diagnostics()
    compiled = compile_one(path, diagnostics)
    if compiled is None or diagnostics.has_errors():
        _report(diagnostics, quiet_warnings=quiet_warnings)
        print(f"{path}: the specs have errors; fix them first (qualispec check {path})", file=sys.stderr)
        return None
    return compiled


def _report(diagnostics: Diagnostics, quiet_warnings: bool = False) -> None:
    shown = [d for d in diagnostics.sorted() if not (quiet_warnings and d.severity == "warning")]
    if shown:
        print("\n".join(diagnostics.render_one(d) for d in shown), file=sys.stderr)


# ------------------------------------------------------------------ commands
def cmd_check(args) -> int:
    from qualispec.compiler.pipeline import compile_path

    diagnostics = Diagnostics()
    compiled = compile_path(args.path, diagnostics)
    _report(diagnostics, quiet_warnings=args.quiet)
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    names = ", ".join(c.campaign.name for c in compiled)
    summary = f"{len(compiled)} campaign{'s' if len(compiled) != 1 else ''} checked ({names}): " \
              f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    print(summary, file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def cmd_graph(args) -> int:
    from qualispec.compiler import graph as graphs

    compiled = compile_or_report(args.path, quiet_warnings=False)
    if compiled is None:
        return 1
    render = {"dot": graphs.to_dot, "mermaid": graphs.to_mermaid, "json": graphs.to_json}[args.format]
    _write_or_print(render(compiled.graph, compiled.campaign), args.out)
    return 0


def cmd_inputs(args) -> int:
    from qualispec.runtime.contract import contract_rows, render_contract

    compiled = compile_or_report(args.path, quiet_warnings=False)
    if compiled is None:
        return 1
    _write_or_print(render_contract(contract_rows(compiled.campaign), args.format), args.out)
    return 0


def _write_or_print(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


# ------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qualispec",
        description="Write, check, evaluate, document and compare the rules of hospital pay-for-quality schemes.",
    )
    parser.add_argument("--version", action="version", version=f"qualispec {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="check every campaign under PATH (names, units, cycles, groups)",
                       description="Check every campaign under PATH: syntax, names, units, cycles, and that each "
                                   "field's comparison groups neither overlap nor leave a gap. Exit code 1 on errors.")
    p.add_argument("path", metavar="PATH")
    p.add_argument("-q", "--quiet", action="store_true", help="do not show warnings")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("graph", help="the dependency graph of a campaign",
                       description="Print the dependency graph of the campaign in PATH.")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--format", choices=("dot", "mermaid", "json"), default="dot")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the terminal")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("inputs", help="the dataset a campaign needs",
                       description="List the columns a dataset must have to evaluate the campaign in PATH: "
                                   "name, unit, type, the fields that must fill it, and its meaning.")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(func=cmd_inputs)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands():
    """Commands defined next to the code they drive (evaluation, docs, diff)."""
    from qualispec.runtime import commands

    return commands.REGISTER


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug of ours, never the user's fault: say so plainly
        import traceback

        where = traceback.extract_tb(error.__traceback__)[-1]
        print(f"qualispec: internal error: {type(error).__name__}: {error}\n"
              f"  at {Path(where.filename).name}:{where.lineno}. This is a bug in qualispec, not in your spec "
              f"or data; please report it with the command you ran. Set QUALISPEC_DEBUG=1 for the full trace.",
              file=sys.stderr)
        import os

        if os.environ.get("QUALISPEC_DEBUG"):
            traceback.print_exc()
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
