"""``qualispec check PATH``: syntax, names, units, cycles and proofs of every campaign under PATH."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from qualispec.compiler import labels, messages
from qualispec.compiler.diagnostics import Diagnostics
from qualispec.runtime.cli.common import add_quiet, progress, report


def register(sub) -> None:
    p = sub.add_parser("check", help="vérifier chaque campagne sous PATH (noms, unités, cycles, groupes, enveloppes)",
                       description="Vérifie chaque campagne sous PATH : syntaxe, noms, unités, cycles ; que les groupes de "
                                   "comparaison de chaque champ ne se chevauchent pas et n'oublient personne ; qu'aucune "
                                   "enveloppe ne puisse verser plus qu'elle ne distribue. Code de sortie 1 s'il y a des erreurs.")
    p.add_argument("path", metavar="PATH", help="un dossier de campagne, ou un dossier qui en contient (specs/)")
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
    if errors or not args.quiet:
        print(summary(compiled, shown, errors, warnings), file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def summary(compiled, shown, errors: int, warnings: int) -> str:
    """The campaigns checked by their titles (« IFAQ 2024 — indicateurs numériques »); several: one a line with the
    folder to give to eval, docs or test, and what was found in it."""
    if len(compiled) == 1:
        return messages.word("summary.check", campaigns=1, names=labels.campaign_said(compiled[0].campaign),
                             errors=errors, warnings=warnings)
    lines = [messages.word("summary.check_many", campaigns=len(compiled), errors=errors, warnings=warnings)]
    for c in compiled:
        folder = Path(c.campaign.span.file).parent
        found = [d for d in shown if Path(d.span.file).parent == folder]
        mine = sum(d.severity == "error" for d in found), sum(d.severity == "warning" for d in found)
        counts = f" : {messages.word('summary.check_campaign', errors=mine[0], warnings=mine[1])}" if any(mine) else ""
        lines.append(f"  {labels.campaign_said(c.campaign)} — {folder}{counts}")
    return "\n".join(lines)
