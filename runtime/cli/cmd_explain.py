"""``qualispec explain PATH --data FILE --finess ID``: why one establishment got its scores and payout."""

from __future__ import annotations

import sys

from qualispec.runtime.cli.common import add_data, add_quiet, compile_or_report, load_or_report


def register(sub) -> None:
    p = sub.add_parser("explain", help="why one establishment got its scores and payout, in French",
                       description="Evaluate the campaign in PATH over FILE and explain, for the establishment --finess, "
                                   "the chain of values that led to its group, each score and its payout.")
    p.add_argument("path", metavar="PATH")
    add_data(p)
    p.add_argument("--finess", required=True, metavar="ID")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_quiet(p)
    p.set_defaults(func=cmd_explain)


def cmd_explain(args) -> int:
    from qualispec.runtime.evaluate import evaluate
    from qualispec.runtime.explain import NotFound, explain, to_json, to_text

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
