"""``qualispec test PATH``: the policy-author cases of each campaign."""

from __future__ import annotations

import sys

from qualispec.runtime.cli.common import compile_or_report


def register(sub) -> None:
    p = sub.add_parser("test", help="run the policy-author cases of each campaign under PATH",
                       description="Run the cases (cases/*.csv in each campaign folder) of every campaign under PATH "
                                   "and report each case that does not give the expected outcome.")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_test)


def cmd_test(args) -> int:
    from qualispec.compiler.syntax.load import campaign_folders
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
