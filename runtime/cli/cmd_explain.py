"""``qualispec explain PATH --data FILE --finess ID``: why one establishment got its scores and payout;
``qualispec explain --diff OLD NEW --data FILE --finess ID``: why its payout changed between two campaigns."""

from __future__ import annotations

import sys

from qualispec.runtime.cli.common import add_data, add_quiet, compile_or_report, load_or_report


def register(sub) -> None:
    p = sub.add_parser("explain", help="pourquoi un établissement a obtenu ses scores et son versement",
                       description="Évalue la campagne de PATH sur FILE et explique, pour l'établissement --finess, "
                                   "la chaîne de valeurs qui a mené à son groupe, à chaque score et à son versement.")
    p.add_argument("path", metavar="PATH", nargs="?", help="le dossier de la campagne (pas avec --diff)")
    p.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"),
                   help="expliquer l'écart entre deux campagnes pour l'établissement : résultat, groupe, scores, poids "
                        "et versement dans chacune, et les changements de règles qui expliquent l'écart en euros")
    add_data(p)
    p.add_argument("--finess", required=True, metavar="ID")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_quiet(p)
    p.set_defaults(func=cmd_explain)


def cmd_explain(args) -> int:
    from qualispec.runtime.evaluate import evaluate
    from qualispec.runtime.explain import NotFound, explain, to_json, to_text

    if args.diff:
        return _explain_diff(args)
    if not args.path:
        print("qualispec explain : donnez le dossier de la campagne (PATH), ou --diff OLD NEW", file=sys.stderr)
        return 2
    compiled = compile_or_report(args.path)
    if compiled is None:
        return 1
    frame = load_or_report(compiled, args)
    if frame is None:
        return 1
    evaluation = evaluate(compiled, frame, keep_all=True)
    try:
        explanations = explain(compiled, evaluation, args.finess)
    except NotFound:
        print(f"qualispec explain : aucun établissement de FINESS {args.finess} dans {args.data}", file=sys.stderr)
        return 1
    print(to_json(explanations) if args.format == "json" else to_text(explanations))
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
    rules = diff(old_c.campaign, new_c.campaign)
    try:
        rows, notes = explain_diff.explain_difference(old_c, new_c, args.data, rules, args.finess, dialect_of(args))
    except ImpactError as error:
        print(f"qualispec explain : {error}", file=sys.stderr)
        return 1
    except NotFound:
        print(f"qualispec explain : aucun établissement de FINESS {args.finess} dans {args.data} "
              f"(ni pour {campaign_said(old_c.campaign)} ni pour {campaign_said(new_c.campaign)})", file=sys.stderr)
        return 1
    names = old_c.campaign.name, new_c.campaign.name  # for programs; for people, by their titles
    print(explain_diff.to_json(rows, *names) if args.format == "json"
          else explain_diff.to_text(rows, rules.said_in_prose(rules.old), rules.said_in_prose(rules.new)))
    if notes and not args.quiet:
        print("\n".join(notes), file=sys.stderr)
    return 0
