"""``qualispec check PATH``: syntax, names, units, cycles and proofs of every campaign under PATH."""

from __future__ import annotations

import json
import sys

from qualispec.compiler import messages
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.runtime.cli.common import add_quiet, progress, report


def register(sub) -> None:
    p = sub.add_parser("check", help="vérifier chaque campagne sous PATH (noms, unités, cycles, groupes, enveloppes)",
                       description="Vérifie chaque campagne sous PATH : syntaxe, noms, unités, cycles ; que les groupes de "
                                   "comparaison de chaque champ ne se chevauchent pas et n'oublient personne ; qu'aucune "
                                   "enveloppe ne puisse verser plus qu'elle ne distribue. Code de sortie 1 s'il y a des erreurs.")
    p.add_argument("path", metavar="PATH")
    add_quiet(p)
    p.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                   help="texte à lire (par défaut) ; json ou sarif (2.1.0) sur la sortie standard, pour les éditeurs et la CI")
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
