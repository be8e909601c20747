"""``qualispec check PATH``: syntax, names, units, cycles and proofs of every campaign under PATH."""

from __future__ import annotations

import sys

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.runtime.cli.common import add_quiet, progress, report


def register(sub) -> None:
    p = sub.add_parser("check", help="check every campaign under PATH (names, units, cycles, groups)",
                       description="Check every campaign under PATH: syntax, names, units, cycles, and that each "
                                   "field's comparison groups neither overlap nor leave a gap. Exit code 1 on errors.")
    p.add_argument("path", metavar="PATH")
    add_quiet(p)
    p.set_defaults(func=cmd_check)


def cmd_check(args) -> int:
    from qualispec.compiler.pipeline import compile_path

    diagnostics = Diagnostics()
    compiled = compile_path(args.path, diagnostics, lambda folders: progress(folders, "vérification", args.quiet))
    report(diagnostics, quiet_warnings=args.quiet)
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    names = ", ".join(c.campaign.name for c in compiled)
    summary = f"{len(compiled)} campaign{'s' if len(compiled) != 1 else ''} checked ({names}): " \
              f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    if errors or not args.quiet:
        print(summary, file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0
