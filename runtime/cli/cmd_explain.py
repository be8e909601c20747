"""``qualispec explain PATH --data FILE --finess ID``: why one establishment got its scores and payout;
``qualispec explain --diff OLD NEW --data FILE --finess ID``: why its payout changed between two campaigns."""

from __future__ import annotations

import sys

from qualispec.runtime.cli.common import (Steps, add_data, add_quiet, compile_or_report, folder_missing, load_or_report,
                                          write_or_print)


def register(sub) -> None:
    p = sub.add_parser("explain", help="pourquoi un établissement a obtenu ses scores et son versement",
                       description="Évalue la campagne de PATH sur FILE et explique, pour l'établissement --finess, "
                                   "la chaîne de valeurs qui a mené à son groupe, à chaque score et à son versement.")
    p.add_argument("path", metavar="PATH", nargs="?", help="le dossier de la campagne (pas avec --diff)")
    p.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"),
                   help="expliquer l'écart entre deux campagnes pour l'établissement : résultat, groupe, scores, poids "
                        "et versement dans chacune, et les changements de règles qui expliquent l'écart en euros")
    add_data(p)
    p.add_argument("--finess", required=True, metavar="ID", help="le numéro FINESS de l'établissement à expliquer")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (terminal, par défaut) ou json")
    p.add_argument("--out", metavar="FILE", help="écrire l'explication dans FILE plutôt qu'au terminal")
    add_quiet(p)
    p.set_defaults(func=cmd_explain)


def cmd_explain(args) -> int:
    from qualispec.runtime.evaluate import evaluate
    from qualispec.runtime.explain import NotFound, explain, to_json, to_text

    if folder_missing("explain", args.out):
        return 1
    if args.diff:
        return _explain_diff(args)
    if not args.path:
        print("qualispec explain : donnez le dossier de la campagne (PATH), ou --diff OLD NEW", file=sys.stderr)
        return 2
    step = Steps(3, args.quiet)  # a progress display at a terminal once the work has lasted a second
    try:
        step("compilation")
        compiled = compile_or_report(args.path)
        if compiled is None:
            return 1
        step("lecture des données")
        frame = load_or_report(compiled, args)
        if frame is None:
            return 1
        step("évaluation")
        evaluation = evaluate(compiled, frame, keep_all=True)
    finally:
        step.close()
    try:
        explanations = explain(compiled, evaluation, args.finess)
    except NotFound:
        print(f"qualispec explain : aucun établissement de FINESS {args.finess} dans {args.data}", file=sys.stderr)
        return 1
    write_or_print(to_json(explanations) if args.format == "json" else to_text(explanations), args.out)
    return 0


def _explain_diff(args) -> int:
    from qualispec.compiler.diff.rules import diff
    from qualispec.runtime import explain_diff
    from qualispec.runtime.cli.cmd_diff import compile_for_diff
    from qualispec.runtime.cli.common import dialect_of
    from qualispec.runtime.explain import NotFound
    from qualispec.compiler.labels import campaign_said
    from qualispec.runtime.impact import ImpactError

    if args.path:
        print(f"qualispec explain : avec --diff OLD NEW, pas de dossier en plus ({args.path})", file=sys.stderr)
        return 2
    old, new = (compile_for_diff(path) for path in args.diff)
    if old is None or new is None:
        return 1
    (old_c, _), (new_c, _) = old, new
    step = Steps(2, args.quiet)
    try:
        try:
            step("comparaison des règles")
            rules = diff(old_c.campaign, new_c.campaign)
            step("évaluation des deux campagnes et attribution")
            rows, notes = explain_diff.explain_difference(old_c, new_c, args.data, rules, args.finess, dialect_of(args))
        finally:
            step.close()  # the progress display leaves the terminal before anything is printed
    except ImpactError as error:
        print(f"qualispec explain : {error}", file=sys.stderr)
        return 1
    except NotFound:
        print(f"qualispec explain : aucun établissement de FINESS {args.finess} dans {args.data} "
              f"(ni pour {campaign_said(old_c.campaign)} ni pour {campaign_said(new_c.campaign)})", file=sys.stderr)
        return 1
    names = old_c.campaign.name, new_c.campaign.name  # for programs; for people, by their titles
    write_or_print(explain_diff.to_json(rows, *names) if args.format == "json"
                   else explain_diff.to_text(rows, rules.said_in_prose(rules.old), rules.said_in_prose(rules.new)),
                   args.out)
    if notes and not args.quiet:
        print("\n".join(notes), file=sys.stderr)
    return 0
