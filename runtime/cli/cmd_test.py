"""``qualispec test PATH``: the policy-author cases of each campaign."""

from __future__ import annotations

import sys
from pathlib import Path

from qualispec.runtime.cli.common import add_quiet, compile_or_report, progress


def register(sub) -> None:
    p = sub.add_parser("test", help="jouer les cas écrits par les auteurs de chaque campagne sous PATH",
                       description="Joue les cas (cases/*.csv dans chaque dossier de campagne) de chaque campagne sous PATH "
                                   "et signale chaque cas qui ne donne pas le résultat attendu.")
    p.add_argument("path", metavar="PATH",
                   help="un dossier de campagne (ses cas : cases/*.csv), ou un dossier qui en contient (specs/)")
    add_quiet(p)
    p.add_argument("--engine", choices=("polars", "spark"), default="polars",
                   help="le moteur qui évalue les cas : polars (intégré, par défaut) ou spark (PySpark)")
    p.add_argument("--spark", metavar="WHERE", default=None,
                   help="avec --engine spark : où Spark tourne (comme pour eval ; par défaut $SPARK_MASTER, sinon local[*])")
    p.set_defaults(func=cmd_test)


def cmd_test(args) -> int:
    from qualispec.compiler.syntax.load import campaign_folders
    from qualispec.runtime.cases import case_files, render, run_cases
    from qualispec.runtime.engines import EngineUnavailable, spark_engine
    from qualispec.runtime.on_engine import evaluate_on

    if not Path(args.path).exists():
        print(f"qualispec test : {args.path} n'existe pas", file=sys.stderr)
        return 1
    folders = [f for f in campaign_folders(args.path) if case_files(f)]
    if not folders:
        print(f"rien à tester : aucun cas sous {args.path} (les cas se placent dans <dossier de campagne>/cases/*.csv)")
        return 0
    try:
        spark = spark_engine().session(args.spark) if args.engine == "spark" else None
    except EngineUnavailable as error:
        print(f"qualispec test : {error}", file=sys.stderr)
        return 1

    def engine(compiled, frame):
        return evaluate_on(args.engine, compiled, frame, spark)

    results = []
    failed_compile = False
    for folder in progress(folders, "cas", args.quiet):
        compiled = compile_or_report(str(folder))
        if compiled is None:
            failed_compile = True
            continue
        results.extend(run_cases(compiled, folder, engine))
    print(render(results, only_failures=args.quiet))
    return 1 if failed_compile or any(not r.passed for r in results) else 0
