"""``qualispec diff OLD NEW``: what changed between two campaigns, and what it does to the money.

Without options: the rule diff (indicators, rules, parameters, groups, formulas, texts,
assumptions). ``--data FILE``: both campaigns evaluated on the same dataset, payouts
compared per establishment, group and indicator, and the rule changes that explain the
difference. ``--cases``: the policy-author cases of OLD run under NEW, each changed outcome.
"""

from __future__ import annotations

import sys
from pathlib import Path

from qualispec.compiler.diagnostics import Diagnostics
from qualispec.runtime.cli.common import Steps, add_data, add_quiet, dialect_of, folder_missing

FORMATS = ("text", "table", "markdown", "html", "json")  # text, as for check and explain; table: its former name


def register(sub) -> None:
    p = sub.add_parser(
        "diff", help="comparer deux campagnes : les règles, puis les versements (--data) et les cas (--cases)",
        description="Compare la campagne OLD à la campagne NEW (deux dossiers de campagne, par exemple specs/ifaq/2022 "
                    "specs/ifaq/2024) : indicateurs ajoutés, retirés, renommés ou hors périmètre, cibles, seuils, poids, "
                    "paramètres, groupes de comparaison (avec un établissement qui change de groupe), formules (une "
                    "réécriture en une forme égale n'est pas un changement), textes et hypothèses.")
    p.add_argument("old", metavar="OLD", help="le dossier de la campagne la plus ancienne")
    p.add_argument("new", metavar="NEW", help="le dossier de la campagne la plus récente")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (terminal, par défaut ; table : le même), markdown, html, json : les trois derniers avec "
                        "toutes les listes en entier")
    p.add_argument("--out", metavar="FILE", help="écrire le rapport dans FILE plutôt qu'au terminal")
    add_data(p, required=False, help_text="un jeu de données (.csv, .xlsx ou .parquet) : compare les versements des deux campagnes sur lui")
    p.add_argument("--top", type=int, default=10, metavar="N", help="gagnants et perdants montrés avec --data (10 par défaut)")
    p.add_argument("--charts", metavar="DIR", help="avec --data : écrire aussi les images du rapport (SVG) dans DIR : "
                   "ecart-attribution.svg, ecart-distribution.svg, ecart-groupes.svg")
    p.add_argument("--site", metavar="URL", default="", help="avec --format html : le site des fiches vers lequel la page renvoie")
    p.add_argument("--cases", action="store_true", help="jouer les cas de OLD (OLD/cases/*.csv) avec les règles de NEW")
    add_quiet(p)
    p.set_defaults(func=cmd_diff)


def compile_for_diff(path: str):
    """(Compiled, group problems) or None after printing the compiler's messages.

    Errors in names, units or cycles stop the diff. Groups that overlap or leave a gap do
    not: the diff is where one sees which establishments a threshold change leaves out,
    so those problems are printed as warnings and the comparison goes on.
    """
    from qualispec.compiler import graph as graphs
    from qualispec.compiler.check import check
    from qualispec.compiler.syntax.load import campaign_folders, load_folder
    from qualispec.compiler.proofs.partition import check_partition
    from qualispec.compiler.pipeline import Compiled
    from qualispec.runtime.cli.common import report

    diagnostics = Diagnostics()
    root = Path(path)
    if not root.exists():
        print(f"qualispec diff : fichier ou dossier introuvable : {path}", file=sys.stderr)
        return None
    folders = campaign_folders(root)
    if len(folders) != 1:
        what = "aucun fichier .spec" if not folders else f"{len(folders)} campagnes ({', '.join(map(str, folders))}) ; nommez un seul dossier"
        print(f"qualispec diff : {path} contient {what}", file=sys.stderr)
        return None
    loaded = load_folder(folders[0], diagnostics)
    campaign = check(loaded, diagnostics)
    graph = None
    if campaign is not None and not diagnostics.has_errors():
        graph = graphs.build(campaign)
        graphs.report_cycles(graph, campaign, diagnostics)
    if campaign is None or diagnostics.has_errors():
        report(diagnostics, quiet_warnings=True)
        print(f"{path} : les specs ont des erreurs ; corrigez-les d'abord (qualispec check {path})", file=sys.stderr)
        return None
    groups = Diagnostics(sources=diagnostics.sources)
    check_partition(campaign, groups)
    return Compiled(campaign, graph, tuple(graphs.evaluation_order(graph))), groups


def cmd_diff(args) -> int:
    if folder_missing("diff", args.out):
        return 1
    if args.charts and not args.data:
        print("qualispec diff : --charts dessine l'écart de rémunération : donnez aussi --data FICHIER", file=sys.stderr)
        return 1
    if args.charts and not Path(args.charts).is_dir():
        print(f"qualispec diff : impossible d'écrire les images dans {args.charts} : le dossier n'existe pas", file=sys.stderr)
        return 1
    if args.format == "text":
        args.format = "table"  # the renderers' name for the terminal's text
    step = Steps(3 + bool(args.data) + bool(args.cases), args.quiet)  # shown at a terminal after a second
    try:
        return _compare(args, step)
    finally:
        step.close()


def _compare(args, step) -> int:
    from qualispec.compiler.diff import render as diff_render
    from qualispec.compiler.diff.rules import diff
    from qualispec.runtime.cli.common import report

    step(f"compilation de {args.old}")
    old = compile_for_diff(args.old)
    step(f"compilation de {args.new}")
    new = compile_for_diff(args.new)
    if old is None or new is None:
        return 1
    (old_c, old_groups), (new_c, new_groups) = old, new
    for side, problems in ((args.old, old_groups), (args.new, new_groups)):
        if problems.errors and not args.quiet:
            print(f"attention : les groupes de {side} ne forment pas une partition (la comparaison continue) :",
                  file=sys.stderr)
            report(problems, quiet_warnings=True)
    step("comparaison des règles")
    rules = diff(old_c.campaign, new_c.campaign)

    impact = cases = None
    if args.data or args.cases:
        from qualispec.runtime import impact as money

        if args.data:
            step("versements des deux campagnes et attribution de l'écart")
            try:
                impact = money.compare_payouts(old_c, new_c, args.data, rules, top=args.top, dialect=dialect_of(args))
            except money.ImpactError as error:
                print(f"qualispec diff : {error}", file=sys.stderr)
                return 1
        if args.cases:
            step(f"cas de {args.old} rejoués")
            cases = money.compare_cases(old_c, new_c, args.old, rules)
        from qualispec.runtime.impact_report import render_all

        text = render_all(rules, impact, cases, args.format, site=args.site)
        if args.charts and impact is not None:
            from qualispec.compiler.whole_files import write_text
            from qualispec.runtime.impact_report import charts

            for name, svg in charts(impact, rules).items():
                write_text(Path(args.charts) / name, svg)
            if not args.quiet:
                print(f"Images de l'écart écrites dans {args.charts}.", file=sys.stderr)
    elif args.format == "html":
        from qualispec.compiler.fiches.report_page import rules_page

        text = rules_page(rules, args.site)
    else:
        text = diff_render.render(rules, args.format)

    step.close()  # the progress display leaves the terminal before the report is printed
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        if not args.quiet:
            print(f"{diff_render.summary(rules)} Rapport écrit dans {args.out}.")
    else:
        print(text)
    return 0
