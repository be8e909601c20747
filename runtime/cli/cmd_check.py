"""``qualispec check PATH``: syntax, names, units, cycles and proofs of every campaign under PATH."""

from __future__ import annotations

import json
import sys

from qualispec.compiler import messages
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.runtime.cli.common import add_quiet, progress, report


def register(sub) -> None:
    p = sub.add_parser("check", help="check every campaign under PATH (names, units, cycles, groups)",
                       description="Check every campaign under PATH: syntax, names, units, cycles, and that each "
                                   "field's comparison groups neither overlap nor leave a gap. Exit code 1 on errors.")
    p.add_argument("path", metavar="PATH")
    add_quiet(p)
    p.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                   help="text for people (default); json or sarif (2.1.0) on standard output for editors and CI")
    p.set_defaults(func=cmd_check)


def cmd_check(args) -> int:
    from qualispec.compiler.pipeline import compile_path
    from qualispec.runtime.cli import machine_readable

    diagnostics = Diagnostics()
    quiet = args.quiet or args.format != "text"
    compiled = compile_path(args.path, diagnostics, lambda folders: progress(folders, "vérification", quiet))
    shown = [d for d in diagnostics.sorted() if not (args.quiet and d.severity == "warning")]
    errors = sum(d.severity == "error" for d in shown)
    warnings = sum(d.severity == "warning" for d in shown)
    if args.format == "json":
        print(json.dumps(machine_readable.as_json(shown, [c.campaign.name for c in compiled]),
                         ensure_ascii=False, indent=2))
        return 1 if errors else 0
    if args.format == "sarif":
        print(json.dumps(machine_readable.as_sarif(shown), ensure_ascii=False, indent=2))
        return 1 if errors else 0
    report(diagnostics, quiet_warnings=args.quiet)
    summary = messages.word("summary.check", campaigns=len(compiled), names=", ".join(c.campaign.name for c in compiled),
                            errors=errors, warnings=warnings)
    if errors or not args.quiet:
        print(summary, file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0
